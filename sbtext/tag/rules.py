"""The codebook's cue lists as a spaCy component: a SpanRuler that puts cue spans on the Doc.

Spans go to `doc.spans["sbtext_cues"]` with the cue list as label (`expectation`,
`instrumental`, `sphere:persoonlijk`, `category:kosten_besparing`, ...) and the codebook term as
span id, so every label can name the words and the rule behind it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span

from sbtext.codebook import Codebook, load_codebook, term_patterns
from sbtext.nlp import _lemma

SPANS_KEY = "sbtext_cues"
RULER_NAME = "sbtext_tag_cues"


@Language.factory(
    "sbtext_cue_ruler_v1",
    default_config={"codebook": None, "spans_key": SPANS_KEY},
)
def make_cue_ruler(nlp: Language, name: str, codebook: str | None, spans_key: str) -> SpanRuler:
    """A SpanRuler filled with the patterns of `codebook` (None: the default codebook)."""
    ruler = SpanRuler(nlp, name, spans_key=spans_key, overwrite=True, validate=True)
    ruler.add_patterns(codebook_patterns(load_codebook(codebook)))
    return ruler


def codebook_patterns(codebook: Codebook) -> list[dict[str, Any]]:
    """SpanRuler patterns for every term of every cue list."""
    patterns = []
    for label, terms in codebook.terms().items():
        for term in terms:
            for pattern in term_patterns(term, _lemma):
                patterns.append({"label": label, "pattern": pattern, "id": term})
    return patterns


def cue_spans(doc: Doc | Span) -> list[Span]:
    """The cue spans inside a Doc or a sentence Span, in text order."""
    whole = doc if isinstance(doc, Doc) else doc.doc
    spans = whole.spans.get(SPANS_KEY, [])
    if isinstance(doc, Doc):
        return sorted(spans, key=lambda s: (s.start, s.end))
    return sorted((s for s in spans if s.start >= doc.start and s.end <= doc.end), key=lambda s: (s.start, s.end))


def cue_counts(spans: list[Span]) -> Counter[str]:
    """How often each cue list fired (overlapping duplicates of one term count once)."""
    seen = {(s.label_, s.start, s.end) for s in spans}
    return Counter(label for label, _, _ in seen)
