from __future__ import annotations

import pytest
from conftest import SAMPLE

from sbtext.clean import clean_document
from sbtext.read import read_document
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
