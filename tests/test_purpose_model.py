"""The learned purpose span (sbtext.tag.purpose_model), on sentences written for these tests."""

from __future__ import annotations

import pytest

# (text, purpose or "" for none, goal statement): a small training set of my own sentences.
TRAIN = [
    (
        "Buurtverenigingen organiseren koffieochtenden, zodat ouderen minder alleen zijn.",
        "ouderen minder alleen zijn",
        False,
    ),
    (
        "Vrijwilligers bezoeken nieuwe bewoners om hen wegwijs te maken in de wijk.",
        "hen wegwijs te maken in de wijk",
        False,
    ),
    ("Mantelzorgers krijgen respijtzorg, waardoor zij het langer volhouden.", "zij het langer volhouden", False),
    (
        "Het buurthuis biedt ruimte aan initiatieven van bewoners om de samenhang te versterken.",
        "de samenhang te versterken",
        False,
    ),
    ("Sportclubs zetten trainers in zodat kinderen meer bewegen.", "kinderen meer bewegen", False),
    ("Wij vragen buren om een oogje in het zeil te houden.", "", False),
    ("Vrijwilligers spelen een belangrijke rol in de wijk.", "", False),
    ("Mantelzorgers nemen veel taken op zich.", "", False),
    ("Het welzijnswerk is in elke wijk aanwezig.", "", False),
    ("De buurtsportcoach werkt samen met de scholen in de buurt.", "", False),
    ("Het doel is de zorg betaalbaar te houden.", "de zorg betaalbaar te houden", True),
    ("Behouden van de kwaliteit van de wijkverpleging.", "Behouden van de kwaliteit van de wijkverpleging", True),
    (
        "Versterking van de samenwerking tussen huisarts en welzijnswerk.",
        "Versterking van de samenwerking tussen huisarts en welzijnswerk",
        True,
    ),
    ("We willen dat elk kind veilig kan opgroeien.", "elk kind veilig kan opgroeien", True),
    ("Het doel is minder wachttijden in de jeugdzorg.", "minder wachttijden in de jeugdzorg", True),
    ("Verbetering van de toegang tot schuldhulp.", "Verbetering van de toegang tot schuldhulp", True),
]
TRAIN = TRAIN * 3  # the same sentences thrice: enough weight for CRFsuite on so few sequences


@pytest.fixture(scope="module")
def span_model(tagger):
    from sbtext.tag.purpose_model import fit_span_model

    docs = [tagger.nlp(text) for text, _, _ in TRAIN]
    model = fit_span_model(docs, [p for _, p, _ in TRAIN], [g for _, _, g in TRAIN], tagger.rules)
    assert model is not None
    return model


@pytest.mark.parametrize(
    ("text", "goal", "purpose"),
    [
        ("Buurtcentra openen vaker hun deuren, zodat jongeren een plek hebben.", False, "jongeren een plek hebben"),
        ("Vrijwilligers koken samen met ouderen om eenzaamheid te voorkomen.", False, "eenzaamheid te voorkomen"),
        ("Mantelzorgers zijn onmisbaar in de zorg.", False, ""),
        (
            "Behouden van de toegankelijkheid van de huisartsenzorg.",
            True,
            "Behouden van de toegankelijkheid van de huisartsenzorg",
        ),
        ("Het doel is de druk op de mantelzorg te verlichten.", True, "de druk op de mantelzorg te verlichten"),
    ],
)
def test_the_span_model_cuts_the_purpose_or_says_none(span_model, tagger, text, goal, purpose):
    found = span_model.cut(tagger.nlp(text), tagger.rules, goal=goal)
    assert (text[found.start : found.end] if found else "") == purpose


def test_a_model_saved_and_loaded_cuts_the_same(span_model, tagger, tmp_path):
    from sbtext.tag.purpose_model import load_span_model

    span_model.save(tmp_path)
    loaded = load_span_model(tmp_path)
    doc = tagger.nlp("Buurtcentra openen vaker hun deuren, zodat jongeren een plek hebben.")
    assert loaded is not None and loaded.cut(doc, tagger.rules, goal=False) == span_model.cut(
        doc, tagger.rules, goal=False
    )
    assert load_span_model(tmp_path / "leeg") is None


def test_no_purpose_to_learn_gives_no_model(tagger):
    from sbtext.tag.purpose_model import fit_span_model

    docs = [tagger.nlp("Vrijwilligers spelen een rol.")]
    assert fit_span_model(docs, [""], [False], tagger.rules) is None


@pytest.mark.parametrize(
    ("text", "purpose", "labels"),
    [
        ("Wij doen dit zodat buren elkaar kennen.", "buren elkaar kennen", "O O O O B I I O"),
        ("Wij doen dit.", "", "O O O O"),
        # a span that ends inside a token (extraction noise in the gold) takes the whole token
        ("Dit helpt om ouderen te activeren.", "ouderen te activer", "O O O B I I O"),
    ],
)
def test_gold_purposes_become_bio_labels(tagger, text, purpose, labels):
    from sbtext.tag.purpose_model import bio_labels

    assert " ".join(bio_labels(tagger.nlp(text), purpose)) == labels


@pytest.mark.parametrize(
    ("tags", "purpose"),
    [
        ("O O O O B I I O", "buren elkaar kennen"),
        ("O O O O I I I O", "buren elkaar kennen"),  # an I with no B opens a span too
        ("O O O O O O O O", None),
        ("O O O O B I O B", "buren elkaar"),  # the first run only
    ],
)
def test_tags_become_the_first_marked_span(tagger, tags, purpose):
    from sbtext.tag.purpose_model import span_of

    text = "Wij doen dit zodat buren elkaar kennen."
    found = span_of(tagger.nlp(text), tags.split(), tagger.rules)
    assert (text[found.start : found.end] if found else None) == purpose
    if found:
        assert found.marker == "zodat"


def test_a_tagger_with_a_span_model_shows_its_cut(tagger, span_model):
    """With a span model the tagger shows the model's purpose for an expectation or goal statement."""
    from sbtext.tag import Tagger

    own = Tagger(tagger.nlp, models="rules")
    text = "Het doel is de druk op de mantelzorg te verlichten."
    doc = own.nlp(text)
    assert own.cut_purpose(doc, goal=True) is not None
    own.models.purpose = span_model
    label = own.tag(text)
    assert label.goal_statement and label.purpose == "de druk op de mantelzorg te verlichten"


@pytest.mark.parametrize(
    "text",
    [
        "Buurtverenigingen (zoals de Oranjevereniging) organiseren, zodat ouderen minder alleen zijn; vaak.",
        "Het doel is: de Zorg betaalbaar te houden, om 2030 te halen!",
    ],
)
def test_token_features_read_each_word_as_its_token_does(tagger, text):
    """The features come from token arrays and a store per word; they are what the tokens say,
    for a passage processed alone and for one that is a span of its paragraph."""
    from sbtext.tag.purpose_model import token_features

    alone = tagger.nlp(text)
    items = token_features(alone, tagger.rules, goal=False)
    assert len(items) == len(alone)
    for token, item in zip(alone, items):
        assert {f"lower:{token.lower_}", f"lemma:{token.lemma_.lower()}", f"suffix:{token.lower_[-3:]}"} <= set(item)
        assert ("punct" in item, "title" in item) == (token.is_punct, token.is_title)
        assert ("boundary" in item) == (token.text in tagger.rules.boundaries or token.text in "()")
    in_paragraph = tagger.nlp("Een zin ervoor. " + text)[4:]
    assert token_features(in_paragraph, tagger.rules, goal=False) == items


def test_attribute_names_score_as_crfsuite_reads_named_values(tmp_path):
    """`attributes` gives CRFsuite the same item as the named values would: same tags, same
    probability, for text values, flags and counts."""
    import pycrfsuite

    from sbtext.tag.purpose_model import attributes

    seqs = [
        ([{"w": "buren", "cap": True, "n": 2}, {"w": "helpen", "cap": False, "n": 0}], ["B", "O"]),
        ([{"w": "wij", "cap": False, "n": 1}, {"w": "buren", "cap": True, "n": 1}], ["O", "B"]),
    ]
    trainer = pycrfsuite.Trainer(verbose=False)
    for items, labels in seqs:
        trainer.append(items, labels)
    trainer.train(str(tmp_path / "m.crfsuite"))
    crf = pycrfsuite.Tagger()
    crf.open(str(tmp_path / "m.crfsuite"))
    for items, _ in seqs:
        as_names = [attributes(item) for item in items]
        tags = crf.tag(items)
        by_value = crf.probability(tags)
        assert crf.tag(as_names) == tags
        assert crf.probability(tags) == pytest.approx(by_value, rel=1e-12)
    assert attributes({"w": "x", "cap": True, "off": False, "n": 2}) == ["w:x", "cap", "n", "n"]


def test_the_rules_cut_handed_in_gives_the_same_features(tagger):
    from sbtext.tag.purpose import choose_purpose_clause, find_goal
    from sbtext.tag.purpose_model import token_features

    doc = tagger.nlp("Vrijwilligers koken samen met ouderen om eenzaamheid te voorkomen.")
    cut = (find_goal(doc, tagger.rules), choose_purpose_clause(doc, None, tagger.rules))
    assert cut[1] is not None
    assert token_features(doc, tagger.rules, goal=False, cut=cut) == token_features(doc, tagger.rules, goal=False)


@pytest.mark.parametrize(
    ("distance", "bucket"),
    [(0, "<=1"), (1, "<=1"), (2, "<=2"), (3, "<=3"), (4, "<=5"), (5, "<=5"), (8, "<=8"), (13, "<=13"), (14, "far")],
)
def test_distances_fall_in_the_buckets_of_marker_reach(distance, bucket):
    from sbtext.tag.purpose_model import _bucket, _position

    assert _bucket(distance) == bucket
    assert _position(distance, distance + 1) == [
        *(["first"] if distance == 0 else []),
        "last",
        f"from_start:{bucket}",
        "to_end:<=1",
    ]


@pytest.mark.parametrize("n_words", [1, 2, 3, 5, 40])
def test_neighbours_and_positions_reach_the_passages_edges(tagger, n_words):
    """Each token reads its two neighbours on either side, or the passage's edge beyond its ends,
    and its distance from both ends, in buckets up to "far"."""
    from sbtext.tag.purpose_model import _bucket, token_features

    doc = tagger.nlp(" ".join(["buren"] * n_words))
    items = token_features(doc, tagger.rules, goal=False)
    for k, item in enumerate(items):
        for d in (-2, -1, 1, 2):
            assert (f"{d}:edge" in item) == (not 0 <= k + d < n_words)
            assert (f"{d}:lower:buren" in item) == (0 <= k + d < n_words)
        assert ("first" in item, "last" in item) == (k == 0, k == n_words - 1)
        assert f"from_start:{_bucket(k)}" in item and f"to_end:{_bucket(n_words - 1 - k)}" in item
