"""DataFrames -> CSV / XLSX / Markdown / HTML / JSON, each written atomically.

Every file is written to a temporary name in the target folder and renamed into place, so a
crash never leaves half a table. CSVs are UTF-8 with "\\n" line ends and a stable column order;
the Excel variant (`--excel-csv`) adds a BOM and uses semicolons, as Dutch Excel expects.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from sbtext.errors import SbtextWarning, Warnings
from sbtext.outdir import check_out_dir
from sbtext.xlsx import EXCEL_CELL as EXCEL_CELL
from sbtext.xlsx import SHEET_TITLE, Workbook, Worksheet, fit_text


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it onto `path` when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; an output is not
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(text: str, path: Path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


FORMULA_START = re.compile(r"^\s*[=+\-@\t\r]")
"""A text Excel would take for a formula: OWASP's list of first characters, also after blanks."""


def neutralise_formula(value: object) -> object:
    """A text cell that Excel would run as a formula, prefixed with a single quote (OWASP).

    Only text is touched: numbers (-0.5) stay numbers. The quote shows in the cell, as it should:
    the reader sees that the text was not a formula.
    """
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with every text cell passed through `neutralise_formula`, for the Dutch-Excel CSVs."""
    text = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)]
    if not text:
        return df
    return df.assign(**{str(c): df[c].map(neutralise_formula) for c in text})


NO_OFFSET_COLUMNS = ("purpose_start", "purpose_end")
"""Offsets that are -1 when there is nothing to point at (no purpose); empty for Excel."""


DUTCH_EXCEL: dict[str, Any] = {"sep": ";", "decimal": ",", "lineterminator": "\n"}
"""pandas `to_csv` options for Dutch Excel (the file itself is UTF-8 with a byte-order mark)."""


def dutch_excel_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The values of `df` as Dutch Excel reads them, and safe to open in it.

    Booleans become WAAR/ONWAAR, a missing offset (-1) an empty cell, and a text that Excel
    would run as a formula is neutralised (`excel_safe`); the decimal comma is
    set when the CSV is written (`DUTCH_EXCEL`). Each value is converted by its column's type
    alone, so a file written in chunks is the same as one written at once.
    """
    out = df.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = values.map({True: "WAAR", False: "ONWAAR"})
        if column in NO_OFFSET_COLUMNS and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype("Int64").mask(out[column].eq(-1))
    return excel_safe(out)


def write_csv(df: pd.DataFrame, path: Path, *, excel: bool = False) -> None:
    """Write a CSV; `excel=True` gives Dutch Excel's dialect: UTF-8 with BOM, ';', decimal comma."""
    with atomic_path(path) as tmp:
        if excel:
            dutch_excel_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig", **DUTCH_EXCEL)
        else:
            df.to_csv(tmp, index=False, sep=",", encoding="utf-8", lineterminator="\n")


def write_json(data: Any, path: Path) -> None:
    write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str) + "\n", path)


EXCEL_ROWS = 1_048_576
"""Rows on an Excel sheet, the header included."""
CUT_MARKER = " [… ingekort: volledige tekst in de CSV]"


WORKBOOK_OTHER_PASSAGES = 100_000
"""Passages that name a part of the sociale basis without being an expectation or goal statement
shown on the workbook's passages sheet, at most."""


class ShownPassages:
    """Which passages the workbook shows, chunk by chunk: every expectation and goal statement,
    and the first `others` (`WORKBOOK_OTHER_PASSAGES`) of the other passages that name a part of
    the sociale basis (codebook rule 1: the passages where an expectation was possible); then
    `note` says how many more are in `passages.csv`.

    The sheet is where a reader checks the labels, and a passage that names no part of the
    sociale basis can be neither expectation nor missed expectation. An archive of a million
    passages would fill a sheet row by row for minutes, and Excel opens it slowly if at all; the
    CSV and Parquet hold every passage.
    """

    def __init__(self, others: int | None = None) -> None:
        self.left = WORKBOOK_OTHER_PASSAGES if others is None else others
        self.left_out = 0
        self.columns: list[str] = []

    def of(self, df: pd.DataFrame) -> pd.DataFrame:
        """The rows of `df` (the chunk after those seen so far) that the workbook shows."""
        self.columns = list(df.columns)
        quoted = df["expectation"].astype(bool) | df["goal_statement"].astype(bool)
        candidate = ~quoted & names_basis(df)
        shown = quoted | (candidate & (candidate.cumsum() <= self.left))
        self.left -= min(int(candidate.sum()), self.left)
        self.left_out += int((~shown).sum())
        return df[shown]

    def note(self) -> pd.DataFrame | None:
        """A last row saying how many passages were left out, or None when none were."""
        if not self.left_out:
            return None
        note = f"[… nog {self.left_out} passages zonder verwachting of doel: zie passages.csv]"
        return pd.DataFrame({c: [note if c == "text" else None] for c in self.columns})


def workbook_passages(chunks: Iterable[pd.DataFrame], *, others: int | None = None) -> Iterator[pd.DataFrame]:
    """The passages the workbook shows (`ShownPassages`), with the closing note row."""
    shown = ShownPassages(others)
    for df in chunks:
        yield shown.of(df)
    if (note := shown.note()) is not None:
        yield note


def names_basis(df: pd.DataFrame) -> pd.Series:
    """Whether each written passage names a part of the sociale basis: an actor of a sphere, or
    the concept itself (a `core` cue in the `cues` column)."""
    named = pd.Series(False, index=df.index)
    if "actors" in df:
        named |= df["actors"].fillna("").astype(str).ne("")
    if "cues" in df:
        named |= df["cues"].fillna("").astype(str).str.contains(r"(?:^| \| )core: ", regex=True)
    return named


class CellCutWarning(UserWarning):
    """Text cells were cut to fit Excel; the message says how many."""


def excel_text(value: str) -> tuple[str, bool]:
    """A text that fits an Excel cell, with a visible marker where it was cut; and whether it was."""
    return fit_text(value, CUT_MARKER)


def write_xlsx(
    sheets: Mapping[str, pd.DataFrame | Iterable[pd.DataFrame]], path: Path, *, max_rows: int = EXCEL_ROWS
) -> dict[str, list[str]]:
    """One sheet per table, in order (see `XlsxStream`); a table may come as chunks (DataFrames
    with the same columns).

    Returns:
        The sheet names of each table.
    """
    with atomic_path(path) as tmp:
        book = XlsxStream(tmp, max_rows=max_rows)
        for name, table in sheets.items():
            book.sheet(name).write_table(table)
        names = book.close()
    warn_cut_cells(book.cut)
    return names


def warn_cut_cells(n: int) -> None:
    """Warn (`CellCutWarning`) that `n` text cells were cut to fit Excel, when any were."""
    if n:
        warnings.warn(cut_cells_message(n), CellCutWarning, stacklevel=3)


def cut_cells_message(n: int) -> str:
    """What a reader is told when `n` text cells were cut to fit Excel."""
    return SbtextWarning(Warnings.W005, n=n, marker=CUT_MARKER.strip()).message


class XlsxStream:
    """A workbook written table by table and row by row, with wrapped text, fitted widths and a
    frozen header on every sheet.

    Written by `sbtext.xlsx`: each sheet's rows go to a file of their own as they come, so a
    corpus of hundreds of thousands of passages streams into the workbook instead of being built
    in memory first, and the sheets can be filled in any order. They stand in the order they
    were opened (`sheet`); a table longer than a sheet holds (`max_rows`, the header included)
    goes on over "name (2)", "name (3)", ... opened when needed, so a table that may grow that
    long comes last. `close` writes the file; a run that fails calls `discard` instead.

    `tmpdir` is where the rows wait until then (the system's temporary folder when None).
    """

    def __init__(self, path: Path, *, max_rows: int = EXCEL_ROWS, tmpdir: Path | None = None) -> None:
        if max_rows < 2:
            raise ValueError(f"a sheet holds its header and at least one row; max_rows={max_rows!r} is too few")
        self.book = Workbook(path, tmpdir=tmpdir, marker=CUT_MARKER)
        self.max_rows = max_rows
        self.sheets: dict[str, SheetStream] = {}
        self.closed = False

    @property
    def cut(self) -> int:
        """Text cells cut to fit so far."""
        return self.book.cut

    def sheet(self, name: str) -> SheetStream:
        """Open the sheet (or sheets) of the table `name`, after those opened before."""
        self.sheets[name] = SheetStream(self, name)
        return self.sheets[name]

    def close(self) -> dict[str, list[str]]:
        """End every sheet and write the workbook; returns the sheet names of each table (`cut`
        counts the text cells cut to fit: see `warn_cut_cells`)."""
        names = {name: sheet.close() for name, sheet in self.sheets.items()}
        self.closed = True
        self.book.close()
        return names

    def discard(self) -> None:
        """Let go of a workbook that will not be finished (its rows' files), writing nothing."""
        if not self.closed:
            self.closed = True
            self.book.discard()


WIDTH_ROWS = 500
"""Rows of a table that its column widths are fitted to."""


class SheetStream:
    """The sheet (or sheets) of one table, taking its rows a chunk at a time. Rows wait until
    `WIDTH_ROWS` have come (or the table ends), since the column widths are set from them."""

    def __init__(self, book: XlsxStream, name: str) -> None:
        self.book, self.name = book, name
        self.columns: list[str] = []  # set, with the widths, once the first rows are in
        self.widths: list[int] = []
        self.waiting: list[pd.DataFrame] = []
        self.titles: list[str] = []
        self.sheet = self._open_sheet()

    @property
    def n(self) -> int:
        """Rows on the current sheet, the header included."""
        return self.sheet.n

    def write_table(self, table: pd.DataFrame | Iterable[pd.DataFrame]) -> None:
        """Write a whole table, or its chunks in turn."""
        for chunk in [table] if isinstance(table, pd.DataFrame) else table:
            self.write(chunk)

    def write(self, df: pd.DataFrame) -> None:
        """Write the table's next rows."""
        if self.columns:
            self._write_rows(df)
            return
        if len(df) or not self.waiting:  # one empty chunk gives the header; more would only pile up
            self.waiting.append(df)
        if sum(map(len, self.waiting)) >= WIDTH_ROWS:
            self._start()

    def close(self) -> list[str]:
        """Write what waits, set the filter; returns the sheet names."""
        if not self.columns and self.waiting:
            self._start()
        if self.columns:
            self.sheet.filter()
        return self.titles

    def _start(self) -> None:
        first = pd.concat(self.waiting, ignore_index=True) if len(self.waiting) > 1 else self.waiting[0]
        self.columns, self.widths = [str(c) for c in first.columns], _widths(first)
        self._header()
        for df in self.waiting:
            self._write_rows(df)
        self.waiting = []

    def _open_sheet(self) -> Worksheet:
        suffix = f" ({len(self.titles) + 1})" if self.titles else ""
        self.titles.append(self.name[: SHEET_TITLE - len(suffix)] + suffix)
        return self.book.book.add_sheet(self.titles[-1])

    def _header(self) -> None:
        self.sheet.set_widths(self.widths)
        self.sheet.write_header(self.columns)

    def _write_rows(self, df: pd.DataFrame) -> None:
        rows = _rows(df)
        while True:
            room = self.book.max_rows - self.sheet.n
            self.sheet.write_rows(itertools.islice(rows, room))
            if self.sheet.n < self.book.max_rows:
                return
            if (row := next(rows, None)) is None:
                return
            self.sheet.filter()
            self.sheet = self._open_sheet()
            self._header()
            rows = itertools.chain([row], rows)


ROWS_AT_ONCE = 1_000


def _rows(df: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    """The rows as tuples of plain Python values, missing ones as None, made column by column
    (iterating rows of Arrow-backed text is slow) for `ROWS_AT_ONCE` rows at a time (so a large
    table is not held twice)."""
    for start in range(0, len(df), ROWS_AT_ONCE):
        part = df.iloc[start : start + ROWS_AT_ONCE]
        yield from zip(*(_values(part[c]) for c in part.columns))


def _values(column: pd.Series) -> list[Any]:
    """A column's values as Python values, a missing one (None, NaN, NA, NaT) as None."""
    values = column.tolist()
    if column.hasnans:
        return [None if missing else v for v, missing in zip(values, column.isna().tolist())]
    return values


def _widths(df: pd.DataFrame) -> list[int]:
    """Column widths from the header and the first `WIDTH_ROWS` values, between 10 and 80 characters."""
    widths = []
    for column in df.columns:
        values = [str(column)] + [str(v) for v in df[column].head(WIDTH_ROWS)]
        longest = max((len(line) for v in values for line in v.split("\n")), default=10)
        widths.append(min(max(10, longest + 2), 80))
    return widths


def markdown_table(df: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; newlines inside cells become <br>.

    Markdown renders raw HTML, so a document's `<script>` or `<img onerror=...>` is escaped
    (`&lt;script&gt;`): it shows as text and never runs.
    """

    def cell(value: Any) -> str:
        return html.escape(str(value), quote=False).replace("|", "\\|").replace("\n", "<br>")

    lines = ["| " + " | ".join(map(cell, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def prepare_out_dir(out: Path, *, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    """Refuse an output folder before a run starts (see `sbtext.outdir.check_out_dir`)."""
    check_out_dir(out, force=force, inputs=inputs)


def highlight(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """HTML for `text` with (start, end, css class, title) spans marked; overlaps are nested away."""
    out, pos = [], 0
    for start, end, css, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark class="{css}" title="{html.escape(title)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)
