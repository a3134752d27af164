"""Small helpers the tests share (kept out of conftest so they can be imported)."""

from __future__ import annotations

from sbtext.segment import sentence_bounds

# Every file `sbtext analyze --out` writes, as the README lists them.
OUTPUTS = [
    "passages.csv",
    "documents.csv",
    "expectations.csv",
    "expectations_long.csv",
    "framing_by_source.csv",
    "purpose_by_source.csv",
    "spheres_by_framing.csv",
    "errors.csv",
    "sbtext.xlsx",
    "expectations.md",
    "report.html",
    "run.json",
]


def sentences(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [text[s:e] for s, e in sentence_bounds(doc)]
