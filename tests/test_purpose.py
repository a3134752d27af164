"""Purpose clauses by the rules (sbtext.tag.purpose): every word list is the codebook YAML's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

CODEBOOK_TEXT = Path(__file__).resolve().parents[1] / "annotations" / "CODEBOOK.md"


def _custom(tmp_path, change) -> Path:
    from sbtext.codebook import default_codebook_path

    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    change(data["purpose_clauses"])
    path = tmp_path / "codeboek.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        ("Een actieve buurtvereniging zorgt voor meer plezier in het wonen.", "meer plezier in het wonen"),
        (
            "Het jongerenwerk werkt aan betere kansen voor jongeren in de vrije tijd.",
            "betere kansen voor jongeren in de vrije tijd",
        ),
        ("Buurthuizen dragen bij aan minder eenzaamheid onder ouderen.", "minder eenzaamheid onder ouderen"),
        (
            "Het opbouwwerk richt zich op het versterken van de samenhang in de buurt.",
            "het versterken van de samenhang in de buurt",
        ),
        ("Vrijwilligers zijn onmisbaar voor het sociale leven in het dorp.", "het sociale leven in het dorp"),
        ("Buurtverenigingen zijn van belang voor de leefbaarheid van de kern.", "de leefbaarheid van de kern"),
        (
            "Sportclubs zetten zich in ter ondersteuning van de gezondheid van hun leden.",
            "de gezondheid van hun leden",
        ),
    ],
)
def test_the_openers_the_gold_marks_open_a_purpose(nlp, text, purpose):
    from sbtext.codebook import load_codebook
    from sbtext.tag.purpose import PurposeRules, find_purposes

    (found,) = find_purposes(nlp(text), PurposeRules.of(load_codebook(None)))
    assert text[found.start : found.end] == purpose


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("Het college wil de bibliotheek in elke kern openhouden.", "de bibliotheek in elke kern openhouden"),
        (
            "De gemeente wil meer jongeren bij het verenigingsleven betrekken.",
            "meer jongeren bij het verenigingsleven betrekken",
        ),
        ("Voor ogen staat een wijk waarin buren naar elkaar omkijken.", "een wijk waarin buren naar elkaar omkijken"),
        # a hope and a judgement of desirability are not goal language
        ("We hopen dat meer inwoners vrijwilliger worden.", None),
        ("Het is wenselijk dat de regels voor verenigingen eenvoudiger worden.", None),
    ],
)
def test_goal_openers_of_the_codebook(nlp, text, goal):
    from sbtext.codebook import load_codebook
    from sbtext.tag.purpose import PurposeRules, find_goal

    found = find_goal(nlp(text), PurposeRules.of(load_codebook(None)))
    assert (found and text[found.start : found.end]) == goal


def test_the_codebook_text_names_the_yamls_new_openers():
    from sbtext.codebook import load_codebook

    markers = {m.lower() for m in load_codebook(None).purpose_clauses()["markers"]}
    text = CODEBOOK_TEXT.read_text(encoding="utf-8")
    named = re.findall(r'after "(zorgt voor)" / "(zorgen voor)"|and after "(werkt aan)" / "(werken aan)"', text)
    assert {w for group in named for w in group if w} == {"zorgt voor", "zorgen voor", "werkt aan", "werken aan"}
    assert {"zorgt voor", "zorgen voor", "werkt aan", "werken aan"} <= markers
    assert not {"maakt mogelijk", "een rol spelen bij"} & markers


def test_goal_copulas_come_from_the_codebook(tmp_path, nlp):
    """ "Het doel ... wordt" opens a goal phrase once "wordt" is among the YAML's goal copulas."""
    from sbtext.codebook import load_codebook
    from sbtext.tag.purpose import PurposeRules, find_goal

    text = "Het doel van de aanpak wordt een buurt waarin iedereen meedoet."
    custom = _custom(tmp_path, lambda section: section["goal_copulas"].append("wordt"))
    doc = nlp(text)
    assert find_goal(doc, PurposeRules.of(load_codebook(None))) is None
    found = find_goal(doc, PurposeRules.of(load_codebook(custom)))
    assert found is not None and text[found.start : found.end] == "een buurt waarin iedereen meedoet"


def test_page_reference_words_come_from_the_codebook(tmp_path, nlp):
    from sbtext.codebook import load_codebook
    from sbtext.tag.purpose import PurposeRules, find_purposes

    text = "Vrijwilligers helpen, zodat ouderen thuis kunnen blijven (pagina 4)."
    custom = _custom(tmp_path, lambda section: section["page_reference_words"].append("pagina"))
    doc = nlp(text)
    (default,) = find_purposes(doc, PurposeRules.of(load_codebook(None)))
    (own,) = find_purposes(doc, PurposeRules.of(load_codebook(custom)))
    assert text[default.start : default.end] == "ouderen thuis kunnen blijven (pagina 4)"
    assert text[own.start : own.end] == "ouderen thuis kunnen blijven"


def test_a_codebook_written_before_the_later_lists_borrows_them(tmp_path):
    from sbtext.codebook import OPTIONAL_PURPOSE_WORD_LISTS, load_codebook

    def drop(section):
        for key in OPTIONAL_PURPOSE_WORD_LISTS:
            del section[key]

    older = load_codebook(_custom(tmp_path, drop)).purpose_clauses()
    default = load_codebook(None).purpose_clauses()
    assert {k: older[k] for k in OPTIONAL_PURPOSE_WORD_LISTS} == {k: default[k] for k in OPTIONAL_PURPOSE_WORD_LISTS}


def test_the_quick_checks_change_no_cut(tagger, letter_spans, monkeypatch):
    """`find_purposes` and `find_goal` look first whether a passage can hold what their rules
    start from; on every passage of a real letter (and a few made to start like a goal or a
    condition) they cut what they cut when they look at every passage whole."""
    from sbtext.tag import purpose

    made = tagger.nlp(
        "[Doel] Het doel van de aanpak is dat buren elkaar helpen. Om de zorg ook later te kunnen garanderen. "
        "Als inwoners elkaar kennen, dan voelen zij zich veiliger. De inzet kan de druk op de zorg verminderen."
    )
    passages = [*letter_spans, *made.sents, made[:]]
    quick = [(purpose.find_purposes(p), purpose.find_goal(p)) for p in passages]
    monkeypatch.setattr(purpose, "_may_state_purpose", lambda r, words: True)
    monkeypatch.setattr(purpose, "_may_open_goal", lambda r, head: True)
    whole = [(purpose.find_purposes(p), purpose.find_goal(p)) for p in passages]
    assert quick == whole
    assert sum(bool(cuts) for cuts, _ in quick) > 10 and sum(goal is not None for _, goal in quick) > 3
