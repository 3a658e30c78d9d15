"""The workload report on paper and in Excel: a table of the weeks (entered, finished, open at
the week's end), and a table of the weeks by status (the backlog at each week's end) — a sheet
each in Excel, one after the other on paper (the statuses eight columns at a time)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.http import FileResponse
from reportlab.platypus import Flowable, Spacer

from darkroom.formats import format_date, studio_formats_active
from darkroom.reports.documents.sheet import figures_table, paragraph, report_heading, report_sheet
from darkroom.reports.selectors.workload import Workload
from darkroom.spreadsheets import xlsx_sheets_response
from darkroom.studio.models import StudioPreferences

WEEK_HEADERS = ["Week from", "Week to", "Entered", "Finished", "Open at the week's end"]
STATUSES_PER_PRINTED_TABLE = 8
NOTHING = "No orders were entered or finished in this range, and none were open."


def backlog_headers(totals: Workload) -> list[str]:
    return ["Week from", "Week to", *[s.name for s in totals.statuses], "All open"]


def workload_xlsx(totals: Workload, filename: str) -> FileResponse:
    """The weeks, and the weeks by status, a sheet each (dates stay dates, counts numbers)."""
    weeks = [[w.week, w.last_day, w.entered, w.finished, w.open] for w in totals.weeks]
    backlog = [
        [w.week, w.last_day, *[w.backlog[s.key] for s in totals.statuses], w.open]
        for w in totals.weeks
    ]
    return xlsx_sheets_response(
        filename,
        [
            ("Entered and finished", WEEK_HEADERS, weeks),
            ("Backlog by status", backlog_headers(totals), backlog),
        ],
    )


def workload_pdf(totals: Workload, *, described: Sequence[str], studio: StudioPreferences) -> bytes:
    """The workload report as a PDF: the range and filter, the totals, the weeks, the backlog."""
    buffer = io.BytesIO()
    title = "Workload report"
    sheet = report_sheet(buffer, title, studio)
    story: list[Flowable] = []
    with studio_formats_active(studio):
        story.extend(report_heading(title, described, studio))
        if totals.empty:
            story.append(paragraph(NOTHING, "base"))
            sheet.build(story)
            return buffer.getvalue()
        story.append(
            paragraph(
                f"{totals.entered:,} entered, {totals.finished:,} finished; "
                f"{totals.opening:,} open when the range began, "
                f"{totals.weeks[-1].open:,} at its end.",
                "base",
            )
        )
        story.append(Spacer(1, 6))
        story.append(paragraph("Entered and finished per week", "heading"))
        story.append(
            figures_table(
                WEEK_HEADERS,
                [
                    [
                        format_date(w.week),
                        format_date(w.last_day),
                        f"{w.entered:,}",
                        f"{w.finished:,}",
                        f"{w.open:,}",
                    ]
                    for w in totals.weeks
                ],
                [0.2, 0.2, 0.17, 0.17, 0.26],
                sheet.width,
            )
        )
        story.extend(_backlog_tables(totals, sheet.width))
        sheet.build(story)
    return buffer.getvalue()


def _backlog_tables(totals: Workload, width: float) -> list[Flowable]:
    story: list[Flowable] = []
    statuses = totals.statuses
    parts = [
        statuses[i : i + STATUSES_PER_PRINTED_TABLE]
        for i in range(0, len(statuses), STATUSES_PER_PRINTED_TABLE)
    ] or [[]]
    for number, part in enumerate(parts, start=1):
        story.append(Spacer(1, 10))
        heading = "Open orders per status at each week's end"
        if len(parts) > 1:
            heading += f" ({number} of {len(parts)})"
        story.append(paragraph(heading, "heading"))
        last = number == len(parts)
        head: list[str] = ["Week to", *[s.name for s in part], *(["All open"] if last else [])]
        lines: list[list[Any]] = [
            [
                format_date(w.last_day),
                *[f"{w.backlog[s.key]:,}" for s in part],
                *([f"{w.open:,}"] if last else []),
            ]
            for w in totals.weeks
        ]
        first = 0.16
        rest = (1 - first) / max(len(head) - 1, 1)
        story.append(figures_table(head, lines, [first, *[rest] * (len(head) - 1)], width))
    return story
