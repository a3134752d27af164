"""Small helpers the tests share (kept out of conftest so they can be imported)."""

from __future__ import annotations

from sbtext.segment import sentence_bounds
from sbtext.write import OUTPUT_FILES

# Every file `sbtext analyze --out` writes: the writer's own list.
OUTPUTS = list(OUTPUT_FILES)


def sentences(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [text[s:e] for s, e in sentence_bounds(doc)]
