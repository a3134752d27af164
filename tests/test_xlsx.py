"""The SpreadsheetML writer: what goes into a cell comes back out of it, in a package Excel reads."""

from __future__ import annotations

import enum
import math
import tracemalloc
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from openpyxl.utils.escape import unescape

from sbtext.export import CUT_MARKER, XlsxStream, write_xlsx
from sbtext.xlsx import EXCEL_CELL, Workbook, column_letters, excel_width, fit_text, utf16_len, xml_text

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class Decision(enum.IntEnum):
    YES = 1


# (written, read back by openpyxl)
VALUES = [
    ("gewoon", "gewoon"),
    ("  spaties ervoor en erna  ", "  spaties ervoor en erna  "),
    ("\tmet een tab", "\tmet een tab"),
    ("regel een\nregel twee\n", "regel een\nregel twee\n"),
    ("a < b & c > d \"'", "a < b & c > d \"'"),
    ("nul\x00bel\x07esc\x1b", "nul\x00bel\x07esc\x1b"),
    ("\x01 aan het begin", "\x01 aan het begin"),
    ("letterlijk _x0041_ en _X0041_", "letterlijk _x0041_ en _X0041_"),
    ("=SOM(A1:A3)", "=SOM(A1:A3)"),
    ("+31 6 1234", "+31 6 1234"),
    ("<r>geen opmaak</r>", "<r>geen opmaak</r>"),
    ("buurthuis 🏠 ✓ één", "buurthuis 🏠 ✓ één"),
    ("\ufffe\uffff", "\ufffe\uffff"),
    ("kapot \udc80 gedecodeerd", "kapot \ufffd gedecodeerd"),
    ("", None),
    (None, None),
    (True, True),
    (False, False),
    (0, 0),
    (-7, -7),
    (2**53 + 1, 2**53 + 1),
    (0.1, 0.1),
    (1e-20, 1e-20),
    (-2.5e300, -2.5e300),
    (1 / 3, 1 / 3),
    (2.0, 2),  # a whole number is written as Excel writes it, and read back as an int
    (-1e16, -1e16),
    (float("nan"), None),
    (float("inf"), "#DIV/0!"),
    (np.int64(12), 12),
    (np.float32(0.5), 0.5),
    (np.bool_(True), True),
    (Decision.YES, 1),
    (pd.Timestamp("2024-03-01"), "2024-03-01 00:00:00"),
]


def write_book(path: Path, rows: list[list[object]], *, header: list[str] | None = None) -> Workbook:
    book = Workbook(path, marker=CUT_MARKER)
    sheet = book.add_sheet("waarden")
    sheet.set_widths([12] * len(rows[0]))
    sheet.write_header(header or [f"k{i}" for i in range(len(rows[0]))])
    sheet.write_rows(rows)
    sheet.filter()
    book.close()
    return book


@pytest.mark.parametrize(("written", "read"), VALUES)
def test_every_kind_of_value_reads_back_as_written(tmp_path, written, read):
    write_book(tmp_path / "x.xlsx", [["links", written, "rechts"]])
    row = next(openpyxl.load_workbook(tmp_path / "x.xlsx")["waarden"].iter_rows(min_row=2))
    cell = row[1]
    # openpyxl leaves Excel's _xHHHH_ escapes in inline text as they are; Excel reads them
    value = unescape(cell.value) if isinstance(cell.value, str) else cell.value
    assert value == read and type(value) is type(read)
    if isinstance(read, str) and not read.startswith("#"):
        assert cell.data_type == "s" and cell.alignment.wrap_text and cell.alignment.vertical == "top"
    if isinstance(read, float):
        assert math.copysign(1, cell.value) == math.copysign(1, read)
    assert [row[0].value, row[2].value] == ["links", "rechts"]


def test_formula_like_text_is_text_not_a_formula(tmp_path):
    write_book(tmp_path / "x.xlsx", [["=1+1", "@SOM(1)"]])
    with zipfile.ZipFile(tmp_path / "x.xlsx") as package:
        sheet = package.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and sheet.count('t="inlineStr"') == 4


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("x" * EXCEL_CELL, False),
        ("x" * (EXCEL_CELL + 1), True),
        ("🏠" * (EXCEL_CELL // 2), False),  # 32,766 UTF-16 units
        ("🏠" * (EXCEL_CELL // 2 + 1), True),
        ("a" + "🏠" * 20_000, True),
    ],
)
def test_text_longer_than_a_cell_is_cut_with_the_marker(text, cut):
    fitted, was_cut = fit_text(text, CUT_MARKER)
    assert was_cut is cut
    assert utf16_len(fitted) <= EXCEL_CELL
    if cut:
        assert fitted.endswith(CUT_MARKER) and text.startswith(fitted[: -len(CUT_MARKER)])
        assert utf16_len(fitted) >= EXCEL_CELL - 1  # at most half a character short
    else:
        assert fitted == text


def test_a_cut_cell_is_counted_and_reads_back_at_excel_s_limit(tmp_path):
    book = write_book(tmp_path / "x.xlsx", [["x" * 40_000, "kort"], ["y" * 50_000, "z" * 100]])
    assert book.cut == 2
    rows = list(openpyxl.load_workbook(tmp_path / "x.xlsx")["waarden"].iter_rows(min_row=2, values_only=True))
    assert [len(a) for a, _ in rows] == [EXCEL_CELL, EXCEL_CELL]
    assert all(a.endswith(CUT_MARKER) for a, _ in rows) and rows[1][1] == "z" * 100


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        *[("passages", True), ("x" * 31, True), ("it's", True), ("x" * 32, False), ("", False)],
        *[(f"a{c}b", False) for c in "[]:*?/\\"],
        *[("'a", False), ("a'", False)],
    ],
)
def test_sheet_names_follow_excel_s_rules(tmp_path, name, ok):
    book = Workbook(tmp_path / "x.xlsx")
    if ok:
        book.add_sheet(name)
    else:
        with pytest.raises(ValueError, match="sheet name"):
            book.add_sheet(name)
    book.discard()


def test_two_sheets_cannot_share_a_name_whatever_its_case(tmp_path):
    book = Workbook(tmp_path / "x.xlsx")
    book.add_sheet("Passages")
    with pytest.raises(ValueError, match="another sheet"):
        book.add_sheet("passages")
    book.discard()


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters(index, letters):
    assert column_letters(index) == letters


@pytest.mark.parametrize(("characters", "stored"), [(10, 10.7109375), (80, 80.7109375), (0.5, 0.85546875), (0, 0.0)])
def test_widths_are_stored_in_whole_pixels_as_excel_does(characters, stored):
    assert excel_width(characters) == stored


def test_xml_text_escapes_markup_and_what_xml_forbids():
    assert xml_text("a&b<c>d\x02_x00e9_\r\n\t") == "a&amp;b&lt;c&gt;d_x0002__x005F_x00e9_\r\n\t"


XLSXWRITER_DIFFERS = {
    "<r>geen opmaak</r>",  # XlsxWriter passes this text on as rich-text markup: the cell reads empty
    2**53 + 1,  # XlsxWriter writes 16 digits: ...992
    "kapot \udc80 gedecodeerd",  # XlsxWriter fails on a lone surrogate
}
"""Values the two write differently on purpose; floats (XlsxWriter: 16 digits, NaN and inf
refused) and the types `Worksheet` converts are left out as well."""


def reference_xlsx(path: Path, title: str, header: list[str], rows: list[list[object]], widths: list[int]) -> None:
    """The same sheet written by XlsxWriter, the library this writer stands in for."""
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(str(path), options) as book:
        wrap, bold = book.add_format({"text_wrap": True, "valign": "top"}), book.add_format({"bold": True})
        sheet = book.add_worksheet(title)
        sheet.freeze_panes(1, 0)
        for i, width in enumerate(widths):
            sheet.set_column(i, i, width)
        sheet.write_row(0, 0, header, bold)
        for n, row in enumerate(rows, 1):
            for k, value in enumerate(row):
                if isinstance(value, str) and value:
                    sheet.write_string(n, k, value, wrap)
                elif isinstance(value, bool):
                    sheet.write_boolean(n, k, value)
                elif isinstance(value, int | float) and math.isfinite(value):
                    sheet.write_number(n, k, value)
        sheet.autofilter(0, 0, len(rows), len(header) - 1)


def read_back(path: Path) -> dict[str, object]:
    book = openpyxl.load_workbook(path)
    out: dict[str, object] = {"names": book.sheetnames}
    for sheet in book:
        out[sheet.title] = {
            "cells": [
                [(c.value, c.data_type, c.alignment.wrap_text, c.alignment.vertical, c.font.b) for c in row]
                for row in sheet.iter_rows()
            ],
            "widths": {k: (d.min, d.max, d.width) for k, d in sheet.column_dimensions.items()},
            "frozen": sheet.freeze_panes,
            "filter": sheet.auto_filter.ref,
            "dimension": sheet.dimensions,
        }
    return out


def test_cells_are_those_xlsxwriter_writes(tmp_path):
    same = [
        v for v, _ in VALUES if not isinstance(v, float | np.generic | pd.Timestamp) and v not in XLSXWRITER_DIFFERS
    ]
    rows = [same[i : i + 4] for i in range(0, len(same) - 3)] + [[None, None, None, "laatste"]]
    header, widths = ["a", "b", "c met spatie", "d"], [10, 10, 40, 80]
    reference_xlsx(tmp_path / "ref.xlsx", "De tabel (2)", header, rows, widths)
    book = Workbook(tmp_path / "new.xlsx")
    sheet = book.add_sheet("De tabel (2)")
    sheet.set_widths(widths)
    sheet.write_header(header)
    sheet.write_rows(rows)
    sheet.filter()
    book.close()
    assert read_back(tmp_path / "new.xlsx") == read_back(tmp_path / "ref.xlsx")


def test_every_part_is_well_formed_xml_and_every_part_is_declared(tmp_path):
    write_xlsx(
        {"eerste": pd.DataFrame({"a": [1, 2], "b": ["x & y", "z"]}), "leeg": pd.DataFrame({"c": []})},
        tmp_path / "x.xlsx",
    )
    with zipfile.ZipFile(tmp_path / "x.xlsx") as package:
        assert package.testzip() is None
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in package.infolist())
        parts = {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()}
    declared = {o.get("PartName") for o in parts["[Content_Types].xml"]} - {None}
    assert declared == {"/" + n for n in parts if not n.endswith(".rels") and n != "[Content_Types].xml"}
    targets = {r.get("Target") for r in parts["xl/_rels/workbook.xml.rels"]}
    assert {f"xl/{t}" for t in targets} <= set(parts)
    sheet = parts["xl/worksheets/sheet1.xml"]
    order = [child.tag.removeprefix(MAIN) for child in sheet]
    assert order == ["dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "autoFilter", "pageMargins"]
    names = parts["xl/workbook.xml"].find(f"{MAIN}definedNames")
    assert names is not None and [n.text for n in names] == ["'eerste'!$A$1:$B$3", "'leeg'!$A$1:$A$1"]


def test_an_empty_table_is_its_header_with_a_filter(tmp_path):
    write_xlsx({"leeg": pd.DataFrame({"tekst": pd.Series([], dtype=object), "n": []})}, tmp_path / "x.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx")["leeg"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [["tekst", "n"]]
    assert (sheet.auto_filter.ref, sheet.freeze_panes, sheet.dimensions) == ("A1:B1", "A2", "A1:B1")


def test_a_table_filling_a_sheet_exactly_opens_no_empty_sheet(tmp_path):
    table = pd.DataFrame({"n": range(6), "tekst": [f"rij {i}" for i in range(6)]})
    names = write_xlsx({"tabel": iter([table.iloc[:3], table.iloc[3:]])}, tmp_path / "x.xlsx", max_rows=4)
    assert names == {"tabel": ["tabel", "tabel (2)"]}
    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert [sheet.auto_filter.ref for sheet in book] == ["A1:B4", "A1:B4"]
    assert [c.value for c in book["tabel (2)"]["A"]] == ["n", 3, 4, 5]


def test_pandas_reads_every_sheet(tmp_path):
    table = pd.DataFrame({"tekst": ["een", "", None, " twee"], "n": [1.5, None, 3, 4], "ja": [True, False, True, None]})
    write_xlsx({"eerste": table, "tweede": table.iloc[:0]}, tmp_path / "x.xlsx")
    back = pd.read_excel(tmp_path / "x.xlsx", sheet_name=None, engine="openpyxl")
    assert list(back) == ["eerste", "tweede"]
    assert back["eerste"]["tekst"].tolist()[::3] == ["een", " twee"]
    assert back["eerste"]["n"].tolist()[::2] == [1.5, 3] and back["tweede"].columns.tolist() == ["tekst", "n", "ja"]


def test_a_discarded_workbook_writes_nothing_and_leaves_no_file(tmp_path):
    rows = tmp_path / "rijen"
    rows.mkdir()
    book = XlsxStream(tmp_path / "x.xlsx", tmpdir=rows)
    book.sheet("tabel").write(pd.DataFrame({"a": ["x"] * 600}))
    book.discard()
    assert list(tmp_path.iterdir()) == [rows] and not list(rows.iterdir())


def peak_memory(path: Path, n: int) -> int:
    text = "De gemeente verwacht van mantelzorgers en vrijwilligers dat zij bijspringen. " * 3
    chunk = pd.DataFrame({"id": range(1_000), "tekst": [text] * 1_000, "ja": [True] * 1_000})
    tracemalloc.start()
    write_xlsx({"tabel": (chunk for _ in range(n // 1_000))}, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


@pytest.mark.slow
def test_memory_stays_flat_however_many_rows(tmp_path):
    small, large = peak_memory(tmp_path / "a.xlsx", 5_000), peak_memory(tmp_path / "b.xlsx", 100_000)
    assert large < 1.5 * small  # twenty times the rows, not twenty times the memory
