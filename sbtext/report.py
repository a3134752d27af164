"""The self-contained HTML report: the table, then each document's expectations highlighted.

No scripts, fonts or images from the network: one file with inline CSS that opens anywhere.
"""

from __future__ import annotations

import html
import json
from typing import Any

import pandas as pd

from sbtext.export import highlight

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:2rem;max-width:72rem;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2rem}th,td{border:1px solid #bbb;padding:.4rem;vertical-align:top}
th{background:#eee;text-align:left}td{white-space:pre-line}
mark{border-radius:3px;padding:0 2px}mark.expectation{background:#ffe08a}mark.instrumental{background:#f8b4b4}
mark.intrinsic{background:#b8e6b8}mark.sphere{background:#bcd7f5}mark.purpose{background:none;border-bottom:3px solid #7b3fb5}
mark.core{background:#ddd}.passage{margin:.6rem 0;padding:.4rem .6rem;border-left:4px solid #ccc}
.meta{color:#666;font-size:.85em}.legend mark{margin-right:.5rem}
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


def report_html(table: pd.DataFrame, passages: pd.DataFrame, documents: pd.DataFrame, run: dict[str, Any]) -> str:
    """The whole report as one HTML string: `report_head`, each document's section, `END`."""
    found = passages[passages["expectation"].astype(bool)] if not passages.empty else passages
    sections = [
        report_section(doc_id, _title(documents, doc_id), group)
        for doc_id, group in found.groupby("doc_id", sort=False)
    ]
    return "\n".join([report_head(table, len(documents), len(found), run), *sections, END])


def _title(documents: pd.DataFrame, doc_id: Any) -> str:
    title = documents.loc[documents["doc_id"] == doc_id, "title"]
    return str(title.iloc[0]) if len(title) else ""


def report_head(table: pd.DataFrame, n_documents: int, n_expectations: int, run: dict[str, Any]) -> str:
    """The report up to the documents: title, counts, the expectation table and the legend."""
    return "\n".join(
        [
            "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>sbtext report</title>",
            f"<style>{CSS}</style></head><body><h1>Verwachtingen van de sociale basis</h1>",
            f"<p class='meta'>sbtext {html.escape(str(run.get('sbtext_version', '')))}; language backend "
            f"{html.escape(str(run.get('backend', {}).get('kind', '')))}; {n_documents} document(s), "
            f"{n_expectations} expectation passage(s).</p>",
            table.to_html(index=False, escape=True).replace("\\n", "<br>"),
            "<p class='legend'>Legend: <mark class='expectation'>role or task</mark><mark class='instrumental'>"
            "instrumental</mark><mark class='intrinsic'>intrinsic</mark><mark class='sphere'>actor (sphere)</mark>"
            "<mark class='purpose'>purpose (waartoe)</mark></p>",
        ]
    )


def report_section(doc_id: Any, title: str, found: pd.DataFrame) -> str:
    """One document's expectation passages, with cue words and purpose highlighted."""
    parts = [f"<h2>{html.escape(str(doc_id))}</h2><p class='meta'>{html.escape(title)}</p>"]
    for _, r in found.iterrows():
        body = passage_html(r["text"], _cues(r.get("cue_offsets")))
        parts.append(
            f"<div class='passage'>{body}<div class='meta'>p. {html.escape(str(r['page']))} · "
            f"{html.escape(r['framing'])} · score {r['expectation_score']:.2f} · "
            f"{html.escape(r['purpose_category'] or '')} · {html.escape(r['spheres'] or '')}</div></div>"
        )
    return "\n".join(parts)


def _cues(offsets: str | None) -> list[tuple[int, int, str, str]]:
    return [tuple(c) for c in json.loads(offsets or "[]")]  # type: ignore[misc]
