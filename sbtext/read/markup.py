"""HTML and XML -> one page of structural blocks, with lxml and no entity resolution.

Web pages: the main text is found by trafilatura (it scored best on 63 real government,
municipal and provider pages, see the README), after accordion panels that a page hides until
clicked are shown again; its headings, paragraphs, list items and table rows become blocks. Pages
as published on officielebekendmakingen.nl (a `broodtekst` body with a footnote list), and pages
where trafilatura finds next to nothing, are read by the rules below instead: chrome (navigation,
header, footer, cookie bars) skipped, the first main-content candidate that holds text taken.

XML: the officiele-publicaties elements (`al`, `titel`, `lijst/li`, `noot`) and the Handelingen
of the Tweede Kamer (each `spreekbeurt` starts a section named after its `spreker`, a `motie` one
named after the motion and its submitter). Footnotes (`noot`, the footnote list) become blocks of
their own; their inline reference numbers are dropped from the paragraph.

Safety: a DTD or entity declaration in XML is refused (E030) before parsing; the parsers load no
DTD, resolve no entity and touch no network, and trafilatura only sees the tree lxml built. HTML
is parsed with lxml's huge_tree so that deep nesting and long text nodes are read (the HTML parser
expands no entities); wrapper elements of a page nested deeper than the walk allows are flattened.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from pathlib import Path

import trafilatura
from lxml import etree, html

from sbtext.errors import DocumentError, Errors
from sbtext.read.encoding import declared_encoding, decode_bytes, repair_mojibake, strip_leading, utf16_codec
from sbtext.records import Block, BlockKind, Page

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6", "titel", "tussenkop", "kop", "item-titel", "head"}
PARAGRAPHS = {"p", "al", "blockquote", "dd", "dt", "div.al", "caption", "quote"}
BULLETS = {"li", "item"}
CELLS = {"td", "th", "entry", "cell"}
ROWS = {"tr", "row"}
HTML_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
HTML_TEXT = ("p", "li", "td", "th", "dd", "dt", "blockquote")
BLOCKS = HEADINGS | PARAGRAPHS | BULLETS | CELLS | ROWS
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
    "noot.nr",
    "template",
}
NEVER_CHROME = {"html", "body", "main", "article"}
CHROME_IDS = re.compile(r"(^|[-_ ])(nav|menu|header|footer|breadcrumb|cookie|skip|sidebar|zoek)", re.I)
FOOTNOTE_CLASS = re.compile(r"(voetnoot|voetnoten|footnote|noten\b|notes\b)", re.I)
DECLARATIONS = re.compile(rb"<!(DOCTYPE[^>]*\[|ENTITY)", re.I)
XML_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>")
MAIN_IDS = ("broodtekst", "main-content", "content", "main")
PUBLICATION_IDS = ("broodtekst",)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
PANEL_CLASS = re.compile(r"accordion|collaps|panel|toggle|uitklap|faq|details", re.I)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SPACE_BEFORE = re.compile(r"\s+([.,;:!?)\]])")
SPACE_AFTER = re.compile(r"([(\[])\s+")
PROSE_TAGS = ("p", "li", "dd", "blockquote", "div")
PROSE_ENDS = (".", "!", "?", ":", ".)", ".”", ".’")
MIN_PROSE_WORDS = 8
LOOK_AHEAD = 40  # blocks: bounds the matching of page elements to kept blocks
FORM_TAGS = {"form", "button", "label", "select", "dialog"}
MIN_MAIN_CHARS = 200  # less than this from trafilatura, and the rules are asked as well
MAX_WALK_DEPTH = 400  # the walk recurses; deeper trees have their wrapper elements flattened
WRAPPERS = ("div", "span", "section", "font", "b", "i", "u", "em", "strong", "center", "small", "big")
LIBXML_DEPTH_LIMIT = 2048
LIBXML_TEXT_LIMIT = 9_000_000  # trafilatura re-parses its output without huge_tree (10 MB per text node)
META_NAMES = {
    "dc.title": "title",
    "dcterms.title": "title",
    "og:title": "title",
    "dcterms.issued": "date",
    "dc.date": "date",
    "dcterms.available": "date",
    "dcterms.created": "date",
    "article:published_time": "date",
    "overheidop.kenmerk": "kenmerk",
    "overheidop.ondernummer": "kenmerk",
    "dc.type": "doc_type",
    "dcterms.type": "doc_type",
    "overheidop.dossiernummer": "dossier",
    "description": "description",
    "dcterms.description": "description",
    "og:description": "description",
    "og:url": "url",
    "dcterms.identifier": "url",
}


# -- HTML ------------------------------------------------------------------------------------


def read_html(path: Path, data: bytes) -> tuple[list[Page], dict[str, str]]:
    """Read a web page: its main text as blocks and its metadata (title, date, description, url)."""
    root = _parse_html(path, data)
    meta = _meta(root)
    meta["title"] = _page_title(root, meta.get("title", ""))
    canonical = root.xpath("//link[@rel='canonical']/@href")
    if canonical and str(canonical[0]).startswith("http"):
        meta.setdefault("url", str(canonical[0]))
    return [_page(_html_blocks(root))], meta


def _page_title(root: etree._Element, declared: str) -> str:
    """The first h1 where the title holds it (without the site's name) or says next to nothing
    ("Home", "De Schoor -"), else the declared title or the <title>."""
    title = declared or repair_mojibake(" ".join((root.findtext(".//title") or "").split()))
    h1 = root.xpath("//h1")
    heading = _inline(h1[0]) if h1 else ""
    return heading if heading and (heading in title or len(title.split()) < 3) else title


def _parse_html(path: Path, data: bytes) -> etree._Element:
    text, _ = decode_bytes(data, declared=declared_encoding(data))
    text = XML_DECLARATION.sub(b"", text.lstrip("\ufeff").encode("utf-8")).decode("utf-8")
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise DocumentError(Errors.E031, path=str(path), stage="read", fmt="HTML", detail=str(e)) from e
    if any("Excessive depth" in str(error) for error in parser.error_log):
        raise DocumentError(Errors.E046, path=str(path), stage="read", fmt="HTML", limit=LIBXML_DEPTH_LIMIT)
    if _depth(root) > MAX_WALK_DEPTH:
        etree.strip_tags(root, *WRAPPERS)
        if _depth(root) > MAX_WALK_DEPTH:
            raise DocumentError(Errors.E046, path=str(path), stage="read", fmt="HTML", limit=MAX_WALK_DEPTH)
    return root


def _depth(root: etree._Element) -> int:
    deepest = depth = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _html_blocks(root: etree._Element) -> list[Block]:
    """The main text: the publication body where there is one, else trafilatura, else the rules."""
    for ident in PUBLICATION_IDS:
        found = root.xpath(f"//*[@id='{ident}']")
        if found and _text_length(found[0]) >= MIN_MAIN_CHARS:
            return _blocks(found[0])
    found = _main_text(root) if _longest_text(root) < LIBXML_TEXT_LIMIT else []
    if sum(len(b.text) for b in found) >= MIN_MAIN_CHARS:
        return _with_title(root, _with_missed_prose(root, found))
    ruled = _blocks(_main(root))
    return ruled or found  # on a short page trafilatura's fallback glues menus to the text


def _with_missed_prose(root: etree._Element, blocks: list[Block]) -> list[Block]:
    """Add the paragraphs of running text in the page's main content that trafilatura left out
    (a text set in a page builder's columns, descriptions beside a player), each after the kept
    block that precedes it on the page.

    Only prose is added: a paragraph or list item of eight words or more that ends a sentence,
    is not mostly link text (a teaser of another page) and lies outside navigation, header,
    footer, forms and cookie bars.
    """
    kept = [_key(b.text) for b in blocks]
    joined = "".join(kept)
    after: dict[int, list[Block]] = {}
    cursor = -1
    for el in _main(_unhide(copy.deepcopy(root))).iter(*PROSE_TAGS):
        text = " ".join("".join(el.itertext()).split())
        key = _key(text)
        if not key:
            continue
        at = _kept_at(kept, key, cursor)
        if at >= 0:
            cursor = at
        elif _is_missed_prose(el, text, key, joined):
            after.setdefault(cursor, []).append(Block(text=_inline(el), kind=_kind(_tag(el), None)))
            joined += key  # a block and its wrapper hold the same text: add it once
    out = list(after.get(-1, []))
    for i, block in enumerate(blocks):
        out += [block, *after.get(i, [])]
    return out


def _kept_at(kept: list[str], key: str, cursor: int) -> int:
    """Where a page element's text is among the kept blocks, looking a little ahead of the last
    one found (an element holds a kept block, or a kept block holds it); -1 when not kept."""
    for i in range(max(cursor, 0), min(len(kept), max(cursor, 0) + LOOK_AHEAD)):
        if (kept[i] and kept[i] in key) or key in kept[i]:
            return i
    return -1


def _is_missed_prose(el: etree._Element, text: str, key: str, kept: str) -> bool:
    if len(text.split()) < MIN_PROSE_WORDS or not text.rstrip().endswith(PROSE_ENDS) or key in kept:
        return False
    if len(re.findall(r"[»›>]", text)) >= 2:
        return False  # a breadcrumb trail: Home » Actueel » ...
    if any(_tag(c) in BLOCKS or _tag(c) == "div" for c in el.iterdescendants()):
        return False  # its own paragraphs are looked at one by one
    links = sum(len(" ".join("".join(a.itertext()).split())) for a in el.iter("a"))
    if links * 2 > len(text):
        return False
    return not any(_is_chrome(a) or _tag(a) in FORM_TAGS for a in el.iterancestors())


def _longest_text(root: etree._Element) -> int:
    return max((len(t) for t in root.itertext()), default=0)


def _main_text(root: etree._Element) -> list[Block]:
    """trafilatura's main text of the page, as blocks, with the page's headings put back.

    Recall mode keeps list items that the default mode drops, but it drops headings; they are
    restored from the page where the text that follows them was kept.
    """
    shown = _unhide(copy.deepcopy(root))
    return _restore_headings(shown, _trafilatura_blocks(shown))


def _restore_headings(root: etree._Element, blocks: list[Block]) -> list[Block]:
    """Insert each h1-h6 of the page before the kept block that follows it on the page."""
    where: dict[str, int] = {}
    for i, block in enumerate(blocks):
        where.setdefault(_key(block.text), i)
    before: dict[int, list[str]] = {}
    pending: list[str] = []
    last = -1
    for el in root.iter(*HTML_HEADINGS, *HTML_TEXT):
        text = _inline(el) if el.tag in HTML_HEADINGS else " ".join("".join(el.itertext()).split())
        if el.tag in HTML_HEADINGS:
            pending = [*pending, text] if text else pending
            continue
        if not text:
            continue
        i = where.get(_key(text), -1)
        if i > last:  # a run of more than two headings is a row of link cards: keep its last
            before[i], last = pending if len(pending) <= 2 else pending[-1:], i
        pending = []  # a heading followed by text that was not kept belonged to that text
    found = {b.text for b in blocks if b.kind == "heading"}
    out: list[Block] = []
    for i, block in enumerate(blocks):
        out += [Block(text=h, kind="heading") for h in before.get(i, []) if h not in found]
        out.append(block)
    return out


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())[:60]


def _trafilatura_blocks(root: etree._Element) -> list[Block]:
    """trafilatura's reading as blocks; none where it cannot re-parse its own output (the rules
    then read the page)."""
    try:
        extracted = trafilatura.extract(
            root,
            output_format="xml",
            include_tables=True,
            include_comments=False,
            include_images=False,
            favor_recall=True,
            deduplicate=False,
        )
        tree = etree.fromstring(extracted.encode("utf-8"), parser=_xml_parser()) if extracted else None
    except etree.LxmlError:
        return []
    if tree is None:
        return []
    body = tree.find("main")
    return _blocks(body if body is not None else tree)


def _unhide(root: etree._Element) -> etree._Element:
    """Show the panels a page hides until clicked (accordions of FAQ and policy pages), not other
    hidden parts (pop-ups, accessibility widgets)."""
    controlled = {str(v) for v in root.xpath("//@aria-controls")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id") not in controlled and not PANEL_CLASS.search(el.get("class", "")):
            continue
        if HIDDEN_STYLE.search(el.get("style", "")):
            del el.attrib["style"]
        for name in ("hidden", "aria-hidden"):
            el.attrib.pop(name, None)
    return root


def _with_title(root: etree._Element, blocks: list[Block]) -> list[Block]:
    """trafilatura keeps the page title as metadata; put the first h1 back as a heading."""
    h1 = root.xpath("//main//h1|//article//h1") or root.xpath("//h1")
    title = _inline(h1[0]) if h1 else ""
    if not title or any(title == b.text for b in blocks[:3]):
        return blocks
    return [Block(text=title, kind="heading"), *blocks]


def _text_length(el: etree._Element) -> int:
    return len(" ".join("".join(el.itertext()).split()))


def _main(root: etree._Element) -> etree._Element:
    """The first main-content candidate that holds text (a skip-link target is often empty)."""
    candidates = [el for ident in MAIN_IDS for el in root.xpath(f"//*[@id='{ident}']")]
    candidates += [el for tag in ("main", "article") for el in root.xpath(f"//{tag}")]
    for candidate in candidates:
        if _text_length(candidate) >= MIN_MAIN_CHARS:
            return candidate
    body = root.find("body")
    return body if body is not None else root


# -- XML -------------------------------------------------------------------------------------


def read_xml(path: Path, data: bytes) -> tuple[list[Page], dict[str, str]]:
    """Read an XML publication (officiele-publicaties, Handelingen): its text as blocks and its `meta`."""
    data = _xml_bytes(data)
    found = DECLARATIONS.search(data[:65536])
    if found:
        raise DocumentError(Errors.E030, path=str(path), stage="read", detail=found.group(0).decode(errors="replace"))
    try:
        root = etree.fromstring(data, parser=_xml_parser())
    except etree.XMLSyntaxError as e:
        raise DocumentError(Errors.E031, path=str(path), stage="read", fmt="XML", detail=str(e)) from e
    if root is None:
        raise DocumentError(Errors.E031, path=str(path), stage="read", fmt="XML", detail="no root element")
    blocks = _blocks(root)
    meta = _meta(root)
    heading = next((b.text for b in blocks if b.kind == "heading"), "")
    if heading and "title" not in meta:
        meta["title"] = heading
    return [_page(blocks)], meta


def _xml_bytes(data: bytes) -> bytes:
    """UTF-8 bytes without marks, leading whitespace or declaration (re-encoded from UTF-16)."""
    codec = utf16_codec(data)
    if codec:
        data = data.decode(codec, errors="replace").lstrip("\ufeff").encode("utf-8")
    data = strip_leading(data)
    declared = declared_encoding(data[:200]) if data.startswith(b"<?xml") else None
    if declared and declared not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii"):
        data = data.decode(declared, errors="replace").encode("utf-8")
    return XML_DECLARATION.sub(b"", data).lstrip()


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


# -- the walk --------------------------------------------------------------------------------


def _page(blocks: list[Block]) -> Page:
    return Page(index=1, label="1", blocks=tuple(blocks))


def _blocks(root: etree._Element) -> list[Block]:
    found = (Block(text=repair_mojibake(b.text), kind=b.kind) for b in _walk(root, None, ""))
    return [b for b in found if b.text]


def _tag(el: etree._Element) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return etree.QName(tag).localname.lower() if tag else ""


def _meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("{*}meta"):
        key = META_NAMES.get((el.get("name") or el.get("property") or "").lower())
        content = " ".join((el.get("content") or "").split())
        if key == "date":  # "2025-08-05T09:26:40+00:00", "start=2015-05-28;"
            found = ISO_DATE.search(content)
            content = found.group(0) if found else ""
        if key and content:
            meta.setdefault(key, repair_mojibake(content))
    return meta


def _is_chrome(el: etree._Element) -> bool:
    tag = _tag(el)
    if tag in SKIP:
        return True
    if tag == "head":  # the HTML head; trafilatura calls its headings `head` too
        return el.getparent() is None or _tag(el.getparent()) == "html"
    if tag in NEVER_CHROME:
        return False
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


def _walk(el: etree._Element, kind: BlockKind | None, speaker: str) -> Iterator[Block]:
    if not isinstance(el.tag, str) or _is_chrome(el):
        return
    if _is_footnote(el):
        yield from _footnote_blocks(el)
        return
    tag = _tag(el)
    if tag in {"spreekbeurt", "motie", "motie-info"}:
        yield from _handelingen(el, tag, speaker)
        return
    if tag in ROWS:
        cells = (" ".join("".join(c.itertext()).split()) for c in el if _tag(c) in CELLS)
        yield Block(text=" | ".join(c for c in cells if c), kind="table_cell")
        return
    if tag in BLOCKS:
        own = _kind(tag, kind)
        yield Block(text=_inline(el), kind=own)
        kind = "bullet" if own == "bullet" else kind
    for child in el:
        yield from _walk(child, kind if tag in BLOCKS or kind else None, speaker)


def _handelingen(el: etree._Element, tag: str, speaker: str) -> Iterator[Block]:
    """A turn starts a section named after its speaker; a motion one named after itself and them."""
    if tag == "spreekbeurt":
        found = el.find("spreker")
        speaker = _inline(found) if found is not None else speaker
        yield Block(text=speaker, kind="heading")
        parts = [c for c in el if _tag(c) != "spreker"]
    elif tag == "motie":
        name = " ".join(["Motie", el.get("id", "")]).strip()
        yield Block(text=f"{name}, ingediend door {speaker.rstrip(':')}" if speaker else name, kind="heading")
        parts = [c for c in el if _tag(c) != "kop"]
    else:  # motie-info: the chair's words on the motion, said after it
        lead = el.find("spreker")
        texts = [_inline(c) for c in el if _tag(c) != "spreker"]
        if lead is not None and texts:
            texts[0] = f"{_inline(lead)} {texts[0]}"
        yield from (Block(text=t, kind="paragraph") for t in texts)
        return
    for child in parts:
        yield from _walk(child, None, speaker)


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
        text = _inline(item, footnote=True)
        text = re.sub(r"^\s*\d{1,3}[.)]?\s+", "", text) if _tag(item) != "noot" else text
        if text:
            yield Block(text=text, kind="footnote")


def _inline(el: etree._Element, *, footnote: bool = False) -> str:
    """The text of an element, without nested blocks, footnotes and footnote numbers."""
    text = " ".join(_inline_parts(el, footnote=footnote).split())
    return SPACE_AFTER.sub(r"\1", SPACE_BEFORE.sub(r"\1", text))


def _inline_parts(el: etree._Element, *, footnote: bool) -> str:
    parts = [el.text or ""] if isinstance(el.tag, str) else []
    for child in el:
        tag = _tag(child)
        if tag in {"br", "lb"}:
            parts.append(" ")
        skip = not tag or tag in BLOCKS or tag in SKIP or _is_reference(child)
        if not skip and not (_is_footnote(child) and not footnote):
            parts.append(_inline_parts(child, footnote=footnote))
        parts.append(child.tail or "")
    return " ".join(parts) if _tag(el) in {"spreker", "naam"} else "".join(parts)
