"""Which spaCy pipeline runs: `nl_core_news_sm` when installed, else the offline fallback.

The fallback is a blank Dutch pipeline with a rule sentencizer that knows Dutch abbreviations
and lemmas from simplemma. One setting picks the pipeline: the `SBTEXT_SPACY_MODEL` environment
variable or the CLI's `--spacy-model` (a package name, a path, or `blank` for the fallback).
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy
import simplemma
import spacy
from spacy.attrs import LEMMA, LOWER, SENT_START
from spacy.attrs import ORTH as ORTH_ATTR
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from sbtext.errors import Errors, SbtextError, Warnings

MODEL_ENV = "SBTEXT_SPACY_MODEL"
DEFAULT_MODEL = "nl_core_news_sm"
BLANK = "blank"

# Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "o.a.",
        "a.d.h.v.",
        "bijv.",
        "bv.",
        "bijvoorbeeld.",
        "blz.",
        "ca.",
        "d.w.z.",
        "dhr.",
        "dr.",
        "drs.",
        "e.a.",
        "e.d.",
        "e.e.a.",
        "enz.",
        "etc.",
        "evt.",
        "excl.",
        "gem.",
        "i.c.m.",
        "i.o.m.",
        "i.p.v.",
        "i.s.m.",
        "i.t.t.",
        "i.v.m.",
        "incl.",
        "jl.",
        "m.b.t.",
        "m.b.v.",
        "m.i.v.",
        "m.n.",
        "m.u.v.",
        "mevr.",
        "mr.",
        "n.a.v.",
        "nr.",
        "nrs.",
        "o.b.v.",
        "o.l.v.",
        "ong.",
        "p.",
        "pag.",
        "prof.",
        "resp.",
        "t.a.v.",
        "t.b.v.",
        "t.g.v.",
        "t.o.v.",
        "t/m",
        "v.a.",
        "vgl.",
        "vnl.",
        "vs.",
        "z.g.a.n.",
        "zgn.",
        "zg.",
        "art.",
        "artt.",
        "jan.",
        "feb.",
        "febr.",
        "mrt.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "okt.",
        "nov.",
        "dec.",
        "st.",
        "stb.",
        "stcrt.",
        "kamerst.",
        "bijl.",
        "lid.",
        "min.",
        "ir.",
        "ing.",
        "dr.ir.",
        "mw.",
        "hr.",
        "no.",
        "vlg.",
        "z.s.m.",
        "a.s.",
        "j.l.",
        "m.a.w.",
        "w.o.",
        "d.d.",
    ]
)
SENTENCE_END = frozenset(".!?")


@dataclass(frozen=True)
class Backend:
    """What ran: recorded in the run manifest and shown in one notice."""

    name: str
    kind: str  # "trained" or "fallback"
    version: str
    has_parser: bool
    lemmatizer: str

    @property
    def notice(self) -> str:
        return f"language backend: {self.kind} ({self.name} {self.version}; lemmas: {self.lemmatizer})"


@Language.component("sbtext_sentencizer_v1")
def sentencize(doc: Doc) -> Doc:
    """Split sentences after . ! ? unless the token is a known abbreviation."""
    if not len(doc):
        return doc
    strings = doc.vocab.strings
    words = doc.to_array(ORTH_ATTR).tolist()
    starts = [1] + [
        1 if _ends_sentence(strings[before]) and _can_start_sentence(strings[word]) else -1
        for before, word in pairwise(words)
    ]
    values: Any = numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1)  # -1: not a start
    doc.from_array([SENT_START], values)
    return doc


@lru_cache(maxsize=100_000)
def _ends_sentence(text: str) -> bool:
    if text.lower() in ABBREVIATIONS:
        return False
    return text[-1:] in SENTENCE_END or text in {"…", "...", "!)", ".)", ".’", ".'", '."', ".”"}


@lru_cache(maxsize=100_000)
def _can_start_sentence(text: str) -> bool:
    first = text[:1]
    return first.isupper() or first.isdigit() or first in "‘'\"“([•-–"


@Language.component("sbtext_simplemma_v1")
def lemmatize(doc: Doc) -> Doc:
    """Set Dutch lemmas from simplemma's dictionary (offline, no model files)."""
    strings = doc.vocab.strings
    lemmas = [strings.add(_lemma(strings[lower])) for lower in doc.to_array(LOWER).tolist()]
    values: Any = numpy.array(lemmas, dtype="uint64").reshape(-1, 1)
    doc.from_array([LEMMA], values)
    return doc


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    if not word[:1].isalpha():
        return word
    # simplemma writes separable verbs as "in_zetten"; the dictionary form is "inzetten".
    return str(simplemma.lemmatize(word, lang="nl")).lower().replace("_", "")


def _add_abbreviations(nlp: Language) -> None:
    for abbr in ABBREVIATIONS:
        for form in {abbr, abbr.capitalize()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])  # type: ignore[union-attr]


def _fallback() -> Language:
    nlp = spacy.blank("nl")
    _add_abbreviations(nlp)
    nlp.add_pipe("sbtext_sentencizer_v1")
    nlp.add_pipe("sbtext_simplemma_v1")
    nlp.meta["sbtext_backend"] = {
        "name": "blank:nl",
        "kind": "fallback",
        "version": spacy.__version__,
        "lemmatizer": "simplemma " + getattr(simplemma, "__version__", ""),
    }
    return nlp


def _trained(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=["ner"])
    except (OSError, ValueError) as e:
        raise SbtextError(Errors.E090, name=name, detail=str(e).splitlines()[0]) from e
    _add_abbreviations(nlp)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("sbtext_sentencizer_v1")
    if not any(n.endswith("lemmatizer") for n in nlp.pipe_names):
        nlp.add_pipe("sbtext_simplemma_v1")
    lemmatizer = "trained" if "trainable_lemmatizer" in nlp.pipe_names else "spaCy lemmatizer"
    nlp.meta["sbtext_backend"] = {
        "name": nlp.meta.get("name", Path(name).name),
        "kind": "trained",
        "version": nlp.meta.get("version", ""),
        "lemmatizer": lemmatizer if nlp.has_pipe("lemmatizer") or "trainable" in lemmatizer else "simplemma",
    }
    return nlp


def resolve_model_name(model: str | None = None) -> str:
    """The pipeline the user asked for: argument, then environment, then the default."""
    return model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load the pipeline named by `model` (or the environment), falling back when offline.

    Args:
        model: a package name, a path to a pipeline folder, or "blank". None means the
            `SBTEXT_SPACY_MODEL` environment variable, else `nl_core_news_sm`.

    Returns:
        A spaCy `Language` whose `meta["sbtext_backend"]` says what ran. It is loaded once per
        process and shared: add no pipe to it, take `own_pipeline(...)` of it instead.
    """
    name = resolve_model_name(model)
    if name == BLANK:
        return _fallback()
    if name == DEFAULT_MODEL and not spacy.util.is_package(name):
        warnings.warn(Warnings.W001.value, stacklevel=2)
        return _fallback()
    # spaCy's own limit of 1,000,000 characters holds for a paragraph on every backend: a longer
    # one is a coded error (E042), not minutes of parsing one unbroken "sentence".
    return _trained(name)


def own_pipeline(base: Language, *, leave_out: Collection[str] = ()) -> Language:
    """A pipeline of its own on `base`'s loaded parts, for one tagger to add its pipes to.

    The tokenizer, the vocabulary and every component are `base`'s own objects (loading them is
    the slow part, and nothing changes them after loading); the list of pipes is new, so that a
    pipe added here (the cue ruler of one codebook) never runs in another tagger's pipeline.
    The components named in `leave_out` are not taken over.
    """
    nlp = type(base)(
        vocab=base.vocab,
        max_length=base.max_length,
        meta=copy.deepcopy(base.meta),
        create_tokenizer=lambda _: base.tokenizer,
        batch_size=base.batch_size,
    )
    for name in base.component_names:
        if name not in leave_out:
            nlp.add_pipe(name, source=base)
    for name in base.disabled:
        if name not in leave_out:
            nlp.disable_pipe(name)
    return nlp


def backend_of(nlp: Language) -> Backend:
    """Describe the pipeline that ran."""
    info = nlp.meta.get("sbtext_backend", {})
    return Backend(
        name=info.get("name", nlp.meta.get("name", "")),
        kind=info.get("kind", "trained"),
        version=info.get("version", ""),
        has_parser=nlp.has_pipe("parser"),
        lemmatizer=info.get("lemmatizer", ""),
    )
