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


def test_a_saved_pipeline_loads_without_importing_sbtext(tmp_path):
    # The components are registered through spaCy's entry points (pyproject.toml), so spaCy can
    # build them from a saved config in a process that never imported sbtext.
    import subprocess
    import sys

    import spacy

    import sbtext.nlp
    import sbtext.tag.rules  # noqa: F401  (registers the cue ruler here)

    nlp = spacy.blank("nl")
    for name in ("sbtext_sentencizer_v1", "sbtext_simplemma_v1", "sbtext_cue_ruler_v2"):
        nlp.add_pipe(name)
    nlp.to_disk(tmp_path / "pijplijn")
    probe = (
        "import spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pijplijn')!r})\n"
        "doc = nlp('Mantelzorgers spelen een rol. Buren helpen.')\n"
        "print(len(list(doc.sents)), doc[0].lemma_.lower(), len(doc.spans['sbtext_cues']))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    sentences, lemma, cues = result.stdout.split()
    assert (sentences, lemma) == ("2", "mantelzorger")
    assert int(cues) >= 2
