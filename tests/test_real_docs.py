"""Reading real documents: the cases that generated test documents do not show.

Documents in `corpora/real/` (free-reuse government publications, unchanged) are always tested;
those in `../shared/realdocs/` only where that folder is present. Each document is read without
its manifest, as a user's folder would be. Words are compared with pdfium's own text of the same
page, as `bench/ingest_quality.py` does.

A case marked `xfail(strict=True)` is a defect of today's reading, described in its reason; when
a fix lands the test passes, strict xfail reports that as an error, and the mark is removed.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

import pytest

from sbtext.pipeline import DocResult, Options, process_document

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "corpora" / "real"
SHARED = ROOT.parent / "shared" / "realdocs"
SAMPLE = ROOT / "corpora" / "sample"
sys.path.insert(0, str(ROOT / "bench"))

from ingest_quality import (  # noqa: E402
    DocQuality,
    line_pattern,
    measure,
    pdf_pages,
    running_lines,
    shown_words,
    source_lines,
    unshown,
    word_stream,
)

VWS_BRIEF = "nat_vws_brief_azwa_d5_d6_financieringsinstrument_2026.pdf"
SPUK_BRIEF = "nat_vws_spuk_iza_brede_spuk_mandaatgemeente_2025.pdf"
CW31 = "nat_azwa_2026_cw31_kader_d5_d6.pdf"
BZK_PAGE = "nat_bzk_gemeentefonds_cyclus.html"
DUSI_PAGE = "nat_dusi_spuk_iza_2023_2026.html"
HANDELINGEN = ("h-tk-20172018-70-5.xml", "h-tk-20172018-70-9.xml")
IZA = "nat_iza_2022_integraal_zorgakkoord.pdf"
GALA = "nat_gala_2023_gezond_en_actief_leven.pdf"


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


def real(name: str) -> Path:
    return REAL / name


def shared(name: str) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


@cache
def read(path: Path) -> DocResult:
    """Read, clean and segment a document as `sbtext analyze` does, without a manifest."""
    return process_document(path, None, Options(spacy_model=os.environ["SBTEXT_SPACY_MODEL"], tag=False))


def passages(path: Path, page_index: int | None = None) -> list[dict]:
    result = read(path)
    assert result.document["status"] == "ok", result.errors
    return [p for p in result.passages if page_index is None or p["page_index"] == page_index]


def texts(path: Path, page_index: int | None = None) -> list[str]:
    return [p["text"] for p in passages(path, page_index)]


def one(path: Path, start: str) -> dict:
    """The passage that starts with `start`."""
    found = [p for p in passages(path) if p["text"].startswith(start)]
    assert found, f"no passage starts with {start!r}"
    return found[0]


# -- the reading bars, on corpora/real as a whole --------------------------------------------------


@cache
def measured() -> tuple[DocQuality, ...]:
    """The reading-quality figures of `bench/ingest_quality.py` for each document of corpora/real."""
    options = Options(spacy_model=os.environ["SBTEXT_SPACY_MODEL"], tag=False)
    files = sorted(p for p in REAL.iterdir() if p.suffix != ".csv")
    return tuple(measure((p, None, "corpora/real", options)) for p in files)


def total(field: str) -> int:
    return sum(getattr(d, field) for d in measured() if d.status == "ok")


def test_every_real_document_is_measured():
    assert len(measured()) == 7
    assert not [d.name for d in measured() if d.status == "crashed"]


def test_every_real_document_is_read():
    assert [(d.name, d.code) for d in measured() if d.status != "ok"] == []


def test_at_most_one_percent_of_real_pdf_passages_hold_a_word_pdfium_does_not_show():
    assert total("unshown_passages") <= 0.01 * total("pdf_passages")


def test_at_least_99_percent_of_real_body_lines_are_kept():
    assert total("kept_lines") >= 0.99 * total("body_lines")


def test_no_real_passage_is_punctuation_only():
    assert total("punctuation_only") == 0


def test_at_most_half_a_percent_of_real_passages_are_over_1000_characters():
    assert total("long_passages") <= 0.005 * total("n_passages")


# -- what the report counts as body text ----------------------------------------------------------


def test_running_heads_are_no_body_lines():
    topics = ["buurthuizen", "mantelzorg", "vrijwilligers", "sport", "wonen", "schulden"] * 2
    pages = [f"{n} | GALA – Gezond en Actief Leven Akkoord\nDeze pagina gaat over {t}." for n, t in enumerate(topics)]
    assert running_lines(pages) == {"gala gezond en actief leven akkoord"}


def test_web_page_chrome_is_no_body_line(tmp_path):
    body = "De gemeente vraagt vrijwilligers en buren om samen het buurthuis open te houden."
    page = f"""<html><body><div role="navigation"><p>Home en alle onderwerpen van deze gemeente op een rij</p></div>
<div class="cookie-banner"><p>Deze website gebruikt cookies om het gebruik van de site te meten.</p></div>
<main><p>{body}</p><p><a href="/nieuws/1">Nieuws over de buurthuizen in alle wijken van de stad</a></p>
<form><label>Vul hier uw e-mailadres in voor de nieuwsbrief van de gemeente</label></form></main></body></html>"""
    path = tmp_path / "pagina.html"
    path.write_text(page, encoding="utf-8")
    lines = [" ".join(line.split()) for line in source_lines(path, "html") if line.strip()]
    assert lines == [body]


# -- words as printed -------------------------------------------------------------------------------


def unshown_share(path: Path) -> tuple[float, list[str]]:
    pages, _ = pdf_pages(path)
    shown = [shown_words(t) for t in pages]
    rows = passages(path)
    bad = [f"p{p['page_index']}: {unshown(p['text'], shown[p['page_index'] - 1])}" for p in rows]
    bad = [b for b in bad if not b.endswith("[]")]
    return len(bad) / len(rows), bad


@pytest.mark.parametrize(
    "name",
    [
        VWS_BRIEF,
        SPUK_BRIEF,
        pytest.param(
            CW31,
        ),
    ],
)
def test_at_most_one_percent_of_passages_hold_a_word_pdfium_does_not_show(name):
    share, bad = unshown_share(real(name))
    assert share <= 0.01, bad[:10]


@pytest.mark.parametrize(
    ("folder", "name", "page", "whole", "broken"),
    [
        pytest.param(REAL, SPUK_BRIEF, 1, "administratieve", "adm inistratieve"),
        pytest.param(REAL, SPUK_BRIEF, 2, "interventies", "inte rventies"),
        pytest.param(
            REAL,
            CW31,
            1,
            "afspraken vastgelegd",
            "afspra ken",
        ),
        pytest.param(SHARED, IZA, 5, "zorgprofessionals", "zorgpro fessionals"),
        pytest.param(SHARED, IZA, 21, "transformatiemiddelen", "transforma tie"),
        pytest.param(SHARED, GALA, 19, "mantelzorgers", "mantel zorgers"),
        pytest.param(SHARED, GALA, 22, "gemeenten", "ge meenten"),
        pytest.param(
            SHARED,
            "mun_almere_2024_2026_visie_gezondheidsbeleid_raadsvoorstel_geamendeerd.pdf",
            3,
            "dagelijkse",
            "dagelijijkse",
        ),
        pytest.param(
            SHARED,
            "nat_pharos_brugfuncties_huisartsenzorg_sociaal_domein_2025.pdf",
            17,
            "fysieke",
            "fyfysieke",
        ),
    ],
)
def test_words_are_whole_and_single(folder, name, page, whole, broken):
    path = real(name) if folder == REAL else shared(name)
    on_page = " ".join(texts(path, page)).lower()
    assert broken not in on_page
    assert whole in on_page


def test_footnote_marker_is_split_from_its_word():
    on_page = " ".join(texts(real(VWS_BRIEF), 4))
    assert "samengebracht3" not in on_page
    assert "samengebracht" in on_page


# -- text kept ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "name", "words"),
    [
        pytest.param(
            REAL,
            VWS_BRIEF,
            "Met het Aanvullend Zorg- en Welzijnsakkoord (AZWA) hebben we samen met 19",
        ),
        pytest.param(
            REAL,
            SPUK_BRIEF,
            "In de afgelopen maanden heeft VWS o.a. met de VNG gesprekken gevoerd",
        ),
        pytest.param(
            SAMPLE,
            "004_6a829b2d3051c84a.txt",
            "op tafel gelegd worden in een collegiaal, inhoudelijk overleg",
        ),
    ],
)
def test_line_is_kept(folder, name, words):
    stream = word_stream(texts(folder / name))
    pattern = line_pattern(words)
    assert pattern is not None
    assert pattern.search(stream)


def test_two_text_columns_are_read_as_prose_not_table_rows():
    """GALA p14 sets its actions in two narrow columns; each item is a bullet with its words whole."""
    item = one(shared(GALA), "• VWS neemt deel aan het Nationaal Programma Leefbaarheid")
    assert item["kind"] == "bullet"
    assert "gezondheidsachterstanden voor de wijkgerichte, integrale aanpak" in item["text"]
    assert not [p for p in passages(shared(GALA), 14) if p["kind"] == "table"]


def test_a_word_broken_on_two_lines_in_a_row_keeps_both_parts():
    page = " ".join(texts(shared(IZA), 5))
    assert "mentale gezondheidsvaardigheden en achterliggende oorzaken van gezondheidsachterstanden zoals" in page


def test_minus_sign_opens_a_list_item():
    item = one(shared(GALA), "− stimuleren van gezond gedrag")
    assert item["kind"] == "bullet"
    assert item["context"].endswith("bijvoorbeeld langs de volgende sporen:")


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("reg_flever_zorgzaam_flevoland_project.html", "In de tweede aflevering van de podcast ZorgZamen praat host"),
        ("mun_almere_wijkteams_ontmoeting.html", "Wil je iets bijdragen aan de wijk?"),
    ],
)
def test_web_page_prose_that_trafilatura_leaves_out_is_kept(name, start):
    assert one(shared(name), start)["kind"] == "sentence"


def test_web_page_breadcrumbs_stay_out():
    path = shared("nat_sociaalwerknl_financiering_iza_azwa_2025.html")
    assert not [t for t in texts(path) if "»" in t]


# -- lists, headings, long passages ------------------------------------------------------------------


def punctuation_only(path: Path) -> list[str]:
    return [t for t in texts(path) if not any(c.isalnum() for c in t)]


@pytest.mark.parametrize(
    "path",
    [
        real(VWS_BRIEF),
        real(CW31),
        real(BZK_PAGE),
        pytest.param(real(SPUK_BRIEF)),
    ],
    ids=lambda p: p.name,
)
def test_no_passage_is_punctuation_only(path):
    assert punctuation_only(path) == []


def test_bullets_are_never_alone_in_the_akkoord():
    assert punctuation_only(shared(IZA)) == []


def test_bullet_item_keeps_its_lead_in():
    item = one(shared(IZA), "• Partijen verwachten dat de uitvoering van de werkagenda")
    assert item["kind"] == "bullet"
    assert item["context"] == "Die werkagenda heeft een aantal kenmerken:"


def test_private_use_bullet_starts_an_item():
    path = shared("reg_ggd_flevoland_kadernota_2025.pdf")
    assert not [t for t in texts(path) if "\uf0b7" in t]
    assert one(path, "• Rond de landelijke ontwikkelingen is nog onduidelijk")["kind"] == "bullet"


def test_heading_is_a_passage_of_its_own():
    heading = one(shared(IZA), "De toegankelijkheid van de zorg staat onder druk")
    assert heading["text"] == "De toegankelijkheid van de zorg staat onder druk"
    assert heading["kind"] == "heading"
    assert one(shared(IZA), "De vraag naar zorg stijgt sneller dan het aanbod.")["section"] == heading["text"]


SENTENCE_INSIDE = re.compile(r"[a-z)][.!?]\s+[A-Z]")


@pytest.mark.parametrize(
    "path",
    [
        real(VWS_BRIEF),
        real(SPUK_BRIEF),
        real(CW31),
        real(BZK_PAGE),
        pytest.param(SHARED / IZA),
    ],
    ids=lambda p: p.name,
)
def test_no_passage_over_1000_characters_unless_one_sentence(path):
    if not path.is_file():
        pytest.skip(f"{path} not present")
    long = [t[:80] for t in texts(path) if len(t) > 1000 and SENTENCE_INSIDE.search(t)]
    assert long == []


# -- letters and metadata -----------------------------------------------------------------------------

ADDRESS = re.compile(r"(?i:retouradres|postbus \d+|\bt\.a\.v\.)|\b\d{4} ?[A-Z]{2} [A-Z][a-z]")


@pytest.mark.parametrize(
    "name",
    [
        SPUK_BRIEF,
        pytest.param(VWS_BRIEF),
    ],
)
def test_no_address_block_in_the_text(name):
    assert [t for t in texts(real(name)) if ADDRESS.search(t)] == []


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        (VWS_BRIEF, "kenmerk", "1097348-DMO"),
        (SPUK_BRIEF, "date", "2025-09-12"),
        (VWS_BRIEF, "date", "2026-04-22"),
        (SPUK_BRIEF, "kenmerk", "4190863-1084972-DMO"),
    ],
)
def test_letter_record_has_date_and_kenmerk(name, field, value):
    assert read(real(name)).document[field] == value


@pytest.mark.parametrize(
    ("name", "title"),
    [
        pytest.param(
            SPUK_BRIEF,
            "Wijziging SPUK IZA en Brede SPUK",
        ),
        pytest.param(
            VWS_BRIEF,
            "AZWA-afspraken D5 en D6 en financieringsinstrument",
        ),
    ],
)
def test_title_is_the_bron_without_a_manifest(name, title):
    result = read(real(name))
    assert result.document["source"] == title
    assert {p["source"] for p in result.passages} == {title}


def test_web_page_title_is_the_bron():
    source = read(real(BZK_PAGE)).document["source"]
    assert "Gemeentefonds" in source
    assert source != "nat_bzk_gemeentefonds_cyclus"


# -- printed page numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SPUK_BRIEF, VWS_BRIEF])
def test_letter_pages_are_numbered_as_printed(name):
    """These letters print 'Pagina N van M' on PDF page N."""
    rows = passages(real(name))
    assert {p["page_index"] for p in rows} == set(range(1, max(p["page_index"] for p in rows) + 1))
    assert all(p["page"] == str(p["page_index"]) for p in rows)


@pytest.mark.parametrize(
    ("name", "start", "printed"),
    [
        pytest.param(
            "mun_almere_evaluatie_schakelteams_2021.pdf",
            "Hun beleving staat in dit onderzoek centraal.",
            "2",
        ),
        pytest.param(
            "reg_ros_friesland_zorgpad_vroegsignalering_zwangeren_2024.pdf",
            "",
            "27",
        ),
        pytest.param(
            "mun_almere_pga_transformatieplan.pdf",
            "Wie zijn betrokken bij Positief Gezond Almere?",
            "4",
        ),
        pytest.param(
            "mun_almere_pga_transformatieplan.pdf",
            "Positief Gezond Almere is geen los project",
            "5",
        ),
    ],
)
def test_printed_page_number(name, start, printed):
    path = shared(name)
    if start:
        assert one(path, start)["page"] == printed
    else:  # the last page
        last = max(p["page_index"] for p in passages(path))
        assert {p["page"] for p in passages(path, last)} == {printed}


def test_document_record_says_how_pages_were_numbered():
    numbering = read(shared("mun_almere_evaluatie_schakelteams_2021.pdf")).document.get("page_numbering")
    assert numbering
    assert numbering != "index"


# -- web pages and XML --------------------------------------------------------------------------------


def test_rijksoverheid_page_main_text_is_read():
    rows = texts(real(BZK_PAGE))
    assert "Gemeenten krijgen geld van de Rijksoverheid uit het gemeentefonds." in rows
    assert not [t for t in rows if "cookie" in t.lower()]


def test_dusi_page_main_text_is_read():
    assert any(
        t.startswith("Voor deze regeling is voor de jaren 2023 tot en met 2025 een budget")
        for t in texts(real(DUSI_PAGE))
    )


@pytest.mark.parametrize("name", HANDELINGEN)
def test_handelingen_xml_is_read(name):
    result = read(real(name))
    assert result.document["status"] == "ok", result.errors
    assert len(result.passages) > 20


def test_handelingen_text_is_repaired_and_speakers_are_sections():
    rows = passages(real(HANDELINGEN[1]))
    joined = " ".join(p["text"] for p in rows)
    assert "Aan de orde is het VAO Bouwregelgeving en energiebesparing." in joined
    assert "Kröger" in joined
    assert "KrÃ¶ger" not in joined
    assert "Kröger" in one(real(HANDELINGEN[1]), "Tot slot heb ik nog twee moties")["section"]


# -- the measure itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_text", "passage", "missing"),
    [
        ("de transforma\ufffetie van de zorg", "de transformatie van de zorg", []),
        ("de transforma\ufffetie van de zorg", "de transforma tie van de zorg", ["transforma", "tie"]),
        ("de transforma\ufffetie van de zorg", "de transforma-tie van de zorg", []),
        ("zorg\ufffeen welzijn", "zorg- en welzijn", []),
        ("de POH\ufffeGGZ", "de POH-GGZ", []),
        ("de mantel-\r\nzorgers", "de mantelzorgers", []),
        ("de medisch-specialistische zorg", "de medisch specialistische zorg", []),
        ("met het oog op verankering2.", "met het oog op verankering.", []),
        ("met het oog op verankering2.", "met het oog op verankering2.", []),
        ("Het effect is groot", "Het effffect is groot", ["effffect"]),
        ("de gemeenten", "de ge meenten", ["ge", "meenten"]),
    ],
)
def test_unshown_words_allow_for_repaired_hyphenation_only(page_text, passage, missing):
    assert unshown(passage, shown_words(page_text)) == missing


@pytest.mark.parametrize(
    ("line", "passages", "kept"),
    [
        (
            "Gemeenten krijgen geld van de Rijksoverheid uit het",
            ["Gemeenten krijgen geld van de Rijksoverheid uit het fonds."],
            True,
        ),
        (
            "er zijn tekorten aan zorgpro\ufffefessionals en door piekbelasting",
            ["Er zijn tekorten aan zorgprofessionals en door piekbelasting."],
            True,
        ),
        (
            "er zijn tekorten aan zorgpro\ufffefessionals en door piekbelasting",
            ["Er zijn tekorten aan zorgpro fessionals en door piekbelasting."],
            True,
        ),
        (
            "de zorg met het oog op structurele verankering2. Ook zijn",
            ["de zorg met het oog op structurele verankering.", "Ook zijn"],
            True,
        ),
        ("o 10% korting vanwege uitvoering van het akkoord", ["10% korting vanwege uitvoering van het akkoord"], True),
        ("Met het Aanvullend Zorg- en Welzijnsakkoord hebben we samen", ["Welzijnsakkoord hebben we samen"], False),
        ("de zorg staat onder druk en de vraag stijgt", ["de zorg staat onder", "druk en de vraag stijgt"], True),
        ("de zorg staat onder druk en de vraag stijgt", ["de vraag stijgt", "de zorg staat onder druk en"], False),
        ("een korte regel", ["een korte regel"], None),
    ],
)
def test_a_body_line_is_kept_when_its_words_follow_in_order(line, passages, kept):
    pattern = line_pattern(line)
    if kept is None:
        assert pattern is None
    else:
        assert pattern is not None
        assert bool(pattern.search(word_stream(passages))) is kept


# -- the akkoord's page 70: two columns, a titled part, a numbered heading, footnotes --------------


def test_a_paragraph_cut_by_a_column_break_is_one_paragraph():
    whole = (
        "Op sommige plekken in het land zien we reeds wat een goede samenwerking binnen deze driehoek kan opleveren."
    )
    assert whole in texts(shared(IZA), 70)
    assert not [t for t in texts(shared(IZA), 70) if t.startswith("het land zien we")]


def test_a_part_title_on_three_lines_is_one_heading_and_the_section_below_it():
    title = "Onderdeel F. Samenwerking sociaal domein, huisartsenzorg en ggz"
    headings = [p["text"] for p in passages(shared(IZA), 70) if p["kind"] == "heading"]
    assert headings[0] == title
    assert one(shared(IZA), "Veel mensen krijgen ergens in hun leven")["section"] == title
    # A label of the figure on page 63, set smaller than the body, heads nothing.
    assert not [p for p in passages(shared(IZA)) if p["kind"] == "heading" and p["text"] == "Geestelijke"]


def test_a_number_set_apart_from_its_heading_opens_it():
    heading = one(shared(IZA), "1. Versterken sociaal domein")
    assert (heading["text"], heading["kind"]) == ("1. Versterken sociaal domein en sociale basis", "heading")
    assert one(shared(IZA), "Bij een hulpvraag kijken we")["section"] == heading["text"]


def test_a_body_line_beside_the_footnotes_stays_in_its_list_item():
    item = one(shared(IZA), "a. We ontwikkelen en implementeren een passende lokale")["text"]
    assert "Voorbeelden van interventies die regionaal ingezet kunnen worden zijn: Welzijn op Recept 2.0" in item
    notes = [p["text"] for p in passages(shared(IZA), 70) if p["kind"] == "footnote"]
    assert not [n for n in notes if "interven" in n or "structuur" in n]


def test_a_lead_heading_in_the_print_of_the_paragraph_below_stands_apart():
    heading = one(shared(IZA), "Opgave voor de eerstelijnszorg")
    assert (heading["text"], heading["kind"]) == ("Opgave voor de eerstelijnszorg", "heading")
    assert one(shared(IZA), "De toegankelijkheid van de zorg staat onder druk.")["section"] == heading["text"]
