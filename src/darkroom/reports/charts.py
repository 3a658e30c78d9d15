"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere, the
same figures in a table beside them for anyone who cannot see the picture."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from darkroom.formats import format_money

LABEL_WIDTH = 200  # room for a status's name left of its bar
LONGEST_LABEL = 24  # characters of 15 px type that fit in it
BAR_AREA = 360
FIGURE_WIDTH = 170  # room for "12 · $12,345.00" right of the bar
ROW_HEIGHT = 34
BAR_HEIGHT = 22


@dataclass(frozen=True)
class Bar:
    label: str
    figure: str  # what the bar says in words: count and value
    y: int
    text_y: int
    width: int  # the bar's length in the drawing's units
    figure_x: int


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(
    title: str, rows: list[tuple[str, int, Decimal | None]], *, by_value: bool
) -> BarChart:
    """A horizontal bar per (label, count, value): bars as long as the value (or the count when
    ``by_value`` is false, as for proof orders, which have no value), the longest full width."""
    measures = [float(value or 0) if by_value else float(count) for _, count, value in rows]
    longest = max(measures, default=0) or 1.0
    bars = []
    for index, ((label, count, value), measure) in enumerate(zip(rows, measures, strict=True)):
        width = round(BAR_AREA * measure / longest)
        y = 8 + index * ROW_HEIGHT
        figure = f"{count:,}" + (f" · {format_money(value)}" if by_value else "")
        bars.append(
            Bar(
                label=label if len(label) <= LONGEST_LABEL else f"{label[: LONGEST_LABEL - 1]}…",
                figure=figure,
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                width=max(width, 2 if measure else 0),
                figure_x=LABEL_WIDTH + max(width, 2) + 8,
            )
        )
    described = "; ".join(f"{r[0]}: {b.figure}" for r, b in zip(rows, bars, strict=True))
    return BarChart(
        title=title,
        description=described or "Nothing to show.",
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + FIGURE_WIDTH,
        height=16 + len(bars) * ROW_HEIGHT,
    )
