from __future__ import annotations

import pytest
from tests_helpers import sentences

from sbtext.errors import SbtextError
from sbtext.nlp import backend_of, load_nlp


def test_backend_is_reported(nlp, model_name):
    backend = backend_of(nlp)
    assert backend.kind == ("fallback" if model_name == "blank" else "trained")
    assert backend.kind in backend.notice


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("gemeenten", "gemeente"), ("mantelzorgers", "mantelzorger"), ("heeft", "hebben"), ("is", "zijn")],
)
def test_lemmas(nlp, word, lemma):
    doc = nlp(f"De {word} hier.")
    assert doc[1].lemma_.lower() == lemma


@pytest.mark.parametrize(
    "text",
    [
        "Gemeenten werken o.a. met vrijwilligers en bijv. buurthuizen samen.",
        "Dit staat in art. 2.1 van de wet en in nr. 7 van het dossier.",
        "Het kabinet investeert i.p.v. te bezuinigen, m.u.v. de jeugdzorg e.d. in de wijk.",
        "Op 3 jan. 2024 begint de aanpak in de wijk.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(nlp, text):
    assert sentences(nlp, text) == [text]


def test_two_sentences_are_split(nlp):
    text = "Mantelzorgers doen veel. Vrijwilligers ook."
    assert sentences(nlp, text) == ["Mantelzorgers doen veel.", "Vrijwilligers ook."]


def test_unknown_pipeline_is_a_coded_error():
    with pytest.raises(SbtextError) as info:
        load_nlp("/nonexistent/pipeline")
    assert info.value.code == "E090"
