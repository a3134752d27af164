"""DOCX -> pages of paragraphs, with python-docx.

`paragraph.text` drops tracked insertions (`w:ins`), so text is collected from every `w:t` in
document order. Tables are read cell by cell; footnotes come from the footnotes part and stay
apart from the paragraph that refers to them. Page breaks the writer recorded (explicit breaks
and Word's last rendered page breaks) start a new page.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from sbtext.errors import DocumentError, Errors
from sbtext.records import Block, Page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""What all parts together may unpack to: far above a real report with images, far below memory."""
MAX_RATIO = 200
CHUNK = 1 << 16
SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")
BROKEN = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    AttributeError,
    EOFError,
    NotImplementedError,
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    zlib.error,
)
"""What python-docx and zipfile raise on a damaged package."""
HEADING_STYLES = ("heading", "kop", "title", "titel")
LIST_STYLES = ("list", "lijst")


def read_docx(path: Path) -> tuple[list[Page], dict[str, str]]:
    """Read a DOCX into pages and its core metadata (title, date)."""
    _check_package(path)
    try:
        document = docx.Document(str(path))
        pages = _pages(document)
        footnotes = [Block(text=t, kind="footnote") for t in _footnotes(document)]
    except BROKEN as e:
        detail = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
        raise DocumentError(Errors.E022, path=str(path), stage="read", detail=detail) from e
    if footnotes:
        last = pages[-1]
        pages[-1] = Page(index=last.index, label=last.label, blocks=last.blocks + tuple(footnotes))
    props = document.core_properties
    # The core "created" date is when the file was made, not the date of the letter: not used.
    meta = {"title": props.title or ""}
    return pages, meta


def _check_package(path: Path) -> None:
    """Refuse a zip bomb before python-docx unpacks anything.

    The sizes in the zip directory can lie, and `zipfile` inflates a part whole when asked for
    all of it, so every part is inflated here in small chunks and counted: memory stays at one
    chunk, and the count stops at the limit whatever the headers say.
    """
    if not zipfile.is_zipfile(path):
        raise DocumentError(Errors.E020, path=str(path), stage="read", detail="no zip directory found")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            for info in infos:
                _check_header(path, info)
            if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
                raise DocumentError(Errors.E023, path=str(path), stage="read", limit=MAX_TOTAL_BYTES)
            total = 0
            for info in infos:
                total = _inflate_counting(path, z, info, total)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as e:
        raise DocumentError(Errors.E020, path=str(path), stage="read", detail=f"{type(e).__name__}: {e}") from e


def _check_header(path: Path, info: zipfile.ZipInfo) -> None:
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > MAX_PART_BYTES or (info.file_size > 10_000_000 and ratio > MAX_RATIO):
        raise DocumentError(
            Errors.E021, path=str(path), stage="read", part=info.filename, size=info.file_size, limit=MAX_PART_BYTES
        )


def _inflate_counting(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo, total: int) -> int:
    """Inflate one part chunk by chunk (zipfile checks its size and CRC); the running total."""
    with z.open(info) as part:
        while chunk := part.read(CHUNK):
            total += len(chunk)
            if total > MAX_TOTAL_BYTES:
                raise DocumentError(Errors.E023, path=str(path), stage="read", limit=MAX_TOTAL_BYTES)
    return total


def _pages(document: docx.document.Document) -> list[Page]:
    pages: list[list[Block]] = [[]]
    body = document.element.find(W + "body")
    if body is None:
        raise ValueError("the main part has no body (w:body)")
    for element in body.iterchildren():
        if element.tag == W + "p":
            if _breaks_page(element) and pages[-1]:
                pages.append([])
            block = _paragraph_block(element)
            if block:
                pages[-1].append(block)
        elif element.tag == W + "tbl":
            pages[-1].extend(_table_blocks(element))
    return [Page(index=i, label=str(i), blocks=tuple(b)) for i, b in enumerate(pages, start=1)]


def _breaks_page(p: etree._Element) -> bool:
    for br in p.iter(W + "br", W + "lastRenderedPageBreak"):
        if br.tag == W + "lastRenderedPageBreak" or br.get(W + "type") == "page":
            return True
    return False


def _text(element: etree._Element) -> str:
    parts: list[str] = []
    for node in element.iter(W + "t", W + "tab", W + "br", W + "noBreakHyphen"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "noBreakHyphen":
            parts.append("-")
        else:
            parts.append(" ")
    return " ".join("".join(parts).split())


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return (style.get(W + "val") or "").lower() if style is not None else ""


def _paragraph_block(p: etree._Element) -> Block | None:
    text = _text(p)
    if not text:
        return None
    style = _style(p)
    if style.startswith(HEADING_STYLES):
        return Block(text=text, kind="heading")
    if style.startswith(LIST_STYLES) or p.find(f"{W}pPr/{W}numPr") is not None:
        return Block(text=text, kind="bullet")
    return Block(text=text, kind="paragraph")


def _table_blocks(table: etree._Element) -> Iterator[Block]:
    for cell in table.iter(W + "tc"):
        for p in cell.iterchildren(W + "p"):
            text = _text(p)
            if text:
                yield Block(text=text, kind="table_cell")


def _footnotes(document: docx.document.Document) -> Iterator[str]:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            root = etree.fromstring(rel.target_part.blob, parser=_safe_parser())
            for note in root.iterchildren(W + "footnote"):
                # Word's separator notes carry a type (and ids -1 and 0); an id need not be a number.
                if note.get(W + "type") not in SEPARATORS and note.get(W + "id", "0").strip() not in ("-1", "0"):
                    text = _text(note)
                    if text:
                        yield text


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
