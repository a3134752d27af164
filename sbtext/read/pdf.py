"""PDF -> pages of positioned text lines, with pypdfium2.

The words are pdfium's own page text (`get_text_range`): its spacing between words, its line
breaks and its marker for a line-end hyphen (U+FFFE or U+0002, passed on as U+0002 for cleaning
to judge). Each character's box gives the geometry: a line ends where pdfium breaks it, where the
next glyph sits on another baseline, or where a gap wider than a few characters opens (a sidebar,
a table column). A glyph drawn a second time on top of itself (fake bold) is read once; a raised
smaller number after a word is a footnote marker and leaves the text. Each line keeps its
position, font size and weight, so that cleaning can tell a sidebar, a running header, a heading
or a footnote from body text.

Page numbers: the PDF's page labels when it has them; otherwise the numbers printed in the
running header or footer (see `sbtext.read.pagenum`), including pages that hold a two-page
spread.
"""

from __future__ import annotations

import ctypes
import itertools
import math
import re
from pathlib import Path
from typing import Any, NamedTuple, cast

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sbtext.errors import DocumentError, Errors
from sbtext.read.pagenum import number_pages
from sbtext.records import Block, Page

HYPHEN_MARKS = "\ufffe\x02\u00ad"
LINE_BREAKS = "\r\n"
GAP_SPLIT = 2.5  # a gap wider than this many line heights starts another line (column, sidebar)
BOLD_WEIGHT = 600
SIZE_SAMPLES = 5  # letters of a line whose font sizes are read: the line's size is their median
GENERATED_TITLES = (
    "microsoft word",
    "microsoft powerpoint",
    "untitled",
    "naamloos",
    "document",
    "sjabloon",
    "template",
)


class _Glyph(NamedTuple):
    char: str
    left: float
    right: float
    bottom: float
    top: float
    k: int  # the character's index in pdfium's page text


def read_pdf(path: Path) -> list[Page]:
    """Read the pages of a PDF as positioned lines, with their printed page labels.

    Raises:
        DocumentError: E010 corrupt, E011 encrypted, E012 a scan without text layer.
    """
    return read_pdf_numbered(path)[0]


def read_pdf_numbered(path: Path) -> tuple[list[Page], dict[str, str]]:
    """Like `read_pdf`, with the title from the PDF's metadata where it is a meaningful one."""
    pdf = _open(path)
    try:
        pages = [_load_page(path, pdf, i) for i in range(len(pdf))]
        labels = [pdf.get_page_label(i) or "" for i in range(len(pdf))]
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError as e:
        raise DocumentError(Errors.E010, path=str(path), stage="read", detail=str(e)) from e
    finally:
        pdf.close()
    scanned = count_scanned(pages)
    if pages and scanned == len(pages):
        raise DocumentError(Errors.E012, path=str(path), stage="read", n_scanned=scanned, n_pages=len(pages))
    pages, _ = number_pages(pages, labels)
    return pages, {"title": title} if meaningful_title(title, path) else {}


def meaningful_title(title: str, path: Path) -> bool:
    """A metadata title names the document, not the program, template or file that made it."""
    words = title.split()
    if len(words) < 2 or len(title) > 200 or title.lower().startswith(tuple(GENERATED_TITLES)):
        return False
    lowered = title.lower()
    return not (path.stem.lower() in lowered or re.search(r"\.(docx?|pdf|indd|pptx?|xlsx?)\b", lowered))


def count_scanned(pages: list[Page]) -> int:
    """Pages with images and no text: they need OCR."""
    return sum(1 for p in pages if not p.blocks and p.n_images)


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if "password" in str(e).lower():
            raise DocumentError(Errors.E011, path=str(path), stage="read") from e
        raise DocumentError(Errors.E010, path=str(path), stage="read", detail=str(e)) from e


def _load_page(path: Path, pdf: pdfium.PdfDocument, i: int) -> Page:
    """One page; a page pdfium cannot load (a page tree claiming pages it lacks) is a coded error."""
    try:
        return _read_page(pdf, i)
    except pdfium.PdfiumError as e:
        raise DocumentError(Errors.E013, path=str(path), page=i + 1, stage="read", detail=str(e).rstrip(".")) from e


def _read_page(pdf: pdfium.PdfDocument, i: int) -> Page:
    page = pdf[i]
    try:
        width, height = page.get_size()
        textpage = page.get_textpage()
        try:
            lines = _glyph_lines(textpage)
            blocks = tuple(_block(textpage, line, width, height) for line in lines)
        finally:
            textpage.close()
        n_images = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    finally:
        page.close()
    return Page(index=i + 1, label=str(i + 1), blocks=blocks, n_images=n_images, width=width, height=height)


def _page_text(textpage: pdfium.PdfTextPage) -> str:
    n = textpage.count_chars()
    text = textpage.get_text_range() if n else ""
    if len(text) != n:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, k) or 32) for k in range(n))
    return text


def _glyph_lines(textpage: pdfium.PdfTextPage) -> list[list[_Glyph]]:
    """pdfium's page text as glyphs with their boxes, split into visual lines, overprinted
    duplicates dropped."""
    raw = textpage.raw
    text = _page_text(textpage)
    glyphs = iter(_glyphs(raw, text))
    lines: list[list[_Glyph]] = []
    line = _Line(raw)
    for k, char in enumerate(text):
        if char.isspace():
            if char in LINE_BREAKS:
                lines.append(line.glyphs)
                line = _Line(raw)
            else:
                line.space(k)
            continue
        glyph = next(glyphs)
        if glyph.top <= glyph.bottom:
            line.glyphs.append(glyph)
        elif not line.add(glyph):
            lines.append(line.glyphs)
            line = _Line(raw)
            line.add(glyph)
    lines.append(line.glyphs)
    return [g for g in lines if any(not x.char.isspace() for x in g)]


def _glyphs(raw: object, text: str) -> list[_Glyph]:
    """The page text's characters other than spaces and line breaks, with their boxes."""
    indexes = [k for k, char in enumerate(text) if not char.isspace()]
    boxes = _char_boxes(raw, indexes)
    fields = zip([text[k] for k in indexes], boxes[0::4], boxes[1::4], boxes[2::4], boxes[3::4], indexes)
    # tuple.__new__ over zipped fields: the tuples are made in C, not by a Python call per glyph.
    return list(map(tuple.__new__, itertools.repeat(_Glyph), fields))


# FPDFText_GetCharBox through a prototype that takes plain addresses: pypdfium2's own binding
# converts four pointer objects per call, which costs more than pdfium's work for the glyph.
_GET_CHAR_BOX = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
)(cast(int, ctypes.cast(pdfium_c.FPDFText_GetCharBox, ctypes.c_void_p).value))


def _char_boxes(raw: Any, indexes: list[int]) -> list[float]:
    """The boxes of the characters at `indexes`, flat: left, right, bottom, top of each in turn.

    A character pdfium gives no box keeps the one before it (zeros for the first), as four
    reused output variables would.
    """
    buffer = (ctypes.c_double * (4 * len(indexes)))()
    base = ctypes.addressof(buffer)
    page = ctypes.cast(raw, ctypes.c_void_p)
    for j, k in enumerate(indexes):
        at = base + 32 * j
        if not _GET_CHAR_BOX(page, k, at, at + 8, at + 16, at + 24) and j:
            ctypes.memmove(at, at - 32, 32)
    return buffer[:]


class _Line:
    """The glyphs of one visual line as it is being read, with its vertical extent.

    `add` runs once per glyph of the document: it works by comparisons on local names, and the
    index of glyphs by character and position that finds overprints is built only for a line
    where one could be (a glyph not right of all before it).
    """

    def __init__(self, raw: object = None) -> None:
        self.raw = raw
        self.glyphs: list[_Glyph] = []
        self.last: _Glyph | None = None
        self.low = self.high = 0.0
        self.seen: dict[tuple[str, int], list[_Glyph]] | None = None
        self.rightmost = -math.inf  # the largest `left` among the glyphs seen

    def space(self, k: int) -> None:
        if self.glyphs and self.glyphs[-1].char != " ":
            self.glyphs.append(_Glyph(" ", 0.0, 0.0, 0.0, 0.0, k))

    def add(self, glyph: _Glyph) -> bool:
        """Take the glyph unless it overprints one (True either way); False, taking nothing, when
        it starts another line."""
        char, left, _, bottom, top, _ = glyph
        if left - 3 <= self.rightmost and self.is_overprint(glyph):
            return True
        last = self.last
        if last is None:
            self.low, self.high = bottom, top
        else:
            low, high = self.low, self.high
            # max(min(extent, 3 x last height), glyph height, 1)
            size, tall = high - low, 3 * (last.top - last.bottom)
            if tall < size:
                size = tall
            if top - bottom > size:
                size = top - bottom
            if size < 1.0:
                size = 1.0
            middle, gap = (bottom + top) / 2, left - last.right
            if middle < low - 0.2 * size or middle > high + 0.2 * size:  # another baseline
                if not self._runs_vertically(last, glyph):
                    return False
            elif (last.char in HYPHEN_MARKS and left < last.left) or gap > GAP_SPLIT * size or gap < -2 * size:
                return False  # a step back after a hyphen, a wide gap, an overlap
            if bottom < low:
                self.low = bottom
            if top > high:
                self.high = top
        self.last = glyph
        self.glyphs.append(glyph)
        if self.seen is not None:
            self.seen.setdefault((char, round(left)), []).append(glyph)
        if left > self.rightmost:
            self.rightmost = left
        return True

    def is_overprint(self, glyph: _Glyph) -> bool:
        """The same character drawn again on (almost) the same spot: a bold effect. The letters
        of a ligature ("ff", "tt") follow each other with one shared box: they are not."""
        if glyph.left - 3 > self.rightmost:  # the usual case, a glyph right of all seen: none is near
            return False
        if self.seen is None:
            self.seen = {}
            for g in self.glyphs:
                if g.top > g.bottom:  # the glyphs taken by `add`, not spaces or empty boxes
                    self.seen.setdefault((g.char, round(g.left)), []).append(g)
        tolerance = 0.35 * (glyph.top - glyph.bottom)
        across = 0.35 * max(glyph.right - glyph.left, 0.1)
        x = round(glyph.left)
        for key in ((glyph.char, x - 1), (glyph.char, x), (glyph.char, x + 1)):
            for other in self.seen.get(key, ()):
                near = abs(other.left - glyph.left) < across and abs(other.bottom - glyph.bottom) < tolerance
                if near and not _ligature(other, glyph):
                    return True
        return False

    def _runs_vertically(self, last: _Glyph, glyph: _Glyph) -> bool:
        """Text set at a right angle (a label up the page's edge) goes on glyph after glyph."""
        if self.raw is None:
            return False
        near = abs(glyph.left - last.left) < 2 * (last.right - last.left) + 1
        step = min(abs(glyph.bottom - last.top), abs(last.bottom - glyph.top))
        if not near or step > 2 * max(last.right - last.left, glyph.right - glyph.left, 1.0):
            return False
        return all(abs(math.sin(pdfium_c.FPDFText_GetCharAngle(self.raw, g.k))) > 0.7 for g in (last, glyph))


def _ligature(a: _Glyph, b: _Glyph) -> bool:
    same_box = abs(a.left - b.left) < 0.01 and abs(a.right - b.right) < 0.01 and abs(a.bottom - b.bottom) < 0.01
    return same_box and b.k - a.k == 1


def _inked(line: list[_Glyph]) -> list[_Glyph]:
    return [g for g in line if not g.char.isspace() and g.top > g.bottom]


def _block(textpage: pdfium.PdfTextPage, line: list[_Glyph], width: float, height: float) -> Block:
    inked = _inked(line) or line
    body = _body_size(inked)
    chars = []
    for k, glyph in enumerate(line):
        char = glyph.char
        if char.isdigit() and _is_marker(line, k, body):
            continue
        if char in HYPHEN_MARKS:
            # A hyphen mark inside a line was not a line-end break: pdfium joined the word.
            char = "\x02" if k == len(line) - 1 else ""
        chars.append(char)
    text = "".join(chars)
    first = inked[0]
    size = _line_size(textpage, inked)
    weight = pdfium_c.FPDFText_GetFontWeight(textpage.raw, first.k)
    _, lefts, rights, bottoms, tops, _ = zip(*inked)
    left, right, top, bottom = min(lefts), max(rights), max(tops), min(bottoms)
    return Block(
        text=" ".join(text.split(" ")).strip(" "),
        kind="line",
        x0=left / width,
        x1=right / width,
        top=1 - top / height,
        bottom=1 - bottom / height,
        height=(top - bottom) / height,
        size=round(float(size), 1),
        bold=weight >= BOLD_WEIGHT,
    )


def _line_size(textpage: pdfium.PdfTextPage, inked: list[_Glyph]) -> float:
    """The font size of most of the line's letters: the median over a few spread along it.

    The first glyph alone can mislead: a footnote's raised number opens a line of small print
    at half its size, and a marker left from the line before opens a body line.
    """
    letters = [g for g in inked if g.char.isalpha()] or inked
    step = max(1, len(letters) // SIZE_SAMPLES)
    sizes = sorted(_font_size(textpage, g.k) for g in letters[::step])
    return sizes[len(sizes) // 2]


def _font_size(textpage: pdfium.PdfTextPage, index: int) -> float:
    """The font size as printed: pdfium's size scaled by the text matrix."""
    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
    matrix = pdfium_c.FS_MATRIX()
    if pdfium_c.FPDFText_GetMatrix(textpage.raw, index, ctypes.byref(matrix)):
        scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        if scale > 0:
            size *= scale
    return float(size)


def _body_size(inked: list[_Glyph]) -> float:
    heights = sorted(g.top - g.bottom for g in inked if g.char.isalpha())
    return heights[len(heights) // 2] if heights else 0.0


def _is_marker(line: list[_Glyph], k: int, body: float) -> bool:
    """A footnote number printed small and raised right after a word ("tweedeling³")."""
    glyph = line[k]
    if not glyph.char.isdigit() or not body:
        return False
    start = k
    while start > 0 and line[start - 1].char.isdigit():
        start -= 1
    if start == 0 or not line[start - 1].char.isalpha():
        return False
    word = line[start - 1]
    digit = line[start]
    raised = digit.bottom > word.bottom + 0.25 * body
    small = digit.top - digit.bottom < 0.85 * max(word.top - word.bottom, body)
    return raised and small
