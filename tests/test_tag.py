"""Labels on sentences written for the tests (not from any gold file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbtext.codebook import default_codebook_path
from sbtext.records import Label


def label(tagger, text: str) -> Label:
    return tagger.tag(text)


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            "Gemeenten zetten vrijwilligers in om eenzaamheid onder ouderen te voorkomen.",
            "eenzaamheid onder ouderen te voorkomen",
        ),
        (
            "Wij versterken de mantelzorgondersteuning, zodat mantelzorgers het langer volhouden.",
            "mantelzorgers het langer volhouden",
        ),
        ("Buurthuizen worden opengehouden ten behoeve van de ontmoeting in de wijk.", "de ontmoeting in de wijk"),
        (
            "Een vrijwillige thuisadministratie leidt naar verwachting tot minder schuldhulptrajecten.",
            "minder schuldhulptrajecten",
        ),
        (
            "Het maatjesproject draagt daarmee ook bij aan het terugdringen van eenzaamheid.",
            "het terugdringen van eenzaamheid",
        ),
        (
            "Vrijwilligers bezoeken alleenstaande ouderen thuis ter bestrijding van eenzaamheid.",
            "eenzaamheid",
        ),
        (
            "Om de zorg toegankelijk te houden, doen we een beroep op het eigen netwerk.",
            "de zorg toegankelijk te houden",
        ),
    ],
)
def test_purpose_clause_ends_where_the_clause_ends(tagger, text, purpose):
    """Where the clause is cut, whatever the models decide about the passage (a purpose is shown
    only for an expectation or a goal statement)."""
    from sbtext.tag import choose_purpose

    found = choose_purpose(tagger.nlp(text), rules=tagger.rules)
    assert found is not None and text[found.start : found.end] == purpose


def test_every_label_carries_its_cues(tagger):
    result = label(
        tagger, "Mantelzorgers en vrijwilligers spelen een onmisbare rol, zodat de druk op de wijkverpleging afneemt."
    )
    assert result.expectation
    kinds = {c.label for c in result.cues}
    assert {"sphere:persoonlijk", "sphere:gemeenschappelijk", "purpose"} <= kinds
    assert "mantelzorgers" in result.actors
    for cue in result.cues:
        assert cue.start < cue.end


def test_inflections_match_on_lemmas(tagger):
    cues = {
        (c.label, c.text) for c in label(tagger, "Het kabinet rekent op de buurtgenoten en verwacht veel van hen.").cues
    }
    assert ("expectation", "rekent op") in cues
    assert ("expectation", "verwacht") in cues


def test_plain_budget_sentence_is_no_expectation(tagger):
    result = label(tagger, "De begroting voor infrastructuur stijgt volgend jaar met twee procent.")
    assert not result.expectation
    assert result.framing == "none"
    assert result.spheres == ()


def test_goal_statement(tagger):
    result = label(tagger, "Het doel is de kwaliteit en betaalbaarheid van de langdurige zorg te borgen.")
    assert result.goal_statement
    assert result.purpose == "de kwaliteit en betaalbaarheid van de langdurige zorg te borgen"
    assert result.purpose_category


def test_goal_without_an_opening_phrase_shows_its_purpose_clause(tagger):
    """A policy goal that no opening rule catches is still a goal statement by the goal model, and
    shows its purpose clause though it expects nothing of the sociale basis."""
    result = label(tagger, "Het programma beoogt de gezondheidsverschillen tussen wijken te verkleinen.")
    assert not result.expectation
    assert result.goal_statement
    assert result.purpose == "de gezondheidsverschillen tussen wijken te verkleinen"


def test_same_input_same_output(tagger):
    text = "Vrijwilligers in de sportvereniging zorgen voor ontmoeting en plezier."
    assert label(tagger, text) == label(tagger, text)


def test_custom_codebook_changes_the_rules(tmp_path, nlp):
    import yaml

    from sbtext.codebook import default_codebook_path
    from sbtext.tag import Tagger

    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    data["spheres"]["gemeenschappelijk"].append("schuttersgilde*")
    custom = tmp_path / "codeboek.yaml"
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tagger = Tagger(nlp, codebook=custom, allow_codebook_mismatch=True)
    cues = tagger.tag("Het schuttersgilde organiseert de burenhulp in het dorp.").cues
    assert ("sphere:gemeenschappelijk", "schuttersgilde") in {(c.label, c.text) for c in cues}


def _codebook_copy(folder, name: str, edit) -> str:
    """A copy of the default codebook with `edit` applied to its data."""
    import yaml

    from sbtext.codebook import default_codebook_path

    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    edit(data)
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _sphere_words(tagger, text: str) -> set[str]:
    return {c.text.lower() for c in tagger.tag(text).cues if c.label.startswith("sphere:")}


def test_two_codebooks_in_one_process_each_tag_with_their_own(tmp_path, nlp):
    """Taggers built one after the other on one base pipeline keep their own codebook: each
    matches its own terms, also after a later tagger was built, and names its own codebook."""
    import hashlib

    from sbtext.tag import Tagger

    added = _codebook_copy(
        tmp_path, "met_schuttersgilde.yaml", lambda d: d["spheres"]["gemeenschappelijk"].append("schuttersgilde*")
    )
    removed = _codebook_copy(
        tmp_path, "zonder_grootouders.yaml", lambda d: d["spheres"]["persoonlijk"].remove("grootouder*")
    )
    plain = Tagger(nlp, models="rules")
    wider = Tagger(nlp, codebook=added, models="rules")
    narrower = Tagger(nlp, codebook=removed, models="rules")
    text = "De grootouders en het schuttersgilde vangen de kinderen op."
    for tagger, words in [
        (plain, {"grootouders"}),
        (wider, {"grootouders", "schuttersgilde"}),
        (narrower, set()),
        (plain, {"grootouders"}),
    ]:
        assert _sphere_words(tagger, text) == words
    for tagger, path in [(wider, added), (narrower, removed)]:
        assert tagger.codebook.path == path
        assert tagger.codebook.sha256 == hashlib.sha256(Path(path).read_bytes()).hexdigest()
    assert plain.codebook.path == str(default_codebook_path())
    assert len({id(t.nlp) for t in (plain, wider, narrower)}) == 3
    # A tagger built on another tagger's pipeline takes its parts, not its codebook.
    assert _sphere_words(Tagger(wider.nlp, models="rules"), text) == {"grootouders"}


def test_the_shipped_models_record_the_shipped_codebook():
    """The check that refuses models of another codebook passes for what sbtext ships."""
    import hashlib
    import json

    from sbtext.codebook import load_codebook
    from sbtext.tag.model import check_codebook, default_models_path, load_models

    manifest = json.loads((default_models_path() / "manifest.json").read_text(encoding="utf-8"))
    codebook = load_codebook(None)
    assert manifest["codebook_sha256"] == hashlib.sha256(default_codebook_path().read_bytes()).hexdigest()
    assert manifest["codebook_rules_sha256"] == codebook.rules_sha256
    check_codebook(load_models(None), codebook)


def test_the_rules_hash_ignores_layout_and_line_endings(tmp_path):
    """Comments, key order and Windows line endings leave the rules (and the models' check) alone;
    one term more does not."""
    import yaml

    from sbtext.codebook import load_codebook

    text = default_codebook_path().read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    reordered = tmp_path / "reordered.yaml"
    data = yaml.safe_load(text)
    reordered.write_text(yaml.safe_dump(dict(reversed(list(data.items()))), allow_unicode=True), encoding="utf-8")
    added = _codebook_copy(tmp_path, "added.yaml", lambda d: d["core"].append("dorpsraad"))
    shipped = load_codebook(None)
    for path in (crlf, reordered):
        assert load_codebook(path).sha256 != shipped.sha256
        assert load_codebook(path).rules_sha256 == shipped.rules_sha256
    assert load_codebook(added).rules_sha256 != shipped.rules_sha256


@pytest.mark.parametrize("recorded", ["codebook_rules_sha256", "codebook_sha256"])
def test_models_of_another_codebook_are_refused(tmp_path, recorded):
    """E072 names both codebooks and what to do; models that record only the file's hash (before
    the rules hash was recorded) are checked on that."""
    from sbtext.codebook import load_codebook
    from sbtext.errors import SbtextError
    from sbtext.tag.model import Models, check_codebook, load_models

    shipped = load_models(None)
    manifest = {k: v for k, v in (shipped.manifest or {}).items() if k in (recorded, "codebook_name")}
    models = Models(featurizer=shipped.featurizer, manifest=manifest, folder="modellen")
    edited = load_codebook(_codebook_copy(tmp_path, "mijn.yaml", lambda d: d["core"].append("dorpsraad")))
    check_codebook(models, load_codebook(None))
    with pytest.raises(SbtextError) as info:
        check_codebook(models, edited)
    assert info.value.code == "E072"
    for part in ("modellen", "sbtext-default", "mijn.yaml", "--allow-codebook-mismatch", "sbtext train"):
        assert part in info.value.message


def test_a_codebook_edited_in_between_is_read_again(tmp_path):
    from sbtext.codebook import load_codebook

    path = tmp_path / "codeboek.yaml"
    path.write_bytes(default_codebook_path().read_bytes())
    before = load_codebook(path)
    _codebook_copy(tmp_path, "codeboek.yaml", lambda d: d["core"].append("dorpsraad"))
    after = load_codebook(path)
    assert after.sha256 != before.sha256 and "dorpsraad" in after.terms()["core"]


def test_invalid_codebook_is_a_coded_error(tmp_path, nlp):
    from sbtext.errors import SbtextError
    from sbtext.tag import Tagger

    bad = tmp_path / "bad.yaml"
    bad.write_text("spheres: {persoonlijk: [a]}\n", encoding="utf-8")
    with pytest.raises(SbtextError) as info:
        Tagger(nlp, codebook=bad)
    assert info.value.code == "E070"


def test_pattern_matcher_finds_what_spacys_matcher_finds(nlp):
    """The gap and wildcard terms give the same (term, start, end) set as spaCy's Matcher."""
    from spacy.matcher import Matcher

    from sbtext.codebook import term_patterns
    from sbtext.nlp import _lemma
    from sbtext.tag.rules import PatternMatcher

    terms = {
        "a": "spelen ... rol",
        "b": "om ... te",
        "c": "informele zorg*",
        "d": "voorliggend* veld",
        "e": "? ... blijven",
    }
    ours, theirs = PatternMatcher(), Matcher(nlp.vocab, validate=True)
    for key, term in terms.items():
        ours.add(key, term_patterns(term, _lemma))
        theirs.add(key, term_patterns(term, _lemma))
    text = (
        "Vrijwilligers spelen in de wijk een rol, om te beginnen bij informele zorgverleners en om "
        "mensen te helpen te blijven meedoen; het voorliggende veld moet sterk blijven."
    )
    doc = nlp(text)
    expected = {(nlp.vocab.strings[k], s, e) for k, s, e in theirs(doc)}
    found = set(ours(doc))
    assert found == expected
    assert {key for key, _, _ in found} == set(terms)


def test_passage_in_its_paragraph_gets_the_labels_it_gets_alone(tagger):
    """Analysis tags each sentence as a span of its processed paragraph; evaluate tags the text
    alone. Both must give the same labels."""
    paragraph = (
        "De gemeente legt het budget voor 2027 vast. Wij vragen buurtverenigingen en mantelzorgers om "
        "meer te doen, zodat de wijkverpleging minder wordt belast. Het college rapporteert in het voorjaar."
    )
    doc = tagger.nlp(paragraph)
    sentences = list(doc.sents)
    in_paragraph = tagger.tag_spans([s.text for s in sentences], sentences)
    alone = [tagger.tag(s.text) for s in sentences]
    assert len(sentences) == 3
    assert in_paragraph == alone
    # Whether this sentence passes is the model's call (it scores near the threshold); the codebook
    # alone reads it as an expectation with this purpose, in its paragraph as alone.
    from sbtext.tag import Tagger

    rules = Tagger(tagger.nlp, models="rules")
    by_rules = rules.tag_spans([s.text for s in sentences], sentences)
    assert by_rules == [rules.tag(s.text) for s in sentences]
    assert by_rules[1].expectation and by_rules[1].purpose == "de wijkverpleging minder wordt belast"


@pytest.mark.parametrize("kind", ["table", "toc"])
def test_table_rows_and_contents_entries_are_not_labelled(tagger, kind):
    from sbtext.tag import UNTAGGED

    texts = ["Wij vragen mantelzorgers en vrijwilligers om meer te doen, zodat de zorg betaalbaar blijft."] * 2
    labels = tagger.tag_spans(texts, [None, None], ["sentence", kind])
    assert labels[1] == UNTAGGED and not labels[1].cues
    assert labels[0] == tagger.tag(texts[0]) and labels[0].cues


def _basis_cues(result: Label) -> set[str]:
    return {c.text.lower() for c in result.cues if c.label == "core" or c.label.startswith("sphere:")}


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("De kennis over valpreventie moet beter worden gedeeld tussen ziekenhuizen.", "kennis"),
        ("Naast de wijkverpleging moet ook de huisarts bereikbaar blijven.", "naast"),
        ("Ziekenhuizen werken samen in regionale netwerken voor acute zorg.", "netwerken"),
        ("Criminele netwerken moeten harder worden aangepakt.", "netwerken"),
        ("De Vereniging van Nederlandse Gemeenten moet de afspraken uitvoeren.", "vereniging"),
        ("De beroepsverenigingen moeten de richtlijn voor wijkverpleegkundigen herzien.", "beroepsverenigingen"),
        ("Jeugdhulp in het vrijwillig kader moet sneller beschikbaar zijn.", "vrijwillig"),
        ("Vrijwillige hulp van de jeugdbescherming gaat voor een maatregel.", "vrijwillige"),
        ("De initiatiefnemers van het wetsvoorstel moeten de memorie aanpassen.", "initiatiefnemers"),
        ("Het ministerie van Volksgezondheid, Welzijn en Sport moet de regeling uitvoeren.", "welzijn"),
        ("De samenleving moet de kosten van de zorg kunnen blijven dragen.", "samenleving"),
        ("Inwoners moeten hun aanvraag voor een maatwerkvoorziening digitaal indienen.", "inwoners"),
        ("Het sociaal domein moet de wijkteams beter toerusten.", "sociaal domein"),
        ("Mensen die ouder worden moeten langer zelfstandig kunnen wonen.", "ouder"),
        ("De instellingen werken vriendelijk en moeten de wachtlijsten terugdringen.", "vriendelijk"),
    ],
)
def test_false_friends_are_no_part_of_the_sociale_basis(tagger, text, word):
    """A false friend of the lexicon names no part of the sociale basis, so rule 1 leaves the
    passage without an expectation however much role language it has."""
    result = label(tagger, text)
    assert not any(word in cue for cue in _basis_cues(result))
    assert not result.expectation


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Mantelzorgers en hun naasten moeten ondersteuning krijgen van het steunpunt.", "naasten"),
        ("Ouders en hun kennissen vangen de kinderen op na school.", "kennissen"),
        ("Het eigen netwerk van de cliënt wordt eerst ingezet.", "eigen netwerk"),
        ("De sportvereniging biedt jongeren een plek waar ze erbij horen.", "sportvereniging"),
        ("Vrijwilligers van de voedselbank signaleren geldzorgen.", "vrijwilligers"),
        ("Het welzijnswerk organiseert ontmoeting in de wijk.", "welzijnswerk"),
        ("Actieve inwoners nemen het beheer van het buurthuis over.", "actieve inwoners"),
    ],
)
def test_the_other_sense_still_counts(tagger, text, word):
    assert any(word in cue for cue in _basis_cues(label(tagger, text)))


def test_rule_one_gates_the_model(tagger):
    """Role language without any part of the sociale basis is never an expectation."""
    result = label(tagger, "Zorgaanbieders moeten een grotere rol spelen om de wachtlijsten terug te dringen.")
    assert not _basis_cues(result)
    assert not result.expectation


@pytest.mark.parametrize(
    "text",
    [
        "Er moet een plek zijn om te wonen.",
        "Wij nodigen u uit om te komen.",
        "De wijk heeft ruimte om te ontmoeten.",
    ],
)
def test_a_bare_infinitive_is_no_purpose(tagger, text):
    from sbtext.tag.purpose import find_purposes

    assert find_purposes(tagger.nlp(text)) == []


def test_purpose_markers_come_from_the_codebook(tmp_path, nlp):
    """A marker added to the YAML opens a purpose clause; without it the same sentence has none."""
    import yaml

    from sbtext.codebook import default_codebook_path, load_codebook
    from sbtext.tag.purpose import PurposeRules, find_purposes

    text = "Buren helpen elkaar in de wijk, in de hoop dat eenzaamheid afneemt."
    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    data["purpose_clauses"]["markers"].append("in de hoop dat")
    custom = tmp_path / "codeboek.yaml"
    custom.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    doc = nlp(text)
    assert find_purposes(doc, PurposeRules.of(load_codebook(None))) == []
    (found,) = find_purposes(doc, PurposeRules.of(load_codebook(custom)))
    assert text[found.start : found.end] == "eenzaamheid afneemt"
