"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere, the
same figures in a table beside them for anyone who cannot see the picture. One module per shape:
horizontal bars (``bars``), columns (``columns``) and lines (``lines``) on a shared scale
(``scale``); each builds a plain description of its drawing that a template turns into SVG."""

from darkroom.reports.charts.bars import (
    BarChart,
    DurationChart,
    MoneyChart,
    bar_chart,
    duration_bars,
    money_bars,
)
from darkroom.reports.charts.columns import (
    ColumnChart,
    StackedChart,
    stacked_columns,
    stacked_parts,
)
from darkroom.reports.charts.lines import LineChart, PercentChart, percent_lines, week_lines

__all__ = [
    "BarChart",
    "ColumnChart",
    "DurationChart",
    "LineChart",
    "MoneyChart",
    "PercentChart",
    "StackedChart",
    "bar_chart",
    "duration_bars",
    "money_bars",
    "percent_lines",
    "stacked_columns",
    "stacked_parts",
    "week_lines",
]
