"""One writer for a run folder, fed one document (or one partition) at a time.

Each chunk of passage rows goes straight to `passages.csv` (and its Excel variant), the
workbook's passages sheet, its report sections to a spool file and, when asked, to Parquet; the
tables keep only what they can quote and counts (`sbtext.tables.TableBuilder`). At the end every
other file is written from the tables (`sbtext.write.files.FINISHED`), and every file is renamed
into place: a run that fails leaves no final file half written.

A Dask worker fills a `PartWriter` of its own partition; the `RunWriter` then takes in the
partition's files and table state (`add_part`), so that the rows never reach the client.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import pandas as pd

from sbtext import tables as t
from sbtext.export import DUTCH_EXCEL, EXCEL_ROWS, XlsxStream, atomic_path, dutch_excel_frame
from sbtext.write.files import FINISHED, STREAMED, WORKBOOK, Finished, for_file
from sbtext.write.parquet import PASSAGES, append_parquet, write_documents
from sbtext.write.report import report_section
from sbtext.write.workbook import RunWorkbook

CHUNK_ROWS = 2_000
"""Passage rows of a partition read back at a time for the workbook: a chunk's text is held as
Python strings while its rows are written, so its size bounds the memory the workbook adds."""
EXCEL_PASSAGES = "passages.excel.csv"
SECTIONS = "sections.html"  # a partition's report sections


class PassageSink:
    """Where passage rows go as they arrive: CSV text, report sections, Parquet and the tables.

    `csv`, `excel` and `sections` are open text files (`excel` None without the Excel variant);
    `parquet` the dataset folder, or None; `workbook` the run's workbook (None for a partition,
    whose rows the run's workbook reads when it takes the partition in).
    """

    def __init__(
        self,
        csv: IO[str],
        excel: IO[str] | None,
        sections: IO[str],
        parquet: Path | None,
        *,
        top: int,
        workbook: RunWorkbook | None = None,
    ) -> None:
        self.csv, self.excel, self.sections, self.parquet = csv, excel, sections, parquet
        self.workbook = workbook
        self.builder = t.TableBuilder(top)
        self.dtypes: pd.Series | None = None  # those of the first chunk: the CSV is read back with them
        self.n_expectations = 0
        self.seconds = {"tables": 0.0, "write": 0.0}

    def add(self, passages: pd.DataFrame, titles: Mapping[Any, str]) -> None:
        """Take in passage rows (`sbtext.records.PassageRecord` columns); `titles` by `doc_id`."""
        start = time.perf_counter()
        self.builder.add(passages)
        self.seconds["tables"] += time.perf_counter() - start
        start = time.perf_counter()
        header = self.dtypes is None
        if header:
            self.dtypes = passages.dtypes
        rows = for_file(passages)
        rows.to_csv(self.csv, index=False, header=header, lineterminator="\n")
        if self.excel is not None:
            dutch_excel_frame(rows).to_csv(self.excel, index=False, header=header, **DUTCH_EXCEL)
        found = passages[passages["expectation"].astype(bool)]
        for doc_id, group in found.groupby("doc_id", sort=False):
            self.sections.write(report_section(doc_id, titles.get(doc_id, ""), group) + "\n")
        self.n_expectations += len(found)
        if self.parquet is not None:
            append_parquet(rows, self.parquet)
        if self.workbook is not None:
            self.workbook.add(passages)
        self.seconds["write"] += time.perf_counter() - start


@dataclass
class Part:
    """What a `PartWriter` leaves for the run: its files and its table state."""

    folder: Path
    builder: t.TableBuilder
    dtypes: pd.Series | None
    n_expectations: int


@dataclass(frozen=True)
class PartPlan:
    """Where and how the partitions of a run are written (picklable, for the workers)."""

    folder: Path
    parquet: Path | None
    excel_csv: bool
    top: int


class PartWriter:
    """One partition's share of a run folder, written where it runs (a Dask worker, say)."""

    def __init__(self, plan: PartPlan, index: int) -> None:
        self.plan, self.folder = plan, plan.folder / f"part-{index:06d}"
        self._stack = ExitStack()

    def __enter__(self) -> PassageSink:
        self.folder.mkdir(parents=True)
        csv = self._stack.enter_context(open(self.folder / STREAMED, "w", encoding="utf-8", newline=""))
        excel = None
        if self.plan.excel_csv:
            excel = self._stack.enter_context(open(self.folder / EXCEL_PASSAGES, "w", encoding="utf-8", newline=""))
        sections = self._stack.enter_context(open(self.folder / SECTIONS, "w", encoding="utf-8", newline=""))
        self.sink = PassageSink(csv, excel, sections, self.plan.parquet, top=self.plan.top)
        return self.sink

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)

    def part(self) -> Part:
        return Part(self.folder, self.sink.builder, self.sink.dtypes, self.sink.n_expectations)


class RunWriter:
    """The output folder of a run, filled one document or partition at a time.

    Use as a context manager: `add` passages (or `add_part` a partition's), then `finish`.
    Leaving the block by an exception removes the temporary files and writes no final file.
    """

    def __init__(
        self, out: Path, *, top: int = 5, excel_csv: bool = False, parquet: bool = False, excel_rows: int = EXCEL_ROWS
    ) -> None:
        self.out, self.top, self.excel_csv, self.parquet, self.excel_rows = out, top, excel_csv, parquet, excel_rows
        self._stack = ExitStack()

    def __enter__(self) -> RunWriter:
        self.out.mkdir(parents=True, exist_ok=True)
        self._spool = self._stack.enter_context(atomic_path(self.out / STREAMED))
        csv = self._stack.enter_context(open(self._spool, "w", encoding="utf-8", newline=""))
        excel = None
        if self.excel_csv:
            spool = self._stack.enter_context(atomic_path(self.out / EXCEL_PASSAGES))
            excel = self._stack.enter_context(open(spool, "w", encoding="utf-8-sig", newline=""))
        sections = self._stack.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8", dir=self.out))
        self._parquet = None
        if self.parquet:
            self._parquet = Path(tempfile.mkdtemp(prefix=".parquet.", dir=self.out))
            self._stack.callback(shutil.rmtree, self._parquet, ignore_errors=True)
        parquet = self._parquet / PASSAGES if self._parquet else None
        self.workbook = self._workbook()
        self.sink = PassageSink(csv, excel, sections, parquet, top=self.top, workbook=self.workbook)
        return self

    def _workbook(self) -> RunWorkbook:
        """The workbook, written to a temporary file that the end of the run renames into place;
        each sheet's rows wait in a file in a folder of the run until then."""
        path = self._stack.enter_context(atomic_path(self.out / WORKBOOK))
        rows = Path(tempfile.mkdtemp(prefix=".xlsx.", dir=self.out))
        self._stack.callback(shutil.rmtree, rows, ignore_errors=True)
        book = XlsxStream(path, max_rows=self.excel_rows, tmpdir=rows)
        self._stack.callback(book.discard)  # a run that fails: let go of it before it is removed
        return RunWorkbook(book)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)

    def add(self, passages: pd.DataFrame, *, titles: Mapping[Any, str]) -> None:
        """Take in passage rows (`sbtext.records.PassageRecord` columns); `titles` by `doc_id`."""
        self.sink.add(passages, titles)

    def plan(self) -> PartPlan:
        """Where workers write their partitions of this run (inside the run's folder)."""
        folder = Path(tempfile.mkdtemp(prefix=".parts.", dir=self.out))
        self._stack.callback(shutil.rmtree, folder, ignore_errors=True)
        return PartPlan(folder, self.sink.parquet, self.excel_csv, self.top)

    def add_part(self, part: Part) -> None:
        """Take in a partition written by a `PartWriter`, in the order of the partitions."""
        sink = self.sink
        if part.dtypes is not None:
            header = sink.dtypes is None
            _append(part.folder / STREAMED, sink.csv, skip_header=not header)
            if sink.excel is not None:
                _append(part.folder / EXCEL_PASSAGES, sink.excel, skip_header=not header)
            _append(part.folder / SECTIONS, sink.sections, skip_header=False)
            sink.dtypes = part.dtypes if header else sink.dtypes
            for chunk in _read_chunks(part.folder / STREAMED, part.dtypes):
                self.workbook.add(chunk)
        start = time.perf_counter()
        sink.builder.merge(part.builder)
        sink.seconds["tables"] += time.perf_counter() - start
        sink.n_expectations += part.n_expectations
        shutil.rmtree(part.folder, ignore_errors=True)

    def finish(self, documents: pd.DataFrame, errors: pd.DataFrame, run: dict[str, Any]) -> list[Path]:
        """Write the tables, workbook, report and `run.json`; rename every file into place."""
        start = time.perf_counter()
        sink = self.sink
        if sink.dtypes is None:  # no passages at all: still a header
            sink.add(t.frame([], t.PASSAGE_COLUMNS), {})
        for handle in (sink.csv, sink.excel):
            if handle is not None:
                handle.close()
        tables = sink.builder.tables(None, documents, errors, release=True)  # the builder is done
        run.setdefault("timings", {})["tables"] = round(sink.seconds["tables"] + time.perf_counter() - start, 4)
        done = Finished(
            tables=tables,
            workbook=self.workbook,
            documents=documents,
            run=run,
            sections=sink.sections,
            n_expectations=sink.n_expectations,
            excel_csv=self.excel_csv,
            excel_rows=self.excel_rows,
            started=time.perf_counter(),
            write_seconds=sink.seconds["write"],
        )
        written = [self.out / STREAMED] + ([self.out / EXCEL_PASSAGES] if self.excel_csv else [])
        for name, write in FINISHED.items():
            if name == "run.json" and self._parquet:
                written.append(self._place_parquet(self._parquet, documents))
            written += write(done, self.out / name)
        self._stack.close()  # renames the passage CSVs and the workbook into place
        return written

    def _place_parquet(self, folder: Path, documents: pd.DataFrame) -> Path:
        write_documents(documents, folder)
        final = self.out / "parquet"
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=".parquet.old.", dir=self.out))
            os.replace(final, old / "parquet")
            self._stack.callback(shutil.rmtree, old, ignore_errors=True)
        os.replace(folder, final)
        return final


def _append(path: Path, handle: IO[str], *, skip_header: bool) -> None:
    """Copy a partition's text file onto the run's, without its first line with `skip_header`."""
    with open(path, encoding="utf-8", newline="") as part:
        if skip_header:
            part.readline()
        shutil.copyfileobj(part, handle)


def _read_chunks(path: Path, dtypes: pd.Series | None) -> Iterator[pd.DataFrame]:
    """The spooled passages without `cue_offsets`, with the dtypes the in-memory frame would have."""
    dtypes = (dtypes if dtypes is not None else t.frame([], t.PASSAGE_COLUMNS).dtypes).drop(
        "cue_offsets", errors="ignore"
    )
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
