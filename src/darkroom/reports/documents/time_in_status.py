"""The time-in-status report on paper and in Excel: a row per status of the cycle with its
figures (steps left, median and 90th percentile business days, the share over plan, the open
records over plan); a status no step of which was left says so rather than showing zeros."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, Spacer

from darkroom.formats import studio_formats_active
from darkroom.reports.charts import DurationChart
from darkroom.reports.documents.sheet import figures_table, paragraph, report_heading, report_sheet
from darkroom.reports.selectors.time_in_status import StatusFigure, TimeInStatus
from darkroom.spreadsheets import xlsx_file_response
from darkroom.studio.models import StudioPreferences

HEADERS = [
    "Status",
    "Planned days",
    "Steps left",
    "Median days",
    "90th percentile days",
    "Over plan",
    "% over plan",
    "Open over plan",
]
# On paper, shorter words for the same columns (a column is a tenth of the page wide).
PRINTED_HEADERS = [
    "Status",
    "Planned",
    "Steps left",
    "Median",
    "90th pct.",
    "Over plan",
    "% over plan",
    "Open over plan",
]
NONE_LEFT = "None left"
PERCENTILES = (
    "Business days. Median and 90th percentile (pct.) by nearest rank over the steps left; "
    "“over plan”: more business days than the step was planned to take then; "
    "“open over plan”: records in the status now whose step is overdue."
)


def figure_values(s: StatusFigure) -> list[Any]:
    """A status's row, as the Excel file holds it (numbers as numbers; words where none)."""
    share = s.share_over_plan
    return [
        s.status,
        s.planned,
        s.passed,
        NONE_LEFT if s.median is None else s.median,
        NONE_LEFT if s.p90 is None else s.p90,
        s.over_plan,
        NONE_LEFT if share is None else float(share),
        s.open_over_plan,
    ]


def figure_words(s: StatusFigure) -> list[str]:
    """A status's row in words (the page's table, the PDF)."""
    share = s.share_over_plan
    return [
        s.status,
        f"{s.planned}",
        f"{s.passed:,}",
        NONE_LEFT if s.median is None else f"{s.median}",
        NONE_LEFT if s.p90 is None else f"{s.p90}",
        f"{s.over_plan:,}",
        "—" if share is None else f"{share} %",
        f"{s.open_over_plan:,}",
    ]


MEDIAN_COLOUR = colors.HexColor("#3b6fd6")  # as the page's chart (reports.css)
P90_COLOUR = colors.HexColor("#d6733b")


def chart_drawing(chart: DurationChart, width: float) -> Drawing:
    """The page's chart drawn for the PDF: the same bars, marks and scale (its coordinates run
    down the page as the SVG's do; the drawing's run up, so each y is taken from the height),
    scaled to ``width``."""
    scale = width / chart.width
    shapes = Group()
    height = chart.height

    def text(x: float, y: float, words: str, anchor: str = "start", size: float = 9) -> None:
        shapes.add(
            String(x, height - y, words, fontName="Helvetica", fontSize=size, textAnchor=anchor)
        )

    for value, x in chart.ticks:
        shapes.add(
            Line(
                x,
                height - 4,
                x,
                height - (chart.legend_y - 24),
                strokeColor=colors.lightgrey,
                strokeWidth=0.6,
            )
        )
        text(x, chart.legend_y - 10, str(value), "middle")
    bar = chart.bar_height - 1
    for g in chart.groups:
        text(chart.label_width - 8, g.text_y, g.label, "end", 10)
        for y, length, colour, figure in (
            (g.median_y, g.median_width, MEDIAN_COLOUR, g.median_figure),
            (g.p90_y, g.p90_width, P90_COLOUR, g.p90_figure),
        ):
            if length:
                shapes.add(
                    Rect(
                        chart.label_width,
                        height - y - bar,
                        length,
                        bar,
                        fillColor=colour,
                        strokeColor=None,
                    )
                )
            text(chart.label_width + length + 6, y + 9, figure, size=8)
        shapes.add(
            Line(
                g.plan_x,
                height - g.plan_top,
                g.plan_x,
                height - g.plan_bottom,
                strokeColor=colors.black,
                strokeWidth=1.5,
                strokeDashArray=[3, 2],
            )
        )
    legend = chart.legend_y
    for x, colour, words in ((0, MEDIAN_COLOUR, "Median"), (90, P90_COLOUR, "90th percentile")):
        shapes.add(
            Rect(
                chart.label_width + x,
                height - legend - 1,
                12,
                10,
                fillColor=colour,
                strokeColor=None,
            )
        )
        text(chart.label_width + x + 18, legend, words)
    shapes.add(
        Line(
            chart.label_width + 240,
            height - legend - 2,
            chart.label_width + 240,
            height - legend + 10,
            strokeColor=colors.black,
            strokeWidth=1.5,
            strokeDashArray=[3, 2],
        )
    )
    text(chart.label_width + 248, legend, "Planned")
    shapes.scale(scale, scale)
    drawing = Drawing(width, height * scale)
    drawing.add(shapes)
    return drawing


def time_in_status_xlsx(report: TimeInStatus, filename: str) -> FileResponse:
    """One row per status of the cycle, in its order."""
    return xlsx_file_response(
        filename, "Time in status", HEADERS, (figure_values(s) for s in report.statuses)
    )


def time_in_status_pdf(
    report: TimeInStatus,
    *,
    described: Sequence[str],
    studio: StudioPreferences,
    chart: DurationChart | None = None,
) -> bytes:
    """The report as a PDF: its cycle, range and filter, the page's chart (when given), then a
    row per status."""
    buffer = io.BytesIO()
    title = "Time in status"
    sheet = report_sheet(buffer, title, studio)
    story: list[Flowable] = []
    with studio_formats_active(studio):
        story.extend(report_heading(title, described, studio))
        if report.empty:
            story.append(
                paragraph(
                    "No step of this cycle was left in this range, and none is open over plan.",
                    "base",
                )
            )
            sheet.build(story)
            return buffer.getvalue()
        if chart is not None:
            story.append(paragraph(chart.title, "heading"))
            story.append(chart_drawing(chart, sheet.width))
            story.append(Spacer(1, 8))
        story.append(
            figures_table(
                PRINTED_HEADERS,
                [figure_words(s) for s in report.statuses],
                [0.22, 0.09, 0.1, 0.09, 0.1, 0.1, 0.13, 0.17],
                sheet.width,
            )
        )
        story.append(Spacer(1, 6))
        story.append(paragraph(PERCENTILES, "base"))
        sheet.build(story)
    return buffer.getvalue()
