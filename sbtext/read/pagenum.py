"""Printed page numbers for PDF pages: page labels, else the numbers in the running header or
footer, else the PDF index.

A printed number is found in a page's top or bottom margin ("7", "- 7 -", "Pagina 7 van 12",
"7 | Integraal Zorgakkoord", "Zorgakkoord 2022 | 9", roman "iv"). The offset between printed
number and PDF index that most pages agree on numbers every page after the first numbered one,
also pages that print no number (chapter openers). A page whose margin shows two consecutive
numbers, one in each half, is a two-page spread: it becomes two pages, split at the middle.
Pages before printed page 1 are labelled with their PDF index in brackets ("[2]"), so that a
cited page is never mistaken for one that was not printed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from sbtext.records import Block, Page

MARGIN = 0.12
ALONE = re.compile(
    r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*)?[-–—]?\s*(\d{1,3})\s*[-–—]?(?:\s*(?:van|of|/)\s*\d{1,4})?\s*$", re.I
)
LEADING = re.compile(r"^\s*(\d{1,3})\s*(?:[|•·–—-]|\s{2,})\s*\D")
TRAILING = re.compile(r"\D\s*(?:[|•·–—-]|\s{2,})\s*(\d{1,3})\s*$")
ROMAN = re.compile(r"^\s*([ivxlc]{1,7})\s*$", re.I)
ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}

Candidate = tuple[int, float]  # printed number, horizontal centre (fraction of the width)


def number_pages(pages: list[Page], labels: list[str]) -> tuple[list[Page], str]:
    """Give each page its printed label; return the pages and how they were numbered."""
    if any(labels):
        return [replace(p, label=labels[k] or str(p.index), numbering="labels") for k, p in enumerate(pages)], "labels"
    found = [_candidates(p) for p in pages]
    spread = _spread_offset(pages, found)
    if spread is not None:
        split = [half for page, cands in zip(pages, found) for half in _split_spread(page, spread, cands)]
        return split, "spread"
    offsets = _page_offsets(pages, found)
    if not any(o is not None for o in offsets):
        return [replace(p, numbering="index") for p in pages], "index"
    romans = _roman_labels(pages)
    out = []
    for page, offset in zip(pages, offsets):
        number = page.index + offset if offset is not None else 0
        label = str(number) if number >= 1 else romans.get(page.index, f"[{page.index}]")
        out.append(replace(page, label=label, numbering="printed"))
    return out, "printed"


def _page_offsets(pages: list[Page], found: list[list[Candidate]]) -> list[int | None]:
    """Printed number minus index for each page, where the print tells.

    A page's number counts when the page before or after agrees on the offset (a run), or when
    the document has one page and prints its own index. A page without such a number takes the
    offset of the runs around it when both agree (a chapter opener), of the first run for the
    pages before it (a cover is page 1 when page 2 prints 2), or of the last run when that is the
    document's main numbering (the pages at the end). Bundles of documents, each numbered
    from 1, get each part's own numbers.
    """
    options = [{n - p.index for n, _ in cands} for p, cands in zip(pages, found)]
    if len(pages) == 1:
        return [0 if 0 in options[0] else None]
    own: list[int | None] = []
    for k, offsets in enumerate(options):
        near = (options[k - 1] if k else set()) | (options[k + 1] if k + 1 < len(options) else set())
        shared = sorted(offsets & near, key=abs)
        own.append(shared[0] if shared else None)
    main = Counter(o for o in own if o is not None).most_common(1)
    main_offset = main[0][0] if main else None
    result: list[int | None] = []
    for k, offset in enumerate(own):
        if offset is None:
            before = next((o for o in reversed(own[:k]) if o is not None), None)
            after = next((o for o in own[k + 1 :] if o is not None), None)
            if before is None and after is not None:
                offset = after  # an unnumbered cover counts when the numbering reaches it
            elif before is not None and (before == after or (after is None and before == main_offset)):
                offset = before
            elif main_offset is not None and main_offset in options[k]:
                offset = main_offset
        result.append(offset)
    return result


def _margin_blocks(page: Page) -> list[Block]:
    return [
        b
        for b in page.blocks
        if b.top is not None and (b.top < MARGIN or (b.bottom or 0) > 1 - MARGIN) and len(b.text) <= 80
    ]


def _candidates(page: Page) -> list[Candidate]:
    out = []
    for block in _margin_blocks(page):
        centre = ((block.x0 or 0) + (block.x1 if block.x1 is not None else block.x0 or 0)) / 2
        for pattern in (ALONE, LEADING, TRAILING):
            m = pattern.search(block.text)
            if m:
                out.append((int(m.group(1)), centre))
    return out


def _spread_offset(pages: list[Page], found: list[list[Candidate]]) -> int | None:
    """For documents of two-page spreads: c such that the left page of PDF page i is 2i + c."""
    pairs = []
    for page, cands in zip(pages, found):
        left = {n for n, x in cands if x < 0.5}
        right = {n for n, x in cands if x >= 0.5}
        pairs += [(page.index, n) for n in left if n + 1 in right]
    if len(pairs) < max(2, len(pages) // 4):
        return None
    votes = Counter(n - 2 * i for i, n in pairs)
    return votes.most_common(1)[0][0]


def _split_spread(page: Page, offset: int, printed: list[Candidate]) -> list[Page]:
    if page.width is not None and page.height is not None and page.width <= page.height:
        # A single page among spreads (the cover): its own number, else the next spread's count.
        number = printed[0][0] if printed else 2 * page.index + offset + 1
        return [replace(page, label=str(number) if number >= 1 else f"[{page.index}]", numbering="spread")]
    left_number = 2 * page.index + offset
    halves = []
    for side, number in ((0, left_number), (1, left_number + 1)):
        blocks = tuple(_half_block(b, side) for b in page.blocks if _side(b) == side)
        label = str(number) if number >= 1 else f"[{page.index}]"
        halves.append(replace(page, label=label, blocks=blocks, numbering="spread"))
    return halves


def _side(block: Block) -> int:
    if block.x0 is None:
        return 0
    right = block.x1 if block.x1 is not None else block.x0
    return 0 if (block.x0 + right) / 2 < 0.5 else 1


def _half_block(block: Block, side: int) -> Block:
    if block.x0 is None:
        return block
    x1 = block.x1 if block.x1 is not None else block.x0
    return replace(block, x0=min(1.0, max(0.0, 2 * block.x0 - side)), x1=min(1.0, max(0.0, 2 * x1 - side)))


def roman_value(text: str) -> int:
    """The value of a roman numeral (0 for anything that is not one)."""
    total, previous = 0, 0
    for char in reversed(text.lower()):
        value = ROMAN_VALUES.get(char, 0)
        if not value:
            return 0
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def _roman_labels(pages: list[Page]) -> dict[int, str]:
    """Front matter numbered i, ii, ...: the roman number printed in a page's margin."""
    out = {}
    for page in pages:
        for block in _margin_blocks(page):
            m = ROMAN.match(block.text)
            if m and roman_value(m.group(1)):
                out[page.index] = m.group(1).lower()
    return out
