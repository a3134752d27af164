"""The streaming writer behind `sbtext analyze`: the files of the in-memory path, without its memory."""

from __future__ import annotations

import errno
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import SAMPLE
from tests_helpers import OUTPUTS

import sbtext
from sbtext.api import analyze_to_dir
from sbtext.errors import SbtextError
from sbtext.export import XlsxStream, workbook_passages, write_xlsx
from sbtext.labels import SHEETS, passage_sheet
from sbtext.records import PASSAGE_TYPES

# Byte for byte the same whichever path wrote them (the workbook and run.json carry times).
SAME_BYTES = [name for name in OUTPUTS if name not in {"sbtext.xlsx", "run.json"}]


def sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cell values, wrapping and bold, as openpyxl reads them back."""
    book = openpyxl.load_workbook(path)
    return {
        name: [[(c.value, c.alignment.wrap_text, c.font.b) for c in row] for row in book[name].iter_rows()]
        for name in book.sheetnames
    }


def assert_same_outputs(memory: Path, streamed: Path, *, engines: bool = False) -> None:
    """The same files, byte for byte but for the workbook's and the manifest's times (and, with
    `engines`, the engine the manifest names)."""
    names = SAME_BYTES + [n.replace(".csv", ".excel.csv") for n in SAME_BYTES if n.endswith(".csv")]
    for name in names:
        assert (streamed / name).read_bytes() == (memory / name).read_bytes(), name
    assert sheets(streamed / "sbtext.xlsx") == sheets(memory / "sbtext.xlsx")
    memory_run, streamed_run = (json.loads((f / "run.json").read_text(encoding="utf-8")) for f in (memory, streamed))
    assert memory_run.pop("timings").keys() == streamed_run.pop("timings").keys()
    if engines:
        assert memory_run.pop("options")["n_process"] == streamed_run.pop("options")["n_process"]
    assert streamed_run == memory_run
    assert sorted(p.name for p in streamed.iterdir()) == sorted(p.name for p in memory.iterdir())


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    """The sample documents under three sources, doc_ids out of file order, and one unreadable file."""
    folder = tmp_path_factory.mktemp("sources")
    files = sorted(SAMPLE.glob("*.txt"))
    rows = ["path,doc_id,source,title"]
    for i, (path, doc_id, source) in enumerate(
        zip(files, ["zz", "aa", "mm", "bb", "cc"], ["Bron A", "Bron B", "Bron A", "Bron C", "Bron B"])
    ):
        shutil.copyfile(path, folder / f"{i}.txt")
        rows.append(f"{i}.txt,{doc_id},{source},Titel {doc_id}")
    (folder / "5.pdf").write_bytes(b"")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("top", [2, 5])
def test_streamed_sources_match_the_in_memory_files(sources, tmp_path, top):
    sbtext.analyze(sources, top=top).to_dir(tmp_path / "memory", excel_csv=True)
    run = analyze_to_dir(sources, tmp_path / "streamed", excel_csv=True, top=top)
    assert run["counts"]["failed"] == 1 and run["counts"]["documents"] == 6
    assert_same_outputs(tmp_path / "memory", tmp_path / "streamed")
    table = pd.read_csv(tmp_path / "streamed" / "expectations.csv")
    assert list(table["Bron"]) == ["Bron A", "Bron B", "Bron C"]


def test_a_run_without_passages_still_writes_every_file(tmp_path):
    (tmp_path / "leeg.pdf").write_bytes(b"")
    sbtext.analyze(tmp_path / "leeg.pdf").to_dir(tmp_path / "memory", excel_csv=True)
    run = analyze_to_dir(tmp_path / "leeg.pdf", tmp_path / "streamed", excel_csv=True)
    assert run["counts"]["passages"] == 0 and run["counts"]["failed"] == 1
    assert_same_outputs(tmp_path / "memory", tmp_path / "streamed")


def test_streamed_sample_matches_the_in_memory_files(sample_analysis, tmp_path):
    sample_analysis.to_dir(tmp_path / "memory", excel_csv=True)
    calls = []
    run = analyze_to_dir(SAMPLE, tmp_path / "streamed", excel_csv=True, on_document=calls.append)
    assert len(calls) == 5 and run["counts"] == sample_analysis.run["counts"]
    assert_same_outputs(tmp_path / "memory", tmp_path / "streamed")


def test_an_existing_folder_is_refused_without_force_and_force_replaces_only_an_output(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(SbtextError, match="E080"):
        analyze_to_dir(SAMPLE / "003_1914dd54163749e7.txt", out)
    with pytest.raises(SbtextError, match=r"E083.*notes\.txt"):
        analyze_to_dir(SAMPLE / "003_1914dd54163749e7.txt", out, force=True)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "notes.txt").unlink()
    analyze_to_dir(SAMPLE, out, excel_csv=True)
    analyze_to_dir(SAMPLE / "003_1914dd54163749e7.txt", out, force=True)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(OUTPUTS) and not any(p.name.startswith(".out.tmp") for p in tmp_path.iterdir())


def test_a_failure_mid_run_leaves_no_file_behind(tmp_path):
    seen = []

    def fail_on_second(result):
        seen.append(result)
        if len(seen) == 2:
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError, match="interrupted"):
        analyze_to_dir(SAMPLE, tmp_path / "out", excel_csv=True, on_document=fail_on_second)
    assert list(tmp_path.iterdir()) == [tmp_path / ".out.lock"]  # no output, no temporary folder


def test_a_full_disk_while_finishing_leaves_the_previous_output_whole(tmp_path, monkeypatch):
    out = tmp_path / "out"
    analyze_to_dir(SAMPLE / "003_1914dd54163749e7.txt", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("sbtext.export.XlsxStream.close", full)  # the workbook is the last large file
    with pytest.raises(SbtextError, match=r"E084.*No space left"):
        analyze_to_dir(SAMPLE, out, force=True)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_a_sheet_waiting_for_its_first_rows_keeps_one_empty_chunk_not_every_one(tmp_path):
    table = pd.DataFrame({"n": [1, 2], "text": ["een", "twee"]})
    book = XlsxStream(tmp_path / "x.xlsx")
    sheet = book.sheet("passages")
    for _ in range(1_000):  # documents whose passages the sheet does not show
        sheet.write(table.iloc[:0])
    assert len(sheet.waiting) == 1
    sheet.write(table)
    assert book.close() == {"passages": ["passages"]}
    header, *rows = sheets(tmp_path / "x.xlsx")["passages"]
    assert [v for v, _, _ in header] == ["n", "text"]
    assert [[v for v, _, _ in r] for r in rows] == [[1, "een"], [2, "twee"]]


def test_long_tables_go_on_over_numbered_sheets(tmp_path):
    table = pd.DataFrame({"n": range(10), "text": [f"rij {i}" for i in range(10)]})
    chunks = [table.iloc[:4], table.iloc[4:9], table.iloc[9:]]
    names = write_xlsx({"first": table.head(2), "passages": iter(chunks)}, tmp_path / "x.xlsx", max_rows=4)
    assert names == {"first": ["first"], "passages": ["passages", "passages (2)", "passages (3)", "passages (4)"]}
    got = sheets(tmp_path / "x.xlsx")
    assert list(got) == ["first", *names["passages"]]
    rows = []
    for name in names["passages"]:
        header, *body = got[name]
        assert [v for v, _, bold in header] == ["n", "text"] and all(bold for _, _, bold in header)
        assert 1 <= len(body) <= 3
        rows += [[v for v, _, _ in row] for row in body]
    assert rows == table.to_numpy().tolist()
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["passages (4)"].freeze_panes == "A2"


def test_a_split_passages_sheet_is_recorded_in_the_run(sample_analysis, tmp_path):
    run = analyze_to_dir(SAMPLE, tmp_path, excel_rows=201)
    # the sheet shows the expectations, goal statements and passages naming the sociale basis,
    # then a row saying how many more passages.csv holds
    shown = pd.concat(workbook_passages([sample_analysis.passages.drop(columns=["cue_offsets"])]), ignore_index=True)
    n = len(shown)
    assert 0 < sample_analysis.passages["expectation"].sum() < n < len(sample_analysis.passages)
    titles = ["passages"] + [f"passages ({i})" for i in range(2, (n + 199) // 200 + 1)]
    assert run["xlsx_sheets"] == {"passages": titles}
    assert json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["xlsx_sheets"] == run["xlsx_sheets"]
    got = sheets(tmp_path / "sbtext.xlsx")
    assert list(got) == [*list(SHEETS.values())[:-1], *titles]  # the passages last, then their further sheets
    rows = [row for title in titles for row in got[title][1:]]
    # the workbook shows readers Dutch labels where the CSV keeps codes
    expected = passage_sheet(shown)
    assert [header for header, *_ in got[titles[0]][0]] == list(expected.columns)
    assert [[v for v, _, _ in row] for row in rows] == [
        [None if v == "" or (isinstance(v, float) and v != v) else v for v in row]
        for row in expected.to_numpy().tolist()
    ]


def test_parquet_is_written_per_document_and_reads_back_whole(sample_analysis, tmp_path):
    analyze_to_dir(SAMPLE, tmp_path, parquet=True)
    back = pd.read_parquet(tmp_path / "parquet" / "passages")
    assert len(back) == len(sample_analysis.passages)
    assert set(back["passage_id"]) == set(sample_analysis.passages["passage_id"])
    assert {p.name.split("=")[0] for p in (tmp_path / "parquet" / "passages").iterdir()} == {"doc_id"}
    assert len(pd.read_parquet(tmp_path / "parquet" / "documents.parquet")) == 5
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_the_readme_lists_every_output_file():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    cells = re.findall(r"^\| (`[^|]+)\|", readme, flags=re.MULTILINE)  # the first cell of a row
    listed = {name for cell in cells for name in re.findall(r"`([^`]+)`", cell)}
    assert set(OUTPUTS) <= listed


def test_parquet_columns_have_the_types_of_the_schema(tmp_path):
    import pyarrow.parquet as pq

    analyze_to_dir(SAMPLE / "003_1914dd54163749e7.txt", tmp_path, parquet=True)
    arrow = pq.read_table(tmp_path / "parquet" / "passages").schema
    kinds = {int: "int64", float: "double", bool: "bool"}
    for column, kind in PASSAGE_TYPES.items():
        if column != "doc_id":  # the partition key reads back as a dictionary
            assert str(arrow.field(column).type) == kinds.get(kind, "string"), column
