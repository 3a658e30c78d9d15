"""Columns over the months or weeks, parts stacked: reorders chargeable and not per month, the
backlog's statuses per week."""

from __future__ import annotations

from dataclasses import dataclass

from darkroom.reports.charts.bars import LONGEST_LABEL
from darkroom.reports.charts.scale import (
    AXIS_LEFT,
    COLUMN_AREA,
    MOST_LABELS,
    PLOT_HEIGHT,
    SERIES_COLOURS,
    every_nth,
    ticks,
)


@dataclass(frozen=True)
class Column:
    label: str  # shown under the axis ("" when skipped to make room)
    title: str  # what the column says in words, for a tooltip and the description
    x: int
    width: int
    lower_y: int  # the lower part (the first count)
    lower_height: int
    upper_y: int  # the upper part, stacked on it (the second count)
    upper_height: int


@dataclass(frozen=True)
class ColumnChart:
    title: str
    description: str
    columns: list[Column]
    ticks: list[tuple[int, int]]  # (value, y) of the scale's lines
    legend: tuple[str, str]  # the lower and upper parts' names
    width: int
    height: int
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_LEFT + COLUMN_AREA
    base_y: int = 12 + PLOT_HEIGHT
    label_y: int = 12 + PLOT_HEIGHT + 18
    legend_y: int = 12 + PLOT_HEIGHT + 44


def stacked_columns(
    title: str, columns: list[tuple[str, int, int]], legend: tuple[str, str]
) -> ColumnChart:
    """A column per (label, lower count, upper count), the two parts stacked, on a scale from
    zero: as the reorders per month, chargeable below and the vendor's fault on top."""
    values = ticks(max((a + b for _, a, b in columns), default=0) or 1)
    top = values[-1] or 1
    slot = COLUMN_AREA / max(len(columns), 1)
    width = max(2, min(40, round(slot * 0.7)))
    every = -(-len(columns) // MOST_LABELS)
    base = 12 + PLOT_HEIGHT
    drawn = []
    for index, (label, lower, upper) in enumerate(columns):
        lower_h = round(PLOT_HEIGHT * lower / top)
        upper_h = round(PLOT_HEIGHT * upper / top)
        drawn.append(
            Column(
                label=label if index % every == 0 else "",
                title=f"{label}: {lower + upper:,} ({legend[0].lower()} {lower:,}, "
                f"{legend[1].lower()} {upper:,})",
                x=round(AXIS_LEFT + slot * index + (slot - width) / 2),
                width=width,
                lower_y=base - lower_h,
                lower_height=lower_h,
                upper_y=base - lower_h - upper_h,
                upper_height=upper_h,
            )
        )
    return ColumnChart(
        title=title,
        description="; ".join(c.title for c in drawn) or "Nothing to show.",
        columns=drawn,
        ticks=[(v, base - round(PLOT_HEIGHT * v / top)) for v in values],
        legend=legend,
        width=AXIS_LEFT + COLUMN_AREA + 8,
        height=12 + PLOT_HEIGHT + 56,
    )


@dataclass(frozen=True)
class Part:
    kind: str  # chart-series-<n>
    y: int
    height: int


@dataclass(frozen=True)
class StackedColumn:
    label: str  # "" when skipped to make room
    title: str
    x: int
    width: int
    parts: list[Part]


@dataclass(frozen=True)
class LegendEntry:
    name: str
    kind: str
    x: int
    y: int


@dataclass(frozen=True)
class StackedChart:
    title: str
    description: str
    columns: list[StackedColumn]
    ticks: list[tuple[int, int]]
    legend: list[LegendEntry]
    width: int
    height: int
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_LEFT + COLUMN_AREA
    base_y: int = 12 + PLOT_HEIGHT
    label_y: int = 12 + PLOT_HEIGHT + 18


LEGEND_COLUMNS = 4
LEGEND_ROW = 22


def stacked_parts(
    title: str, columns: list[tuple[str, list[int]]], legend: list[str]
) -> StackedChart:
    """A column per (label, a count per legend entry), the parts stacked bottom-up in the
    legend's order: as the open orders per status at the end of each week."""
    values = ticks(max((sum(parts) for _, parts in columns), default=0) or 1)
    top = values[-1] or 1
    slot = COLUMN_AREA / max(len(columns), 1)
    width = max(2, min(40, round(slot * 0.7)))
    every = every_nth(len(columns))
    base = 12 + PLOT_HEIGHT
    kinds = [f"chart-series-{i % SERIES_COLOURS}" for i in range(len(legend))]
    drawn = []
    for index, (label, counts) in enumerate(columns):
        parts, height_so_far, reached = [], 0, 0
        for kind, count in zip(kinds, counts, strict=True):
            reached += count
            # Each part's top is placed from the running sum, so rounding never adds up.
            top_y = base - round(PLOT_HEIGHT * max(reached, 0) / top)
            height = base - height_so_far - top_y
            if height > 0:
                parts.append(Part(kind=kind, y=top_y, height=height))
                height_so_far += height
        said = ", ".join(f"{name} {n:,}" for name, n in zip(legend, counts, strict=True) if n)
        drawn.append(
            StackedColumn(
                label=label if index % every == 0 else "",
                title=f"{label}: {sum(counts):,}" + (f" ({said})" if said else ""),
                x=round(AXIS_LEFT + slot * index + (slot - width) / 2),
                width=width,
                parts=parts,
            )
        )
    legend_top = 12 + PLOT_HEIGHT + 44
    entries = [
        LegendEntry(
            name=name if len(name) <= LONGEST_LABEL else f"{name[: LONGEST_LABEL - 1]}…",
            kind=kind,
            x=AXIS_LEFT + (i % LEGEND_COLUMNS) * (COLUMN_AREA // LEGEND_COLUMNS),
            y=legend_top + (i // LEGEND_COLUMNS) * LEGEND_ROW,
        )
        for i, (name, kind) in enumerate(zip(legend, kinds, strict=True))
    ]
    rows = -(-len(legend) // LEGEND_COLUMNS)
    return StackedChart(
        title=title,
        description="; ".join(c.title for c in drawn) or "Nothing to show.",
        columns=drawn,
        ticks=[(v, base - round(PLOT_HEIGHT * v / top)) for v in values],
        legend=entries,
        width=AXIS_LEFT + COLUMN_AREA + 8,
        height=legend_top + max(rows, 1) * LEGEND_ROW,
    )
