"""The flow: typed passage records out of `process_document`, and the run collected from them."""

from __future__ import annotations

import gc
import pickle

import pandas as pd
import pytest
from conftest import SAMPLE

from sbtext.api import analyze_to_dir
from sbtext.pipeline import YOUNG_OBJECTS, Options, process_document
from sbtext.records import PASSAGE_COLUMNS, PASSAGE_TYPES, Cue
from sbtext.write.files import read_cues

ONE = SAMPLE / "003_1914dd54163749e7.txt"


@pytest.fixture(scope="module")
def tagged():
    return process_document(ONE)


def test_records_hold_every_column_of_the_schema_with_its_type(tagged):
    assert tagged.passages
    for record in tagged.passages:
        assert list(record) == PASSAGE_COLUMNS
        for column, kind in PASSAGE_TYPES.items():
            assert isinstance(record[column], kind), (column, record[column])  # type: ignore[literal-required]


def test_cue_offsets_stay_cues_until_the_file_and_read_back_the_same(tagged, tmp_path):
    from sbtext.api import analyze_to_dir

    with_cues = [r for r in tagged.passages if r["cue_offsets"]]
    assert with_cues and all(isinstance(c, Cue) for r in with_cues for c in r["cue_offsets"])
    for record in with_cues:
        assert all(record["text"][c.start : c.end] for c in record["cue_offsets"])
    analyze_to_dir(ONE, tmp_path)
    written = pd.read_csv(tmp_path / "passages.csv", keep_default_na=False)
    for record, text in zip(tagged.passages, written["cue_offsets"], strict=True):
        back = read_cues(text)
        assert [(c.start, c.end, c.label, c.rule) for c in back] == [
            (c.start, c.end, c.label, c.rule) for c in record["cue_offsets"]
        ]


def test_a_document_result_comes_back_whole_from_a_worker_process(tagged):
    back = pickle.loads(pickle.dumps(tagged))
    assert back == tagged and back.passages == tagged.passages
    cues = [c for r in back.passages for c in r["cue_offsets"]]
    assert cues and all(type(c) is Cue for c in cues)


def test_untagged_records_hold_the_passage_columns_only():
    result = process_document(ONE, options=Options(tag=False))
    assert result.passages and all(list(r) == PASSAGE_COLUMNS[:12] for r in result.passages)
    assert result.document["n_passages"] == len(result.passages)


def test_a_run_keeps_what_existed_before_it_out_of_the_collectors_passes_and_gives_it_back(tmp_path):
    during = []
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    analyze_to_dir(
        SAMPLE,
        tmp_path / "out",
        on_document=lambda result: during.append((gc.get_freeze_count(), gc.get_threshold())),
    )
    assert during and min(frozen for frozen, _ in during) > 10_000  # the models and the pipeline, at least
    assert all(threshold[0] >= YOUNG_OBJECTS and threshold[1:] == before[1:] for _, threshold in during)
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
