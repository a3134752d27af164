"""Gold JSONL -> the featurizer and the five models, saved with a manifest of data hashes and scores."""

from __future__ import annotations

import hashlib
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import sklearn
import spacy
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight

from sbtext import __version__
from sbtext.annotations import read_gold
from sbtext.codebook import SPHERES
from sbtext.evaluate import predict, score
from sbtext.nlp import backend_of, load_nlp
from sbtext.tag import FRAMING_CLASSES, Tagger
from sbtext.tag.model import Models, features, make_classifier, make_featurizer
from sbtext.tag.purpose import find_purpose

MIN_PER_CLASS = 3  # calibration uses three stratified folds


def fit_models(records: Sequence[dict[str, Any]], tagger: Tagger) -> Models:
    """Fit the shared featurizer, then the expectation, framing, spheres, category and goal models."""
    docs = list(tagger.docs(r["text"] for r in records))
    x = features(docs, has_purpose=[find_purpose(d) is not None for d in docs])
    with_cat = [r for r in records if r["purpose"] and r["purpose_category"]]
    cats = _enough(list(range(len(with_cat))), [r["purpose_category"] for r in with_cat])
    cat_docs = list(tagger.docs(with_cat[i]["purpose"] for i in cats))
    x_cat = features(cat_docs, has_purpose=[True] * len(cat_docs))
    models = Models(featurizer=make_featurizer().fit(pd.concat([x, x_cat], ignore_index=True)))
    x, x_cat = models.transform(x), models.transform(x_cat)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        models.expectation = fit_balanced(x, [bool(r["expectation"]) for r in records])
        pos = [i for i, r in enumerate(records) if r["expectation"] and r["framing"] in FRAMING_CLASSES]
        keep = _enough(pos, [records[i]["framing"] for i in pos])
        # Framing keeps the training mix in its calibration: balancing it pushed "both" (the rarest
        # class) onto instrumental passages in leave-one-source-out runs.
        models.framing = make_classifier().fit(x[keep], [records[i]["framing"] for i in keep])
        binarizer = MultiLabelBinarizer(classes=list(SPHERES))
        y = binarizer.fit_transform([records[i]["spheres"] for i in pos])
        if all(MIN_PER_CLASS <= y[:, k].sum() <= len(pos) - MIN_PER_CLASS for k in range(len(SPHERES))):
            models.spheres = make_classifier(multilabel=True).fit(x[pos], y)
        models.category = fit_balanced(x_cat, [with_cat[i]["purpose_category"] for i in cats])
        # goal_statement is optional in the format: only records that carry it teach the goal model.
        marked = [i for i, r in enumerate(records) if isinstance(r.get("goal_statement"), bool)]
        goals = [records[i]["goal_statement"] for i in marked]
        if min(sum(goals), len(goals) - sum(goals)) >= MIN_PER_CLASS:
            models.goal = fit_balanced(x[marked], goals)
    return models


def fit_balanced(x: Any, y: Sequence[Any]) -> Any:
    """Fit with balanced sample weights, which reach the calibration too: the probabilities are
    calibrated as if the classes were equally common, so 0.5 does not lean on the training mix
    (half constructed sentences) but on the evidence in the passage."""
    weights = compute_sample_weight("balanced", list(y))
    return make_classifier().fit(x, list(y), sample_weight=weights)


def _enough(index: list[int], labels: list[str]) -> list[int]:
    """Drop classes with fewer examples than calibration needs."""
    counts = Counter(labels)
    return [i for i, label in zip(index, labels) if counts[label] >= MIN_PER_CLASS]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(
    gold: Sequence[Path], out: Path, *, spacy_model: str | None = None, codebook: Path | None = None
) -> dict[str, Any]:
    """Train from gold files, save the models into `out`, and return the manifest."""
    records = read_gold(gold)
    nlp = load_nlp(spacy_model)
    tagger = Tagger(nlp, codebook=codebook, models="rules")
    models = fit_models(records, tagger)
    tagger.models = models
    manifest = {
        "sbtext_version": __version__,
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "backend": backend_of(nlp).name,
        "codebook_sha256": tagger.codebook.sha256,
        "training_files": {Path(p).name: file_hash(Path(p)) for p in gold},
        "counts": {
            "records": len(records),
            "expectations": sum(bool(r["expectation"]) for r in records),
            "framing": dict(Counter(r["framing"] for r in records if r["expectation"])),
            "purpose_category": dict(Counter(r["purpose_category"] for r in records if r["purpose_category"])),
            "by_origin": dict(Counter(r.get("origin", Path(r["_file"]).stem) for r in records)),
        },
        "training_set_scores": score(records, predict(tagger, records)),
        "note": "training_set_scores are measured on the training data and are optimistic; "
        "see annotations/EVALUATION.md for leave-one-source-out estimates.",
    }
    models.save(out, manifest)
    return manifest
