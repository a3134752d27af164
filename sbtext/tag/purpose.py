"""The "waartoe": purpose clauses and goal statements, by token patterns (and the parse if any).

A purpose clause starts after its marker ("om ... te", "zodat", "waardoor", "opdat", "teneinde",
"met als doel", "ter voorkoming van", "ten behoeve van", "gericht op", "draagt bij aan", "leidt
tot", "als ..., dan ...") and ends where the clause ends: at ; : . ! ?, at a comma before a new
clause ("maar", "terwijl", "omdat", ...), at an unmatched closing bracket, or, for "om ... te",
after the infinitive group. The trained pipeline's parse may widen an om-clause within those
bounds; it never decides alone (`nl_core_news_sm` scores advcl F 0.40).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc, Span, Token

from sbtext.codebook import Codebook, load_codebook
from sbtext.tag.rules import cue_spans
from sbtext.tag.tokens import lower_words

PAGE_LABEL = re.compile(r"p\.?\d+")
OPEN_QUOTES = {"(", "‘", "'", '"', "“"}
CLOSE_QUOTES = {")", "’", "'", '"', "”"}


@dataclass(frozen=True)
class PurposeRules:
    """The word lists of the codebook's `purpose_clauses` section, ready for lookup."""

    boundaries: frozenset[str]
    new_clause_words: frozenset[str]
    markers_by_first: dict[str, list[tuple[str, ...]]]
    ter_noun: re.Pattern[str]
    flexible_marker_verbs: frozenset[str]
    marker_fillers: frozenset[str]
    condition_starts: frozenset[str]
    modals: frozenset[str]
    modal_effects: frozenset[str]
    effect_verbs: frozenset[str]
    complement_heads: frozenset[str]
    object_complement_verbs: frozenset[str]
    clause_openers: frozenset[str]
    short_infinitives: frozenset[str]
    min_object_words: int
    goal_openers: tuple[tuple[str, ...], ...]
    goal_line_openers: tuple[tuple[str, ...], ...]
    goal_nouns: frozenset[str]
    verb_group_stops: frozenset[str]
    goal_copulas: frozenset[str]
    goal_phrase_skips: frozenset[str]
    page_reference_openers: frozenset[str]
    page_reference_words: frozenset[str]

    @classmethod
    def of(cls, codebook: Codebook) -> PurposeRules:
        """The rules of a codebook (remembered per codebook file and hash)."""
        key = (codebook.path, codebook.sha256)
        if key not in _RULES:
            _RULES[key] = _rules(codebook)
        return _RULES[key]


_RULES: dict[tuple[str, str], PurposeRules] = {}


def _rules(codebook: Codebook) -> PurposeRules:
    section = codebook.purpose_clauses()
    words = codebook.purpose_words
    markers: dict[str, list[tuple[str, ...]]] = {}
    # Longer markers first, so that "draagt bij aan" wins over a shorter one with the same first word.
    for marker in sorted((tuple(m.lower().split()) for m in section["markers"]), key=len, reverse=True):
        markers.setdefault(marker[0], []).append(marker)
    lines = tuple(tuple(g.lower().split()) for g in section["goal_line_openers"])
    return PurposeRules(
        boundaries=words("boundaries"),
        new_clause_words=words("new_clause_words"),
        markers_by_first=markers,
        ter_noun=re.compile(r"[a-z]+" + re.escape(str(section.get("ter_noun_ending", "ing")))),
        flexible_marker_verbs=words("flexible_marker_verbs"),
        marker_fillers=words("marker_fillers"),
        condition_starts=words("condition_starts"),
        modals=words("modals"),
        modal_effects=words("effect_infinitives") | words("effect_participles"),
        effect_verbs=words("effect_verbs"),
        complement_heads=words("complement_heads"),
        object_complement_verbs=words("object_complement_verbs"),
        clause_openers=words("clause_openers"),
        short_infinitives=words("short_infinitives"),
        min_object_words=int(section.get("min_object_words", 1)),
        goal_openers=tuple(tuple(g.lower().split()) for g in section["goal_openers"]) + lines,
        goal_line_openers=lines,
        goal_nouns=words("goal_nouns"),
        verb_group_stops=words("verb_group_stops"),
        goal_copulas=words("goal_copulas"),
        goal_phrase_skips=words("goal_phrase_skips"),
        page_reference_openers=words("page_reference_openers"),
        page_reference_words=words("page_reference_words"),
    )


def default_rules() -> PurposeRules:
    return PurposeRules.of(load_codebook(None))


@dataclass(frozen=True)
class Purpose:
    """A purpose span in character offsets of the passage, with the marker that opened it."""

    start: int
    end: int
    marker: str
    goal: bool = False


def find_purpose(doc: Doc | Span, rules: PurposeRules | None = None) -> Purpose | None:
    """The first purpose clause in the passage, or None."""
    return next(iter(find_purposes(doc, rules)), None)


def find_purposes(doc: Doc | Span, rules: PurposeRules | None = None) -> list[Purpose]:
    """Every marked purpose clause in the passage, in text order (a fallback pattern if none)."""
    r = rules or default_rules()
    words = lower_words(doc)
    if not _may_state_purpose(r, words):
        return []
    tokens = list(doc)
    offset = tokens[0].idx if tokens else 0
    found: list[Purpose] = []
    for i, token in enumerate(tokens):
        marker = marker_at(r, words, i)
        if not marker or (found and tokens[i].idx - offset < found[-1].end):
            continue
        start = i + len(marker)
        end = _clause_end(r, tokens, start)
        if marker == ("om",):
            if _complement_om(r, tokens, i):
                continue
            te_end = _om_clause_end(r, tokens, start, end)
            if te_end is None or not _states_an_end(r, tokens, start, te_end):
                continue
            end = _widen_by_parse(token, te_end, end, tokens[0].i)
        span = _trim(tokens, start, end)
        if span:
            found.append(Purpose(span[0] - offset, span[1] - offset, " ".join(marker)))
    if found:
        return found
    fallback = (
        _conditional(r, tokens, offset) or _modal_purpose(r, tokens, offset) or _effect_purpose(r, tokens, offset)
    )
    return [fallback] if fallback else []


def _may_state_purpose(r: PurposeRules, words: list[str]) -> bool:
    """Whether the words hold what any rule of `find_purposes` starts from: a marker, a condition
    opening the passage, a modal or an effect verb. Without one the passage has no purpose clause,
    and its tokens need not be made."""
    return (
        any(marker_at(r, words, i) for i in range(len(words)))
        or bool(words and words[0] in r.condition_starts)
        or any(w in r.modals or w in r.effect_verbs for w in words)
    )


def choose_purpose_clause(
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


def _states_an_end(r: PurposeRules, tokens: list[Token], start: int, end: int) -> bool:
    """An om-clause names what it serves: "om eenzaamheid te voorkomen", not "om te komen"."""
    words = [t for t in tokens[start:end] if t.is_alpha and t.lower_ != "te" and not _is_infinitive(r, t)]
    return len(words) >= r.min_object_words


def marker_at(r: PurposeRules, words: list[str], i: int) -> tuple[str, ...] | None:
    """The marker that starts at word `i` (longer ones first), as the words it covers: a marker
    verb may be followed by a few fillers ("leidt naar verwachting tot")."""
    for marker in r.markers_by_first.get(words[i], ()):
        if tuple(words[i : i + len(marker)]) == marker:
            return marker
        if marker[0] in r.flexible_marker_verbs and len(marker) > 1:
            j = i + 1
            while j < len(words) and j - i <= 4 and words[j] in r.marker_fillers and words[j] != marker[1]:
                j += 1
            if j > i + 1 and tuple(words[j : j + len(marker) - 1]) == marker[1:]:
                return tuple(words[i : j + len(marker) - 1])
    if words[i] == "ter" and i + 2 < len(words) and words[i + 2] == "van" and r.ter_noun.fullmatch(words[i + 1]):
        return tuple(words[i : i + 3])
    return None


def _clause_end(r: PurposeRules, tokens: list[Token], start: int) -> int:
    """Token index where the clause that begins at `start` ends (exclusive)."""
    depth = 0
    for j in range(start, len(tokens)):
        text = tokens[j].text
        if text in r.boundaries or _page_reference(r, tokens, j):
            return j
        if text == "(":
            depth += 1
        elif text == ")":
            if depth == 0:
                return j
            depth -= 1
        elif text == "," and j + 1 < len(tokens) and tokens[j + 1].lower_ in r.new_clause_words and j > start:
            return j
    return len(tokens)


def _page_reference(r: PurposeRules, tokens: list[Token], j: int) -> bool:
    """ "(p. 5)", "(p 5)", "(p15)": a page reference that a quote carries, never part of a clause."""
    text = tokens[j].text.lower()
    if text in r.page_reference_openers:
        return True
    following = tokens[j + 1].lower_ if j + 1 < len(tokens) else ""
    return text == "(" and (following in r.page_reference_words or PAGE_LABEL.fullmatch(following) is not None)


def _complement_om(r: PurposeRules, tokens: list[Token], i: int) -> bool:
    """ "gestimuleerd worden om ... te", "de kans om ... te": an om-clause that completes a verb or
    noun says what is asked or possible, not what it serves."""
    before = [t for t in tokens[max(0, i - 3) : i] if not t.is_punct][-2:]
    if any(t.lower_ in r.complement_heads or t.lemma_.lower() in r.complement_heads for t in before):
        return True
    # A verb that asks someone something, with its object between it and "om" (same clause).
    for t in reversed(tokens[max(0, i - 8) : i]):
        if t.is_punct or t.lower_ in r.clause_openers:
            return False
        if t.lower_ in r.object_complement_verbs or t.lemma_.lower() in r.object_complement_verbs:
            return True
    return False


def _om_clause_end(r: PurposeRules, tokens: list[Token], start: int, end: int) -> int | None:
    """After "om": the end of the last "te + infinitive" group before the clause ends."""
    last = None
    j = start
    while j < end:
        if tokens[j].lower_ == "te" and j + 1 < end and _is_infinitive(r, tokens[j + 1]):
            k = j + 1
            while k < end and _is_infinitive(r, tokens[k]):
                k += 1
            last = k
            j = k
        else:
            j += 1
    return last


def _is_infinitive(r: PurposeRules, token: Token) -> bool:
    word = token.lower_
    if token.pos_ in {"VERB", "AUX"} and "Inf" in token.morph.get("VerbForm", []):
        return True
    return word.isalpha() and (word.endswith("en") or word in r.short_infinitives) and len(word) > 2


def _widen_by_parse(om: Token, pattern_end: int, clause_end: int, first: int) -> int:
    """With a dependency parse, let the om-clause run to its verb's subtree edge, inside the clause."""
    if not om.doc.has_annotation("DEP") or om.dep_ != "mark":
        return pattern_end
    right = om.head.right_edge.i - first + 1
    return min(max(pattern_end, right), clause_end)


def _trim(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    while start < end and tokens[start].is_punct and tokens[start].text not in OPEN_QUOTES:
        start += 1
    while end > start and tokens[end - 1].is_punct and tokens[end - 1].text not in CLOSE_QUOTES:
        end -= 1
    # One word can be a purpose ("ter voorkoming van eenzaamheid"), but not a stray short one.
    if end - start < 1 or (end - start == 1 and not (tokens[start].is_alpha and len(tokens[start]) >= 5)):
        return None
    return tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1].text)


def _conditional(r: PurposeRules, tokens: list[Token], offset: int) -> Purpose | None:
    """ "Als/Wanneer/Door ..., dan ...": the consequence is what the condition serves."""
    if not tokens or tokens[0].lower_ not in r.condition_starts:
        return None
    for i, token in enumerate(tokens[1:], start=1):
        if token.lower_ == "dan" and tokens[i - 1].text == ",":
            span = _trim(tokens, i + 1, _clause_end(r, tokens, i + 1))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, "dan")
    return None


def _modal_purpose(r: PurposeRules, tokens: list[Token], offset: int) -> Purpose | None:
    """ "... kan de druk op X verminderen": from after the modal to the purpose verb."""
    for i, token in enumerate(tokens):
        if token.lower_ not in r.modals:
            continue
        end = _clause_end(r, tokens, i + 1)
        verbs = [j for j in range(i + 1, end) if tokens[j].lower_ in r.modal_effects]
        if verbs and verbs[-1] - i >= 2:
            last = verbs[-1] + 1
            while last < end and _is_infinitive(r, tokens[last]) and tokens[last].lower_ not in r.verb_group_stops:
                last += 1
            span = _trim(tokens, i + 1, last)
            if span:
                return Purpose(span[0] - offset, span[1] - offset, token.lower_)
    return None


def _effect_purpose(r: PurposeRules, tokens: list[Token], offset: int) -> Purpose | None:
    """ "X bevordert / vergroot / voorkomt Y": the object Y, up to the end of its clause."""
    for i, token in enumerate(tokens[1:], start=1):
        if token.lower_ in r.effect_verbs and not tokens[i - 1].is_punct:
            span = _trim(tokens, i + 1, _clause_end(r, tokens, i + 1))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, token.lower_)
    return None


def find_goal(doc: Doc | Span, rules: PurposeRules | None = None) -> Purpose | None:
    """A goal statement's goal phrase, when the passage opens like one."""
    r = rules or default_rules()
    head = _goal_tokens(doc, islice(doc, GOAL_HEAD))
    if (len(head) >= GOAL_WORDS or len(doc) <= GOAL_HEAD) and not _may_open_goal(r, head[:GOAL_WORDS]):
        return None
    tokens = _goal_tokens(doc, doc)
    if not tokens:
        return None
    offset = doc[0].idx
    words = tuple(t.lower_ for t in tokens[:4])
    for start in r.goal_openers:
        if words[: len(start)] == start:
            whole_line = start in r.goal_line_openers
            first = 0 if whole_line else len(start)
            span = _trim(tokens, first, _line_end(r, tokens) if whole_line else _clause_end(r, tokens, first))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, " ".join(start), goal=True)
    return _goal_noun_opening(r, tokens, offset) or _purpose_fragment(r, tokens, offset)


GOAL_HEAD = 24  # tokens looked at first: what opens a goal statement lies in its first words
GOAL_WORDS = 8  # of them, the words `find_goal`'s rules read at the start


def _goal_tokens(doc: Doc | Span, tokens: Iterable[Token]) -> list[Token]:
    """The tokens a goal phrase is read from: without brackets or an opening quote mark, from the
    first word (leading punctuation and dots skipped)."""
    first = doc[0].i if len(doc) else 0
    kept = [
        t
        for t in tokens
        if t.text not in {"[", "]"}
        and not (t.is_punct and t.text in {"‘", "'", "…", "(", ")", "“", '"'} and t.i == first)
    ]
    skip = 0
    while skip < len(kept) and (kept[skip].is_punct or kept[skip].text in {"…", "..."}):
        skip += 1
    return kept[skip:]


def _may_open_goal(r: PurposeRules, head: list[Token]) -> bool:
    """Whether a passage whose first words are `head` can open as a goal statement: with a goal
    opener, a goal noun or "om" (what `find_goal`'s rules start from)."""
    words = tuple(t.lower_ for t in head)
    return (
        any(words[: len(start)] == start for start in r.goal_openers)
        or any(w in r.goal_nouns for w in words)
        or words[:1] == ("om",)
    )


def _line_end(r: PurposeRules, tokens: list[Token]) -> int:
    """A nominal goal line runs to its end, short of a page reference."""
    return next((j for j in range(len(tokens)) if _page_reference(r, tokens, j)), len(tokens))


def _goal_noun_opening(r: PurposeRules, tokens: list[Token], offset: int) -> Purpose | None:
    """ "Eén van de doelen van deze wet is dat ...", "Het doel van de aanpak is ...": what follows "is"."""
    for i, token in enumerate(tokens[:8]):
        if token.lower_ not in r.goal_nouns:
            continue
        for j in range(i + 1, min(i + 8, len(tokens))):
            if tokens[j].lower_ in r.goal_copulas:
                first = j + 1 + (j + 1 < len(tokens) and tokens[j + 1].lower_ in r.goal_phrase_skips)
                span = _trim(tokens, first, _clause_end(r, tokens, first))
                return Purpose(span[0] - offset, span[1] - offset, token.lower_, goal=True) if span else None
            if tokens[j].is_punct:
                break
        return None
    return None


def _purpose_fragment(r: PurposeRules, tokens: list[Token], offset: int) -> Purpose | None:
    """A line that is only an om-clause ("… om de zorg ook in 2040 te kunnen garanderen."): a goal."""
    if not tokens or tokens[0].lower_ != "om":
        return None
    end = _clause_end(r, tokens, 1)
    if any(not t.is_punct for t in tokens[end:]):
        return None
    te_end = _om_clause_end(r, tokens, 1, end)
    if te_end is None or any(not t.is_punct for t in tokens[te_end:]):
        return None
    span = _trim(tokens, 1, te_end)
    return Purpose(span[0] - offset, span[1] - offset, "om", goal=True) if span else None
