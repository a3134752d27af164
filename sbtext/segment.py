"""Clean pages -> passages: sentences, bullet items, headings and footnotes with offsets.

Paragraphs, bullet items and footnotes are cut into sentences by the spaCy pipeline (the
parser's sentences, or the rule sentencizer of the fallback); a split after a Dutch abbreviation
or before a lower-case word is undone, whichever pipeline made it. A sentence longer than 1,000
characters is cut at its semicolons. A bullet item is one passage of kind "bullet" (cut into
its sentences only when longer than 1,000 characters) and carries its lead-in sentence as
context. Headings, table rows and
table-of-contents entries are passages as they are. Every passage satisfies
`page.text[char_start:char_end] == text`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from sbtext.nlp import ABBREVIATIONS
from sbtext.records import Document, Page, Passage, PassageKind, Span

SPLIT_KINDS = {"paragraph", "table_cell", "footnote", "bullet"}
LONGEST = 1000  # characters: a longer sentence is cut at its semicolons where it has them


def split_passages(doc: Document, nlp: Language) -> Iterator[Passage]:
    """Yield the passages of a cleaned document, page by page, in reading order."""
    for passage, _ in passage_spans(doc, nlp, tagging=False):
        yield passage


def passage_spans(doc: Document, nlp: Language, *, tagging: bool = True) -> Iterator[tuple[Passage, SpacySpan | None]]:
    """Each passage with its tokens in the processed paragraph, so that tagging need not process
    the text a second time (None for headings, table rows and contents entries, which are not
    split). With `tagging`, the paragraphs also pass the tagging components (the cue rules),
    once, here. A bullet's context is the last sentence before its list, across a page break;
    a heading ends it."""
    disable = [] if tagging else [n for n in nlp.pipe_names if n.startswith("sbtext_tag")]
    jobs = [(k, page, span) for k, page in enumerate(doc.pages) for span in page.spans if span.kind in SPLIT_KINDS]
    texts = [page.text[span.start : span.end] for _, page, span in jobs]
    # A paragraph repeated word for word is processed once and its Doc shared (a page that
    # repeats one line thousands of times costs one parse, and its passages one tagging).
    unique = list(dict.fromkeys(texts))
    processed = dict(zip(unique, nlp.pipe(unique, disable=disable)))
    parsed = {(k, span.start): processed[text] for (k, _, span), text in zip(jobs, texts)}
    ids: dict[str, int] = {}
    section = lead_in = ""
    nested = _Nested()
    for k, page in enumerate(doc.pages):
        for number, span in enumerate(page.spans, start=1):
            if span.kind == "heading":
                section, lead_in = page.text[span.start : span.end], ""
            paragraph = parsed.get((k, span.start))
            for start, end in _pieces(page, span, paragraph):
                passage = _passage(doc.doc_id, page, number, start, end, _kind(span), section, ids)
                if span.kind == "bullet":
                    passage = _with_context(passage, nested.lead_in(passage.text) or lead_in)
                else:
                    nested = _Nested()
                    if span.kind in ("paragraph", "table_cell"):
                        lead_in = passage.text
                tokens = paragraph.char_span(start - span.start, end - span.start) if paragraph else None
                yield passage, tokens


class _Nested:
    """A list inside a list item: an item ending in a colon leads into the items after it that
    open with another marker ("• ... langs de volgende sporen:" then "− ..."), until an item opens
    with the outer marker again."""

    def __init__(self) -> None:
        self.outer = self.inner = self.lead = ""

    def lead_in(self, item: str) -> str:
        marker = _marker(item)
        if self.lead and marker != self.outer and (not self.inner or marker == self.inner):
            self.inner = marker
            return self.lead
        self.outer, self.inner = marker, ""
        self.lead = item if item.rstrip().endswith(":") else ""
        return ""


def _marker(item: str) -> str:
    """The kind of an item's list marker: its glyph, or "1." / "a." for any number or letter."""
    first = item.split(maxsplit=1)[0] if item.split() else ""
    if re.match(r"^\(?\d{1,3}[.)]$", first):
        return "1."
    if re.match(r"^\(?[a-zA-Z][.)]$", first):
        return "a."
    return first[:1]


def _kind(span: Span) -> PassageKind:
    if span.kind in ("heading", "bullet", "footnote", "table", "toc"):
        return span.kind  # type: ignore[return-value]
    return "sentence"


def _pieces(page: Page, span: Span, parsed: Doc | None) -> Iterator[tuple[int, int]]:
    if parsed is None or (span.kind == "bullet" and span.end - span.start <= LONGEST):
        yield span.start, span.end
        return
    # The paragraph's text as it went into the pipeline (`Doc.text` would join it again from its
    # tokens, a Token object per word).
    text = page.text[span.start : span.end]
    for start, end in sentence_bounds(parsed, text):
        for piece_start, piece_end in _clauses(text, start, end):
            yield span.start + piece_start, span.start + piece_end


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A sentence, or the semicolon clauses of one longer than `LONGEST` characters."""
    if end - start <= LONGEST or ";" not in text[start:end]:
        yield start, end
        return
    for m in re.finditer(r"[^;]+(?:;|$)", text[start:end]):
        piece = m.group(0)
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            yield start + m.start() + lead, start + m.start() + len(piece.rstrip())


def sentence_bounds(doc: Doc, text: str | None = None) -> list[tuple[int, int]]:
    """Character bounds of the sentences, with abbreviation and lower-case splits undone and
    pieces without a letter or digit (a closing quote mark) kept with their sentence. `text` is
    `doc.text` where the caller has it already."""
    bounds: list[tuple[int, int]] = []
    whole = doc.text if text is None else text
    for sent in doc.sents:
        text = whole[sent.start_char : sent.end_char]
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.end_char - (len(text) - len(text.rstrip()))
        if start >= end:
            continue
        if bounds and (_wrong_split(whole, bounds[-1], start) or not _has_word(whole[start:end])):
            bounds[-1] = (bounds[-1][0], end)
        elif bounds and not _has_word(whole[bounds[-1][0] : bounds[-1][1]]):
            bounds[-1] = (bounds[-1][0], end)  # a stray quote mark or bullet opens the next sentence
        else:
            bounds.append((start, end))
    return bounds


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _wrong_split(text: str, previous: tuple[int, int], start: int) -> bool:
    before = text[previous[0] : previous[1]]
    words = before.split()
    last_word = words[-1].lower() if words else ""
    after = text[start : start + 1]
    ends = before.rstrip().endswith((".", "!", "?", ":", "…", ".)", ".’", ".”", '."', "'"))
    # Cleaning already put headings, bullets and paragraphs apart, so a split without final
    # punctuation inside a paragraph is the parser's mistake, as is one after an abbreviation.
    return last_word in ABBREVIATIONS or not ends or after.islower()


def _passage(
    doc_id: str, page: Page, number: int, start: int, end: int, kind: PassageKind, section: str, ids: dict[str, int]
) -> Passage:
    text = page.text[start:end]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    base = f"{doc_id}:{page.index}:{digest}"
    # The n-th passage with the same text on a page is `base-n`: counted, not probed one by one
    # (a repeated line 40,000 times would take minutes). A digest has no "-", so no id collides.
    n = ids[base] = ids.get(base, 0) + 1
    passage_id = base if n == 1 else f"{base}-{n}"
    return Passage(
        passage_id=passage_id,
        doc_id=doc_id,
        page=page.label,
        page_index=page.index,
        paragraph=number,
        char_start=start,
        char_end=end,
        text=text,
        kind=kind,
        section=section if kind != "heading" else "",
    )


def _with_context(passage: Passage, lead_in: str) -> Passage:
    return Passage(**{**passage.__dict__, "context": lead_in})
