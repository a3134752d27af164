"""Every command end to end, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE
from typer.testing import CliRunner

from sbtext.cli import app

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sbtext", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_analyze_end_to_end(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", str(SAMPLE), "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "language backend:" in result.stderr
    for name in ("passages.csv", "documents.csv", "expectations.csv", "errors.csv", "run.json", "sbtext.xlsx"):
        assert (out / name).is_file()
    again = run("analyze", str(SAMPLE), "--out", str(out))
    assert again.returncode == 2 and "E080" in again.stderr


def test_analyze_exits_non_zero_when_a_document_fails_but_writes_the_rest(tmp_path):
    (tmp_path / "leeg.pdf").write_bytes(b"")
    (tmp_path / "brief.txt").write_text(
        "Vrijwilligers helpen buren met boodschappen, zodat zij thuis kunnen blijven.", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(tmp_path / "leeg.pdf"), str(tmp_path / "brief.txt"), "--out", str(out)])
    assert result.exit_code == 1
    errors = (out / "errors.csv").read_text(encoding="utf-8")
    assert "E002" in errors and "leeg.pdf" in errors
    assert "brief" in (out / "passages.csv").read_text(encoding="utf-8")


def test_evaluate_json_has_the_documented_shape():
    result = runner.invoke(app, ["evaluate", str(DATA / "gold_small.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert set(scores) == {"n", "expectation", "framing", "purpose", "purpose_category", "spheres"}
    assert set(scores["expectation"]) == {"precision", "recall", "f1"}
    assert scores["n"] == 4


def test_annotations_validate_reports_lines_and_fails():
    result = runner.invoke(app, ["annotations", "validate", str(DATA / "gold_bad.jsonl")])
    assert result.exit_code == 1
    assert "gold_bad.jsonl:2:" in result.stdout
    ok = runner.invoke(app, ["annotations", "validate", str(DATA / "gold_small.jsonl")])
    assert ok.exit_code == 0


def test_annotations_export_and_agreement(tmp_path):
    target = tmp_path / "blank.jsonl"
    result = runner.invoke(
        app, ["annotations", "export", str(SAMPLE / "003_1914dd54163749e7.txt"), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["status"] == "todo" and r["expectation"] is None for r in records)
    assert all("suggestion" not in r for r in records)
    assert runner.invoke(app, ["annotations", "export", str(SAMPLE), "--out", str(target)]).exit_code == 2
    checked = runner.invoke(app, ["annotations", "validate", str(target)])
    assert checked.exit_code == 0 and f"0 labelled, {len(records)} still to do" in checked.output
    # Blank records are nobody's labels: agreement on them is refused, not a perfect score.
    agree = runner.invoke(app, ["agreement", str(target), str(target), "--json"])
    assert agree.exit_code == 2 and "no record id is labelled in two files" in agree.output
    disagreements = tmp_path / "d.csv"
    gold = DATA / "gold_small.jsonl"
    agree = runner.invoke(app, ["agreement", str(gold), str(gold), "--out", str(disagreements), "--json"])
    assert agree.exit_code == 0
    scores = json.loads(agree.stdout.splitlines()[0])
    assert scores["expectation_kappa"] == 1.0 and scores["expectation_alpha"] == 1.0


def test_kwic_matches_lemma_and_form():
    result = runner.invoke(app, ["kwic", "mantelzorger", str(SAMPLE / "003_1914dd54163749e7.txt")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines and all("[" in line and "p. 1" in line for line in lines)
    assert any("[mantelzorgers]" in line for line in lines)


def test_codebook_show_and_copy(tmp_path):
    shown = runner.invoke(app, ["codebook", "show"])
    assert "spheres:" in shown.stdout
    target = tmp_path / "mijn.yaml"
    assert runner.invoke(app, ["codebook", "copy", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8") == shown.stdout.rstrip("\n") + "\n" or target.stat().st_size > 1000
    assert runner.invoke(app, ["codebook", "copy", str(target)]).exit_code == 2


@pytest.mark.slow
def test_train_writes_loadable_models(tmp_path):
    out = tmp_path / "models"
    gold = [ROOT / "annotations" / n for n in ("verwey_jonker_2023.jsonl", "constructed.jsonl")]
    result = runner.invoke(app, ["train", *map(str, gold), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["training_files"]) == {"verwey_jonker_2023.jsonl", "constructed.jsonl"}
    scored = runner.invoke(app, ["evaluate", str(DATA / "gold_small.jsonl"), "--models", str(out), "--json"])
    assert scored.exit_code == 0
    assert 0.0 <= json.loads(scored.stdout)["expectation"]["f1"] <= 1.0


def test_export_samples_the_most_uncertain_passage_of_each_document(tmp_path):
    import sbtext

    target = tmp_path / "uncertain.jsonl"
    args = ["annotations", "export", str(SAMPLE), "--out", str(target), "--sample", "uncertain", "-n", "5"]
    result = runner.invoke(app, [*args, "--suggest"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    passages = sbtext.analyze(SAMPLE).passages
    distance = (passages.expectation_score - 0.5).abs()
    closest = passages.loc[distance.groupby(passages.doc_id).idxmin()]
    assert {r["id"] for r in records} == set(closest.passage_id)
    assert all(r["status"] == "todo" and "expectation_score" in r["suggestion"] for r in records)
    again = tmp_path / "random.jsonl"
    args = ["annotations", "export", str(SAMPLE), "--out", str(again), "--sample", "random", "-n", "7", "--seed", "2"]
    assert runner.invoke(app, args).exit_code == 0
    assert len(again.read_text(encoding="utf-8").splitlines()) == 7
