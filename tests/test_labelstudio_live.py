"""The Label Studio round trip against a real Label Studio server on localhost.

Label Studio is a heavy optional server, not a dependency of sbtext: this test runs only where its
`label-studio` command is found (on PATH, or named by SBTEXT_LABEL_STUDIO) and skips otherwise.
It starts the server on a free local port with a fresh data folder, creates a project with the
labelling interface sbtext writes, imports the exported tasks with their predictions, answers
them through the API with the project's gold labels, exports the project as JSON, and reads that
export back with `sbtext annotations import`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE
from typer.testing import CliRunner

from sbtext.annotations import read_gold
from sbtext.cli import app
from sbtext.exchange import to_labelstudio

pytestmark = pytest.mark.slow
TOKEN = "5b1d0c3e9a7f4e2d8c6b4a29e1f3d5c7b9a0e2f4"
STARTUP_SECONDS = 600
runner = CliRunner()


def _command() -> str | None:
    return os.environ.get("SBTEXT_LABEL_STUDIO") or shutil.which("label-studio")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
        return json.loads(raw) if raw else None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    command = _command()
    if not command:
        pytest.skip("Label Studio is not installed (pip install label-studio, or set SBTEXT_LABEL_STUDIO)")
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true"}
    args = [command, "start", "--no-browser", "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(data)]
    args += ["--username", "annotator@example.org", "--password", "sbtext-test", "--user-token", TOKEN]
    args += ["--enable-legacy-api-token"]
    log = (data / "server.log").open("w")
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(2)
        else:
            pytest.fail(f"Label Studio did not start in {STARTUP_SECONDS} s; see {data / 'server.log'}")
        yield Server(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_round_trip_through_a_real_label_studio(server, tmp_path):
    tasks_file = tmp_path / "tasks.json"
    doc = SAMPLE / "003_1914dd54163749e7.txt"
    args = ["annotations", "export", str(doc), "--out", str(tasks_file), "--format", "labelstudio", "--suggest"]
    assert runner.invoke(app, [*args, "--spacy-model", "blank"]).exit_code == 0
    config = tasks_file.with_suffix(".config.xml").read_text(encoding="utf-8")
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    project = server.call("POST", "/api/projects", {"title": "sbtext round trip", "label_config": config})
    server.call("POST", f"/api/projects/{project['id']}/import", tasks)
    stored = server.call("GET", f"/api/tasks?project={project['id']}&page_size=1000")
    stored = stored["tasks"] if isinstance(stored, dict) else stored
    assert len(stored) == len(tasks)
    assert sum(t.get("total_predictions", 0) for t in stored) == len(tasks)
    gold = {r["id"]: r for r in read_gold([ROOT / "annotations" / "seeds.jsonl"], skip_duplicates=False)}
    skipped = stored[0]["id"]
    for task in stored[1:]:
        truth = gold[task["data"]["sbtext_id"]]
        result = to_labelstudio({**truth, "suggestion": truth})["predictions"][0]["result"]
        server.call("POST", f"/api/tasks/{task['id']}/annotations", {"result": result, "was_cancelled": False})
    exported = server.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true")
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "gold.jsonl"
    result = runner.invoke(app, ["annotations", "import", str(export_file), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "1 still to do" in result.output
    back = {r["id"]: r for r in read_gold([target])}
    assert len(back) == len(tasks) - 1
    assert all(t["data"]["sbtext_id"] in back for t in stored if t["id"] != skipped)
    for rid, record in back.items():
        for key in ("expectation", "framing", "purpose", "purpose_category"):
            assert record[key] == gold[rid][key], (rid, key)
        assert sorted(record["spheres"]) == sorted(gold[rid]["spheres"])
    assert Path(target).is_file()
