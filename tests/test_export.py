"""Exports as their readers open them: Dutch Excel's CSV dialect."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from sbtext.export import workbook_passages, write_csv, write_xlsx
from sbtext.labels import label, workbook_sheets


@pytest.mark.parametrize(
    ("column", "values", "cells"),
    [
        ("expectation_score", [0.0466, 0.5], ["0,0466", "0,5"]),
        ("expectation", [True, False], ["WAAR", "ONWAAR"]),
        ("n_pages", [1, 12], ["1", "12"]),
        ("purpose_start", [-1, 14], ["", "14"]),
        ("score", [0.25, None], ["0,25", ""]),
        ("text", ["1.5 miljoen", "True"], ["1.5 miljoen", "True"]),
    ],
)
def test_dutch_excel_dialect(tmp_path, column, values, cells):
    path = tmp_path / "t.excel.csv"
    write_csv(pd.DataFrame({column: values}), path, excel=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == [column]
    assert [r[0] if r else "" for r in rows[1:]] == cells


def test_plain_csv_keeps_machine_values(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"expectation": [True], "score": [0.5], "purpose_start": [-1]}), path)
    assert path.read_text(encoding="utf-8").splitlines() == ["expectation,score,purpose_start", "True,0.5,-1"]


def test_the_sample_run_gives_excel_csvs_without_points_or_english_booleans(sample_analysis, tmp_path):
    sample_analysis.to_dir(tmp_path / "out", excel_csv=True)
    with (tmp_path / "out" / "passages.excel.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert {r["expectation"] for r in rows} == {"WAAR", "ONWAAR"}
    assert all("." not in r["expectation_score"] for r in rows)
    assert all(r["purpose_start"] != "-1" for r in rows)
    assert any(r["purpose_start"] == "" for r in rows)


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("intrinsic", "intrinsiek"),
        ("instrumental", "instrumenteel"),
        ("both", "beide"),
        ("zorg_toegankelijk_betaalbaar", "Zorg toegankelijk en betaalbaar"),
        ("mijn_eigen_categorie", "Mijn eigen categorie"),
        ("gemeenschappelijk", "gemeenschappelijk"),
        ("Mantelzorgers helpen.", "Mantelzorgers helpen."),
    ],
)
def test_codes_have_dutch_display_labels(code, shown):
    assert label(code) == shown


def test_workbook_sheets_show_labels_and_keep_quotes(sample_analysis):
    tables = sample_analysis.tables()
    sheets = workbook_sheets(tables)
    assert list(sheets)[:2] == ["tabel", "citaten"]
    framing = sheets["framing per bron"]
    assert {"intrinsiek", "instrumenteel", "beide", "Bron"} <= set(framing.columns)
    quotes = sheets["citaten"]
    assert set(quotes["framing"].dropna()) <= {"intrinsiek", "instrumenteel", "beide", "geen"}
    assert quotes["citaat"].tolist() == tables["expectations_long"]["quote"].tolist()


@pytest.mark.parametrize(
    ("expectation", "goal", "actors", "cues", "others", "shown", "note"),
    [
        # every expectation and goal statement stays; other passages naming the sociale basis up
        # to the cap, in order; passages naming none of it only in the CSV
        (
            [True, False, False, False],
            [False, False, True, False],
            ["buren", "buren", "", "vrijwilligers"],
            [""] * 4,
            1,
            [0, 1, 2],
            1,
        ),
        ([False, False, False], [False, False, False], ["mantelzorgers"] * 3, [""] * 3, 0, [], 3),
        ([False, True, False], [False, False, False], ["buren", "", "buren"], [""] * 3, 5, [0, 1, 2], 0),
        # the concept itself (a core cue) counts as named; any other cue does not
        (
            [False, False, False],
            [False, False, False],
            [""] * 3,
            ["core: sociale basis", "expectation: draagt bij | core: de sociale basis", "expectation: draagt bij"],
            5,
            [0, 1],
            1,
        ),
        ([False, False], [False, False], [None, None], [None, None], 5, [], 2),
    ],
)
def test_the_workbook_shows_expectations_goals_and_a_capped_number_of_named_others(
    expectation, goal, actors, cues, others, shown, note
):
    passages = pd.DataFrame(
        {
            "text": [f"passage {i}" for i in range(len(expectation))],
            "expectation": expectation,
            "goal_statement": goal,
            "actors": actors,
            "cues": cues,
        }
    )
    # in two chunks, as the streaming run reads them back: the cap counts over the chunks
    chunks = list(workbook_passages([passages.iloc[:2], passages.iloc[2:]], others=others))
    rows = pd.concat(chunks[:-1] if note else chunks)
    assert rows["text"].tolist() == [f"passage {i}" for i in shown]
    if note:
        assert chunks[-1]["text"].tolist() == [f"[… nog {note} passages zonder verwachting of doel: zie passages.csv]"]
        assert chunks[-1]["expectation"].isna().all()


def test_the_workbook_of_an_archive_keeps_every_expectation_and_says_what_it_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr("sbtext.export.WORKBOOK_OTHER_PASSAGES", 3)
    n = 50
    passages = pd.DataFrame(
        {
            "text": [f"passage {i}" for i in range(n)],
            "expectation": [i % 10 == 5 for i in range(n)],
            "goal_statement": [i == 49 for i in range(n)],
            "actors": ["buurtbewoners" if i % 2 else "" for i in range(n)],
        }
    )
    path = tmp_path / "x.xlsx"
    write_xlsx(workbook_sheets({"passages": iter([passages.iloc[:25], passages.iloc[25:]])}), path)
    cells = [row[0] for row in openpyxl.load_workbook(path)["passages"].iter_rows(min_row=2, values_only=True)]
    shown = [1, 3, 5, 7, 15, 25, 35, 45, 49]  # three named others, the expectations, the goal
    assert cells == [f"passage {i}" for i in shown] + [
        f"[… nog {n - len(shown)} passages zonder verwachting of doel: zie passages.csv]"
    ]
