from __future__ import annotations

import pytest

from sbtext.clean import clean_document, repair_hyphen
from sbtext.records import Block, Document, DocumentMeta, Page


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("de mantel\x02", "zorgers helpen", "de mantelzorgers helpen"),
        ("een ge-", "deelde invulling", "een gedeelde invulling"),
        ("in de zorg\x02", "en ondersteuning", "in de zorg- en ondersteuning"),
        ("een Wmo\x02", "voorziening", "een Wmo-voorziening"),
        ("in Noord\x02", "Holland", "in Noord-Holland"),
        ("de periode 2023\x02", "2026", "de periode 2023-2026"),
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
