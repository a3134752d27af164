"""Which main-text reading serves government web pages best: measured on a folder of real pages.

Usage: python bench/html_main_text.py [FOLDER] (default ../shared/realdocs). Prints one line per
reader. Needs readability-lxml (a development dependency) for the comparison.

Measures, per reader, over every .html page of the folder:
- pages read: pages that give at least 200 characters of text;
- characters: all text kept, and the median per page;
- chrome let in: characters of kept lines that are site furniture, i.e. lines found (outside
  tables) on three or more of the pages, or short lines (<= 100 characters) that name navigation,
  sharing, cookies, newsletters and the like;
- link-only lines: characters of kept lines that are the whole text of a link on the page
  (menus, teasers of other pages, "more news" lists); a few are real list items that link;
- body sentences kept: sentences of ten words or more in the page's p, li, td and dd elements
  outside header, footer and nav, found in the text kept. This is an upper bound of what a
  reader should keep: it also counts teasers of other pages, which a good reader leaves out;
- headings: heading blocks handed to segmentation (sections for the passages).
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from lxml import html

from sbtext.read import markup
from sbtext.records import Block

CHROME = re.compile(
    r"cookie|delen via|deel deze|lees meer|lees verder|^menu$|zoeken|terug naar|copyright|©|volg ons|"
    r"nieuwsbrief|vergelijkbare|gerelateerd|bekijk ook|naar boven|^home\s*[»>]|skip|ga naar|inloggen|"
    r"toegankelijkheid|privacy|disclaimer|sitemap|linkedin|facebook|instagram|twitter|youtube|whatsapp",
    re.I,
)
FURNITURE_TAGS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "a", "span", "div", "button", "label"}


def norm(text: str) -> str:
    return " ".join(text.split())


def read_rules(path: Path, data: bytes) -> list[Block]:
    root = markup._parse_html(path, data)
    return markup._blocks(markup._main(markup._unhide(root)))


def read_readability(path: Path, data: bytes) -> list[Block]:
    from readability import Document as Readable

    root = markup._parse_html(path, data)
    summary = Readable(html.tostring(root, encoding="unicode")).summary()
    return markup._blocks(html.fromstring(summary))


def read_trafilatura(path: Path, data: bytes) -> list[Block]:
    root = markup._parse_html(path, data)
    return markup._trafilatura_blocks(markup._unhide(root))


def read_sbtext(path: Path, data: bytes) -> list[Block]:
    return list(markup.read_html(path, data)[0][0].blocks)


READERS: dict[str, Callable[[Path, bytes], list[Block]]] = {
    "hand-written rules (main candidate with text)": read_rules,
    "readability-lxml 0.8+": read_readability,
    "trafilatura recall mode": read_trafilatura,
    "sbtext (trafilatura + headings restored)": read_sbtext,
}


def reference(pages: dict[Path, bytes]) -> tuple[set[str], dict[Path, list[str]], dict[Path, set[str]]]:
    """Site furniture (lines on >= 3 pages), each page's body sentences and its link texts."""
    seen: Counter[str] = Counter()
    sentences: dict[Path, list[str]] = {}
    links: dict[Path, set[str]] = {}
    for path, data in pages.items():
        root = markup._parse_html(path, data)
        for bad in root.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
        lines = {
            norm(el.text_content())
            for el in root.iter()
            if isinstance(el.tag, str) and el.tag in FURNITURE_TAGS and not el.xpath("ancestor::table")
        }
        seen.update(line for line in lines if 1 < len(line) < 400)
        found = []
        for el in root.xpath("//body//p|//body//li|//body//td|//body//dd"):
            if not el.xpath("ancestor::header|ancestor::footer|ancestor::nav"):
                found += [s for s in re.split(r"(?<=[.!?])\s+", norm(el.text_content())) if len(s.split()) >= 10]
        sentences[path] = found
        links[path] = {norm(a.text_content()) for a in root.iter("a")} - {""}
    return {line for line, n in seen.items() if n >= 3}, sentences, links


def measure(name: str, read: Callable[[Path, bytes], list[Block]], pages: dict[Path, bytes], ref) -> str:
    furniture, sentences, links = ref
    sizes, chrome, linked, kept, total, headings = [], 0, 0, 0, 0, 0
    start = time.perf_counter()
    for path, data in pages.items():
        blocks = read(path, data)
        lines = [norm(b.text) for b in blocks if norm(b.text)]
        text = " ".join(lines)
        sizes.append(len(text))
        chrome += sum(len(x) for x in lines if x in furniture or (len(x) <= 100 and CHROME.search(x)))
        linked += sum(len(x) for x in lines if x in links[path])
        kept += sum(1 for s in sentences[path] if norm(s) in text or norm(s).replace(". ", ".") in text)
        total += len(sentences[path])
        headings += sum(1 for b in blocks if b.kind == "heading")
    seconds = time.perf_counter() - start
    read_ok = sum(1 for s in sizes if s >= 200)
    return (
        f"| {name} | {read_ok}/{len(pages)} | {sum(sizes):,} ({int(statistics.median(sizes)):,}) | "
        f"{chrome:,} ({chrome / max(sum(sizes), 1):.1%}) | {linked:,} ({linked / max(sum(sizes), 1):.1%}) | {kept}/{total} ({kept / max(total, 1):.1%}) | "
        f"{headings} | {seconds:.1f} |"
    )


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/realdocs")
    pages = {p: p.read_bytes() for p in sorted(folder.glob("*.htm*"))}
    ref = reference(pages)
    print(
        "| reader | pages read | characters (median per page) | chrome let in | link-only lines "
        "| body sentences kept | headings | s |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, read in READERS.items():
        print(measure(name, read, pages, ref))


if __name__ == "__main__":
    main()
