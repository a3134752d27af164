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


@pytest.mark.parametrize(("start", "end"), [(0, 0), (0, 1), (1, 4), (2, 9), (0, 9)])
def test_kept_arrays_and_words_are_spacys(tagger, start, end):
    """Without a caller's store, a span's rows and lower-case words come from its document's,
    made once; a second document alike in text is not taken for the first."""
    from spacy.attrs import LOWER, ORTH

    from sbtext.tag.tokens import lower_words, token_array

    text = "Vrijwilligers in de wijk  helpen Ouderen, zodat zij thuis blijven."
    for doc in (tagger.nlp(text), tagger.nlp(text.upper())):
        span = doc[start:end]
        for _ in range(2):  # made, then kept
            assert token_array(span, (ORTH, LOWER)).tolist() == [[t.orth, t.lower] for t in span]
            assert lower_words(span) == [t.lower_ for t in span]
        assert lower_words(doc) == [t.lower_ for t in doc]


def test_kept_documents_are_bounded(tagger):
    from sbtext.tag import tokens

    docs = [tagger.nlp(f"Buurthuis nummer {k} is open.") for k in range(tokens.KEPT_DOCS * 2)]
    for doc in docs:
        assert tokens.lower_words(doc[1:3]) == ["nummer", doc[2].lower_]
    assert len(tokens._KEPT) <= tokens.KEPT_DOCS
