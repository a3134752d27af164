"""The files of a run folder, listed once: each name beside the function that writes it.

`passages.csv` is written row by row while the documents arrive (`sbtext.write.run`); every
other file is written from the finished tables by its function here, in the order listed, and
`run.json` last, since it records what the others noted (cut cells, split sheets, timings).
Adding an output file is adding a line to `FINISHED`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from sbtext.export import atomic_path, cut_cells_message, markdown_table, write_csv, write_json, write_text
from sbtext.records import Cue
from sbtext.write.report import END, report_head
from sbtext.write.workbook import RunWorkbook


@dataclass
class Finished:
    """What the files written at the end of a run are made from.

    `tables` holds every table by name but the passages, which went on the `workbook`'s sheet
    and into `passages.csv` as they came. `sections` is the spooled report section of each
    document with expectations.
    """

    tables: dict[str, Any]
    workbook: RunWorkbook
    documents: pd.DataFrame
    run: dict[str, Any]
    sections: IO[str]
    n_expectations: int
    excel_csv: bool
    excel_rows: int
    started: float
    write_seconds: float


Write = Callable[[Finished, Path], list[Path]]


def _table(name: str) -> Write:
    """The writer of `name.csv` (and `name.excel.csv` for Dutch Excel when asked)."""

    def write(done: Finished, path: Path) -> list[Path]:
        write_csv(done.tables[name], path)
        if not done.excel_csv:
            return [path]
        excel = path.with_name(f"{name}.excel.csv")
        write_csv(done.tables[name], excel, excel=True)
        return [path, excel]

    return write


def write_workbook(done: Finished, path: Path) -> list[Path]:
    """The workbook's other sheets, then the file (renamed into place with `passages.csv`); cut
    cells and split sheets are noted in the run manifest."""
    note_sheets(done.run, done.workbook.finish(done.tables))
    if done.workbook.cut:
        done.run["xlsx_cut_cells"] = cut_cells_message(done.workbook.cut)
    return [path]


def write_markdown(done: Finished, path: Path) -> list[Path]:
    """The expectation table as GitHub-flavoured Markdown."""
    write_text(markdown_table(done.tables["expectations"]), path)
    return [path]


def write_report(done: Finished, path: Path) -> list[Path]:
    """The HTML report: its head from the tables, then the spooled sections of the documents."""
    done.sections.seek(0)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as report:
        report.write(report_head(done.tables, done.documents, done.n_expectations, done.run, base=path.parent) + "\n")
        while chunk := done.sections.read(1 << 20):
            report.write(chunk)
        report.write(END)
    return [path]


def write_manifest(done: Finished, path: Path) -> list[Path]:
    """`run.json`, with the time spent writing the files before it."""
    elapsed = done.write_seconds + time.perf_counter() - done.started
    done.run.setdefault("timings", {})["write"] = round(elapsed, 4)
    write_json(done.run, path)
    return [path]


STREAMED = "passages.csv"
"""Written while the documents arrive, with `passages.excel.csv` for Dutch Excel when asked."""
WORKBOOK = "sbtext.xlsx"
"""Its passages sheet is written while the documents arrive, its other sheets at the end."""

FINISHED: dict[str, Write] = {
    "documents.csv": _table("documents"),
    "expectations.csv": _table("expectations"),
    "expectations_long.csv": _table("expectations_long"),
    "framing_by_source.csv": _table("framing_by_source"),
    "purpose_by_source.csv": _table("purpose_by_source"),
    "spheres_by_framing.csv": _table("spheres_by_framing"),
    "errors.csv": _table("errors"),
    WORKBOOK: write_workbook,
    "expectations.md": write_markdown,
    "report.html": write_report,
    "run.json": write_manifest,
}

OUTPUT_FILES = (STREAMED, *FINISHED)
"""Every file `sbtext analyze --out` and `Analysis.to_dir` write (without the Excel variants)."""


def cue_json(cues: object) -> object:
    """A passage's cues as the JSON text of `passages.csv`: `[[start, end, label, rule], ...]`.

    Anything else (a missing value of an untagged row, a text already in that form) is kept.
    """
    if not isinstance(cues, tuple | list):
        return cues
    return json.dumps([[c.start, c.end, c.label, c.rule] for c in cues if isinstance(c, Cue)], ensure_ascii=False)


def read_cues(value: object) -> tuple[Cue, ...]:
    """A passage's cues, from a record or from the JSON text of a `passages.csv` row."""
    if isinstance(value, str):
        return tuple(Cue(label, rule, "", start, end) for start, end, label, rule in json.loads(value or "[]"))
    if isinstance(value, tuple | list):
        return tuple(c for c in value if isinstance(c, Cue))
    return ()


def for_file(passages: pd.DataFrame) -> pd.DataFrame:
    """Passage rows as a file holds them: cue offsets as JSON text."""
    if "cue_offsets" not in passages:
        return passages
    return passages.assign(cue_offsets=passages["cue_offsets"].map(cue_json))


def note_sheets(run: dict[str, Any], sheets: dict[str, list[str]]) -> None:
    """Record in the run manifest any table that went on over several sheets of the workbook."""
    split = {name: titles for name, titles in sheets.items() if len(titles) > 1}
    if split:
        run["xlsx_sheets"] = split
