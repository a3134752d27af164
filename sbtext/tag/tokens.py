"""A passage's tokens read as arrays and its text cut from its document's, without a spaCy Token
object per word (making those costs more than the rest of tagging a passage)."""

from __future__ import annotations

import numpy as np
from spacy.attrs import LOWER, ORTH, SPACY
from spacy.tokens import Doc, Span


def token_array(item: Doc | Span, attrs: tuple[int, ...], arrays: dict[int, np.ndarray]) -> np.ndarray:
    """`item.to_array(attrs)`; for a span, its rows of its document's array, which `arrays` keeps
    by document (a span's own `to_array` costs as much as its document's)."""
    if not len(item):
        return np.zeros((0, len(attrs)), dtype=np.uint64)
    if isinstance(item, Doc):
        return item.to_array(list(attrs))
    doc = item.doc
    if id(doc) not in arrays:
        arrays[id(doc)] = doc.to_array(list(attrs))
    return arrays[id(doc)][item.start : item.end]


def passage_text(item: Doc | Span, texts: dict[int, str]) -> str:
    """`item.text`; for a span, cut from its document's text, which `texts` keeps by document
    (`Span.text` joins the span's tokens again, a Token object per word)."""
    if isinstance(item, Doc):
        return doc_text(item)
    doc = item.doc
    if id(doc) not in texts:
        texts[id(doc)] = doc_text(doc)
    return texts[id(doc)][item.start_char : item.end_char]


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined from the token arrays (`Doc.text` makes a Token object per word)."""
    strings = doc.vocab.strings
    return "".join(
        strings[orth] + " " if space else strings[orth] for orth, space in doc.to_array([ORTH, SPACY]).tolist()
    )


def lower_words(item: Doc | Span) -> list[str]:
    """The lower-case form of each token (`Token.lower_`), cut from its document's, which is made
    once per document (for the last `KEPT_DOCS` documents asked about)."""
    doc = item if isinstance(item, Doc) else item.doc
    found = _LOWER_WORDS.get(id(doc))
    if found is None or found[0] is not doc:
        if len(_LOWER_WORDS) >= KEPT_DOCS:
            _LOWER_WORDS.clear()
        strings = doc.vocab.strings
        found = _LOWER_WORDS[id(doc)] = (doc, [strings[lower] for lower in doc.to_array(LOWER).tolist()])
    return found[1] if isinstance(item, Doc) else found[1][item.start : item.end]


KEPT_DOCS = 16
_LOWER_WORDS: dict[int, tuple[Doc, list[str]]] = {}  # by id of a document it keeps alive
