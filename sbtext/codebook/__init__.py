"""The codebook as data: lexicons and cue lists, loaded from YAML and turned into spaCy patterns.

The label vocabularies (framings, spheres, purpose categories) are defined here and only here;
every other module imports them, and a codebook's YAML is checked against them. Their Dutch display
labels are in `sbtext.labels`.

The default lives beside this file (`default.yaml`); a user's copy replaces it with
`--codebook FILE`. Terms are matched per token on the lemma and the surface form, with `*`
wildcards for Dutch compounds (see the header of `default.yaml`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sbtext.errors import Errors, SbtextError

SPHERES = ("persoonlijk", "gemeenschappelijk", "institutioneel")
CATEGORIES = (
    "zorg_toegankelijk_betaalbaar",
    "arbeidsmarkt_ontlasten_professionals",
    "kosten_besparing",
    "preventie_gezondheid",
    "zelfredzaamheid_langer_thuis",
    "welzijn_participatie_eenzaamheid",
    "veiligheid_leefbaarheid",
    "opgroeien_opvoeden",
    "bestaanszekerheid_armoede",
    "other",
)
FRAMING_CLASSES = ("intrinsic", "instrumental", "both")  # what the framing of an expectation can be
FRAMINGS = (*FRAMING_CLASSES, "none")  # "none": a passage that is no expectation
CUE_LISTS = ("core", "expectation", "intrinsic", "instrumental", "purpose_markers", "goal", "describe")
GAP = "..."
FORM_ONLY = "="  # a term word starting with "=" matches that exact form, never by lemma
EXCLUDE = "exclude:"  # label prefix of the phrases that cancel another sense of a cue
PURPOSE_WORD_LISTS = (
    "boundaries",
    "new_clause_words",
    "markers",
    "flexible_marker_verbs",
    "marker_fillers",
    "condition_starts",
    "modals",
    "effect_infinitives",
    "effect_participles",
    "effect_verbs",
    "complement_heads",
    "object_complement_verbs",
    "clause_openers",
    "short_infinitives",
    "goal_openers",
    "goal_line_openers",
    "goal_nouns",
)
# Lists added later: a codebook written before them takes the default codebook's.
OPTIONAL_PURPOSE_WORD_LISTS = (
    "verb_group_stops",
    "goal_copulas",
    "goal_phrase_skips",
    "page_reference_openers",
    "page_reference_words",
)


@dataclass(frozen=True)
class Codebook:
    """A loaded codebook: the raw lists, where they came from and their hash."""

    path: str
    sha256: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.data.get("name", Path(self.path).stem))

    def terms(self) -> dict[str, list[str]]:
        """Every cue label with its terms: `sphere:<name>`, `category:<name>` and the lists."""
        out: dict[str, list[str]] = {f"sphere:{s}": list(self.data["spheres"][s]) for s in SPHERES}
        out.update({name: list(self.data.get(name) or []) for name in CUE_LISTS})
        out.update({f"category:{c}": list(t) for c, t in self.data["purpose_categories"].items()})
        out.update({f"{EXCLUDE}{label}": list(t) for label, t in (self.data.get("exclude") or {}).items()})
        return out

    @cached_property
    def rules_sha256(self) -> str:
        """The hash of what the tagger reads (every term list and the purpose word lists), blind to
        comments, layout, key order and line endings: what trained models are checked against."""
        rules = {"terms": self.terms(), "purpose_clauses": self.purpose_clauses()}
        text = json.dumps(rules, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def purpose_words(self, name: str) -> frozenset[str]:
        """One word list of `purpose_clauses`, lower-cased (the default codebook's when absent)."""
        return frozenset(w.lower() for w in self.purpose_clauses()[name])

    def purpose_clauses(self) -> dict[str, Any]:
        """The `purpose_clauses` section; a codebook without one borrows the default's, and one
        without a list added later (`OPTIONAL_PURPOSE_WORD_LISTS`) borrows that list."""
        own = self.data.get("purpose_clauses")
        if self.path == str(default_codebook_path()):
            return dict(own or {})
        default = load_codebook(None).purpose_clauses()
        if own is None:
            return default
        return {**{k: default[k] for k in OPTIONAL_PURPOSE_WORD_LISTS if k not in own}, **own}


def default_codebook_path() -> Path:
    return Path(str(resources.files("sbtext.codebook").joinpath("default.yaml")))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and check a codebook; `None` loads the default.

    The file is read on every call, so a codebook edited between two runs in one process is used
    as it is now; a content already checked is not parsed again.
    """
    file = Path(path) if path else default_codebook_path()
    try:
        raw = file.read_bytes()
    except OSError as e:
        raise SbtextError(Errors.E070, path=str(file), detail=str(e)) from e
    key = (str(file), hashlib.sha256(raw).hexdigest())
    if key not in _LOADED:
        if len(_LOADED) >= LOADED_KEPT:
            _LOADED.clear()
        _LOADED[key] = _parse(file, raw, key[1])
    return _LOADED[key]


_LOADED: dict[tuple[str, str], Codebook] = {}
LOADED_KEPT = 16


def _parse(file: Path, raw: bytes, sha256: str) -> Codebook:
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as e:
        raise SbtextError(Errors.E070, path=str(file), detail=str(e)) from e
    _check(file, data)
    return Codebook(path=str(file), sha256=sha256, data=data)


def _check(file: Path, data: Any) -> None:
    def fail(detail: str) -> None:
        raise SbtextError(Errors.E070, path=str(file), detail=detail)

    if not isinstance(data, dict):
        fail(f"expected a mapping at the top, got {type(data).__name__}")
    spheres = data.get("spheres")
    if not isinstance(spheres, dict) or set(spheres) != set(SPHERES):
        fail(f"'spheres' must have exactly the keys {list(SPHERES)}, got {sorted(spheres or {})!r}")
    categories = data.get("purpose_categories")
    if not isinstance(categories, dict) or not set(categories) <= set(CATEGORIES):
        fail(f"'purpose_categories' keys must come from {list(CATEGORIES)}, got {sorted(categories or {})!r}")
    for name in CUE_LISTS:
        if name in data and not isinstance(data[name], list):
            fail(f"{name!r} must be a list of terms, got {type(data[name]).__name__}")
    exclude = data.get("exclude") or {}
    labels = {*CUE_LISTS, *(f"sphere:{s}" for s in SPHERES), *(f"category:{c}" for c in CATEGORIES)}
    if not isinstance(exclude, dict) or not set(exclude) <= labels:
        fail(f"'exclude' must map cue labels ({sorted(labels)}) to lists of terms, got {sorted(exclude)!r}")
    _check_purpose_clauses(data.get("purpose_clauses"), fail)
    lists = [
        *spheres.values(),
        *categories.values(),
        *(data.get(n) or [] for n in CUE_LISTS),
        *exclude.values(),
    ]
    for terms in lists:
        for term in terms or []:
            if not isinstance(term, str) or not term.strip():
                fail(f"every term must be a non-empty string, got {term!r}")
            problem = term_problem(term)
            if problem:
                fail(f"the term {term!r} {problem}")


def term_problem(term: str) -> str:
    """Why a term would match (nearly) any text, or "" when it is a real term."""
    words = term.split()
    if not any(_is_word(w) for w in words):
        return "has no word of its own ('...', '?' and '*' alone match anything); write the word it stands for"
    if words[0] == GAP or words[-1] == GAP:
        return f"starts or ends with the gap {GAP!r}, which then matches nothing more; put it between two words"
    return ""


def _is_word(word: str) -> bool:
    """A word that must be there: not the gap, not '?', and a wildcard with at least two letters."""
    return word not in (GAP, "?") and len(word.replace("*", "")) >= 2


def _check_purpose_clauses(section: Any, fail: Any) -> None:
    if section is None:
        return
    if not isinstance(section, dict):
        fail(f"'purpose_clauses' must be a mapping, got {type(section).__name__}")
    missing = [k for k in PURPOSE_WORD_LISTS if k not in section]
    if missing:
        fail(f"'purpose_clauses' lacks {missing!r}")
    for key in (*PURPOSE_WORD_LISTS, *(k for k in OPTIONAL_PURPOSE_WORD_LISTS if k in section)):
        words = section[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            fail(f"'purpose_clauses.{key}' must be a list of non-empty strings, got {words!r}")


def token_pattern(word: str, lemma: str) -> dict[str, Any]:
    """One token of a term: wildcard words match by regular expression on the lower-case form."""
    if word == "?":
        return {}
    if word.startswith(FORM_ONLY):
        return {"LOWER": word[1:].lower()}
    if "*" in word:
        body = re.escape(word.strip("*").lower())
        start = "" if word.startswith("*") else "^"
        end = "" if word.endswith("*") else "$"
        return {"LOWER": {"REGEX": f"{start}{body}{end}"}}
    forms = sorted({word.lower(), lemma.lower()})
    return {"LEMMA": {"IN": forms}} if len(forms) > 1 else {"LEMMA": forms[0]}


def term_patterns(term: str, lemmatize: Any) -> list[list[dict[str, Any]]]:
    """spaCy token patterns for a term: one on lemmas, one on surface forms."""
    words = term.split()
    by_lemma: list[dict[str, Any]] = []
    by_form: list[dict[str, Any]] = []
    for word in words:
        if word == GAP:
            by_lemma.append({"OP": "{0,4}"})
            by_form.append({"OP": "{0,4}"})
            continue
        by_lemma.append(token_pattern(word, lemmatize(word.lower())))
        plain = "*" not in word and word != "?" and not word.startswith(FORM_ONLY)
        by_form.append({"LOWER": word.lower()} if plain else token_pattern(word, word))
    return [by_lemma, by_form] if by_lemma != by_form else [by_lemma]
