"""The output folder: written aside and swapped in whole, locked, refused where it must not go."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE

from sbtext.api import analyze_to_dir
from sbtext.errors import SbtextError
from sbtext.outdir import HOLD_ENV

ONE = SAMPLE / "003_1914dd54163749e7.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sbtext", "analyze", *args, "--quiet"],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_run_killed_at_the_swap_leaves_the_previous_output_and_does_not_block_the_next(tmp_path):
    out = tmp_path / "out"
    analyze_to_dir(ONE, out)
    before = snapshot(out)
    marker = tmp_path / "at-swap"
    run = cli(str(SAMPLE), "--out", str(out), "--force", "--excel-csv", env={HOLD_ENV: str(marker)})
    deadline = time.monotonic() + 300
    while not marker.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), run.communicate()[1]
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert snapshot(out) == before  # the previous output, whole
    assert any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())  # the killed run's folder
    again = cli(str(SAMPLE), "--out", str(out), "--force", "--excel-csv")
    _, stderr = again.communicate(timeout=600)
    assert again.returncode == 0, stderr
    assert "passages.excel.csv" in snapshot(out) and snapshot(out)["passages.csv"] != before["passages.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "at-swap", "out"]


def test_a_run_killed_between_two_renames_is_repaired(tmp_path, monkeypatch):
    out = tmp_path / "out"
    analyze_to_dir(ONE, out)
    before = snapshot(out)
    os.rename(out, tmp_path / ".out.old-dead")  # where the fallback swap may be killed
    with pytest.raises(SbtextError, match="E080"):  # the previous output is back, and protected
        analyze_to_dir(ONE, out)
    assert snapshot(out) == before and not (tmp_path / ".out.old-dead").exists()


def test_the_fallback_swap_replaces_the_whole_folder(tmp_path, monkeypatch):
    monkeypatch.setattr("sbtext.outdir._exchange", lambda a, b: False)
    out = tmp_path / "out"
    analyze_to_dir(ONE, out, excel_csv=True)
    analyze_to_dir(ONE, out, force=True)
    assert not any(name.endswith(".excel.csv") for name in snapshot(out))  # no stale files
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_a_second_run_into_a_locked_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    with open(tmp_path / ".out.lock", "a+") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(SbtextError, match="E082"):
            analyze_to_dir(ONE, out)
        second = cli(str(ONE), "--out", str(out))
        _, stderr = second.communicate(timeout=600)
    assert second.returncode == 2 and "[E082]" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_a_leftover_temporary_folder_does_not_block_a_run(tmp_path):
    stale = tmp_path / ".out.tmp-oud"
    stale.mkdir()
    (stale / "passages.csv").write_text("half", encoding="utf-8")
    analyze_to_dir(ONE, tmp_path / "out")
    assert not stale.exists() and (tmp_path / "out" / "run.json").is_file()


def test_an_output_inside_an_input_or_holding_one_is_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "brief.txt").write_text("Buren helpen elkaar.\n", encoding="utf-8")
    for out in (corpus, corpus / "out"):
        with pytest.raises(SbtextError, match="E081"):
            analyze_to_dir(corpus, out)
    with pytest.raises(SbtextError, match="E085"):
        analyze_to_dir(corpus / "brief.txt", tmp_path, force=True)
    assert sorted(p.name for p in corpus.iterdir()) == ["brief.txt"]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["{empty}", "--out", "{tmp}/out"], "[E056]"),
        ([str(ONE), "--out", "{tmp}/file.txt/out"], "[E084]"),
        ([str(ONE), "--out", "{tmp}/out", "--top", "0"], "Invalid value"),
        ([str(SAMPLE), "--out", str(SAMPLE / "out")], "[E081]"),
    ],
)
def test_usage_and_environment_errors_exit_2_with_one_line(tmp_path, args, code):
    from typer.testing import CliRunner

    from sbtext.cli import app

    (tmp_path / "empty").mkdir()
    (tmp_path / "file.txt").write_text("geen map", encoding="utf-8")
    args = [a.format(tmp=tmp_path, empty=tmp_path / "empty") for a in args]
    result = CliRunner().invoke(app, ["analyze", *args, "--quiet"])
    assert result.exit_code == 2, result.output
    assert code in result.stderr and "Traceback" not in result.output


def test_a_full_disk_is_exit_2_with_one_line_and_the_previous_output_kept(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sbtext.cli import app

    out = tmp_path / "out"
    analyze_to_dir(ONE, out)
    before = snapshot(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sbtext.write.files.write_json", full)
    result = CliRunner().invoke(app, ["analyze", str(ONE), "--out", str(out), "--force", "--quiet"])
    assert result.exit_code == 2 and "[E084]" in result.stderr and "No space left" in result.stderr
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert snapshot(out) == before
