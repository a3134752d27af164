"""Gold JSONL -> the featurizer and the five models, saved with a manifest of data hashes and settings.

Whole real documents (records with `"unit": "document"`) are what the models are tuned for: the
expectation model's probabilities are calibrated, and its decision threshold chosen, on held-out
predictions for those documents (grouped folds inside the training data: no document's passages
on both sides), so that both carry the base rate of whole documents, where fewer than one passage
in fifty is an expectation. Without such documents every gold document serves.
"""

from __future__ import annotations

import hashlib
import math
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
import spacy
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.utils.class_weight import compute_sample_weight
from spacy.tokens import Doc

from sbtext import __version__
from sbtext.annotations import read_gold
from sbtext.codebook import SPHERES
from sbtext.errors import Errors, SbtextError
from sbtext.evaluate import predict, score
from sbtext.nlp import backend_of, load_nlp
from sbtext.tag import FRAMING_CLASSES, Tagger, names_the_basis
from sbtext.tag.model import (
    CHAR_FEATURES,
    WORD_FEATURES,
    Models,
    assemble,
    features,
    fit_featurizer,
    make_classifier,
    make_linear,
    text_features,
    words_and_cues,
)
from sbtext.tag.purpose import PurposeRules, find_purpose
from sbtext.tag.purpose_model import SETTINGS as SPAN_SETTINGS
from sbtext.tag.purpose_model import SpanModel, fit_span_model
from sbtext.tag.rules import cue_spans_of

MIN_PER_CLASS = 3  # calibration uses three stratified folds
PRECISION_BETA = 0.5  # the threshold maximises F-beta on held-out whole documents: precision first
INNER_FOLDS = 5
EXPECTATION_C = 8.0
NEED_BOTH = "the passages that name the sociale basis must include expectations and non-expectations"


@dataclass
class Prepared:
    """What the models learn from, computed once per record: the processed passages, their
    feature rows and hashed text features, those of the purpose texts that carry a category, and
    whether the passage names the sociale basis. Leave-one-document-out prepares once and takes
    the rows of each training side with `subset`."""

    x: pd.DataFrame
    x_cat: pd.DataFrame
    cat_index: list[int]
    names_basis: np.ndarray
    text: Any
    text_cat: Any
    docs: list[Doc]

    def subset(self, index: Sequence[int]) -> Prepared:
        """The rows of the records at `index` (in that order)."""
        position = {r: k for k, r in enumerate(index)}
        cats = [k for k, r in enumerate(self.cat_index) if r in position]
        rows = list(index)
        return Prepared(
            x=self.x.iloc[rows].reset_index(drop=True),
            x_cat=self.x_cat.iloc[cats].reset_index(drop=True),
            cat_index=[position[self.cat_index[k]] for k in cats],
            names_basis=self.names_basis[rows],
            text=self.text[rows],
            text_cat=self.text_cat[cats],
            docs=[self.docs[r] for r in rows],
        )


def prepare(records: Sequence[dict[str, Any]], tagger: Tagger) -> Prepared:
    """Feature rows for every record (and its purpose, where it has a category)."""
    docs = list(tagger.docs(r["text"] for r in records))
    cues = cue_spans_of(docs)
    x = features(docs, has_purpose=[find_purpose(d, tagger.rules) is not None for d in docs], cues=cues)
    cat_index = [i for i, r in enumerate(records) if r["purpose"] and r["purpose_category"]]
    cat_docs = list(tagger.docs(records[i]["purpose"] for i in cat_index))
    x_cat = features(cat_docs, has_purpose=[True] * len(cat_docs))
    named = np.array([names_the_basis(c) for c in cues], dtype=bool)
    return Prepared(x, x_cat, cat_index, named, text_features(x), text_features(x_cat), docs)


def group_of(record: dict[str, Any]) -> str:
    """The source document a record comes from: its doc_id, else its source, else its file."""
    return str(record.get("doc_id") or record.get("source") or Path(record["_file"]).stem)


def is_whole_document(record: dict[str, Any]) -> bool:
    """A passage of a real document annotated whole, every passage (`"unit": "document"`)."""
    return record.get("unit") == "document" and record.get("origin", "real") == "real"


Progress = Callable[[str], object]
"""Told what training does next, in a few words (the CLI prints it); whatever it returns is ignored."""


def quiet(_: str) -> None:
    """A progress hook that says nothing."""
    return None


def fit_models(
    records: Sequence[dict[str, Any]],
    tagger: Tagger,
    prepared: Prepared | None = None,
    progress: Progress = quiet,
    *,
    keep: Models | None = None,
) -> Models:
    """Fit the shared featurizer, then the expectation, framing, spheres, category and goal models;
    the expectation threshold goes into `models.manifest["thresholds"]`.

    With `keep`, only the expectation model (and its threshold) is fitted: the featurizer and the
    other four models are those of `keep`, which must have been fitted on a subset of `records`
    (leave-one-document-out fits them once per group of documents, the expectation per document).
    """
    if prepared is None:
        progress(f"processing {len(records)} texts with the language pipeline")
    p = prepared or prepare(records, tagger)
    progress("fitting the shared features")
    featurizer = keep.featurizer if keep else fit_featurizer(pd.concat([p.x, p.x_cat], ignore_index=True))
    models = Models(featurizer=featurizer)
    x = assemble(featurizer, p.x, p.text)
    y = np.array([bool(r["expectation"]) for r in records])
    # The expectation model learns only where rule 1 lets an expectation be: among passages that
    # name the sociale basis, which give it a role. Elsewhere the gate decides. It learns from real
    # text only: constructed sentences, two thirds of them expectations, lowered its average
    # precision on held-out whole documents (0.57 without them against 0.53 with them).
    learns = learns_expectation(records, y, p.names_basis)
    named = np.flatnonzero(p.names_basis & learns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        # A calibration fold of a small training set may lack a framing or category: that class is
        # then "present in all" of one-against-the-rest's negatives there; the other folds have it.
        warnings.filterwarnings("ignore", message="Label .* is present in all training examples")
        if len(set(y[named])) < 2:
            raise SbtextError(Errors.E060, path="(training data)", detail=NEED_BOTH)
        progress("fitting the expectation model")
        models.expectation = _linear(x[named], y[named])
        progress("calibrating it on held-out whole documents and choosing its threshold")
        calibration = _calibrate(x, y, records, p.names_basis, learns)
        models.expectation_calibration = calibration["model"]
        models.manifest = {"thresholds": {"expectation": calibration["threshold"]}, "tuning": calibration["report"]}
        if keep is not None:
            models.framing, models.spheres, models.category, models.goal = (
                keep.framing,
                keep.spheres,
                keep.category,
                keep.goal,
            )
            models.purpose = keep.purpose
            return models.sparsify()
        progress("fitting the framing, spheres, category and goal models")
        x_cat = assemble(featurizer, p.x_cat, p.text_cat)
        _fit_others(models, x, x_cat, records, [records[i] for i in p.cat_index])
    progress("fitting the purpose span model")
    models.purpose = fit_purpose(records, p.docs, tagger.rules)
    # Sparse coefficients, as the models are saved and loaded: the same scores in a tenth of the memory.
    return models.sparsify()


def fit_purpose(records: Sequence[dict[str, Any]], docs: Sequence[Doc], rules: PurposeRules) -> SpanModel | None:
    """The purpose span model, trained on the passages the codebook annotates purposes on: gold
    expectations and goal statements, with their gold purpose ("" where they state none); a
    passage that is both is cut as an expectation, as the tagger cuts it."""
    shown = [i for i, r in enumerate(records) if r["expectation"] or r.get("goal_statement") is True]
    return fit_span_model(
        [docs[i] for i in shown],
        [records[i]["purpose"] for i in shown],
        [records[i].get("goal_statement") is True and not records[i]["expectation"] for i in shown],
        rules,
    )


def _fit_others(
    models: Models, x: Any, x_cat: Any, records: Sequence[dict[str, Any]], with_cat: Sequence[dict[str, Any]]
) -> None:
    pos = [i for i, r in enumerate(records) if r["expectation"] and r["framing"] in FRAMING_CLASSES]
    keep = _enough(pos, [records[i]["framing"] for i in pos])
    # Framing keeps the training mix in its calibration: balancing it pushed "both" (the rarest
    # class) onto instrumental passages in held-out runs.
    framings = [records[i]["framing"] for i in keep]
    if len(set(framings)) >= 2:
        models.framing = make_classifier(binary=len(set(framings)) == 2).fit(x[keep], framings)
    binarizer = MultiLabelBinarizer(classes=list(SPHERES))
    spheres = binarizer.fit_transform([records[i]["spheres"] for i in pos])
    if all(MIN_PER_CLASS <= spheres[:, k].sum() <= len(pos) - MIN_PER_CLASS for k in range(len(SPHERES))):
        models.spheres = make_classifier(multilabel=True).fit(x[pos], spheres)
    cats = _enough(list(range(len(with_cat))), [r["purpose_category"] for r in with_cat])
    categories = [with_cat[i]["purpose_category"] for i in cats]
    if len(set(categories)) >= 2:
        models.category = fit_balanced(x_cat[cats], categories, binary=len(set(categories)) == 2)
    # goal_statement is optional in the format: only records that carry it teach the goal model.
    marked = [i for i, r in enumerate(records) if isinstance(r.get("goal_statement"), bool)]
    goals = [records[i]["goal_statement"] for i in marked]
    if min(sum(goals), len(goals) - sum(goals)) >= MIN_PER_CLASS:
        models.goal = fit_balanced(words_and_cues(x[marked]), goals, binary=True)


def learns_expectation(records: Sequence[dict[str, Any]], y: np.ndarray, named: np.ndarray) -> np.ndarray:
    """Which records the expectation model learns from: all but constructed sentences, unless
    without them the passages naming the sociale basis lack expectations or non-expectations
    (training data of curated files alone): then every record."""
    real = np.array([r.get("origin", "real") != "constructed" for r in records], dtype=bool)
    return real if len(set(y[named & real])) == 2 else np.ones(len(records), dtype=bool)


def _linear(x: Any, y: Any) -> LogisticRegression:
    """The expectation model before calibration: a logistic regression with balanced weights."""
    return make_linear(c=EXPECTATION_C).fit(x, list(y))


def _calibrate(
    x: Any, y: np.ndarray, records: Sequence[dict[str, Any]], named: np.ndarray, learns: np.ndarray
) -> dict[str, Any]:
    """Held-out decision values for the whole documents' passages that name the sociale basis
    (grouped folds within these records), a sigmoid fitted on them, and the threshold chosen on
    its probabilities; the folds train on the records `learns` marks, as the model itself does.
    Recall counts every expectation of those documents, the gated ones too."""
    whole = [i for i, r in enumerate(records) if is_whole_document(r)]
    if len({group_of(records[i]) for i in whole}) < 3:
        whole = list(range(len(records)))
    pool = np.array([i for i in whole if named[i]])
    groups = [group_of(records[i]) for i in pool]
    folds = min(INNER_FOLDS, len(set(groups)))
    if folds < 2 or len(set(y[pool])) < 2:
        # Gold from one document (or of one class) leaves nothing to hold out: no calibration,
        # and the models decide at the plain 0.5 of their probabilities.
        reason = "nothing: one document only" if folds < 2 else "nothing: one class only"
        return {"model": None, "threshold": 0.5, "report": {"calibrated_on": reason}}
    raw = np.zeros(len(pool))
    for _, test_k in GroupKFold(n_splits=folds).split(pool, groups=groups):
        held = {groups[k] for k in test_k}
        train = np.array([i for i in np.flatnonzero(named & learns) if group_of(records[int(i)]) not in held])
        if len(train) and len(set(y[train])) == 2:
            raw[test_k] = _linear(x[train], y[train]).decision_function(x[pool[test_k]])
    calibration = LogisticRegression(C=1e4, max_iter=1000).fit(raw.reshape(-1, 1), y[pool])
    proba = calibration.predict_proba(raw.reshape(-1, 1))[:, list(calibration.classes_).index(True)]
    threshold, chosen = choose_threshold(proba, y[pool], positives=int(y[whole].sum()))
    report = {
        "calibrated_on": "whole documents" if len(whole) < len(records) else "all gold documents",
        "documents": len(set(groups)),
        "passages": len(whole),
        "passages_naming_the_basis": len(pool),
        "expectations": int(y[whole].sum()),
        "inner_folds": folds,
        "beta": PRECISION_BETA,
        **chosen,
    }
    return {"model": calibration, "threshold": threshold, "report": report}


def choose_threshold(
    proba: np.ndarray, y: np.ndarray, *, positives: int | None = None
) -> tuple[float, dict[str, float]]:
    """The threshold with the best F-beta (beta 0.5: precision weighs four times as much as recall)
    on held-out passages; `positives` is the number of expectations recall counts (default: in `y`).
    Asking for the best recall at a fixed precision instead chose thresholds that kept a handful of
    passages on small folds."""
    order = np.argsort(-proba, kind="stable")
    scores, tp = proba[order], np.cumsum(y[order])
    total = max(positives if positives is not None else int(y.sum()), 1)
    beta = PRECISION_BETA**2
    best = (-1.0, 0.5, 0.0, 0.0)
    for k in range(len(scores)):
        if (k + 1 < len(scores) and scores[k + 1] == scores[k]) or not tp[k]:
            continue
        precision, recall = tp[k] / (k + 1), tp[k] / total
        f_beta = (1 + beta) * precision * recall / (beta * precision + recall)
        if f_beta > best[0]:
            best = (f_beta, float(scores[k]), float(precision), float(recall))
    threshold = math.floor(best[1] * 10_000) / 10_000  # rounded down: the last passage chosen stays in
    return threshold, {"threshold": threshold, "precision": round(best[2], 4), "recall": round(best[3], 4)}


def fit_balanced(x: Any, y: Sequence[Any], *, binary: bool = False) -> Any:
    """Fit with balanced sample weights, which reach the calibration too: the probabilities are
    calibrated as if the classes were equally common, so 0.5 does not lean on the training mix
    (half constructed sentences) but on the evidence in the passage. Several classes are fitted
    one against the rest, each part with balanced class weights."""
    if not binary:  # one against the rest takes no sample weights; its parts weigh classes themselves
        return make_classifier().fit(x, list(y))
    weights = compute_sample_weight("balanced", list(y))
    return make_classifier(binary=True).fit(x, list(y), sample_weight=weights)


def _enough(index: list[int], labels: list[str]) -> list[int]:
    """Drop classes with fewer examples than calibration needs."""
    counts = Counter(labels)
    return [i for i, label in zip(index, labels) if counts[label] >= MIN_PER_CLASS]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def settings() -> dict[str, Any]:
    """The feature and model settings the manifest records."""
    return {
        "features": f"lemma 1-2-grams ({WORD_FEATURES:,} hashed columns), char_wb 3-5-grams ({CHAR_FEATURES:,} "
        "hashed columns, weight 0.5), both binary and of unit length per passage; "
        "codebook cue counts and actor positions (max-abs scaled, weight 1.5)",
        "expectation": f"logistic regression (C {EXPECTATION_C}, balanced weights; real text only, no "
        "constructed sentences), sigmoid calibration on "
        f"held-out decision values of whole documents ({INNER_FOLDS} grouped folds), threshold of the "
        f"best F{PRECISION_BETA} there; trained and applied only where rule 1 lets an expectation be",
        "other models": "logistic regression (C 4, balanced weights, liblinear; one against the rest for "
        "several classes) calibrated by sigmoid on 3 stratified folds",
        "purpose": "linear-chain CRF (CRFsuite, L-BFGS "
        + ", ".join(f"{k} {v}" for k, v in SPAN_SETTINGS.items() if k != "feature.possible_transitions")
        + ") over BIO labels of the purpose span, trained on gold expectations and goal statements",
    }


def train(
    gold: Sequence[Path],
    out: Path,
    *,
    spacy_model: str | None = None,
    codebook: Path | None = None,
    progress: Progress = quiet,
) -> dict[str, Any]:
    """Train from gold files, save the models into `out`, and return the manifest.

    `progress` is told each step as it starts (training takes minutes on the full gold set).
    """
    records = read_gold(gold)
    progress(f"read {len(records)} gold records from {len(gold)} file(s)")
    nlp = load_nlp(spacy_model)
    tagger = Tagger(nlp, codebook=codebook, models="rules")
    models = fit_models(records, tagger, progress=progress)
    tagger.models = models
    tuning = (models.manifest or {}).get("tuning", {})
    manifest = {
        "sbtext_version": __version__,
        "sklearn_version": sklearn.__version__,
        "spacy_version": spacy.__version__,
        "backend": backend_of(nlp).name,
        "codebook_name": tagger.codebook.name,
        "codebook_sha256": tagger.codebook.sha256,
        "codebook_rules_sha256": tagger.codebook.rules_sha256,
        "training_files": {Path(p).name: file_hash(Path(p)) for p in gold},
        "training_documents": sorted({group_of(r) for r in records if is_whole_document(r)}),
        "thresholds": {"expectation": models.threshold},
        "tuning": tuning,
        "settings": settings(),
        "counts": {
            "records": len(records),
            "expectations": sum(bool(r["expectation"]) for r in records),
            "whole_document_records": sum(is_whole_document(r) for r in records),
            "framing": dict(Counter(r["framing"] for r in records if r["expectation"])),
            "purpose_category": dict(Counter(r["purpose_category"] for r in records if r["purpose_category"])),
            "by_origin": dict(Counter(r.get("origin", Path(r["_file"]).stem) for r in records)),
        },
        "training_set_scores": _training_scores(records, tagger, progress),
        "note": "training_set_scores are measured on the training data and are optimistic; "
        "see annotations/EVALUATION.md for leave-one-document-out estimates.",
    }
    models.manifest = manifest
    progress(f"saving the models into {out}")
    models.save(out, manifest)
    return manifest


def _training_scores(records: Sequence[dict[str, Any]], tagger: Tagger, progress: Progress) -> dict[str, Any]:
    progress("scoring the training data (optimistic by construction)")
    return score(records, predict(tagger, records))
