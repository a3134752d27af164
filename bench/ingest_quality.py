"""Reading quality: how much of what a document shows ends up, unbroken, in sbtext's passages.

Usage: python bench/ingest_quality.py [FOLDER ...] [--out bench/INGEST.md] [--section after] [--lost]

Every document of `../shared/realdocs` (when present), `corpora/sample`, `corpora/real` and the
folders given goes through `sbtext.process_document` (reading, cleaning, segmentation; no tagging),
so the figures are those of what users get. Measured per document and in total:

- shown words: the share of a PDF's passages that hold a word pdfium's own text of the same page
  (`get_text_range`) does not contain, after lower-casing, NFKC and splitting on punctuation;
  a word joined across pdfium's line-end hyphen (U+FFFE), a soft hyphen or a hyphen at a line
  break counts as shown, with or without its hyphen;
- kept lines: the share of body lines (pdfium lines with six words or more for PDFs, running
  heads and feet left out; for HTML, XML and text the lines of the source after stripping markup
  and, on web pages, chrome) whose words all appear, in order, in the passages of the same page;
  `--lost` prints the body lines that do not;
- punctuation-only passages, passages over 1,000 characters, documents not read (error code),
  and how pages were numbered.

The report is rewritten section by section: `--section before` replaces only that section of the
file, so runs on different code can stand side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from lxml import html

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # noqa: E402

from sbtext.pipeline import DocResult, Options, process_document  # noqa: E402
from sbtext.read import decode_text, find_documents  # noqa: E402
from sbtext.records import DocumentMeta  # noqa: E402

DEFAULT_FOLDERS = (ROOT.parent / "shared" / "realdocs", ROOT / "corpora" / "sample", ROOT / "corpora" / "real")
MIN_LINE_WORDS = 6
LONG_PASSAGE = 1000
RUNNING_LENGTH = 100
N_EXAMPLES = 4

# pdfium writes U+FFFE where a word was hyphenated at the end of a line (and joins the lines);
# U+00AD is the soft hyphen, U+0002 the marker some PDF tools write for it.
SOFT_BREAK = "\ufffe\u00ad\u0002"
JUNCTION = re.compile(rf"(\w+)[{SOFT_BREAK}]\s*(\w+)")
HARD_BREAK = re.compile(r"(\w+)-[ \t]*\r?\n\s*(\w+)")
COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
WORD = re.compile(r"[^\W_]+")
LETTER = re.compile(r"[^\W\d_]")
DIGIT = re.compile(r"\d")
MIXED = re.compile(r"[^\W\d_]+|\d+")
# A hyphen before one of these is the Dutch omission hyphen ("zorg- en welzijn"): the left part
# is printed as a word of its own.
BULLET_LETTERS = {"o", "e"}
CONJUNCTIONS = {"en", "of", "tot", "noch", "dan"}
MOJIBAKE = re.compile("[ÃÂâ][\u0080-\u00ff\u2018-\u203a\u0152-\u0178]")
HTML_DROP = ("script", "style", "noscript", "template", "svg", "head", "nav", "header", "footer", "aside")
# What a browser does not show: fallback text of players and frames, inline text hidden by style.
HTML_UNSHOWN = ("audio", "video", "object", "iframe")
# Page chrome that is not body text, wherever a page puts it: landmarks by role, form controls,
# skip links, cookie and consent banners, breadcrumbs and share bars (by id or class).
CHROME_XPATH = (
    "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='search' or @role='dialog']"
    " | //form | //button | //select | //label | //dialog"
    " | //*[self::span or self::a or self::em or self::strong][re:test(@style, 'display\\s*:\\s*none', 'i')]"
    " | //a[starts-with(@href, '#')][contains(translate(., 'SKIPNARHOUD', 'skipnarhoud'), 'naar')"
    " or contains(translate(., 'SKIP', 'skip'), 'skip')]"
    " | //*[re:test(concat(@id, ' ', @class), '(^|[ _-])(cookie|consent|gdpr|skiplink|skip-link|breadcrumb|"
    "breadcrumbs|kruimelpad|share(?!d)|social|deel-deze)', 'i')]"
)
HTML_BLOCKS = {
    *("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th"),
    *("table", "section", "article", "main", "blockquote", "pre", "figcaption", "caption", "address", "hr"),
    *("form", "label", "option"),
    # the officiele-publicaties XML (Handelingen, Kamerstukken)
    *("al", "titel", "kop", "tussenkop", "lijst", "entry", "row", "noot", "spreker", "tekst", "alinea", "motie"),
}


# -- normalising text into words ------------------------------------------------------------------


def normalise(text: str) -> str:
    """NFKC, lower case, one kind of hyphen."""
    return unicodedata.normalize("NFKC", text).lower().replace("\u2010", "-").replace("\u2011", "-")


def shown_words(page_text: str) -> set[str]:
    """The words pdfium shows on a page, with the forms hyphenation repair may give them."""
    text = normalise(page_text)
    words: set[str] = set()
    for m in JUNCTION.finditer(text):
        left, right = m.group(1), m.group(2)
        words.update({left + right, f"{left}-{right}"})
        if right in CONJUNCTIONS:
            words.update({left, right})
    for m in HARD_BREAK.finditer(text):
        left, right = m.group(1), m.group(2)
        words.update({left + right, f"{left}-{right}", left, right})
    plain = re.sub(rf"\w+[{SOFT_BREAK}]\s*\w+", " ", text)
    for token in COMPOUND.findall(plain):
        words.add(token)
        words.update(token.split("-"))
        # A footnote number printed against its word ("verankering2", "3Exclusief").
        words.update(MIXED.findall(token) if LETTER.search(token) and DIGIT.search(token) else ())
    return words


def unshown(passage: str, shown: set[str]) -> list[str]:
    """The words of a passage that are not among the words shown on its page."""
    missing = []
    for token in COMPOUND.findall(normalise(passage).replace("\u00ad", "")):
        if token in shown or token.replace("-", "") in shown:
            continue
        if all(part in shown for part in token.split("-")):
            continue
        missing.append(token)
    return missing


def line_pattern(line: str) -> re.Pattern[str] | None:
    """A pattern finding a body line in the passages' word stream, or None for a short line.

    The first word may end a longer word and the last may start one (hyphenation repaired
    across line breaks); at pdfium's line-end hyphen the two parts may be joined or apart; a
    footnote number printed against a word may be kept, split off or left out.
    """
    text = normalise(line)
    if len([w for w in WORD.findall(text) if LETTER.search(w)]) < MIN_LINE_WORDS:
        return None
    body, started = "", False
    for k, piece in enumerate(re.split(rf"[{SOFT_BREAK}]\s*", text)):
        for j, (token, optional) in enumerate(line_tokens(piece, first=not k)):
            sep = "" if not started else (" ?" if k and not j else " ")
            if optional:
                body += f"(?:{sep}{token})?" if started else f"(?:{token} )?"
            else:
                body += sep + token
                started = True
    return re.compile(rf"(?:^| )\S*{body}\S*(?: |$)")


def line_tokens(text: str, *, first: bool = True) -> Iterator[tuple[str, bool]]:
    """The escaped words of a line, and whether each may be missing from the passages.

    A number against a word is a footnote marker, as is a number opening a line (a footnote's
    own number); an "o" or "e" opening a line is a bullet drawn with a symbol font.
    """
    for i, word in enumerate(WORD.findall(text)):
        runs = MIXED.findall(word)
        glued = len(runs) > 1
        for run in runs:
            marker = run.isdigit() and len(run) <= 3 and (glued or (first and i == 0))
            yield re.escape(run), marker or (first and i == 0 and run in BULLET_LETTERS)


def word_stream(texts: Iterable[str]) -> str:
    """The passages as one string of words separated by single spaces, numbers apart from words."""
    return " ".join(" ".join(MIXED.findall(normalise(t).replace("\u00ad", ""))) for t in texts)


# -- what the document shows ----------------------------------------------------------------------


def pdf_pages(path: Path) -> tuple[list[str], bool]:
    """pdfium's text of each page, and whether the PDF has page labels."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        labelled = any(pdf.get_page_label(i) for i in range(len(pdf)))
    finally:
        pdf.close()
    return texts, labelled


def source_lines(path: Path, fmt: str) -> list[str]:
    """The lines of an HTML, XML or text source after stripping markup."""
    text = decode_text(path, path.read_bytes())[0]
    # Markdown marks are punctuation to the comparison, except link targets and tags.
    if fmt not in ("html", "xml"):
        text = re.sub(r"<[^>]+>|\]\([^)]*\)", "", text)
        return [repair_mojibake(line) for line in text.splitlines()]
    text, links = markup_text(text)
    return [repair_mojibake(line) for line in text.splitlines() if " ".join(line.split()) not in links]


def markup_text(source: str) -> tuple[str, set[str]]:
    """The text of a page with a line break at every block element; scripts and chrome left out;
    and the texts of its links, so that a line that is a link and nothing else (a menu entry, the
    title of a teaser for another page) can be told apart from body text.

    Whatever stands before the first tag (a mangled byte-order mark) and the XML declaration go.
    """
    source = re.sub(r"^<\?xml[^>]*\?>", "", source[max(source.find("<"), 0) :])
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = html.document_fromstring(source, parser=parser)
    for element in list(root.iter(*HTML_DROP, *HTML_UNSHOWN)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.xpath(CHROME_XPATH, namespaces={"re": "http://exslt.org/regular-expressions"}):
        if element.getparent() is not None:
            element.drop_tree()
    links = {" ".join(a.text_content().split()) for a in root.iter("a")}
    for element in root.iter(*HTML_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    return "".join(str(t) for t in root.itertext()), links


def repair_mojibake(line: str) -> str:
    """Undo UTF-8 read as cp1252 ('efficiÃ«nt'), so that a repaired passage still matches."""
    if not MOJIBAKE.search(line):
        return line
    for codec in ("cp1252", "latin-1"):
        try:
            return line.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return line


# -- one document ---------------------------------------------------------------------------------


@dataclass
class DocQuality:
    """The reading figures of one document."""

    folder: str
    name: str
    fmt: str
    status: str = "ok"
    code: str = ""
    message: str = ""
    n_pages: int = 0
    numbering: str = "-"
    n_passages: int = 0
    pdf_passages: int = 0
    unshown_passages: int = 0
    body_lines: int = 0
    kept_lines: int = 0
    punctuation_only: int = 0
    long_passages: int = 0
    examples: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sha256: str = ""


def measure(job: tuple[Path, DocumentMeta | None, str, Options]) -> DocQuality:
    """Read one document as sbtext does and compare its passages with what the document shows."""
    path, meta, folder, options = job
    start = time.perf_counter()
    quality = DocQuality(folder=folder, name=path.name, fmt=path.suffix.lower().lstrip("."))
    try:
        quality.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = process_document(path, meta, options)
        compare(quality, path, result)
    except Exception as e:  # a measuring tool reports a crash as a finding and goes on
        quality.status, quality.code, quality.message = "crashed", type(e).__name__, str(e)[:200]
    quality.seconds = time.perf_counter() - start
    return quality


def compare(quality: DocQuality, path: Path, result: DocResult) -> None:
    document = result.document
    quality.fmt = document.get("format") or quality.fmt
    if document["status"] != "ok":
        error = result.errors[0] if result.errors else {}
        quality.status, quality.code = "not read", str(error.get("code", "?"))
        # The code and the document have columns of their own; keep what is wrong and what to do.
        quality.message = re.sub(r"^\[\w+\] [^:]*: ", "", str(error.get("message", "")))[:200]
        return
    rows = result.passages
    quality.n_pages = int(document["n_pages"])
    quality.n_passages = len(rows)
    quality.punctuation_only = sum(1 for r in rows if not any(c.isalnum() for c in r["text"]))
    quality.long_passages = sum(1 for r in rows if len(r["text"]) > LONG_PASSAGE)
    if quality.fmt == "pdf":
        compare_pdf(quality, path, rows)
    else:
        lines = source_lines(path, quality.fmt)
        count_kept(quality, lines, word_stream(r["text"] for r in rows), page=1)
        quality.numbering = "index" if quality.n_pages > 1 else "one page"
    quality.numbering = str(document.get("page_numbering") or quality.numbering)


def compare_pdf(quality: DocQuality, path: Path, rows: list[dict[str, Any]]) -> None:
    texts, labelled = pdf_pages(path)
    quality.numbering = "labels" if labelled else "index"
    by_page: dict[int, list[str]] = {}
    for row in rows:
        by_page.setdefault(int(row["page_index"]), []).append(row["text"])
    shown = [shown_words(t) for t in texts]
    for row in rows:
        index = int(row["page_index"]) - 1
        missing = unshown(row["text"], shown[index]) if 0 <= index < len(shown) else [row["text"][:30]]
        quality.pdf_passages += 1
        if missing:
            quality.unshown_passages += 1
            if len(quality.examples) < N_EXAMPLES:
                quality.examples.append(f"p{index + 1}: {' '.join(missing[:3])}")
    running = running_lines(texts)
    for i, text in enumerate(texts, start=1):
        lines = [line for line in text.splitlines() if running_key(line) not in running]
        count_kept(quality, lines, word_stream(by_page.get(i, [])), page=i)


def running_key(line: str) -> str:
    """A line's words without its numbers: running heads differ only in their page number."""
    return " ".join(w for w in MIXED.findall(normalise(line)) if not w.isdigit()) if len(line) <= RUNNING_LENGTH else ""


def running_lines(texts: list[str]) -> set[str]:
    """Running heads and feet: lines of at most 100 characters that, numbers aside, recur on
    three pages of the document (two in a document of fewer than 12 pages).

    They are not body text, whether sbtext keeps them or not. Three pages rather than a share of
    them, because a bundle of documents carries each part's own running head on that part only.
    """
    pages: Counter[str] = Counter()
    for text in texts:
        pages.update({running_key(line) for line in text.splitlines()})
    threshold = 2 if len(texts) < 12 else 3
    return {key for key, n in pages.items() if key and n >= threshold}


def count_kept(quality: DocQuality, lines: Iterable[str], stream: str, *, page: int) -> None:
    for line in lines:
        pattern = line_pattern(line)
        if pattern is None:
            continue
        quality.body_lines += 1
        if pattern.search(stream):
            quality.kept_lines += 1
        else:
            quality.lost.append(f"p{page}: {' '.join(line.split())}")


# -- the corpus -----------------------------------------------------------------------------------


def label_of(folder: Path) -> str:
    """The folder as seen from the project root ("../shared/realdocs", "corpora/real")."""
    return os.path.relpath(folder.absolute(), ROOT)


def jobs_for(folders: Iterable[Path], options: Options) -> Iterator[tuple[Path, DocumentMeta | None, str, Options]]:
    """Every document of the folders; CSV files hold metadata (manifests, sources) and are left out."""
    for folder in folders:
        for path, meta in find_documents([folder]):
            if path.suffix.lower() != ".csv":
                yield path, meta, label_of(folder), options


def measure_all(folders: list[Path], options: Options, n_process: int) -> list[DocQuality]:
    jobs = list(jobs_for(folders, options))
    if n_process <= 1:
        return [measure(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=n_process) as pool:
        return list(pool.map(measure, jobs, chunksize=1))


# -- the report -----------------------------------------------------------------------------------


def share(part: int, whole: int, digits: int = 1) -> str:
    return f"{100 * part / whole:.{digits}f}%" if whole else "-"


def totals_row(name: str, docs: list[DocQuality]) -> str:
    read = [d for d in docs if d.status == "ok"]
    passages = sum(d.n_passages for d in read)
    pdf = sum(d.pdf_passages for d in read)
    unshown_n = sum(d.unshown_passages for d in read)
    lines = sum(d.body_lines for d in read)
    kept = sum(d.kept_lines for d in read)
    punct = sum(d.punctuation_only for d in read)
    long_n = sum(d.long_passages for d in read)
    return (
        f"| {name} | {len(docs)} | {len(docs) - len(read)} | {passages} | {pdf} | {unshown_n} ({share(unshown_n, pdf)}) "
        f"| {kept}/{lines} ({share(kept, lines)}) | {punct} ({share(punct, passages, 2)}) "
        f"| {long_n} ({share(long_n, passages, 2)}) |"
    )


TOTALS_HEAD = [
    "| documents | n | not read | passages | PDF passages | with a word pdfium does not show | body lines kept "
    "| punctuation only | over 1,000 characters |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def totals(docs: list[DocQuality]) -> list[str]:
    distinct = list({d.sha256: d for d in reversed(docs)}.values())[::-1]
    lines = [*TOTALS_HEAD, totals_row("all (each file once)", distinct)]
    for folder in dict.fromkeys(d.folder for d in docs):
        lines.append(totals_row(f"`{folder}`", [d for d in docs if d.folder == folder]))
    for fmt in sorted({d.fmt for d in distinct}):
        lines.append(totals_row(f"format {fmt}", [d for d in distinct if d.fmt == fmt]))
    return lines


def numbering_summary(docs: list[DocQuality]) -> str:
    counts: dict[str, int] = {}
    for d in docs:
        if d.status == "ok" and d.fmt == "pdf":
            counts[d.numbering] = counts.get(d.numbering, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-"


def per_document(docs: list[DocQuality]) -> list[str]:
    lines = [
        "| folder | document | read | pages | numbering | passages | unshown-word passages | lines kept "
        "| punct. only | > 1,000 | examples of unshown words |",
        "|---|---|---|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for d in docs:
        read = "yes" if d.status == "ok" else f"{d.status} {d.code}"
        unshown_cell = f"{d.unshown_passages}/{d.pdf_passages} ({share(d.unshown_passages, d.pdf_passages)})"
        examples = "; ".join(f"`{e}`" for e in d.examples).replace("|", "/")
        lines.append(
            f"| {d.folder} | {d.name} | {read} | {d.n_pages} | {d.numbering} | {d.n_passages} "
            f"| {unshown_cell if d.fmt == 'pdf' and d.status == 'ok' else '-'} "
            f"| {d.kept_lines}/{d.body_lines} ({share(d.kept_lines, d.body_lines)}) "
            f"| {d.punctuation_only} | {d.long_passages} | {examples} |"
        )
    return lines


def not_read(docs: list[DocQuality]) -> list[str]:
    failed = [d for d in docs if d.status != "ok"]
    if not failed:
        return ["Every document was read."]
    lines = ["| folder | document | code | message |", "|---|---|---|---|"]
    for d in failed:
        message = d.message.replace("|", "/").replace("\n", " ")
        lines.append(f"| {d.folder} | {d.name} | {d.code} | {message} |")
    return lines


def commit() -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %cs"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def section(name: str, docs: list[DocQuality], seconds: float, backend: str, n_process: int) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {name}",
        "",
        f"Measured {stamp} on code {commit()}, {len(docs)} documents in {seconds:.0f} s on {n_process} process(es).",
        f"Machine and versions: {machine()}, pdfium {pdfium.PDFIUM_INFO}.",
        f"{backend}. PDF page numbering: {numbering_summary(docs)}.",
        "",
        *totals(docs),
        "",
        "### Documents not read",
        "",
        *not_read(docs),
        "",
        "### Per document",
        "",
        *per_document(docs),
        "",
    ]
    return "\n".join(lines)


PREAMBLE = """# Reading quality

Written by `make ingest-quality` (`python bench/ingest_quality.py [FOLDER ...] --out bench/INGEST.md
--section NAME`). Each document is read, cleaned and segmented by `sbtext.process_document`, as
`sbtext analyze` does, and compared with what the document itself shows:

- **with a word pdfium does not show**: PDF passages holding a word that pdfium's own text of the
  same page (`get_text_range`) lacks, compared in lower case after NFKC, split on punctuation; a
  word joined across a line-end or soft hyphen counts as shown with or without its hyphen, and so
  does the part before an omission hyphen ("zorg- en"). Broken words ("zorgpro fessionals"),
  doubled glyphs, footnote numbers glued to a word and words moved to another page count against
  the passage. pdfium's own text now and then runs two table cells together ("ZutphenApeldoorn");
  a passage that keeps them apart then counts against sbtext too, so a few such passages remain
  however well a document is read.
- **body lines kept**: lines of six words or more whose words all appear, in order, in the
  passages of that page. The first and last word may be part of a longer word (hyphenation
  repaired across lines). What counts as a body line:
  - PDF: pdfium's lines of the page, except running heads and feet: a line of at most 100
    characters that, its numbers left out, recurs on three pages of the document (on two in a
    document of fewer than 12 pages). Such a line is page furniture whether sbtext keeps it or
    not; a body sentence repeated word for word on three pages is left out with them.
  - Web pages: the text a reader sees as the page's content. Left out: scripts, styles and what a
    browser does not show (`noscript`, `template`, player and frame fallback text, inline text
    hidden with `display: none`), the landmarks `nav`, `header`, `footer`, `aside` and any element
    with `role` navigation, banner, contentinfo, search or dialog; forms and their controls
    (`form`, `button`, `select`, `label`); skip links; blocks whose id or class marks a cookie or
    consent bar, a breadcrumb trail or a share bar; and lines that are the whole text of a link
    (menu entries, titles of teasers for other pages, "more" lists). Teaser descriptions and
    other chrome that carries none of these marks still count, so web pages stay below 100%.
  - XML and text: the lines of the source with markup stripped, mojibake undone.
- **punctuation only**, **over 1,000 characters**: passages with no letter or digit, and longer
  passages, out of all passages read.
- **numbering**: the document record's `page_numbering` when sbtext writes one; otherwise `labels`
  (the PDF has page labels, sbtext shows them) or `index` (sbtext shows the PDF page number).
"""


def write_report(out: Path, name: str, body: str) -> None:
    """Replace (or add) one `## name` section, keeping the others."""
    old = out.read_text(encoding="utf-8") if out.exists() else ""
    sections = [s for s in re.split(r"(?m)^(?=## )", old) if s.startswith("## ")]
    kept = [s if not s.startswith(f"## {name}\n") else body for s in sections]
    if not any(s.startswith(f"## {name}\n") for s in sections):
        kept.append(body)
    out.write_text(PREAMBLE + "\n" + "\n".join(s.rstrip() + "\n" for s in kept), encoding="utf-8")


def backend_notice(options: Options) -> str:
    from sbtext.nlp import backend_of
    from sbtext.pipeline import tagger_for

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlp = tagger_for(options).nlp
    return backend_of(nlp).notice.capitalize()


def print_lost(docs: list[DocQuality]) -> None:
    """The body lines not found in the passages, per document, to read one by one."""
    for d in docs:
        if d.lost:
            print(f"== {d.name}: {len(d.lost)} lost")
            print("\n".join(f"   {line}" for line in d.lost))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more folders or files to measure")
    parser.add_argument("--out", type=Path, default=HERE / "INGEST.md")
    parser.add_argument("--section", default="after", help="the report section to (re)write")
    parser.add_argument("--n-process", type=int, default=2)
    parser.add_argument("--spacy-model", default=None, help="as for sbtext analyze (default: what users get)")
    parser.add_argument("--only", action="store_true", help="measure only the folders given")
    parser.add_argument("--lost", action="store_true", help="print each body line not found in the passages")
    args = parser.parse_args(argv)
    folders = [] if args.only else [f for f in DEFAULT_FOLDERS if f.is_dir()]
    folders += [f for f in args.folders if f.resolve() not in {g.resolve() for g in folders}]
    options = Options(spacy_model=args.spacy_model, tag=False)
    start = time.perf_counter()
    docs = measure_all(folders, options, args.n_process)
    seconds = time.perf_counter() - start
    if args.lost:
        print_lost(docs)
    write_report(args.out, args.section, section(args.section, docs, seconds, backend_notice(options), args.n_process))
    print("\n".join(totals(docs)))
    print(f"{len(docs)} documents in {seconds:.0f} s; report section {args.section!r} in {args.out}")


if __name__ == "__main__":
    main()
