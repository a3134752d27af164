"""Self-contained SVG charts for the report: stacked horizontal bars with a legend.

Plain SVG text, no scripts and nothing fetched, so the report stays one file that opens anywhere.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

PALETTE = ["#5aa05a", "#d9534f", "#f0ad4e", "#5b8fd6", "#9b59b6", "#17a2b8", "#8c6d31", "#e377c2", "#7f7f7f", "#bcbd22"]
LABEL_WIDTH = 260
BAR_WIDTH = 420
ROW_HEIGHT = 22


def stacked_bars(
    counts: pd.DataFrame, *, title: str, unit: str, labels: Sequence[str], colors: Sequence[str] = PALETTE
) -> str:
    """An SVG of one stacked bar per row of `counts` (rows: names; columns: the stacked parts).

    Args:
        counts: non-negative numbers; the index names the bars, the columns the parts.
        title: the chart's title.
        unit: what is counted, shown on the axis ("verwachtingen").
        labels: the legend's label per column, in column order.
        colors: a colour per column.
    """
    total = float(counts.to_numpy().sum(axis=1).max()) if len(counts) else 0.0
    scale = BAR_WIDTH / total if total else 0.0
    legend_rows = (len(labels) + 2) // 3
    height = 30 + ROW_HEIGHT * max(len(counts), 1) + 24 + 18 * legend_rows
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui,Arial,sans-serif" font-size="12">',
        f"<title>{html.escape(title)}</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(title)}</text>',
    ]
    for i, (name, row) in enumerate(counts.iterrows()):
        y = 30 + i * ROW_HEIGHT
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{html.escape(_short(name))}</text>')
        x = float(LABEL_WIDTH)
        for k, value in enumerate(row.to_numpy()):
            if value > 0:
                w = float(value) * scale
                tip = f"{_short(name)}: {labels[k]} {int(value)}"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{ROW_HEIGHT - 6}" '
                    f'fill="{colors[k % len(colors)]}"><title>{html.escape(tip)}</title></rect>'
                )
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{int(row.sum())}</text>')
    axis_y = 30 + ROW_HEIGHT * max(len(counts), 1) + 14
    parts.append(f'<text x="{LABEL_WIDTH}" y="{axis_y}" fill="#666">{html.escape(unit)}</text>')
    for k, text in enumerate(labels):
        lx, ly = (k % 3) * 240, axis_y + 8 + (k // 3) * 18
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colors[k % len(colors)]}"/>')
        parts.append(f'<text x="{lx + 16}" y="{ly + 10}">{html.escape(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _short(name: object, limit: int = 40) -> str:
    text = str(name)
    return text if len(text) <= limit else text[: limit - 1] + "…"
