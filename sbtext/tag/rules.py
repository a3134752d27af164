"""The codebook's cue lists as a spaCy component that puts cue spans on the Doc.

Spans go to `doc.spans["sbtext_cues"]` with the cue list as label (`expectation`,
`instrumental`, `sphere:persoonlijk`, `category:kosten_besparing`, ...) and the codebook term as
span id, so every label can name the words and the rule behind it.

Exact terms (most of the codebook) run through two spaCy PhraseMatchers, one on the lower-case
form and one on the lemma, so that inflections count. One-word wildcard terms (`mantelzorg*`,
`*vereniging`) are looked up by prefix and suffix per token; only multi-word terms with a wildcard
or a gap (`spelen ... rol`) need the token Matcher. That split keeps the cost per passage low
enough for archives: a Matcher over a thousand token patterns, regular expressions among them,
took most of the tagging time and gave the same spans. The few multi-word patterns left run
through `PatternMatcher`, which starts only at tokens that can open a pattern; spaCy's Matcher
tried every pattern at every token and cost more than the rest of the pipeline together.

With a trained pipeline, simplemma's lemma is a second opinion: a trained lemmatizer that leaves
"rekent" as it is would otherwise miss "rekenen op". It goes into each token's NORM, the one free
string attribute a PhraseMatcher can read; the ruler runs last, after any model has used NORM.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from spacy.attrs import LEMMA, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc, Span

from sbtext.codebook import EXCLUDE, FORM_ONLY, GAP, Codebook, load_codebook, term_patterns
from sbtext.nlp import _lemma

SPANS_KEY = "sbtext_cues"
RULER_NAME = "sbtext_tag_cues"
KEY_SEPARATOR = "\t"
WORD_CACHE = 200_000  # words whose wildcard matches are remembered; a corpus's vocabulary fits


class CueRuler:
    """Matches every codebook term on lower-case forms and lemmas; writes all matches as spans."""

    def __init__(self, nlp: Language, name: str, codebook: Codebook, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.codebook = codebook
        self.spans_key = spans_key
        self.by_form = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.by_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.by_dictionary = PhraseMatcher(nlp.vocab, attr="NORM")
        self.second_opinion = "sbtext_simplemma_v1" not in nlp.pipe_names
        self.by_pattern = PatternMatcher()
        self.prefixes: dict[str, list[str]] = defaultdict(list)
        self.suffixes: dict[str, list[str]] = defaultdict(list)
        self.infixes: dict[str, list[str]] = defaultdict(list)
        self.seen: dict[int, set[str]] = {}
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
        if any(w.startswith(FORM_ONLY) for w in words):
            self.by_form.add(key, [Doc(nlp.vocab, words=[w.removeprefix(FORM_ONLY) for w in words])])
            return
        lemmas = [_lemma(w) for w in words]
        self.by_form.add(key, [Doc(nlp.vocab, words=words)])
        # A token matches a term word when its lemma is that word or the word's own lemma.
        self.by_lemma.add(key, [Doc(nlp.vocab, words=lemmas, lemmas=lemmas), Doc(nlp.vocab, words=words, lemmas=words)])
        self.by_dictionary.add(key, [_with_norms(Doc(nlp.vocab, words=lemmas))])

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matchers: list[Any] = [self.by_form, self.by_lemma]
        if self.second_opinion:
            for token in doc:
                token.norm_ = _lemma(token.lower_)
            matchers.append(self.by_dictionary)
        found = {(start, end, strings[match_id]) for matcher in matchers for match_id, start, end in matcher(doc)}
        found.update((start, end, key) for key, start, end in self.by_pattern(doc))
        lowers = doc.to_array(LOWER).tolist()
        hits = {lower: keys for lower in set(lowers) if (keys := self.wildcards(lower, strings))}
        if hits:
            found.update((i, i + 1, key) for i, lower in enumerate(lowers) if lower in hits for key in hits[lower])
        cues = [(start, end, *key.split(KEY_SEPARATOR, 1)) for start, end, key in sorted(found)]
        doc.spans[self.spans_key] = [
            Span(doc, start, end, label=label, span_id=term) for start, end, label, term in without_other_senses(cues)
        ]
        return doc

    def wildcards(self, lower: int, strings: StringStore) -> set[str]:
        """Keys of the one-word wildcard terms that the word `lower` (the hash of its lower-case
        form in `strings`) matches, remembered per word."""
        keys = self.seen.get(lower)
        if keys is None:
            if len(self.seen) >= WORD_CACHE:
                self.seen.clear()
            keys = self.seen[lower] = self._wildcards(strings[lower])
        return keys

    def _wildcards(self, word: str) -> set[str]:
        keys = {k for n in range(1, len(word) + 1) for k in self.prefixes.get(word[:n], ())}
        keys.update(k for n in range(len(word)) for k in self.suffixes.get(word[n:], ()))
        keys.update(k for body, ks in self.infixes.items() if body in word for k in ks)
        return keys


def without_other_senses(cues: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Drop the cues (start, end, label, term) that an `exclude:<label>` phrase covers (the
    word's other sense), and the exclude phrases themselves."""
    covered: dict[str, set[int]] = defaultdict(set)
    for start, end, label, _ in cues:
        if label.startswith(EXCLUDE):
            covered[label.removeprefix(EXCLUDE)].update(range(start, end))
    if not covered:
        return cues
    return [
        cue
        for cue in cues
        if not cue[2].startswith(EXCLUDE) and not covered.get(cue[2], set()).intersection(range(cue[0], cue[1]))
    ]


class PatternMatcher:
    """Token patterns of a codebook term (`term_patterns`: LEMMA or LOWER values, `IN` lists,
    `REGEX`, any token `{}`, gaps `{"OP": "{0,4}"}`), matched from the tokens that can open them.

    Like spaCy's Matcher without `greedy`, it yields every (key, start, end) a pattern can reach,
    overlapping and of any length; the caller keeps them as a set.
    """

    def __init__(self) -> None:
        self.by_lemma: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
        self.by_lower: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
        self.other: list[tuple[str, list[dict[str, Any]]]] = []  # opening with a regex or any token
        self.openers: dict[tuple[int, int], list[tuple[str, list[dict[str, Any]]]]] = {}
        self.needed: dict[int, tuple[frozenset[int], ...]] = {}  # by id of a pattern held here
        self.compiled: dict[int, tuple[_Element, ...]] = {}  # the same

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        for pattern in patterns:
            compiled = self.compiled[id(pattern)] = tuple(map(_compiled, pattern))
            self.needed[id(pattern)] = needed_words(compiled)
            first = pattern[0]
            values = first.get("LEMMA", first.get("LOWER"))
            table = self.by_lemma if "LEMMA" in first else self.by_lower
            if isinstance(values, str):
                table[values].append((key, pattern))
            elif isinstance(values, dict) and "IN" in values:
                for value in values["IN"]:
                    table[value].append((key, pattern))
            else:
                self.other.append((key, pattern))
        self.openers.clear()

    def __len__(self) -> int:
        tables = [*self.by_lemma.values(), *self.by_lower.values(), self.other]
        return len({key for patterns in tables for key, _ in patterns})

    def __call__(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        if not (self.by_lemma or self.by_lower or self.other):
            return
        rows = doc.to_array([LEMMA, LOWER]).tolist()
        words = {value for row in rows for value in row}
        for i, (lemma, lower) in enumerate(rows):
            candidates = self.openers.get((lemma, lower))
            if candidates is None:
                candidates = self._openers([lemma, lower], doc.vocab.strings)
                if len(self.openers) < WORD_CACHE:
                    self.openers[lemma, lower] = candidates
            for key, pattern in candidates:
                # Most patterns open at common words: one whose paragraph lacks a word it needs
                # is not tried.
                if all(not words.isdisjoint(needed) for needed in self.needed[id(pattern)]):
                    for end in _reach_rows(self.compiled[id(pattern)], 0, rows, i, doc.vocab.strings):
                        yield key, i, end

    def _openers(self, row: list[int], strings: Any) -> list[tuple[str, list[dict[str, Any]]]]:
        """The patterns a token with this (lemma, lower-case form), as string ids, can open."""
        lemma, lower = (strings[value] for value in row)
        return [
            *self.by_lemma.get(lemma, []),
            *self.by_lower.get(lower, []),
            *((key, p) for key, p in self.other if _opens(self.compiled[id(p)][0], row, strings)),
        ]


def needed_words(pattern: tuple[_Element, ...]) -> tuple[frozenset[int], ...]:
    """The words a compiled pattern cannot match without, past its first: per check of a token
    that names its lemma or form (not a regular expression, any token or a gap), the string ids it
    accepts."""
    return tuple(ids for low, _, checks in pattern[1:] if low < 0 for _, ids, _ in checks if ids is not None)


_Check = tuple[int, frozenset[int] | None, re.Pattern[str] | None]
_Element = tuple[int, int, tuple[_Check, ...]]
"""A pattern element as `_reach_rows` reads it: a gap (its least and most tokens, no checks), or
one token (-1, -1) and its checks: the column (0 lemma, 1 lower-case form) and the string ids it
accepts, or the regular expression its text must match."""


def _compiled(element: dict[str, Any]) -> _Element:
    if "OP" in element:
        low, high = (int(n) for n in element["OP"].strip("{}").split(","))
        return low, high, ()
    checks: list[_Check] = []
    for attr, value in element.items():
        column = 0 if attr == "LEMMA" else 1
        if isinstance(value, str):
            checks.append((column, frozenset([get_string_id(value)]), None))
        elif "IN" in value:
            checks.append((column, frozenset(map(get_string_id, value["IN"])), None))
        else:
            checks.append((column, None, _regex(value["REGEX"])))
    return -1, -1, tuple(checks)


def _reach_rows(pattern: tuple[_Element, ...], p: int, rows: list[list[int]], i: int, strings: Any) -> Iterator[int]:
    """Every token index at which `pattern[p:]`, started at token `i`, can end; the tokens as
    their (lemma, lower-case form) string ids (no Token object; a string is looked up only for a
    regular expression)."""
    if p == len(pattern):
        yield i
        return
    low, high, checks = pattern[p]
    if low >= 0:
        for skip in range(low, min(high, len(rows) - i) + 1):
            yield from _reach_rows(pattern, p + 1, rows, i + skip, strings)
    elif i < len(rows) and _fits_row(checks, rows[i], strings):
        yield from _reach_rows(pattern, p + 1, rows, i + 1, strings)


def _fits_row(checks: tuple[_Check, ...], row: list[int], strings: Any) -> bool:
    for column, ids, regex in checks:
        value = row[column]
        if ids is not None:
            if value not in ids:
                return False
        elif regex is not None and not regex.search(strings[value]):
            return False
    return True


def _opens(element: _Element, row: list[int], strings: Any) -> bool:
    """Whether a token can open a pattern with this first element (one that opens with a gap can
    open anywhere)."""
    low, _, checks = element
    return low >= 0 or _fits_row(checks, row, strings)


_REGEXES: dict[str, re.Pattern[str]] = {}


def _regex(source: str) -> re.Pattern[str]:
    if source not in _REGEXES:
        _REGEXES[source] = re.compile(source)
    return _REGEXES[source]


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
    return cue_spans_of([doc])[0]


def cue_spans_of(items: Sequence[Doc | Span]) -> list[list[Span]]:
    """`cue_spans` for many passages; spans of one paragraph share one pass over its cues."""
    by_doc: dict[int, tuple[list[Span], list[int]]] = {}
    out = []
    for item in items:
        whole = item if isinstance(item, Doc) else item.doc
        if id(whole) not in by_doc:
            spans = list(whole.spans.get(SPANS_KEY, []))  # in text order, as the ruler wrote them
            by_doc[id(whole)] = (spans, [s.start for s in spans])
        spans, starts = by_doc[id(whole)]
        if isinstance(item, Doc):
            out.append(spans)
            continue
        first = bisect_left(starts, item.start)
        last = bisect_left(starts, item.end, lo=first)
        out.append([s for s in spans[first:last] if s.end <= item.end])
    return out


def cue_counts(spans: list[Span]) -> Counter[str]:
    """How often each cue list fired (overlapping duplicates of one term count once)."""
    seen = {(s.label_, s.start, s.end) for s in spans}
    return Counter(label for label, _, _ in seen)
