from __future__ import annotations

import pytest
from conftest import SAMPLE

from sbtext.clean import clean_document
from sbtext.read import read_document
from sbtext.records import Document, DocumentMeta, Page, Span
from sbtext.segment import split_passages


@pytest.fixture(scope="module")
def seed_passages(nlp):
    out = {}
    for path in sorted(SAMPLE.glob("*.txt")):
        doc = clean_document(read_document(path))
        out[path.stem] = (doc, list(split_passages(doc, nlp)))
    return out


def test_offsets_round_trip(seed_passages):
    for doc, passages in seed_passages.values():
        pages = {p.index: p for p in doc.pages}
        assert passages
        for p in passages:
            assert pages[p.page_index].text[p.char_start : p.char_end] == p.text


def test_ids_are_unique_and_stable(seed_passages, nlp):
    for stem, (doc, passages) in seed_passages.items():
        ids = [p.passage_id for p in passages]
        assert len(ids) == len(set(ids))
        again = [p.passage_id for p in split_passages(doc, nlp)]
        assert again == ids, stem


def test_kamerbrief_sidebar_is_metadata_not_text(seed_passages):
    doc, passages = seed_passages["003_1914dd54163749e7"]
    assert doc.meta.kenmerk == "3626552-1050315-DMO"
    assert doc.meta.date == "2023-06-23"
    texts = " ".join(p.text for p in passages)
    for sidebar in ("3626552-1050315-DMO", "Parnassusplein", "Correspondentie uitsluitend", "Directoraat"):
        assert sidebar not in texts


def test_footnotes_are_passages_of_their_own(seed_passages):
    _, passages = seed_passages["003_1914dd54163749e7"]
    notes = [p for p in passages if p.kind == "footnote"]
    assert any(p.text.startswith("Kamerstuk 2022/2023") for p in notes)
    assert not any("<sup>" in p.text for p in passages)


def test_hyphenated_line_ends_are_repaired(seed_passages):
    _, passages = seed_passages["004_6a829b2d3051c84a"]
    texts = " ".join(p.text for p in passages)
    assert "gedeelde invulling" in texts
    assert "ge- deelde" not in texts


def test_bullets_carry_their_lead_in(seed_passages):
    _, passages = seed_passages["003_1914dd54163749e7"]
    bullets = [p for p in passages if p.kind == "bullet"]
    assert len(bullets) == 3
    assert all(b.context.endswith("onderscheiden:") for b in bullets)


def _doc(*pages: tuple[tuple[str, str], ...]) -> Document:
    """A cleaned document from (kind, text) blocks per page."""
    built = []
    for index, blocks in enumerate(pages, start=1):
        text, spans = "", []
        for kind, block in blocks:
            text += "\n\n" if text else ""
            spans.append(Span(len(text), len(text) + len(block), kind))
            text += block
        built.append(Page(index=index, label=str(index), text=text, spans=tuple(spans)))
    return Document(meta=DocumentMeta(doc_id="t", path="t.txt"), pages=tuple(built))


CLAUSE = "gemeenten ondersteunen de vrijwilligers in de wijk met een vast budget en een eigen contactpersoon"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # a list item stays whole, with the lead-in of its list, also across a page break
        (
            (
                (("paragraph", "Wij vragen gemeenten om:"), ("bullet", "• buurthuizen te openen. Ook in de zomer.")),
                (("bullet", "• vrijwilligers te steunen."),),
            ),
            [
                ("sentence", "Wij vragen gemeenten om:", ""),
                ("bullet", "• buurthuizen te openen. Ook in de zomer.", "Wij vragen gemeenten om:"),
                ("bullet", "• vrijwilligers te steunen.", "Wij vragen gemeenten om:"),
            ],
        ),
        # a heading ends the lead-in
        (
            ((("paragraph", "Wij vragen gemeenten om:"), ("heading", "Wonen"), ("bullet", "• woningen te bouwen.")),),
            [
                ("sentence", "Wij vragen gemeenten om:", ""),
                ("heading", "Wonen", ""),
                ("bullet", "• woningen te bouwen.", ""),
            ],
        ),
        # an item ending in a colon leads into the items with another marker below it
        (
            (
                (
                    ("paragraph", "Wij vragen gemeenten om:"),
                    ("bullet", "• een aanpak, langs deze sporen:"),
                    ("bullet", "− buurthuizen;"),
                    ("bullet", "− vrijwilligers."),
                    ("bullet", "• een plan."),
                ),
            ),
            [
                ("sentence", "Wij vragen gemeenten om:", ""),
                ("bullet", "• een aanpak, langs deze sporen:", "Wij vragen gemeenten om:"),
                ("bullet", "− buurthuizen;", "• een aanpak, langs deze sporen:"),
                ("bullet", "− vrijwilligers.", "• een aanpak, langs deze sporen:"),
                ("bullet", "• een plan.", "Wij vragen gemeenten om:"),
            ],
        ),
        # numbered items are one list, whatever their numbers
        (
            ((("paragraph", "Twee punten:"), ("bullet", "1. dit:"), ("bullet", "2. dat.")),),
            [
                ("sentence", "Twee punten:", ""),
                ("bullet", "1. dit:", "Twee punten:"),
                ("bullet", "2. dat.", "Twee punten:"),
            ],
        ),
        # table rows and contents entries are passages of their own kind
        (
            ((("toc", "Inleiding … 3"), ("table", "Buurthuizen | 1.200 | 1.350")),),
            [("toc", "Inleiding … 3", ""), ("table", "Buurthuizen | 1.200 | 1.350", "")],
        ),
    ],
)
def test_passages_of_lists_tables_and_contents(nlp, pages, expected):
    found = list(split_passages(_doc(*pages), nlp))
    assert [(p.kind, p.text, p.context) for p in found] == expected


def test_no_passage_over_1000_characters_unless_one_sentence(nlp):
    long_item = "• " + " ".join(f"Zin {k}: {CLAUSE}." for k in range(12))
    long_sentence = "; ".join(f"{CLAUSE} {k}" for k in range(12)) + "."
    found = list(split_passages(_doc((("bullet", long_item), ("paragraph", long_sentence))), nlp))
    assert len(long_item) > 1000 and len(long_sentence) > 1000
    assert all(len(p.text) <= 1000 for p in found)
    assert sum(p.kind == "bullet" for p in found) == 12
    assert found[-1].text == f"{CLAUSE} 11."


def test_a_stray_quote_mark_is_no_passage(nlp):
    found = list(split_passages(_doc((("paragraph", "Buren helpen elkaar. ‘ Vrijwilligers ook."),)), nlp))
    assert all(any(c.isalnum() for c in p.text) for p in found)
