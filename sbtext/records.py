"""The data spine: what travels between the stages, as frozen dataclasses.

documents -> pages -> passages -> labels -> rows. A reader yields a `Document` whose pages hold
`Block`s (visual lines for PDF, structural paragraphs for DOCX/HTML/XML); cleaning turns those
into `Page`s with one clean text each; segmentation cuts that text into `Passage`s whose offsets
point back into it; tagging gives each passage a `Label`; a passage with its label becomes a
`PassageRecord`, the row the tables and the writers take.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal, TypedDict, get_type_hints

BlockKind = Literal["line", "paragraph", "heading", "bullet", "footnote", "table_cell", "table", "toc"]
PassageKind = Literal["sentence", "heading", "bullet", "footnote", "table", "toc"]


@dataclass(frozen=True)
class Block:
    """One piece of raw page text as a reader found it.

    `x0`, `x1`, `top`, `bottom` and `height` are fractions of the page size (PDF only); `None`
    for formats without geometry. `size` is the font size in points and `bold` the weight of the
    line's first glyph, where the reader knows them.
    """

    text: str
    kind: BlockKind = "line"
    x0: float | None = None
    top: float | None = None
    bottom: float | None = None
    height: float | None = None
    x1: float | None = None
    size: float | None = None
    bold: bool = False


@dataclass(frozen=True)
class Span:
    """A cleaned block inside `Page.text`: `text[start:end]` is the block."""

    start: int
    end: int
    kind: BlockKind


@dataclass(frozen=True)
class Page:
    """One page. `label` is the printed page label, `index` the 1-based position in the file.

    Two pages share an index when one PDF page holds a two-page spread. `numbering` says where
    the label came from: labels (the PDF's page labels), printed (the numbers in the running
    header or footer), spread, or index. `width` and `height` are in points (PDF only).
    """

    index: int
    label: str
    text: str = ""
    spans: tuple[Span, ...] = ()
    blocks: tuple[Block, ...] = ()
    n_images: int = 0
    numbering: str = "index"
    width: float | None = None
    height: float | None = None


@dataclass(frozen=True)
class DocumentMeta:
    """Who and what a document is; from the manifest, else from the document itself."""

    doc_id: str
    path: str
    source: str = ""
    title: str = ""
    doc_type: str = ""
    date: str = ""
    kenmerk: str = ""
    url: str = ""
    sha256: str = ""
    fmt: str = ""
    description: str = ""
    page_numbering: str = ""

    def fill(self, **found: str) -> DocumentMeta:
        """Return a copy where empty fields take the values found in the document."""
        updates = {k: v for k, v in found.items() if v and not getattr(self, k)}
        return replace(self, **updates)


@dataclass(frozen=True)
class Document:
    """A document with its pages; raw from a reader, cleaned after `clean_document`."""

    meta: DocumentMeta
    pages: tuple[Page, ...]

    @property
    def doc_id(self) -> str:
        return self.meta.doc_id


@dataclass(frozen=True)
class Passage:
    """A unit of labelling: a sentence, bullet item, heading or footnote on one page.

    `text == page.text[char_start:char_end]` for the page it sits on.
    """

    passage_id: str
    doc_id: str
    page: str
    page_index: int
    paragraph: int
    char_start: int
    char_end: int
    text: str
    kind: PassageKind = "sentence"
    section: str = ""
    context: str = ""


@dataclass(frozen=True, slots=True)
class Cue:
    """A codebook match: which rule fired, on which words, at which offsets of the passage."""

    label: str
    rule: str
    text: str
    start: int
    end: int

    def __reduce__(self) -> tuple[type[Cue], tuple[str, str, str, int, int]]:
        # Pickled as its values, rebuilt by the constructor: a worker process sends tens of
        # thousands per 300 pages, and the per-field state a frozen dataclass pickles by default
        # took three times as long to send and take back.
        return Cue, (self.label, self.rule, self.text, self.start, self.end)


@dataclass(frozen=True)
class Label:
    """Everything the taggers decided about one passage, with the words that decided it."""

    expectation: bool
    expectation_score: float
    framing: str
    framing_scores: dict[str, float] = field(default_factory=dict)
    spheres: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    purpose: str = ""
    purpose_start: int = -1
    purpose_end: int = -1
    purpose_category: str = ""
    goal_statement: bool = False
    cues: tuple[Cue, ...] = ()


class _PassageColumns(TypedDict):
    """The columns of a passage record that every run fills, tagged or not."""

    doc_id: str
    source: str
    page: str
    page_index: int
    passage_id: str
    paragraph: int
    kind: str
    section: str
    char_start: int
    char_end: int
    text: str
    context: str


class PassageRecord(_PassageColumns, total=False):
    """One passage with its labels: a row of `passages.csv`, in the order of its columns.

    The label keys are missing where a run does not tag (a concordance, blank annotation
    records). `spheres` and `actors` are joined with ";"; `cue_offsets` stays a tuple of `Cue`s
    until a file is written (`sbtext.write`), where it becomes JSON.
    """

    expectation: bool
    expectation_score: float
    framing: str
    score_intrinsic: float
    score_instrumental: float
    score_both: float
    purpose: str
    purpose_start: int
    purpose_end: int
    purpose_category: str
    spheres: str
    actors: str
    goal_statement: bool
    cues: str
    cue_offsets: tuple[Cue, ...]


PASSAGE_TYPES: dict[str, type] = {
    name: getattr(kind, "__origin__", kind) for name, kind in get_type_hints(PassageRecord).items()
}
"""The passage schema: each column of `passages.csv` and the Python type of its values."""
PASSAGE_COLUMNS = list(PASSAGE_TYPES)
