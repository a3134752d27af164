"""Reading web pages, XML and text: encodings, markup that breaks parsers, and real pages.

Small inputs are generated here; the real pages are read from ../shared/realdocs when it is
present (skipped otherwise).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from sbtext.errors import DocumentError
from sbtext.pipeline import Options, iter_results
from sbtext.read import read_document, sniff
from sbtext.read.encoding import decode_bytes, repair_mojibake, strip_leading

REALDOCS = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
SENTENCE = "Vrijwilligers en buren helpen ouderen in de wijk met boodschappen."
DUTCH = "De coöperatie van ideeën kost € 12 miljoen, aldus één ‘wijkbewoner’."
MOJIBAKE = DUTCH.encode("utf-8").decode("cp1252").encode("utf-8")  # UTF-8 decoded as cp1252, saved again
DOUBLE_BOM = "\ufeff".encode().decode("cp1252").encode("utf-8")  # b"\xc3\xaf\xc2\xbb\xc2\xbf"


def _xml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<officiele-publicatie><kamerstuk>{body}</kamerstuk></officiele-publicatie>'


def _html(body: str) -> str:
    return f"<!doctype html><html><head><title>Pagina</title></head><body>{body}</body></html>"


def _deep_html(levels: int) -> bytes:
    return _html("<div>" * levels + f"<p>{SENTENCE}</p>" + "</div>" * levels).encode()


# name -> (file name, bytes, the sentence that must be read, or the error code expected)
CASES: dict[str, tuple[str, bytes, str]] = {
    "utf8_bom_then_invalid_bytes": (
        "bom.txt",
        b"\xef\xbb\xbf" + SENTENCE.encode() + b"\n\xff\xfe kapot \x81\n",
        SENTENCE,
    ),
    "utf8_bom_invalid_bytes_xml": (
        "bom.xml",
        b"\xef\xbb\xbf" + _xml(f"<al>{SENTENCE}</al>").encode() + b"\xff",
        "E031",
    ),
    "utf16_text_with_bom": ("brief.txt", DUTCH.encode("utf-16"), DUTCH),
    "utf16_text_without_bom": ("brief.txt", DUTCH.encode("utf-16-le"), DUTCH),
    "utf16_be_text": ("brief.txt", codecs.BOM_UTF16_BE + DUTCH.encode("utf-16-be"), DUTCH),
    "cp1252_text": ("oud.txt", DUTCH.encode("cp1252"), DUTCH),
    "mixed_utf8_cp1252_lines": (
        "plak.txt",
        DUTCH.encode("utf-8") + b"\n" + SENTENCE.encode("cp1252") + b" \x80 5\n",
        DUTCH,
    ),
    "double_encoded_text": ("dubbel.txt", MOJIBAKE, DUTCH),
    "whitespace_only": ("leeg.txt", b" \n\t\r\n  \n", "E045"),
    "utf16_whitespace_only": ("leeg.txt", "  \n ".encode("utf-16"), "E045"),
    "zero_bytes": ("niets.txt", b"", "E002"),
    "xml_double_bom_and_newline": ("h.xml", DOUBLE_BOM + b"\n" + _xml(f"<al>{SENTENCE}</al>").encode(), SENTENCE),
    "xml_bom_and_whitespace": ("h.xml", b"\xef\xbb\xbf \r\n\t" + _xml(f"<al>{SENTENCE}</al>").encode(), SENTENCE),
    "xml_double_encoded_text": ("h.xml", _xml(f"<al>{DUTCH}</al>").encode().decode("cp1252").encode(), DUTCH),
    "xml_utf16": ("h.xml", _xml(f"<al>{SENTENCE}</al>").replace("UTF-8", "UTF-16").encode("utf-16"), SENTENCE),
    "xml_utf16_doctype": (
        "h.xml",
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><d><al>&x;</al></d>'.encode("utf-16"),
        "E030",
    ),
    "xml_undeclared_entity": ("e.xml", _xml(f"<al>{SENTENCE} &onbekend;</al>").encode(), "E031"),
    "html_undeclared_entity": ("e.html", _html(f"<p>{SENTENCE} &onbekend; &amp; meer.</p>").encode(), SENTENCE),
    "html_latin1_declared": (
        "l.html",
        _html(f"<p>{DUTCH.replace('€', 'EUR').replace('‘', '').replace('’', '')}</p>")
        .replace("<head>", '<head><meta charset="iso-8859-1">')
        .encode("latin-1"),
        "De coöperatie van ideeën kost EUR 12 miljoen",
    ),
    "html_utf8_undeclared": ("u.html", _html(f"<p>{DUTCH}</p>").encode(), DUTCH),
    "html_300_levels_deep": ("diep.html", _deep_html(300), SENTENCE),
    "html_3000_levels_deep": ("dieper.html", _deep_html(3000), "E046"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_hard_input_is_read_or_a_coded_error_row(tmp_path, name):
    file_name, data, expected = CASES[name]
    path = tmp_path / file_name
    path.write_bytes(data)
    control = tmp_path / "controle.txt"
    control.write_text(SENTENCE, encoding="utf-8")
    results = {Path(r.document["path"]).name: r for r in iter_results([path, control], options=Options(tag=False))}
    assert results["controle.txt"].document["status"] == "ok"
    result = results[file_name]
    if expected.startswith("E0") and expected[1:].isdigit():
        assert [e["code"] for e in result.errors] == [expected], result.errors
        assert file_name in result.errors[0]["message"]
    else:
        assert not result.errors, result.errors
        text = " ".join(p["text"] for p in result.passages)
        assert expected in text, text[:300]


def test_text_node_over_10_mb_is_read_whole(tmp_path):
    path = tmp_path / "groot.html"
    path.write_text(_html(f"<p>{SENTENCE} " + "woord " * 2_000_000 + "einde.</p>"), encoding="utf-8")
    blocks = read_document(path).pages[0].blocks
    assert blocks[0].text.startswith(SENTENCE) and blocks[0].text.endswith("einde.")
    assert len(blocks[0].text) > 12_000_000


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?><a/>", "xml"),
        (DOUBLE_BOM + b"\n<?xml version='1.0'?><a/>", "xml"),
        ("<html><body>x</body></html>".encode("utf-16"), "html"),
        ("gewone tekst".encode("utf-16-le"), "text"),
        (b"\x00\x01\x02\x03binair\x00\x00\xff", "binary"),
        (b"%PDF-1.7", "pdf"),
    ],
)
def test_sniff_sees_through_marks_and_utf16(data, expected):
    assert sniff(data) == expected


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_encoding"),
    [
        (b"\xef\xbb\xbfschoon", "schoon", "utf-8"),
        ("één".encode(), "één", "utf-8"),
        ("één".encode("cp1252"), "één", "cp1252"),
        ("één\n".encode() + "café".encode("cp1252"), "één\ncafé", "utf-8+cp1252"),
        ("één".encode("utf-16"), "één", "utf-16"),
        ("efficiënt".encode().decode("cp1252").encode(), "efficiënt", "utf-8"),
    ],
)
def test_decode_bytes(data, expected_text, expected_encoding):
    assert decode_bytes(data) == (expected_text, expected_encoding)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("efficiÃ«nt", "efficiënt"),
        ("We gaan in Ã©Ã©n beweging door", "We gaan in één beweging door"),
        ("Koç en Ümit zijn namen, geen mojibake.", "Koç en Ümit zijn namen, geen mojibake."),
        ("coöperatie € één", "coöperatie € één"),
    ],
)
def test_repair_mojibake(text, expected):
    assert repair_mojibake(text) == expected


def test_strip_leading_removes_every_kind_of_mark():
    assert strip_leading(b"\n" + DOUBLE_BOM + b"\xef\xbb\xbf  <?xml") == b"<?xml"


# -- structure -------------------------------------------------------------------------------

PAGE = _html(
    """<header><nav><a href="/">Home</a><a href="/zoeken">Zoeken</a></nav></header>
<div id="main"></div>
<main class="site-main headerisopaque"><article>
<h1>Ontmoeting in de wijk</h1>
<p>De gemeente wil dat inwoners elkaar vaker ontmoeten in het buurthuis en op straat, en vraagt
daarvoor de hulp van vrijwilligers, verenigingen en het welzijnswerk in alle wijken van de stad.</p>
<h2>Wat wij vragen</h2>
<p>Wij vragen de partners in de wijk om drie dingen te doen:</p>
<ul><li>Vrijwilligers openen het buurthuis op zondag voor iedereen.</li>
<li>Buren nemen nieuwe bewoners mee naar een activiteit.</li></ul>
<h2>Budget</h2>
<table><tr><th>Onderdeel</th><th>Bedrag</th></tr><tr><td>Buurthuis</td><td>12.000</td></tr></table>
<div class="accordion"><button aria-controls="p1">Meer weten?</button>
<div id="p1" class="panel" style="display: none"><p>Het buurthuis is open van negen tot vijf en
iedereen is welkom voor een kop koffie en een praatje met de gastvrouw.</p></div></div>
</article></main>
<footer><p>Deze website gebruikt cookies. Lees onze privacyverklaring.</p></footer>"""
)


@pytest.fixture(scope="module")
def page_blocks(tmp_path_factory):
    path = tmp_path_factory.mktemp("pagina") / "pagina.html"
    path.write_text(PAGE, encoding="utf-8")
    return [(b.kind, b.text) for b in read_document(path).pages[0].blocks]


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("heading", "Ontmoeting in de wijk"),
        ("heading", "Wat wij vragen"),
        ("paragraph", "Wij vragen de partners in de wijk om drie dingen te doen:"),
        ("bullet", "Vrijwilligers openen het buurthuis op zondag voor iedereen."),
        ("bullet", "Buren nemen nieuwe bewoners mee naar een activiteit."),
        ("table_cell", "Buurthuis | 12.000"),
    ],
)
def test_web_page_keeps_headings_lists_and_tables(page_blocks, kind, text):
    assert (kind, text) in page_blocks


def test_web_page_shows_accordion_panels_and_leaves_chrome_out(page_blocks):
    text = " ".join(t for _, t in page_blocks)
    assert "open van negen tot vijf" in text
    for chrome in ("Zoeken", "cookies", "privacyverklaring"):
        assert chrome not in text


def test_list_items_follow_their_lead_in(page_blocks):
    i = page_blocks.index(("paragraph", "Wij vragen de partners in de wijk om drie dingen te doen:"))
    assert page_blocks[i + 1][0] == "bullet"


@pytest.mark.parametrize(
    "body",
    [
        '<a href="#main">Naar de inhoud</a><div id="main"></div><main class="site headerisopaque"><p>{}</p></main>',
        '<div id="main"/><div id="content"><p>{}</p></div><footer>Cookies</footer>',
        '<header class="headerisopaque"><nav>Menu</nav></header><article><p>{}</p></article>',
    ],
)
def test_short_page_is_found_behind_an_empty_skip_link_target(tmp_path, body):
    path = tmp_path / "kort.html"
    path.write_text(_html(body.format(SENTENCE)), encoding="utf-8")
    texts = [b.text for b in read_document(path).pages[0].blocks]
    assert SENTENCE in texts
    assert not [t for t in texts if "Menu" in t or "Cookies" in t]


def test_web_page_metadata(tmp_path):
    path = tmp_path / "meta.html"
    path.write_text(
        PAGE.replace(
            "<title>Pagina</title>",
            '<title>Ontmoeting in de wijk | Gemeente Ergens</title><meta name="DCTERMS.issued" content="2025-03-01">'
            '<meta name="description" content="Over ontmoeting.">'
            '<link rel="canonical" href="https://www.example.nl/ontmoeting">',
        ),
        encoding="utf-8",
    )
    meta = read_document(path).meta
    assert (meta.title, meta.date, meta.url, meta.description) == (
        "Ontmoeting in de wijk",
        "2025-03-01",
        "https://www.example.nl/ontmoeting",
        "Over ontmoeting.",
    )


HANDELINGEN = _xml("").replace(
    "<kamerstuk></kamerstuk>",
    """<handelingen><agendapunt><item-titel>Mantelzorg</item-titel>
<spreekbeurt><spreker><voorvoegsels>Mevrouw</voorvoegsels><naam><achternaam>Jansen</achternaam></naam>
(<politiek>XYZ</politiek>):</spreker><tekst><al-groep><al>Voorzitter. Mantelzorgers verdienen steun.</al></al-groep>
<motie id="M-1-2"><kop><titel>Motie</titel></kop><al>verzoekt de regering respijtzorg te regelen,</al>
<motie-info><spreker><voorvoegsels>De</voorvoegsels><naam><achternaam>voorzitter</achternaam></naam>:</spreker>
<al>Deze motie is voorgesteld door het lid Jansen.</al></motie-info></motie></tekst></spreekbeurt>
<spreekbeurt><spreker><voorvoegsels>De</voorvoegsels><naam><achternaam>voorzitter</achternaam></naam>:</spreker>
<tekst><al>Dank u wel.</al></tekst></spreekbeurt></agendapunt></handelingen>""",
)


def test_handelingen_turns_and_motions_are_sections(tmp_path, nlp):
    from sbtext.clean import clean_document
    from sbtext.segment import split_passages

    path = tmp_path / "h-tk-1.xml"
    path.write_bytes(DOUBLE_BOM + b"\n" + HANDELINGEN.encode())
    doc = clean_document(read_document(path))
    sections = {p.text: p.section for p in split_passages(doc, nlp) if p.kind != "heading"}
    assert sections["Voorzitter."] == "Mevrouw Jansen (XYZ):"
    assert (
        sections["verzoekt de regering respijtzorg te regelen,"] == "Motie M-1-2, ingediend door Mevrouw Jansen (XYZ)"
    )
    assert sections["Dank u wel."] == "De voorzitter:"
    assert doc.meta.title == "Mantelzorg"


def test_xml_with_dtd_is_still_refused_after_a_bom(tmp_path):
    path = tmp_path / "x.xml"
    path.write_bytes(
        DOUBLE_BOM + b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    )
    with pytest.raises(DocumentError) as e:
        read_document(path)
    assert e.value.code == "E030"


# -- real pages ------------------------------------------------------------------------------

needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason="../shared/realdocs is not present")

# file -> a sentence of the page's main text, and a piece of its chrome that must stay out
REAL_PAGES = {
    # an empty skip-link target <div id="main"/> before the content
    "mun_almere_wijkteams.html": ("De wijkwerkers van de wijkteams in Almere vertegenwoordigen", "Cookie"),
    # <main class="... headerisopaque ...">
    "nat_vng_azwa_faq_middelen.html": ("Via IZA SPUK/GALA SPUK.", "Delen via"),
    # an accordion answer hidden until clicked
    "nat_vng_gezond_en_actief_leven_2026.html": (
        "Er zijn in het kader van IZA-GALA 2 specifieke uitkeringen",
        "Bekijk nummer 9",
    ),
    "mun_almere_nadere_regels_buurtontmoeting.html": ("Artikel 1 Definities", "Waar ben je naar op zoek?"),
    # a page with a UTF-8 meta charset that libxml2 does not see
    "nat_wetten_spuk_transformatiemiddelen_regeling.html": ("€ 352.973.325", "â¬"),
}


@needs_realdocs
@pytest.mark.parametrize("name", list(REAL_PAGES))
def test_real_page_main_text_without_chrome(name):
    main, chrome = REAL_PAGES[name]
    text = " ".join(b.text for b in read_document(REALDOCS / name).pages[0].blocks)
    assert main in text
    assert chrome not in text


@needs_realdocs
@pytest.mark.parametrize("name", sorted(p.name for p in REALDOCS.glob("*.htm*")) if REALDOCS.is_dir() else [])
def test_every_real_page_gives_main_text(name):
    blocks = read_document(REALDOCS / name).pages[0].blocks
    assert sum(len(b.text) for b in blocks) >= 200


@needs_realdocs
@pytest.mark.parametrize("name", ["h-tk-20172018-70-5.xml", "h-tk-20172018-70-9.xml"])
def test_real_handelingen_are_read_with_speakers(name):
    doc = read_document(REALDOCS / name)
    blocks = doc.pages[0].blocks
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert any(h.startswith("Mevrouw ") and h.endswith("):") for h in headings), headings[:5]
    text = " ".join(b.text for b in blocks)
    assert "Ã" not in text and "één" in text
