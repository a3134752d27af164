"""The Python API and the table stage on the sample corpus."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from conftest import SAMPLE
from tests_helpers import OUTPUTS

import sbtext
from sbtext.tables import GOAL_PREFIX, TABLE_COLUMNS


def test_expectation_table_has_one_row_per_source_with_pages(sample_analysis):
    table = sample_analysis.expectation_table()
    assert list(table.columns) == TABLE_COLUMNS
    assert table["Bron"].is_unique
    assert set(table["Bron"]) <= set(sample_analysis.documents["source"])
    # A source may have no expectation at all (the sample's 001 has none by its gold labels).
    quoted = table["Verwachting van de sociale basis"].loc[lambda c: c != ""]
    assert len(quoted) >= 3
    assert quoted.str.contains(r"\(p\. \d+\)").all()


def test_every_quote_traces_to_its_passage(sample_analysis):
    long = sample_analysis.expectations_long()
    passages = sample_analysis.passages.set_index("passage_id")
    for _, row in long.iterrows():
        source = passages.loc[row["passage_id"]]
        assert row["quote"].removeprefix(GOAL_PREFIX) in source["text"]
        assert row["page"] == str(source["page"])


def test_top_limits_the_expectations(sample_analysis):
    long = sample_analysis.expectations_long(top=2)
    assert long.query("column == 'verwachting'").groupby("source").size().max() <= 2


def test_to_dir_writes_every_file_and_refuses_to_overwrite(sample_analysis, tmp_path):
    out = tmp_path / "out"
    sample_analysis.to_dir(out, excel_csv=True)
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    excel = (out / "expectations.excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbf") and b";" in excel.splitlines()[0]
    workbook = openpyxl.load_workbook(out / "sbtext.xlsx")
    assert workbook.sheetnames[0] == "tabel"
    assert {"passages", "documenten", "framing per bron"} <= set(workbook.sheetnames)
    assert workbook["tabel"].freeze_panes == "A2"
    assert all(sheet.auto_filter.ref for sheet in workbook.worksheets)  # a filter on every sheet
    quotes = workbook["tabel"]["B2"]
    assert quotes.value and quotes.alignment.wrap_text  # text cells wrap, whatever pandas' string dtype
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<mark" in html and "<script" not in html and "http" not in html.split("</style>")[0]
    with pytest.raises(sbtext.errors.SbtextError):
        sample_analysis.to_dir(out)


def test_same_inputs_give_identical_csvs(tmp_path):
    first, second = sbtext.analyze(SAMPLE), sbtext.analyze(SAMPLE)
    first.to_dir(tmp_path / "a")
    second.to_dir(tmp_path / "b")
    for name in OUTPUTS:
        if name.endswith(".csv"):
            a = hashlib.sha256((tmp_path / "a" / name).read_bytes()).hexdigest()
            b = hashlib.sha256((tmp_path / "b" / name).read_bytes()).hexdigest()
            assert a == b, name


def test_run_manifest_records_backend_and_hashes(sample_analysis, model_name):
    run = sample_analysis.run
    assert run["backend"]["kind"] == ("fallback" if model_name == "blank" else "trained")
    assert len(run["codebook"]["sha256"]) == 64 and len(run["models"]["sha256"]) == 64
    assert run["counts"]["documents"] == 5 and run["counts"]["failed"] == 0


def test_tag_text_and_show():
    row = sbtext.tag_text("Buren en vrijwilligers helpen elkaar, zodat niemand er alleen voor staat.")
    assert row["expectation"] is True
    html = sbtext.show(row, jupyter=False)
    assert "span" in html and "vrijwilligers" in html


def test_two_processes_give_the_same_rows():
    one = sbtext.analyze(SAMPLE)
    two = sbtext.analyze(SAMPLE, n_process=2)
    assert one.passages.equals(two.passages)


def test_outputs_get_the_usual_permissions(tmp_path):
    import os

    from sbtext.export import write_text

    write_text("x", tmp_path / "a.md")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o666 & ~mask


def test_analysis_repr_is_a_one_line_summary(sample_analysis):
    text = repr(sample_analysis)
    n_expectations = int(sample_analysis.passages["expectation"].sum())
    assert "\n" not in text
    assert f"{len(sample_analysis.documents)} documents" in text
    assert f"{len(sample_analysis.passages)} passages" in text
    assert f"{n_expectations} expectations" in text
    assert sample_analysis.run["backend"]["kind"] in text
