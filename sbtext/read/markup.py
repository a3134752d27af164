"""HTML and XML -> one page of structural blocks, with lxml and no entity resolution.

Shaped for officielebekendmakingen.nl and tweedekamer.nl: HTML with a `broodtekst` body and a
footnote list, and the officiele-publicaties XML with `al`, `titel`, `lijst/li` and `noot`.
Footnotes (`noot`, the footnote list) become blocks of their own; their inline reference
numbers are dropped from the paragraph. A DTD or entity declaration is refused (E030) before
parsing, and the parsers load no DTD, resolve no entity and touch no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree, html

from sbtext.errors import DocumentError, Errors
from sbtext.records import Block, BlockKind, Page

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "titel", "tussenkop", "kop"}
PARAGRAPHS = {"p", "al", "blockquote", "dd", "dt", "div.al", "caption"}
BULLETS = {"li"}
CELLS = {"td", "th", "entry"}
BLOCKS = HEADINGS | PARAGRAPHS | BULLETS | CELLS
SKIP = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "noscript",
    "form",
    "button",
    "aside",
    "meta",
    "link",
    "metadata",
    "head",
    "noot.nr",
    "template",
}
CHROME_IDS = re.compile(r"(^|[-_ ])(nav|menu|header|footer|breadcrumb|cookie|skip|sidebar|zoek)", re.I)
FOOTNOTE_CLASS = re.compile(r"(voetnoot|voetnoten|footnote|noten\b|notes\b)", re.I)
DECLARATIONS = re.compile(rb"<!(DOCTYPE[^>]*\[|ENTITY)", re.I)
MAIN_IDS = ("broodtekst", "main-content", "content", "main")


def read_html(path: Path, data: bytes) -> tuple[list[Page], dict[str, str]]:
    """Read an HTML page: its main text as blocks and its meta tags."""
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(Errors.E031, path=str(path), stage="read", fmt="HTML", detail=str(e)) from e
    meta = _meta(root)
    title = root.findtext(".//title")
    meta.setdefault("title", (title or "").strip())
    return [_page(_main(root))], meta


def read_xml(path: Path, data: bytes) -> tuple[list[Page], dict[str, str]]:
    """Read an XML publication: its text as blocks and its `meta` elements."""
    found = DECLARATIONS.search(data[:65536])
    if found:
        raise DocumentError(Errors.E030, path=str(path), stage="read", detail=found.group(0).decode(errors="replace"))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise DocumentError(Errors.E031, path=str(path), stage="read", fmt="XML", detail=str(e)) from e
    return [_page(root)], _meta(root)


def _page(root: etree._Element) -> Page:
    blocks = [b for b in _walk(root, None) if b.text]
    return Page(index=1, label="1", blocks=tuple(blocks))


def _tag(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return etree.QName(tag).localname.lower() if tag else ""


def _meta(root: etree._Element) -> dict[str, str]:
    names = {
        "dc.title": "title",
        "dcterms.title": "title",
        "dcterms.issued": "date",
        "dc.date": "date",
        "dcterms.available": "date",
        "overheidop.kenmerk": "kenmerk",
        "overheidop.ondernummer": "kenmerk",
        "dc.type": "doc_type",
        "dcterms.type": "doc_type",
        "overheidop.dossiernummer": "dossier",
    }
    meta: dict[str, str] = {}
    for el in root.iter():
        if _tag(el) == "meta":
            key = names.get((el.get("name") or el.get("property") or "").lower())
            if key and el.get("content"):
                meta.setdefault(key, el.get("content", "").strip())
    return meta


def _main(root: etree._Element) -> etree._Element:
    for ident in MAIN_IDS:
        found = root.xpath(f"//*[@id='{ident}']")
        if found:
            return found[0]
    for tag in ("main", "article"):
        found = root.xpath(f"//{tag}")
        if found:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _is_chrome(el: etree._Element) -> bool:
    if _tag(el) in SKIP:
        return True
    marks = f"{el.get('id', '')} {el.get('class', '')} {el.get('role', '')}"
    return bool(CHROME_IDS.search(marks)) and not FOOTNOTE_CLASS.search(marks)


def _is_footnote(el: etree._Element) -> bool:
    if _tag(el) == "noot":
        return True
    marks = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(FOOTNOTE_CLASS.search(marks)) or bool(re.match(r"(fn|noot|footnote)[-_]?\d", el.get("id", "")))


def _is_reference(el: etree._Element) -> bool:
    """An inline footnote number: <sup><a href="#fn1">1</a></sup> or a noot reference."""
    if _tag(el) in {"sup", "a"}:
        href = el.get("href", "") if _tag(el) == "a" else "".join(a.get("href", "") for a in el.iter("a"))
        cls = el.get("class", "")
        return href.startswith("#") and bool(re.search(r"(fn|noot|note)", href + cls, re.I))
    return _tag(el) == "noot" or _tag(el) == "noot.ref"


def _walk(el: etree._Element, kind: BlockKind | None) -> Iterator[Block]:
    if _is_chrome(el):
        return
    if _is_footnote(el):
        yield from _footnote_blocks(el)
        return
    tag = _tag(el)
    if tag in BLOCKS:
        own = _kind(tag, kind)
        yield Block(text=_inline(el), kind=own)
        kind = "bullet" if own == "bullet" else kind
    for child in el:
        yield from _walk(child, kind if tag in BLOCKS or kind else None)
        # Footnotes sit inside paragraphs in the XML; they were skipped by _inline.


def _kind(tag: str, inherited: BlockKind | None) -> BlockKind:
    if tag in HEADINGS:
        return "heading"
    if tag in BULLETS or inherited == "bullet":
        return "bullet"
    if tag in CELLS:
        return "table_cell"
    return "paragraph"


def _footnote_blocks(el: etree._Element) -> Iterator[Block]:
    items = [c for c in el.iter() if c is not el and _tag(c) in {"li", "noot"}]
    for item in items or [el]:
        text = " ".join(t for t in (_inline(x, footnote=True) for x in [item]) if t)
        text = re.sub(r"^\s*\d{1,3}[.)]?\s+", "", text) if _tag(item) != "noot" else text
        if text:
            yield Block(text=text, kind="footnote")


def _inline(el: etree._Element, *, footnote: bool = False) -> str:
    """The text of an element, without nested blocks, footnotes and footnote numbers."""
    parts = [el.text or ""]
    for child in el:
        tag = _tag(child)
        skip = tag in BLOCKS or tag in SKIP or _is_reference(child) or (_is_footnote(child) and not footnote)
        if not skip:
            parts.append(_inline(child, footnote=footnote))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())
