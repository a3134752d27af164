"""The Dutch display labels against the one definition of each vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sbtext import codebook, labels

PACKAGE = Path(codebook.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("table", "vocabulary"),
    [
        (labels.FRAMING, codebook.FRAMINGS),
        (labels.SPHERES, codebook.SPHERES),
        (labels.CATEGORIES, codebook.CATEGORIES),
    ],
)
def test_every_code_has_a_dutch_label_and_every_label_a_code(table, vocabulary):
    assert list(table) == list(vocabulary)
    assert all(isinstance(word, str) and word for word in table.values())


@pytest.mark.parametrize(
    "listing",
    [
        r'"intrinsic",\s*"instrumental",\s*"both"',
        r'"(persoonlijk|gemeenschappelijk|institutioneel)",\s*"(gemeenschappelijk|institutioneel)"',
        r'"zorg_toegankelijk_betaalbaar",\s*"arbeidsmarkt_ontlasten_professionals"',
    ],
)
def test_a_vocabulary_is_listed_in_one_module_only(listing):
    """Framings, spheres and purpose categories are spelled out in `sbtext.codebook` alone; every
    other module imports them from there (a cue list named like a framing is no listing of them)."""
    found = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(listing, path.read_text(encoding="utf-8"))
    )
    assert found == ["codebook/__init__.py"]
