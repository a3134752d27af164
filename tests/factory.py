"""Real test documents, made at test time by real writers (reportlab, python-docx, lxml-free strings).

Every maker writes into a folder and returns a `Fixture` that says which sentences must come out
whole, on which printed page, which strings must never reach a passage, and which metadata the
document carries. The sentences are written for these tests.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


@dataclass(frozen=True)
class Fixture:
    path: Path
    sentinels: dict[str, str]
    forbidden: tuple[str, ...] = ()
    metadata: dict[str, str] | None = None
    footnotes: tuple[str, ...] = ()


# -- PDF --------------------------------------------------------------------------------------

SIDEBAR = [
    "Directoraat-generaal Langdurige Zorg",
    "Bezoekadres",
    "Parnassusplein 5",
    "2511 VX Den Haag",
    "Kenmerk",
    "4012345-1061234-DMO",
    "Bijlage(n)",
    "2",
    "Datum",
    "14 maart 2024",
]


def _lines(c: canvas.Canvas, x: float, y: float, lines: list[str], size: float = 10, step: float = 13) -> float:
    c.setFont("Helvetica", size)
    for line in lines:
        c.drawString(x, y, line)
        y -= step
    return y


def make_kamerbrief_pdf(directory: Path) -> Fixture:
    """Six pages: roman-labelled front matter, then a Kamerbrief with sidebar, header and footer."""
    path = directory / "kamerbrief.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    header, total = "Kamerbrief over de sociale basis in de wijk", 4
    body: list[list[list[str]]] = [
        [
            ["Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "Postbus 20018", "2500 EA Den Haag"],
            ["Met deze brief informeer ik uw Kamer over de inzet op de sociale", "basis in buurten en dorpen."],
            ["Het kabinet vraagt gemeenten de inzet van mantel-", "zorgers en vrijwilligers beter te ondersteunen."],
            ["Daarbij gaat het o.a. om respijtzorg, bijv. een logeeropvang, en", "om informatie in de wijk."],
        ],
        [
            ["Aanpak in de wijk"],
            [
                "Gemeenten regelen de zorg- en ondersteuning dichtbij, zodat een Wmo-",
                "voorziening niet altijd nodig is.",
            ],
            ["De aanpak volgt art. 2.1.1 van de wet en nr. 12 van de agenda i.p.v.", "een nieuwe regeling."],
            ["We vragen gemeenten drie dingen te doen:"],
            ["• buurthuizen langer open te houden;"],
            ["• vrijwilligers-", "organisaties te versterken;"],
            ["• mantelzorgers tijdig te ontlasten."],
        ],
        [
            ["Wijkteams verwijzen inwoners m.u.v. spoedgevallen eerst naar onder-", "steuning in hun eigen netwerk."],
            ["Het buurtwerk krijgt hiervoor e.d. middelen uit het gemeentefonds."],
        ],
        [["Ik vertrouw erop uw Kamer hiermee voldoende te hebben geïnformeerd."]],
    ]
    notes = [
        "Zie de voortgangsrapportage over de wijkaanpak van vorig jaar.",
        "Het gaat om gemeenten met meer dan vijftigduizend inwoners.",
    ]
    # front matter: pages i and ii
    _lines(c, 72, height - 120, ["Verkenning sociale basis", "Een brief aan de Kamer"], size=18, step=26)
    c.showPage()
    _lines(c, 72, height - 120, ["Inhoud", "Deze inhoudsopgave noemt de onderwerpen van de brief in volgorde."])
    c.showPage()
    for number, paragraphs in enumerate(body, start=1):
        _lines(c, 72, height - 40, [header], size=8)
        _lines(c, 440, height - 90, SIDEBAR if number == 1 else SIDEBAR[-2:] + SIDEBAR[4:6], size=7, step=10)
        y = height - 110
        for para in paragraphs:
            y = _lines(c, 72, y, para) - 10
        if number == 3:
            _lines(c, 72, 110, [f"1 {notes[0]}", f"2 {notes[1]}"], size=7, step=9)
        _lines(c, width / 2 - 30, 30, [f"Pagina {number} van {total}"], size=8)
        c.showPage()
    c.addPageLabel(0, "ROMAN_LOWER")
    c.addPageLabel(2, "ARABIC", start=1)
    c.save()
    sentinels = {
        "Deze inhoudsopgave noemt de onderwerpen van de brief in volgorde.": "ii",
        "Het kabinet vraagt gemeenten de inzet van mantelzorgers en vrijwilligers beter te ondersteunen.": "1",
        "Daarbij gaat het o.a. om respijtzorg, bijv. een logeeropvang, en om informatie in de wijk.": "1",
        "Gemeenten regelen de zorg- en ondersteuning dichtbij, zodat een Wmo-voorziening niet altijd nodig is.": "2",
        "De aanpak volgt art. 2.1.1 van de wet en nr. 12 van de agenda i.p.v. een nieuwe regeling.": "2",
        "vrijwilligersorganisaties te versterken;": "2",
        "Wijkteams verwijzen inwoners m.u.v. spoedgevallen eerst naar ondersteuning in hun eigen netwerk.": "3",
        "Het buurtwerk krijgt hiervoor e.d. middelen uit het gemeentefonds.": "3",
        "Ik vertrouw erop uw Kamer hiermee voldoende te hebben geïnformeerd.": "4",
    }
    forbidden = (
        header,
        "Pagina",
        "Parnassusplein",
        "4012345-1061234-DMO",
        "Bezoekadres",
        "14 maart 2024",
        "Postbus",
        "Directoraat",
    )
    return Fixture(path, sentinels, forbidden, {"date": "2024-03-14", "kenmerk": "4012345-1061234-DMO"}, tuple(notes))


def make_two_column_pdf(directory: Path) -> Fixture:
    path = directory / "twee_kolommen.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    sentinels = {}
    for page in range(1, 4):
        _lines(c, 50, height - 40, ["Nieuwsbrief sociaal domein"], size=8)
        left = [f"Links op pagina {page} helpen buren", "elkaar met de boodschappen in de straat."]
        right = [f"Rechts op pagina {page} organiseert het", "buurthuis een wekelijkse inloop."]
        _lines(c, 50, height - 100, left)
        _lines(c, 310, height - 100, right)
        sentinels[" ".join(left)] = str(page)
        sentinels[" ".join(right)] = str(page)
        _lines(c, width / 2 - 10, 30, [str(page)], size=8)
        c.showPage()
    c.save()
    return Fixture(path, sentinels, ("Nieuwsbrief sociaal domein",), {})


# -- DOCX ---------------------------------------------------------------------------------------


def make_docx(directory: Path) -> Fixture:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    path = directory / "notitie.docx"
    document = docx.Document()
    document.core_properties.title = "Notitie over burenhulp"
    document.add_heading("Burenhulp in de gemeente", level=1)
    document.add_paragraph("De gemeente ondersteunt burenhulp met een klein budget per wijk.")
    paragraph = document.add_paragraph("Vrijwilligers bezoeken ")
    insertion = OxmlElement("w:ins")
    for key, value in (("w:id", "1"), ("w:author", "Redactie"), ("w:date", "2024-01-01T00:00:00Z")):
        insertion.set(qn(key), value)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "iedere week "
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    insertion.append(run)
    paragraph._p.append(insertion)
    paragraph.add_run("eenzame ouderen in de buurt.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Het sportveld is ook een ontmoetingsplek."
    table.cell(0, 1).text = "De bibliotheek biedt taalcafés aan."
    note_paragraph = document.add_paragraph("Mantelzorgers krijgen een vaste contactpersoon.")
    reference = OxmlElement("w:r")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    reference.append(ref)
    note_paragraph._p.append(reference)
    document.save(str(path))
    _add_footnotes_part(path, "De contactpersoon werkt bij het steunpunt mantelzorg.")
    sentinels = {
        "Vrijwilligers bezoeken iedere week eenzame ouderen in de buurt.": "1",
        "Het sportveld is ook een ontmoetingsplek.": "1",
        "De bibliotheek biedt taalcafés aan.": "1",
        "Mantelzorgers krijgen een vaste contactpersoon.": "1",
    }
    return Fixture(
        path,
        sentinels,
        (),
        {"title": "Notitie over burenhulp"},
        ("De contactpersoon werkt bij het steunpunt mantelzorg.",),
    )


def _add_footnotes_part(path: Path, note: str) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    )
    source = zipfile.ZipFile(path)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            target.writestr(item, data)
        target.writestr("word/footnotes.xml", footnotes)
    source.close()
    path.write_bytes(buffer.getvalue())


# -- HTML and XML -------------------------------------------------------------------------------


def make_html(directory: Path) -> Fixture:
    path = directory / "kamerstuk.html"
    path.write_text(
        """<!doctype html><html lang="nl"><head><title>Kamerstuk | Overheid.nl</title>
<meta name="DC.title" content="Voortgangsbrief informele zorg">
<meta name="DCTERMS.issued" content="2024-05-02"></head>
<body><header><nav><ul><li>Zoeken in officiële publicaties</li></ul></nav></header>
<div id="broodtekst"><h2>Informele zorg</h2>
<p>Het kabinet wil dat mantelzorgers overal terecht kunnen voor advies.<sup><a href="#fn1">1</a></sup></p>
<p>Gemeenten maken daarvoor drie afspraken:</p>
<ul><li>Het steunpunt is elke werkdag open.</li><li>Vrijwilligers krijgen een scholing.</li></ul>
<div class="voetnoten"><ol><li id="fn1">Dit volgt uit de evaluatie van de wet in 2022.</li></ol></div>
</div><footer>Deze website gebruikt cookies</footer></body></html>""",
        encoding="utf-8",
    )
    sentinels = {
        "Het kabinet wil dat mantelzorgers overal terecht kunnen voor advies.": "1",
        "Het steunpunt is elke werkdag open.": "1",
        "Vrijwilligers krijgen een scholing.": "1",
    }
    return Fixture(
        path,
        sentinels,
        ("Zoeken in officiële publicaties", "cookies"),
        {"title": "Voortgangsbrief informele zorg", "date": "2024-05-02"},
        ("Dit volgt uit de evaluatie van de wet in 2022.",),
    )


def make_xml(directory: Path) -> Fixture:
    path = directory / "kst-12345-6.xml"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie><metadata><meta name="DC.title" content="Brief over de pedagogische basis"/>
<meta name="DCTERMS.issued" content="2024-06-11"/></metadata>
<kamerstuk><kop><titel>Pedagogische basis</titel></kop>
<alinea><al>Scholen en jongerenwerk werken samen aan een veilige buurt<noot id="n1"><noot.nr>1</noot.nr><noot.al>Zie het rapport van de inspectie uit 2023.</noot.al></noot> voor kinderen.</al></alinea>
<lijst><li><al>Ouders worden betrokken bij de activiteiten.</al></li></lijst>
</kamerstuk></officiele-publicatie>""",
        encoding="utf-8",
    )
    sentinels = {
        "Scholen en jongerenwerk werken samen aan een veilige buurt voor kinderen.": "1",
        "Ouders worden betrokken bij de activiteiten.": "1",
    }
    return Fixture(
        path,
        sentinels,
        (),
        {"title": "Brief over de pedagogische basis", "date": "2024-06-11"},
        ("Zie het rapport van de inspectie uit 2023.",),
    )


def make_cp1252_txt(directory: Path) -> Fixture:
    path = directory / "oud.txt"
    sentence = "De coöperatie van ideeën in het café kost € 12 miljoen, aldus één ‘wijkbewoner’."
    path.write_bytes(("Verslag\n\n" + sentence + "\n").encode("cp1252"))
    return Fixture(path, {sentence: "1"}, (), {})


def make_utf8_md(directory: Path) -> Fixture:
    path = directory / "notitie.md"
    path.write_text(
        "# Ontmoeting\n\nHet buurthuis opent op zondag.\n\n- Vrijwilligers schenken koffie.\n"
        "- Buren nemen elkaar mee.\n",
        encoding="utf-8",
    )
    sentinels = {
        "Het buurthuis opent op zondag.": "1",
        "Vrijwilligers schenken koffie.": "1",
        "Buren nemen elkaar mee.": "1",
    }
    return Fixture(path, sentinels, ("#",), {})


# -- bad files ----------------------------------------------------------------------------------


def _simple_pdf(path: Path, text: str = "Een korte tekst.", **options: object) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, **options)  # type: ignore[arg-type]
    c.drawString(72, 700, text)
    c.showPage()
    c.save()
    return path


def corrupt_pdf(directory: Path) -> Path:
    path = directory / "kapot.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(4000))
    return path


def truncated_pdf(directory: Path) -> Path:
    path = _simple_pdf(directory / "afgebroken.pdf")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.4)])
    return path


def encrypted_pdf(directory: Path) -> Path:
    return _simple_pdf(directory / "beveiligd.pdf", encrypt="geheim")


def scanned_pdf(directory: Path) -> Path:
    from PIL import Image

    image = directory / "scan.png"
    Image.new("RGB", (200, 280), (240, 240, 235)).save(image)
    path = directory / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(3):
        c.drawImage(str(image), 50, 50, width=495, height=740)
        c.showPage()
    c.save()
    return path


def empty_file(directory: Path) -> Path:
    path = directory / "leeg.pdf"
    path.write_bytes(b"")
    return path


def wrong_extension(directory: Path) -> Path:
    path = directory / "eigenlijk_html.pdf"
    path.write_text("<html><body><p>Geen PDF.</p></body></html>", encoding="utf-8")
    return path


def unsupported_extension(directory: Path) -> Path:
    path = directory / "notulen.odt"
    path.write_bytes(b"PK\x03\x04 niet ondersteund")
    return path


def docx_not_zip(directory: Path) -> Path:
    path = directory / "geen_zip.docx"
    path.write_text("Dit is platte tekst met een verkeerde extensie.", encoding="utf-8")
    return path


def docx_zip_bomb(directory: Path) -> Path:
    """A DOCX whose document part unpacks to 300 MB of spaces, written in chunks."""
    path = directory / "bom.docx"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            for _ in range(300):
                f.write(chunk)
    return path


def xml_external_entity(directory: Path) -> Path:
    path = directory / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><doc><al>&xxe;</al></doc>',
        encoding="utf-8",
    )
    return path


def xml_entity_expansion(directory: Path) -> Path:
    path = directory / "lol.xml"
    entities = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 1}{("&l" + str(i - 1) + ";") * 9}">' for i in range(1, 10)
    )
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE doc [<!ENTITY l0 "lol">{entities}]><doc><al>&l9;</al></doc>', encoding="utf-8"
    )
    return path


ALL_GOOD: dict[str, Callable[[Path], Fixture]] = {
    "kamerbrief_pdf": make_kamerbrief_pdf,
    "two_column_pdf": make_two_column_pdf,
    "docx": make_docx,
    "html": make_html,
    "xml": make_xml,
    "cp1252_txt": make_cp1252_txt,
    "utf8_md": make_utf8_md,
}
BAD_FILES: dict[str, Callable[[Path], Path]] = {
    "corrupt_pdf": corrupt_pdf,
    "truncated_pdf": truncated_pdf,
    "encrypted_pdf": encrypted_pdf,
    "scanned_pdf": scanned_pdf,
    "empty_file": empty_file,
    "wrong_extension": wrong_extension,
    "unsupported_extension": unsupported_extension,
    "docx_not_zip": docx_not_zip,
    "docx_zip_bomb": docx_zip_bomb,
    "xml_external_entity": xml_external_entity,
    "xml_entity_expansion": xml_entity_expansion,
}


# -- PDFs with the habits of real typesetting (one habit per file) --------------------------------
# Each maker returns a `Fixture`; `sentinels` map a sentence to the printed page it must land on.

PageDraw = Callable[[canvas.Canvas], None]


def _pdf(path: Path, pages: list[PageDraw], pagesize: tuple[float, float] = A4) -> Path:
    c = canvas.Canvas(str(path), pagesize=pagesize)
    for draw in pages:
        draw(c)
        c.showPage()
    c.save()
    return path


def make_overprint_pdf(directory: Path) -> Fixture:
    """A bold effect made by drawing each line twice, a third of a point apart."""

    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica", 10)
        for dx in (0.0, 0.3):
            c.drawString(72 + dx, 700, "Voor effecten op de buurt geeft de gemeente ruimte.")
        _lines(c, 72, 680, ["Daarna volgt gewone tekst zonder vet."])

    path = _pdf(directory / "vet_overdrukt.pdf", [page])
    sentinels = {"Voor effecten op de buurt geeft de gemeente ruimte.": "1"}
    return Fixture(path, sentinels, ("VoVoor", "effeff", "geeft ft"))


def make_hyphenated_pdf(directory: Path) -> Fixture:
    """Words broken at the line end by a hyphen, and a line that opens with a year."""

    def page(c: canvas.Canvas) -> None:
        _lines(
            c,
            72,
            700,
            [
                "De gemeente vraagt de mantel-",
                "zorgers om hun ervaringen te delen.",
                "In de periode 2023-",
                "2026 loopt het programma door.",
                "Sinds het akkoord van vorig jaar is er veel gebeurd en",
                "2025 is door partijen hard gewerkt aan de buurtaanpak.",
            ],
        )

    path = _pdf(directory / "afbreking.pdf", [page])
    sentinels = {
        "De gemeente vraagt de mantelzorgers om hun ervaringen te delen.": "1",
        "In de periode 2023-2026 loopt het programma door.": "1",
        "2025 is door partijen hard gewerkt aan de buurtaanpak.": "1",
    }
    return Fixture(path, sentinels, ("mantel zorgers", "mantel- zorgers"))


def make_bullets_pdf(directory: Path) -> Fixture:
    """A list whose bullet glyphs are drawn after their items, a bold heading, a footnote marker."""

    def page(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 760, "Zorgplicht")
        _lines(c, 72, 740, ["De Nederlandse Zorgautoriteit ziet toe op de zorgplicht van verzekeraars."])
        _lines(c, 72, 715, ["Gemeenten zetten in op drie sporen:"])
        items = [
            "buurthuizen die open blijven;",
            "vrijwilligers die worden ondersteund;",
            "mantelzorgers die respijt krijgen.",
        ]
        _lines(c, 90, 700, items)
        c.setFont("Helvetica", 10)
        for k in range(len(items)):
            c.drawString(76, 700 - 13 * k, "•")
        _lines(c, 72, 650, ["Het rapport beschrijft een tweedeling"])
        c.setFont("Helvetica", 6)
        c.drawString(72 + c.stringWidth("Het rapport beschrijft een tweedeling", "Helvetica", 10), 654, "3")
        _lines(c, 72, 637, ["in de toegang tot ondersteuning."])

    path = _pdf(directory / "opsomming.pdf", [page])
    sentinels = {
        "De Nederlandse Zorgautoriteit ziet toe op de zorgplicht van verzekeraars.": "1",
        "• buurthuizen die open blijven;": "1",
        "• mantelzorgers die respijt krijgen.": "1",
        "Het rapport beschrijft een tweedeling in de toegang tot ondersteuning.": "1",
    }
    return Fixture(path, sentinels, ("Zorgplicht De", "tweedeling3"))


def make_offset_numbering_pdf(directory: Path) -> Fixture:
    """Two unnumbered front pages, then pages printed 'Pagina 1 van 4' ... in the footer."""
    pages: list[PageDraw] = []
    sentinels = {}
    for k in range(6):
        sentence = f"Op dit blad staat zin nummer {k + 1} over de wijkaanpak."
        printed = k - 1

        def draw(c: canvas.Canvas, sentence: str = sentence, printed: int = printed) -> None:
            _lines(c, 72, 700, [sentence])
            if printed >= 1:
                _lines(c, 260, 40, [f"Pagina {printed} van 4"], size=8)

        pages.append(draw)
        sentinels[sentence] = str(printed) if printed >= 1 else f"[{k + 1}]"
    path = _pdf(directory / "nummering.pdf", pages)
    return Fixture(path, sentinels, ("Pagina",))


def make_spread_pdf(directory: Path) -> Fixture:
    """Landscape sheets that each hold two printed pages side by side, numbered in the footer."""
    width, height = A4[1], A4[0]
    pages: list[PageDraw] = []
    sentinels = {}
    for k in range(3):
        left, right = 2 * k + 2, 2 * k + 3
        texts = (f"Links staat de tekst van pagina {left} over buren.", f"Rechts staat de tekst van pagina {right}.")

        def draw(c: canvas.Canvas, left: int = left, right: int = right, texts: tuple[str, str] = texts) -> None:
            _lines(c, 60, 500, [texts[0]])
            _lines(c, width / 2 + 40, 500, [texts[1]])
            _lines(c, 40, 30, [str(left)], size=8)
            _lines(c, width - 50, 30, [str(right)], size=8)

        pages.append(draw)
        sentinels[texts[0]] = str(left)
        sentinels[texts[1]] = str(right)
    path = _pdf(directory / "spreads.pdf", pages, pagesize=(width, height))
    return Fixture(path, sentinels)


def make_contents_and_table_pdf(directory: Path) -> Fixture:
    """A table of contents with dot leaders and a table of three columns."""

    def contents(c: canvas.Canvas) -> None:
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, 760, "Inhoud")
        entries = [("Inleiding", 3), ("De sociale basis", 4), ("Afspraken met gemeenten", 7), ("Financiering", 9)]
        c.setFont("Helvetica", 10)
        for k, (title, number) in enumerate(entries):
            c.drawString(72, 730 - 15 * k, f"{title} {'.' * 40}")
            c.drawString(480, 730 - 15 * k, str(number))

    def table(c: canvas.Canvas) -> None:
        _lines(c, 72, 760, ["De tabel hieronder toont de middelen per jaar."])
        rows = [("Onderdeel", "2025", "2026"), ("Buurthuizen", "1.200", "1.350"), ("Vrijwilligers", "800", "950")]
        for k, row in enumerate(rows):
            for x, cell in zip((72, 260, 400), row):
                _lines(c, x, 730 - 15 * k, [cell])

    path = _pdf(directory / "inhoud_tabel.pdf", [contents, table])
    return Fixture(path, {"De tabel hieronder toont de middelen per jaar.": "2"})


READING_CASES: dict[str, Callable[[Path], Fixture]] = {
    "overprint_pdf": make_overprint_pdf,
    "hyphenated_pdf": make_hyphenated_pdf,
    "bullets_pdf": make_bullets_pdf,
    "offset_numbering_pdf": make_offset_numbering_pdf,
    "spread_pdf": make_spread_pdf,
    "contents_and_table_pdf": make_contents_and_table_pdf,
}
