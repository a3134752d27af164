"""Pictures for notebooks (matplotlib is imported only when a plot is asked for), in Dutch."""

from __future__ import annotations

from typing import Any

from sbtext import tables
from sbtext.labels import FRAMING, category


def plot_framing(analysis: Any, ax: Any = None) -> Any:
    """Stacked bars: expectation framings per source."""
    import matplotlib.pyplot as plt

    data = tables.framing_by_source(analysis.passages).set_index("source")[tables.FRAMING_ORDER]
    data = data.rename(columns=FRAMING)
    ax = ax or plt.subplots(figsize=(8, 0.5 + 0.45 * max(len(data), 1)))[1]
    data.plot.barh(stacked=True, ax=ax, color=["#5aa05a", "#d9534f", "#f0ad4e"])
    ax.set_xlabel("passages met een verwachting")
    ax.set_ylabel("")
    ax.set_title("Framing van de verwachtingen per bron")
    ax.legend(title="framing")
    return ax


def plot_purposes(analysis: Any, ax: Any = None) -> Any:
    """Horizontal bars: how often each purpose category occurs, over all sources."""
    import matplotlib.pyplot as plt

    data = tables.purpose_by_source(analysis.passages).set_index("source").sum().sort_values()
    data.index = [category(str(c)) for c in data.index]
    ax = ax or plt.subplots(figsize=(8, 0.5 + 0.4 * max(len(data), 1)))[1]
    data.plot.barh(ax=ax, color="#7b3fb5")
    ax.set_xlabel("passages met een doel")
    ax.set_title("Waartoe moet dit dienen? Doelcategorieën")
    return ax
