"""Shared fixtures. The suite runs on the pipeline named by SBTEXT_SPACY_MODEL (default: the
offline fallback); `make test` runs it a second time on the trained stand-in when present."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
STAND_IN = ROOT.parent / "shared" / "models" / "nl_ud_lassysmall_sm"

os.environ.setdefault("SBTEXT_SPACY_MODEL", "blank")


@pytest.fixture(scope="session")
def model_name() -> str:
    return os.environ["SBTEXT_SPACY_MODEL"]


@pytest.fixture(scope="session")
def nlp(model_name: str):
    from sbtext.nlp import load_nlp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return load_nlp(model_name)


@pytest.fixture(scope="session")
def tagger(nlp):
    from sbtext.pipeline import Options, tagger_for

    return tagger_for(Options(spacy_model=os.environ["SBTEXT_SPACY_MODEL"]))


@pytest.fixture(scope="session")
def sample_analysis():
    import sbtext

    return sbtext.analyze(SAMPLE)


@pytest.fixture(scope="module")
def letter_spans(tagger):
    """The processed passages (spans of their paragraphs) of a real ministry letter in `corpora/real`."""
    from sbtext.clean import clean_document
    from sbtext.read import read_document
    from sbtext.segment import passage_spans

    doc = clean_document(
        read_document(ROOT / "corpora" / "real" / "nat_vws_brief_azwa_d5_d6_financieringsinstrument_2026.pdf")
    )
    spans = [span for _, span in passage_spans(doc, tagger.nlp) if span is not None]
    assert len(spans) > 100
    return spans
