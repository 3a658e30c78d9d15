"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere, the
same figures in a table beside them for anyone who cannot see the picture."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from darkroom.formats import format_money

LABEL_WIDTH = 200  # room for a status's name left of its bar
LONGEST_LABEL = 22  # characters of 15 px type that fit in it (DejaVu Sans, the widest usual)
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


PLOT_HEIGHT = 180
COLUMN_AREA = 720
AXIS_LEFT = 44  # room for the scale's numbers
MOST_LABELS = 13  # months named under the axis; the others every n-th


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


def _ticks(largest: int) -> list[int]:
    """Up to five round values from 0 to at least ``largest`` for the scale."""
    step = 1
    while largest / step > 4:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if largest / step <= 4:
                break
    return [step * i for i in range(0, largest // step + 2) if step * (i - 1) < largest] or [0, 1]


def stacked_columns(
    title: str, columns: list[tuple[str, int, int]], legend: tuple[str, str]
) -> ColumnChart:
    """A column per (label, lower count, upper count), the two parts stacked, on a scale from
    zero: as the reorders per month, chargeable below and the vendor's fault on top."""
    values = _ticks(max((a + b for _, a, b in columns), default=0) or 1)
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


MONEY_BAR_HEIGHT = 12
MONEY_ROW_HEIGHT = 3 * MONEY_BAR_HEIGHT + 18  # three bars and a gap


@dataclass(frozen=True)
class MoneyBar:
    kind: str  # its CSS class: chart-bar (revenue), chart-bar-fault (costs), chart-bar-profit
    title: str  # "Revenue: $1,200.00"
    x: int
    y: int
    width: int
    figure: str
    figure_x: int
    text_y: int


@dataclass(frozen=True)
class MoneyGroup:
    label: str
    text_y: int
    bars: list[MoneyBar]


@dataclass(frozen=True)
class MoneyChart:
    title: str
    description: str
    groups: list[MoneyGroup]
    legend: tuple[str, str, str]
    zero_x: int
    width: int
    height: int
    legend_y: int
    label_width: int = LABEL_WIDTH


def money_bars(
    title: str,
    rows: list[tuple[str, Decimal, Decimal, Decimal]],
    legend: tuple[str, str, str] = ("Revenue", "Costs", "Profit"),
) -> MoneyChart:
    """Three horizontal bars per (label, revenue, costs, profit), on one scale from zero; a loss
    (a negative profit) is drawn left of zero, so a group that lost money shows it at a glance."""
    values = [v for _, *three in rows for v in three]
    lowest = min([*values, Decimal(0)])
    highest = max([*values, Decimal(0)])
    span = float(highest - lowest) or 1.0
    zero_x = LABEL_WIDTH + round(BAR_AREA * float(-lowest) / span)
    groups = []
    for index, (label, *three) in enumerate(rows):
        top = 8 + index * MONEY_ROW_HEIGHT
        bars = []
        for n, (kind, name, value) in enumerate(
            zip(("chart-bar", "chart-bar-fault", "chart-bar-profit"), legend, three, strict=True)
        ):
            length = round(BAR_AREA * abs(float(value)) / span)
            length = max(length, 2 if value else 0)
            x = zero_x - length if value < 0 else zero_x
            y = top + n * MONEY_BAR_HEIGHT
            bars.append(
                MoneyBar(
                    kind=kind if value >= 0 else "chart-bar-loss",
                    title=f"{label} · {name}: {format_money(value)}",
                    x=x,
                    y=y,
                    width=length,
                    figure=format_money(value),
                    figure_x=max(zero_x, x + length) + 6,
                    text_y=y + MONEY_BAR_HEIGHT - 2,
                )
            )
        short = label if len(label) <= LONGEST_LABEL else f"{label[: LONGEST_LABEL - 1]}…"
        groups.append(MoneyGroup(label=short, text_y=top + MONEY_BAR_HEIGHT + 10, bars=bars))
    height = 16 + len(groups) * MONEY_ROW_HEIGHT
    return MoneyChart(
        title=title,
        description="; ".join(b.title for g in groups for b in g.bars) or "Nothing to show.",
        groups=groups,
        legend=legend,
        zero_x=zero_x,
        width=LABEL_WIDTH + BAR_AREA + FIGURE_WIDTH,
        height=height + 28,
        legend_y=height + 14,
    )


# -- the workload report: two lines over the weeks, and many parts stacked per week ---------------

SERIES_COLOURS = 8  # chart-series-0 … 7 in reports.css; more parts cycle through them
WEEK_LABELS = 8  # weeks named under the axis ("8 Dec 25" is wider than a month's name)


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


def _every(count: int) -> int:
    return -(-count // WEEK_LABELS) or 1


def week_lines(
    title: str, labels: list[str], series: list[tuple[str, str, list[int]]]
) -> LineChart:
    """A line per (name, CSS class, a value per label) on one scale from zero: as orders entered
    and orders finished per week, where which line is above says whether work piled up."""
    values = _ticks(max((v for _, _, vs in series for v in vs), default=0) or 1)
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
    every = _every(len(labels))
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
    values = _ticks(max((sum(parts) for _, parts in columns), default=0) or 1)
    top = values[-1] or 1
    slot = COLUMN_AREA / max(len(columns), 1)
    width = max(2, min(40, round(slot * 0.7)))
    every = _every(len(columns))
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


DURATION_BAR_HEIGHT = 11
DURATION_ROW_HEIGHT = 2 * DURATION_BAR_HEIGHT + 16  # two bars and a gap


@dataclass(frozen=True)
class DurationGroup:
    label: str
    title: str  # the status's figures in words, for a tooltip and the description
    text_y: int
    median_y: int
    median_width: int
    median_figure: str
    p90_y: int
    p90_width: int
    p90_figure: str
    plan_x: int  # where the planned duration's mark stands
    plan_top: int
    plan_bottom: int


@dataclass(frozen=True)
class DurationChart:
    title: str
    description: str
    groups: list[DurationGroup]
    ticks: list[tuple[int, int]]  # (business days, x) of the scale's lines
    width: int
    height: int
    legend_y: int
    label_width: int = LABEL_WIDTH
    bar_height: int = DURATION_BAR_HEIGHT


def _days(value: int | None) -> str:
    return "—" if value is None else f"{value} day{'s' if value != 1 else ''}"


def duration_bars(title: str, rows: list[tuple[str, int | None, int | None, int]]) -> DurationChart:
    """Two horizontal bars per (label, median, 90th percentile, planned days) on one scale of
    business days from zero — the median, then the 90th percentile — and a mark at the planned
    duration across both: a step that usually runs late shows its bars past the mark."""
    largest = max([v or 0 for _, *three in rows for v in three] + [1])
    values = _ticks(largest)
    top = values[-1] or 1

    def x_of(days: int) -> int:
        return LABEL_WIDTH + round(BAR_AREA * days / top)

    groups = []
    for index, (label, median, p90, planned) in enumerate(rows):
        row_top = 8 + index * DURATION_ROW_HEIGHT
        short = label if len(label) <= LONGEST_LABEL else f"{label[: LONGEST_LABEL - 1]}…"
        median_width = x_of(median or 0) - LABEL_WIDTH
        p90_width = x_of(p90 or 0) - LABEL_WIDTH
        groups.append(
            DurationGroup(
                label=short,
                title=f"{label}: median {_days(median)}, 90th percentile {_days(p90)}, "
                f"planned {_days(planned)}",
                text_y=row_top + DURATION_BAR_HEIGHT + 4,
                median_y=row_top,
                median_width=max(median_width, 2 if median else 0),
                median_figure=_days(median),
                p90_y=row_top + DURATION_BAR_HEIGHT,
                p90_width=max(p90_width, 2 if p90 else 0),
                p90_figure=_days(p90),
                plan_x=x_of(planned),
                plan_top=row_top - 3,
                plan_bottom=row_top + 2 * DURATION_BAR_HEIGHT + 3,
            )
        )
    height = 16 + len(groups) * DURATION_ROW_HEIGHT
    return DurationChart(
        title=title,
        description="; ".join(g.title for g in groups) or "Nothing to show.",
        groups=groups,
        ticks=[(v, x_of(v)) for v in values],
        width=LABEL_WIDTH + BAR_AREA + FIGURE_WIDTH,
        height=height + 44,
        legend_y=height + 30,
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
