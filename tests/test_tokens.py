"""Token arrays and passage texts without Token objects (sbtext.tag.tokens), held to spaCy's own."""

from __future__ import annotations

import pytest

TEXTS = ["", "Buren", " Buren  helpen\n\nelkaar ", "Mantelzorg\u00a0en\tvrijwilligers!  ", "   "]


@pytest.mark.parametrize("text", TEXTS)
def test_a_documents_text_is_spacys(tagger, text):
    from sbtext.tag.tokens import doc_text

    doc = tagger.nlp(text)
    assert doc_text(doc) == doc.text == text


@pytest.mark.parametrize(("start", "end"), [(0, 1), (1, 4), (2, 9), (0, 9)])
def test_a_spans_text_and_arrays_are_spacys(tagger, start, end):
    from spacy.attrs import LEMMA, ORTH

    from sbtext.tag.tokens import passage_text, token_array

    doc = tagger.nlp("Vrijwilligers in de wijk  helpen ouderen, zodat zij thuis blijven.")
    span = doc[start:end]
    assert passage_text(span, {}) == span.text
    assert token_array(span, (ORTH, LEMMA), {}).tolist() == [[t.orth, t.lemma] for t in span]
