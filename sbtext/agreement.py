"""Inter-annotator agreement between annotation JSONL files, matched by id.

Two files: Cohen's kappa for expectation, framing and each sphere; plain agreement on purpose
category (over records where either annotator gave one); mean token-F1 between purpose spans
(over records where either gave one). Two or more files: Krippendorff's alpha (nominal, from the
`krippendorff` package) for the same fields, over every id that at least two files labelled;
an id that only some files hold still counts where two or more coded it, and the ids missing
from each file are reported. Disagreements come back as a DataFrame, one row per field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
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
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
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
    scores["only_in_a"] = len(only_a)
    scores["only_in_b"] = len(only_b)
    return scores, _disagreements(pairs)


def coverage(paths: list[Path]) -> dict[str, Any]:
    """Which ids each file lacks that another file has (labelled records only)."""
    files = [{r["id"] for r in read_gold([p], skip_duplicates=True)} for p in paths]
    every = set().union(*files)
    return {
        "ids": len(every),
        "ids_in_all_files": len(set.intersection(*files)) if files else 0,
        "missing": {str(p): sorted(every - ids) for p, ids in zip(paths, files) if every - ids},
    }


ALPHA_FIELDS = ("expectation", "framing", "purpose_category", *(f"sphere:{s}" for s in SPHERES))


def alpha(paths: list[Path]) -> dict[str, Any]:
    """Krippendorff's alpha (nominal) per field over two or more files; missing ids are missing values."""
    if len(paths) < 2:
        raise SbtextError(Errors.E060, path=", ".join(map(str, paths)), detail="agreement needs two or more files")
    coders = [{r["id"]: r for r in read_gold([p], skip_duplicates=True)} for p in paths]
    ids = sorted(i for i in set().union(*coders) if sum(i in c for c in coders) >= 2)
    if not ids:
        raise SbtextError(Errors.E060, path=", ".join(map(str, paths)), detail="no record id is labelled in two files")
    scores: dict[str, Any] = {"coders": len(paths), "units": len(ids)}
    for name in ALPHA_FIELDS:
        values = [[_value(c.get(i), name) for i in ids] for c in coders]
        scores[f"{name.replace(':', '_')}_alpha"] = _alpha(values)
    return scores


def _value(record: dict[str, Any] | None, name: str) -> str | None:
    if record is None:
        return None
    if name.startswith("sphere:"):
        return str(name.split(":", 1)[1] in record["spheres"])
    return str(record[name])


def _alpha(values: list[list[str | None]]) -> float:
    """Nominal alpha; 1.0 when every coder gave one and the same value throughout (no variation to measure)."""
    labels = sorted({v for row in values for v in row if v is not None})
    if len(labels) < 2:
        return 1.0
    codes = {v: k for k, v in enumerate(labels)}
    data = np.array([[codes[v] if v is not None else np.nan for v in row] for row in values], dtype=float)
    return round(float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")), 4)


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
