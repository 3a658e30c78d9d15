"""The scale the column and line charts share: the plot's size and the round values up its axis."""

from __future__ import annotations

PLOT_HEIGHT = 180
COLUMN_AREA = 720
AXIS_LEFT = 44  # room for the scale's numbers
MOST_LABELS = 13  # months named under the axis; the others every n-th


def ticks(largest: int) -> list[int]:
    """Up to five round values from 0 to at least ``largest`` for the scale."""
    step = 1
    while largest / step > 4:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if largest / step <= 4:
                break
    return [step * i for i in range(0, largest // step + 2) if step * (i - 1) < largest] or [0, 1]


SERIES_COLOURS = 8  # chart-series-0 … 7 in reports.css; more parts cycle through them
WEEK_LABELS = 8  # weeks named under the axis ("8 Dec 25" is wider than a month's name)


def every_nth(count: int) -> int:
    """Name every n-th of ``count`` weeks under the axis, so at most ``WEEK_LABELS`` are named."""
    return -(-count // WEEK_LABELS) or 1
