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
