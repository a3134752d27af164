"""Labelled rows -> pandas DataFrames: the expectation-versus-purpose table and aggregates.

The slide's table (Bron | Verwachting van de sociale basis | Waartoe moet dit dienen?) is built
from a tidy one-row-per-quote table, so that every cell can be traced to its passage.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sbtext.codebook import CATEGORIES, FRAMING_CLASSES, SPHERES
from sbtext.records import PASSAGE_COLUMNS, PassageRecord

TABLE_COLUMNS = ["Bron", "Verwachting van de sociale basis", "Waartoe moet dit dienen?"]
DOCUMENT_COLUMNS = [
    "doc_id",
    "path",
    "source",
    "title",
    "doc_type",
    "date",
    "kenmerk",
    "url",
    "description",
    "format",
    "page_numbering",
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
    "page_index",
    "doc_id",
    "passage_id",
    "score",
    "framing",
    "purpose_category",
]
FRAMING_ORDER = list(FRAMING_CLASSES)
GOAL_PREFIX = "doel: "  # a goal statement of the document in the "Waartoe" column
NO_PURPOSE = "–"  # beside an expectation that states no end of its own
MIN_END_WORDS = 3


def frame(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame with the given columns first, in that order."""
    rows = list(rows)
    if rows and set(rows[0]) == set(columns) and all(r.keys() == rows[0].keys() for r in rows):
        # Every row has just these columns (a document's passages, say): built column by column,
        # without pandas looking for the columns of each row.
        return pd.DataFrame({c: [r[c] for r in rows] for c in columns})
    df = pd.DataFrame(rows)
    for column in columns:
        if column not in df.columns:
            df[column] = pd.Series(dtype="object")
    return df[columns + [c for c in df.columns if c not in columns]]


def passage_frame(records: list[PassageRecord]) -> pd.DataFrame:
    """Passage records as a DataFrame with the columns of `passages.csv`."""
    return frame(records, PASSAGE_COLUMNS)


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


class TableBuilder:
    """The tables built from passages fed in chunks (one document at a time, say).

    Keeps only what the tables can use, so that memory does not grow with the passages: per source
    the `top` strongest distinct expectations and the goal statements that could still be quoted
    (see `_prune_goals`), and counts for the aggregates. Feeding all passages at once or in chunks
    gives the same tables.
    """

    def __init__(self, top: int = 5) -> None:
        self.top = top
        self._n = 0  # rows seen: the tie-breaker that keeps the order of a stable sort
        self._best: dict[Any, dict[str, tuple[tuple[Any, ...], dict[str, Any]]]] = {}
        self._goals: dict[Any, list[_Goal]] = {}
        self._framing: Counter[tuple[Any, Any]] = Counter()
        self._purpose: Counter[tuple[Any, Any]] = Counter()
        self._spheres: Counter[tuple[Any, Any]] = Counter()

    def add(self, passages: pd.DataFrame) -> None:
        """Take in a chunk of passage rows (the columns of PASSAGE_COLUMNS)."""
        if passages.empty or "expectation" not in passages:
            return
        for source in passages["source"].dropna().unique():
            self._best.setdefault(source, {})
            self._goals.setdefault(source, [])
        expected = passages["expectation"].astype(bool).to_numpy()
        goal = (passages["goal_statement"].astype(bool) & concrete_ends(passages)).to_numpy()
        wanted = (expected | goal) & passages["source"].notna().to_numpy()
        positions = np.flatnonzero(wanted)
        for i, row in zip(positions, _rows(passages[wanted])):
            if expected[i]:
                self._offer(row, self._n + int(i))
            if goal[i]:
                order = (row["doc_id"], row["page_index"], row["char_start"], self._n + int(i))
                self._goals[row["source"]].append(_Goal(order, row))
        self._n += len(passages)
        for source in passages.loc[goal, "source"].dropna().unique():
            self._goals[source] = _prune_goals(self._goals[source], self.top)
        self._count(passages, expected)

    def merge(self, other: TableBuilder) -> None:
        """Take in a builder fed with the passages that follow this one's (the next partition of a run).

        The same tables come out as if this builder had been fed those passages itself.
        """
        shift = self._n
        for source, best in other._best.items():
            self._best.setdefault(source, {})
            self._goals.setdefault(source, [])
            for order, row in sorted(best.values(), key=lambda x: x[0]):
                self._keep(row, (*order[:-1], order[-1] + shift))
        for source, goals in other._goals.items():
            if goals:
                shifted = [_Goal((*g.order[:-1], g.order[-1] + shift), g.row) for g in goals]
                self._goals[source] = _prune_goals(self._goals[source] + shifted, self.top)
        self._framing.update(other._framing)
        self._purpose.update(other._purpose)
        self._spheres.update(other._spheres)
        self._n += other._n

    def _offer(self, row: dict[str, Any], n: int) -> None:
        """Keep the row if it is among the `top` strongest expectations of its source with distinct text."""
        score = row["expectation_score"]
        order = (
            pd.isna(score),
            0.0 if pd.isna(score) else -score,
            row["doc_id"],
            row["page_index"],
            row["char_start"],
            n,
        )
        self._keep(row, order)

    def _keep(self, row: dict[str, Any], order: tuple[Any, ...]) -> None:
        best, key = self._best[row["source"]], _key(row["text"])
        if key in best and best[key][0] <= order:
            return
        best[key] = (order, row)
        if len(best) > self.top:
            del best[max(best, key=lambda k: best[k][0])]

    def _count(self, passages: pd.DataFrame, expected: Any) -> None:
        """Add the chunk's counts: framings per source and spheres per framing of its
        expectations, purpose categories per source. A row without a key is not counted, as in a
        group-by; counted in Python, since a group-by per chunk and key costs more than the rows."""
        sources, framings = passages["source"].tolist(), passages["framing"].tolist()
        spheres = passages["spheres"].tolist()
        for k in np.flatnonzero(expected).tolist():
            source, framing = sources[k], framings[k]
            if _is_key(framing):
                if _is_key(source):
                    self._framing[source, framing] += 1
                for sphere in str(spheres[k]).split(";") if _is_key(spheres[k]) else ():
                    if sphere in SPHERES:
                        self._spheres[sphere, framing] += 1
        for source, category in zip(sources, passages["purpose_category"].tolist()):
            if _is_key(category) and category != "" and _is_key(source):
                self._purpose[source, category] += 1

    def expectations_long(self) -> pd.DataFrame:
        """One row per quote: the top expectations per source, then their purposes and goals."""
        rows: list[dict[str, Any]] = []
        for source, best in self._best.items():
            chosen = [row for _, row in sorted(best.values(), key=lambda x: x[0])]
            rows += [_quote(source, "verwachting", r["text"], r) for r in chosen]
            rows += _purposes(source, chosen, sorted(self._goals[source]), self.top)
        return frame(rows, LONG_COLUMNS)

    def tables(self, passages: Any, documents: pd.DataFrame, errors: pd.DataFrame) -> dict[str, Any]:
        """Every table by file name, in the workbook's order (`sbtext.labels.SHEETS`: the expectation
        table first, the passages last); `passages` goes in as given."""
        long = self.expectations_long()
        return {
            "expectations": expectation_table(long),
            "expectations_long": long,
            "documents": documents,
            "framing_by_source": self.framing_by_source(),
            "purpose_by_source": self.purpose_by_source(),
            "spheres_by_framing": self.spheres_by_framing(),
            "errors": errors,
            "passages": passages,
        }

    def framing_by_source(self) -> pd.DataFrame:
        """Counts of expectation framings per source, with the share that is instrumental only."""
        table = _crosstab(self._framing, "source", "framing").reindex(columns=FRAMING_ORDER, fill_value=0)
        table["expectations"] = table.sum(axis=1)
        table["share_instrumental"] = (
            table["instrumental"] / table["expectations"].where(table["expectations"] > 0)
        ).round(3)
        return table.reset_index().rename_axis(columns=None)

    def purpose_by_source(self) -> pd.DataFrame:
        """Counts of purpose categories per source (expectations and goal statements)."""
        table = _crosstab(self._purpose, "source", "purpose_category")
        table = table.reindex(columns=[c for c in CATEGORIES if c in table.columns], fill_value=0)
        return table.reset_index().rename_axis(columns=None)

    def spheres_by_framing(self) -> pd.DataFrame:
        """How often each sphere is named in expectations of each framing."""
        table = _crosstab(self._spheres, "sphere", "framing").reindex(
            index=list(SPHERES), columns=FRAMING_ORDER, fill_value=0
        )
        return table.reset_index().rename_axis(columns=None)


@dataclass(frozen=True, order=True)
class _Goal:
    order: tuple[Any, ...]
    row: dict[str, Any] = field(compare=False)

    @property
    def keys(self) -> tuple[str, str]:
        return _key(self.row["text"]), _key(self.row["purpose"])


_QUOTED = ["text", "purpose", "page", "doc_id", "passage_id", "expectation_score", "framing", "purpose_category"]


def _rows(passages: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """The columns a quote needs, and its sort keys, row by row."""
    columns = ["source", *_QUOTED, "page_index", "char_start"]
    for values in passages[columns].itertuples(index=False, name=None):
        yield dict(zip(columns, values))


def _prune_goals(goals: list[_Goal], top: int) -> list[_Goal]:
    """The goal statements, in order, without those the table can never quote.

    `_purposes` quotes goals in order until it has 2*top quotes, skipping a goal whose text or
    purpose is already quoted: at most `top` expectation purposes and the goals before it, so fewer
    than 3*top such keys when it looks at a goal. Hence a goal is never quoted if an earlier one has
    the same text and purpose, if 3*top earlier ones share its text (or its purpose), or if 3*top
    earlier ones have pairwise distinct keys: each of those put a key into the skip set, or was
    skipped on one. What remains is bounded by top, whatever the number of passages.
    """
    limit = 3 * top
    kept: list[_Goal] = []
    pairs: set[tuple[str, str]] = set()
    texts: Counter[str] = Counter()
    purposes: Counter[str] = Counter()
    disjoint: set[str] = set()
    n_disjoint = 0
    for goal in sorted(goals):
        if n_disjoint >= limit:
            break
        text, purpose = goal.keys
        if (text, purpose) in pairs or texts[text] >= limit or purposes[purpose] >= limit:
            continue
        pairs.add((text, purpose))
        texts[text] += 1
        purposes[purpose] += 1
        kept.append(goal)
        if not {text, purpose} & disjoint:
            disjoint |= {text, purpose}
            n_disjoint += 1
    return kept


def _purposes(source: Any, chosen: list[dict[str, Any]], goals: list[_Goal], top: int) -> list[dict[str, Any]]:
    """Beside each expectation its own purpose (empty where it states none), then the document's
    goal statements that state a concrete end, marked "doel: ...", until 2 * top quotes."""
    rows, seen = [], set()
    for r in chosen:
        rows.append(_quote(source, "waartoe", r["purpose"] or "", r))
        if r["purpose"]:
            seen.add(_key(r["purpose"]))
    for goal in goals:
        if len(rows) >= 2 * top:
            break
        text, purpose = goal.keys
        if text not in seen and purpose not in seen:
            seen.add(text)
            rows.append(_quote(source, "waartoe", GOAL_PREFIX + goal.row["text"], goal.row))
    return rows


def concrete_ends(passages: pd.DataFrame) -> pd.Series:
    """Whether each passage's purpose states a concrete end: at least MIN_END_WORDS words and a
    category other than "other" ("De doelen in deze agenda zijn groot." states none)."""
    purpose = passages["purpose"].fillna("").astype(str)
    long_enough = purpose.str.count(r"\w+") >= MIN_END_WORDS
    category = passages["purpose_category"].fillna("").astype(str)
    return long_enough & ~category.isin(["", "other"])


def _quote(source: Any, column: str, quote: str, r: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": source,
        "column": column,
        "quote": quote,
        "page": str(r["page"]),
        "page_index": r["page_index"],
        "doc_id": r["doc_id"],
        "passage_id": r["passage_id"],
        "score": r["expectation_score"],
        "framing": r["framing"],
        "purpose_category": r["purpose_category"],
    }


def _is_key(value: Any) -> bool:
    """Whether a value can be a group's key (a group-by leaves out missing ones)."""
    return value is not None and value is not pd.NA and not (isinstance(value, float) and value != value)


def _crosstab(counts: Counter[tuple[Any, Any]], index: str, columns: str) -> pd.DataFrame:
    """What `pd.crosstab` gives for rows holding these (index, column) pairs this often."""
    if not counts:
        return pd.DataFrame(index=pd.Index([], name=index), columns=pd.Index([], name=columns), dtype="int64")
    keys = pd.MultiIndex.from_tuples(list(counts), names=[index, columns])
    return pd.Series(list(counts.values()), index=keys, dtype="int64").unstack(fill_value=0).sort_index()


def built(passages: pd.DataFrame, *, top: int = 5) -> TableBuilder:
    """A TableBuilder fed with all the passages at once."""
    builder = TableBuilder(top)
    builder.add(passages)
    return builder


def expectations_long(passages: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """One row per quote: the top expectations per source, then their purposes and goals."""
    return built(passages, top=top).expectations_long()


def expectation_table(long: pd.DataFrame) -> pd.DataFrame:
    """The slide's table: one row per source, quotes with "(p. N)" separated by newlines; the n-th
    line of "Waartoe" is the purpose of the n-th expectation ("–" when it states none), goal
    statements follow."""
    rows = []
    for source, group in long.groupby("source", sort=False):
        cells = {
            column: "\n".join(f"{q} (p. {p})" if q else NO_PURPOSE for q, p in zip(part["quote"], part["page"]))
            for column, part in group.groupby("column", sort=False)
        }
        rows.append([source, cells.get("verwachting", ""), cells.get("waartoe", "")])
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def framing_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of expectation framings per source, with the share that is instrumental only."""
    return built(passages).framing_by_source()


def purpose_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of purpose categories per source (expectations and goal statements)."""
    return built(passages).purpose_by_source()


def spheres_by_framing(passages: pd.DataFrame) -> pd.DataFrame:
    """How often each sphere is named in expectations of each framing."""
    return built(passages).spheres_by_framing()
