"""Hostile documents and conditions: one bad document never stops a run.

Each bad input is generated small (tests/hostile.py) and sits in a folder with a control
document; the run must complete, the control must come out, and the bad one must be a coded
row in errors.csv that says what to do.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import hostile
import pandas as pd
import pytest
from conftest import ROOT

from sbtext.api import analyze_to_dir
from sbtext.errors import Errors, SbtextError, Warnings, template_fields
from sbtext.pipeline import Options, process_document

BAD = {
    "miljoen_paginas.pdf": (hostile.pdf_million_pages, "E013"),
    "voetnoten_kapot.docx": (hostile.docx_footnotes_broken_xml, "E022"),
    "zonder_body.docx": (hostile.docx_without_body, "E022"),
    "kapotte_deflate.docx": (hostile.docx_corrupt_deflate, "E020"),
    "kapotte_zip.docx": (hostile.docx_bad_zip, "E020"),
    "bom_250_delen.docx": (hostile.docx_many_part_bomb, "E023"),
    "liegende_kop.docx": (hostile.docx_lying_header, "E020"),
    "lange_alinea.txt": (hostile.long_paragraph, "E042"),
}
GOOD = {
    "voetnoot_id.docx": hostile.docx_footnote_id_not_a_number,
    "lege_paginamaat.pdf": hostile.pdf_zero_media_box,
    "lange_zin.txt": hostile.long_sentence,
}


def read_out(out: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(out / name, keep_default_na=False, dtype=str)

    return csv("documents.csv"), csv("passages.csv"), csv("errors.csv")


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    hostile.control_text(folder)
    for make, _ in BAD.values():
        make(folder)
    for make in GOOD.values():
        make(folder)
    hostile.control_text(folder, "verdwijnt.txt")
    (folder / "kapotte_link.txt").symlink_to(folder / "bestaat_niet.txt")

    def vanish(result) -> None:  # the file is gone between finding it and reading it
        (folder / "verdwijnt.txt").unlink(missing_ok=True)

    out = tmp_path_factory.mktemp("run") / "out"
    run = analyze_to_dir(folder, out, on_document=vanish)
    return run, *read_out(out)


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_document_is_a_coded_row_and_the_control_comes_out(corpus_run, name):
    _, documents, passages, errors = corpus_run
    row = errors[errors["path"].str.endswith(name)]
    assert list(row["code"]) == [BAD[name][1]], errors
    message = row["message"].iloc[0]
    assert name in message and "Traceback" not in message
    assert any(verb in message for verb in ("run again", "Re-save", "Add them", "convert")), message
    assert hostile.CONTROL in set(passages["text"])
    assert documents.set_index("doc_id").loc["controle", "status"] == "ok"


@pytest.mark.parametrize("name", list(GOOD))
def test_odd_but_readable_documents_are_read(corpus_run, name):
    _, documents, _, errors = corpus_run
    row = documents[documents["path"].str.endswith(name)]
    assert list(row["status"]) == ["ok"] and not errors["path"].str.endswith(name).any()


def test_a_footnote_with_a_non_numeric_id_is_kept(corpus_run):
    _, _, passages, _ = corpus_run
    assert "Een noot over de buurtsportcoach." in set(passages["text"])


@pytest.mark.parametrize("name", ["verdwijnt.txt", "kapotte_link.txt"])
def test_a_vanished_file_and_a_broken_link_are_rows(corpus_run, name):
    _, _, _, errors = corpus_run
    row = errors[errors["path"].str.endswith(name)]
    assert list(row["code"]) == ["E053"] and "Check that it exists" in row["message"].iloc[0]


def test_a_cell_over_excel_s_limit_is_cut_with_a_marker_and_a_warning(corpus_run, tmp_path):

    run, _, passages, _ = corpus_run
    longest = max(passages["text"], key=len)
    assert len(longest) > 32_767  # the CSV keeps the whole text
    assert re.match(r"\[W005\] [1-9]\d* cell\(s\) longer than Excel's", run["xlsx_cut_cells"]), run["xlsx_cut_cells"]


def test_the_workbook_cell_shows_that_it_was_cut(tmp_path):
    import openpyxl

    from sbtext.export import CUT_MARKER, CellCutWarning, write_xlsx

    table = pd.DataFrame({"text": ["kort", "x" * 40_000]})
    with pytest.warns(CellCutWarning, match="1 cell"):
        write_xlsx({"passages": table}, tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx")["passages"]["A3"].value
    assert len(cell) == 32_767 and cell.endswith(CUT_MARKER)


def test_an_unexpected_exception_in_one_document_is_an_e099_row(tmp_path, monkeypatch):
    bad = hostile.control_text(tmp_path, "stuk.txt")

    def boom(doc):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("sbtext.pipeline.clean_document", boom)
    result = process_document(bad, options=Options(spacy_model="blank"))
    assert result.document["status"] == "failed"
    assert result.errors[0]["code"] == "E099" and "ZeroDivisionError" in result.errors[0]["message"]
    assert result.errors[0]["stage"] == "clean"


@pytest.mark.parametrize("code", [*Errors, *Warnings], ids=lambda c: c.name)
def test_every_code_can_be_built_and_formatted(code):
    fields = {
        name: f"<{name}>" for name in template_fields(code.value) if name not in {"path", "page", "line", "stage"}
    }
    error = SbtextError(code, path="map/brief.pdf", page=3, line=7, stage="read", **fields)
    assert error.message.startswith(f"[{code.name}] map/brief.pdf, page 3, line 7: ")
    assert "?>" not in error.message  # every field it names was filled
    again = pickle.loads(pickle.dumps(error))
    assert again.message == error.message and type(again) is SbtextError


def test_a_missing_field_degrades_the_message_instead_of_raising():
    error = SbtextError(Errors.E021, path="a.docx")
    assert "<part?>" in error.message


# -- bounded time and memory -----------------------------------------------------------------------


@pytest.mark.parametrize("tag", [False, True], ids=["read and segment", "read, segment and tag"])
def test_40000_repeated_lines_get_unique_ids_in_bounded_time(tmp_path, tag):
    path = hostile.repeated_lines(tmp_path)
    options = Options(spacy_model="blank", tag=tag)
    process_document(hostile.control_text(tmp_path), options=options)  # load the pipeline first
    # Processor time, not wall time: a bound on the work done, whatever else shares the cores.
    start = time.process_time()
    result = process_document(path, options=options)
    seconds = time.process_time() - start
    ids = [p["passage_id"] for p in result.passages]
    assert len(ids) == 40_000 == len(set(ids))
    assert ids[1] == ids[0] + "-2" and ids[-1] == ids[0] + "-40000"  # the numbering ids always had
    assert seconds < 10, seconds


def peak_rss_mb(code: str) -> float:
    """Peak memory of a fresh Python process running `code`, from Linux's VmHWM (ru_maxrss would
    carry the forking test process's own peak across exec)."""
    script = code + "\nprint(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    return int(result.stdout.split()[-1]) / 1024


@pytest.mark.parametrize("make", [hostile.docx_many_part_bomb, hostile.docx_lying_header])
def test_a_zip_bomb_is_refused_in_bounded_memory(tmp_path, make):
    path = make(tmp_path)
    assert path.stat().st_size < 5_000_000
    code = textwrap.dedent(f"""
        from sbtext.errors import DocumentError
        from sbtext.read import read_document
        try:
            read_document({str(path)!r})
        except DocumentError as e:
            print(e.code)
    """)
    peak = peak_rss_mb(code)
    assert peak < 500, peak


# -- manifests -----------------------------------------------------------------------------------


def manifest_run(folder: Path, out: Path, **options) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The run's tables; its errors without W006, the note that several of these manifests list
    copies of one control text (that note has its own test in test_cli.py)."""
    analyze_to_dir(folder, out, **options)
    documents, passages, errors = read_out(out)
    return documents, passages, errors[errors["code"] != "W006"].reset_index(drop=True)


@pytest.fixture
def folder(tmp_path) -> Path:
    """An input folder, with room beside it for the output."""
    (tmp_path / "in").mkdir()
    return tmp_path / "in"


def test_manifest_paths_stay_inside_its_folder_unless_allowed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    hostile.control_text(corpus)
    hostile.control_text(tmp_path, "buiten.txt")
    elsewhere = hostile.control_text(tmp_path, "elders.txt")
    rows = [["path", "doc_id"], ["controle.txt", "c"], ["../buiten.txt", "b"], [str(elsewhere), "abs"]]
    hostile.manifest(corpus, rows)
    documents, _, errors = manifest_run(corpus, tmp_path / "out")
    assert sorted(errors["code"]) == ["E052", "E052"] and set(documents["status"]) == {"ok", "failed"}
    assert "--allow-outside-manifest" in errors["message"].iloc[0] and "line 3" in errors["message"].iloc[0]
    documents, _, errors = manifest_run(corpus, tmp_path / "allowed", allow_outside=True)
    assert errors.empty and sorted(documents["doc_id"]) == ["abs", "b", "c"]


def test_cp1252_and_semicolon_manifests_are_read(folder, tmp_path):
    hostile.control_text(folder)
    hostile.manifest(folder, [["path", "title"], ["controle.txt", "Notitie über café"]], sep=";", encoding="cp1252")
    documents, _, errors = manifest_run(folder, tmp_path / "out")
    assert errors.empty and list(documents["title"]) == ["Notitie über café"]


def test_manifest_lines_that_name_no_document_are_rows(folder, tmp_path):
    hostile.control_text(folder)
    hostile.manifest(folder, [["path", "doc_id"], ["controle.txt", "c"], ["", "leeg"], ["ontbreekt.txt", "weg"]])
    _, passages, errors = manifest_run(folder, tmp_path / "out")
    assert sorted(errors["code"]) == ["E050", "E055"]
    assert "line 3" in errors.set_index("code").loc["E050", "message"]
    assert hostile.CONTROL in set(passages["text"])


def test_a_manifest_without_a_path_column_is_a_coded_error(folder, tmp_path):
    hostile.control_text(folder)
    hostile.manifest(folder, [["bestand", "doc_id"], ["controle.txt", "c"]])
    with pytest.raises(SbtextError, match=r"E050.*no 'path' column"):
        analyze_to_dir(folder, tmp_path / "out")


def test_a_duplicate_manifest_id_is_made_unique_with_a_row(folder, tmp_path):
    hostile.control_text(folder, "a.txt")
    hostile.control_text(folder, "b.txt")
    hostile.manifest(folder, [["path", "doc_id"], ["a.txt", "brief"], ["b.txt", "brief"]])
    documents, _, errors = manifest_run(folder, tmp_path / "out")
    assert sorted(documents["doc_id"]) == ["brief", "brief-2"] and set(documents["status"]) == {"ok"}
    assert list(errors["code"]) == ["W004"] and "'brief-2'" in errors["message"].iloc[0]


def test_an_unreadable_subfolder_is_a_row(folder, tmp_path, monkeypatch):
    hostile.control_text(folder)
    locked = folder / "geheim"
    locked.mkdir()
    hostile.control_text(locked, "binnen.txt")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads every folder, so the refusal is simulated where it happens
        if not isinstance(path, int) and Path(path) == locked:  # an int: a folder rmtree has open
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    _, passages, errors = manifest_run(folder, tmp_path / "out")
    assert list(errors["code"]) == ["E054"] and "geheim" in errors["message"].iloc[0]
    assert hostile.CONTROL in set(passages["text"])


# -- codebook ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["...", "*", "? ...", "**", "... *"])
def test_codebook_terms_that_match_anything_are_refused(tmp_path, term):
    import yaml

    from sbtext.codebook import default_codebook_path, load_codebook

    data = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    data["core"].append(term)
    path = tmp_path / "codeboek.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SbtextError, match="E070") as info:
        load_codebook(path)
    assert repr(term) in info.value.message


# -- exports -----------------------------------------------------------------------------------------


def test_excel_csv_cells_that_start_a_formula_are_neutralised(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.formula_lines(folder)
    hostile.manifest(folder, [["path", "source", "title"], ["formules.txt", "=1+2", "@SUM(A1)"]])
    out = tmp_path / "out"
    analyze_to_dir(folder, out, excel_csv=True)
    excel = pd.read_csv(out / "passages.excel.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    texts = list(excel["text"])
    assert len(texts) == len(hostile.FORMULAS)
    assert all(t.startswith("'") for t in texts), texts
    assert set(excel["source"]) == {"'=1+2"}
    documents = pd.read_csv(out / "documents.excel.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert list(documents["title"]) == ["'@SUM(A1)"]
    plain = pd.read_csv(out / "passages.csv", dtype=str, keep_default_na=False)
    assert not any(t.startswith("'") for t in plain["text"])  # the data files keep the text as it is


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6", "'+31 6"),
        ("-x", "'-x"),
        ("@a", "'@a"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ("gewoon", "gewoon"),
        ("a=b", "a=b"),
        (-0.5, -0.5),
        (3, 3),
    ],
)
def test_neutralise_formula(value, expected):
    from sbtext.export import neutralise_formula

    assert neutralise_formula(value) == expected


def test_markdown_escapes_raw_html(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile.html_in_text(folder)
    hostile.manifest(folder, [["path", "source"], ["opmaak.txt", hostile.SCRIPT]])
    out = tmp_path / "out"
    analyze_to_dir(folder, out)
    markdown = (out / "expectations.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in markdown and "<script" not in markdown and "<img" not in markdown
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown
