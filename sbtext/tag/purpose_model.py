"""The "waartoe" learned: a conditional random field that marks the purpose span token by token.

The rules of `sbtext.tag.purpose` cut a clause after a marker; annotators cut more kinds of span
(a whole nominal goal line, an end after "zorgt voor", a clause the rules end too early). The
span model learns those boundaries from the gold spans: a linear-chain CRF (CRFsuite) over BIO
labels, with features of each token (form, lemma, shape), of its neighbours, of the nearest
purpose marker before it (the codebook's `purpose_clauses.markers`), of clause boundaries and of
its position, plus what the rules cut (their span is a feature, not the answer). A passage where
it marks no token has no purpose: the model can say "none".

It is applied only to passages that show a purpose (expectations and goal statements), as the
codebook annotates purposes only there, and it is told which of the two the passage is. Saved as
CRFsuite's own binary model file (no code runs on load).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.attrs import IDX, LEMMA, ORTH
from spacy.lexeme import Lexeme
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from sbtext.tag.purpose import Purpose, PurposeRules, choose_purpose_clause, find_goal, marker_at
from sbtext.tag.tokens import token_array

FILE_NAME = "purpose.crfsuite"
# L1 and L2 strengths and iterations of CRFsuite's L-BFGS training.
SETTINGS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
MARKER_REACH = (1, 2, 3, 5, 8, 13)  # distance buckets (tokens) from the nearest marker before


@dataclass
class SpanModel:
    """A trained CRF purpose-span model, held as the bytes of its CRFsuite file."""

    model: bytes
    _tagger: Any = field(default=None, repr=False, compare=False)

    @property
    def tagger(self) -> Any:
        if self._tagger is None:
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open_inmemory(self.model)
        return self._tagger

    def cut(
        self,
        doc: Doc | Span,
        rules: PurposeRules,
        *,
        goal: bool,
        cues: list[Span] | None = None,
        rule_cut: RuleCut | None = None,
    ) -> Purpose | None:
        """The purpose span of one passage (an expectation, or a goal statement when `goal`), or
        None; `rule_cut`: the rules' goal phrase and purpose clause, when the caller has them."""
        if not len(doc):
            return None
        columns = _token_columns(doc)
        tags = self.tagger.tag(_items(doc, columns, rules, goal=goal, cues=cues, cut=rule_cut))
        return _span(columns, tags, rules)

    def save(self, folder: Path) -> None:
        tmp = folder / f".{FILE_NAME}.tmp"
        tmp.write_bytes(self.model)
        tmp.replace(folder / FILE_NAME)


def load_span_model(folder: Path) -> SpanModel | None:
    """The span model saved in `folder`, or None when there is none (the rules cut then)."""
    file = folder / FILE_NAME
    return SpanModel(file.read_bytes()) if file.is_file() else None


def fit_span_model(
    docs: Sequence[Doc | Span], purposes: Sequence[str], goals: Sequence[bool], rules: PurposeRules
) -> SpanModel | None:
    """Train on passages that show a purpose (gold expectations and goal statements) with their
    gold purpose text ("" for none); None when no passage has a purpose to learn from."""
    if not any(purposes):
        return None
    trainer = pycrfsuite.Trainer(verbose=False)
    for doc, purpose, goal in zip(docs, purposes, goals):
        if len(doc):
            trainer.append(token_features(doc, rules, goal=goal), bio_labels(doc, purpose))
    trainer.set_params(SETTINGS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / FILE_NAME
        trainer.train(str(path))
        return SpanModel(path.read_bytes())


def bio_labels(doc: Doc | Span, purpose: str) -> list[str]:
    """B/I/O per token of the gold purpose, a substring of the passage (its first occurrence);
    a token that the span only partly covers counts as inside."""
    labels = ["O"] * len(doc)
    at = doc.text.find(purpose) if purpose else -1
    if at < 0:
        return labels
    offset = doc[0].idx
    inside = [k for k, t in enumerate(doc) if t.idx - offset < at + len(purpose) and t.idx - offset + len(t) > at]
    for n, k in enumerate(inside):
        labels[k] = "B" if n == 0 else "I"
    return labels


def span_of(doc: Doc | Span, tags: Sequence[str], rules: PurposeRules) -> Purpose | None:
    """The first run of tokens the model marks (B then I's; an I with no B before opens one too),
    as character offsets in the passage, named after the marker just before it."""
    return _span(_token_columns(doc), tags, rules)


def _span(columns: Columns, tags: Sequence[str], rules: PurposeRules) -> Purpose | None:
    start = next((k for k, tag in enumerate(tags) if tag != "O"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(tags) and tags[end] == "I":
        end += 1
    _, texts, idx = columns
    words = [t.lower() for t in texts[max(0, start - 5) : start]]
    return Purpose(idx[start], idx[end - 1] + len(texts[end - 1]), _marker_before(words, rules))


def _marker_before(words: list[str], rules: PurposeRules) -> str:
    """The marker that ends just before a span, among the (up to five) `words` before it."""
    for i in range(len(words) - 1, -1, -1):
        marker = marker_at(rules, words, i)
        if marker and i + len(marker) <= len(words):
            return " ".join(marker)
    return "model"


def token_features(
    doc: Doc | Span,
    rules: PurposeRules,
    *,
    goal: bool,
    cues: list[Span] | None = None,
    cut: RuleCut | None = None,
) -> list[list[str]]:
    """One item per token in CRFsuite's format, a list of attribute names (a name twice counts
    2): the token and its neighbours, the nearest marker before it, clause and position, the
    rules' cut (`cut`: their goal phrase and purpose clause when the caller has them), whether the
    passage is a goal. See `attributes` for how named values become names.

    Read from the token arrays, with each word's attributes made once per word (`_WORDS`): a Token
    object and a dict per word and neighbour cost more than the tagging itself."""
    return _items(doc, _token_columns(doc), rules, goal=goal, cues=cues, cut=cut)


def _items(
    doc: Doc | Span,
    columns: Columns,
    rules: PurposeRules,
    *,
    goal: bool,
    cues: list[Span] | None,
    cut: RuleCut | None,
) -> list[list[str]]:
    hashes, texts, idx = columns
    words = [_WORDS.get(doc.vocab, word, lemma, rules) for word, lemma in hashes]
    rule_tags = _rule_tags(doc, idx, rules, cues, cut)
    head = ["bias", "goal"] if goal else ["bias"]
    n, out = len(texts), []
    # Each word's neighbour attributes at each distance, with the passage's edges beyond its ends.
    near = {d: [EDGES[d]] * max(-d, 0) + [w.near[d] for w in words] + [EDGES[d]] * max(d, 0) for d in (-2, -1, 1, 2)}
    for k, (marker, distance, clauses) in enumerate(_marker_context(rules, texts, [w.lower for w in words])):
        tag = rule_tags[k]
        item = [
            *head,
            *words[k].own,
            *near[-2][k],
            *near[-1][k],
            *near[1][k + 1],
            *near[2][k + 2],
            _RULE[tag],
            _RULE_PREV[rule_tags[k - 1] if k else "^"],
            _RULE_GOAL[tag, goal],
            *_position(k, n),
        ]
        if marker:
            item += [f"marker:{marker}", f"marker_reach:{_bucket(distance)}", f"marker_goal:{marker}|{goal}"]
            item += ["marker_clauses"] * min(clauses, 2)  # a count: the name as often
        else:
            item.append("no_marker")
        out.append(item)
    return out


def attributes(values: Mapping[str, str | int]) -> list[str]:
    """Named values as CRFsuite attribute names, as it reads a dict item: a text value as
    "name:value", a count as the name that many times (a true flag once, a false one not at all)."""
    out = []
    for name, value in values.items():
        if isinstance(value, str):
            out.append(f"{name}:{value}")
        else:
            out += [name] * int(value)
    return out


_RULE_TAGS = ("P", "G", "O")  # what `_rule_tags` marks
_RULE = {t: f"rule:{t}" for t in _RULE_TAGS}
_RULE_PREV = {t: f"rule_prev:{t}" for t in (*_RULE_TAGS, "^")}
_RULE_GOAL = {(t, g): f"rule_goal:{t}|{g}" for t in _RULE_TAGS for g in (False, True)}
BRACKETS = ("(", ")")
NEIGHBOUR_KEYS = ("lower", "shape", "punct", "infinitive", "boundary")
EDGES = {d: [f"{d}:edge"] for d in (-2, -1, 1, 2)}
COLUMNS = (ORTH, LEMMA, IDX)
RuleCut = tuple["Purpose | None", "Purpose | None"]  # the rules' goal phrase and purpose clause


Columns = tuple[list[tuple[int, int]], list[str], list[int]]


def _token_columns(doc: Doc | Span) -> Columns:
    """Per token: its (form, lemma) hashes, its text and its offset in the passage."""
    rows = token_array(doc, COLUMNS).tolist()
    strings = doc.vocab.strings
    offset = rows[0][2] if rows else 0
    return [(o, lemma) for o, lemma, _ in rows], [strings[o] for o, _, _ in rows], [i - offset for _, _, i in rows]


@dataclass(frozen=True)
class _Word:
    """A word's attributes: its own, and as the neighbour at each distance."""

    lower: str
    own: list[str]
    near: dict[int, list[str]]

    @classmethod
    def of(cls, lexeme: Lexeme, lemma: str, rules: PurposeRules) -> _Word:
        own = word_features(lexeme, lemma, rules)
        shared = {name: value for name, value in own.items() if name in NEIGHBOUR_KEYS}
        near = {d: attributes({f"{d}:{name}": value for name, value in shared.items()}) for d in (-2, -1, 1, 2)}
        return cls(str(own["lower"]), attributes(own), near)


@dataclass
class _WordStore:
    """Each word's attributes, made once per word form, lemma and rule set (up to `WORD_CACHE`
    words, then the store starts again)."""

    words: dict[tuple[int, int, int], _Word] = field(default_factory=dict)
    rules: dict[int, PurposeRules] = field(default_factory=dict)  # keeps each rule set (its id is in the keys)

    def get(self, vocab: Vocab, word: int, lemma: int, rules: PurposeRules) -> _Word:
        key = (word, lemma, id(rules))
        found = self.words.get(key)
        if found is None:
            if len(self.words) >= WORD_CACHE:
                self.words.clear()
                self.rules.clear()
            self.rules[id(rules)] = rules
            found = self.words[key] = _Word.of(vocab[word], vocab.strings[lemma], rules)
        return found


WORD_CACHE = 1 << 15
_WORDS = _WordStore()


def word_features(lexeme: Lexeme, lemma: str, rules: PurposeRules) -> dict[str, str | bool]:
    """A word's own features, by name."""
    word, text = lexeme.lower_, lexeme.orth_
    return {
        "lower": word,
        "lemma": lemma.lower(),
        "suffix": word[-3:],
        "shape": _shape(text),
        "punct": lexeme.is_punct,
        "title": lexeme.is_title,
        "infinitive": word.isalpha() and (word.endswith("en") or word in rules.short_infinitives) and len(word) > 2,
        "boundary": text in rules.boundaries or text in BRACKETS,
    }


def _shape(text: str) -> str:
    shape = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in text[:4])
    return shape + ("+" if len(text) > 4 else "")


def _position(k: int, n: int) -> list[str]:
    """Whether token `k` of `n` opens or closes the passage, and its distance from either end."""
    near = MARKER_REACH[-1] + 1  # beyond it every distance is "far"
    key = (k == 0, k == n - 1, min(k, near), min(n - 1 - k, near))
    found = _POSITIONS.get(key)
    if found is None:
        ends = ["first"] * (k == 0) + ["last"] * (k == n - 1)
        found = _POSITIONS[key] = [*ends, _FROM_START[_bucket(k)], _TO_END[_bucket(n - 1 - k)]]
    return found


_POSITIONS: dict[tuple[bool, bool, int, int], list[str]] = {}  # a few hundred at most


def _bucket(distance: int) -> str:
    """The distance bucket of `distance` tokens (`MARKER_REACH`), "far" beyond the last."""
    return _BUCKETS[max(distance, 0)] if distance < len(_BUCKETS) else "far"


_BUCKETS = [next((f"<={b}" for b in MARKER_REACH if d <= b), "far") for d in range(MARKER_REACH[-1] + 1)]
_FROM_START = {b: f"from_start:{b}" for b in [*_BUCKETS, "far"]}
_TO_END = {b: f"to_end:{b}" for b in [*_BUCKETS, "far"]}


def _marker_context(rules: PurposeRules, texts: list[str], words: list[str]) -> Iterator[tuple[str, int, int]]:
    """Per token (its text and lower-case form): the nearest marker that ends before it (its
    words, "" for none), how many tokens back it ends, and how many clause breaks lie between
    them; a token inside a marker is "in:<marker>"."""
    current, end, clauses = "", 0, 0
    inside: dict[int, str] = {}
    for k, text in enumerate(texts):
        marker = marker_at(rules, words, k)
        if marker and k not in inside:
            name = " ".join(marker)
            inside.update({j: name for j in range(k, k + len(marker))})
        if k in inside:
            yield f"in:{inside[k]}", 0, 0
            if k + 1 not in inside or inside.get(k + 1) != inside[k]:
                current, end, clauses = inside[k], k + 1, 0
            continue
        if text in rules.boundaries or text == ",":
            clauses += 1
        yield current, k - end + 1, clauses


def _rule_tags(
    doc: Doc | Span, idx: list[int], rules: PurposeRules, cues: list[Span] | None, cut: RuleCut | None
) -> list[str]:
    """What the rules cut, as a tag per token (`idx`: the tokens' offsets in the passage): "P"
    inside their purpose clause, "G" inside their goal phrase, "O" elsewhere."""
    tags = ["O"] * len(idx)
    goal, clause = cut if cut is not None else (find_goal(doc, rules), choose_purpose_clause(doc, cues, rules))
    for tag, found in (("G", goal), ("P", clause)):
        if found is None:
            continue
        for k, at in enumerate(idx):
            if found.start <= at < found.end:
                tags[k] = tag
    return tags
