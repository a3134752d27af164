"""A passage's tokens read as arrays and its text cut from its document's, without a spaCy Token
object per word (making those costs more than the rest of tagging a passage)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.attrs import LOWER, ORTH, SPACY
from spacy.tokens import Doc, Span


def token_array(item: Doc | Span, attrs: tuple[int, ...], arrays: dict[int, np.ndarray] | None = None) -> np.ndarray:
    """`item.to_array(attrs)`; for a span, its rows of its document's array, which `arrays` keeps
    by document (a span's own `to_array` costs as much as its document's; None: kept here for the
    last `KEPT_DOCS` documents asked about)."""
    if not len(item):
        return np.zeros((0, len(attrs)), dtype=np.uint64)
    if isinstance(item, Doc):
        return item.to_array(list(attrs))
    doc = item.doc
    if arrays is None:
        return _kept(doc, attrs, lambda: doc.to_array(list(attrs)))[item.start : item.end]
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
    strings = doc.vocab.strings
    words = _kept(doc, ("lower_", LOWER), lambda: [strings[lower] for lower in doc.to_array(LOWER).tolist()])
    return words if isinstance(item, Doc) else words[item.start : item.end]


def _kept(doc: Doc, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """What `make` gives for `doc` under `key`, made once while the document is among the last
    `KEPT_DOCS` asked about (each kept alive with it, so that its id names no other)."""
    found = _KEPT.get((id(doc), key))
    if found is None or found[0] is not doc:
        if len(_KEPT) >= KEPT_DOCS:
            _KEPT.clear()
        found = _KEPT[id(doc), key] = (doc, make())
    return found[1]


KEPT_DOCS = 32
_KEPT: dict[tuple[int, tuple[Any, ...]], tuple[Doc, Any]] = {}
