"""Inter-annotator agreement between two JSONL files, matched by id.

Cohen's kappa for expectation, framing and each sphere; plain agreement on purpose category
(over records where either annotator gave one); mean token-F1 between purpose spans (over
records where either gave one). Disagreements come back as a DataFrame, one row per field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from sbtext.annotations import read_gold
from sbtext.codebook import SPHERES
from sbtext.errors import Errors, SbtextError
from sbtext.evaluate import token_f1


def _kappa(a: list[Any], b: list[Any]) -> float:
    if len(set(a) | set(b)) < 2:
        return 1.0
    return round(float(cohen_kappa_score(a, b)), 4)


def agreement(path_a: Path, path_b: Path) -> tuple[dict[str, Any], pd.DataFrame]:
    """Scores and disagreements of two annotation files over their shared ids."""
    a = {r["id"]: r for r in read_gold([path_a], skip_duplicates=True)}
    b = {r["id"]: r for r in read_gold([path_b], skip_duplicates=True)}
    ids = sorted(set(a) & set(b))
    if not ids:
        raise SbtextError(Errors.E060, path=f"{path_a}, {path_b}", detail="the two files share no record ids")
    pairs = [(a[i], b[i]) for i in ids]
    scores: dict[str, Any] = {
        "n": len(ids),
        "expectation_kappa": _kappa([x["expectation"] for x, _ in pairs], [y["expectation"] for _, y in pairs]),
        "framing_kappa": _kappa([x["framing"] for x, _ in pairs], [y["framing"] for _, y in pairs]),
    }
    for sphere in SPHERES:
        scores[f"sphere_{sphere}_kappa"] = _kappa(
            [sphere in x["spheres"] for x, _ in pairs], [sphere in y["spheres"] for _, y in pairs]
        )
    with_category = [(x, y) for x, y in pairs if x["purpose_category"] or y["purpose_category"]]
    scores["purpose_category_agreement"] = (
        round(sum(x["purpose_category"] == y["purpose_category"] for x, y in with_category) / len(with_category), 4)
        if with_category
        else 1.0
    )
    with_purpose = [(x, y) for x, y in pairs if x["purpose"] or y["purpose"]]
    scores["purpose_token_f1"] = (
        round(sum(token_f1(x["purpose"], y["purpose"]) for x, y in with_purpose) / len(with_purpose), 4)
        if with_purpose
        else 1.0
    )
    return scores, _disagreements(pairs)


def _disagreements(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> pd.DataFrame:
    rows = []
    for x, y in pairs:
        for field in ("expectation", "framing", "purpose", "purpose_category", "spheres"):
            vx, vy = x[field], y[field]
            if field == "spheres":
                vx, vy = ";".join(sorted(vx)), ";".join(sorted(vy))
            if vx != vy:
                rows.append({"id": x["id"], "field": field, "a": vx, "b": vy, "text": x["text"]})
    return pd.DataFrame(rows, columns=["id", "field", "a", "b", "text"])


def format_agreement(scores: dict[str, Any]) -> str:
    width = max(map(len, scores), default=0) + 2
    return "\n".join(f"{k:<{width}}{v}" for k, v in scores.items())
