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
    r"^\s*(?:(?:pagina|page|blz\.?|p\.)\s*)?[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:van|of|/)\s*\d{1,4})?\s*$", re.I
)
LEADING = re.compile(r"^\s*(\d{1,4})\s*(?:[|•·–—-]|\s{2,})\s*\D")
TRAILING = re.compile(r"\D\s*(?:[|•·–—-]|\s{2,})\s*(\d{1,4})\s*$")
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
        split = [half for page in pages for half in _split_spread(page, spread)]
        return split, "spread"
    offset, support = _best_offset([(p.index, c) for p, cands in zip(pages, found) for c, _ in cands])
    if offset is None or support < max(min(2, len(pages)), len(pages) // 5):
        return [replace(p, numbering="index") for p in pages], "index"
    romans = _roman_labels(pages)
    out = []
    for page in pages:
        number = page.index + offset
        label = str(number) if number >= 1 else romans.get(page.index, f"[{page.index}]")
        out.append(replace(page, label=label, numbering="printed"))
    return out, "printed"


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


def _best_offset(pairs: list[tuple[int, int]]) -> tuple[int | None, int]:
    """The offset (printed minus index) that most pages agree on, and how many do."""
    per_page: dict[int, set[int]] = {}
    for index, number in pairs:
        per_page.setdefault(index, set()).add(number - index)
    votes: Counter[int] = Counter()
    for offsets in per_page.values():
        votes.update(offsets)
    if not votes:
        return None, 0
    offset, support = max(votes.items(), key=lambda kv: (kv[1], -abs(kv[0])))
    return offset, support


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


def _split_spread(page: Page, offset: int) -> list[Page]:
    if page.width is not None and page.height is not None and page.width <= page.height:
        number = 2 * page.index + offset
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
