"""A small SpreadsheetML (Office Open XML) writer: rows in, an `.xlsx` package out.

Only what the run's workbook needs: sheets of text, numbers and booleans under a bold, frozen
header, wrapped top-aligned text, fitted column widths and an autofilter. Cells hold their text
inline (`t="inlineStr"`), so no table of shared strings grows in memory: each sheet's rows go
to an anonymous temporary file as they come and are deflated into the package when it closes.

The package holds the parts Excel needs and reads without complaint: content types, the
relationships, `docProps` (core and app), the workbook with its sheets and the defined names of
their filters, a minimal style sheet and one part per sheet.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

EXCEL_CELL = 32_767
"""Characters (UTF-16 code units) an Excel cell holds."""

EXCEL_COLUMNS = 16_384
"""Columns on an Excel sheet."""

SHEET_TITLE = 31
"""Characters a sheet's name may have."""
FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")

# Text as an XML 1.0 document may hold it and Excel reads it back: the three markup characters
# as entities; the control characters XML forbids as Excel's own `_xHHHH_` escape (tab, line
# feed and carriage return are allowed as they are); the two non-characters likewise; a lone
# surrogate (from a badly decoded source) as the replacement character, since UTF-8 has none.
_FORBIDDEN = [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [0xFFFE, 0xFFFF]
_TEXT_ESCAPES: dict[int, str] = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    **{c: f"_x{c:04X}_" for c in _FORBIDDEN},
    **dict.fromkeys(range(0xD800, 0xE000), "\ufffd"),
}
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_needs_escape = _NEEDS_ESCAPE.search
_EXCEL_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
"""Text that Excel would read as an escape: its underscore is escaped in turn (`_x005F_`)."""

_ATTRIBUTE_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}

BOLD, WRAP = 1, 2
"""Cell formats (indexes of `cellXfs` in the style sheet): the header's bold, text's wrap."""

_WRAPPED = f'" s="{WRAP}" t="inlineStr"><is><t>'
_WRAPPED_KEPT = f'" s="{WRAP}" t="inlineStr"><is><t xml:space="preserve">'

_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument."

MAX_DIGIT_PIXELS, CELL_PADDING = 7, 5
"""The width of a digit of the default font (Calibri 11) and a cell's padding, in pixels."""


def xml_text(text: str) -> str:
    """`text` as the content of a `<t>` element: markup escaped, control characters as `_xHHHH_`.

    >>> xml_text("a < b\\x01")
    'a &lt; b_x0001_'
    """
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
    if _needs_escape(text):
        text = text.translate(_TEXT_ESCAPES)
    return text


def xml_attribute(text: str) -> str:
    """`text` as an attribute value (in double quotes) or element text outside cells."""
    return xml_text(text).translate(_ATTRIBUTE_ESCAPES)


def utf16_len(text: str) -> int:
    """The length Excel counts: characters beyond the Basic Multilingual Plane count twice."""
    return len(text.encode("utf-16-le")) // 2


_SURELY_FITS = EXCEL_CELL // 2
"""Characters that fit a cell whatever they are (each takes at most two UTF-16 units)."""


def fit_text(text: str, marker: str) -> tuple[str, bool]:
    """`text` cut to `EXCEL_CELL` with `marker` at its end when it is longer; and whether it was."""
    if len(text) <= _SURELY_FITS or utf16_len(text) <= EXCEL_CELL:
        return text, False
    keep = EXCEL_CELL - utf16_len(marker)
    head = text[:keep]
    while (excess := utf16_len(head) - keep) > 0:  # characters beyond the BMP take two units
        head = head[: len(head) - (excess + 1) // 2]
    return head + marker, True


def column_letters(index: int) -> str:
    """The letters of the 0-based column `index`: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def excel_width(characters: float) -> float:
    """A column width of `characters` digits as Excel stores it (whole pixels, in 1/256ths)."""
    if characters <= 0:
        return 0.0
    if characters < 1:
        pixels = int(characters * (MAX_DIGIT_PIXELS + CELL_PADDING) + 0.5)
    else:
        pixels = int(characters * MAX_DIGIT_PIXELS + 0.5) + CELL_PADDING
    return int(pixels / MAX_DIGIT_PIXELS * 256) / 256


def check_title(title: str, taken: Iterable[str]) -> None:
    """Raise ValueError when `title` breaks Excel's rules for sheet names or is taken already."""
    problem = ""
    if not title or len(title) > SHEET_TITLE:
        problem = f"has {len(title)} characters (1 to {SHEET_TITLE} allowed)"
    elif FORBIDDEN_IN_TITLE.search(title):
        problem = "holds one of []:*?/\\"
    elif title[0] == "'" or title[-1] == "'":
        problem = "starts or ends with an apostrophe"
    elif title.lower() in {t.lower() for t in taken}:
        problem = "is the name of another sheet (Excel ignores case)"
    if problem:
        raise ValueError(f"sheet name {title!r} {problem}; choose another name")


class Worksheet:
    """One sheet: its rows written to a temporary file as they come, the rest kept for `part`.

    Rows are numbered from 1 in the order they are written; a row without cells is left out of
    the file (it stays empty) but still counts.
    """

    def __init__(self, book: Workbook, title: str) -> None:
        self.book, self.title = book, title
        # held open until the package is written; gone with it (or with the process)
        self.rows: IO[bytes] = tempfile.TemporaryFile(dir=book.tmpdir)  # noqa: SIM115
        self.n = 0  # rows so far
        self.last = 0  # the last row with a cell
        self.ncols = 0
        self.widths: list[float] = []
        self.filtered = False
        self._refs: list[str] = []

    def set_widths(self, characters: Sequence[float]) -> None:
        """The columns' widths, in digits of the default font (as Excel's column dialog shows)."""
        self.widths = [excel_width(c) for c in characters]

    def write_header(self, names: Sequence[str]) -> None:
        """The next row (the first, as a rule) as a bold header of text cells."""
        self._grow(len(names))
        self.n += 1
        r = str(self.n)
        if names:
            cells = "".join(self._header_cell(ref, r, name) for ref, name in zip(self._refs, names))
            self._emit([f'<row r="{r}">{cells}</row>'])
            self.last = self.n

    def write_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """The next rows: text (wrapped, cut to fit), booleans, numbers; None or "" stays empty."""
        done: list[str] = []
        for values in rows:
            self.n += 1
            if len(values) > self.ncols:
                self._grow(len(values))
            if row := self._row(values):
                done.append(row)
                self.last = self.n
                if len(done) == 1_000:
                    self._emit(done)
                    done = []
        self._emit(done)

    def filter(self) -> None:
        """Put an autofilter over the header and every row written (those to come included)."""
        self.filtered = True

    def close(self) -> None:
        """Let go of the rows' file (after `part`, or instead of it)."""
        self.rows.close()

    def _grow(self, ncols: int) -> None:
        if ncols > EXCEL_COLUMNS:
            raise ValueError(f"sheet {self.title!r}: {ncols} columns, more than Excel's {EXCEL_COLUMNS}")
        if ncols > self.ncols:
            self.ncols = ncols
            self._refs = [f'<c r="{column_letters(k)}' for k in range(ncols)]

    def _emit(self, rows: list[str]) -> None:
        if rows:
            self.rows.write("".join(rows).encode("utf-8"))

    def _header_cell(self, ref: str, r: str, name: str) -> str:
        if not name:
            return f'{ref}{r}" s="{BOLD}"/>'
        return _text_cell(f'{ref}{r}" s="{BOLD}"', xml_text(name))

    def _row(self, values: Sequence[Any]) -> str:
        # The writer's inner loop: one string per row, the common cases first, the escaping of
        # `xml_text` and the element of `_text_cell` written out (a call per cell costs a third).
        r = str(self.n)
        cells = []
        for ref, value in zip(self._refs, values):
            kind = type(value)
            if kind is str:
                if value:
                    if len(value) > _SURELY_FITS:
                        value = self.book.fit(value)
                    if "_x" in value:
                        value = _EXCEL_ESCAPE.sub(r"_x005F\g<0>", value)
                    if _needs_escape(value):
                        value = value.translate(_TEXT_ESCAPES)
                    kept = value[0].isspace() or value[-1].isspace()
                    cells.append(f"{ref}{r}{_WRAPPED_KEPT if kept else _WRAPPED}{value}</t></is></c>")
            elif kind is float or kind is int:
                cells.append(f"{ref}{r}" + _number(value))
            elif kind is bool:
                cells.append(f'{ref}{r}" t="b"><v>{int(value)}</v></c>')
            elif value is not None and (cell := self._other(f"{ref}{r}", value)):
                cells.append(cell)
        return f'<row r="{r}">{"".join(cells)}</row>' if cells else ""

    def _other(self, start: str, value: Any) -> str:
        """A value of another type: a NumPy scalar as its Python value, anything else as text."""
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, bool):
            return f'{start}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):  # a subclass written as the plain number it is
            return start + _number(int(value) if isinstance(value, int) else float(value))
        text = self.book.fit(str(value))
        return _text_cell(f'{start}" s="{WRAP}"', xml_text(text)) if text else ""

    def part(self, first: bool) -> tuple[str, str]:
        """The XML before and after the rows (`first`: the sheet shown when the file opens)."""
        last_col = column_letters(max(self.ncols - 1, 0))
        dimension = f"A1:{last_col}{self.last}" if self.last else "A1"
        selected = ' tabSelected="1"' if first else ""
        head = (
            f'{_HEADER}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}"><dimension ref="{dimension}"/>'
            f'<sheetViews><sheetView{selected} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{self._cols()}<sheetData>'
        )
        tail = "</sheetData>"
        if self.filtered and self.ncols:
            tail += f'<autoFilter ref="{self.filter_range()}"/>'
        tail += '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
        return head, tail

    def filter_range(self, absolute: bool = False) -> str:
        """The autofilter's cells: the header and every row, over every column."""
        d = "$" if absolute else ""
        return f"{d}A{d}1:{d}{column_letters(self.ncols - 1)}{d}{max(self.n, 1)}"

    def _cols(self) -> str:
        """The `<cols>` element: runs of adjacent columns of the same width as one `<col>`."""
        cols, start = [], 0
        for k in range(1, len(self.widths) + 1):
            if k == len(self.widths) or self.widths[k] != self.widths[start]:
                width = self.widths[start]
                cols.append(f'<col min="{start + 1}" max="{k}" width="{width:.16G}" customWidth="1"/>')
                start = k
        return f"<cols>{''.join(cols)}</cols>" if cols else ""


def _text_cell(start: str, text: str) -> str:
    # Whitespace at either end is kept only when the element says so.
    if text[0].isspace() or text[-1].isspace():
        return f'{start} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    return f'{start} t="inlineStr"><is><t>{text}</t></is></c>'


def _number(value: float) -> str:
    """The end of a number cell, read back as the same number: a whole number without a decimal
    point (as Excel writes it), any other float as its `repr`. NaN is an empty cell and an
    infinity Excel's #DIV/0! (XML Schema's INF and NaN are not numbers to Excel)."""
    if type(value) is int or math.isfinite(value):
        if type(value) is float and value.is_integer() and abs(value) < 1e16:
            value = int(value)
        return f'"><v>{value!r}</v></c>'
    if value != value:
        return '"/>'
    return '" t="e"><v>#DIV/0!</v></c>'


class Workbook:
    """An `.xlsx` package, its sheets added in order and filled row by row, written by `close`.

    `tmpdir` is where the sheets' rows wait (the system's temporary folder when None); text
    longer than a cell holds is cut with `marker` at its end, counted in `cut`.

    Example:
        >>> book = Workbook(Path("x.xlsx"))  # doctest: +SKIP
        >>> sheet = book.add_sheet("tabel")  # doctest: +SKIP
        >>> sheet.write_header(["naam", "aantal"]); sheet.write_rows([("buren", 3)])  # doctest: +SKIP
        >>> sheet.filter()  # doctest: +SKIP
        >>> book.close()  # doctest: +SKIP
    """

    def __init__(self, path: Path, *, tmpdir: Path | None = None, marker: str = "") -> None:
        self.path, self.tmpdir, self.marker = path, tmpdir, marker
        self.sheets: list[Worksheet] = []
        self.cut = 0

    def add_sheet(self, title: str) -> Worksheet:
        """A new sheet after those added before (ValueError for a name Excel refuses)."""
        check_title(title, (s.title for s in self.sheets))
        self.sheets.append(Worksheet(self, title))
        return self.sheets[-1]

    def fit(self, text: str) -> str:
        """`text` cut to fit a cell (see `fit_text`), counted in `cut` when it was."""
        text, was_cut = fit_text(text, self.marker)
        self.cut += was_cut
        return text

    def close(self) -> None:
        """Write the package to `path` and let go of the sheets' rows."""
        if not self.sheets:
            self.add_sheet("Sheet1")  # a workbook has at least one sheet
        try:
            with zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED) as package:
                for name, xml in self._parts():
                    package.writestr(_entry(name), xml)
                for i, sheet in enumerate(self.sheets):
                    _write_sheet(package, f"xl/worksheets/sheet{i + 1}.xml", sheet, first=i == 0)
        finally:
            self.discard()

    def discard(self) -> None:
        """Let go of the sheets' rows without writing the package."""
        for sheet in self.sheets:
            sheet.close()

    def _parts(self) -> list[tuple[str, str]]:
        return [
            ("[Content_Types].xml", _content_types(len(self.sheets))),
            ("_rels/.rels", _package_rels()),
            ("docProps/app.xml", _app([s.title for s in self.sheets])),
            ("docProps/core.xml", _core(datetime.now(timezone.utc))),
            ("xl/workbook.xml", _workbook(self.sheets)),
            ("xl/_rels/workbook.xml.rels", _workbook_rels(len(self.sheets))),
            ("xl/styles.xml", _styles()),
        ]


def _entry(name: str) -> zipfile.ZipInfo:
    """A deflated entry with a fixed date, so the package does not depend on the clock's."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_sheet(package: zipfile.ZipFile, name: str, sheet: Worksheet, *, first: bool) -> None:
    head, tail = (part.encode("utf-8") for part in sheet.part(first))
    info = _entry(name)
    info.file_size = len(head) + sheet.rows.tell() + len(tail)  # so a large part is marked ZIP64
    sheet.rows.seek(0)
    with package.open(info, "w") as out:
        out.write(head)
        shutil.copyfileobj(sheet.rows, out, 1 << 20)
        out.write(tail)


def _content_types(n: int) -> str:
    parts = [
        ("/docProps/app.xml", f"{_TYPE}extended-properties+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/xl/styles.xml", f"{_TYPE}spreadsheetml.styles+xml"),
        ("/xl/workbook.xml", f"{_TYPE}spreadsheetml.sheet.main+xml"),
    ] + [(f"/xl/worksheets/sheet{i}.xml", f"{_TYPE}spreadsheetml.worksheet+xml") for i in range(1, n + 1)]
    return (
        f'{_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in parts)
        + "</Types>"
    )


def _relationships(targets: list[tuple[str, str]]) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{t}" Target="{p}"/>' for i, (t, p) in enumerate(targets, 1))
    return f'{_HEADER}<Relationships xmlns="{_PACKAGE_RELS}">{rels}</Relationships>'


def _package_rels() -> str:
    return _relationships(
        [
            (f"{_DOC_RELS}/officeDocument", "xl/workbook.xml"),
            (f"{_PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml"),
            (f"{_DOC_RELS}/extended-properties", "docProps/app.xml"),
        ]
    )


def _workbook_rels(n: int) -> str:
    sheets = [(f"{_DOC_RELS}/worksheet", f"worksheets/sheet{i}.xml") for i in range(1, n + 1)]
    return _relationships([*sheets, (f"{_DOC_RELS}/styles", "styles.xml")])


def _workbook(sheets: list[Worksheet]) -> str:
    listed = "".join(
        f'<sheet name="{xml_attribute(s.title)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, 1)
    )
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{xml_attribute(_quoted(s.title))}!{s.filter_range(absolute=True)}</definedName>"
        for i, s in enumerate(sheets)
        if s.filtered and s.ncols
    )
    return (
        f'{_HEADER}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr/>'
        '<bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        f"<sheets>{listed}</sheets>"
        + (f"<definedNames>{names}</definedNames>" if names else "")
        + '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def _quoted(title: str) -> str:
    """A sheet's name as a formula refers to it: always quoted, its apostrophes doubled."""
    return "'" + title.replace("'", "''") + "'"


def _styles() -> str:
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    plain = 'numFmtId="0" fontId="0" fillId="0" borderId="0"'
    return (
        f'{_HEADER}<styleSheet xmlns="{_MAIN}">'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        f'<cellStyleXfs count="1"><xf {plain}/></cellStyleXfs>'
        f'<cellXfs count="3"><xf {plain} xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f'<xf {plain} xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


def _app(titles: list[str]) -> str:
    listed = "".join(f"<vt:lpstr>{xml_attribute(t)}</vt:lpstr>" for t in titles)
    return (
        f'{_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
        f"</vt:variant><vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(titles)}" baseType="lpstr">{listed}</vt:vector></TitlesOfParts>'
        "<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>"
    )


def _core(now: datetime) -> str:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'{_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator></dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )
