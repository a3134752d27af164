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
from typing import NamedTuple

from sbtext.records import Block, BlockKind, Document, Page, Span

SOFT_HYPHEN = "\x02"
SYMBOL_BULLETS = "•·▪■◦●‣∙○□➢►▶▸✓✔✗❖◆◇♦➤→⇒\u2043\u25aa\u25ab\u25cf\u25cb\uf000-\uf8ff"
BULLET_GLYPHS = SYMBOL_BULLETS + "\\-–—−*"
BULLET = re.compile(
    rf"^\s*(?:[{SYMBOL_BULLETS}]\s*(?=\S)|[\-–—−*]\s+|[oe¢](?=\s+\w)\s+|9(?=\s+[A-Z])\s+"
    r"|\(?\d{1,2}[.)](?=\s+\S)\s+|\(?[a-z][.)](?=\s+\S)\s+)"
)
MARKER_ALONE = re.compile(rf"^\s*(?:[{BULLET_GLYPHS}]|\(?(?:\d{{1,2}}|[a-zA-Z]|[ivx]{{1,4}})[.)])\s*$")
SYMBOL_BULLET = re.compile(rf"^\s*[{BULLET_GLYPHS}]")
BULLET_ALONE = re.compile(rf"^\s*[{BULLET_GLYPHS}]\s*$")
NUMBERED_HEADING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Za-z][.)])\s+[A-ZÀ-Ý]")
PAGE_NUMBER = re.compile(
    r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?|[-–]?\s*\d{1,4}\s*[-–]?|\d{1,4}\s*/\s*\d{1,4}|[ivxlc]{1,6})\s*$",
    re.I,
)
SIDEBAR_LABEL = re.compile(
    r"^\s*>?\s*(retouradres|bezoekadres|postadres|datum|kenmerk|ons kenmerk|uw kenmerk|onze referentie|uw referentie|uw brief(?: van)?|"
    r"bijlage\(n\)|bijlagen|bijlage|betreft|onderwerp|contactpersoon|inlichtingen|doorkiesnummer|"
    r"telefoon|e-mail|t|e|www\.\S+|directoraat[- ]generaal.*|directie .*|ministerie van .*|"
    r"correspondentie uitsluitend.*|ons nummer|referentie)(?=\s|:|$)\s*:?\s*(.*)$",
    re.I,
)
ADDRESS_LINE = re.compile(
    r"^\s*>?\s*(retouradres\b.*|postbus \d+.*|\d{4}\s?[A-Z]{2}\s+\S.*|aan de (voorzitter|minister|leden|staatssecretaris)\b.*|"
    r"(de )?voorzitter van de (tweede|eerste) kamer.*|der staten-generaal|www\.rijksoverheid\.nl|"
    r"[A-Z][a-z]+(plein|straat|laan|weg|kade|gracht) \d+.*)\s*$",
    re.I,
)
LETTER_LABELS = {
    "datum",
    "kenmerk",
    "ons kenmerk",
    "uw kenmerk",
    "onze referentie",
    "betreft",
    "onderwerp",
    "bijlage(n)",
    "uw brief",
}
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
MONTH_ABBREVIATIONS = {"mrt": 3, "sept": 9, **{m[:3]: i for m, i in MONTHS.items()}}
# A date as written ("3 april 2025") or stamped ("2 2 APR. 2026": a stamp's digits set apart).
DATE = re.compile(r"\b(\d{1,2}|\d \d)\s+(" + "|".join([*MONTHS, *MONTH_ABBREVIATIONS]) + r")\.?\s+(\d{4})\b", re.I)
STAMPED_DATE = re.compile(rf"^\s*{DATE.pattern}\s*$", re.I)
KENMERK = re.compile(r"\b([0-9]{5,}(?:-[0-9A-Z]+)+|[A-Z]{2,}[-/ ]?\d{3,}[-/0-9A-Z]*)\b")
CONJUNCTIONS = {"en", "of", "tot", "en/of", "noch", "dan", "als", "c.q."}
ACRONYM = re.compile(r"^(?:[A-Z][a-z]{1,2}|[A-Z]{2,}[a-z]?|.*\d.*)$")
# A bullet drawn from a symbol font's private-use area (Word's Symbol bullet is U+F0B7): it
# shows as a box or nothing outside that font, so the item opens with "•" instead.
PRIVATE_BULLET = re.compile(r"^[\uf000-\uf8ff]\s*")
# A footnote number set at body size between a word and the next sentence, without spaces
# ("samengebracht3Het gaat om"): the number leaves the text, as a raised marker does.
GLUED_MARKER = re.compile(r"(?<=[a-zà-ÿ]{3})\d{1,2}([A-ZÀ-Ý][a-zà-ÿ])")
SENTENCE_FINAL = (".", "!", "?", ":", ";", "…", ".)", ".’", ".”")
# A heading's number or label, set before its title or on the line above it: "1.", "2.3.",
# "Deel B.", "Hoofdstuk 4.", "Bijlage II.". Its full stop ends no sentence.
HEADING_LABEL = re.compile(r"(?:[A-ZÀ-Ý][a-zà-ÿ]+\s+)?(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]|[IVXLC]{1,5})\.(?:\s+|$)")


def clean_document(doc: Document) -> Document:
    """Clean every page and fill date, kenmerk, title and page numbering from the document."""
    removable = _repeated_margins(doc.pages)
    letter = any(_is_letter_page(page) for page in doc.pages)
    blocks = [b for page in doc.pages for b in page.blocks]
    style = body_style(blocks)
    body_print = BodyPrint(height=_body_height(blocks), size=style.size)
    found: dict[str, str] = {}
    pages = []
    for page in doc.pages:
        body, notes, meta = _split_page(page, removable, body_print, letter)
        for key, value in meta.items():
            found.setdefault(key, value)
        pages.append(_assemble(page, find_tables(body), notes, style))
    found.setdefault("title", _first_heading(pages))
    filled = doc.meta.fill(**found, page_numbering=_numbering(doc.pages))
    return Document(meta=filled.fill(source=filled.title), pages=tuple(pages))


def _numbering(pages: Iterable[Page]) -> str:
    kinds = {p.numbering for p in pages}
    for kind in ("spread", "printed", "labels"):
        if kind in kinds:
            return kind
    return "index"


def _first_heading(pages: list[Page]) -> str:
    for page in pages:
        for span in page.spans:
            text = page.text[span.start : span.end]
            if span.kind == "heading" and len(text.split()) >= 2:
                return text
    return ""


# -- what is not body text ------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _margin_lines(page: Page) -> list[Block]:
    lines = [b for b in page.blocks if b.kind == "line" and b.text.strip()]
    if lines and lines[0].top is not None:
        return [
            b for b in lines if (b.top or 0) < 0.1 or (b.bottom or 0) > 0.9 or (b.x0 or 0) > 0.9 or _in_left_edge(b)
        ]
    return lines[:1] + lines[-1:]


def _in_left_edge(block: Block) -> bool:
    return block.x1 is not None and block.x1 < 0.1


def _repeated_margins(pages: Iterable[Page]) -> set[str]:
    """Normalised lines found at the top or bottom of at least half the pages (min. 2)."""
    pages = list(pages)
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_norm(b.text) for b in _margin_lines(page) if len(b.text) <= 100})
    # Even and odd pages often carry different running heads: each is on a quarter of the pages.
    threshold = max(2, len(pages) // 4)
    return {line for line, n in counts.items() if n >= threshold and line.strip("# ")}


def _is_sidebar_geometry(block: Block, letter: bool) -> bool:
    """A letter's sidebar: short lines at the right of a letter's page."""
    return letter and block.x0 is not None and block.x0 >= 0.68 and len(block.text) <= 80


def _in_margin(block: Block) -> bool:
    return block.top is None or block.top < 0.12 or (block.bottom or 0) > 0.88


def _split_page(
    page: Page, removable: set[str], body_print: BodyPrint, letter_document: bool = False
) -> tuple[list[Block], list[Block], dict[str, str]]:
    """Sort a page's blocks into body, footnotes and sidebar metadata.

    A letter's sidebar column goes on past its first page, where no labels show it is a letter:
    on every page of a letter, short lines at the right of a page with body text at the left are
    the sidebar's, cut off before tables are looked for.
    """
    body: list[Block] = []
    notes: list[Block] = []
    sidebar: list[str] = []
    margin = {id(b) for b in _margin_lines(page)} if removable else set()
    letter = _is_letter_page(page)
    sidebar_column = (letter or letter_document) and any(b.x0 is not None and b.x0 < 0.45 for b in page.blocks)
    skipping = awaiting_value = False
    last: Block | None = None  # the last line taken for the sidebar or address block
    for block in page.blocks:
        text = block.text.strip()
        if block.kind != "line":
            (notes if block.kind == "footnote" else body).append(block)
            continue
        if not text:
            skipping = awaiting_value
            body.append(block)
            continue
        if _is_sidebar_geometry(block, sidebar_column):
            sidebar.append(text)
        elif (id(block) in margin and _norm(text) in removable) or (PAGE_NUMBER.match(text) and _in_margin(block)):
            continue
        elif letter and STAMPED_DATE.match(text):
            sidebar.append(text)  # the date stamped or typed on a line of its own
        elif letter and (_is_label(text) or ADDRESS_LINE.match(text) or (skipping and _continues(block, last))):
            sidebar.append(text)
            label_only = _is_bare_label(text)
            awaiting_value = label_only
            skipping = (
                label_only
                or _starts_sidebar_block(text)
                or (skipping and _continues(block, last) and not awaiting_value)
            )
            last = block
        elif _is_footnote_line(block, body_print, notes):
            notes.append(block)
        else:
            body.append(block)
    return body, notes, _sidebar_meta(sidebar)


def _continues(block: Block, last: Block | None) -> bool:
    """A line that goes on with the sidebar or address block before it: in text without
    geometry, any short line; in a PDF, the next line of the same column or the same row."""
    if _looks_like_body(block.text.strip()):
        return False
    if block.top is None or last is None or last.top is None:
        return True
    height = max(block.height or 0.0, last.height or 0.0, 0.005)
    same_row = abs(block.top - last.top) < 0.5 * height
    below = (
        abs((block.x0 or 0) - (last.x0 or 0)) < 0.05
        and -0.5 * height <= block.top - (last.bottom or last.top) < 2.5 * height
    )
    return same_row or below


def _is_label(text: str) -> bool:
    """A sidebar label as printed: capitalised ("Datum", "Kenmerk", "> Retouradres ...")."""
    return text.lstrip("> ")[:1].isupper() and SIDEBAR_LABEL.match(text) is not None


def _is_letter_page(page: Page) -> bool:
    """A page of a letter: a return address, or two of the sidebar labels of a letter."""
    labels = set()
    for block in page.blocks:
        text = block.text.strip()
        if text.lstrip("> ").lower().startswith("retouradres"):
            return True
        m = SIDEBAR_LABEL.match(text)
        if m and _is_label(text) and len(text) <= 60:
            labels.add(m.group(1).lower())
    return len(labels & LETTER_LABELS) >= 2


def _is_bare_label(text: str) -> bool:
    m = SIDEBAR_LABEL.match(text)
    if m is None:
        return False
    return not m.group(2).strip() and not text.lower().startswith(("directoraat", "directie"))


def _starts_sidebar_block(text: str) -> bool:
    return text.lstrip("> ").lower().startswith(("directoraat", "correspondentie", "retouradres", "bezoekadres"))


def _looks_like_body(text: str) -> bool:
    return len(text) > 60 or (text.endswith((".", "?", "!")) and len(text.split()) > 8)


class BodyPrint(NamedTuple):
    """How the body text is printed: its line height (of the page) and font size (points, the
    `body_style`'s)."""

    height: float = 0.0
    size: float = 0.0


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


def _is_footnote_line(block: Block, body: BodyPrint, notes: list[Block]) -> bool:
    """Small print in the lower part of a PDF page, starting with a number or continuing a note
    below it.

    Small means a smaller font where the PDF gives font sizes: a body line without ascenders or
    descenders ("een nieuwe rol voor EZ") is as low as a line of small print, and a bullet
    glyph lower still. A line that continues a note is further down the page than the note's
    last line and overlaps it across: body text beside the notes, in another column, does not.
    """
    if block.height is None or not body.height or (block.top or 0) < 0.6:
        return False
    small = _set_smaller(block, body.size) if block.size and body.size else block.height < 0.9 * body.height
    if not small:
        return False
    if re.match(r"^\d{1,3}\s+\S", block.text.strip()):
        return True
    return bool(notes) and _below(block, notes[-1])


def _below(block: Block, above: Block) -> bool:
    """`block` is lower on the page than `above`, and the two overlap horizontally."""
    if block.top is None or above.top is None:
        return True
    if None in (block.x0, block.x1, above.x0, above.x1):
        return block.top > above.top
    across = (block.x0 or 0.0) < (above.x1 or 0.0) and (above.x0 or 0.0) < (block.x1 or 0.0)
    return block.top > above.top and across


def _sidebar_meta(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    joined = "\n".join(lines)
    label_value = _label_values(lines)
    if "datum" in label_value or DATE.search(joined):
        date = DATE.search(label_value.get("datum", "")) or DATE.search(joined)
        if date and iso_date(date):
            meta["date"] = iso_date(date)
    own = ("kenmerk", "ons kenmerk", "onze referentie")
    kenmerk = KENMERK.search(next((label_value[k] for k in own if label_value.get(k)), ""))
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
    """The ISO form of a `DATE` match ("" for a day that no month has)."""
    name = match.group(2).lower()
    day, month, year = (
        int(match.group(1).replace(" ", "")),
        MONTHS.get(name) or MONTH_ABBREVIATIONS[name],
        match.group(3),
    )
    return f"{year}-{month:02d}-{day:02d}" if 1 <= day <= 31 else ""


# -- joining lines into paragraphs ------------------------------------------------------------


def repair_hyphen(left: str, right: str) -> str:
    """Join two lines where `left` ends in a line-end hyphen (`-` or pdfium's U+0002).

    The hyphen goes when it only broke a word ("mantel-" + "zorgers"); it stays before a
    conjunction ("zorg- en"), before a capital ("Noord-" + "Holland") and after an acronym or
    number ("Wmo-" + "voorziening", "2023-" + "2026").
    """
    stem = left.rstrip()[:-1]
    # The part after the word's last hyphen decides: "CO2-reduc-" + "tie" is one broken word.
    word = stem.split()[-1].split("-")[-1] if stem.split() else ""
    nxt = right.lstrip()
    first = nxt.split()[0] if nxt.split() else ""
    if first.lower().strip(",.;:") in CONJUNCTIONS:
        return f"{stem}- {nxt}"
    if first[:1].isupper() or ACRONYM.match(word) or not word[-1:].isalpha():
        return f"{stem}-{nxt}"
    return stem + nxt


def _ends_with_hyphen(text: str) -> bool:
    t = text.rstrip()
    return t.endswith(SOFT_HYPHEN) or (t.endswith("-") and len(t) > 1 and t[-2].isalnum())


class Style(NamedTuple):
    """The body text's font size and whether most of it is bold, for telling headings apart."""

    size: float = 0.0
    bold: bool = False


NO_STYLE = Style()


def body_style(blocks: Iterable[Block]) -> Style:
    """The font size and weight of most characters on the pages."""
    sizes: Counter[float] = Counter()
    bold = total = 0
    for block in blocks:
        if block.size:
            sizes[round(block.size)] += len(block.text)
            bold += len(block.text) if block.bold else 0
            total += len(block.text)
    if not sizes:
        return Style()
    return Style(size=float(sizes.most_common(1)[0][0]), bold=bold * 2 > total)


def _styled_heading(block: Block, style: Style) -> bool:
    """A PDF line set larger or bolder than the body, short and without final punctuation."""
    text = block.text.strip()
    if not style.size or not block.size or not text or len(text) > 120 or len(text.split()) > 15:
        return False
    if (text.endswith((".", ";", ",")) and not HEADING_LABEL.fullmatch(text)) or SYMBOL_BULLET.match(text):
        return False
    if not (text[:1].isupper() or text[:1].isdigit() or NUMBERED_HEADING.match(text.capitalize())):
        return False
    larger = block.size >= 1.15 * style.size
    bolder = block.bold and not style.bold and block.size >= 0.95 * style.size
    return (larger or bolder) and any(c.isalpha() for c in text)


def _set_smaller(block: Block, body_size: float) -> bool:
    """A PDF line in a smaller font than the body's: a caption, a label in a figure, small print."""
    return bool(block.size and body_size) and (block.size or 0.0) < 0.95 * body_size


def _run_goes_on(above: Block, line: Block, gap: bool) -> bool:
    """The line continues the run of large or bold lines above it: the same font size, and no
    more space between them than between the lines of a paragraph set in that size.

    The page's usual line spacing is that of the body text; a title set twice as large has
    twice the spacing between its lines, which is no gap between paragraphs.
    """
    if line.size != above.size:
        return False
    if not gap:
        return True
    if line.top is None or above.top is None:
        return False
    step = line.top - above.top
    return 0 < step < 1.8 * max(line.height or 0.0, above.height or 0.0)


def _heading_above_paragraph(above: Block, line: Block, current: str, text: str) -> bool:
    """A short heading over a paragraph in the same bold or large print, without space between:
    the heading alone reads as one, the two together as sentences, and the heading's line is
    much shorter than the line below it."""
    if None in (above.x0, above.x1, line.x0, line.x1):
        return False
    short = (above.x1 or 0.0) - (above.x0 or 0.0) < 0.6 * ((line.x1 or 0.0) - (line.x0 or 0.0))
    return short and not _is_prose(current) and _is_prose(f"{current} {text}")


def _is_prose(text: str) -> bool:
    return _heading_or_paragraph(text, "heading") == "paragraph"


def _item_or_paragraph(text: str) -> BlockKind:
    """A run of large or bold lines that reads as sentences: a list item where a marker opens it."""
    return "bullet" if BULLET.match(text) else "paragraph"


def _heading_goes_on(above: Block, line: Block, gap: bool, joined: str) -> bool:
    """A heading wrapped onto a line that opens in lower case ("Ruimte voor buurthuizen" /
    "en verenigingen"): the same font, size and weight, close below, and no sentence made."""
    same = line.bold == above.bold and _run_goes_on(above, line, gap)
    return same and _heading_or_paragraph(joined, "heading") == "heading"


def _wrapped_in_same_print(above: Block, line: Block, gap: bool, current: str) -> bool:
    """The line above ran to the end of the column without ending a sentence, and this line, in
    the same font, size and weight, goes on with it: a numbered item set in bold is no heading
    ("4. Het bestuur stemt in met een hogere bijdrage per inwoner van" / "2,10 euro ...").

    A heading's line ends well before the column's end: "Mantelzorg" above a bold
    "Voor wie: ..." line stays a heading of its own.
    """
    if current.rstrip().endswith(SENTENCE_FINAL) or line.bold != above.bold or not _run_goes_on(above, line, gap):
        return False
    if None in (above.x0, above.x1, line.x0, line.x1):
        return False
    return (above.x1 or 0.0) >= (line.x1 or 0.0) - 0.05 * ((line.x1 or 0.0) - (line.x0 or 0.0))


def _goes_on_in_next_column(above: Block, line: Block, current: str, text: str) -> bool:
    """A paragraph cut by a column break: the last line of one column does not end a sentence,
    and the next column opens in lower case, in the same font and weight.

    The line read next lies well above the last one (more than a few lines up) and starts right
    of the middle of it: at the top of the next column, not at the next item of a list.
    """
    if current.rstrip().endswith(SENTENCE_FINAL) or not text[:1].islower():
        return False
    if None in (line.top, above.top, line.x0, above.x0, above.x1) or not line.size or not above.size:
        return False
    height = max(line.height or 0.0, above.height or 0.0, 0.005)
    higher = (above.top or 0.0) - (line.top or 0.0) > 3 * height
    right = (line.x0 or 0.0) > ((above.x0 or 0.0) + (above.x1 or 0.0)) / 2
    same_print = abs(line.size - above.size) < 0.3 and line.bold == above.bold
    return higher and right and same_print


def _numbered_heading(text: str, prev: str, nxt: str) -> bool:
    """ "2. Duurzaam land" on a line of its own, before a paragraph (not a numbered list)."""
    if not NUMBERED_HEADING.match(text) or len(text) > 80 or len(text.split()) > 10:
        return False
    if text.endswith((*SENTENCE_FINAL[:-2], ",")):
        return False
    after_list = BULLET.match(nxt) is not None
    return (not prev or prev.endswith(SENTENCE_FINAL)) and bool(nxt) and not after_list and nxt[:1].isupper()


def _is_heading(text: str, prev: str, nxt: str) -> bool:
    words = text.split()
    if not words or len(text) > 70 or len(words) > 10 or text.endswith((*SENTENCE_FINAL[:-2], ",")):
        return False
    if not text[:1].isupper() or BULLET.match(text):
        return False
    return (not prev or prev.endswith(SENTENCE_FINAL)) and (not nxt or nxt[:1].isupper() or nxt[:1].isdigit())


def _paragraphs(lines: list[Block], style: Style = NO_STYLE) -> Iterator[tuple[str, BlockKind]]:
    """Join wrapped lines into paragraphs, bullet items and headings."""
    current = ""
    kind: BlockKind = "paragraph"
    texts = [GLUED_MARKER.sub(r" \1", b.text.replace("\u00ad", "")).rstrip() for b in lines]
    gaps = _gaps(lines)
    following = _next_texts(texts)
    previous = _previous_lines(texts)
    pending = ""  # a bullet glyph printed alone before its item
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
        if BULLET_ALONE.match(stripped):
            if i and current == texts[i - 1].strip() and _same_row(lines[i], lines[i - 1]):
                current, kind = f"{stripped} {current}", "bullet"  # the glyph drawn after its item
            else:
                pending = stripped
            continue
        if pending:
            stripped, pending = f"{pending} {stripped}", ""
            if current:
                yield current.strip(), kind
            current, kind = stripped, "bullet"
            continue
        if _styled_heading(lines[i], style):
            goes_on = kind == "heading" and current and _run_goes_on(lines[i - 1], lines[i], gaps[i])
            if goes_on and not _heading_above_paragraph(lines[i - 1], lines[i], current, stripped):
                current = f"{current} {stripped}"
            else:
                if current:
                    yield current.strip(), _heading_or_paragraph(current, kind)
                current, kind = stripped, "heading"
            continue
        if kind == "heading" and current:
            if stripped[:1].islower() and lines[i].size == lines[i - 1].size:
                current = f"{current} {stripped}"
                if not _heading_goes_on(lines[i - 1], lines[i], gaps[i], current):
                    kind = _item_or_paragraph(current)  # a paragraph set large
                continue
            if _wrapped_in_same_print(lines[i - 1], lines[i], gaps[i], current) and not BULLET.match(stripped):
                current = f"{current} {stripped}"  # a long item or paragraph set bold or large
                if _heading_or_paragraph(current, kind) == "paragraph":
                    kind = _item_or_paragraph(current)
                continue
            yield current.strip(), _heading_or_paragraph(current, kind)
            current, kind = "", "paragraph"
            prev_text = ""
        if _numbered_heading(stripped, prev_text, nxt) and lines[i].size is None:
            if current:
                yield current.strip(), kind
            yield stripped, "heading"
            current, kind = "", "paragraph"
        elif BULLET.match(stripped):
            if current:
                yield current.strip(), kind
            current, kind = stripped, "bullet"
        elif gaps[i] and current and not _goes_on_in_next_column(lines[previous[i]], lines[i], current, stripped):
            yield current.strip(), kind
            current, kind = stripped, "paragraph"
        elif (
            (not current or prev_text.endswith(SENTENCE_FINAL))
            and _is_heading(stripped, prev_text, nxt)
            and not _set_smaller(lines[i], style.size)
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
        yield current.strip(), _heading_or_paragraph(current, kind)


def _heading_or_paragraph(text: str, kind: BlockKind) -> BlockKind:
    """A run of large or bold lines is a heading unless it reads as sentences."""
    if kind != "heading":
        return kind
    text = HEADING_LABEL.sub("", text.strip(), count=1)
    sentences = re.search(r"[.!?]\s+[A-ZÀ-Ý]", text) or text.endswith((".", ";", ","))
    return "paragraph" if sentences or len(text.split()) > 25 else "heading"


def _same_row(a: Block, b: Block) -> bool:
    if a.top is None or b.top is None:
        return False
    return abs(a.top - b.top) < 0.5 * max(a.height or 0.0, b.height or 0.0, 0.005)


def _next_texts(texts: list[str]) -> list[str]:
    """For each line, the next non-blank line after it (stripped), in one pass from the end."""
    out = [""] * len(texts)
    nxt = ""
    for i in range(len(texts) - 1, -1, -1):
        out[i] = nxt
        if texts[i].strip():
            nxt = texts[i].strip()
    return out


def _previous_lines(texts: list[str]) -> list[int]:
    """For each line, the index of the last non-blank line before it (its own for the first)."""
    out = []
    last = 0
    for i, text in enumerate(texts):
        out.append(last)
        if text.strip():
            last = i
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


def _assemble(page: Page, body: list[Block], notes: list[Block], style: Style = NO_STYLE) -> Page:
    parts: list[tuple[str, BlockKind]] = []
    run: list[Block] = []
    for block in [*body, Block("", kind="paragraph")]:
        if block.kind == "line":
            run.append(block)
            continue
        if run:
            parts += _paragraphs(run, style)
            run = []
        parts += _structural([block])
    parts += [(t, "footnote") for t, _ in _footnote_texts(notes)]
    text, spans = "", []
    for part, kind in parts:
        part = PRIVATE_BULLET.sub("• ", part.replace(SOFT_HYPHEN, "-"))
        if not any(c.isalnum() for c in part):
            continue  # a stray bullet, rule or ornament: no words to read
        if text:
            text += "\n\n"
        spans.append(Span(len(text), len(text) + len(part), kind))
        text += part
    return replace(page, text=text, spans=tuple(spans), blocks=())


# -- tables and tables of contents ---------------------------------------------------------------

TOC_ENTRY = re.compile(
    r"^(?P<title>.*?[^\W\d_].*?)\s*(?:\.{2,}|…+|(?:\s*\.\s*){3,})\s*(?P<page>\d{1,3}|[ivxlc]{1,6})\s*$", re.I
)
TOC_TAIL = re.compile(r"[.…]\s*(?:\d{1,3}|[ivxlc]{1,6})\s*$", re.I)
"""How every TOC_ENTRY ends (leader, page): tested first, since TOC_ENTRY backtracks for
milliseconds on a long line of prose."""
LEADERS = re.compile(r"\s*(?:\.\s*){3,}$")
MIN_COLUMN_WIDTH = 0.25  # of the page: a column of text, wider than most table cells
PAGE_REF = re.compile(r"^\s*(\d{1,3}|[ivxlc]{1,6})\s*$", re.I)


def find_tables(blocks: list[Block]) -> list[Block]:
    """Turn PDF lines that form table rows or table-of-contents entries into one block per row.

    A row is the lines that share a baseline. A table-of-contents entry ends in a page number
    (after dot leaders or a wide gap); three or more on a page make a table of contents. A table
    row has two or more cells of which at most one reads as prose (six words or more); two or
    more such rows on a page make a table. Other lines pass through unchanged.
    """
    blocks = _join_cell_breaks(_join_markers(blocks))
    lines = [b for b in blocks if b.kind == "line" and b.top is not None and b.text.strip()]
    rows = _rows(lines)
    toc = [r for r in rows if _is_toc_row(r)]
    toc = toc if len(toc) >= 3 else []
    in_toc = {id(r) for r in toc}  # by identity: comparing rows compares every field of their lines
    flowing = _flowing_lines(lines)
    multi = [r for r in rows if len(r) >= 2 and id(r) not in in_toc and not _prose_row(r, flowing)]
    tabular = [r for r in multi if sum(len(c.text.split()) >= 6 for c in r) <= 1]
    if len(tabular) * 2 < len(multi):
        tabular = []  # mostly prose side by side: columns of text, not a table
    marked: dict[int, tuple[str, BlockKind]] = {}
    absorbed: set[int] = set()
    groups: tuple[tuple[list[list[Block]], BlockKind, str], ...] = ((toc, "toc", " … "), (tabular, "table", " | "))
    for group, kind, joiner in groups:
        if len(group) < (3 if kind == "toc" else 2):
            continue
        for row in group:
            cells = sorted(row, key=lambda b: b.x0 or 0.0)
            texts = [LEADERS.sub("", _toc_entry(c.text.strip())) for c in cells]
            marked[id(row[0])] = (joiner.join(texts), kind)
            absorbed.update(id(c) for c in row[1:])
    out = []
    for block in blocks:
        if id(block) in absorbed:
            continue
        if id(block) in marked:
            text, kind = marked[id(block)]
            out.append(replace(block, text=text, kind=kind))
        else:
            out.append(block)
    return out


def _toc_entry(text: str) -> str:
    """A contents entry's title and page with a plain mark between them ("Inleiding … 3"), or the
    text as it is when it is none."""
    return TOC_ENTRY.sub(r"\g<title> … \g<page>", text) if TOC_TAIL.search(text) else text


def _flowing_lines(lines: list[Block]) -> set[int]:
    """Lines of a column of running text: the line read next starts at the same left edge just
    below (or the line read before ends just above), and the column is wider than a table cell.

    Two such lines on one baseline are prose set in columns, not cells of a table row: a table
    is read across its rows, a column down its lines.
    """
    flowing: set[int] = set()
    for a, b in itertools.pairwise(lines):
        if _column_step(a, b):
            flowing.update((id(a), id(b)))
    return flowing


def _prose_row(row: list[Block], flowing: set[int]) -> bool:
    """Lines side by side that are no table row: two columns of running text, or one column of
    running text with bold labels beside it (a label column: "Doel(en)", "Beleidsinstrument(en)")."""
    n_flowing = sum(id(c) in flowing for c in row)
    labels = all(c.bold and len(c.text.split()) <= 4 for c in row if id(c) not in flowing)
    return n_flowing >= 2 or (n_flowing == 1 and labels)


def _column_step(a: Block, b: Block) -> bool:
    if a.x0 is None or b.x0 is None or a.x1 is None or b.x1 is None or a.top is None or b.top is None:
        return False
    height = max(a.height or 0.0, b.height or 0.0, 0.005)
    wide = max(a.x1 - a.x0, b.x1 - b.x0) >= MIN_COLUMN_WIDTH
    return wide and abs(a.x0 - b.x0) < 0.03 and 0.5 * height < b.top - a.top < 2.2 * height


def _join_cell_breaks(blocks: list[Block]) -> list[Block]:
    """A word broken at the end of a line inside a table cell goes on at the start of the cell's
    next line, which is in the table's next row: the word's second part moves up to its first.

    Only lines sharing a row with another line are cells; body text is joined in `_paragraphs`.
    """
    lines = [b for b in blocks if b.kind == "line" and b.top is not None and b.text.strip()]
    in_rows = {id(b) for row in _rows(lines) if len(row) >= 2 for b in row}
    moved: dict[int, Block] = {}
    for original in lines:
        # Keyed by the original line: a line whose first word moved up may itself end broken.
        line = moved.get(id(original), original)
        if not _ends_with_hyphen(line.text) or (line.x0 is None or line.x1 is None):
            continue
        below_original = _cell_line_below(original, lines)
        if below_original is None or not ({id(original), id(below_original)} & in_rows):
            continue
        below = moved.get(id(below_original), below_original)
        first, _, rest = below.text.strip().partition(" ")
        moved[id(original)] = replace(line, text=repair_hyphen(line.text.rstrip(), first))
        moved[id(below_original)] = replace(below, text=rest)
    emptied = {k for k, b in moved.items() if not b.text.strip()}
    return [moved.get(id(b), b) for b in blocks if id(b) not in emptied]


def _cell_line_below(line: Block, lines: list[Block]) -> Block | None:
    """The next line of the same cell: just below, starting within the line's span."""
    height = max(line.height or 0.0, 0.005)
    below = [
        b
        for b in lines
        if b.top is not None
        and b.x0 is not None
        and 0.5 * height < b.top - (line.top or 0.0) < 2.2 * height
        and (line.x0 or 0.0) - 0.01 <= b.x0 < (line.x0 or 0.0) + 0.5 * ((line.x1 or 0.0) - (line.x0 or 0.0))
    ]
    return min(below, key=lambda b: b.top or 0.0, default=None)


def _join_markers(blocks: list[Block]) -> list[Block]:
    """A list marker ("a.", "3)", "•") printed apart from its item, before or after it in the
    content stream, joins the nearest line to its right on the same row."""
    markers = [b for b in blocks if b.kind == "line" and b.top is not None and MARKER_ALONE.match(b.text)]
    if not markers:
        return blocks
    lines = [b for b in blocks if b.kind == "line" and b.top is not None and not MARKER_ALONE.match(b.text)]
    target_of: dict[int, Block] = {}
    used: set[int] = set()
    for marker in markers:
        right = [
            b for b in lines if id(b) not in target_of and _same_row(marker, b) and (b.x0 or 0.0) > (marker.x0 or 0.0)
        ]
        if right:
            target = min(right, key=lambda b: b.x0 or 0.0)
            target_of[id(target)] = marker
            used.add(id(marker))
    out = []
    for block in blocks:
        if id(block) in used:
            continue
        found = target_of.get(id(block))
        if found is not None:
            block = replace(block, text=f"{found.text.strip()} {block.text.strip()}", x0=found.x0)
        out.append(block)
    return out


def _rows(lines: list[Block]) -> list[list[Block]]:
    rows: list[list[Block]] = []
    for line in sorted(lines, key=lambda b: b.top or 0.0):
        if rows and _same_row(rows[-1][0], line) and not _overlaps(rows[-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    order = {id(b): k for k, b in enumerate(lines)}
    return [sorted(r, key=lambda b: order[id(b)]) for r in rows]


def _overlaps(row: list[Block], line: Block) -> bool:
    if line.x0 is None or line.x1 is None:
        return True
    return any(b.x0 is None or b.x1 is None or (b.x0 < line.x1 and line.x0 < b.x1) for b in row)


def _is_toc_row(row: list[Block]) -> bool:
    cells = sorted(row, key=lambda b: b.x0 or 0.0)
    if len(cells) == 1:
        text = cells[0].text.strip()
        return TOC_TAIL.search(text) is not None and TOC_ENTRY.match(text) is not None
    first = " ".join(c.text for c in cells[:-1])
    return bool(PAGE_REF.match(cells[-1].text)) and any(ch.isalpha() for ch in first) and len(first) <= 150


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
