"""The codebook's cue lists as a spaCy component that puts cue spans on the Doc.

Spans go to `doc.spans["sbtext_cues"]` with the cue list as label (`expectation`,
`instrumental`, `sphere:persoonlijk`, `category:kosten_besparing`, ...) and the codebook term as
span id, so every label can name the words and the rule behind it.

Exact terms (most of the codebook) run through two spaCy PhraseMatchers, one on the lower-case
form and one on the lemma, so that inflections count. One-word wildcard terms (`mantelzorg*`,
`*vereniging`) are looked up by prefix and suffix per token; only multi-word terms with a wildcard
or a gap (`spelen ... rol`) need the token Matcher. That split keeps the cost per passage low
enough for archives: a Matcher over a thousand token patterns, regular expressions among them,
took most of the tagging time and gave the same spans.

With a trained pipeline, simplemma's lemma is a second opinion: a trained lemmatizer that leaves
"rekent" as it is would otherwise miss "rekenen op". It goes into each token's NORM, the one free
string attribute a PhraseMatcher can read; the ruler runs last, after any model has used NORM.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from sbtext.codebook import GAP, Codebook, load_codebook, term_patterns
from sbtext.nlp import _lemma

SPANS_KEY = "sbtext_cues"
RULER_NAME = "sbtext_tag_cues"
KEY_SEPARATOR = "\t"


class CueRuler:
    """Matches every codebook term on lower-case forms and lemmas; writes all matches as spans."""

    def __init__(self, nlp: Language, name: str, codebook: Codebook, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.by_form = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.by_dictionary = PhraseMatcher(nlp.vocab, attr="NORM")
        self.second_opinion = "sbtext_simplemma_v1" not in nlp.pipe_names
        self.by_pattern = Matcher(nlp.vocab, validate=True)
        self.prefixes: dict[str, list[str]] = defaultdict(list)
        self.suffixes: dict[str, list[str]] = defaultdict(list)
        self.infixes: dict[str, list[str]] = defaultdict(list)
        for label, terms in codebook.terms().items():
            for term in terms:
                self.add(nlp, label, term)

    def add(self, nlp: Language, label: str, term: str) -> None:
        key = f"{label}{KEY_SEPARATOR}{term}"
        words = term.lower().split()
        if len(words) == 1 and "*" in words[0] and words[0].strip("*"):
            word = words[0]
            table = {(False, True): self.prefixes, (True, False): self.suffixes, (True, True): self.infixes}
            table[word.startswith("*"), word.endswith("*")][word.strip("*")].append(key)
            return
        if any("*" in w or w in {"?", GAP} for w in words):
            self.by_pattern.add(key, term_patterns(term, _lemma))
            return
        lemmas = [_lemma(w) for w in words]
        self.by_form.add(key, [Doc(nlp.vocab, words=words)])
        # A token matches a term word when its lemma is that word or the word's own lemma.
        self.by_lemma.add(key, [Doc(nlp.vocab, words=lemmas, lemmas=lemmas), Doc(nlp.vocab, words=words, lemmas=words)])
        self.by_dictionary.add(key, [_with_norms(Doc(nlp.vocab, words=lemmas))])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matchers: list[Any] = [self.by_form, self.by_lemma, self.by_pattern]
        if self.second_opinion:
            for token in doc:
                token.norm_ = _lemma(token.lower_)
            matchers.append(self.by_dictionary)
        found = {(start, end, strings[match_id]) for matcher in matchers for match_id, start, end in matcher(doc)}
        found.update((token.i, token.i + 1, key) for token in doc for key in self.wildcards(token.lower_))
        spans = []
        for start, end, key in sorted(found):
            label, term = key.split(KEY_SEPARATOR, 1)
            spans.append(Span(doc, start, end, label=label, span_id=term))
        doc.spans[self.spans_key] = spans
        return doc

    def wildcards(self, word: str) -> set[str]:
        """Keys of the one-word wildcard terms that `word` matches."""
        keys = {k for n in range(1, len(word) + 1) for k in self.prefixes.get(word[:n], ())}
        keys.update(k for n in range(len(word)) for k in self.suffixes.get(word[n:], ()))
        keys.update(k for body, ks in self.infixes.items() if body in word for k in ks)
        return keys


def _with_norms(doc: Doc) -> Doc:
    for token in doc:
        token.norm_ = token.text
    return doc


@Language.factory(
    "sbtext_cue_ruler_v2",
    default_config={"codebook": None, "spans_key": SPANS_KEY},
)
def make_cue_ruler(nlp: Language, name: str, codebook: str | None, spans_key: str) -> CueRuler:
    """The cue ruler for `codebook` (None: the default codebook)."""
    return CueRuler(nlp, name, load_codebook(codebook), spans_key)


def cue_spans(doc: Doc | Span) -> list[Span]:
    """The cue spans inside a Doc or a sentence Span, in text order."""
    whole = doc if isinstance(doc, Doc) else doc.doc
    spans = whole.spans.get(SPANS_KEY, [])
    if isinstance(doc, Doc):
        return sorted(spans, key=lambda s: (s.start, s.end))
    return sorted((s for s in spans if s.start >= doc.start and s.end <= doc.end), key=lambda s: (s.start, s.end))


def cue_counts(spans: list[Span]) -> Counter[str]:
    """How often each cue list fired (overlapping duplicates of one term count once)."""
    seen = {(s.label_, s.start, s.end) for s in spans}
    return Counter(label for label, _, _ in seen)
