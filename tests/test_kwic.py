"""Keyword in context: phrases, wildcards, sources, failures and CSV output."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

from sbtext.kwic import query_tests


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sbtext", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


@pytest.mark.parametrize(
    ("query", "lower", "lemma", "matches"),
    [
        ("mantelzorger", "mantelzorgers", "mantelzorger", True),
        ("mantelzorg*", "mantelzorgondersteuning", "mantelzorgondersteuning", True),
        ("*zorgers", "mantelzorgers", "mantelzorger", True),
        ("mantelzorg*", "zorg", "zorg", False),
        ("buurt*huis", "buurtwerkhuis", "buurtwerkhuis", True),
    ],
)
def test_one_word_with_or_without_wildcard(query, lower, lemma, matches):
    (test,) = query_tests(query)
    assert test(lower, lemma) is matches


@pytest.mark.parametrize("query", ["", "*", "* *"])
def test_a_query_needs_letters(query):
    with pytest.raises(ValueError, match="needs words"):
        query_tests(query)


def test_a_phrase_matches_words_in_sequence_and_names_the_source(tmp_path):
    out = tmp_path / "kwic.csv"
    result = run("kwic", "sociale basis", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all("[sociale basis]" in line.lower() for line in lines)
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(lines)
    # the manifest's source name, not the document id, is shown and written
    assert {r["source"] for r in rows} >= {"Gezamenlijke positie 2023"}
    assert all(r["source"] != r["doc_id"] for r in rows)
    again = run("kwic", "sociale basis", str(SAMPLE), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_a_document_that_cannot_be_read_is_reported_and_sets_exit_one(tmp_path):
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 afgebroken")
    (tmp_path / "brief.txt").write_text("Mantelzorgers en buren helpen elkaar.", encoding="utf-8")
    result = run("kwic", "buren", str(tmp_path))
    assert result.returncode == 1
    assert "kapot.pdf" in result.stderr and "E010" in result.stderr
    assert "[buren]" in result.stdout
