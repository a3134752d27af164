"""Raw pages -> clean page text, per page, before segmentation.

What is removed from the body: running headers and footers (lines repeated at the top or bottom
of many pages), page numbers ("Pagina 3 van 12", lone numbers), and a Kamerbrief's address block
and sidebar (Retouradres, Bezoekadres, Datum, Kenmerk, ...), whose date and kenmerk become
metadata. What is repaired: line-end hyphenation (pdfium marks it U+0002) where the hyphen was a
break and not part of the word ("zorg- en", "Wmo-voorziening" keep theirs), and wrapped lines,
which are joined into paragraphs. Footnotes are kept, after the body, as blocks of their own.

The clean text puts one paragraph, heading, bullet item or footnote per block, blocks separated
by a blank line; `Page.spans` says where each block is and what kind it is.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace

from sbtext.records import Block, BlockKind, Document, Page, Span

SOFT_HYPHEN = "\x02"
BULLET = re.compile(
    r"^\s*(?:[•·▪■◦●‣∙○□➢►✓\-–—*]|[oe¢](?=\s+\w)|9(?=\s+[A-Z])|\d{1,2}[.)](?=\s+\S)|[a-z][.)](?=\s+\S))\s+"
)
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?|[-–]?\s*\d{1,4}\s*[-–]?|\d{1,4}\s*/\s*\d{1,4}|[ivxlc]{1,6})\s*$",
    re.I,
)
SIDEBAR_LABEL = re.compile(
    r"^\s*(retouradres|bezoekadres|postadres|datum|kenmerk|ons kenmerk|uw kenmerk|uw brief(?: van)?|"
    r"bijlage\(n\)|bijlagen|bijlage|betreft|onderwerp|contactpersoon|inlichtingen|doorkiesnummer|"
    r"telefoon|e-mail|t|e|www\.\S+|directoraat[- ]generaal.*|directie .*|ministerie van .*|"
    r"correspondentie uitsluitend.*|ons nummer|referentie)(?=\s|:|$)\s*:?\s*(.*)$",
    re.I,
)
ADDRESS_LINE = re.compile(
    r"^\s*(retouradres\b.*|postbus \d+.*|\d{4}\s?[A-Z]{2}\s+\S.*|aan de (voorzitter|minister|leden|staatssecretaris)\b.*|"
    r"(de )?voorzitter van de (tweede|eerste) kamer.*|der staten-generaal|www\.rijksoverheid\.nl|"
    r"[A-Z][a-z]+(plein|straat|laan|weg|kade|gracht) \d+.*)\s*$",
    re.I,
)
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        1,
    )
}
DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.I)
KENMERK = re.compile(r"\b([0-9]{5,}(?:-[0-9A-Z]+)+|[A-Z]{2,}[-/ ]?\d{3,}[-/0-9A-Z]*)\b")
CONJUNCTIONS = {"en", "of", "tot", "en/of", "noch", "dan", "als", "c.q."}
ACRONYM = re.compile(r"^(?:[A-Z][a-z]{1,2}|[A-Z]{2,}[a-z]?|.*\d.*)$")
SENTENCE_FINAL = (".", "!", "?", ":", ";", "…", ".)", ".’", ".”")


def clean_document(doc: Document) -> Document:
    """Clean every page and fill date, kenmerk and title from the sidebar where missing."""
    removable = _repeated_margins(doc.pages)
    body_height = _body_height(b for page in doc.pages for b in page.blocks)
    found: dict[str, str] = {}
    pages = []
    for page in doc.pages:
        body, notes, meta = _split_page(page, removable, body_height)
        for key, value in meta.items():
            found.setdefault(key, value)
        pages.append(_assemble(page, body, notes))
    return Document(meta=doc.meta.fill(**found), pages=tuple(pages))


# -- what is not body text ------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _margin_lines(page: Page) -> list[Block]:
    lines = [b for b in page.blocks if b.kind == "line" and b.text.strip()]
    if lines and lines[0].top is not None:
        return [b for b in lines if (b.top or 0) < 0.1 or (b.bottom or 0) > 0.9]
    return lines[:1] + lines[-1:]


def _repeated_margins(pages: Iterable[Page]) -> set[str]:
    """Normalised lines found at the top or bottom of at least half the pages (min. 2)."""
    pages = list(pages)
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_norm(b.text) for b in _margin_lines(page) if len(b.text) <= 100})
    threshold = max(2, len(pages) // 2)
    return {line for line, n in counts.items() if n >= threshold and line.strip("# ")}


def _is_sidebar_geometry(block: Block, page: Page) -> bool:
    if block.x0 is None or block.x0 < 0.68:
        return False
    return any(b.x0 is not None and b.x0 < 0.45 for b in page.blocks)


def _split_page(page: Page, removable: set[str], body_height: float) -> tuple[list[Block], list[Block], dict[str, str]]:
    """Sort a page's blocks into body, footnotes and sidebar metadata."""
    body: list[Block] = []
    notes: list[Block] = []
    sidebar: list[str] = []
    margin = {id(b) for b in _margin_lines(page)} if removable else set()
    skipping = awaiting_value = False
    for block in page.blocks:
        text = block.text.strip()
        if block.kind != "line":
            (notes if block.kind == "footnote" else body).append(block)
            continue
        if not text:
            skipping = awaiting_value
            body.append(block)
            continue
        if _is_sidebar_geometry(block, page):
            sidebar.append(text)
        elif (id(block) in margin and _norm(text) in removable) or PAGE_NUMBER.match(text):
            continue
        elif SIDEBAR_LABEL.match(text) or ADDRESS_LINE.match(text) or skipping:
            sidebar.append(text)
            label_only = _is_bare_label(text)
            awaiting_value = label_only
            skipping = label_only or _starts_sidebar_block(text) or (skipping and not _looks_like_body(text))
        elif _is_footnote_line(block, body_height, notes):
            notes.append(block)
        else:
            body.append(block)
    return body, notes, _sidebar_meta(sidebar)


def _is_bare_label(text: str) -> bool:
    m = SIDEBAR_LABEL.match(text)
    if m is None:
        return False
    return not m.group(2).strip() and not text.lower().startswith(("directoraat", "directie"))


def _starts_sidebar_block(text: str) -> bool:
    return text.lower().startswith(("directoraat", "correspondentie", "retouradres", "bezoekadres"))


def _looks_like_body(text: str) -> bool:
    return len(text) > 60 or (text.endswith((".", "?", "!")) and len(text.split()) > 8)


def _body_height(blocks: Iterable[Block]) -> float:
    """The line height of the body font: the median height weighted by characters."""
    weighted = sorted((b.height, len(b.text)) for b in blocks if b.height)
    total = sum(n for _, n in weighted)
    seen = 0
    for height, n in weighted:
        seen += n
        if seen * 2 >= total:
            return height
    return 0.0


def _is_footnote_line(block: Block, body_height: float, notes: list[Block]) -> bool:
    """Small print in the lower part of a PDF page, starting with a number or continuing one."""
    if block.height is None or not body_height or (block.top or 0) < 0.6:
        return False
    small = block.height < 0.9 * body_height
    return small and (bool(re.match(r"^\d{1,3}\s+\S", block.text.strip())) or bool(notes))


def _sidebar_meta(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    joined = "\n".join(lines)
    label_value = _label_values(lines)
    if "datum" in label_value or DATE.search(joined):
        date = DATE.search(label_value.get("datum", "")) or DATE.search(joined)
        if date:
            meta["date"] = iso_date(date)
    kenmerk = KENMERK.search(label_value.get("kenmerk", "") or label_value.get("ons kenmerk", ""))
    if kenmerk:
        meta["kenmerk"] = kenmerk.group(1)
    if label_value.get("betreft"):
        meta["title"] = label_value["betreft"]
    return meta


def _label_values(lines: list[str]) -> dict[str, str]:
    """Pair each sidebar label with its value: on the same line, or the next line."""
    values: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = SIDEBAR_LABEL.match(line)
        if not m:
            continue
        label = m.group(1).lower()
        value = m.group(2).strip() or (lines[i + 1].strip() if i + 1 < len(lines) else "")
        if not SIDEBAR_LABEL.match(value) or m.group(2).strip():
            values.setdefault(label, value)
    return values


def iso_date(match: re.Match[str]) -> str:
    day, month, year = match.group(1), MONTHS[match.group(2).lower()], match.group(3)
    return f"{year}-{month:02d}-{int(day):02d}"


# -- joining lines into paragraphs ------------------------------------------------------------


def repair_hyphen(left: str, right: str) -> str:
    """Join two lines where `left` ends in a line-end hyphen (`-` or pdfium's U+0002).

    The hyphen goes when it only broke a word ("mantel-" + "zorgers"); it stays before a
    conjunction ("zorg- en"), before a capital ("Noord-" + "Holland") and after an acronym or
    number ("Wmo-" + "voorziening", "2023-" + "2026").
    """
    stem = left.rstrip()[:-1]
    word = stem.split()[-1] if stem.split() else ""
    nxt = right.lstrip()
    first = nxt.split()[0] if nxt.split() else ""
    if first.lower().strip(",.;:") in CONJUNCTIONS:
        return f"{stem}- {nxt}"
    if first[:1].isupper() or ACRONYM.match(word) or not word[-1:].isalpha():
        return f"{stem}-{nxt}"
    return stem + nxt


def _ends_with_hyphen(text: str) -> bool:
    t = text.rstrip()
    return t.endswith(SOFT_HYPHEN) or (t.endswith("-") and len(t) > 1 and t[-2].isalpha())


def _is_heading(text: str, prev: str, nxt: str) -> bool:
    words = text.split()
    if not words or len(text) > 70 or len(words) > 10 or text.endswith((*SENTENCE_FINAL[:-2], ",")):
        return False
    if not text[:1].isupper() or BULLET.match(text):
        return False
    return (not prev or prev.endswith(SENTENCE_FINAL)) and (not nxt or nxt[:1].isupper() or nxt[:1].isdigit())


def _paragraphs(lines: list[Block]) -> Iterator[tuple[str, BlockKind]]:
    """Join wrapped lines into paragraphs, bullet items and headings."""
    current = ""
    kind: BlockKind = "paragraph"
    texts = [b.text.replace("\u00ad", "").rstrip() for b in lines]
    gaps = _gaps(lines)
    following = _next_texts(texts)
    for i, text in enumerate(texts):
        stripped = text.strip()
        # Only the paragraph's end matters here; stripping all of it per line is quadratic.
        prev_text = current[-80:].strip()
        if not stripped:
            if current and not _continues_after_blank(current, following[i]):
                yield current.strip(), kind
                current, kind = "", "paragraph"
            continue
        nxt = following[i]
        if BULLET.match(stripped):
            if current:
                yield current.strip(), kind
            current, kind = stripped, "bullet"
        elif gaps[i] and current:
            yield current.strip(), kind
            current, kind = stripped, "paragraph"
        elif (
            (not current or prev_text.endswith(SENTENCE_FINAL))
            and _is_heading(stripped, prev_text, nxt)
            and (not nxt or not texts[i + 1].strip() or gaps[i + 1] if i + 1 < len(texts) else True)
        ):
            if current:
                yield current.strip(), kind
            yield stripped, "heading"
            current, kind = "", "paragraph"
        elif current and _ends_with_hyphen(current):
            current = repair_hyphen(current.rstrip(), stripped)
        else:
            current += f" {stripped}" if current else stripped  # in place: linear in the paragraph
    if current.strip():
        yield current.strip(), kind


def _next_texts(texts: list[str]) -> list[str]:
    """For each line, the next non-blank line after it (stripped), in one pass from the end."""
    out = [""] * len(texts)
    nxt = ""
    for i in range(len(texts) - 1, -1, -1):
        out[i] = nxt
        if texts[i].strip():
            nxt = texts[i].strip()
    return out


def _continues_after_blank(current: str, nxt: str) -> bool:
    """Text converted from slides puts blank lines inside sentences; join them back."""
    if not nxt or current.rstrip().endswith(SENTENCE_FINAL[:-2]):
        return current.count("(") > current.count(")")
    return nxt[:1].islower() or current.count("(") > current.count(")")


def _gaps(lines: list[Block]) -> list[bool]:
    """True where a PDF line starts after a vertical gap larger than the usual line spacing."""
    gaps = [False] * len(lines)
    steps = [
        (b.top or 0) - (a.top or 0)
        for a, b in itertools.pairwise(lines)
        if a.top is not None and b.top is not None and 0 < (b.top or 0) - (a.top or 0) < 0.1
    ]
    if not steps:
        return gaps
    # The tightest common step is the line spacing inside a paragraph (short paragraphs make the
    # median the paragraph spacing instead).
    usual = sorted(steps)[len(steps) // 5]
    for i in range(1, len(lines)):
        a, b = lines[i - 1], lines[i]
        if a.top is not None and b.top is not None:
            step = b.top - a.top
            gaps[i] = step > 1.6 * usual or step < 0
    return gaps


# -- the clean page ---------------------------------------------------------------------------


def _structural(blocks: list[Block]) -> Iterator[tuple[str, BlockKind]]:
    for block in blocks:
        text = " ".join(block.text.replace("\u00ad", "").replace(SOFT_HYPHEN, "").split())
        if text:
            kind: BlockKind = "bullet" if block.kind == "paragraph" and BULLET.match(text) else block.kind
            yield text, kind


def _assemble(page: Page, body: list[Block], notes: list[Block]) -> Page:
    parts: list[tuple[str, BlockKind]] = []
    run: list[Block] = []
    for block in [*body, Block("", kind="paragraph")]:
        if block.kind == "line":
            run.append(block)
            continue
        if run:
            parts += _paragraphs(run)
            run = []
        parts += _structural([block])
    parts += [(t, "footnote") for t, _ in _footnote_texts(notes)]
    text, spans = "", []
    for part, kind in parts:
        part = part.replace(SOFT_HYPHEN, "-")
        if text:
            text += "\n\n"
        spans.append(Span(len(text), len(text) + len(part), kind))
        text += part
    return replace(page, text=text, spans=tuple(spans), blocks=())


def _footnote_texts(notes: list[Block]) -> Iterator[tuple[str, BlockKind]]:
    """Group footnote lines into notes; a new note starts at a leading number."""
    if any(n.kind == "line" for n in notes):
        current = ""
        for note in notes:
            text = note.text.strip()
            if re.match(r"^\d{1,3}\s+\S", text):
                if current:
                    yield current, "footnote"
                current, text = "", re.sub(r"^\d{1,3}\s+", "", text)
            current = repair_hyphen(current, text) if _ends_with_hyphen(current) else f"{current} {text}".strip()
        if current:
            yield current, "footnote"
    else:
        yield from _structural(notes)
