"""The run folder's workbook, written as the run goes: its passages sheet as the documents
arrive, like `passages.csv`, and its other sheets from the finished tables.

So the workbook adds no pass over every passage at the end of a run, which on several processes
would be the one part left for a single core.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sbtext.export import ShownPassages, XlsxStream
from sbtext.labels import SHEETS, passage_sheet, workbook_sheets


class RunWorkbook:
    """`sbtext.xlsx` of a run: a sheet per table (`sbtext.labels.SHEETS`, in that order, the
    passages sheet last, since it may go on over further sheets), filled by `add` and `finish`."""

    def __init__(self, book: XlsxStream) -> None:
        self.book = book
        for title in SHEETS.values():
            book.sheet(title)
        self.passages = book.sheets[SHEETS["passages"]]
        self.shown = ShownPassages()

    @property
    def cut(self) -> int:
        """Text cells cut to fit Excel so far."""
        return self.book.cut

    def add(self, passages: pd.DataFrame) -> None:
        """Take in passage rows (the next ones of the run): those the workbook shows
        (`sbtext.export.ShownPassages`) go on the passages sheet."""
        self.passages.write(passage_sheet(self.shown.of(passages)))

    def finish(self, tables: Mapping[str, Any]) -> dict[str, list[str]]:
        """Write the other tables (as `sbtext.labels.workbook_sheets` shows them), end the
        passages sheet and write the file; returns the sheet names of each table."""
        for title, table in workbook_sheets({n: t for n, t in tables.items() if n != "passages"}).items():
            self.book.sheets[title].write_table(table)
        note = self.shown.note()
        if note is not None:
            self.passages.write(passage_sheet(note))
        titles = self.book.close()
        return {name: titles[title] for name, title in SHEETS.items()}
