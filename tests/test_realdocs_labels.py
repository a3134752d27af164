"""Labels on whole real documents of ../shared/realdocs (skipped where that folder is absent)."""

from __future__ import annotations

import csv
import os
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
TABLE = ROOT / "annotations" / "verwey_jonker_2023.csv"
DOCUMENTS = {
    "IZA": "nat_iza_2022_integraal_zorgakkoord.pdf",
    "GALA": "nat_gala_2023_gezond_en_actief_leven.pdf",
}
MIN_FRAGMENT_WORDS = 4
MIN_COVERAGE = 0.85
# Quotes the toolkit does not label as the table does, each with the reason (strict: a quote that
# starts passing must be taken off this list).
KNOWN_MISSES = {
    ("IZA", "verwachting", "De zorgsector, de politiek"): "names no part of the sociale basis ('de samenleving als "
    "geheel'): rule 1 forbids an expectation",
    ("IZA", "verwachting", "Zelfzorg en informele zorg"): "the table paraphrases point 7 of p. 9 ('Passende zorg "
    "begint bij zelfzorg en informele zorg. Pas als dit onvoldoende bijdraagt, sluit formele zorg aan.'): its first "
    "sentence is found and labelled an expectation, its second ('Als dit niet genoeg blijkt ...') is not in the "
    "document",
}
# Misses on a trained spaCy pipeline only: the shipped models learn from the offline fallback's
# lemmas and tokens, which a trained pipeline gives a little differently.
# Quotes missed on a trained pipeline only (its lemmas differ from the fallback's, which the models
# learn from); none at present.
KNOWN_MISSES_TRAINED_PIPELINE: dict[tuple[str, str, str], str] = {}


def known_miss(row: tuple[str, str, str, str]) -> str | None:
    misses = dict(KNOWN_MISSES)
    if os.environ.get("SBTEXT_SPACY_MODEL", "blank") != "blank":
        misses.update(KNOWN_MISSES_TRAINED_PIPELINE)
    return next((why for (s, c, start), why in misses.items() if row[:2] == (s, c) and row[3].startswith(start)), None)


needs_realdocs = pytest.mark.skipif(not REALDOCS.is_dir(), reason="../shared/realdocs is absent")


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@cache
def analysed(name: str):
    import sbtext

    return sbtext.analyze([REALDOCS / name])


def fragments(quote: str) -> list[str]:
    """The quote's own words, cut at the table's ellipses and at sentence ends."""
    parts = re.split(r"\(\s*…\s*\)|\(\s*\.{3,}\s*\)|…+|\.{3,}|(?<=[.;])\s+", quote)
    return [words(p) for p in parts if len(words(p).split()) >= MIN_FRAGMENT_WORDS]


def table_rows() -> list[tuple[str, str, str, str]]:
    with TABLE.open(encoding="utf-8") as f:
        rows = [(r["source"], r["column"], r["page"], r["quote"]) for r in csv.DictReader(f)]
    return [r for r in rows if r[0] in DOCUMENTS]


def _param(row: tuple[str, str, str, str]):
    reason = known_miss(row)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(*row, marks=marks, id=f"{row[0]}-{row[1]}-p{row[2]}-{words(row[3])[:30]}")


def printed_pages(result) -> bool:
    """Whether the reader found printed page numbers for the document (not just page indexes)."""
    documents = result.documents
    return "page_numbering" in documents and (documents["page_numbering"] != "index").all()


def coverage(fragment: str, text: str) -> float:
    """The share of the fragment's words that the text holds (the table edits a word here and
    there: "het gaat over gemeenschap" quotes "het gaat over de gemeenschap"). Two words of the
    fragment count as held where the text writes them as one ("een ieder" for "eenieder": Dutch
    writes some word pairs either way)."""
    want, have = fragment.split(), Counter(text.split())
    held, k = 0, 0
    while k < len(want):
        pair = want[k] + want[k + 1] if k + 1 < len(want) else ""
        if have[want[k]] > 0:
            have[want[k]] -= 1
            held, k = held + 1, k + 1
        elif pair and have[pair] > 0:
            have[pair] -= 1
            held, k = held + 2, k + 2
        else:
            k += 1
    return held / max(len(want), 1)


@pytest.mark.parametrize(
    ("fragment", "text", "share"),
    [
        ("het gaat over gemeenschap", "het gaat over de gemeenschap", 1.0),
        ("mogelijkheden van een ieder", "de mogelijkheden van eenieder", 1.0),
        ("een ieder een ieder", "eenieder", 0.5),
        ("zorg en welzijn", "zorg", 1 / 3),
        ("buren helpen elkaar", "het kabinet", 0.0),
    ],
)
def test_coverage_counts_the_fragments_words_in_the_text(fragment, text, share):
    assert coverage(fragment, text) == pytest.approx(share)


def locate(passages, fragment: str):
    """The passages that hold the fragment (alone, or with the next passage where reading split
    the quoted sentence), best first."""
    texts = list(passages["text"].map(words))
    scores = [max(coverage(fragment, t), coverage(fragment, t + " " + n)) for t, n in zip(texts, [*texts[1:], ""])]
    best = max(scores, default=0.0)
    if best < MIN_COVERAGE:
        return passages.iloc[0:0], best
    rows = [k for k, v in enumerate(scores) if v == best]
    return passages.iloc[sorted({*rows, *(k + 1 for k in rows if k + 1 < len(texts))})], best


@needs_realdocs
@pytest.mark.parametrize(("source", "column", "page", "quote"), [_param(r) for r in table_rows()])
def test_every_table_quote_of_iza_and_gala_is_found_and_labelled(source, column, page, quote):
    passages = analysed(DOCUMENTS[source]).passages
    found = []
    for fragment in fragments(quote):
        hits, best = locate(passages, fragment)
        assert not hits.empty, f"not found in {DOCUMENTS[source]} (best coverage {best:.2f}): {fragment!r}"
        found.append(hits)
    if column == "verwachting":
        assert any(h["expectation"].any() for h in found), "found, but no passage of it is an expectation"
    else:
        assert any(((h["purpose"] != "") | h["goal_statement"]).any() for h in found), "found, but no purpose or goal"
    if printed_pages(analysed(DOCUMENTS[source])):
        pages = {str(p) for h in found for p in h["page"]}
        assert page in pages, f"on printed page(s) {sorted(pages)}, the table says {page}"


@needs_realdocs
def test_a_document_without_the_sociale_basis_yields_no_expectation():
    """The yearly cycle of the municipalities' fund: money, dates and procedure, no part of the
    sociale basis anywhere, so no expectation."""
    result = analysed("nat_bzk_gemeentefonds_cyclus.html")
    assert len(result.passages) > 20
    assert not result.passages["expectation"].any()
