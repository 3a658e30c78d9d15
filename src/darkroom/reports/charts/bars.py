"""Horizontal bars, one row per status or group, its name left of it: counts and values per status
(the status reports), revenue, costs and profit per group (profit), business days against the plan
(time in status)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from darkroom.formats import format_money
from darkroom.reports.charts.scale import ticks

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
    values = ticks(largest)
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
