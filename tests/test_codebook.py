"""The codebook text (annotations/CODEBOOK.md) and the YAML say the same: every term the text gives
as an example of a lexicon, and every word list it spells out, is what the YAML holds."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT

from sbtext.codebook import CATEGORIES, SPHERES, load_codebook

TEXT = (ROOT / "annotations" / "CODEBOOK.md").read_text(encoding="utf-8")


def _table(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, example term) for every example in the rows of the tables of `codes`."""
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]*) \|$", TEXT, flags=re.MULTILINE)
    return [(code, term.strip()) for code, terms in rows if code in codes for term in terms.split(",") if term.strip()]


def _listed(pattern: str) -> list[str]:
    """The words of the one list in the text that `pattern` captures, split at commas and slashes."""
    (found,) = re.findall(pattern, TEXT, flags=re.DOTALL)
    return [" ".join(w.split()) for w in re.split(r"[,/]", found) if w.strip()]


def _labels(tagger, text: str) -> set[str]:
    return {cue.label for cue in tagger.tag(text).cues}


SPHERE_EXAMPLES = _table(SPHERES)
CATEGORY_WORDS = _table(CATEGORIES)


def test_the_tables_were_found():
    assert {code for code, _ in SPHERE_EXAMPLES} == set(SPHERES)
    assert {code for code, _ in CATEGORY_WORDS} == set(CATEGORIES) - {"other"}


@pytest.mark.parametrize(("sphere", "term"), SPHERE_EXAMPLES)
def test_every_sphere_example_is_in_the_lexicon_of_its_sphere(tagger, sphere, term):
    assert f"sphere:{sphere}" in _labels(tagger, term)


@pytest.mark.parametrize(("category", "word"), CATEGORY_WORDS)
def test_every_typical_word_of_a_category_is_among_its_words(tagger, category, word):
    assert f"category:{category}" in _labels(tagger, word)


def test_the_synonyms_of_the_sociale_basis_are_core_terms(tagger):
    synonyms = _listed(r'"de sociale basis" and its synonyms: ([^)]+)\)')
    assert len(synonyms) >= 5
    assert [s for s in synonyms if "core" not in _labels(tagger, s)] == []


def test_the_goal_language_is_the_yamls(tagger):
    words = _listed(r"`goal` list\): \*([^*]+)\*")
    assert [w for w in words if "goal" not in _labels(tagger, w)] == []


def test_the_purpose_markers_and_effect_verbs_are_the_yamls():
    rules = load_codebook(None).purpose_clauses()
    markers = _listed(r"- \*(zodat[^*]+)\*: from the first word after the marker")
    assert len(markers) >= 10
    assert set(markers) <= {m.lower() for m in rules["markers"]}
    verbs = _listed(r"`effect_verbs`: \*([^*]+)\*")
    assert set(verbs) <= set(rules["effect_verbs"])


@pytest.fixture(scope="module")
def rules(nlp):
    """The codebook alone: the goal cues, never a trained model."""
    from sbtext.tag import Tagger

    return Tagger(nlp, models="rules")


@pytest.mark.parametrize(
    ("text", "is_goal"),
    [
        ("Het kabinet wil dat mantelzorgers langer volhouden.", True),
        ("Dit project richt zich op het tegengaan van eenzaamheid onder jongeren.", True),
        ("Het beleid is gericht op meer meedoen van ouderen.", True),
        ("De regeling is bedoeld om meer vrijwilligers te werven.", True),
        ("Voor ogen staat een dorp waar jong en oud elkaar kennen.", True),
        # care or help whose kind is described, a target group by "bedoeld voor", hope, desirability
        ("De hulp is erop gericht dat u zoveel mogelijk zelf kunt doen.", False),
        ("De zorg richt zich op herstel na de operatie.", False),
        ("De subsidie is bedoeld voor verenigingen met jeugdleden.", False),
        ("We hopen dat meer inwoners vrijwilliger worden.", False),
        ("Het is wenselijk dat de regels eenvoudiger worden.", False),
        ("Eén van de speerpunten is de aanpak van eenzaamheid.", False),
    ],
)
def test_goal_wording_of_the_codebook(rules, text, is_goal):
    assert ("goal" in _labels(rules, text)) is is_goal
