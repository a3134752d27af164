"""Probabilities of the fitted classifiers, without scikit-learn's checks on every call.

Tagging a batch of passages asks some fifty fitted logistic regressions for their decision values
(three calibration folds of each model, one regression per class): scikit-learn validates its
input and its fitted state on each of those calls, which for a document of a few hundred passages
costs several times the arithmetic. The matrices the models get come from `Models.transform` and
always fit them. For the structures `sbtext.tag.model.make_classifier` builds (a sigmoid-calibrated
logistic regression, or one against the rest; and one calibrated model per label), the functions
here do scikit-learn's arithmetic itself, the same operations in the same order, so the numbers are
the same; any other model is asked through scikit-learn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.utils.extmath import safe_sparse_dot


def predict_proba(model: Any, x: Any) -> np.ndarray:
    """`model.predict_proba(x)`."""
    if isinstance(model, CalibratedClassifierCV) and all(map(_plain, model.calibrated_classifiers_)):
        mean = np.zeros((x.shape[0], model.classes_.shape[0]))
        for calibrated in model.calibrated_classifiers_:
            mean += _calibrated_proba(calibrated, x)
        mean /= len(model.calibrated_classifiers_)
        return mean
    if _per_label(model):
        return np.array([predict_proba(e, x)[:, 1] for e in model.estimators_]).T
    return np.asarray(model.predict_proba(x))


def predict(model: Any, x: Any) -> np.ndarray:
    """`model.predict(x)`."""
    if isinstance(model, CalibratedClassifierCV):
        return np.asarray(model.classes_[np.argmax(predict_proba(model, x), axis=1)])
    return np.asarray(model.predict(x))


def positive_proba(model: Any, x: Any) -> np.ndarray:
    """Probability of the positive class of a binary model."""
    proba = predict_proba(model, x)
    classes = list(model.classes_)
    return proba[:, classes.index(True)] if True in classes else np.zeros(x.shape[0])


def _per_label(model: Any) -> bool:
    """One calibrated yes/no model per label (several labels may hold at once)."""
    return (
        isinstance(model, OneVsRestClassifier)
        and model.multilabel_
        and len(model.estimators_) > 1
        and all(isinstance(e, CalibratedClassifierCV) for e in model.estimators_)
    )


def _plain(calibrated: Any) -> bool:
    """A calibration fold this module scores: sigmoids over logistic regressions."""
    estimator = calibrated.estimator
    regressions = estimator.estimators_ if isinstance(estimator, OneVsRestClassifier) else [estimator]
    return (
        getattr(calibrated, "method", None) == "sigmoid"
        and all(isinstance(c, _SigmoidCalibration) for c in calibrated.calibrators)
        and all(isinstance(r, LogisticRegression) for r in regressions)
    )


def _calibrated_proba(calibrated: Any, x: Any) -> np.ndarray:
    """One calibration fold's probabilities: each class's sigmoid over its decision values, then
    normalised over the classes (a yes/no model: the complement)."""
    predictions = _decision(calibrated.estimator, x)
    if predictions.ndim == 1:
        predictions = predictions.reshape(-1, 1)
    classes = calibrated.classes
    n_classes = classes.shape[0]
    position = {c: k for k, c in enumerate(np.unique(classes))}
    proba = np.zeros((x.shape[0], n_classes))
    for label, values, sigmoid in zip(calibrated.estimator.classes_, predictions.T, calibrated.calibrators):
        k = position[label] + (1 if n_classes == 2 else 0)
        proba[:, k] = expit(-(sigmoid.a_ * values + sigmoid.b_))
    if n_classes == 2:
        proba[:, 0] = 1.0 - proba[:, 1]
    else:
        denominator = np.sum(proba, axis=1)[:, np.newaxis]
        proba = np.divide(proba, denominator, out=np.full_like(proba, 1 / n_classes), where=denominator != 0)
    proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba


def _decision(estimator: Any, x: Any) -> np.ndarray:
    """Decision values of a logistic regression, or of one per class against the rest."""
    if isinstance(estimator, OneVsRestClassifier):
        if len(estimator.estimators_) == 1:
            return _decision(estimator.estimators_[0], x)
        return np.array([_decision(e, x).ravel() for e in estimator.estimators_]).T
    coef = estimator.coef_
    scores = safe_sparse_dot(x, coef.T if coef.ndim == 2 else coef, dense_output=True) + estimator.intercept_
    return np.reshape(scores, (-1,)) if scores.ndim > 1 and scores.shape[1] == 1 else scores
