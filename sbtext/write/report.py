"""The self-contained HTML report: charts, the table per source, each document's expectations.

No scripts, fonts or images from the network: one file with inline CSS and SVG that opens
anywhere. Readers see Dutch labels (`sbtext.labels`); each quote in the table links to its
passage further down and, for a PDF, to its page in the document.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd

from sbtext.charts import stacked_bars
from sbtext.export import highlight
from sbtext.labels import FRAMING, SPHERES, category
from sbtext.labels import label as display
from sbtext.records import Cue

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2rem;max-width:72rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:1rem}th,td{border:1px solid #bbb;padding:.4rem;vertical-align:top}
th{background:#eee;text-align:left;width:50%}td{white-space:pre-line}
mark{border-radius:3px;padding:0 2px}mark.expectation{background:#ffe08a}mark.instrumental{background:#f8b4b4}
mark.intrinsic{background:#b8e6b8}mark.sphere{background:#bcd7f5}mark.purpose{background:none;border-bottom:3px solid #7b3fb5}
mark.core{background:#ddd}.passage{margin:.6rem 0;padding:.4rem .6rem;border-left:4px solid #ccc}
.meta{color:#666;font-size:.85em}.legend mark{margin-right:.5rem}.charts svg{display:block;margin:1rem 0}
ul.goals li{margin:.3rem 0}a.page{font-size:.85em;margin-left:.3rem}
"""


def cue_class(label: str) -> str:
    if label.startswith("sphere:"):
        return "sphere"
    return label if label in {"expectation", "instrumental", "intrinsic", "purpose", "core"} else ""


def passage_html(text: str, cues: list[tuple[int, int, str, str]]) -> str:
    """A passage with its cue words and purpose span marked."""
    spans = [(s, e, cue_class(label), f"{label}: {rule}") for s, e, label, rule in cues if cue_class(label)]
    purpose = [(s, e, c, t) for s, e, c, t in spans if c == "purpose"]
    others = [x for x in spans if x[2] != "purpose"]
    if purpose:
        s, e, _, t = purpose[0]
        inner = highlight(text[s:e], [(a - s, b - s, c, tt) for a, b, c, tt in others if a >= s and b <= e])
        return (
            highlight(text[:s], [x for x in others if x[1] <= s])
            + f'<mark class="purpose" title="{html.escape(t)}">'
            + inner
            + "</mark>"
            + highlight(text[e:], [(a - e, b - e, c, tt) for a, b, c, tt in others if a >= e])
        )
    return highlight(text, others)


END = "</body></html>\n"


def report_head(
    tables: dict[str, pd.DataFrame],
    documents: pd.DataFrame,
    n_expectations: int,
    run: dict[str, Any],
    *,
    base: Path | None = None,
) -> str:
    """The report up to the documents: counts, charts, the table per source and the legend.

    Args:
        tables: the run's tables by name (`expectations_long`, `framing_by_source`, `purpose_by_source`).
        documents: the documents table (for links to PDF pages).
        n_expectations: expectation passages in the run.
        run: the run manifest.
        base: the folder the report is written to; links to documents are relative to it.
    """
    backend = run.get("backend", {}).get("kind", "")
    links = _page_links(documents, base)
    return "\n".join(
        [
            "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>sbtext: verwachtingen van de sociale basis</title>",
            f"<style>{CSS}</style></head><body><h1>Verwachtingen van de sociale basis</h1>",
            f"<p class='meta'>sbtext {html.escape(str(run.get('sbtext_version', '')))}; taalverwerking "
            f"{html.escape(str(backend))}; {len(documents)} document(en), "
            f"{n_expectations} passage(s) met een verwachting.</p>",
            _charts(tables),
            "<h2>Verwachting en waartoe, per bron</h2>",
            _table(tables["expectations_long"], links),
            "<p class='legend'>Legenda: <mark class='expectation'>rol of taak</mark><mark class='instrumental'>"
            "instrumenteel</mark><mark class='intrinsic'>intrinsiek</mark><mark class='sphere'>actor (sfeer)</mark>"
            "<mark class='purpose'>waartoe</mark></p>",
            "<h2>De passages per document</h2>",
        ]
    )


def _charts(tables: dict[str, pd.DataFrame]) -> str:
    framing = tables["framing_by_source"].set_index("source")[list(FRAMING)[:3]]
    purposes = tables["purpose_by_source"].set_index("source")
    if framing.empty and purposes.empty:
        return ""
    charts = []
    if not framing.empty:
        charts.append(
            stacked_bars(
                framing,
                title="Framing van de verwachtingen per bron",
                unit="passages met een verwachting",
                labels=[FRAMING[c] for c in framing.columns],
            )
        )
    if not purposes.empty and len(purposes.columns):
        charts.append(
            stacked_bars(
                purposes,
                title="Waartoe: doelcategorieën per bron",
                unit="passages met een doel",
                labels=[category(c) for c in purposes.columns],
            )
        )
    return "<div class='charts'>" + "".join(charts) + "</div>"


def _table(long: pd.DataFrame, links: dict[str, str]) -> str:
    """Per source: each expectation beside its own purpose, then the document's goals apart."""
    parts = []
    for source, group in long.groupby("source", sort=False):
        expectations = group[group["column"] == "verwachting"]
        purposes = group[group["column"] == "waartoe"]
        expected = set(expectations["passage_id"])
        own = {r.passage_id: r for r in purposes.itertuples() if r.passage_id in expected}
        rows = [
            f"<tr><td>{_quote(r, links)}</td><td>{_quote(own[r.passage_id], links) if r.passage_id in own else ''}</td></tr>"
            for r in expectations.itertuples()
        ]
        parts.append(f"<h3>{html.escape(str(source))}</h3>")
        parts.append(
            "<table><thead><tr><th>Verwachting van de sociale basis</th><th>Waartoe moet dit dienen?</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
        goals = [r for r in purposes.itertuples() if r.passage_id not in own]
        if goals:
            items = "".join(f"<li>{_quote(r, links, passage=False)}</li>" for r in goals)
            parts.append(f"<p class='meta'>Doelen in dit document:</p><ul class='goals'>{items}</ul>")
    return "\n".join(parts)


def _quote(r: Any, links: dict[str, str], *, passage: bool = True) -> str:
    """A quote with its page, linked to its passage below (if shown there) and to a PDF's page."""
    page = html.escape(str(r.page))
    quote = html.escape(str(r.quote))
    text = f"<a href='#{html.escape(_anchor(r.passage_id))}'>{quote}</a>" if passage else quote
    text += f" (p. {page})"
    pdf = links.get(r.doc_id)
    if pdf and not pd.isna(r.page_index):
        text += f"<a class='page' href='{html.escape(pdf)}#page={int(r.page_index)}'>pdf, p. {page}</a>"
    return text


def _anchor(passage_id: Any) -> str:
    return "p-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in str(passage_id))


def _page_links(documents: pd.DataFrame, base: Path | None) -> dict[str, str]:
    """The link to each PDF document, relative to the report's folder (as a URL path)."""
    if base is None or documents.empty or "format" not in documents:
        return {}
    links = {}
    for row in documents[documents["format"] == "pdf"].itertuples():
        relative = os.path.relpath(Path(str(row.path)).resolve(), base.resolve())
        links[str(row.doc_id)] = Path(relative).as_posix()
    return links


SECTION_COLUMNS = (
    "text",
    "cue_offsets",
    "spheres",
    "passage_id",
    "page",
    "framing",
    "expectation_score",
    "purpose_category",
)
"""The columns a document's section shows (turning only these into dicts)."""


def report_section(doc_id: Any, title: str, found: pd.DataFrame) -> str:
    """One document's expectation passages, with cue words and purpose highlighted."""
    source = str(found["source"].iloc[0]) if len(found) and "source" in found else str(doc_id)
    parts = [f"<h3>{html.escape(source)}</h3><p class='meta'>{html.escape(title)} · {html.escape(str(doc_id))}</p>"]
    shown = found[[c for c in SECTION_COLUMNS if c in found]]
    for r in shown.to_dict("records"):  # plain dicts: a row Series costs more than its HTML
        body = passage_html(r["text"], _cues(r.get("cue_offsets")))
        spheres = "; ".join(SPHERES.get(s, s) for s in str(r["spheres"] or "").split(";") if s)
        parts.append(
            f"<div class='passage' id='{html.escape(_anchor(r['passage_id']))}'>{body}<div class='meta'>"
            f"p. {html.escape(str(r['page']))} · {html.escape(display(r['framing']))} · "
            f"score {r['expectation_score']:.2f} · {html.escape(category(r['purpose_category'] or ''))} · "
            f"{html.escape(spheres)}</div></div>"
        )
    return "\n".join(parts)


def _cues(cues: object) -> list[tuple[int, int, str, str]]:
    """A passage's cues as (start, end, label, rule); none for an untagged row."""
    if not isinstance(cues, tuple | list):
        return []
    return [(c.start, c.end, c.label, c.rule) for c in cues if isinstance(c, Cue)]
