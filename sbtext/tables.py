"""Labelled rows -> pandas DataFrames: the expectation-versus-purpose table and aggregates.

The slide's table (Bron | Verwachting van de sociale basis | Waartoe moet dit dienen?) is built
from a tidy one-row-per-quote table, so that every cell can be traced to its passage.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

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
PART_SOURCES = 100  # sources whose table rows become a frame at a time (`TableBuilder.tables`)


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


class Candidate(NamedTuple):
    """What the tables keep of a passage they may quote: the cells of its quote and its sort keys.

    A tuple, not the passage's row: per source the builder holds a few of these, whatever the
    number of passages it is fed.
    """

    text: str
    purpose: Any
    page: Any
    page_index: Any
    doc_id: Any
    passage_id: Any
    score: Any
    framing: Any
    purpose_category: Any
    char_start: Any
    n: int  # rows fed before it: the tie-breaker that keeps the order of a stable sort


_CANDIDATE_COLUMNS = ["source", *(c if c != "score" else "expectation_score" for c in Candidate._fields[:-1])]


class TableBuilder:
    """The tables built from passages fed in chunks (one document at a time, say).

    Keeps only what the tables can use, so that memory does not grow with the passages: per source
    the `top` strongest distinct expectations and the goal statements that could still be quoted
    (see `_prune_goals`), each as a `Candidate`, and counts for the aggregates. Feeding all
    passages at once or in chunks gives the same tables.
    """

    def __init__(self, top: int = 5) -> None:
        self.top = top
        self._n = 0  # rows seen: the tie-breaker that keeps the order of a stable sort
        self._best: dict[Any, dict[str, Candidate]] = {}  # by the key of its text
        self._goals: dict[Any, list[Candidate]] = {}
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
        rows = passages[wanted][_CANDIDATE_COLUMNS].itertuples(index=False, name=None)
        for i, (source, *cells) in zip(positions.tolist(), rows):
            candidate = _candidate(cells, self._n + i)
            if expected[i]:
                self._keep(source, candidate)
            if goal[i]:
                self._goals[source].append(candidate)
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
            for candidate in sorted(best.values(), key=_rank):
                self._keep(source, candidate._replace(n=candidate.n + shift))
        for source, goals in other._goals.items():
            if goals:
                shifted = [g._replace(n=g.n + shift) for g in goals]
                self._goals[source] = _prune_goals(self._goals[source] + shifted, self.top)
        self._framing.update(other._framing)
        self._purpose.update(other._purpose)
        self._spheres.update(other._spheres)
        self._n += other._n

    def _keep(self, source: Any, candidate: Candidate) -> None:
        """Keep an expectation if it is among the `top` strongest of its source with distinct text."""
        best, key, rank = self._best[source], _key(candidate.text), _rank(candidate)
        if key in best and _rank(best[key]) <= rank:
            return
        best[key] = candidate
        if len(best) > self.top:
            del best[max(best, key=lambda k: _rank(best[k]))]

    def _count(self, passages: pd.DataFrame, expected: Any) -> None:
        """Add the chunk's counts: framings per source and spheres per framing of its
        expectations, purpose categories per source. A row without a key is not counted, as in a
        group-by; counted in Python, since a group-by per chunk and key costs more than the rows.
        Keys are interned: a counter keeps the key of its first row, one string per row otherwise."""
        sources, framings, categories = (
            [_intern(v) for v in passages[column].tolist()] for column in ("source", "framing", "purpose_category")
        )
        spheres = passages["spheres"].tolist()
        for k in np.flatnonzero(expected).tolist():
            source, framing = sources[k], framings[k]
            if _is_key(framing):
                if _is_key(source):
                    self._framing[source, framing] += 1
                for sphere in str(spheres[k]).split(";") if _is_key(spheres[k]) else ():
                    if sphere in SPHERES:
                        self._spheres[sphere, framing] += 1
        for source, category in zip(sources, categories):
            if _is_key(category) and category != "" and _is_key(source):
                self._purpose[source, category] += 1

    def expectations_long(self) -> pd.DataFrame:
        """One row per quote: the top expectations per source, then their purposes and goals."""
        return _long_frame([row for _, rows in self._quotes(release=False) for row in rows])

    def tables(
        self, passages: Any, documents: pd.DataFrame, errors: pd.DataFrame, *, release: bool = False
    ) -> dict[str, Any]:
        """Every table by file name, in the workbook's order (`sbtext.labels.SHEETS`: the expectation
        table first, the passages last); `passages` goes in as given.

        The slide's table is made from the rows of the long table as they come, and both become
        frames PART_SOURCES sources at a time, so that only those sources' rows are held as Python
        objects beside the frames. With `release` (the end of a run) the builder lets go of what it
        kept as the tables are made, and is empty afterwards.
        """
        longs: list[pd.DataFrame] = []
        slides: list[pd.DataFrame] = []
        rows: list[tuple[Any, ...]] = []
        table: list[list[Any]] = []
        for source, quotes in self._quotes(release=release):
            rows += quotes
            if quotes:
                table.append(_table_row(source, (quote[1:4] for quote in quotes)))
            if len(table) == PART_SOURCES:
                longs.append(_long_frame(rows))
                slides.append(pd.DataFrame(table, columns=TABLE_COLUMNS))
                rows, table = [], []
        longs.append(_long_frame(rows))
        slides.append(pd.DataFrame(table, columns=TABLE_COLUMNS))
        del rows, table
        tables = {
            "expectations": _joined(slides),
            "expectations_long": _joined(longs),
            "documents": documents,
            "framing_by_source": self.framing_by_source(),
            "purpose_by_source": self.purpose_by_source(),
            "spheres_by_framing": self.spheres_by_framing(),
            "errors": errors,
            "passages": passages,
        }
        if release:
            for counts in (self._framing, self._purpose, self._spheres):
                counts.clear()
        return tables

    def _quotes(self, *, release: bool) -> Iterator[tuple[Any, list[tuple[Any, ...]]]]:
        """Each source with its rows of the long table; with `release` a source's candidates are let
        go of once its rows are made."""
        for source in list(self._best):
            chosen = sorted(self._best[source].values(), key=_rank)
            rows = [_quote(source, "verwachting", c.text, c) for c in chosen]
            rows += _purposes(source, chosen, sorted(self._goals[source], key=_order), self.top)
            if release:
                del self._best[source], self._goals[source]
            yield source, rows

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


def _candidate(cells: list[Any], n: int) -> Candidate:
    """A candidate from the cells of its row (in the order of `_CANDIDATE_COLUMNS` after the source),
    with one string object per document id, page and label, not one per row: a string column hands
    out a new object for each row it gives."""
    text, purpose, page, page_index, doc_id, passage_id, score, framing, category, char_start = cells
    return Candidate(
        text,
        purpose,
        _intern(page),
        page_index,
        _intern(doc_id),
        passage_id,
        score,
        _intern(framing),
        _intern(category),
        char_start,
        n,
    )


def _intern(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


def _rank(candidate: Candidate) -> tuple[Any, ...]:
    """The order of expectations in the table: strongest first, then in the order of the text."""
    score, missing = candidate.score, not _is_key(candidate.score)
    return (missing, 0.0 if missing else -score, *_order(candidate))


def _order(candidate: Candidate) -> tuple[Any, ...]:
    """The order of the text: document, page, offset, then the order the rows came in."""
    return candidate.doc_id, candidate.page_index, candidate.char_start, candidate.n


def _keys(candidate: Candidate) -> tuple[str, str]:
    return _key(candidate.text), _key(candidate.purpose)


def _prune_goals(goals: list[Candidate], top: int) -> list[Candidate]:
    """The goal statements, in order, without those the table can never quote.

    `_purposes` quotes goals in order after the C chosen expectations until it has 2*top quotes,
    so it stops after 2*top - C goals; it skips a goal whose text or purpose is already in its
    skip set: the purposes of the chosen expectations (at most C keys) and the texts of the goals
    it quoted. Take m earlier goals with pairwise distinct keys: each was quoted, or skipped on a
    key in that set, and each key skips at most one of them; a quoted one among them skips none of
    the others. So m <= (goals quoted) + C, and when the scan reaches a goal, fewer than 2*top - C
    were quoted: m < 2*top. The same holds for earlier goals that all share its text (only one of
    them could be quoted, and then it is skipped) or all share its purpose. Hence a goal is never
    quoted if an earlier one has the same text and purpose, if 2*top earlier ones share its text
    (or its purpose), or if 2*top earlier ones have pairwise distinct keys. What remains is
    bounded by top, whatever the number of passages.
    """
    limit = 2 * top
    kept: list[Candidate] = []
    pairs: set[tuple[str, str]] = set()
    texts: Counter[str] = Counter()
    purposes: Counter[str] = Counter()
    disjoint: set[str] = set()
    n_disjoint = 0
    for goal in sorted(goals, key=_order):
        if n_disjoint >= limit:
            break
        text, purpose = _keys(goal)
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


def _purposes(source: Any, chosen: list[Candidate], goals: list[Candidate], top: int) -> list[tuple[Any, ...]]:
    """Beside each expectation its own purpose (empty where it states none), then the document's
    goal statements that state a concrete end, marked "doel: ...", until 2 * top quotes."""
    rows, seen = [], set()
    for c in chosen:
        rows.append(_quote(source, "waartoe", c.purpose or "", c))
        if c.purpose:
            seen.add(_key(c.purpose))
    for goal in goals:
        if len(rows) >= 2 * top:
            break
        text, purpose = _keys(goal)
        if text not in seen and purpose not in seen:
            seen.add(text)
            rows.append(_quote(source, "waartoe", GOAL_PREFIX + goal.text, goal))
    return rows


def concrete_ends(passages: pd.DataFrame) -> pd.Series:
    """Whether each passage's purpose states a concrete end: at least MIN_END_WORDS words and a
    category other than "other" ("De doelen in deze agenda zijn groot." states none)."""
    purpose = passages["purpose"].fillna("").astype(str)
    long_enough = purpose.str.count(r"\w+") >= MIN_END_WORDS
    category = passages["purpose_category"].fillna("").astype(str)
    return long_enough & ~category.isin(["", "other"])


def _quote(source: Any, column: str, quote: str, c: Candidate) -> tuple[Any, ...]:
    """A row of the long table (the columns of LONG_COLUMNS)."""
    return (
        source,
        column,
        quote,
        str(c.page),
        c.page_index,
        c.doc_id,
        c.passage_id,
        c.score,
        c.framing,
        c.purpose_category,
    )


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
    rows = [
        _table_row(source, zip(group["column"], group["quote"], group["page"]))
        for source, group in long.groupby("source", sort=False)
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _table_row(source: Any, quotes: Iterable[tuple[Any, ...]]) -> list[Any]:
    """A source's row of the slide's table from the (column, quote, page) of its quotes, in order."""
    lines: dict[str, list[str]] = {}
    for column, quote, page in quotes:
        lines.setdefault(column, []).append(f"{quote} (p. {page})" if quote else NO_PURPOSE)
    return [source, "\n".join(lines.get("verwachting", [])), "\n".join(lines.get("waartoe", []))]


def _joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The parts of a table as one frame, as if made at once: their string columns are joined
    without a copy; should a part's column have another type than the others' (all of it missing,
    say), the frame is made again from every row."""
    parts = [part for part in parts if len(part)] or parts[:1]
    if all(part.dtypes.equals(parts[0].dtypes) for part in parts):
        return pd.concat(parts, ignore_index=True)
    rows = [row for part in parts for row in part.itertuples(index=False, name=None)]
    return pd.DataFrame(rows, columns=list(parts[0].columns))


def _long_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """The long table from its rows (tuples in the order of LONG_COLUMNS: a dict per row would take
    three times the memory)."""
    return pd.DataFrame(rows, columns=LONG_COLUMNS) if rows else frame([], LONG_COLUMNS)


def framing_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of expectation framings per source, with the share that is instrumental only."""
    return built(passages).framing_by_source()


def purpose_by_source(passages: pd.DataFrame) -> pd.DataFrame:
    """Counts of purpose categories per source (expectations and goal statements)."""
    return built(passages).purpose_by_source()


def spheres_by_framing(passages: pd.DataFrame) -> pd.DataFrame:
    """How often each sphere is named in expectations of each framing."""
    return built(passages).spheres_by_framing()
