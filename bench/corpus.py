"""Generate benchmark corpora: Kamerbrief-like PDFs of about 30 pages, plus HTML pages.

The text is Dutch policy-like prose assembled from sentence parts written for this benchmark,
varied per document by a seeded random generator, so that runs are repeatable.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SUBJECTS = [
    "Gemeenten",
    "Het kabinet",
    "De wijkteams",
    "Zorgverzekeraars",
    "Vrijwilligersorganisaties",
    "Mantelzorgers",
    "Buurthuizen",
    "Welzijnsorganisaties",
    "Scholen en sportverenigingen",
    "De buurtsportcoaches",
    "Huisartsen",
    "Bibliotheken",
    "Jongerenwerkers",
    "Inwoners van de wijk",
    "De provincies",
    "Woningcorporaties",
]
VERBS = [
    "zetten in op",
    "investeren in",
    "werken samen aan",
    "rekenen op",
    "versterken",
    "ondersteunen",
    "maken afspraken over",
    "verkennen",
    "brengen in kaart",
    "leggen de nadruk op",
    "dragen bij aan",
]
OBJECTS = [
    "de sociale basis in de wijk",
    "laagdrempelige ontmoetingsplekken",
    "informele zorg door naasten",
    "het omzien naar elkaar",
    "de toegang tot passende zorg",
    "preventie en gezondheid",
    "de inzet van vrijwilligers",
    "de ondersteuning van mantelzorgers",
    "een sluitende aanpak van schulden",
    "de pedagogische basis",
    "een toekomstbestendige wijkverpleging",
    "de samenwerking tussen zorg en welzijn",
    "de leefbaarheid van buurten",
]
PURPOSES = [
    "zodat inwoners langer thuis kunnen blijven wonen",
    "om de druk op de wijkverpleging te verminderen",
    "waardoor minder mensen een beroep doen op gespecialiseerde zorg",
    "om eenzaamheid te voorkomen",
    "zodat kinderen gezond en veilig kunnen opgroeien",
    "om de zorg betaalbaar en toegankelijk te houden",
    "zodat mensen elkaar kunnen ontmoeten",
    "om de arbeidsmarkt in de zorg te ontlasten",
    "",
    "",
    "",
    "",
]
OTHER = [
    "Dit blijkt uit de monitor over het afgelopen jaar.",
    "De Kamer ontvangt hierover voor de zomer een brief.",
    "In de bijlage staat een overzicht van de afspraken per regio.",
    "Daarbij sluiten we aan bij bestaande initiatieven.",
    "De middelen worden via het gemeentefonds verdeeld.",
    "Het onderzoek loopt tot en met 2026.",
]


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(OTHER)
    purpose = rng.choice(PURPOSES)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    return f"{text}, {purpose}." if purpose else f"{text}."


def paragraphs(rng: random.Random, n: int) -> list[str]:
    return [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(n)]


def write_pdf(path: Path, seed: int, pages: int = 30) -> None:
    rng = random.Random(seed)
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for page in range(1, pages + 1):
        c.setFont("Helvetica", 8)
        c.drawString(72, height - 40, "Kamerbrief over de sociale basis")
        c.drawString(440, height - 90, "Datum")
        c.drawString(440, height - 100, "14 maart 2024")
        c.drawString(width / 2 - 20, 30, f"Pagina {page} van {pages}")
        c.setFont("Helvetica", 10)
        y = height - 90
        for para in paragraphs(rng, 5):
            line = ""
            for word in para.split():
                if c.stringWidth(f"{line} {word}", "Helvetica", 10) > 340:
                    c.drawString(72, y, line)
                    y -= 13
                    line = word
                else:
                    line = f"{line} {word}".strip()
            c.drawString(72, y, line)
            y -= 22
            if y < 90:
                break
        c.showPage()
    c.save()


def write_html(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs(rng, 40))
    path.write_text(
        "<!doctype html><html><head><meta name='DC.title' content='Voortgangsbrief'>"
        f"<meta name='DCTERMS.issued' content='2024-05-02'></head><body><nav>Menu</nav>"
        f"<div id='broodtekst'><h2>Aanpak</h2>{body}</div><footer>Colofon</footer></body></html>",
        encoding="utf-8",
    )


def make_corpus(folder: Path, n_docs: int, *, distinct: int = 40) -> Path:
    """A corpus of `n_docs` files (nine PDFs for every HTML page); `distinct` unique ones, copied."""
    folder.mkdir(parents=True, exist_ok=True)
    templates = folder.parent / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for k in range(n_docs):
        kind = "html" if k % 10 == 9 else "pdf"
        template = templates / f"t{k % distinct:03d}.{kind}"
        if not template.exists():
            (write_html if kind == "html" else write_pdf)(template, k % distinct)
        target = folder / f"doc{k:05d}.{kind}"
        if not target.exists():
            shutil.copyfile(template, target)
    return folder
