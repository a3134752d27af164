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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycrfsuite
from spacy.tokens import Doc, Span, Token

from sbtext.tag.purpose import Purpose, PurposeRules, choose_purpose_clause, find_goal, marker_at

FILE_NAME = "purpose.crfsuite"
# L1 and L2 strengths and iterations of CRFsuite's L-BFGS training.
SETTINGS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}
MARKER_REACH = (1, 2, 3, 5, 8, 13)  # distance buckets (tokens) from the nearest marker before
Features = list[dict[str, Any]]


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
        self, doc: Doc | Span, rules: PurposeRules, *, goal: bool, cues: list[Span] | None = None
    ) -> Purpose | None:
        """The purpose span of one passage (an expectation, or a goal statement when `goal`), or None."""
        if not len(doc):
            return None
        tags = self.tagger.tag(token_features(doc, rules, goal=goal, cues=cues))
        return span_of(doc, tags, rules)

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
    tokens = list(doc)
    start = next((k for k, tag in enumerate(tags) if tag != "O"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(tags) and tags[end] == "I":
        end += 1
    offset = tokens[0].idx
    first, last = tokens[start], tokens[end - 1]
    return Purpose(first.idx - offset, last.idx + len(last.text) - offset, _marker_before(tokens, start, rules))


def _marker_before(tokens: list[Token], start: int, rules: PurposeRules) -> str:
    words = [t.lower_ for t in tokens]
    for i in range(start - 1, max(-1, start - 6), -1):
        marker = marker_at(rules, words, i)
        if marker and i + len(marker) <= start:
            return " ".join(marker)
    return "model"


def token_features(
    doc: Doc | Span, rules: PurposeRules, *, goal: bool, cues: list[Span] | None = None
) -> list[dict[str, Any]]:
    """One feature dict per token (CRFsuite's item format): the token and its neighbours, the
    nearest marker before it, clause and position, the rules' cut, whether the passage is a goal."""
    tokens = list(doc)
    words = [t.lower_ for t in tokens]
    own = [_own(t, rules) for t in tokens]
    rule_tags = _rule_tags(doc, rules, cues)
    out = []
    for k, (marker, distance, clauses) in enumerate(_marker_context(rules, tokens, words)):
        f: dict[str, Any] = {"bias": 1.0, "goal": goal, **own[k], "rule": rule_tags[k]}
        for d in (-2, -1, 1, 2):
            if 0 <= k + d < len(tokens):
                f.update({f"{d}:{name}": value for name, value in own[k + d].items() if name in NEIGHBOUR_KEYS})
            else:
                f[f"{d}:edge"] = True
        f.update(_position(k, len(tokens)))
        f["rule_prev"] = rule_tags[k - 1] if k else "^"
        f["rule_goal"] = f"{rule_tags[k]}|{goal}"
        if marker:
            f.update({"marker": marker, "marker_reach": _bucket(distance), "marker_clauses": min(clauses, 2)})
            f["marker_goal"] = f"{marker}|{goal}"
        else:
            f["no_marker"] = True
        out.append(f)
    return out


BRACKETS = ("(", ")")
NEIGHBOUR_KEYS = ("lower", "shape", "punct", "marker_here", "infinitive", "boundary")


def _own(token: Token, rules: PurposeRules) -> dict[str, Any]:
    word = token.lower_
    return {
        "lower": word,
        "lemma": token.lemma_.lower(),
        "suffix": word[-3:],
        "shape": _shape(token.text),
        "punct": token.is_punct,
        "title": token.is_title,
        "infinitive": word.isalpha() and (word.endswith("en") or word in rules.short_infinitives) and len(word) > 2,
        "boundary": token.text in rules.boundaries or token.text in BRACKETS,
    }


def _shape(text: str) -> str:
    shape = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in text[:4])
    return shape + ("+" if len(text) > 4 else "")


def _position(k: int, n: int) -> dict[str, Any]:
    return {"first": k == 0, "last": k == n - 1, "from_start": _bucket(k), "to_end": _bucket(n - 1 - k)}


def _bucket(distance: int) -> str:
    return next((f"<={b}" for b in MARKER_REACH if distance <= b), "far")


def _marker_context(rules: PurposeRules, tokens: list[Token], words: list[str]) -> Iterator[tuple[str, int, int]]:
    """Per token: the nearest marker that ends before it (its words, "" for none), how many tokens
    back it ends, and how many clause breaks lie between them; a token inside a marker is
    "in:<marker>"."""
    current, end, clauses = "", 0, 0
    inside: dict[int, str] = {}
    for k in range(len(tokens)):
        marker = marker_at(rules, words, k)
        if marker and k not in inside:
            name = " ".join(marker)
            inside.update({j: name for j in range(k, k + len(marker))})
        if k in inside:
            yield f"in:{inside[k]}", 0, 0
            if k + 1 not in inside or inside.get(k + 1) != inside[k]:
                current, end, clauses = inside[k], k + 1, 0
            continue
        if tokens[k].text in rules.boundaries or tokens[k].text == ",":
            clauses += 1
        yield current, k - end + 1, clauses


def _rule_tags(doc: Doc | Span, rules: PurposeRules, cues: list[Span] | None) -> list[str]:
    """What the rules cut, as a tag per token: "P" inside their purpose clause, "G" inside their
    goal phrase, "O" elsewhere."""
    tags = ["O"] * len(doc)
    offset = doc[0].idx
    for tag, found in (("G", find_goal(doc, rules)), ("P", choose_purpose_clause(doc, cues, rules))):
        if found is None:
            continue
        for k, t in enumerate(doc):
            if found.start <= t.idx - offset < found.end:
                tags[k] = tag
    return tags
