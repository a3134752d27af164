"""Passages -> labels: codebook cues (rules) plus trained scores, and how they combine.

- expectation: the model's calibrated probability, yes at the threshold recorded with the models
  (chosen for precision on whole documents, 0.5 for models without one), and only when a part of
  the sociale basis is named in the passage (codebook rule 1, a hard gate after the model); the
  cues that fed it are shown.
- framing: the model's choice among intrinsic / instrumental / both, for expectations only.
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

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, cast

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from sbtext.codebook import CATEGORIES, FRAMING_CLASSES, SPHERES
from sbtext.nlp import own_pipeline
from sbtext.records import Cue, Label
from sbtext.tag.model import Models, check_codebook, expectation_proba, features, load_models, positive_proba
from sbtext.tag.purpose import Purpose, PurposeRules, find_goal, find_purposes
from sbtext.tag.rules import RULER_NAME, CueRuler, cue_counts, cue_spans, cue_spans_of

__all__ = ["FRAMING_CLASSES", "UNTAGGED", "UNTAGGED_KINDS", "Tagger", "label_row", "names_the_basis"]

UNTAGGED_KINDS = frozenset({"table", "toc"})
UNTAGGED = Label(expectation=False, expectation_score=0.0, framing="none")
BATCH = 256


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
        while batch := list(islice(docs, BATCH)):
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
        keys = [_passage_key(item, found) for item, found in zip(items, cues)]
        first: dict[tuple[Any, ...], int] = {}
        unique = [i for i, key in enumerate(keys) if first.setdefault(key, i) == i]
        labels = [
            label
            for k in range(0, len(unique), BATCH)
            for label in self.tag_docs(
                [items[i] for i in unique[k : k + BATCH]], cues=[cues[i] for i in unique[k : k + BATCH]]
            )
        ]
        by_key = dict(zip((keys[i] for i in unique), labels))
        return [by_key[key] for key in keys]

    def tag_docs(self, docs: Sequence[Doc | Span], *, cues: list[list[Span]] | None = None) -> list[Label]:
        cues = cue_spans_of(docs) if cues is None else cues
        purposes = [choose_purpose(d, c, self.rules) for d, c in zip(docs, cues)]
        goals = [find_goal(d, self.rules) for d in docs]
        m = self.models
        x = None
        if m.featurizer:
            x = m.transform(features(docs, has_purpose=[p is not None for p in purposes], cues=cues))
        named = np.array([names_the_basis(c) for c in cues], dtype=bool)
        model = expectation_proba(m, x) if m.expectation else np.array([_rule_expectation(c) for c in cues])
        # Rule 1 as a hard gate: a passage that names no part of the sociale basis scores 0.
        expect = np.where(named, model, 0.0)
        is_expectation = [bool(named[k]) and float(expect[k]) >= self.threshold for k in range(len(docs))]
        framing = _framing_scores(m, x, cues)
        spheres = m.spheres.predict_proba(x) if m.spheres else None
        is_goal = [g is not None for g in goals]
        if m.goal is not None:
            is_goal = [bool(p >= 0.5) for p in positive_proba(m.goal, x)]
        chosen = [_chosen(is_expectation[k], is_goal[k], purposes[k], goals[k]) for k in range(len(docs))]
        texts = [doc.text[c.start : c.end] if c else "" for doc, c in zip(docs, chosen)]
        # The purpose's own tokens in the passage, or its text where they do not align.
        spans = [doc.char_span(c.start, c.end) or text if c else None for doc, c, text in zip(docs, chosen, texts)]
        categories = iter(self.categories([s for s in spans if s is not None]))
        return [
            self._label(
                doc,
                is_expectation[k],
                float(expect[k]),
                framing[k],
                cues[k],
                spheres[k] if spheres is not None else None,
                chosen[k],
                texts[k],
                is_goal[k],
                next(categories) if spans[k] is not None else "",
            )
            for k, doc in enumerate(docs)
        ]

    def _label(
        self,
        doc: Doc | Span,
        is_expectation: bool,
        score: float,
        framing: dict[str, float],
        spans: list[Span],
        sphere_proba: Any,
        chosen: Purpose | None,
        purpose: str,
        is_goal: bool,
        category: str,
    ) -> Label:
        offset = doc[0].idx if len(doc) else 0
        cues = tuple(Cue(s.label_, s.id_, s.text, s.start_char - offset, s.end_char - offset) for s in spans)
        if chosen:
            cues += (Cue("purpose", chosen.marker, purpose, chosen.start, chosen.end),)
        return Label(
            expectation=is_expectation,
            expectation_score=round(score, 4),
            framing=max(framing, key=lambda f: framing[f]) if is_expectation else "none",
            framing_scores={f: round(v, 4) for f, v in framing.items()},
            spheres=self._spheres(spans, sphere_proba) if is_expectation else (),
            actors=tuple(dict.fromkeys(s.text.lower() for s in spans if s.label_.startswith("sphere:"))),
            purpose=purpose,
            purpose_start=chosen.start if chosen else -1,
            purpose_end=chosen.end if chosen else -1,
            purpose_category=category,
            goal_statement=is_goal,
            cues=cues,
        )

    def _spheres(self, spans: list[Any], proba: Any) -> tuple[str, ...]:
        found = {s.label_.split(":", 1)[1] for s in spans if s.label_.startswith("sphere:")}
        if proba is not None:
            found |= {name for name, p in zip(self.models.sphere_names, proba) if p >= 0.5}
        return tuple(s for s in SPHERES if s in found)

    def categories(self, purposes: Sequence[str | Doc | Span]) -> list[str]:
        """The purpose category of each purpose (its text, or its tokens already processed): the
        model, else the codebook's lexicons."""
        if not purposes:
            return []
        processed = iter(self.docs(p for p in purposes if isinstance(p, str)))
        docs = [next(processed) if isinstance(p, str) else p for p in purposes]
        if self.models.category is not None:
            x = self.models.transform(features(docs, has_purpose=[True] * len(docs)))
            return [str(c) for c in self.models.category.predict(x)]
        return [rule_category(cues) for cues in cue_spans_of(docs)]


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
    """The purpose clause that states an end: an om-clause that only repeats the expectation
    ("om de sociale basis te versterken ... om de zorg te garanderen") gives way to the next one."""
    candidates = find_purposes(doc, rules)
    actors = [
        s for s in (cue_spans(doc) if cues is None else cues) if s.label_ == "core" or s.label_.startswith("sphere:")
    ]
    for purpose in candidates:
        start, end = purpose.start + doc[0].idx, purpose.end + doc[0].idx
        if not any(start <= a.start_char and a.end_char <= end for a in actors):
            return purpose
    return candidates[0] if candidates else None


def _framing_scores(m: Models, x: Any, cues: list[list[Span]]) -> list[dict[str, float]]:
    if m.framing is None:
        return [rule_framing(c) for c in cues]
    proba = m.framing.predict_proba(x)
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


def label_row(label: Label) -> dict[str, Any]:
    """A label as flat CSV columns; cues grouped per label as `label: term ('words'), ...`."""
    return {
        "expectation": label.expectation,
        "expectation_score": label.expectation_score,
        "framing": label.framing,
        **{f"score_{f}": label.framing_scores.get(f, 0.0) for f in FRAMING_CLASSES},
        "spheres": ";".join(label.spheres),
        "actors": ";".join(label.actors),
        "purpose": label.purpose,
        "purpose_start": label.purpose_start,
        "purpose_end": label.purpose_end,
        "purpose_category": label.purpose_category,
        "goal_statement": label.goal_statement,
        "cues": format_cues(label.cues),
        "cue_offsets": json.dumps([[c.start, c.end, c.label, c.rule] for c in label.cues], ensure_ascii=False),
    }


def format_cues(cues: Iterable[Cue]) -> str:
    groups: dict[str, list[str]] = {}
    for cue in cues:
        words = cue.text if cue.label != "purpose" else cue.rule
        groups.setdefault(cue.label, [])
        if words not in groups[cue.label]:
            groups[cue.label].append(words)
    return " | ".join(f"{label}: {', '.join(words)}" for label, words in groups.items())


def _passage_key(item: Doc | Span, cues: list[Span]) -> tuple[Any, ...]:
    """Everything a passage's label is computed from: its tokens with their attributes, and its
    cues relative to its start."""
    start = item.start_char if isinstance(item, Span) else 0
    tokens = tuple(
        (t.text, t.whitespace_, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i - t.i, t.is_sent_start) for t in item
    )
    return tokens, tuple((c.start_char - start, c.end_char - start, c.label_, c.kb_id_, c.id_) for c in cues)
