"""The time-in-status report on paper and in Excel: a row per status of the cycle with its
figures (steps left, median and 90th percentile business days, the share over plan, the open
records over plan); a status no step of which was left says so rather than showing zeros."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from reportlab.platypus import Flowable, Spacer

from darkroom.formats import studio_formats_active
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
NONE_LEFT = "None left"
PERCENTILES = (
    "Business days. Median and 90th percentile by nearest rank over the steps left; "
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


def time_in_status_xlsx(report: TimeInStatus, filename: str) -> FileResponse:
    """One row per status of the cycle, in its order."""
    return xlsx_file_response(
        filename, "Time in status", HEADERS, (figure_values(s) for s in report.statuses)
    )


def time_in_status_pdf(
    report: TimeInStatus, *, described: Sequence[str], studio: StudioPreferences
) -> bytes:
    """The report as a PDF: its cycle, range and filter, then a row per status."""
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
        story.append(
            figures_table(
                HEADERS,
                [figure_words(s) for s in report.statuses],
                [0.24, 0.09, 0.1, 0.1, 0.12, 0.1, 0.1, 0.15],
                sheet.width,
            )
        )
        story.append(Spacer(1, 6))
        story.append(paragraph(PERCENTILES, "base"))
        sheet.build(story)
    return buffer.getvalue()
