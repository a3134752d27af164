"""Round trips through the labelling tools' formats: export with suggestions, annotate, import, train.

The annotator is played by the project's own gold (annotations/seeds.jsonl labels every passage
of the sample corpus): each exported task is answered with the gold labels of its passage, as a
person correcting the suggestions would, and what comes back must be that gold exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from typer.testing import CliRunner

from sbtext.annotations import read_gold, validate_file
from sbtext.cli import app
from sbtext.exchange import (
    PURPOSE_LABEL,
    from_labelstudio,
    from_prodigy,
    labelstudio_config,
    purpose_offsets,
    to_labelstudio,
    to_prodigy,
)

# The sample document with enough labelled purposes of two categories for the models to train on.
DOC = SAMPLE / "000_08054babf0bde989.txt"
LABELS = ("expectation", "framing", "purpose", "purpose_category", "spheres", "goal_statement")
runner = CliRunner()


@pytest.fixture(scope="module")
def gold() -> dict[str, dict]:
    return {r["id"]: r for r in read_gold([ROOT / "annotations" / "seeds.jsonl"], skip_duplicates=False)}


def labels(record: dict) -> dict:
    return {k: (sorted(record[k]) if k == "spheres" else record.get(k, False)) for k in LABELS}


def export(tmp_path: Path, fmt: str) -> Path:
    out = tmp_path / f"tasks.{'json' if fmt == 'labelstudio' else 'jsonl'}"
    result = runner.invoke(
        app,
        ["annotations", "export", str(DOC), "--out", str(out), "--format", fmt, "--suggest", "--spacy-model", "blank"],
    )
    assert result.exit_code == 0, result.output
    return out


def import_(source: Path, target: Path) -> str:
    result = runner.invoke(app, ["annotations", "import", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    return result.output


def test_prodigy_tasks_carry_suggestions_not_answers(tmp_path):
    tasks = [json.loads(line) for line in export(tmp_path, "prodigy").read_text(encoding="utf-8").splitlines()]
    assert len(tasks) > 10
    assert all("answer" not in t and t["meta"]["suggested"] for t in tasks)
    suggested = [t for t in tasks if "expectation" in t["accept"]]
    assert suggested, "the models suggest at least one expectation in this document"
    for task in tasks:
        for span in task["spans"]:
            assert span["source"] == "sbtext-model"
            assert 0 <= span["start"] < span["end"] <= len(task["text"])
    purposes = [s for t in tasks for s in t["spans"] if s["label"] == PURPOSE_LABEL]
    cues = [s for t in tasks for s in t["spans"] if s["label"].startswith("CUE_")]
    assert purposes and cues


def test_prodigy_round_trip_then_train(tmp_path, gold):
    tasks_file = export(tmp_path, "prodigy")
    answered = []
    for n, line in enumerate(tasks_file.read_text(encoding="utf-8").splitlines()):
        task = json.loads(line)
        truth = to_prodigy(gold[task["meta"]["id"]])
        if n == 3:  # one the annotator skipped
            answered.append({**task, "answer": "ignore"})
            continue
        answered.append({**task, "accept": truth["accept"], "spans": truth["spans"], "answer": "accept"})
    edited = tmp_path / "answered.jsonl"
    edited.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in answered), encoding="utf-8")
    target = tmp_path / "gold.jsonl"
    message = import_(edited, target)
    assert f"{len(answered) - 1} labelled, 1 still to do" in message
    assert validate_file(target) == []
    back = read_gold([target])
    assert len(back) == len(answered) - 1
    for record in back:
        assert labels(record) == labels(gold[record["id"]]), record["id"]
        assert record["doc_id"] == gold[record["id"]]["doc_id"]
    models = tmp_path / "models"
    trained = runner.invoke(app, ["train", str(target), "--out", str(models), "--spacy-model", "blank"])
    assert trained.exit_code == 0, trained.output
    assert json.loads((models / "manifest.json").read_text(encoding="utf-8"))["counts"]["records"] == len(back)


def test_doccano_jsonl_is_read_too(tmp_path, gold):
    record = next(r for r in gold.values() if r["purpose"] and r["expectation"])
    where = purpose_offsets(record["text"], record)
    assert where is not None
    chosen = to_prodigy(record)["accept"]
    line = {"id": record["id"], "text": record["text"], "label": [[where[0], where[1], PURPOSE_LABEL], *chosen]}
    assert labels(from_prodigy(line)) == labels(record)


def test_labelstudio_tasks_and_config(tmp_path):
    out = export(tmp_path, "labelstudio")
    tasks = json.loads(out.read_text(encoding="utf-8"))
    config = out.with_suffix(".config.xml").read_text(encoding="utf-8")
    assert config == labelstudio_config() + "\n"
    names = {"text", "purpose", "expectation", "framing", "spheres", "category", "goal_statement"}
    assert all(f'name="{n}"' in config for n in names)
    for task in tasks:
        (prediction,) = task["predictions"]
        assert {r["from_name"] for r in prediction["result"]} <= names
        for result in prediction["result"]:
            if result["type"] == "labels":
                value = result["value"]
                assert task["data"]["text"][value["start"] : value["end"]] == value["text"]


def labelstudio_export(tasks: list[dict], gold: dict[str, dict]) -> list[dict]:
    """What Label Studio's JSON export holds after an annotator answered each task with the gold."""
    exported = []
    for n, task in enumerate(tasks, start=1):
        truth = to_labelstudio({**gold[task["data"]["sbtext_id"]], "suggestion": gold[task["data"]["sbtext_id"]]})
        annotation = {
            "id": n,
            "completed_by": 1,
            "was_cancelled": n == 2,
            "result": [{**r, "id": f"r{n}_{k}"} for k, r in enumerate(truth["predictions"][0]["result"])],
        }
        exported.append(
            {"id": n, "data": task["data"], "annotations": [annotation], "predictions": task["predictions"]}
        )
    return exported


def test_labelstudio_round_trip_on_the_documented_export_then_train(tmp_path, gold):
    tasks = json.loads(export(tmp_path, "labelstudio").read_text(encoding="utf-8"))
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(labelstudio_export(tasks, gold), ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "gold.jsonl"
    assert "1 still to do" in import_(exported, target)
    back = read_gold([target])
    assert len(back) == len(tasks) - 1
    for record in back:
        assert labels(record) == labels(gold[record["id"]]), record["id"]
    trained = runner.invoke(app, ["train", str(target), "--out", str(tmp_path / "m"), "--spacy-model", "blank"])
    assert trained.exit_code == 0, trained.output


@pytest.mark.parametrize(
    ("task", "problem"),
    [
        (
            {"text": "x", "meta": {"id": "a"}, "answer": "accept", "accept": ["framing:intrinsic"], "spans": []},
            "framing must be 'none' exactly when",
        ),
        (
            {"text": "x", "meta": {"id": "a"}, "answer": "accept", "accept": ["expectation"], "spans": []},
            "framing must be 'none' exactly when",
        ),
        (
            {
                "text": "De buren helpen.",
                "meta": {"id": "a"},
                "answer": "accept",
                "accept": ["expectation", "framing:intrinsic", "framing:instrumental"],
                "spans": [],
            },
            "framing 'intrinsic+instrumental' is not one of",
        ),
    ],
)
def test_import_refuses_inconsistent_answers(tmp_path, task, problem):
    source = tmp_path / "t.jsonl"
    source.write_text(json.dumps(task) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["annotations", "import", str(source), "--out", str(tmp_path / "g.jsonl")])
    assert result.exit_code == 1
    assert problem in result.output and "t.jsonl:1:" in result.output
    assert not (tmp_path / "g.jsonl").exists()


def test_labelstudio_task_without_annotation_stays_to_do():
    record = from_labelstudio({"id": 7, "data": {"text": "Tekst.", "sbtext_id": "p1"}, "annotations": []})
    assert record == {"id": "p1", "text": "Tekst.", "status": "todo"}


def test_import_names_a_broken_file(tmp_path):
    source = tmp_path / "kapot.json"
    source.write_text("[{", encoding="utf-8")
    result = runner.invoke(app, ["annotations", "import", str(source), "--out", str(tmp_path / "g.jsonl")])
    assert result.exit_code == 2 and "E031" in result.output and "kapot.json" in result.output
