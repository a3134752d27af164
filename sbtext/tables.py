"""Labelled rows -> pandas DataFrames: the expectation-versus-purpose table and aggregates.

The slide's table (Bron | Verwachting van de sociale basis | Waartoe moet dit dienen?) is built
from a tidy one-row-per-quote table, so that every cell can be traced to its passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from sbtext.codebook import CATEGORIES, SPHERES

TABLE_COLUMNS = ["Bron", "Verwachting van de sociale basis", "Waartoe moet dit dienen?"]
PASSAGE_COLUMNS = [
    "doc_id",
    "source",
    "page",
    "page_index",
    "passage_id",
    "paragraph",
    "kind",
    "section",
    "char_start",
    "char_end",
    "text",
    "context",
    "expectation",
    "expectation_score",
    "framing",
    "score_intrinsic",
    "score_instrumental",
    "score_both",
    "purpose",
    "purpose_start",
    "purpose_end",
    "purpose_category",
    "spheres",
    "actors",
    "goal_statement",
    "cues",
    "cue_offsets",
]
DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "source",
    "title",
    "doc_type",
    "date",
    "kenmerk",
    "url",
    "format",
    "n_pages",
    "n_passages",
    "n_expectations",
    "sha256",
    "status",
]
ERROR_COLUMNS = ["doc_id", "path", "stage", "code", "page", "message"]
LONG_COLUMNS = [
    "source",
    "column",
    "quote",
    "page",
    "doc_id",
    "passage_id",
    "score",
    "framing",
    "purpose_category",
]
FRAMING_ORDER = ["intrinsic", "instrumental", "both"]


def frame(rows: Iterable[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame with the given columns first, in that order."""
    df = pd.DataFrame(list(rows))
    for column in columns:
        if column not in df.columns:
            df[column] = pd.Series(dtype="object")
    return df[columns + [c for c in df.columns if c not in columns]]


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def expectations_long(passages: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """One row per quote: the top expectations per source, then their purposes and goals."""
    rows: list[dict[str, Any]] = []
    if passages.empty or "expectation" not in passages:
        return frame(rows, LONG_COLUMNS)
    for source, group in passages.groupby("source", sort=False):
        chosen = _top_expectations(group, top)
        rows += [_quote(source, "verwachting", r["text"], r) for _, r in chosen.iterrows()]
        rows += _purposes(source, chosen, group, top)
    return frame(rows, LONG_COLUMNS)


def _top_expectations(group: pd.DataFrame, top: int) -> pd.DataFrame:
    found = group[group["expectation"].astype(bool)]
    found = found.sort_values(
        ["expectation_score", "doc_id", "page_index", "char_start"], ascending=[False, True, True, True], kind="stable"
    )
    found = found[~found["text"].map(_key).duplicated()]
    return found.head(top)


def _purposes(source: Any, chosen: pd.DataFrame, group: pd.DataFrame, top: int) -> list[dict[str, Any]]:
    rows, seen = [], set()
    for _, r in chosen.iterrows():
        if r["purpose"] and _key(r["purpose"]) not in seen:
            seen.add(_key(r["purpose"]))
            rows.append(_quote(source, "waartoe", r["purpose"], r))
    goals = group[group["goal_statement"].astype(bool) & (group["purpose"] != "")]
    goals = goals.sort_values(["doc_id", "page_index", "char_start"], kind="stable")
    for _, r in goals.iterrows():
        if len(rows) >= 2 * top:
            break
        if _key(r["text"]) not in seen and _key(r["purpose"]) not in seen:
            seen.add(_key(r["text"]))
            rows.append(_quote(source, "waartoe", r["text"], r))
    return rows


def _quote(source: Any, column: str, quote: str, r: pd.Series) -> dict[str, Any]:
    return {
        "source": source,
        "column": column,
        "quote": quote,
        "page": str(r["page"]),
        "doc_id": r["doc_id"],
        "passage_id": r["passage_id"],
        "score": r["expectation_score"],
        "framing": r["framing"],
        "purpose_category": r["purpose_category"],
    }


def expectation_table(long: pd.DataFrame) -> pd.DataFrame:
    """The slide's table: one row per source, quotes with "(p. N)" separated by newlines."""
    rows = []
    for source, group in long.groupby("source", sort=False):
        cells = {
            column: "\n".join(f"{q} (p. {p})" for q, p in zip(part["quote"], part["page"]))
            for column, part in group.groupby("column", sort=False)
        }
        rows.append([source, cells.get("verwachting", ""), cells.get("waartoe", "")])
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def framing_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of expectation framings per source, with the share that is instrumental only."""
    found = passages[passages["expectation"].astype(bool)] if not passages.empty else passages
    table = pd.crosstab(found["source"], found["framing"]).reindex(columns=FRAMING_ORDER, fill_value=0)
    table["expectations"] = table.sum(axis=1)
    table["share_instrumental"] = (
        table["instrumental"] / table["expectations"].where(table["expectations"] > 0)
    ).round(3)
    return table.reset_index().rename_axis(columns=None)


def purpose_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of purpose categories per source (expectations and goal statements)."""
    found = passages[passages["purpose_category"].fillna("") != ""]
    table = pd.crosstab(found["source"], found["purpose_category"])
    table = table.reindex(columns=[c for c in CATEGORIES if c in table.columns], fill_value=0)
    return table.reset_index().rename_axis(columns=None)


def spheres_by_framing(passages: pd.DataFrame) -> pd.DataFrame:
    """How often each sphere is named in expectations of each framing."""
    found = passages[passages["expectation"].astype(bool)].copy()
    found["sphere"] = found["spheres"].fillna("").str.split(";")
    found = found.explode("sphere")
    found = found[found["sphere"].isin(SPHERES)]
    table = pd.crosstab(found["sphere"], found["framing"]).reindex(
        index=list(SPHERES), columns=FRAMING_ORDER, fill_value=0
    )
    return table.reset_index().rename_axis(columns=None)
