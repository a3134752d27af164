"""The models hold their coefficients sparse: saved so, loaded so (from older dense files too),
with the scores the dense coefficients give, on the passages of a real ministry letter; loaded
for tagging, they read only the columns they weigh, with the same scores."""

from __future__ import annotations

import copy
import json
import shutil
import zipfile

import numpy as np
import pytest
import skops.io as sio
from scipy import sparse

from sbtext.tag.model import (
    MODEL_NAMES,
    SAVED,
    TRUSTED_TYPES,
    Models,
    _fitted_linear,
    default_models_path,
    expectation_proba,
    features,
    load_models,
)
from sbtext.tag.purpose_model import FILE_NAME as PURPOSE_FILE

# The models whose probabilities the tagger reads (the expectation model goes through its calibration).
PROBABILITIES = ("framing", "spheres", "category", "goal")


@pytest.fixture(scope="module")
def shipped() -> Models:
    """The shipped models as trained: every column, coefficients sparse."""
    return load_models(None, compact=False)


@pytest.fixture(scope="module")
def passages(letter_spans):
    """The feature rows of the letter's passages."""
    return features(letter_spans)


@pytest.fixture(scope="module")
def rows(shipped, passages):
    """The feature matrix of the letter's passages."""
    return shipped.transform(passages)


def dense_copy(models: Models) -> Models:
    """`models` with every coefficient matrix a dense array again, as models were saved before."""
    dense = copy.deepcopy(models)
    for name in MODEL_NAMES:
        for linear in _fitted_linear(getattr(dense, name), set()):
            linear.coef_ = linear.coef_.toarray()
    return dense


def linear_parts(models: Models, name: str) -> list:
    return list(_fitted_linear(getattr(models, name), set()))


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_loaded_coefficients_are_sparse(shipped, name) -> None:
    parts = linear_parts(shipped, name)
    assert parts, f"{name}: no logistic regression found"
    for linear in parts:
        assert sparse.issparse(linear.coef_)
        assert linear.coef_.nnz == np.count_nonzero(linear.coef_.toarray())


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_shipped_files_store_coefficients_sparse(name) -> None:
    file = default_models_path() / f"{name}.skops"
    raw = sio.load(file, trusted=sio.get_untrusted_types(file=file))
    assert all(sparse.issparse(linear.coef_) for linear in _fitted_linear(raw, set()))


@pytest.mark.parametrize("name", PROBABILITIES)
def test_sparse_scores_equal_dense_ones(shipped, rows, name) -> None:
    got, expected = getattr(shipped, name).predict_proba(rows), getattr(dense_copy(shipped), name).predict_proba(rows)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


def test_sparse_expectation_scores_equal_dense_ones(shipped, rows) -> None:
    dense = dense_copy(shipped)
    raw = shipped.expectation.decision_function(rows)
    np.testing.assert_allclose(raw, dense.expectation.decision_function(rows), rtol=0, atol=1e-9)
    np.testing.assert_allclose(expectation_proba(shipped, rows), expectation_proba(dense, rows), rtol=0, atol=1e-9)
    assert np.ptp(raw) > 0  # the letter's passages are not all scored alike


def test_dense_files_load_sparse_with_the_same_scores(shipped, rows, tmp_path) -> None:
    """Model files written before coefficients were stored sparse still load, sparse."""
    dense = dense_copy(shipped)
    for name in SAVED:
        if getattr(dense, name) is not None:
            sio.dump(getattr(dense, name), tmp_path / f"{name}.skops", compression=zipfile.ZIP_DEFLATED)
    shutil.copy(default_models_path() / PURPOSE_FILE, tmp_path / PURPOSE_FILE)
    (tmp_path / "manifest.json").write_text(json.dumps(shipped.manifest), encoding="utf-8")
    stored = sio.load(tmp_path / "category.skops", trusted=TRUSTED_TYPES)
    assert not any(sparse.issparse(linear.coef_) for linear in _fitted_linear(stored, set()))
    loaded = load_models(tmp_path, compact=False)
    for name in MODEL_NAMES:
        assert all(sparse.issparse(linear.coef_) for linear in linear_parts(loaded, name))
    for name in PROBABILITIES:
        got, expected = getattr(loaded, name).predict_proba(rows), getattr(dense, name).predict_proba(rows)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(expectation_proba(loaded, rows), expectation_proba(dense, rows), rtol=0, atol=1e-9)


def test_saving_writes_coefficients_sparse(shipped, tmp_path) -> None:
    dense_copy(shipped).save(tmp_path, dict(shipped.manifest or {}))
    file = tmp_path / "framing.skops"
    raw = sio.load(file, trusted=sio.get_untrusted_types(file=file))
    parts = list(_fitted_linear(raw, set()))
    assert parts and all(sparse.issparse(linear.coef_) for linear in parts)


def test_compact_models_read_the_weighted_columns_with_the_same_scores(shipped, passages, rows) -> None:
    compact = load_models(None)
    narrow = compact.transform(passages)
    assert compact.columns is not None and narrow.shape[1] == len(compact.columns) < rows.shape[1] / 2
    weighted = np.zeros(narrow.shape[1], dtype=bool)
    for name in MODEL_NAMES:
        for linear in linear_parts(compact, name):
            assert isinstance(linear.coef_, np.ndarray) and linear.coef_.shape[1] == narrow.shape[1]
            weighted |= (linear.coef_ != 0).any(axis=0)
    assert weighted.all()  # no column is read that no model weighs
    for name in PROBABILITIES:
        got, expected = getattr(compact, name).predict_proba(narrow), getattr(shipped, name).predict_proba(rows)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(expectation_proba(compact, narrow), expectation_proba(shipped, rows), rtol=0, atol=1e-9)


def test_compact_models_are_not_saved(tmp_path) -> None:
    compact = load_models(None)
    with pytest.raises(ValueError, match="not saved"):
        compact.save(tmp_path, dict(compact.manifest or {}))
    assert not any(tmp_path.iterdir())
