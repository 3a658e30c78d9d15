"""The status reports (orders, sessions, invoices) on paper and in Excel: the totals per status
first, then the rows; the Excel file streams every row (``report_rows`` reads a page at a time,
the writer keeps none of them: ``darkroom/spreadsheets.py``)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from django.http import FileResponse
from reportlab.platypus import (
    Flowable,
    LongTable,
    Spacer,
    TableStyle,
)

from darkroom.formats import format_date, format_money, studio_formats_active
from darkroom.reports.documents.sheet import (
    GRID,
    MOST_PRINTED_ROWS,
    paragraph,
    report_heading,
    report_sheet,
)
from darkroom.reports.registry import Report
from darkroom.reports.selectors.status_report import (
    ORDERS,
    StatusReportFilter,
    StatusTotals,
    report_rows,
)
from darkroom.spreadsheets import Money, xlsx_file_response
from darkroom.studio.models import StudioPreferences


def headers(report: Report, f: StatusReportFilter) -> list[str]:
    """The columns of the report's rows, on paper and in Excel."""
    columns = [report.number_label, "Due date", "Status"]
    if f.report == ORDERS:
        columns.append("Vendor")
    columns.append("Client")
    if f.has_value:
        columns.append("Invoice value")
    return columns


def _values(f: StatusReportFilter) -> Iterator[list[Any]]:
    for row in report_rows(f):
        values: list[Any] = [row.number, row.due_date, row.status]
        if f.report == ORDERS:
            values.append(row.vendor or "")
        values.append(row.client)
        if f.has_value:
            values.append(None if row.invoice_value is None else Money(row.invoice_value))
        yield values


def report_xlsx(report: Report, f: StatusReportFilter, filename: str) -> FileResponse:
    """Every row of the report as an .xlsx download, streamed."""
    return xlsx_file_response(filename, report.title, headers(report, f), _values(f))


def report_pdf(
    report: Report,
    f: StatusReportFilter,
    totals: StatusTotals,
    *,
    described: Sequence[str],
    studio: StudioPreferences,
) -> bytes:
    """The report as a PDF: its title and filter, the totals per status, then its rows."""
    buffer = io.BytesIO()
    sheet = report_sheet(buffer, report.title, studio)
    story: list[Flowable] = []
    with studio_formats_active(studio):
        story.extend(report_heading(report.title, described, studio))
        story.append(paragraph("Totals per status", "heading"))
        if totals.statuses:
            head = ["Cycle", "Status", "Count"] + (["Invoice value"] if f.has_value else [])
            body: list[list[Any]] = [head]
            for s in totals.statuses:
                line: list[Any] = [
                    paragraph(s.cycle),
                    paragraph(s.status),
                    paragraph(f"{s.count:,}", "number"),
                ]
                if f.has_value:
                    line.append(paragraph(format_money(s.invoice_value), "number"))
                body.append(line)
            last: list[Any] = ["", "All statuses", paragraph(f"{totals.count:,}", "number")]
            if f.has_value:
                last.append(paragraph(format_money(totals.invoice_value), "number"))
            body.append(last)
            widths = [0.35, 0.35, 0.12, 0.18] if f.has_value else [0.4, 0.45, 0.15]
            table = LongTable(body, colWidths=[w * sheet.width for w in widths], repeatRows=1)
            table.setStyle(GRID)
            table.setStyle(TableStyle([("ALIGN", (2, 0), (-1, 0), "RIGHT")]))
            story.append(table)
            story.append(Spacer(1, 10))
            story.append(paragraph(f"Open {f.report}", "heading"))
            story.extend(_rows_table(report, f, totals.count, sheet.width))
        else:
            story.append(paragraph("No open records match this filter.", "base"))
        sheet.build(story)
    return buffer.getvalue()


def _rows_table(report: Report, f: StatusReportFilter, count: int, width: float) -> list[Flowable]:
    columns = headers(report, f)
    body: list[list[Any]] = [columns]
    for values in islice(_values(f), MOST_PRINTED_ROWS):
        line: list[Any] = []
        for column, value in zip(columns, values, strict=True):
            if column == "Due date":
                line.append(format_date(value) if value else "")
            elif column == "Invoice value":
                line.append(paragraph(format_money(value) if value is not None else "", "number"))
            else:
                line.append(paragraph(str(value)))
        body.append(line)
    shares = {
        report.number_label: 0.14,
        "Due date": 0.13,
        "Status": 0.2,
        "Vendor": 0.17,
        "Client": 0.2,
        "Invoice value": 0.14,
    }
    total = sum(shares[c] for c in columns)
    table = LongTable(body, colWidths=[shares[c] / total * width for c in columns], repeatRows=1)
    table.setStyle(GRID)
    if f.has_value:
        table.setStyle(TableStyle([("ALIGN", (-1, 0), (-1, 0), "RIGHT")]))
    story: list[Flowable] = [table]
    if count > MOST_PRINTED_ROWS:
        story.append(Spacer(1, 6))
        story.append(
            paragraph(
                f"The first {MOST_PRINTED_ROWS:,} of {count:,} records are printed; "
                "export to Excel for all of them.",
                "base",
            )
        )
    return story


# -- the reorders report -------------------------------------------------------------------------
