from __future__ import annotations

import json
from pathlib import Path

import pytest

from sbtext.agreement import agreement
from sbtext.annotations import check_record, read_gold, validate_file, write_jsonl
from sbtext.errors import SbtextError
from sbtext.evaluate import score, token_f1

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def test_small_gold_is_valid_and_keeps_unknown_keys():
    records = read_gold([DATA / "gold_small.jsonl"])
    assert len(records) == 4
    assert records[2]["extra_key"] == "kept"


def test_every_violation_is_reported_with_its_line():
    problems = validate_file(DATA / "gold_bad.jsonl")
    lines = {p.line for p in problems}
    assert lines == {1, 2, 3, 4}
    messages = " ".join(p.message for p in problems)
    for expected in (
        "framing must be 'none' exactly when",
        "not a substring",
        "purpose_category must be empty",
        "not among",
        "not valid JSON",
        "duplicate id",
        "'expectation' must be true/false",
    ):
        assert expected in messages


@pytest.mark.parametrize(
    "name",
    [
        "seeds.jsonl",
        "verwey_jonker_2023.jsonl",
        "constructed.jsonl",
        "seeds_annotator_b.jsonl",
        "seeds_annotator_c.jsonl",
    ],
)
def test_project_annotation_files_validate(name):
    path = ROOT / "annotations" / name
    assert path.is_file(), f"{name} is part of the project"
    assert validate_file(path) == []


def test_check_record_accepts_a_goal_without_expectation():
    record = json.loads((DATA / "gold_small.jsonl").read_text(encoding="utf-8").splitlines()[3])
    assert check_record(record) == []


def test_write_jsonl_never_overwrites(tmp_path):
    target = tmp_path / "a.jsonl"
    write_jsonl([{"id": "x"}], target)
    with pytest.raises(SbtextError) as info:
        write_jsonl([{"id": "y"}], target)
    assert info.value.code == "E080"
    assert json.loads(target.read_text(encoding="utf-8")) == {"id": "x"}


@pytest.mark.parametrize(
    ("pred", "gold", "f1"),
    [("de zorg betaalbaar houden", "de zorg betaalbaar houden", 1.0), ("", "de zorg", 0.0), ("zorg", "de zorg", 2 / 3)],
)
def test_token_f1(pred, gold, f1):
    assert token_f1(pred, gold) == pytest.approx(f1)


def test_score_definitions():
    gold = read_gold([DATA / "gold_small.jsonl"])
    pred = [dict(g) for g in gold]
    pred[1] = {**pred[1], "expectation": False, "framing": "none", "spheres": []}
    pred[3] = {**pred[3], "purpose": "", "purpose_category": ""}
    scores = score(gold, pred)
    assert scores["expectation"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert scores["framing"]["accuracy"] == 0.5
    assert scores["purpose"] == {"token_f1": 1.0, "exact": 1.0}
    assert scores["purpose_category"]["accuracy"] == 0.5
    assert scores["spheres"]["micro_f1"] == 0.6667


def test_agreement_of_a_file_with_itself_is_perfect(tmp_path):
    scores, disagreements = agreement(DATA / "gold_small.jsonl", DATA / "gold_small.jsonl")
    assert scores["expectation_kappa"] == 1.0
    assert scores["purpose_token_f1"] == 1.0
    assert disagreements.empty


def test_agreement_lists_disagreements(tmp_path):
    records = [json.loads(line) for line in (DATA / "gold_small.jsonl").read_text(encoding="utf-8").splitlines()]
    records[0].update(expectation=False, framing="none", purpose="", purpose_category="", spheres=[])
    other = tmp_path / "b.jsonl"
    write_jsonl(records, other)
    scores, disagreements = agreement(DATA / "gold_small.jsonl", other)
    assert scores["expectation_kappa"] < 1.0
    assert set(disagreements["field"]) == {"expectation", "framing", "purpose", "purpose_category", "spheres"}


def test_seed_gold_covers_every_passage_of_the_sample_corpus():
    from sbtext.pipeline import Options, iter_results

    # Gold ids follow the offline fallback's segmentation, whatever pipeline this run uses.
    ids = {
        p["passage_id"]
        for r in iter_results([ROOT / "corpora" / "sample"], options=Options(spacy_model="blank", tag=False))
        for p in r.passages
    }
    gold = {r["id"] for r in read_gold([ROOT / "annotations" / "seeds.jsonl"], skip_duplicates=False)}
    assert ids == gold


def test_verwey_jonker_table_has_all_sources_with_pages():
    import csv

    with (ROOT / "annotations" / "verwey_jonker_2023.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["source", "column", "quote", "page", "note"]
    assert len({r["source"] for r in rows}) == 9
    assert {r["column"] for r in rows} == {"verwachting", "waartoe"}
    assert sum(r["column"] == "verwachting" for r in rows) >= 25
    assert sum(r["page"] != "" for r in rows) >= 40


def test_records_to_do_are_counted_apart_and_never_read_as_gold(tmp_path):
    from sbtext.annotations import blank_record, count_status

    labelled = read_gold([DATA / "gold_small.jsonl"])[0]
    labelled.pop("_file")
    todo = blank_record({"passage_id": "p9", "text": "Nog te doen.", "doc_id": "d", "page": 1})
    done_without_labels = {**todo, "id": "p10", "status": "done"}
    target = tmp_path / "mixed.jsonl"
    write_jsonl([labelled, todo], target)
    assert validate_file(target) == []
    assert count_status(target) == {"labelled": 1, "todo": 1}
    assert [r["id"] for r in read_gold([target])] == [labelled["id"]]
    assert "'expectation' must be true/false, got None" in check_record(done_without_labels)


def test_suggestions_stay_apart_from_the_labels():
    from sbtext.annotations import blank_record

    row = {
        "passage_id": "p1",
        "text": "Buren helpen elkaar, zodat ouderen thuis kunnen blijven.",
        "doc_id": "d",
        "page": "3",
        "expectation": True,
        "expectation_score": 0.81,
        "framing": "instrumental",
        "purpose": "ouderen thuis kunnen blijven",
        "purpose_start": 27,
        "purpose_end": 55,
        "purpose_category": "zelfredzaamheid_langer_thuis",
        "spheres": "persoonlijk",
        "goal_statement": False,
        "cue_offsets": json.dumps([[0, 5, "sphere:persoonlijk", "buur"], [27, 55, "purpose", "zodat"]]),
    }
    record = blank_record(row, suggest=True)
    assert record["status"] == "todo" and record["expectation"] is None
    suggestion = record["suggestion"]
    assert suggestion["expectation"] is True and suggestion["spheres"] == ["persoonlijk"]
    assert row["text"][suggestion["purpose_start"] : suggestion["purpose_end"]] == suggestion["purpose"]
    assert suggestion["cues"] == [{"start": 0, "end": 5, "label": "sphere:persoonlijk", "rule": "buur"}]


def passages_with(scores: dict[str, list[float]]) -> list[dict]:
    return [
        {"passage_id": f"{doc}-{k}", "doc_id": doc, "expectation_score": s}
        for doc, values in scores.items()
        for k, s in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("scores", "n", "chosen"),
    [
        # Closest to the threshold first, one per document while every document has its share.
        ({"a": [0.5, 0.49, 0.9], "b": [0.1, 0.3]}, 2, {"a-0", "b-1"}),
        # A document's share is n / documents, rounded up; the rest fills by closeness.
        ({"a": [0.5, 0.49, 0.51, 0.52], "b": [0.0], "c": [0.99]}, 3, {"a-0", "b-0", "c-0"}),
        ({"a": [0.5, 0.49, 0.51, 0.52], "b": [0.0]}, 4, {"a-0", "a-1", "a-2", "b-0"}),
        ({"a": [0.2, 0.7]}, 5, {"a-0", "a-1"}),
    ],
)
def test_uncertainty_sampling(scores, n, chosen):
    from sbtext.annotations import sample

    picked = sample(passages_with(scores), "uncertain", n)
    assert {p["passage_id"] for p in picked} == chosen


def test_random_sampling_is_seeded_and_keeps_corpus_order():
    from sbtext.annotations import sample

    passages = passages_with({"a": [0.1] * 50, "b": [0.9] * 50})
    first, again = sample(passages, "random", 10, seed=3), sample(passages, "random", 10, seed=3)
    assert first == again and len(first) == 10
    assert sample(passages, "random", 10, seed=4) != first
    order = [passages.index(p) for p in first]
    assert order == sorted(order)


def test_krippendorff_alpha_over_three_files_reports_missing_ids(tmp_path):
    from sbtext.agreement import alpha, coverage

    records = [json.loads(line) for line in (DATA / "gold_small.jsonl").read_text(encoding="utf-8").splitlines()]
    b = [dict(r) for r in records]
    b[1].update(expectation=False, framing="none", purpose="", purpose_category="", spheres=[])
    c = [dict(r) for r in records[:3]]
    paths = []
    for name, rows in (("a", records), ("b", b), ("c", c)):
        paths.append(tmp_path / f"{name}.jsonl")
        write_jsonl(rows, paths[-1])
    scores = alpha(paths)
    assert scores["coders"] == 3 and scores["units"] == 4
    assert scores["framing_alpha"] < 1.0 and scores["expectation_alpha"] < 1.0
    assert alpha(paths[:1] + paths[:1])["expectation_alpha"] == 1.0
    ids = coverage(paths)
    assert ids["ids_in_all_files"] == 3
    assert ids["missing"] == {str(paths[2]): [records[3]["id"]]}
