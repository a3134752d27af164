"""Writing a run's outputs while documents arrive, so that memory does not grow with the corpus.

Each document's passage rows go straight to `passages.csv` (and its Excel variant) and its
report section to a spool file; the tables keep only what they can quote and counts
(`sbtext.tables.TableBuilder`). At the end the workbook streams its passages sheet back from the
CSV, and every file is renamed into place: a run that fails leaves no final file half written.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pandas as pd

from sbtext import tables as t
from sbtext.export import (
    DUTCH_EXCEL,
    EXCEL_ROWS,
    CellCutWarning,
    atomic_path,
    dutch_excel_frame,
    markdown_table,
    write_csv,
    write_json,
    write_text,
    write_xlsx,
)
from sbtext.labels import workbook_sheets
from sbtext.report import END, report_head, report_section

CHUNK_ROWS = 10_000
"""Passage rows read back at a time for the workbook (at least the 500 that fit the widths)."""


class OutputWriter:
    """The output folder of a run, filled one document at a time.

    Use as a context manager: `add` each document's passages, then `finish`. Leaving the block
    by an exception removes the temporary files and writes no final file.
    """

    def __init__(
        self, out: Path, *, top: int = 5, excel_csv: bool = False, parquet: bool = False, excel_rows: int = EXCEL_ROWS
    ) -> None:
        self.out, self.excel_csv, self.parquet, self.excel_rows = out, excel_csv, parquet, excel_rows
        self.builder = t.TableBuilder(top)
        self.timings = {"tables": 0.0, "write": 0.0}
        self._stack = ExitStack()
        self._csv: list[IO[str]] = []
        self._dtypes = t.frame([], t.PASSAGE_COLUMNS).dtypes  # those of the first document, once one came
        self._started = False
        self._n_expectations = 0

    def __enter__(self) -> OutputWriter:
        self.out.mkdir(parents=True, exist_ok=True)
        self._spool = self._stack.enter_context(atomic_path(self.out / "passages.csv"))
        self._csv.append(self._stack.enter_context(open(self._spool, "w", encoding="utf-8", newline="")))
        if self.excel_csv:
            excel = self._stack.enter_context(atomic_path(self.out / "passages.excel.csv"))
            self._csv.append(self._stack.enter_context(open(excel, "w", encoding="utf-8-sig", newline="")))
        self._sections = self._stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.out))
        if self.parquet:
            self._parquet = Path(tempfile.mkdtemp(prefix=".parquet.", dir=self.out))
            self._stack.callback(shutil.rmtree, self._parquet, ignore_errors=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)

    def add(self, passages: pd.DataFrame, *, title: str = "") -> None:
        """Take in one document's passage rows (`sbtext.tables.PASSAGE_COLUMNS`)."""
        start = time.perf_counter()
        self.builder.add(passages)
        self.timings["tables"] += time.perf_counter() - start
        start = time.perf_counter()
        header = not self._started
        if header:
            self._dtypes, self._started = passages.dtypes, True
        passages.to_csv(self._csv[0], index=False, header=header, lineterminator="\n")
        if self.excel_csv:
            dutch_excel_frame(passages).to_csv(self._csv[1], index=False, header=header, **DUTCH_EXCEL)
        found = passages[passages["expectation"].astype(bool)]
        if len(found):
            self._sections.write(report_section(found["doc_id"].iloc[0], title, found) + "\n")
            self._n_expectations += len(found)
        if self.parquet:
            from sbtext.distributed import append_parquet

            append_parquet(passages, self._parquet / "passages")
        self.timings["write"] += time.perf_counter() - start

    def finish(self, documents: pd.DataFrame, errors: pd.DataFrame, run: dict[str, Any]) -> list[Path]:
        """Write the tables, workbook, report and `run.json`; rename every file into place."""
        start = time.perf_counter()
        if not self._started:  # no passages at all: still a header
            self.add(t.frame([], t.PASSAGE_COLUMNS))
        for handle in self._csv:
            handle.close()
        tables = self.builder.tables(_read_chunks(self._spool, self._dtypes), documents, errors)
        run.setdefault("timings", {})["tables"] = round(self.timings["tables"] + time.perf_counter() - start, 4)
        start = time.perf_counter()
        written = write_tables(self.out, {k: v for k, v in tables.items() if k != "passages"}, excel_csv=self.excel_csv)
        written.append(self.out / "sbtext.xlsx")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", CellCutWarning)
            note_sheets(run, write_xlsx(workbook_sheets(tables), written[-1], max_rows=self.excel_rows))
        note_cut_cells(run, caught)
        written.append(self.out / "expectations.md")
        write_text(markdown_table(tables["expectations"]), written[-1])
        written.append(self.out / "report.html")
        self._write_report(tables, documents, run, written[-1])
        if self.parquet:
            written.append(self._place_parquet(documents))
        run["timings"]["write"] = round(self.timings["write"] + time.perf_counter() - start, 4)
        written.append(self.out / "run.json")
        write_json(run, written[-1])
        self._stack.close()  # renames the passage CSVs into place
        passages = [self.out / "passages.csv"] + ([self.out / "passages.excel.csv"] if self.excel_csv else [])
        return passages + written

    def _write_report(
        self, tables: dict[str, pd.DataFrame], documents: pd.DataFrame, run: dict[str, Any], path: Path
    ) -> None:
        self._sections.seek(0)
        with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as report:
            head = report_head(tables, documents, self._n_expectations, run, base=path.parent)
            report.write(head + "\n")
            shutil.copyfileobj(self._sections, report)
            report.write(END)

    def _place_parquet(self, documents: pd.DataFrame) -> Path:
        documents.to_parquet(self._parquet / "documents.parquet", index=False)
        final = self.out / "parquet"
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".parquet.old.", dir=self.out))
            os.replace(final, old / "parquet")
            self._stack.callback(shutil.rmtree, old, ignore_errors=True)
        os.replace(self._parquet, final)
        return final


def _read_chunks(path: Path, dtypes: pd.Series) -> Iterator[pd.DataFrame]:
    """The spooled passages without `cue_offsets`, with the dtypes the in-memory frame would have."""
    dtypes = dtypes.drop("cue_offsets", errors="ignore")
    floats = [str(c) for c, d in dtypes.items() if pd.api.types.is_float_dtype(d)]
    # Text is read as written (no NaN guessing); floats by Python, exactly as their repr was written.
    return pd.read_csv(
        path,
        usecols=list(dtypes.index),
        dtype={c: d for c, d in dtypes.items() if c not in floats},
        converters=dict.fromkeys(floats, _float),
        keep_default_na=False,
        chunksize=CHUNK_ROWS,
    )


def _float(value: str) -> float:
    return float(value) if value else math.nan


def write_tables(out: Path, tables: dict[str, pd.DataFrame], *, excel_csv: bool = False) -> list[Path]:
    """Each table as `name.csv`, and `name.excel.csv` with `excel_csv`."""
    written = []
    for name, df in tables.items():
        written.append(out / f"{name}.csv")
        write_csv(df, written[-1])
        if excel_csv:
            written.append(out / f"{name}.excel.csv")
            write_csv(df, written[-1], excel=True)
    return written


def note_cut_cells(run: dict[str, Any], caught: list[warnings.WarningMessage]) -> None:
    """Record in the run manifest that the workbook cut cells (the CLI shows the warning)."""
    for w in caught:
        if issubclass(w.category, CellCutWarning):
            run["xlsx_cut_cells"] = str(w.message)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def note_sheets(run: dict[str, Any], sheets: dict[str, list[str]]) -> None:
    """Record in the run manifest any table that went on over several sheets of the workbook."""
    split = {name: titles for name, titles in sheets.items() if len(titles) > 1}
    if split:
        run["xlsx_sheets"] = split
