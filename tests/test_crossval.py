"""Whole-document cross-validation, on the sample documents marked as whole documents."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sbtext.train import learns_expectation

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "annotations" / "seeds.jsonl"


@pytest.fixture(scope="module")
def whole_documents(tmp_path_factory) -> Path:
    """The sample documents' gold records as three whole documents (the fourth and fifth left out
    to keep the run short)."""
    records = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines()]
    keep = sorted({r["doc_id"] for r in records})[:3]
    path = tmp_path_factory.mktemp("gold") / "whole.jsonl"
    lines = [
        json.dumps({**r, "unit": "document", "origin": "real", "doc_type": "position_paper"}, ensure_ascii=False)
        for r in records
        if r["doc_id"] in keep and not r.get("duplicate_of")
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_no_document_on_both_sides(whole_documents, nlp):
    from sbtext.annotations import read_gold
    from sbtext.crossval import document_folds, leave_one_document_out

    records = read_gold([whole_documents])
    folds = document_folds(records, None)
    assert len(folds) == 3 and all(len(f) == 1 for f in folds)
    assert set().union(*document_folds(records, 2)) == {r["doc_id"] for r in records}
    results = leave_one_document_out(records, nlp)
    assert len(results) == len(records)
    assert set(results["group"]) == {r["doc_id"] for r in records}
    assert results["threshold"].between(0, 1).all()


def test_cross_validate_writes_the_report(whole_documents, tmp_path):
    from typer.testing import CliRunner

    from sbtext.cli import app

    out = tmp_path / "EVALUATION.md"
    result = CliRunner().invoke(
        app, ["evaluate", "--cross-validate", str(whole_documents), "--folds", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    headings = (
        "## Overall, against the targets",
        "## Framing, purpose and category given the gold expectations",
        "## Per document type",
        "## Per document",
    )
    for heading in headings:
        assert heading in text
    assert "position_paper" in text


def test_cached_text_features_equal_a_fresh_transform(nlp):
    """Leave-one-document-out computes the hashed text columns once: assembled with a featurizer
    fitted on part of the passages, they are what that featurizer's own transform gives."""
    from sbtext.annotations import read_gold
    from sbtext.tag import Tagger
    from sbtext.tag.model import assemble, fit_featurizer
    from sbtext.train import prepare

    records = read_gold([SEEDS])[:120]
    prepared = prepare(records, Tagger(nlp, models="rules"))
    part = prepared.subset(list(range(0, 120, 2)))
    featurizer = fit_featurizer(part.x)
    cached = assemble(featurizer, prepared.x, prepared.text)
    fresh = featurizer.transform(prepared.x)
    assert cached.shape == fresh.shape and abs(cached - fresh).max() < 1e-12
    assert part.docs[1] is prepared.docs[2] and part.text.shape[0] == 60


@pytest.mark.parametrize(
    ("proba", "truth", "expected"),
    [
        # The best F0.5 keeps the two sure positives and stops before the run of negatives.
        ([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [1, 1, 0, 0, 1, 0], 0.8),
        # Every positive above every negative: the lowest positive's score.
        ([0.95, 0.9, 0.3, 0.2], [1, 1, 0, 0], 0.9),
    ],
)
def test_threshold_favours_precision(proba, truth, expected):
    from sbtext.train import choose_threshold

    threshold, chosen = choose_threshold(np.array(proba), np.array(truth, dtype=bool))
    assert threshold == pytest.approx(expected)
    assert chosen["precision"] == 1.0


def test_evaluate_warns_when_the_gold_file_was_trained_on(tmp_path):
    from typer.testing import CliRunner

    from sbtext.cli import app

    result = CliRunner().invoke(app, ["evaluate", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "W007" in result.output and "the same file" in result.output


@pytest.mark.parametrize(
    ("origins", "labels", "learns"),
    [
        # Real text with both classes: the constructed sentence is left out.
        (["real", "real", "constructed"], [True, False, True], [True, True, False]),
        # Real text of one class only (curated files alone): every record serves.
        (["real", "constructed", "constructed"], [True, False, True], [True, True, True]),
    ],
)
def test_the_expectation_model_learns_from_real_text_when_it_can(origins, labels, learns):
    records = [{"origin": o} for o in origins]
    y = np.array(labels)
    named = np.ones(len(records), dtype=bool)
    assert learns_expectation(records, y, named).tolist() == learns
