"""The HTML report as a reader meets it: Dutch, charts, quotes side by side, links that resolve."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import SAMPLE

import sbtext
from sbtext.charts import stacked_bars


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.svgs = 0
        self.table_rows: list[int] = []  # cells per row of the quote tables

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "svg":
            self.svgs += 1
        if tag == "tr":
            self.table_rows.append(0)
        if tag in {"td", "th"} and self.table_rows:
            self.table_rows[-1] += 1


@pytest.fixture(scope="module")
def report(sample_analysis, tmp_path_factory):
    out = tmp_path_factory.mktemp("rapport")
    sample_analysis.to_dir(out / "uit")
    return (out / "uit" / "report.html").read_text(encoding="utf-8")


def test_the_report_is_dutch_and_names_sources_not_ids(report, sample_analysis):
    assert "Legenda" in report and "Waartoe moet dit dienen?" in report
    assert not re.search(r">\s*(intrinsic|instrumental|both)\s*<", report)
    assert "intrinsiek" in report or "instrumenteel" in report
    for source in sample_analysis.passages.loc[sample_analysis.passages["expectation"], "source"].unique():
        assert f"<h3>{source}</h3>" in report


def test_each_quote_links_to_its_passage_and_rows_pair_an_expectation_with_its_purpose(report):
    page = Collect()
    page.feed(report)
    internal = [h[1:] for h in page.hrefs if h.startswith("#")]
    assert internal and set(internal) <= page.ids
    assert page.table_rows and all(cells == 2 for cells in page.table_rows)


def test_charts_are_inline_svg(report):
    page = Collect()
    page.feed(report)
    assert page.svgs == 2
    assert "<script" not in report and "http" not in report.split("<body>")[0]


def test_pdf_quotes_link_to_their_page(tmp_path):
    from factory import make_kamerbrief_pdf

    (tmp_path / "brieven").mkdir()
    pdf = make_kamerbrief_pdf(tmp_path / "brieven").path
    result = sbtext.analyze(pdf)
    result.to_dir(tmp_path / "uit")
    report = (tmp_path / "uit" / "report.html").read_text(encoding="utf-8")
    links = re.findall(r"href='([^']+\.pdf)#page=(\d+)'", report)
    if not result.passages["expectation"].any():
        pytest.skip("the generated letter has no expectation on this backend")
    assert links
    for target, page in links:
        assert (tmp_path / "uit" / target).resolve() == pdf.resolve()
        assert 1 <= int(page) <= int(result.documents["n_pages"].iloc[0])


def test_stacked_bars_scale_to_the_largest_total():
    import pandas as pd

    svg = stacked_bars(
        pd.DataFrame({"a": [2, 1], "b": [2, 0]}, index=["Bron één", "Bron twee"]),
        title="Titel",
        unit="passages",
        labels=["A", "B"],
    )
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="16"', svg)]
    assert widths == [210.0, 210.0, 105.0]
    assert "Bron één" in svg and svg.startswith("<svg") and svg.endswith("</svg>")


def test_sample_report_is_the_same_streamed_or_in_memory(tmp_path):
    from sbtext.api import analyze_to_dir

    sbtext.analyze(SAMPLE).to_dir(tmp_path / "a")
    analyze_to_dir(SAMPLE, tmp_path / "b")
    assert (tmp_path / "a" / "report.html").read_bytes() == (tmp_path / "b" / "report.html").read_bytes()


def test_notebook_charts_carry_dutch_labels(sample_analysis):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from sbtext.plots import plot_framing, plot_purposes

    ax = plot_framing(sample_analysis)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["intrinsiek", "instrumenteel", "beide"]
    assert "Framing" in ax.get_title() and "verwachting" in ax.get_xlabel()
    ax = plot_purposes(sample_analysis)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks and not any("_" in t for t in ticks)
