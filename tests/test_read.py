"""Readers and cleaning on real files made by real writers (see factory.py)."""

from __future__ import annotations

from pathlib import Path

import factory
import pytest

from sbtext.clean import clean_document
from sbtext.pipeline import Options, iter_results
from sbtext.read import read_document
from sbtext.segment import split_passages


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, factory.Fixture]:
    folder = tmp_path_factory.mktemp("good")
    return {name: make(folder) for name, make in factory.ALL_GOOD.items()}


@pytest.fixture(scope="module")
def passages(made, nlp):
    out = {}
    for name, fixture in made.items():
        doc = clean_document(read_document(fixture.path))
        out[name] = (doc, list(split_passages(doc, nlp)))
    return out


@pytest.mark.parametrize("name", list(factory.ALL_GOOD))
def test_every_sentinel_is_found_whole_once_on_its_page(made, passages, name):
    fixture = made[name]
    _, found = passages[name]
    for sentence, page in fixture.sentinels.items():
        hits = [p for p in found if normalise(sentence) in normalise(p.text)]
        assert len(hits) == 1, f"{sentence!r}: {[(p.page, p.text) for p in found]}"
        assert hits[0].page == page, f"{sentence!r} on page {hits[0].page}, expected {page}"


@pytest.mark.parametrize("name", list(factory.ALL_GOOD))
def test_no_header_footer_or_sidebar_text_in_passages(made, passages, name):
    _, found = passages[name]
    for forbidden in made[name].forbidden:
        assert not [p.text for p in found if forbidden in p.text], forbidden


@pytest.mark.parametrize("name", list(factory.ALL_GOOD))
def test_offsets_round_trip(passages, name):
    doc, found = passages[name]
    pages = {p.index: p for p in doc.pages}
    for p in found:
        assert pages[p.page_index].text[p.char_start : p.char_end] == p.text


@pytest.mark.parametrize("name", list(factory.ALL_GOOD))
def test_metadata_is_taken_from_the_document(made, passages, name):
    doc, _ = passages[name]
    for key, value in made[name].metadata.items():
        assert getattr(doc.meta, key) == value, key


@pytest.mark.parametrize("name", list(factory.ALL_GOOD))
def test_footnotes_are_separate_passages(made, passages, name):
    _, found = passages[name]
    for note in made[name].footnotes:
        hits = [p for p in found if normalise(note) in normalise(p.text)]
        assert hits and all(p.kind == "footnote" for p in hits), note
        body = [p for p in found if p.kind != "footnote"]
        assert not [p.text for p in body if normalise(note) in normalise(p.text)]


def test_pdf_page_labels_are_kept_with_the_index(made, passages):
    doc, _ = passages["kamerbrief_pdf"]
    labels = [(p.index, p.label) for p in doc.pages]
    assert labels[:3] == [(1, "i"), (2, "ii"), (3, "1")]


EXPECTED_CODES = {
    "corrupt_pdf": "E010",
    "truncated_pdf": "E010",
    "encrypted_pdf": "E011",
    "scanned_pdf": "E012",
    "empty_file": "E002",
    "wrong_extension": "E003",
    "unsupported_extension": "E001",
    "docx_not_zip": "E020",
    "docx_zip_bomb": "E021",
    "xml_external_entity": "E030",
    "xml_entity_expansion": "E030",
}


def test_bad_inputs_become_coded_errors_while_good_documents_are_processed(tmp_path, made):
    folder = tmp_path / "mixed"
    folder.mkdir()
    bad = {name: factory.BAD_FILES[name](folder) for name in EXPECTED_CODES}
    good = [made["kamerbrief_pdf"].path, made["html"].path]
    results = list(iter_results([*bad.values(), *good], options=Options(tag=False)))
    by_path = {Path(r.document["path"]).name: r for r in results}
    for name, path in bad.items():
        result = by_path[path.name]
        assert result.document["status"] == "failed", name
        assert [e["code"] for e in result.errors] == [EXPECTED_CODES[name]], (name, result.errors)
        message = result.errors[0]["message"]
        assert path.name in message and len(message) > 40, message
    for path in good:
        assert by_path[path.name].document["status"] == "ok"
        assert by_path[path.name].passages


def test_cp1252_text_is_decoded(made):
    doc = read_document(made["cp1252_txt"].path)
    text = " ".join(b.text for p in doc.pages for b in p.blocks)
    assert "coöperatie" in text and "€" in text


# -- real typesetting habits (factory.READING_CASES) and real documents ---------------------------

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"


@pytest.fixture(scope="module")
def reading(tmp_path_factory, nlp) -> dict[str, tuple[factory.Fixture, object, list]]:
    folder = tmp_path_factory.mktemp("reading")
    out = {}
    for name, make in factory.READING_CASES.items():
        fixture = make(folder)
        doc = clean_document(read_document(fixture.path))
        out[name] = (fixture, doc, list(split_passages(doc, nlp)))
    return out


@pytest.mark.parametrize("name", list(factory.READING_CASES))
def test_printed_sentences_come_out_whole_on_their_printed_page(reading, name):
    fixture, _, found = reading[name]
    for sentence, page in fixture.sentinels.items():
        hits = [p for p in found if normalise(sentence) in normalise(p.text)]
        assert len(hits) == 1, f"{sentence!r}: {[(p.page, p.text) for p in found]}"
        assert hits[0].page == page, f"{sentence!r} on page {hits[0].page}, expected {page}"
    for forbidden in fixture.forbidden:
        assert not [p.text for p in found if forbidden in p.text], forbidden
    assert all(any(c.isalnum() for c in p.text) for p in found)


@pytest.mark.parametrize(
    ("name", "numbering", "pages"),
    [
        ("offset_numbering_pdf", "printed", [("[1]", 1), ("[2]", 2), ("1", 3), ("2", 4), ("3", 5), ("4", 6)]),
        ("spread_pdf", "spread", [("2", 1), ("3", 1), ("4", 2), ("5", 2), ("6", 3), ("7", 3)]),
        ("overprint_pdf", "index", [("1", 1)]),
    ],
)
def test_printed_page_numbers_and_how_they_were_found(reading, name, numbering, pages):
    _, doc, found = reading[name]
    assert doc.meta.page_numbering == numbering
    assert sorted({(p.page, p.page_index) for p in found}, key=lambda x: (x[1], x[0])) == pages


def test_bullets_headings_and_footnote_markers(reading):
    _, _, found = reading["bullets_pdf"]
    bullets = [p for p in found if p.kind == "bullet"]
    assert [b.text for b in bullets] == [
        "• buurthuizen die open blijven;",
        "• vrijwilligers die worden ondersteund;",
        "• mantelzorgers die respijt krijgen.",
    ]
    assert {b.context for b in bullets} == {"Gemeenten zetten in op drie sporen:"}
    assert [p.text for p in found if p.kind == "heading"] == ["Zorgplicht"]
    assert all(p.section == "Zorgplicht" for p in found if p.kind != "heading")


def test_tables_and_contents_have_their_own_kinds(reading):
    _, _, found = reading["contents_and_table_pdf"]
    kinds = {p.text: p.kind for p in found}
    assert kinds["Inleiding … 3"] == "toc"
    assert kinds["Financiering … 9"] == "toc"
    assert kinds["Buurthuizen | 1.200 | 1.350"] == "table"
    assert kinds["De tabel hieronder toont de middelen per jaar."] == "sentence"


def test_documents_csv_says_how_pages_were_numbered(made, reading):
    paths = [made["kamerbrief_pdf"].path, reading["spread_pdf"][0].path, made["html"].path]
    rows = {Path(r.document["path"]).name: r.document for r in iter_results(paths, options=Options(tag=False))}
    assert rows["kamerbrief.pdf"]["page_numbering"] == "labels"
    assert rows["spreads.pdf"]["page_numbering"] == "spread"
    assert rows[made["html"].path.name]["page_numbering"] == "index"


def real(name: str) -> Path:
    return REALDOCS / name


def needs(*names: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not all(real(n).exists() for n in names), reason="real documents not present")


@pytest.fixture(scope="module")
def real_passages(nlp):
    cache: dict[str, tuple[object, list]] = {}

    def get(name: str):
        if name not in cache:
            doc = clean_document(read_document(real(name)))
            cache[name] = (doc, list(split_passages(doc, nlp)))
        return cache[name]

    return get


IZA = "nat_iza_2022_integraal_zorgakkoord.pdf"
GALA = "nat_gala_2023_gezond_en_actief_leven.pdf"


@needs(IZA, GALA)
@pytest.mark.parametrize(
    ("name", "printed_words", "page"),
    [
        # Sentences the Verwey-Jonker table cites (annotations/verwey_jonker_2023.csv), as printed.
        (IZA, "alleen samen kunnen we de zorg toekomstbestendig maken", "5"),
        (IZA, "zodat mensen zo gezond en vitaal mogelijk zijn", "6"),
        (IZA, "Passende zorg begint bij zelfzorg en informele zorg", "9"),
        (IZA, "Om de groeiende zorgvraag te kunnen opvangen", "9"),
        (GALA, "beweging naar het versterken van het normale leven", "5"),
        (GALA, "In een wijk waar veel sociale samenhang is", "18"),
    ],
)
def test_cited_quotes_land_on_the_printed_page(real_passages, name, printed_words, page):
    _, found = real_passages(name)
    hits = [p for p in found if printed_words in p.text]
    assert hits and {p.page for p in hits} == {page}, [(p.page, p.text[:80]) for p in hits]


@needs(IZA, GALA)
@pytest.mark.parametrize("name", [IZA, GALA])
def test_real_akkoord_reads_clean(real_passages, name):
    _, found = real_passages(name)
    texts = [p.text for p in found]
    assert not [t for t in texts if not any(c.isalnum() for c in t)]
    assert not [t for t in texts if len(t) > 1000]
    for broken in ("effffect", "VoVoor", "geeft ft", "transforma tie", "mantel zorgers", "\x02", "\ufffe"):
        assert not [t for t in texts if broken in t], broken
    assert [p for p in found if p.kind == "bullet" and p.context]


@needs("nat_vws_brief_azwa_d5_d6_financieringsinstrument_2026.pdf")
def test_real_letter_sidebar_and_address_block(real_passages):
    doc, found = real_passages("nat_vws_brief_azwa_d5_d6_financieringsinstrument_2026.pdf")
    assert doc.meta.kenmerk == "1097348-DMO"
    assert doc.meta.title == "AZWA-afspraken D5 en D6 en financieringsinstrument"
    text = " ".join(p.text for p in found)
    for gone in ("Retouradres", "Postbus 30435", "Parnassusplein", "Correspondentie uitsluitend"):
        assert gone not in text
    assert "Met het Aanvullend Zorg- en Welzijnsakkoord (AZWA) hebben we samen met 19 andere partijen" in text


@needs("mun_almere_pga_transformatieplan.pdf", "reg_ggd_flevoland_bestuursrapportage_aug_2024.pdf")
def test_real_spreads_and_bundles_keep_printed_numbers(real_passages):
    doc, _ = real_passages("mun_almere_pga_transformatieplan.pdf")
    assert doc.meta.page_numbering == "spread"
    assert [(p.index, p.label) for p in doc.pages[1:5]] == [(2, "2"), (2, "3"), (3, "4"), (3, "5")]
    bundle, _ = real_passages("reg_ggd_flevoland_bestuursrapportage_aug_2024.pdf")
    # The minutes inside the bundle print 'Pagina 1 van 6' on the bundle's sixth sheet.
    assert [p.label for p in bundle.pages[5:11]] == ["1", "2", "3", "4", "5", "6"]


@needs("nat_kind_naar_gezonder_gewicht_monitoring_matrix_2023.pdf")
def test_real_text_up_the_page_edge_is_not_read_letter_by_letter(real_passages):
    _, found = real_passages("nat_kind_naar_gezonder_gewicht_monitoring_matrix_2023.pdf")
    assert not [p.text for p in found if len(p.text.strip()) <= 2 and p.text.strip().isalpha()]
