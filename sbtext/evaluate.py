"""Scores of a tagger against gold records, as `sbtext evaluate` prints them.

Definitions (the same for every gold file, whoever wrote it):
- expectation: precision, recall and F1 of the positive class over all records;
- framing: over gold-positive records; accuracy, and macro-F1 over intrinsic/instrumental/both,
  a predicted "none" counting as wrong;
- purpose: over gold-positive records where gold or prediction is non-empty, the mean word-level
  F1 (0 when one side is empty) and the share of identical normalised spans;
- purpose_category: accuracy over gold records that have a category;
- spheres: micro-F1 over gold-positive records.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score, precision_recall_fscore_support

from sbtext.codebook import FRAMING_CLASSES
from sbtext.errors import SbtextWarning, Warnings
from sbtext.records import Label
from sbtext.tag import Tagger

FRAMES = list(FRAMING_CLASSES)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def token_f1(predicted: str, gold: str) -> float:
    p, g = Counter(words(predicted)), Counter(words(gold))
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def predict(tagger: Tagger, records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tagger's labels for each record's text, tagged as one passage."""
    return [label_fields(label) for label in tagger.tag_many(r["text"] for r in records)]


def label_fields(label: Label) -> dict[str, Any]:
    """The fields of a label that `score` compares with gold."""
    return {
        "expectation": label.expectation,
        "framing": label.framing,
        "purpose": label.purpose,
        "purpose_category": label.purpose_category,
        "spheres": list(label.spheres),
        "expectation_score": label.expectation_score,
        "goal_statement": label.goal_statement,
    }


def score(gold: Sequence[dict[str, Any]], pred: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The scores of `pred` against `gold` (same order)."""
    y_true = [bool(g["expectation"]) for g in gold]
    y_pred = [bool(p["expectation"]) for p in pred]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, average="binary", pos_label=True, zero_division=0
    )
    positive = [(g, p) for g, p in zip(gold, pred) if g["expectation"]]
    framing_true = [g["framing"] for g, _ in positive]
    framing_pred = [p["framing"] for _, p in positive]
    spans = [(g["purpose"], p["purpose"]) for g, p in positive if g["purpose"] or p["purpose"]]
    categories = [(g["purpose_category"], p["purpose_category"]) for g, p in zip(gold, pred) if g["purpose_category"]]
    return {
        "n": len(gold),
        "expectation": {
            "precision": round(float(precision), 4),
            "recall": round(float(recall), 4),
            "f1": round(float(f1), 4),
        },
        "framing": {
            "accuracy": _share(t == p for t, p in zip(framing_true, framing_pred)),
            "macro_f1": round(
                float(f1_score(framing_true, framing_pred, labels=FRAMES, average="macro", zero_division=0)), 4
            )
            if positive
            else 0.0,
        },
        "purpose": {
            "token_f1": round(sum(token_f1(p, g) for g, p in spans) / len(spans), 4) if spans else 0.0,
            "exact": _share(words(g) == words(p) for g, p in spans),
        },
        "purpose_category": {"accuracy": _share(g == p for g, p in categories)},
        "spheres": {"micro_f1": _micro_f1([(set(g["spheres"]), set(p["spheres"])) for g, p in positive])},
    }


def _share(hits: Any) -> float:
    values = list(hits)
    return round(sum(values) / len(values), 4) if values else 0.0


def _micro_f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0


def evaluate(tagger: Tagger, records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return score(records, predict(tagger, records))


def format_scores(scores: dict[str, Any]) -> str:
    lines = [f"records: {scores['n']}"]
    for label, values in scores.items():
        if isinstance(values, dict):
            lines.append(f"{label:<17}" + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))
    return "\n".join(lines)


def training_overlap(gold: Sequence[Path], manifest: dict[str, Any] | None) -> list[SbtextWarning]:
    """A warning per gold file that the models were trained on: the same file (by its hash in the
    manifest) or passages of a whole document they were trained on (by doc_id)."""
    manifest = manifest or {}
    trained = set((manifest.get("training_files") or {}).values())
    documents = set(manifest.get("training_documents") or [])
    out = []
    for path in map(Path, gold):
        found = []
        if hashlib.sha256(path.read_bytes()).hexdigest() in trained:
            found.append("the same file")
        shared = sorted(documents & _doc_ids(path))
        if shared:
            found.append(f"{len(shared)} whole document(s) such as {shared[0]!r}")
        if found:
            out.append(SbtextWarning(Warnings.W007, path=str(path), overlap="; ".join(found)))
    return out


def _doc_ids(path: Path) -> set[str]:
    from sbtext.annotations import read_gold

    return {str(r["doc_id"]) for r in read_gold([path]) if r.get("doc_id") and r.get("unit") == "document"}
