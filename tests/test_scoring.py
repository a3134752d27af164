"""The models' probabilities computed without scikit-learn's per-call checks are scikit-learn's
own, number for number: on the passages of a real ministry letter, for the shipped models as
trained (sparse weights over every column) and as the tagger loads them (dense over the columns
they weigh); a model of another shape is handed to scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from sbtext.tag import scoring
from sbtext.tag.model import features, load_models


@pytest.fixture(scope="module")
def passages(letter_spans):
    return features(letter_spans)


@pytest.fixture(scope="module", params=[False, True], ids=["as trained", "compact"])
def loaded(request, passages):
    models = load_models(None, compact=request.param)
    return models, models.transform(passages)


@pytest.mark.parametrize("name", ["framing", "goal", "spheres", "category"])
def test_probabilities_are_scikit_learns_number_for_number(loaded, name):
    models, x = loaded
    model = getattr(models, name)
    ours = scoring.predict_proba(model, x)
    assert ours.shape == (x.shape[0], len(model.classes_))
    np.testing.assert_array_equal(ours, model.predict_proba(x))
    assert ours.min() > 0.0 and ours.max() < 1.0  # real probabilities, not a constant


@pytest.mark.parametrize("name", ["framing", "category"])
def test_predicted_classes_are_scikit_learns(loaded, name):
    models, x = loaded
    model = getattr(models, name)
    predicted = scoring.predict(model, x)
    np.testing.assert_array_equal(predicted, model.predict(x))
    assert len(set(predicted)) > 1


def test_the_positive_class_of_a_yes_no_model(loaded):
    models, x = loaded
    proba = models.goal.predict_proba(x)[:, list(models.goal.classes_).index(True)]
    np.testing.assert_array_equal(scoring.positive_proba(models.goal, x), proba)


def _fitted(model, labels):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(90, 4))
    return model.fit(x, labels(x)), rng.normal(size=(20, 4))


@pytest.mark.parametrize(
    ("model", "labels"),
    [
        # isotonic calibration and a plain regression are left to scikit-learn
        (CalibratedClassifierCV(LogisticRegression(), method="isotonic", cv=3), lambda x: x[:, 0] > 0),
        (LogisticRegression(), lambda x: x[:, 0] > 0),
        # one label that never holds: scikit-learn keeps a constant in place of its model
        (
            OneVsRestClassifier(CalibratedClassifierCV(LogisticRegression(), cv=3)),
            lambda x: np.column_stack([x[:, 0] > 0, x[:, 1] > 0, np.zeros(len(x), dtype=bool)]).astype(int),
        ),
        # the shapes this module scores itself, on dense input
        (CalibratedClassifierCV(LogisticRegression(), cv=3), lambda x: x[:, 0] > 0),
        (
            CalibratedClassifierCV(OneVsRestClassifier(LogisticRegression()), cv=3),
            lambda x: np.digitize(x[:, 0], [-0.5, 0.5]),
        ),
    ],
)
@pytest.mark.filterwarnings("ignore:Label not 2 is present in all training examples")
def test_any_model_gives_what_scikit_learn_gives(model, labels):
    fitted, x = _fitted(model, labels)
    np.testing.assert_array_equal(scoring.predict_proba(fitted, x), fitted.predict_proba(x))
    np.testing.assert_array_equal(scoring.predict(fitted, x), fitted.predict(x))
