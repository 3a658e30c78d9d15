"""The vendor performance report on paper and in Excel: each vendor's steps on time and how late,
orders kept to the promised date, turnaround and reorders, then the trend month by month. A
rate with nothing to count (no step had a due date) is left empty, never shown as 0 %."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import FileResponse
from reportlab.platypus import Flowable, Spacer

from darkroom.formats import studio_formats_active
from darkroom.reports.documents.sheet import (
    figures_table,
    paragraph,
    report_heading,
    report_sheet,
)
from darkroom.reports.selectors.vendor_performance import (
    MonthPerformance,
    Performance,
    VendorPerformanceReport,
)
from darkroom.spreadsheets import xlsx_file_response
from darkroom.studio.models import StudioPreferences

WHOLE_RANGE = "Whole range"
ALL_VENDORS = "All vendors"
VENDOR_PERFORMANCE_HEADERS = [
    "Vendor",
    "Month",
    "Steps left",
    "Steps with a due date",
    "Steps on time",
    "Steps late",
    "Steps on time (%)",
    "Average lateness (business days, late steps)",
    "Orders finished",
    "Orders with a promised date",
    "Finished by the promised date",
    "Orders on time to the promise (%)",
    "Average turnaround (calendar days)",
    "Reorders",
    "Reorders the vendor's fault",
]


def rate(value: float | None, unit: str = "") -> str:
    """A rate or an average as printed: "—" when there was nothing to count."""
    return "—" if value is None else f"{value:g}{unit}"


def _values(vendor: str, month: str, p: Performance, reorders: bool) -> list[Any]:
    return [
        vendor,
        month,
        p.steps,
        p.due_steps,
        p.on_time,
        p.late,
        p.on_time_percent,
        p.average_lateness,
        p.finished,
        p.promised,
        p.kept_promise,
        p.promise_percent,
        p.average_turnaround,
        p.reorders if reorders else None,
        p.vendors_fault if reorders else None,
    ]


def _sheet_rows(report: VendorPerformanceReport) -> Iterator[list[Any]]:
    """Each vendor's whole range, then its months (whose reorders are not split by vendor and
    month: left empty), then all vendors together, whole range and months."""
    for v in report.vendors:
        yield _values(v.vendor, WHOLE_RANGE, v, True)
        for m in v.months:
            yield _values(v.vendor, m.month.strftime("%Y-%m"), m, False)
    yield _values(ALL_VENDORS, WHOLE_RANGE, report.all, True)
    for m in report.months:
        yield _values(ALL_VENDORS, m.month.strftime("%Y-%m"), m, True)


def vendor_performance_xlsx(report: VendorPerformanceReport, filename: str) -> FileResponse:
    """The report as an .xlsx download: a row per vendor for the whole range and for each
    month, then all vendors; an empty cell where there was nothing to count."""
    return xlsx_file_response(
        filename, "Vendor performance", VENDOR_PERFORMANCE_HEADERS, _sheet_rows(report)
    )


def _vendor_line(name: str, p: Performance) -> list[str]:
    return [
        name,
        f"{p.steps:,}",
        rate(p.on_time_percent, " %"),
        rate(p.average_lateness),
        f"{p.finished:,}",
        rate(p.promise_percent, " %"),
        rate(p.average_turnaround),
        f"{p.reorders:,} ({p.vendors_fault:,})",
    ]


def _month_line(m: MonthPerformance) -> list[str]:
    return _vendor_line(m.month.strftime("%B %Y"), m)


def vendor_performance_pdf(
    report: VendorPerformanceReport,
    *,
    described: Sequence[str],
    studio: StudioPreferences,
) -> bytes:
    """The report as a PDF: its range and vendor, each vendor's figures, the trend by month
    and the reorders' reasons; an empty range says why it is empty."""
    buffer = io.BytesIO()
    title = "Vendor performance"
    sheet = report_sheet(buffer, title, studio)
    story: list[Flowable] = []
    head = [
        "",
        "Steps left",
        "On time",
        "Avg. late (bus. days)",
        "Orders finished",
        "On promise",
        "Turnaround (days)",
        "Reorders (vendor's fault)",
    ]
    widths = [0.22, 0.1, 0.1, 0.12, 0.1, 0.11, 0.12, 0.13]
    with studio_formats_active(studio):
        story.extend(report_heading(title, described, studio))
        if report.empty_reason is not None:
            story.append(paragraph(report.empty_reason, "base"))
            sheet.build(story)
            return buffer.getvalue()
        story.append(paragraph("Per vendor", "heading"))
        lines = [_vendor_line(v.vendor, v) for v in report.vendors]
        lines.append(_vendor_line(ALL_VENDORS, report.all))
        story.append(figures_table(["Vendor", *head[1:]], lines, widths, sheet.width))
        story.append(Spacer(1, 8))
        story.append(paragraph("Trend by month", "heading"))
        story.append(
            figures_table(
                ["Month", *head[1:]],
                [_month_line(m) for m in report.months],
                widths,
                sheet.width,
            )
        )
        if report.reasons:
            story.append(Spacer(1, 8))
            story.append(paragraph("Reorders by reason", "heading"))
            story.append(
                figures_table(
                    ["Reason", "Vendor's fault", "Reorders"],
                    [
                        [r.reason, "No" if r.chargeable else "Yes", f"{r.count:,}"]
                        for r in report.reasons
                    ],
                    [0.6, 0.2, 0.2],
                    sheet.width,
                )
            )
        story.append(Spacer(1, 8))
        story.append(paragraph(NOTES, "base"))
        sheet.build(story)
    return buffer.getvalue()


NOTES = (
    "Steps: every step of a production order left in the range, on time when left on or before "
    "the due date it had; lateness in business days on the vendor's calendar, averaged over "
    "the late steps. Orders: production orders finished in the range; on promise when finished "
    "on or before the promised date; turnaround in calendar days from the order date. "
    "Reorders: placed in the range; the vendor's fault when the reason is not chargeable."
)
