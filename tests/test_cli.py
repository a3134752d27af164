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
from sbtext.errors import SbtextError

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


HEAVY_MODULES = ("spacy", "sklearn", "pandas", "pypdfium2", "lxml", "skops")


@pytest.mark.parametrize(
    "args",
    [
        ["--version"],
        ["--help"],
        ["analyze", "--help"],
        ["evaluate", "--help"],
        ["train", "--help"],
        ["agreement", "--help"],
        ["kwic", "--help"],
        ["annotations", "validate", "--help"],
        ["annotations", "export", "--help"],
        ["codebook", "copy", "--help"],
    ],
)
def test_help_and_version_load_no_heavy_library(args):
    # Loading spaCy, scikit-learn and pandas costs seconds; help and version must not pay for it.
    probe = (
        "import sys\n"
        "from sbtext.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit as e:\n"
        "    assert e.code in (0, None), e.code\n"
        f"print('loaded:', *(m for m in {HEAVY_MODULES!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].strip() == "loaded:"


def test_version_prints_the_package_version():
    from sbtext import __version__

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"sbtext {__version__}"


GOLD_SMALL = str(DATA / "gold_small.jsonl")


@pytest.mark.parametrize(
    ("make_args", "existing"),
    [
        (lambda d: ["agreement", GOLD_SMALL, GOLD_SMALL, "--out", str(d / "x.csv")], "x.csv"),
        (lambda d: ["codebook", "copy", str(d / "x.yaml")], "x.yaml"),
        (lambda d: ["kwic", "buren", str(SAMPLE / "003_1914dd54163749e7.txt"), "--out", str(d / "x.csv")], "x.csv"),
    ],
)
def test_every_writing_command_keeps_an_existing_output_unless_forced(tmp_path, make_args, existing):
    (tmp_path / existing).write_text("van de gebruiker\n", encoding="utf-8")
    refused = runner.invoke(app, make_args(tmp_path))
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert (tmp_path / existing).read_text(encoding="utf-8") == "van de gebruiker\n"
    forced = runner.invoke(app, [*make_args(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / existing).read_text(encoding="utf-8") != "van de gebruiker\n"


def test_train_keeps_models_already_in_out(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "manifest.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["train", GOLD_SMALL, "--out", str(tmp_path / "models")])
    assert result.exit_code == 2 and "--force" in result.output
    assert (tmp_path / "models" / "manifest.json").read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize(
    "make_args",
    [
        lambda d: ["agreement", GOLD_SMALL, GOLD_SMALL, "--out", str(d / "nergens" / "x.csv")],
        lambda d: ["codebook", "copy", str(d / "nergens" / "x.yaml")],
        lambda d: [
            "annotations",
            "export",
            str(SAMPLE / "003_1914dd54163749e7.txt"),
            "--out",
            str(d / "nergens" / "x.jsonl"),
        ],
    ],
)
def test_a_missing_output_folder_is_a_usage_error_not_a_traceback(tmp_path, make_args):
    result = runner.invoke(app, make_args(tmp_path))
    assert result.exit_code == 2
    assert "does not exist" in result.output
    assert not (tmp_path / "nergens").exists()


def test_annotation_export_never_replaces_a_file_and_says_so(tmp_path):
    target = tmp_path / "labels.jsonl"
    target.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(
        app, ["annotations", "export", str(SAMPLE / "003_1914dd54163749e7.txt"), "--out", str(target)]
    )
    assert result.exit_code == 2
    assert "--force" not in result.output and "another name" in result.output
    assert target.read_text(encoding="utf-8") == '{"id": "x"}\n'


def test_to_excel_keeps_an_existing_workbook_unless_forced(sample_analysis, tmp_path):
    target = tmp_path / "tabel.xlsx"
    target.write_bytes(b"van de gebruiker")
    with pytest.raises(SbtextError, match="E080"):
        sample_analysis.to_excel(target)
    assert target.read_bytes() == b"van de gebruiker"
    sample_analysis.to_excel(target, force=True)
    assert target.read_bytes()[:2] == b"PK"


def test_annotation_export_reports_a_document_it_cannot_read(tmp_path):
    (tmp_path / "kapot.pdf").write_bytes(b"%PDF-1.4 afgebroken")
    (tmp_path / "brief.txt").write_text("Vrijwilligers helpen buren met boodschappen.", encoding="utf-8")
    result = run("annotations", "export", str(tmp_path), "--out", str(tmp_path / "labels.jsonl"))
    assert result.returncode == 1
    assert "kapot.pdf" in result.stderr and "could not be read" in result.stderr
    records = (tmp_path / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(records) == 1 and "Vrijwilligers" in records[0]


def test_warnings_reach_stderr_not_only_errors_csv(tmp_path):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    docs = tmp_path / "docs"
    docs.mkdir()
    image = tmp_path / "scan.png"
    Image.new("RGB", (200, 280), (240, 240, 235)).save(image)
    c = canvas.Canvas(str(docs / "half.pdf"), pagesize=A4)
    c.drawString(72, 700, "Vrijwilligers helpen buren met boodschappen, zodat zij thuis kunnen blijven.")
    c.showPage()
    c.drawImage(str(image), 50, 50, width=495, height=740)
    c.showPage()
    c.save()
    text = "Mantelzorgers spelen een rol in de wijk."
    (docs / "a.txt").write_text(text, encoding="utf-8")
    (docs / "kopie.txt").write_text(text, encoding="utf-8")
    result = run("analyze", str(docs), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0, result.stderr  # warnings are not failures
    assert "W003" in result.stderr and "OCR" in result.stderr
    assert "W006" in result.stderr and "same content" in result.stderr
    errors = (tmp_path / "out" / "errors.csv").read_text(encoding="utf-8")
    assert "W003" in errors and "W006" in errors


def test_dask_engine_without_dask_is_a_usage_error_with_the_install_hint(tmp_path):
    probe = (
        "import sys\n"
        "sys.modules['dask'] = None; sys.modules['dask.bag'] = None\n"
        "from sbtext.cli import app\n"
        f"app(['analyze', {str(SAMPLE)!r}, '--out', {str(tmp_path / 'out')!r}, '--engine', 'dask', '--quiet'])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 2
    assert "pip install" in result.stderr and "sbtext[dask]" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_export_samples_the_most_uncertain_passage_of_each_document(tmp_path):
    import sbtext

    target = tmp_path / "uncertain.jsonl"
    args = ["annotations", "export", str(SAMPLE), "--out", str(target), "--sample", "uncertain", "-n", "5"]
    result = runner.invoke(app, [*args, "--suggest"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    passages = sbtext.analyze(SAMPLE).passages
    from sbtext.pipeline import Options, tagger_for

    distance = (passages.expectation_score - tagger_for(Options()).models.threshold).abs()
    closest = passages.loc[distance.groupby(passages.doc_id).idxmin()]
    assert {r["id"] for r in records} == set(closest.passage_id)
    assert all(r["status"] == "todo" and "expectation_score" in r["suggestion"] for r in records)
    again = tmp_path / "random.jsonl"
    args = ["annotations", "export", str(SAMPLE), "--out", str(again), "--sample", "random", "-n", "7", "--seed", "2"]
    assert runner.invoke(app, args).exit_code == 0
    assert len(again.read_text(encoding="utf-8").splitlines()) == 7


def test_train_tells_what_it_does_while_it_works(tmp_path):
    gold = str(SAMPLE.parent.parent / "annotations" / "seeds.jsonl")
    result = run("train", gold, "--out", str(tmp_path / "modellen"))
    assert result.returncode == 0, result.stderr
    steps = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(steps) >= 6
    assert any("expectation model" in s for s in steps) and any("saving" in s for s in steps)
    assert (tmp_path / "modellen" / "manifest.json").is_file()


def _edited_codebook(folder: Path) -> Path:
    """A copy of the default codebook that counts one more word as the sociale basis."""
    import yaml

    from sbtext.codebook import default_codebook_path

    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    data["name"] = "dorpscodeboek"
    data["spheres"]["gemeenschappelijk"].append("dorpsraad*")
    path = folder / "dorpscodeboek.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_models_refuse_another_codebook_unless_allowed(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "brief.txt").write_text(
        "De dorpsraad en de vrijwilligers organiseren de burenhulp, zodat ouderen thuis kunnen blijven.\n",
        encoding="utf-8",
    )
    edited = _edited_codebook(tmp_path)
    args = ["analyze", str(tmp_path / "in"), "--codebook", str(edited), "--quiet"]
    refused = runner.invoke(app, [*args, "--out", str(tmp_path / "geweigerd")])
    assert refused.exit_code == 2
    assert "E072" in refused.output and "sbtext-default" in refused.output and "dorpscodeboek" in refused.output
    assert "--allow-codebook-mismatch" in refused.output
    assert not (tmp_path / "geweigerd").exists()
    allowed = runner.invoke(app, [*args, "--out", str(tmp_path / "toegestaan"), "--allow-codebook-mismatch"])
    assert allowed.exit_code == 0, allowed.output
    run_info = json.loads((tmp_path / "toegestaan" / "run.json").read_text(encoding="utf-8"))
    assert run_info["codebook"]["name"] == "dorpscodeboek"
    assert "dorpsraad" in (tmp_path / "toegestaan" / "passages.csv").read_text(encoding="utf-8")


def test_trained_models_record_their_codebook_and_refuse_another(tmp_path):
    from sbtext.codebook import load_codebook

    edited = _edited_codebook(tmp_path)
    models = tmp_path / "modellen"
    gold = str(ROOT / "annotations" / "seeds_annotator_b.jsonl")
    trained = runner.invoke(app, ["train", gold, "--codebook", str(edited), "--out", str(models)])
    assert trained.exit_code == 0, trained.output
    manifest = json.loads((models / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["codebook_name"] == "dorpscodeboek"
    assert manifest["codebook_rules_sha256"] == load_codebook(edited).rules_sha256
    evaluate = ["evaluate", GOLD_SMALL, "--models", str(models), "--json"]
    refused = runner.invoke(app, evaluate)
    assert refused.exit_code == 2 and "E072" in refused.output and "dorpscodeboek" in refused.output
    assert runner.invoke(app, [*evaluate, "--codebook", str(edited)]).exit_code == 0
    assert runner.invoke(app, [*evaluate, "--allow-codebook-mismatch"]).exit_code == 0
