"""Keyword in context: every use of a word or phrase in documents, with source and page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from sbtext.nlp import _lemma
from sbtext.pipeline import DocResult, Options, iter_results, tagger_for

WordTest = Callable[[str, str], bool]
"""Whether a token (lower-case form, lower-case lemma) matches one word of the query."""


@dataclass(frozen=True)
class Hit:
    source: str
    doc_id: str
    page: str
    passage_id: str
    left: str
    match: str
    right: str


def word_test(word: str) -> WordTest:
    """A test for one query word: exact form or lemma, or a `*` wildcard ("mantelzorg*", "*zorger")."""
    word = word.lower()
    if "*" in word:
        pattern = re.compile("".join(".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", word)))
        return lambda lower, lemma: bool(pattern.fullmatch(lower) or pattern.fullmatch(lemma))
    wanted = {word, _lemma(word)}
    return lambda lower, lemma: lower in wanted or lemma in wanted


def query_tests(query: str) -> list[WordTest]:
    """One test per word of `query` ("sociale basis" is two words that must follow each other)."""
    words = query.split()
    if not words or any(set(w) <= {"*"} for w in words):
        raise ValueError(f"a KWIC query needs words with letters, got {query!r}")
    return [word_test(w) for w in words]


def find_in_doc(doc: Doc, tests: list[WordTest]) -> Iterator[tuple[int, int]]:
    """Character (start, end) of each place where the query's words follow each other in `doc`."""
    lowers = [t.lower_ for t in doc]
    lemmas = [t.lemma_.lower() for t in doc]
    for i in range(len(doc) - len(tests) + 1):
        if all(test(lowers[i + k], lemmas[i + k]) for k, test in enumerate(tests)):
            last = doc[i + len(tests) - 1]
            yield doc[i].idx, last.idx + len(last)


def kwic(
    query: str,
    paths: Iterable[str | Path],
    *,
    width: int = 50,
    spacy_model: str | None = None,
    on_failure: Callable[[DocResult], object] | None = None,
) -> Iterator[Hit]:
    """Yield a hit for each use of `query` (a word, a phrase, or words with `*` wildcards).

    Words match on their surface form and on their lemma. Documents that cannot be read are
    passed to `on_failure` (with their error rows) instead of being skipped silently.
    """
    tests = query_tests(query)
    options = Options(spacy_model=spacy_model, tag=False)
    nlp = tagger_for(options).nlp
    skip = [n for n in nlp.pipe_names if n.startswith("sbtext_tag")]
    for result in iter_results(paths, options=options):
        if result.errors and on_failure is not None:
            on_failure(result)
        texts = [p["text"] for p in result.passages]
        for passage, doc in zip(result.passages, nlp.pipe(texts, disable=skip)):
            for start, end in find_in_doc(doc, tests):
                text = doc.text
                left = " ".join(text[max(0, start - width) : start].split())[-width:]
                right = " ".join(text[end : end + width].split())[:width]
                yield Hit(
                    str(passage["source"]),
                    str(passage["doc_id"]),
                    str(passage["page"]),
                    str(passage["passage_id"]),
                    left,
                    text[start:end],
                    right,
                )
