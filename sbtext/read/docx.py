"""DOCX -> pages of paragraphs, with python-docx.

`paragraph.text` drops tracked insertions (`w:ins`), so text is collected from every `w:t` in
document order. Tables are read cell by cell; footnotes come from the footnotes part and stay
apart from the paragraph that refers to them. Page breaks the writer recorded (explicit breaks
and Word's last rendered page breaks) start a new page.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from sbtext.errors import DocumentError, Errors
from sbtext.records import Block, Page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
HEADING_STYLES = ("heading", "kop", "title", "titel")
LIST_STYLES = ("list", "lijst")


def read_docx(path: Path) -> tuple[list[Page], dict[str, str]]:
    """Read a DOCX into pages and its core metadata (title, date)."""
    _check_package(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise DocumentError(Errors.E022, path=str(path), stage="read", detail=str(e)) from e
    pages = _pages(document)
    footnotes = [Block(text=t, kind="footnote") for t in _footnotes(document)]
    if footnotes:
        last = pages[-1]
        pages[-1] = Page(index=last.index, label=last.label, blocks=last.blocks + tuple(footnotes))
    props = document.core_properties
    # The core "created" date is when the file was made, not the date of the letter: not used.
    meta = {"title": props.title or ""}
    return pages, meta


def _check_package(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise DocumentError(Errors.E020, path=str(path), stage="read", detail="no zip directory found")
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_PART_BYTES or (info.file_size > 10_000_000 and ratio > MAX_RATIO):
                raise DocumentError(
                    Errors.E021,
                    path=str(path),
                    stage="read",
                    part=info.filename,
                    size=info.file_size,
                    limit=MAX_PART_BYTES,
                )


def _pages(document: docx.document.Document) -> list[Page]:
    pages: list[list[Block]] = [[]]
    for element in document.element.body.iterchildren():
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
                if int(note.get(W + "id", "0")) > 0:
                    text = _text(note)
                    if text:
                        yield text


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
