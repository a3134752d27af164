"""Passages -> labels: codebook cues (rules) plus trained scores, and how they combine.

- expectation: the model's calibrated probability, yes at the threshold recorded with the models
  (chosen for precision on whole documents, 0.5 for models without one), and only when a part of
  the sociale basis is named in the passage (codebook rule 1, a hard gate: a passage that names
  none scores 0 and the model is not asked); the cues that fed it are shown.
- framing: the model's choice among intrinsic / instrumental / both, for expectations only; its
  scores are written for every passage.
- spheres and actors: the codebook's sphere lexicons name the actors; the spheres model adds a
  sphere the lexicon missed when it is confident (>= 0.5). Only expectations get spheres.
- purpose: the rule-cut clause (sbtext.tag.purpose) or, for a goal statement, its goal phrase;
  its category comes from the category model over the purpose words.
- goal_statement: the goal model (>= 0.5) or, without it, the opening rule in sbtext.tag.purpose;
  a goal statement that is no expectation shows its goal phrase, else its purpose clause.

With `models="rules"` every decision falls back to the codebook alone (the baseline that
`annotations/EVALUATION.md` reports beside the models).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, cast

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, ORTH, POS, SENT_START, SPACY, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span

from sbtext.codebook import CATEGORIES, FRAMING_CLASSES, SPHERES
from sbtext.nlp import own_pipeline
from sbtext.records import Cue, Label
from sbtext.tag.model import (
    Models,
    check_codebook,
    expectation_proba,
    features,
    load_models,
)
from sbtext.tag.purpose import Purpose, PurposeRules, choose_purpose_clause, find_goal
from sbtext.tag.purpose_model import RuleCut
from sbtext.tag.rules import RULER_NAME, CueRuler, cue_counts, cue_spans_of
from sbtext.tag.scoring import positive_proba, predict, predict_proba
from sbtext.tag.tokens import passage_text, token_array

__all__ = ["FRAMING_CLASSES", "UNTAGGED", "UNTAGGED_KINDS", "Tagger", "names_the_basis"]

UNTAGGED_KINDS = frozenset({"table", "toc"})
UNTAGGED = Label(expectation=False, expectation_score=0.0, framing="none")
BATCH = 256
# Passages scored together: the models' fixed cost per call (input checks of some 50 estimators)
# is spread over more rows; the labels do not depend on it.
SCORE_BATCH = 4096
KEY_ATTRS = (ORTH, SPACY, LEMMA, POS, TAG, DEP, HEAD, SENT_START)


class Tagger:
    """Labels passages with a spaCy pipeline of its own, one codebook and one set of models.

    `nlp` is the loaded base pipeline (`sbtext.nlp.load_nlp`, shared and never changed here): the
    tagger runs it through a pipeline of its own (`self.nlp`) that adds the cue ruler of its
    codebook, so taggers with different codebooks can live side by side in one process. Models
    trained with another codebook are refused (E072) unless `allow_codebook_mismatch`.
    """

    def __init__(
        self,
        nlp: Language,
        *,
        codebook: str | Path | None = None,
        models: str | Path | None = None,
        allow_codebook_mismatch: bool = False,
    ) -> None:
        self.nlp = own_pipeline(nlp, leave_out=[RULER_NAME])
        self.nlp.add_pipe(
            "sbtext_cue_ruler_v2", name=RULER_NAME, config={"codebook": str(codebook) if codebook else None}
        )
        ruler = cast(CueRuler, self.nlp.get_pipe(RULER_NAME))
        # The codebook the ruler matches with is the one the tagger names (run.json, the models' check).
        self.codebook = ruler.codebook
        self.models = Models() if models == "rules" else load_models(models)
        if not allow_codebook_mismatch:
            check_codebook(self.models, self.codebook)
        self.rules = PurposeRules.of(self.codebook)

    @property
    def threshold(self) -> float:
        """The expectation threshold recorded with the models (0.5 without one)."""
        return self.models.threshold

    def docs(self, texts: Iterable[str]) -> Iterator[Doc]:
        return self.nlp.pipe(texts, batch_size=BATCH)

    def tag_many(self, texts: Iterable[str]) -> Iterator[Label]:
        """Label texts as passages, in order, scoring them in batches."""
        docs = self.docs(texts)
        while batch := list(islice(docs, SCORE_BATCH)):
            yield from self.tag_docs(batch)

    def tag(self, text: str) -> Label:
        return next(self.tag_many([text]))

    def tag_spans(
        self, texts: Sequence[str], spans: Sequence[Span | None], kinds: Sequence[str] | None = None
    ) -> list[Label]:
        """Label passages already processed by this pipeline (as spans of their paragraph); a
        passage without a span is processed here. Passages of an untagged kind (table rows,
        table-of-contents entries; see `kinds`) get the empty label `UNTAGGED`."""
        if kinds is not None and any(k in UNTAGGED_KINDS for k in kinds):
            keep = [i for i, k in enumerate(kinds) if k not in UNTAGGED_KINDS]
            tagged = iter(self.tag_spans([texts[i] for i in keep], [spans[i] for i in keep]))
            kept = set(keep)
            return [next(tagged) if i in kept else UNTAGGED for i in range(len(texts))]
        missing = iter(self.docs(t for t, s in zip(texts, spans) if s is None))
        items = [s if s is not None else next(missing) for s in spans]
        # The cues of all passages in one pass: per batch, a long paragraph's cues would be sorted
        # again for every batch of its sentences (quadratic in the paragraph's length).
        cues = cue_spans_of(items)
        # Passages alike in every token attribute and cue are labelled alike: each is tagged once
        # (a page that repeats one line 40,000 times costs one passage's tagging).
        arrays: dict[int, np.ndarray] = {}
        keys = [_passage_key(item, found, arrays) for item, found in zip(items, cues)]
        first: dict[tuple[Any, ...], int] = {}
        unique = [i for i, key in enumerate(keys) if first.setdefault(key, i) == i]
        labels = []
        for k in range(0, len(unique), SCORE_BATCH):
            batch = unique[k : k + SCORE_BATCH]
            labels += self.tag_docs(
                [items[i] for i in batch], cues=[cues[i] for i in batch], cue_rows=[keys[i][1] for i in batch]
            )
        by_key = dict(zip((keys[i] for i in unique), labels))
        return [by_key[key] for key in keys]

    def tag_docs(
        self,
        docs: Sequence[Doc | Span],
        *,
        cues: list[list[Span]] | None = None,
        cue_rows: Sequence[tuple[CueRow, ...]] | None = None,
    ) -> list[Label]:
        """Label passages processed by this pipeline, each decision taken only where it counts
        (`cues`: each passage's cue spans, and `cue_rows` the same as `_passage_key` reads them,
        when the caller has them)."""
        cues = cue_spans_of(docs) if cues is None else cues
        texts: dict[int, str] = {}  # each paragraph's text, cut once for its passages
        passages = [_Passage.of(doc, found, self.rules, passage_text(doc, texts)) for doc, found in zip(docs, cues)]
        for p, rows in zip(passages, cue_rows or ()):
            p.cue_rows = rows
        m = self.models
        x = None
        if m.featurizer:
            has_purpose = [p.purpose is not None for p in passages]
            x = m.transform(features(docs, has_purpose=has_purpose, cues=cues, texts=texts))
        self._decide_expectation(passages, x)
        # Framing scores are written for every passage (the model's reading), framing itself
        # only for expectations.
        for p, framing in zip(passages, _framing_scores(m, x, cues)):
            p.framing = framing
        goal = positive_proba(m.goal, x) if m.goal is not None else None
        for k, p in enumerate(passages):
            p.is_goal = bool(goal[k] >= 0.5) if goal is not None else p.goal is not None
        self._decide_spheres(passages, x)
        self._decide_purpose(passages, texts)
        return [p.label() for p in passages]

    def _decide_expectation(self, passages: list[_Passage], x: Any) -> None:
        """The model's (or the rules') score, only for passages that pass codebook rule 1: a
        passage that names no part of the sociale basis scores 0 and is no expectation."""
        named = [k for k, p in enumerate(passages) if p.names_basis]
        if not named:
            return
        if self.models.expectation:
            scores = expectation_proba(self.models, x[named])
        else:
            scores = np.array([_rule_expectation(passages[k].cues) for k in named])
        for k, score in zip(named, scores):
            passages[k].score = float(score)
            passages[k].is_expectation = passages[k].score >= self.threshold

    def _decide_spheres(self, passages: list[_Passage], x: Any) -> None:
        """Spheres for expectations only: the lexicon's, plus the model's where it is confident."""
        rows = [k for k, p in enumerate(passages) if p.is_expectation]
        proba = predict_proba(self.models.spheres, x[rows]) if self.models.spheres and rows else [None] * len(rows)
        for k, row in zip(rows, proba):
            passages[k].spheres = self._spheres(passages[k].cues, row)

    def _decide_purpose(self, passages: list[_Passage], texts: dict[int, str] | None = None) -> None:
        """The purpose an expectation or goal statement shows, and its category."""
        for p in passages:
            if self.models.purpose is not None and (p.is_expectation or p.is_goal):
                # An expectation shows its own purpose, cut as one, even when it is a goal statement too.
                goal = p.is_goal and not p.is_expectation
                p.purpose, p.goal = self.cut_purpose(p.doc, goal=goal, cues=p.cues, rule_cut=(p.goal, p.purpose)), None
        shown = [p for p in passages if p.choose()]
        for p, category in zip(shown, self.categories([p.purpose_span() for p in shown], texts=texts)):
            p.category = category

    def cut_purpose(
        self,
        doc: Doc | Span,
        *,
        goal: bool,
        cues: list[Span] | None = None,
        rule_cut: RuleCut | None = None,
    ) -> Purpose | None:
        """The purpose span of a passage that shows one (an expectation, or a goal statement when
        `goal`): the learned span model's, or without it the rules' clause, else their goal phrase
        (`rule_cut`: the rules' goal phrase and clause, when the caller has them)."""
        if self.models.purpose is not None:
            return self.models.purpose.cut(doc, self.rules, goal=goal, cues=cues, rule_cut=rule_cut)
        phrase, clause = rule_cut or (find_goal(doc, self.rules), choose_purpose(doc, cues, self.rules))
        return _chosen(not goal, goal, clause, phrase)

    def _spheres(self, spans: list[Any], proba: Any) -> tuple[str, ...]:
        found = {s.label_.split(":", 1)[1] for s in spans if s.label_.startswith("sphere:")}
        if proba is not None:
            found |= {name for name, p in zip(self.models.sphere_names, proba) if p >= 0.5}
        return tuple(s for s in SPHERES if s in found)

    def categories(self, purposes: Sequence[str | Doc | Span], *, texts: dict[int, str] | None = None) -> list[str]:
        """The purpose category of each purpose (its text, or its tokens already processed): the
        model, else the codebook's lexicons (`texts`: documents' texts by id, see `passage_text`)."""
        if not purposes:
            return []
        processed = iter(self.docs(p for p in purposes if isinstance(p, str)))
        docs = [next(processed) if isinstance(p, str) else p for p in purposes]
        if self.models.category is not None:
            x = self.models.transform(features(docs, has_purpose=[True] * len(docs), texts=texts))
            return [str(c) for c in predict(self.models.category, x)]
        return [rule_category(cues) for cues in cue_spans_of(docs)]


@dataclass
class _Passage:
    """One passage on its way to a label: what the rules found, then each decision as it is taken."""

    doc: Doc | Span
    text: str
    cues: list[Span]
    purpose: Purpose | None
    goal: Purpose | None
    names_basis: bool
    score: float = 0.0
    is_expectation: bool = False
    framing: dict[str, float] = field(default_factory=dict)
    is_goal: bool = False
    spheres: tuple[str, ...] = ()
    chosen: Purpose | None = None
    category: str = ""
    cue_rows: tuple[CueRow, ...] | None = None  # the cues as `_passage_key` read them

    @classmethod
    def of(cls, doc: Doc | Span, cues: list[Span], rules: PurposeRules, text: str) -> _Passage:
        """The passage `doc` (whose text is `text`) with its cues and the rules' cuts."""
        purpose = choose_purpose(doc, cues, rules)
        return cls(doc, text, cues, purpose, find_goal(doc, rules), names_the_basis(cues))

    def choose(self) -> Purpose | None:
        """Settle the purpose the passage shows (see `_chosen`), once expectation and goal are known."""
        self.chosen = _chosen(self.is_expectation, self.is_goal, self.purpose, self.goal)
        return self.chosen

    @property
    def purpose_text(self) -> str:
        chosen = self.chosen
        return self.text[chosen.start : chosen.end] if chosen else ""

    def purpose_span(self) -> Span | str:
        """The chosen purpose's own tokens in the passage, or its text where they do not align."""
        chosen = self.chosen
        span = self.doc.char_span(chosen.start, chosen.end) if chosen else None
        return span or self.purpose_text

    def label(self) -> Label:
        rows = self.cue_rows if self.cue_rows is not None else cue_rows(self.doc, self.cues)
        strings = self.doc.vocab.strings
        cues = tuple(
            Cue(strings[label], strings[rule], self.text[start:end], start, end) for start, end, label, _, rule in rows
        )
        chosen, purpose = self.chosen, self.purpose_text
        if chosen:
            cues += (Cue("purpose", chosen.marker, purpose, chosen.start, chosen.end),)
        framing = self.framing
        return Label(
            expectation=self.is_expectation,
            expectation_score=round(self.score, 4),
            framing=max(framing, key=lambda f: framing[f]) if self.is_expectation else "none",
            framing_scores={f: round(v, 4) for f, v in framing.items()},
            spheres=self.spheres,
            actors=tuple(dict.fromkeys(c.text.lower() for c in cues if c.label.startswith("sphere:"))),
            purpose=purpose,
            purpose_start=chosen.start if chosen else -1,
            purpose_end=chosen.end if chosen else -1,
            purpose_category=self.category,
            goal_statement=self.is_goal,
            cues=cues,
        )


def _chosen(is_expectation: bool, is_goal: bool, purpose: Purpose | None, goal: Purpose | None) -> Purpose | None:
    """An expectation shows its purpose clause, or its goal phrase when it has none; a goal
    statement that is no expectation shows its goal phrase, else its purpose clause; any other
    passage shows no purpose."""
    if is_expectation:
        return purpose or goal
    if is_goal:
        return goal or purpose
    return None


def names_the_basis(cues: list[Span]) -> bool:
    """Codebook rule 1: a part of the sociale basis (or the concept itself) is named in the passage."""
    return any(s.label_ == "core" or s.label_.startswith("sphere:") for s in cues)


def choose_purpose(
    doc: Doc | Span, cues: list[Span] | None = None, rules: PurposeRules | None = None
) -> Purpose | None:
    """The rules' purpose clause (see `sbtext.tag.purpose.choose_purpose_clause`)."""
    return choose_purpose_clause(doc, cues, rules)


def _framing_scores(m: Models, x: Any, cues: list[list[Span]]) -> list[dict[str, float]]:
    if m.framing is None:
        return [rule_framing(c) for c in cues]
    proba = predict_proba(m.framing, x)
    classes = list(m.framing.classes_)
    return [{f: float(row[classes.index(f)]) if f in classes else 0.0 for f in FRAMING_CLASSES} for row in proba]


def _rule_expectation(cues: list[Span]) -> float:
    """Codebook-only expectation: an actor of the sociale basis and role or purpose language."""
    counts = cue_counts(cues)
    actor = counts["core"] + sum(counts[f"sphere:{s}"] for s in SPHERES)
    role = counts["expectation"] + counts["purpose_markers"] + counts["instrumental"]
    describe = counts["describe"]
    return 1.0 if actor and role and role > describe else 0.0


def rule_framing(cues: list[Span]) -> dict[str, float]:
    """Codebook-only framing scores from the balance of intrinsic and instrumental cues."""
    counts = cue_counts(cues)
    intrinsic, instrumental = counts["intrinsic"], counts["instrumental"]
    if intrinsic and instrumental:
        return {"intrinsic": 0.2, "instrumental": 0.3, "both": 0.5}
    if intrinsic > instrumental:
        return {"intrinsic": 0.8, "instrumental": 0.1, "both": 0.1}
    return {"intrinsic": 0.1, "instrumental": 0.8, "both": 0.1}


def rule_category(cues: list[Span]) -> str:
    """Codebook-only category: the category whose words occur most (earlier wins ties)."""
    counts = cue_counts(cues)
    best = max(CATEGORIES[:-1], key=lambda c: (counts[f"category:{c}"], -CATEGORIES.index(c)))
    return best if counts[f"category:{best}"] else "other"


def format_cues(cues: Iterable[Cue]) -> str:
    groups: dict[str, list[str]] = {}
    for cue in cues:
        words = cue.text if cue.label != "purpose" else cue.rule
        groups.setdefault(cue.label, [])
        if words not in groups[cue.label]:
            groups[cue.label].append(words)
    return " | ".join(f"{label}: {', '.join(words)}" for label, words in groups.items())


def _passage_key(item: Doc | Span, cues: list[Span], arrays: dict[int, np.ndarray]) -> tuple[Any, ...]:
    """Everything a passage's label is computed from: its tokens with their attributes (text,
    trailing space, lemma, tags, dependency, head offset, sentence start: rows of an array, not a
    Token object per word; `arrays` holds them by document), and its cues relative to its start."""
    return token_array(item, KEY_ATTRS, arrays).tobytes(), cue_rows(item, cues)


CueRow = tuple[int, int, int, int, int]
"""A cue as (start, end, label, knowledge-base id, rule), offsets in its passage, the three names
as string ids."""


def cue_rows(item: Doc | Span, cues: list[Span]) -> tuple[CueRow, ...]:
    """The cue spans of the passage `item` as rows (a passage's cues are read once: each
    attribute of a Span is a lookup, and a name's text another)."""
    start = item.start_char if isinstance(item, Span) else 0
    return tuple((c.start_char - start, c.end_char - start, c.label, c.kb_id, c.id) for c in cues)
