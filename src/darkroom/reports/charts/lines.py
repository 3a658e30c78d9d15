"""Lines over the weeks or months: orders entered against finished per week (workload), the share
on time month by month (vendor performance)."""

from __future__ import annotations

from dataclasses import dataclass

from darkroom.reports.charts.scale import (
    AXIS_LEFT,
    COLUMN_AREA,
    MOST_LABELS,
    PLOT_HEIGHT,
    every_nth,
    ticks,
)

# -- the workload report: two lines over the weeks, and many parts stacked per week ---------------


@dataclass(frozen=True)
class Line:
    name: str
    kind: str  # its CSS class
    points: str  # the polyline's "x,y x,y …"
    dots: list[tuple[int, int, str]]  # (x, y, what the point says) for a tooltip


@dataclass(frozen=True)
class LineChart:
    title: str
    description: str
    lines: list[Line]
    labels: list[tuple[int, str]]  # (x, label) under the axis
    ticks: list[tuple[int, int]]
    width: int
    height: int
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_LEFT + COLUMN_AREA
    base_y: int = 12 + PLOT_HEIGHT
    label_y: int = 12 + PLOT_HEIGHT + 18
    legend_y: int = 12 + PLOT_HEIGHT + 44


def week_lines(
    title: str, labels: list[str], series: list[tuple[str, str, list[int]]]
) -> LineChart:
    """A line per (name, CSS class, a value per label) on one scale from zero: as orders entered
    and orders finished per week, where which line is above says whether work piled up."""
    values = ticks(max((v for _, _, vs in series for v in vs), default=0) or 1)
    top = values[-1] or 1
    base = 12 + PLOT_HEIGHT
    slot = COLUMN_AREA / max(len(labels), 1)

    def x(i: int) -> int:
        return round(AXIS_LEFT + slot * i + slot / 2)

    def y(v: int) -> int:
        return base - round(PLOT_HEIGHT * v / top)

    lines = [
        Line(
            name=name,
            kind=kind,
            points=" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(vs)),
            dots=[(x(i), y(v), f"{labels[i]}: {v:,} {name.lower()}") for i, v in enumerate(vs)],
        )
        for name, kind, vs in series
    ]
    every = every_nth(len(labels))
    said = [
        f"{label}: " + ", ".join(f"{name.lower()} {vs[i]:,}" for name, _, vs in series)
        for i, label in enumerate(labels)
    ]
    return LineChart(
        title=title,
        description="; ".join(said) or "Nothing to show.",
        lines=lines,
        labels=[(x(i), label) for i, label in enumerate(labels) if i % every == 0],
        ticks=[(v, y(v)) for v in values],
        width=AXIS_LEFT + COLUMN_AREA + 8,
        height=12 + PLOT_HEIGHT + 56,
    )


# -- vendor performance: percentages month by month ---------------------------------------------


@dataclass(frozen=True)
class PercentLine:
    name: str
    kind: str  # its CSS class: chart-trend (the first), chart-trend-second
    segments: list[str]  # polylines' "x,y x,y …": a month without a figure splits the line
    dots: list[tuple[int, int, str]]  # (x, y, title) per month that has a figure


@dataclass(frozen=True)
class PercentChart:
    title: str
    description: str
    lines: list[PercentLine]
    labels: list[tuple[int, str]]  # (x, label) under the axis
    ticks: list[tuple[int, int]]  # (percent, y)
    width: int
    height: int
    axis_left: int = AXIS_LEFT
    axis_right: int = AXIS_LEFT + COLUMN_AREA
    label_y: int = 12 + PLOT_HEIGHT + 18
    legend_y: int = 12 + PLOT_HEIGHT + 44


TREND_KINDS = ("chart-trend", "chart-trend-second")


def percent_lines(
    title: str, labels: list[str], series: list[tuple[str, list[float | None]]]
) -> PercentChart:
    """A line per (name, a percentage per label) on a scale of 0–100 %, a point per label: as
    a vendor's steps and orders on time, month by month. A label without a figure (nothing to
    count that month) leaves a gap in its line rather than a fall to zero."""
    slot = COLUMN_AREA / max(len(labels), 1)
    base = 12 + PLOT_HEIGHT
    every = -(-len(labels) // MOST_LABELS) if labels else 1

    def x_of(index: int) -> int:
        return round(AXIS_LEFT + slot * index + slot / 2)

    lines, words = [], []
    for kind, (name, values) in zip(TREND_KINDS, series, strict=False):
        segments: list[list[str]] = [[]]
        dots = []
        for index, value in enumerate(values):
            if value is None:
                if segments[-1]:
                    segments.append([])
                continue
            x, y = x_of(index), base - round(PLOT_HEIGHT * value / 100)
            segments[-1].append(f"{x},{y}")
            dots.append((x, y, f"{labels[index]} · {name}: {value:g} %"))
            words.append(f"{labels[index]} {name.lower()} {value:g} %")
        kept = [" ".join(s) for s in segments if s]
        lines.append(PercentLine(name, kind, kept, dots))
    return PercentChart(
        title=title,
        description="; ".join(words) or "Nothing to show.",
        lines=lines,
        labels=[(x_of(i), label) for i, label in enumerate(labels) if i % every == 0],
        ticks=[(v, base - round(PLOT_HEIGHT * v / 100)) for v in (0, 25, 50, 75, 100)],
        width=AXIS_LEFT + COLUMN_AREA + 8,
        height=12 + PLOT_HEIGHT + 56,
    )
