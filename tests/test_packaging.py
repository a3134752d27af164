"""What an installed sbtext says about itself: version, licence, typing, spaCy factories."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import sbtext


def test_one_version_everywhere():
    assert metadata.version("sbtext") == sbtext.__version__


def test_licence_is_declared_as_an_expression_with_its_file():
    meta = metadata.metadata("sbtext")
    assert meta["License-Expression"] == "MIT"
    assert (Path(__file__).parents[1] / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_package_is_marked_typed():
    assert (Path(sbtext.__file__).parent / "py.typed").is_file()


def test_spacy_factories_are_entry_points():
    names = {e.name for e in metadata.entry_points(group="spacy_factories") if e.value.startswith("sbtext.")}
    assert names == {"sbtext_cue_ruler_v2", "sbtext_sentencizer_v1", "sbtext_simplemma_v1"}


def test_openpyxl_is_not_a_runtime_dependency():
    requires = metadata.requires("sbtext") or []
    runtime = [r for r in requires if "extra ==" not in r]
    assert not any(r.lower().startswith("openpyxl") for r in runtime)
