"""What readers see: Dutch display labels for the codes that CSV files and code keep.

The CSV columns and values are stable codes (`intrinsic`, `zorg_toegankelijk_betaalbaar`) so that
scripts and joins keep working; the report, the workbook, the Markdown table and the charts show
these labels instead. A category that a local codebook adds and that has no label here is shown
as its code in words ("mijn_categorie" -> "Mijn categorie").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from sbtext import codebook
from sbtext.export import workbook_passages

# The codes come from `sbtext.codebook` (the one definition of each vocabulary); only their Dutch
# words are written here, and the tests hold each table to its vocabulary.
FRAMING = {"intrinsic": "intrinsiek", "instrumental": "instrumenteel", "both": "beide", "none": "geen"}
SPHERES = {s: s for s in codebook.SPHERES}  # the sphere codes are Dutch words already
CATEGORIES = {
    "zorg_toegankelijk_betaalbaar": "Zorg toegankelijk en betaalbaar",
    "arbeidsmarkt_ontlasten_professionals": "Arbeidsmarkt en professionals ontlasten",
    "kosten_besparing": "Kosten besparen",
    "preventie_gezondheid": "Preventie en gezondheid",
    "zelfredzaamheid_langer_thuis": "Zelfredzaamheid en langer thuis wonen",
    "welzijn_participatie_eenzaamheid": "Welzijn, meedoen en minder eenzaamheid",
    "veiligheid_leefbaarheid": "Veiligheid en leefbaarheid",
    "opgroeien_opvoeden": "Opgroeien en opvoeden",
    "bestaanszekerheid_armoede": "Bestaanszekerheid en armoede",
    "other": "Overig",
}
COLUMNS = {
    "source": "Bron",
    "column": "kolom",
    "quote": "citaat",
    "page": "pagina",
    "score": "score",
    "framing": "framing",
    "purpose_category": "doelcategorie",
    "expectations": "verwachtingen",
    "share_instrumental": "aandeel alleen instrumenteel",
    "sphere": "sfeer",
    # documents and errors
    "path": "bestand",
    "title": "titel",
    "doc_type": "soort document",
    "date": "datum",
    "description": "omschrijving",
    "format": "formaat",
    "page_numbering": "paginanummering",
    "n_pages": "pagina's",
    "n_passages": "passages",
    "n_expectations": "verwachtingen",
    "stage": "stap",
    "message": "melding",
}
PASSAGE_SHEET = {
    "source": "Bron",
    "page": "pagina",
    "text": "tekst",
    "expectation": "verwachting",
    "expectation_score": "score",
    "framing": "framing",
    "purpose": "waartoe",
    "purpose_category": "doelcategorie",
    "goal_statement": "doelstelling",
    "spheres": "sferen",
    "actors": "genoemd",
    "cues": "signaalwoorden",
    "kind": "soort",
    "section": "kop",
    "context": "context",
    "doc_id": "doc_id",
    "passage_id": "passage_id",
}
"""The workbook's passages sheet: what a reader checks a label by, in this order. Offsets, framing
scores and paragraph numbers stay in `passages.csv` and the Parquet files."""
SHEETS = {
    "expectations": "tabel",
    "expectations_long": "citaten",
    "documents": "documenten",
    "framing_by_source": "framing per bron",
    "purpose_by_source": "doelen per bron",
    "spheres_by_framing": "sferen per framing",
    "errors": "fouten",
    "passages": "passages",
}
"""Workbook sheet names per table, in the workbook's order (the CSV file names keep the codes);
the passages sheet comes last, as it may go on over "passages (2)", ..."""


def category(code: str) -> str:
    """The Dutch label of a purpose category code; "" for no category."""
    if not code:
        return ""
    return CATEGORIES.get(code, code.replace("_", " ").capitalize())


def label(code: object) -> str:
    """The display label of any code sbtext writes (framing, sphere, category); text stays as it is."""
    text = "" if code is None or (isinstance(code, float) and pd.isna(code)) else str(code)
    if text in FRAMING:
        return FRAMING[text]
    if text in SPHERES:
        return SPHERES[text]
    return category(text) if text in CATEGORIES or "_" in text else text


_VALUE_COLUMNS: Mapping[str, object] = {
    "framing": lambda v: FRAMING.get(v, v),
    "purpose_category": category,
    "spheres": lambda v: "; ".join(SPHERES.get(s, s) for s in str(v).split(";") if s),
    "sphere": lambda v: SPHERES.get(v, v),
}


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """`df` as readers see it: coded values and coded column names in Dutch.

    Only columns known to hold codes are mapped; text columns (quotes, titles) are left alone.
    """
    out = df.copy()
    for column, to_label in _VALUE_COLUMNS.items():
        if column in out.columns:
            out[column] = out[column].map(lambda v, f=to_label: v if not isinstance(v, str) or not v else f(v))  # type: ignore[operator]
    return out.rename(columns=lambda c: COLUMNS.get(c) or (label(c) if c in FRAMING or c in CATEGORIES else c))


def workbook_sheets(
    tables: Mapping[str, pd.DataFrame | Iterable[pd.DataFrame]],
) -> dict[str, pd.DataFrame | Iterable[pd.DataFrame]]:
    """The tables as workbook sheets: Dutch sheet names, labels and headers; chunks stay lazy."""
    sheets: dict[str, pd.DataFrame | Iterable[pd.DataFrame]] = {}
    for name, table in tables.items():
        title = SHEETS.get(name, name)
        show = display_frame
        if name == "passages":
            show = passage_sheet
            shown = workbook_passages([table] if isinstance(table, pd.DataFrame) else table)
            table = pd.concat(list(shown), ignore_index=True) if isinstance(table, pd.DataFrame) else shown
        if isinstance(table, pd.DataFrame):
            sheets[title] = show(table)
        else:
            sheets[title] = map(show, table)
    return sheets


def passage_sheet(df: pd.DataFrame) -> pd.DataFrame:
    """Passage rows as the workbook's passages sheet shows them (`PASSAGE_SHEET`)."""
    columns = [c for c in PASSAGE_SHEET if c in df.columns]
    return display_frame(df[columns]).set_axis([PASSAGE_SHEET[c] for c in columns], axis=1)
