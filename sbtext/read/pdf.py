"""PDF -> pages of positioned text lines, with pypdfium2.

pdfium reports text as rectangles of characters in content order. We read each rectangle's
text and position, merge rectangles on one baseline into a line, and keep the geometry so that
cleaning can tell a sidebar, a running header or a footnote from body text. A line-end hyphen
arrives as U+0002; cleaning decides whether it was a real hyphen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from sbtext.errors import DocumentError, Errors
from sbtext.records import Block, Page

Rect = tuple[float, float, float, float]


def read_pdf(path: Path) -> list[Page]:
    """Read the pages of a PDF as positioned lines, with printed page labels.

    Raises:
        DocumentError: E010 corrupt, E011 encrypted, E012 a scan without text layer.
    """
    pdf = _open(path)
    try:
        pages = [_load_page(path, pdf, i) for i in range(len(pdf))]
    finally:
        pdf.close()
    scanned = count_scanned(pages)
    if pages and scanned == len(pages):
        raise DocumentError(Errors.E012, path=str(path), stage="read", n_scanned=scanned, n_pages=len(pages))
    return pages


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
        rects = [textpage.get_rect(k) for k in range(textpage.count_rects())]
        pieces = [(r, textpage.get_text_bounded(*r)) for r in rects]
        textpage.close()
        n_images = sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    finally:
        page.close()
    label = pdf.get_page_label(i) or str(i + 1)
    blocks = tuple(_lines(pieces, width, height))
    return Page(index=i + 1, label=label, blocks=blocks, n_images=n_images)


def _lines(pieces: list[tuple[Rect, str]], width: float, height: float) -> Iterator[Block]:
    """Merge rectangles that share a baseline and follow each other into lines."""
    current: list[tuple[Rect, str]] = []
    for rect, text in pieces:
        text = text.replace("\r", "").replace("\n", " ")
        if not text.strip():
            continue
        if current and not _same_line(current[-1][0], rect):
            yield _block(current, width, height)
            current = []
        current.append((rect, text))
    if current:
        yield _block(current, width, height)


def _same_line(a: Rect, b: Rect) -> bool:
    a_mid, b_mid = (a[1] + a[3]) / 2, (b[1] + b[3]) / 2
    tolerance = 0.5 * max(a[3] - a[1], b[3] - b[1], 1.0)
    # A gap of more than a few characters means another column or a sidebar, not the same line.
    gap = b[0] - a[2]
    return abs(a_mid - b_mid) <= tolerance and -2.0 <= gap <= 4 * (a[3] - a[1])


def _block(line: list[tuple[Rect, str]], width: float, height: float) -> Block:
    text = ""
    for k, (rect, piece) in enumerate(line):
        if k and not text.endswith((" ", "\x02")) and rect[0] - line[k - 1][0][2] > 1.0:
            text += " "
        text += piece
    left = min(r[0] for r, _ in line)
    top = max(r[3] for r, _ in line)
    bottom = min(r[1] for r, _ in line)
    return Block(
        text=text.strip(" "),
        kind="line",
        x0=left / width,
        top=1 - top / height,
        bottom=1 - bottom / height,
        height=(top - bottom) / height,
    )
