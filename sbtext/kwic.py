"""Keyword in context: every use of a word in documents, with document and page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sbtext.nlp import _lemma
from sbtext.pipeline import Options, iter_results, tagger_for


@dataclass(frozen=True)
class Hit:
    doc_id: str
    page: str
    passage_id: str
    left: str
    match: str
    right: str


def kwic(term: str, paths: Iterable[str | Path], *, width: int = 50, spacy_model: str | None = None) -> Iterator[Hit]:
    """Yield a hit for each token whose surface form or lemma is `term` (or its lemma)."""
    options = Options(spacy_model=spacy_model, tag=False)
    nlp = tagger_for(options).nlp
    wanted = {term.lower(), _lemma(term.lower())}
    for result in iter_results(paths, options=options):
        texts = [p["text"] for p in result.passages]
        for passage, doc in zip(
            result.passages, nlp.pipe(texts, disable=[n for n in nlp.pipe_names if n.startswith("sbtext_tag")])
        ):
            for token in doc:
                if token.lower_ in wanted or token.lemma_.lower() in wanted:
                    text = doc.text
                    left = " ".join(text[max(0, token.idx - width) : token.idx].split())[-width:]
                    right = " ".join(text[token.idx + len(token) : token.idx + len(token) + width].split())[:width]
                    yield Hit(passage["doc_id"], str(passage["page"]), passage["passage_id"], left, token.text, right)
