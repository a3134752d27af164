from __future__ import annotations

from dataclasses import replace

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from sbtext.clean import clean_document, repair_hyphen
from sbtext.read import read_document
from sbtext.records import Block, Document, DocumentMeta, Page, Passage
from sbtext.segment import split_passages


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("de mantel\x02", "zorgers helpen", "de mantelzorgers helpen"),
        ("een ge-", "deelde invulling", "een gedeelde invulling"),
        ("in de zorg\x02", "en ondersteuning", "in de zorg- en ondersteuning"),
        ("een Wmo\x02", "voorziening", "een Wmo-voorziening"),
        ("in Noord\x02", "Holland", "in Noord-Holland"),
        ("de periode 2023\x02", "2026", "de periode 2023-2026"),
        ("een CO2-reduc\x02", "tie van 55%", "een CO2-reductie van 55%"),
        ("de 45-minu\x02", "tennorm", "de 45-minutennorm"),
    ],
)
def test_repair_hyphen(left, right, joined):
    assert repair_hyphen(left, right) == joined


def lines(*texts: str, top: float | None = None) -> tuple[Block, ...]:
    return tuple(Block(t) for t in texts)


def doc_of(*pages: tuple[Block, ...]) -> Document:
    meta = DocumentMeta(doc_id="t", path="t.txt")
    return Document(meta=meta, pages=tuple(Page(index=i, label=str(i), blocks=b) for i, b in enumerate(pages, 1)))


def test_running_header_footer_and_page_numbers_are_removed():
    pages = [
        lines("Kamerbrief over buurtwerk", f"Zin nummer {i} staat in de tekst van deze pagina.", f"Pagina {i} van 3")
        for i in range(1, 4)
    ]
    cleaned = clean_document(doc_of(*pages))
    for i, page in enumerate(cleaned.pages, 1):
        assert page.text == f"Zin nummer {i} staat in de tekst van deze pagina."


def test_sidebar_becomes_metadata_and_leaves_the_body():
    page = lines(
        "Datum",
        "14 maart 2024",
        "Kenmerk",
        "4012345-1061234-DMO",
        "",
        "Gemeenten rekenen op vrijwilligers in de wijk.",
    )
    cleaned = clean_document(doc_of(page))
    assert cleaned.meta.date == "2024-03-14"
    assert cleaned.meta.kenmerk == "4012345-1061234-DMO"
    assert cleaned.pages[0].text == "Gemeenten rekenen op vrijwilligers in de wijk."


def test_wrapped_lines_join_and_bullets_stay_apart():
    page = lines(
        "Wij vragen gemeenten om de inzet van mantel-",
        "zorgers te ondersteunen:",
        "• met respijtzorg;",
        "• met informatie.",
    )
    cleaned = clean_document(doc_of(page)).pages[0]
    kinds = [s.kind for s in cleaned.spans]
    assert kinds == ["paragraph", "bullet", "bullet"]
    assert cleaned.text.split("\n\n")[0] == "Wij vragen gemeenten om de inzet van mantelzorgers te ondersteunen:"


def placed(text: str, top: float, x0: float = 0.1, **style: object) -> Block:
    """A PDF line at a position (fractions of the page), with an optional font size and weight."""
    return Block(text, x0=x0, x1=min(1.0, x0 + 0.006 * len(text)), top=top, bottom=top + 0.012, height=0.012, **style)


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # a bullet glyph on a line of its own joins the item that follows
        (
            lines("Wij vragen gemeenten om:", "•", "buurthuizen open te houden."),
            [("paragraph", "Wij vragen gemeenten om:"), ("bullet", "• buurthuizen open te houden.")],
        ),
        # the private-use bullet of Word's Symbol font, glued to its item
        (
            lines(
                "Gemeenten zorgen voor:", "\uf0b7respijtzorg voor mantelzorgers;", "\uf0b7een vrijwilligerssteunpunt."
            ),
            [
                ("paragraph", "Gemeenten zorgen voor:"),
                ("bullet", "• respijtzorg voor mantelzorgers;"),
                ("bullet", "• een vrijwilligerssteunpunt."),
            ],
        ),
        (
            lines("Drie sporen:", "▪ ontmoeting;", "◦ vrijwilligerswerk;", "– mantelzorg."),
            [
                ("paragraph", "Drie sporen:"),
                ("bullet", "▪ ontmoeting;"),
                ("bullet", "◦ vrijwilligerswerk;"),
                ("bullet", "– mantelzorg."),
            ],
        ),
        # a numbered heading in plain text does not swallow what follows
        (
            lines(
                "2. Duurzaam land",
                "Nederland staat voor een grote opgave. Gemeenten",
                "werken daarin samen met bewoners.",
            ),
            [
                ("heading", "2. Duurzaam land"),
                ("paragraph", "Nederland staat voor een grote opgave. Gemeenten werken daarin samen met bewoners."),
            ],
        ),
        # a stray bullet with no words is no block at all
        (lines("Een zin over de wijk.", "", "•", ""), [("paragraph", "Een zin over de wijk.")]),
    ],
)
def test_lists_and_headings_in_lines(blocks, expected):
    page = clean_document(doc_of(blocks)).pages[0]
    assert [(s.kind, page.text[s.start : s.end]) for s in page.spans] == expected


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        # a bold line between body lines is a heading, never glued to the next sentence
        (
            (
                placed("Zorgplicht", 0.20, size=10.0, bold=True),
                placed("De Nederlandse Zorgautoriteit ziet toe op verzekeraars.", 0.215, size=10.0),
                placed("Zij doen dat elk jaar opnieuw voor alle polissen.", 0.23, size=10.0),
            ),
            [
                ("heading", "Zorgplicht"),
                (
                    "paragraph",
                    "De Nederlandse Zorgautoriteit ziet toe op verzekeraars. Zij doen dat elk jaar opnieuw voor alle polissen.",
                ),
            ],
        ),
        # a heading over two lines set large is one heading
        (
            (
                placed("Samenwerking in het sociaal", 0.20, size=16.0),
                placed("Domein", 0.222, size=16.0),
                placed("Gemeenten en zorgverzekeraars werken samen in de wijk.", 0.25, size=10.0),
            ),
            [
                ("heading", "Samenwerking in het sociaal Domein"),
                ("paragraph", "Gemeenten en zorgverzekeraars werken samen in de wijk."),
            ],
        ),
        # a list marker printed apart from its item on the same row
        (
            (
                placed("Het college besluit:", 0.20),
                placed("a.", 0.215, x0=0.12),
                placed("de buurthuizen open te houden;", 0.215, x0=0.18),
            ),
            [("paragraph", "Het college besluit:"), ("bullet", "a. de buurthuizen open te houden;")],
        ),
    ],
)
def test_pdf_lines_with_geometry(blocks, expected):
    page = clean_document(doc_of(blocks)).pages[0]
    assert [(s.kind, page.text[s.start : s.end]) for s in page.spans] == expected


@pytest.mark.parametrize(
    "first",
    ["> Retouradres Postbus 20350 2500 EJ Den Haag", "Retouradres Postbus 20350 2500 EJ Den Haag"],
)
def test_return_address_and_address_block_leave_a_letter(first):
    page = lines(
        first,
        "Gemeente Almere",
        "T.a.v. het college",
        "Postbus 200",
        "",
        "Datum",
        "3 april 2025",
        "Kenmerk",
        "4012345-1061234-DMO",
        "",
        "Gemeenten rekenen op vrijwilligers in de wijk.",
    )
    cleaned = clean_document(doc_of(page))
    assert cleaned.pages[0].text == "Gemeenten rekenen op vrijwilligers in de wijk."
    assert (cleaned.meta.date, cleaned.meta.kenmerk) == ("2025-04-03", "4012345-1061234-DMO")


def test_sidebar_labels_stay_body_text_outside_letters():
    page = lines("Bijlage 1 Samenhang met andere trajecten", "betreft per regeling hoe de middelen worden verdeeld.")
    assert clean_document(doc_of(page)).pages[0].text.count("Bijlage 1") == 1


def test_title_and_source_come_from_the_first_heading_without_a_manifest():
    cleaned = clean_document(doc_of(lines("Gezond en actief in de wijk", "", "Een zin over de wijk.")))
    assert cleaned.meta.title == cleaned.meta.source == "Gezond en actief in de wijk"


def test_letter_sidebar_on_a_later_page_never_joins_a_body_line():
    first = (
        placed("> Retouradres Postbus 20350 2500 EJ Den Haag", 0.15),
        placed("Datum", 0.30),
        placed("3 april 2025", 0.30, x0=0.23),
        placed("Betreft", 0.32),
        placed("Vrijwilligers in de wijk", 0.32, x0=0.23),
        placed("Gemeenten rekenen op vrijwilligers in de wijk.", 0.40),
    )
    rows = [
        ("In bijlage 1 staat hoe de middelen per gemeente", "Parnassusplein 5"),
        ("worden verdeeld over de komende twee jaren.", "2511 VX Den Haag"),
        ("De bedragen volgen in een tweede bijlage bij", "Onze referentie"),
        ("deze brief aan de gemeenten.", "4190863-1084972-DMO"),
    ]
    second = tuple(
        block
        for k, (body, side) in enumerate(rows)
        for block in (placed(body, 0.20 + 0.015 * k), placed(side, 0.20 + 0.015 * k, x0=0.78))
    )
    cleaned = clean_document(doc_of(first, second))
    assert cleaned.pages[1].text == " ".join(body for body, _ in rows)
    assert cleaned.meta.kenmerk == "4190863-1084972-DMO"


def test_word_broken_inside_a_table_cell_is_joined():
    cells = (
        placed("Leefgebied", 0.20),
        placed("Maatregel", 0.20, x0=0.40),
        placed("1. Mentale", 0.215),
        placed("• Mentale Gezond\x02", 0.215, x0=0.40),
        placed("Gezondheid", 0.23),
        placed("heidsnetwerken (onder", 0.23, x0=0.41),
    )
    page = clean_document(doc_of(cells)).pages[0]
    assert page.text.split("\n\n") == [
        "Leefgebied | Maatregel",
        "1. Mentale | • Mentale Gezondheidsnetwerken",
        "Gezondheid | (onder",
    ]


@pytest.mark.parametrize(
    ("stamp", "date"),
    [("2 2 APR. 2026", "2026-04-22"), ("3 sept. 2025", "2025-09-03"), ("14 maart 2024", "2024-03-14")],
)
def test_date_stamped_above_its_label_is_the_letters_date(stamp, date):
    page = lines(
        "> Retouradres Postbus 20350 2500 EJ Den Haag",
        "",
        stamp,
        "Datum",
        "Betreft",
        "Vrijwilligers in de wijk",
        "",
        "Gemeenten rekenen op vrijwilligers in de wijk.",
    )
    cleaned = clean_document(doc_of(page))
    assert cleaned.meta.date == date
    assert stamp not in cleaned.pages[0].text


def test_prose_in_two_columns_is_not_a_table():
    """Narrow columns: lines of five words or fewer, each column read down before the next."""
    left = ["Gemeenten ontwikkelen een aanpak", "voor het terugdringen van", "gezondheidsachterstanden in de wijk."]
    right = ["Daarnaast zet het Rijk", "de financiering voort, om", "gemeenten te ondersteunen."]
    column = [replace(placed(t, 0.30 + 0.015 * k), x1=0.45) for k, t in enumerate(left)]
    column += [replace(placed(t, 0.30 + 0.015 * k, x0=0.52), x1=0.87) for k, t in enumerate(right)]
    page = clean_document(doc_of(tuple(column))).pages[0]
    assert [page.text[s.start : s.end] for s in page.spans] == [
        "Gemeenten ontwikkelen een aanpak voor het terugdringen van gezondheidsachterstanden in de wijk.",
        "Daarnaast zet het Rijk de financiering voort, om gemeenten te ondersteunen.",
    ]


def test_word_broken_twice_in_a_row_keeps_both_parts():
    cells = (
        placed("Leefgebied", 0.20),
        placed("mentale gezondheids\x02", 0.20, x0=0.40),
        placed("Preventie", 0.215),
        placed("vaardigheden en gezondheids\x02", 0.215, x0=0.40),
        placed("achterstanden zoals schulden", 0.23, x0=0.40),
    )
    page = clean_document(doc_of(cells)).pages[0]
    assert page.text.split("\n\n") == [
        "Leefgebied | mentale gezondheidsvaardigheden",
        "Preventie | en gezondheidsachterstanden",
        "zoals schulden",
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("middelen samengebracht3Het gaat om:", "middelen samengebracht Het gaat om:"),
        ("de COVID19-regeling en mp3 Speler", "de COVID19-regeling en mp3 Speler"),
    ],
)
def test_footnote_number_between_a_word_and_a_sentence_leaves(line, text):
    assert clean_document(doc_of((placed(line, 0.3),))).pages[0].text == text


# -- a typeset page in two columns (made with reportlab) --------------------------------------------

COLUMN_BREAK = (
    "De buurthuizen in het noorden draaien op vrijwilligers die",
    "elke week koken. In een aantal wijken helpen",
)
NEXT_COLUMN = ("buren elkaar met de boodschappen en het vervoer.", "Dat werk verdient steun van de gemeente.")


def _draw_two_columns(c: Canvas) -> None:
    """A figure's label, a title with a label, a column that breaks mid-sentence above two
    footnotes, a short heading over a paragraph in the same large print, and a numbered heading with its number set apart over a list item whose line
    without ascenders or descenders stands beside the footnotes."""
    c.setFont("Helvetica", 8)
    c.drawString(120, 680, "Buurtzorg")  # a label in a figure drawn before the text
    c.setFont("Helvetica-Bold", 21)
    for k, line in enumerate(("Deel G.", "Vrijwilligers en", "de buurt")):
        c.drawString(56, 770 - 25 * k, line)
    c.setFont("Helvetica", 9)
    left = ["Ouderen wonen langer thuis en zoeken vaker hulp dichtbij.", *COLUMN_BREAK]
    for k, line in enumerate(left):
        c.drawString(56, 640 - 12.5 * k, line)
    c.setFont("Helvetica", 7)
    for k, note in enumerate(("19 Een telling van de buurthuizen in de stad.", "20 Zie de wijkmonitor.")):
        c.drawString(56, 150 - 11 * k, note)
    c.setFont("Helvetica", 9)
    for k, line in enumerate(NEXT_COLUMN):
        c.drawString(300, 800 - 12.5 * k, line)
    c.setFont("Helvetica", 12)
    lead = ["Wat de buurt vraagt", "Buurtwerkers horen veel vragen. Die gaan over", "geld, wonen en eenzaamheid."]
    for k, line in enumerate(lead):
        c.drawString(300, 560 - 14 * k, line)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(300, 480, "1.")
    c.drawString(334, 480, "Ruimte voor buurthuizen")
    c.drawString(334, 465, "en verenigingen")
    c.setFont("Helvetica", 9)
    item = [
        "a. De gemeente geeft de buurthuizen een vaste bijdrage. Zo",
        "nemen ze nu meer mensen mee naar concer-",
        "ten in de stad en naar de eettafel.",
    ]
    for k, line in enumerate(item):
        c.drawString(300 if k == 0 else 313, 160 - 12.5 * k, line)


@pytest.fixture(scope="module")
def two_columns(tmp_path_factory, nlp) -> list[Passage]:
    path = tmp_path_factory.mktemp("kolommen") / "kolommen.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    _draw_two_columns(canvas)
    canvas.showPage()
    canvas.save()
    return list(split_passages(clean_document(read_document(path)), nlp))


def test_a_paragraph_goes_on_across_a_column_break(two_columns):
    texts = [p.text for p in two_columns]
    assert "In een aantal wijken helpen buren elkaar met de boodschappen en het vervoer." in texts
    assert not [t for t in texts if t.startswith("buren elkaar")]


def test_a_title_with_its_label_is_one_heading_and_the_section_below_it(two_columns):
    headings = [p.text for p in two_columns if p.kind == "heading"]
    assert headings[0] == "Deel G. Vrijwilligers en de buurt"
    first = next(p for p in two_columns if p.text.startswith("Ouderen wonen"))
    assert first.section == headings[0]


def test_a_label_in_a_figure_set_small_is_no_heading(two_columns):
    assert not [p for p in two_columns if p.kind == "heading" and "Buurtzorg" in p.text]


def test_a_number_set_apart_opens_its_heading(two_columns):
    heading = next(p for p in two_columns if p.text.startswith("1."))
    assert (heading.text, heading.kind) == ("1. Ruimte voor buurthuizen en verenigingen", "heading")
    item = next(p for p in two_columns if p.text.startswith("a. "))
    assert item.section == heading.text


def test_a_body_line_beside_the_footnotes_stays_in_its_item(two_columns):
    item = next(p for p in two_columns if p.text.startswith("a. "))
    assert "Zo nemen ze nu meer mensen mee naar concerten in de stad en naar de eettafel." in item.text
    notes = [p.text for p in two_columns if p.kind == "footnote"]
    assert notes == ["Een telling van de buurthuizen in de stad.", "Zie de wijkmonitor."]


def test_a_short_heading_over_a_paragraph_in_the_same_print_stands_apart(two_columns):
    found = [(p.text, p.kind) for p in two_columns if p.text.startswith(("Wat de buurt", "Buurtwerkers", "Die gaan"))]
    assert found == [
        ("Wat de buurt vraagt", "heading"),
        ("Buurtwerkers horen veel vragen.", "sentence"),
        ("Die gaan over geld, wonen en eenzaamheid.", "sentence"),
    ]
