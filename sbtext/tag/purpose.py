"""The "waartoe": purpose clauses and goal statements, by token patterns (and the parse if any).

A purpose clause starts after its marker ("om ... te", "zodat", "waardoor", "opdat", "teneinde",
"met als doel", "ter voorkoming van", "ten behoeve van", "gericht op", "draagt bij aan", "leidt
tot", "als ..., dan ...") and ends where the clause ends: at ; : . ! ?, at a comma before a new
clause ("maar", "terwijl", "omdat", ...), at an unmatched closing bracket, or, for "om ... te",
after the infinitive group. The trained pipeline's parse may widen an om-clause within those
bounds; it never decides alone (`nl_core_news_sm` scores advcl F 0.40).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

BOUNDARY = {".", ";", ":", "!", "?", "•", "…"}
NEW_CLAUSE = {
    "maar",
    "terwijl",
    "omdat",
    "want",
    "hoewel",
    "doordat",
    "aangezien",
    "tenzij",
    "zodra",
    "wat",
    "waarbij",
    "dit",
    "dat",
    "die",
    "en",
    "of",
}
MARKERS: tuple[tuple[str, ...], ...] = (
    ("ter", "voorkoming", "van"),
    ("ter", "bevordering", "van"),
    ("ter", "versterking", "van"),
    ("ten", "behoeve", "van"),
    ("met", "als", "doel"),
    ("met", "het", "doel"),
    ("met", "het", "oog", "op"),
    ("draagt", "bij", "aan"),
    ("dragen", "bij", "aan"),
    ("bijdragen", "aan"),
    ("bijdraagt", "aan"),
    ("bij", "te", "dragen", "aan"),
    ("leidt", "tot"),
    ("leiden", "tot"),
    ("gericht", "op"),
    ("zodat",),
    ("opdat",),
    ("waardoor",),
    ("teneinde",),
    ("om",),
)
MODALS = {"kan", "kunnen", "zal", "zullen", "moet", "moeten", "helpt", "helpen"}
PURPOSE_VERBS = {
    "verminderen",
    "voorkomen",
    "terugdringen",
    "terug",
    "vervangen",
    "uitstellen",
    "ontlasten",
    "omlaag",
    "beperken",
    "verlagen",
    "opvangen",
    "garanderen",
    "borgen",
    "bevorderen",
    "verbeteren",
    "vergroten",
    "versterken",
    "overbodig",
    "houden",
    "maken",
}
CONDITION_STARTS = {"als", "wanneer", "indien", "door", "doordat"}
GOAL_STARTS = (
    ("het", "doel", "is"),
    ("het", "doel", "[is]"),
    ("doel", "is"),
    ("ons", "doel", "is"),
    ("de", "ambitie", "is"),
    ("de", "ambitie", "van"),
    ("het", "kabinet", "wil"),
    ("we", "willen"),
    ("wij", "willen"),
    ("het", "streven", "is"),
    ("we", "streven", "naar"),
    ("wij", "streven", "naar"),
    ("behouden", "van"),
    ("behoud", "van"),
    ("vergroting", "van"),
    ("verbetering", "van"),
    ("versterking", "van"),
    ("doel", ":"),
    ("doelstelling", ":"),
    ("ambitie", ":"),
)
SHORT_INFINITIVES = {"gaan", "doen", "staan", "zijn", "slaan", "zien", "bestaan", "ontstaan", "voldoen"}


@dataclass(frozen=True)
class Purpose:
    """A purpose span in character offsets of the passage, with the marker that opened it."""

    start: int
    end: int
    marker: str
    goal: bool = False


def find_purpose(doc: Doc | Span) -> Purpose | None:
    """The first purpose clause in the passage, or None."""
    return next(iter(find_purposes(doc)), None)


def find_purposes(doc: Doc | Span) -> list[Purpose]:
    """Every marked purpose clause in the passage, in text order (a fallback pattern if none)."""
    tokens = list(doc)
    offset = tokens[0].idx if tokens else 0
    found = []
    for i, token in enumerate(tokens):
        marker = _marker_at(tokens, i)
        if not marker or (found and tokens[i].idx - offset < found[-1].end):
            continue
        start = i + len(marker)
        end = _clause_end(tokens, start)
        if marker == ("om",):
            te_end = _om_clause_end(tokens, start, end)
            if te_end is None:
                continue
            end = _widen_by_parse(token, te_end, end, tokens[0].i)
        span = _trim(tokens, start, end)
        if span:
            found.append(Purpose(span[0] - offset, span[1] - offset, " ".join(marker)))
    if found:
        return found
    fallback = _conditional(tokens, offset) or _modal_purpose(tokens, offset)
    return [fallback] if fallback else []


def _marker_at(tokens: list[Token], i: int) -> tuple[str, ...] | None:
    for marker in MARKERS:
        words = [t.lower_ for t in tokens[i : i + len(marker)]]
        if tuple(words) == marker:
            return marker
    return None


def _clause_end(tokens: list[Token], start: int) -> int:
    """Token index where the clause that begins at `start` ends (exclusive)."""
    depth = 0
    for j in range(start, len(tokens)):
        text = tokens[j].text
        if text in BOUNDARY or (text in {"(p.", "(p"}):
            return j
        if text == "(":
            depth += 1
        elif text == ")":
            if depth == 0:
                return j
            depth -= 1
        elif text == "," and j + 1 < len(tokens) and tokens[j + 1].lower_ in NEW_CLAUSE and j > start:
            return j
    return len(tokens)


def _om_clause_end(tokens: list[Token], start: int, end: int) -> int | None:
    """After "om": the end of the last "te + infinitive" group before the clause ends."""
    last = None
    j = start
    while j < end:
        if tokens[j].lower_ == "te" and j + 1 < end and _is_infinitive(tokens[j + 1]):
            k = j + 1
            while k < end and _is_infinitive(tokens[k]):
                k += 1
            last = k
            j = k
        else:
            j += 1
    return last


def _is_infinitive(token: Token) -> bool:
    word = token.lower_
    if token.pos_ in {"VERB", "AUX"} and "Inf" in token.morph.get("VerbForm", []):
        return True
    return word.isalpha() and (word.endswith("en") or word in SHORT_INFINITIVES) and len(word) > 2


def _widen_by_parse(om: Token, pattern_end: int, clause_end: int, first: int) -> int:
    """With a dependency parse, let the om-clause run to its verb's subtree edge, inside the clause."""
    if not om.doc.has_annotation("DEP") or om.dep_ != "mark":
        return pattern_end
    right = om.head.right_edge.i - first + 1
    return min(max(pattern_end, right), clause_end)


def _trim(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    while start < end and tokens[start].is_punct and tokens[start].text not in {"(", "‘", "'", '"', "“"}:
        start += 1
    while end > start and tokens[end - 1].is_punct and tokens[end - 1].text not in {")", "’", "'", '"', "”"}:
        end -= 1
    if end - start < 2:
        return None
    return tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1].text)


def _conditional(tokens: list[Token], offset: int) -> Purpose | None:
    """ "Als/Wanneer/Door ..., dan ...": the consequence is what the condition serves."""
    if not tokens or tokens[0].lower_ not in CONDITION_STARTS:
        return None
    for i, token in enumerate(tokens[1:], start=1):
        if token.lower_ == "dan" and tokens[i - 1].text == ",":
            span = _trim(tokens, i + 1, _clause_end(tokens, i + 1))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, "dan")
    return None


def _modal_purpose(tokens: list[Token], offset: int) -> Purpose | None:
    """ "... kan de druk op X verminderen": from after the modal to the purpose verb."""
    for i, token in enumerate(tokens):
        if token.lower_ not in MODALS:
            continue
        end = _clause_end(tokens, i + 1)
        verbs = [j for j in range(i + 1, end) if tokens[j].lower_ in PURPOSE_VERBS]
        if verbs and verbs[-1] - i >= 2:
            last = verbs[-1] + 1
            while last < end and _is_infinitive(tokens[last]) and tokens[last].lower_ not in {"en"}:
                last += 1
            span = _trim(tokens, i + 1, last)
            if span:
                return Purpose(span[0] - offset, span[1] - offset, token.lower_)
    return None


def find_goal(doc: Doc | Span) -> Purpose | None:
    """A goal statement's goal phrase, when the passage opens like one."""
    tokens = [t for t in doc if not (t.is_punct and t.text in {"‘", "'", "…", "(", ")", "“", '"'} and t.i == doc[0].i)]
    while tokens and (tokens[0].is_punct or tokens[0].text in {"…", "..."}):
        tokens = tokens[1:]
    if not tokens:
        return None
    offset = doc[0].idx
    words = tuple(t.lower_ for t in tokens[:4])
    for start in GOAL_STARTS:
        if words[: len(start)] == start:
            first = (
                len(start)
                if start[-1] not in {"van"}
                and start[0] not in {"behouden", "behoud", "vergroting", "verbetering", "versterking"}
                else 0
            )
            span = _trim(tokens, first, _clause_end(tokens, first) if first else len(tokens))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, " ".join(start), goal=True)
    return None
