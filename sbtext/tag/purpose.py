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
    ("ten", "dienste", "van"),
    ("ten", "goede", "aan"),
    ("met", "als", "doel"),
    ("met", "het", "doel"),
    ("met", "het", "oog", "op"),
    ("draagt", "bij", "aan"),
    ("dragen", "bij", "aan"),
    ("draagt", "eraan", "bij", "dat"),
    ("dragen", "eraan", "bij", "dat"),
    ("eraan", "bijdragen", "dat"),
    ("aan", "bijdragen", "dat"),
    ("bijdragen", "aan"),
    ("bijdraagt", "aan"),
    ("bij", "te", "dragen", "aan"),
    ("bijdrage", "leveren", "aan"),
    ("bijdrage", "levert", "aan"),
    ("bijdrage", "aan"),
    ("leidt", "tot"),
    ("leiden", "tot"),
    ("leidt", "ertoe", "dat"),
    ("leiden", "ertoe", "dat"),
    ("ertoe", "leiden", "dat"),
    ("bereiken", "dat"),
    ("beoogt",),
    ("beogen",),
    ("zorgt", "ervoor", "dat"),
    ("zorgen", "ervoor", "dat"),
    ("gericht", "op"),
    ("zodat",),
    ("opdat",),
    ("waardoor",),
    ("teneinde",),
    ("om",),
)
MARKERS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _marker in MARKERS:
    MARKERS_BY_FIRST.setdefault(_marker[0], []).append(_marker)
# Words that may stand between a marker's verb and the rest: "draagt daarmee ook bij aan",
# "leidt naar verwachting tot", "zorgt op die manier ervoor dat".
MARKER_FILLERS = {
    "zo",
    "daarmee",
    "hiermee",
    "daardoor",
    "hierdoor",
    "dan",
    "ook",
    "mede",
    "sterk",
    "fors",
    "direct",
    "indirect",
    "uiteindelijk",
    "op",
    "termijn",
    "naar",
    "verwachting",
    "onder",
    "andere",
    "meer",
    "wezenlijk",
    "positief",
    "aantoonbaar",
    "daadwerkelijk",
    "al",
    "vaak",
    "dus",
    "bovendien",
    "tevens",
    "niet",
    "alleen",
    "belangrijke",
    "grote",
    "waardevolle",
    "wezenlijke",
    "positieve",
}
FLEXIBLE_MARKER_VERBS = {"draagt", "dragen", "leidt", "leiden", "zorgt", "zorgen", "bijdrage"}
# "ter ondersteuning van", "ter bestrijding van": a noun in -ing between "ter" and "van".
TER_NOUN = re.compile(r"[a-z]+ing")
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
PAGE_LABEL = re.compile(r"p\.?\d+")
# Participles of purpose verbs: "kan de druk op de wijkverpleging verminderd worden".
PURPOSE_PARTICIPLES = {
    "verminderd",
    "voorkomen",
    "teruggedrongen",
    "vervangen",
    "uitgesteld",
    "ontlast",
    "beperkt",
    "verlaagd",
    "verbeterd",
    "vergroot",
    "bevorderd",
    "gegarandeerd",
    "geborgd",
    "opgevangen",
}
MODAL_EFFECTS = PURPOSE_VERBS | PURPOSE_PARTICIPLES
# Effect verbs whose object is what the expectation serves: "een sterke sociale basis bevordert ...".
EFFECT_VERBS = {
    "bevordert",
    "bevorderen",
    "vergroot",
    "vergroten",
    "verbetert",
    "verbeteren",
    "vermindert",
    "voorkomt",
    "beperkt",
    "beperken",
    "verlaagt",
    "verlagen",
    "verkleint",
    "verkleinen",
    "versterkt",
}
COMPLEMENT_HEADS = {
    "stimuleren",
    "gestimuleerd",
    "vragen",
    "gevraagd",
    "oproepen",
    "opgeroepen",
    "verzoeken",
    "verzocht",
    "aanmoedigen",
    "aangemoedigd",
    "uitnodigen",
    "uitgenodigd",
    "motiveren",
    "gemotiveerd",
    "proberen",
    "besluiten",
    "besloten",
    "durven",
    "weigeren",
    "beloven",
    "kans",
    "kansen",
    "gelegenheid",
    "mogelijkheid",
    "mogelijkheden",
    "moeite",
    "zin",
    "bereid",
    "bereidheid",
    "verzoek",
    "oproep",
    "staat",  # in staat om ... te
    "toegerust",
    "uitgerust",
}
# Words that open a new clause between such a verb and "om" ("en" does not: it joins objects).
CLAUSE_OPENERS = {"maar", "dat", "die", "zodat", "omdat", "als", "waarbij"}
# Verbs that take an object before their om-complement: "wij vragen buurtverenigingen om ... te".
OBJECT_COMPLEMENT_VERBS = {
    "vragen",
    "gevraagd",
    "vraagt",
    "vraag",
    "verzoeken",
    "verzocht",
    "verzoekt",
    "oproepen",
    "opgeroepen",
    "roepen",
    "roept",
    "aanmoedigen",
    "aangemoedigd",
    "moedigen",
    "stimuleren",
    "stimuleert",
    "gestimuleerd",
    "uitnodigen",
    "uitgenodigd",
    "nodigen",
    "motiveren",
    "motiveert",
    "gemotiveerd",
    "toerusten",
    "toegerust",
    "rusten",
    "stellen",  # in staat stellen om
    "gesteld",
}
GOAL_NOUNS = {"doel", "doelen", "doelstelling", "doelstellingen", "ambitie", "streven", "hoofddoel"}
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
    words = [t.lower_ for t in tokens]
    offset = tokens[0].idx if tokens else 0
    found: list[Purpose] = []
    for i, token in enumerate(tokens):
        marker = _marker_at(words, i)
        if not marker or (found and tokens[i].idx - offset < found[-1].end):
            continue
        start = i + len(marker)
        end = _clause_end(tokens, start)
        if marker == ("om",):
            if _complement_om(tokens, i):
                continue
            te_end = _om_clause_end(tokens, start, end)
            if te_end is None:
                continue
            end = _widen_by_parse(token, te_end, end, tokens[0].i)
        span = _trim(tokens, start, end)
        if span:
            found.append(Purpose(span[0] - offset, span[1] - offset, " ".join(marker)))
    if found:
        return found
    fallback = _conditional(tokens, offset) or _modal_purpose(tokens, offset) or _effect_purpose(tokens, offset)
    return [fallback] if fallback else []


def _marker_at(words: list[str], i: int) -> tuple[str, ...] | None:
    """The marker that starts at word `i` (MARKERS lists longer ones first), as the words it covers:
    a marker verb may be followed by a few fillers ("leidt naar verwachting tot")."""
    for marker in MARKERS_BY_FIRST.get(words[i], ()):
        if tuple(words[i : i + len(marker)]) == marker:
            return marker
        if marker[0] in FLEXIBLE_MARKER_VERBS:
            j = i + 1
            while j < len(words) and j - i <= 4 and words[j] in MARKER_FILLERS and words[j] != marker[1]:
                j += 1
            if j > i + 1 and tuple(words[j : j + len(marker) - 1]) == marker[1:]:
                return tuple(words[i : j + len(marker) - 1])
    if words[i] == "ter" and i + 2 < len(words) and words[i + 2] == "van" and TER_NOUN.fullmatch(words[i + 1]):
        return tuple(words[i : i + 3])
    return None


def _clause_end(tokens: list[Token], start: int) -> int:
    """Token index where the clause that begins at `start` ends (exclusive)."""
    depth = 0
    for j in range(start, len(tokens)):
        text = tokens[j].text
        if text in BOUNDARY or _page_reference(tokens, j):
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


def _page_reference(tokens: list[Token], j: int) -> bool:
    """ "(p. 5)", "(p 5)", "(p15)": a page reference that a quote carries, never part of a clause."""
    text = tokens[j].text.lower()
    if text in {"(p.", "(p"}:
        return True
    following = tokens[j + 1].lower_ if j + 1 < len(tokens) else ""
    return text == "(" and (following in {"p.", "p", "pag.", "blz."} or PAGE_LABEL.fullmatch(following) is not None)


def _complement_om(tokens: list[Token], i: int) -> bool:
    """ "gestimuleerd worden om ... te", "de kans om ... te": an om-clause that completes a verb or
    noun says what is asked or possible, not what it serves."""
    before = [t for t in tokens[max(0, i - 3) : i] if not t.is_punct][-2:]
    if any(t.lower_ in COMPLEMENT_HEADS or t.lemma_.lower() in COMPLEMENT_HEADS for t in before):
        return True
    # A verb that asks someone something, with its object between it and "om" (same clause).
    for t in reversed(tokens[max(0, i - 8) : i]):
        if t.is_punct or t.lower_ in CLAUSE_OPENERS:
            return False
        if t.lower_ in OBJECT_COMPLEMENT_VERBS or t.lemma_.lower() in OBJECT_COMPLEMENT_VERBS:
            return True
    return False


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
    # One word can be a purpose ("ter voorkoming van eenzaamheid"), but not a stray short one.
    if end - start < 1 or (end - start == 1 and not (tokens[start].is_alpha and len(tokens[start]) >= 5)):
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
        verbs = [j for j in range(i + 1, end) if tokens[j].lower_ in MODAL_EFFECTS]
        if verbs and verbs[-1] - i >= 2:
            last = verbs[-1] + 1
            while last < end and _is_infinitive(tokens[last]) and tokens[last].lower_ not in {"en"}:
                last += 1
            span = _trim(tokens, i + 1, last)
            if span:
                return Purpose(span[0] - offset, span[1] - offset, token.lower_)
    return None


def _effect_purpose(tokens: list[Token], offset: int) -> Purpose | None:
    """ "X bevordert / vergroot / voorkomt Y": the object Y, up to the end of its clause."""
    for i, token in enumerate(tokens[1:], start=1):
        if token.lower_ in EFFECT_VERBS and not tokens[i - 1].is_punct:
            span = _trim(tokens, i + 1, _clause_end(tokens, i + 1))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, token.lower_)
    return None


def find_goal(doc: Doc | Span) -> Purpose | None:
    """A goal statement's goal phrase, when the passage opens like one."""
    tokens = [
        t
        for t in doc
        if t.text not in {"[", "]"}
        and not (t.is_punct and t.text in {"‘", "'", "…", "(", ")", "“", '"'} and t.i == doc[0].i)
    ]
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
            span = _trim(tokens, first, _clause_end(tokens, first) if first else _line_end(tokens))
            if span:
                return Purpose(span[0] - offset, span[1] - offset, " ".join(start), goal=True)
    return _goal_noun_opening(tokens, offset) or _purpose_fragment(tokens, offset)


def _line_end(tokens: list[Token]) -> int:
    """A nominal goal line runs to its end, short of a page reference."""
    return next((j for j in range(len(tokens)) if _page_reference(tokens, j)), len(tokens))


def _goal_noun_opening(tokens: list[Token], offset: int) -> Purpose | None:
    """ "Eén van de doelen van deze wet is dat ...", "Het doel van de aanpak is ...": what follows "is"."""
    for i, token in enumerate(tokens[:8]):
        if token.lower_ not in GOAL_NOUNS:
            continue
        for j in range(i + 1, min(i + 8, len(tokens))):
            if tokens[j].lower_ in {"is", "zijn", ":"}:
                first = j + 1 + (j + 1 < len(tokens) and tokens[j + 1].lower_ in {"dat", "om", "te"})
                span = _trim(tokens, first, _clause_end(tokens, first))
                return Purpose(span[0] - offset, span[1] - offset, token.lower_, goal=True) if span else None
            if tokens[j].is_punct:
                break
        return None
    return None


def _purpose_fragment(tokens: list[Token], offset: int) -> Purpose | None:
    """A line that is only an om-clause ("… om de zorg ook in 2040 te kunnen garanderen."): a goal."""
    if not tokens or tokens[0].lower_ != "om":
        return None
    end = _clause_end(tokens, 1)
    if any(not t.is_punct for t in tokens[end:]):
        return None
    te_end = _om_clause_end(tokens, 1, end)
    if te_end is None or any(not t.is_punct for t in tokens[te_end:]):
        return None
    span = _trim(tokens, 1, te_end)
    return Purpose(span[0] - offset, span[1] - offset, "om", goal=True) if span else None
