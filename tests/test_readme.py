"""The README shows what sbtext writes: its example rows come from the sample corpus as it is now."""

from pathlib import Path

import pytest

from sbtext.export import markdown_table

README = Path(__file__).parents[1] / "README.md"


def test_the_readme_example_rows_are_what_analyze_writes(sample_analysis, model_name):
    if model_name != "blank":
        pytest.skip("the README shows the table the offline fallback writes")
    written = markdown_table(sample_analysis.tables(top=2)["expectations"]).splitlines()[2:]
    shown = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    example = [line for line in written if line in shown]
    sources = {line.split("|")[1].strip() for line in written}
    readme_rows = [line for line in shown if line.split("|")[1].strip() in sources and " (p. " in line]
    assert readme_rows, "the README has no example row of the sample corpus"
    assert sorted(readme_rows) == sorted(example), (
        "regenerate the README example: sbtext analyze corpora/sample --top 2"
    )
