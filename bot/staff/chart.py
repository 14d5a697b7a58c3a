"""Theme counts as a bar chart that everyone can read.

The chart is an SVG with `role="img"`, a title and a description that says every number, and
the page puts a table with the same numbers beside it, so a screen reader user or someone who
cannot tell bars apart loses nothing. Colours are GOV.UK Frontend's and pass contrast checks.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 600
LABEL_HEIGHT = 24
BAR_HEIGHT = 24
ROW_GAP = 14
COUNT_SPACE = 60
MAX_LABEL_CHARS = 48


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    label_y: int
    bar_y: int
    bar_width: int
    count_x: int


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    bars: list[Bar]


def bar_chart(chart_id: str, title: str, counts: list[tuple[str, int]], unit: str) -> BarChart:
    """Horizontal bars, one per (label, count), longest scaled to the full width."""
    most = max((count for _, count in counts), default=0) or 1
    room = WIDTH - COUNT_SPACE
    bars = []
    y = 0
    for label, count in counts:
        width = max(2, round(room * count / most)) if count else 0
        shown = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
        bars.append(
            Bar(
                label=shown,
                count=count,
                label_y=y + LABEL_HEIGHT - 6,
                bar_y=y + LABEL_HEIGHT,
                bar_width=width,
                count_x=width + 8,
            )
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    parts = [
        f"{label}: {count} {unit if count != 1 else unit.rstrip('s')}" for label, count in counts
    ]
    description = "Bar chart. " + ("; ".join(parts) + "." if parts else "No themes yet.")
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(y, LABEL_HEIGHT),
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
