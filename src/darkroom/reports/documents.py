"""Reports on paper (PDF) and in Excel, from the same filter and reads as the page.

The PDF is set as the studio's work orders are (``production/documents.py``): Letter, the same
margins and type, platypus tables of real, searchable text; everything people typed is escaped.
It prints the totals per status first, then the rows, at most ``MOST_PRINTED_ROWS`` of them:
a report of fifty thousand open orders is a spreadsheet's job (the Excel file holds them all),
and the page says so. The Excel file streams every row (``report_rows`` reads a page at a time,
the writer keeps none of them: ``darkroom/spreadsheets.py``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any
from xml.sax.saxutils import escape

from django.http import FileResponse
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from darkroom.formats import format_date, format_money, studio_formats_active
from darkroom.production.document_pages import MARGIN
from darkroom.production.document_story import STYLES
from darkroom.reports.registry import Report
from darkroom.reports.selectors.profit import (
    GROUPINGS,
    ProfitFigure,
    ProfitFilter,
    ProfitRow,
    ProfitTotals,
    profit_rows,
)
from darkroom.reports.selectors.reorders import (
    Figure,
    ReorderRow,
    ReordersFilter,
    ReorderTotals,
    reorder_rows,
)
from darkroom.reports.selectors.status_report import (
    ORDERS,
    StatusReportFilter,
    StatusTotals,
    report_rows,
)
from darkroom.spreadsheets import Money, xlsx_file_response
from darkroom.studio.models import StudioPreferences

MOST_PRINTED_ROWS = 2000
NUMBER_STYLE = ParagraphStyle("number", STYLES["cell"], alignment=TA_RIGHT)
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


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


def paragraph(text: str, style: str = "cell") -> Paragraph:
    """Text people typed, escaped, in one of the work order's styles (any other: a number)."""
    return Paragraph(escape(text), STYLES.get(style, NUMBER_STYLE))


def _footer(studio: StudioPreferences, title: str) -> Any:
    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, MARGIN / 2, f"{studio.name} · {title}")
        canvas.drawRightString(LETTER[0] - MARGIN, MARGIN / 2, f"Page {document.page}")
        canvas.restoreState()

    return draw


def report_sheet(buffer: io.BytesIO, title: str, studio: StudioPreferences) -> BaseDocTemplate:
    """A report's Letter pages, margins and footer (studio, title, page number)."""
    sheet = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        title=title,
        author=studio.name,
        creator="Darkroom",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )
    frame = Frame(sheet.leftMargin, sheet.bottomMargin, sheet.width, sheet.height, id="body")
    sheet.addPageTemplates(
        [PageTemplate(id="report", frames=[frame], onPageEnd=_footer(studio, title))]
    )
    return sheet


def report_heading(
    title: str, described: Sequence[str], studio: StudioPreferences
) -> list[Flowable]:
    """A printed report's title, studio and day, and its filter in words."""
    return [
        paragraph(title, "title"),
        paragraph(f"{studio.name} · printed {format_date(studio.today())}", "base"),
        paragraph(" · ".join(described), "base"),
        Spacer(1, 8),
    ]


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

REORDER_HEADERS = [
    "Order no.",
    "Order date",
    "Vendor",
    "Reason",
    "Chargeable",
    "Cost",
    "Reorder of",
]
NO_COST = "No cost recorded"


def cost_words(figure: Figure) -> str:
    """A group's cost as a person reads it: the sum of the costs recorded, and how many have none
    ("$1,200.00 · 3 without a cost"); never a zero that only means "not billed yet"."""
    if figure.count and not figure.costed:
        return NO_COST
    shown = format_money(figure.cost)
    return f"{shown} · {figure.uncosted:,} without a cost" if figure.uncosted else shown


def _reorder_values() -> Any:
    def values(row: ReorderRow) -> list[Any]:
        return [
            row.number,
            row.order_date,
            row.vendor,
            row.reason,
            "Yes" if row.chargeable else "No (vendor's fault)",
            NO_COST if row.cost is None else Money(row.cost),
            row.original_number,
        ]

    return values


def reorders_xlsx(f: ReordersFilter, filename: str) -> FileResponse:
    """Every reorder of the range as an .xlsx download, streamed (a page at a time); a reorder
    without a cost says so in its cost cell, which stays out of any sum."""
    values = _reorder_values()
    return xlsx_file_response(
        filename, "Reorders", REORDER_HEADERS, (values(row) for row in reorder_rows(f))
    )


def _figures_table(
    head: list[str], lines: list[list[str]], widths: list[float], width: float
) -> LongTable:
    body: list[list[Any]] = [head]
    for line in lines:
        body.append(
            [paragraph(text, "cell" if i == 0 else "number") for i, text in enumerate(line)]
        )
    table = LongTable(body, colWidths=[w * width for w in widths], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, 0), "RIGHT")]))
    return table


def reorders_pdf(
    f: ReordersFilter,
    totals: ReorderTotals,
    *,
    described: Sequence[str],
    studio: StudioPreferences,
) -> bytes:
    """The reorders report as a PDF: its range and filter, chargeable against the vendor's
    fault, the figures per reason, vendor and month, then the reorders themselves."""
    buffer = io.BytesIO()
    title = "Reorders report"
    sheet = report_sheet(buffer, title, studio)
    story: list[Flowable] = []
    with studio_formats_active(studio):
        story.extend(report_heading(title, described, studio))
        everything = totals.all
        if not everything.count:
            story.append(paragraph("No reorders were placed in this range.", "base"))
            sheet.build(story)
            return buffer.getvalue()
        story.append(paragraph("Chargeable and the vendor's fault", "heading"))
        story.append(
            _figures_table(
                ["", "Reorders", "Cost"],
                [
                    [name, f"{part.count:,}", cost_words(part)]
                    for name, part in [
                        ("Chargeable", totals.chargeable),
                        ("Vendor's fault (not chargeable)", totals.non_chargeable),
                        ("All reorders", everything),
                    ]
                ],
                [0.45, 0.15, 0.4],
                sheet.width,
            )
        )
        story.append(Spacer(1, 8))
        story.append(paragraph("Per reason", "heading"))
        story.append(
            _figures_table(
                ["Reason", "Chargeable", "Reorders", "Cost"],
                [
                    [r.reason, "Yes" if r.chargeable else "No", f"{r.count:,}", cost_words(r)]
                    for r in totals.reasons
                ],
                [0.4, 0.14, 0.14, 0.32],
                sheet.width,
            )
        )
        story.append(Spacer(1, 8))
        story.append(paragraph("Per vendor", "heading"))
        story.append(
            _figures_table(
                ["Vendor", "Reorders", "Cost"],
                [[v.vendor, f"{v.count:,}", cost_words(v)] for v in totals.vendors],
                [0.45, 0.15, 0.4],
                sheet.width,
            )
        )
        story.append(Spacer(1, 8))
        story.append(paragraph("Per month", "heading"))
        story.append(
            _figures_table(
                ["Month", "Chargeable", "Vendor's fault", "Cost"],
                [
                    [
                        m.month.strftime("%B %Y"),
                        f"{m.chargeable.count:,}",
                        f"{m.non_chargeable.count:,}",
                        cost_words(_both(m.chargeable, m.non_chargeable)),
                    ]
                    for m in totals.months
                ],
                [0.3, 0.16, 0.16, 0.38],
                sheet.width,
            )
        )
        story.append(Spacer(1, 10))
        story.append(paragraph("The reorders", "heading"))
        story.extend(_reorder_rows_table(f, everything.count, sheet.width))
        sheet.build(story)
    return buffer.getvalue()


def _both(a: Figure, b: Figure) -> Figure:
    both = Figure()
    for part in (a, b):
        both.add(part.count, part.costed, part.cost)
    return both


def _reorder_rows_table(f: ReordersFilter, count: int, width: float) -> list[Flowable]:
    body: list[list[Any]] = [REORDER_HEADERS]
    for row in islice(reorder_rows(f), MOST_PRINTED_ROWS):
        body.append(
            [
                paragraph(row.number),
                format_date(row.order_date),
                paragraph(row.vendor),
                paragraph(row.reason),
                "Yes" if row.chargeable else "No",
                paragraph(NO_COST if row.cost is None else format_money(row.cost), "number"),
                paragraph(row.original_number),
            ]
        )
    shares = [0.12, 0.13, 0.18, 0.2, 0.1, 0.15, 0.12]
    table = LongTable(body, colWidths=[s * width for s in shares], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (5, 0), (5, 0), "RIGHT")]))
    story: list[Flowable] = [table]
    if count > MOST_PRINTED_ROWS:
        story.append(Spacer(1, 6))
        story.append(
            paragraph(
                f"The first {MOST_PRINTED_ROWS:,} of {count:,} reorders are printed; "
                "export to Excel for all of them.",
                "base",
            )
        )
    return story


# -- the profit analysis ---------------------------------------------------------------------

PROFIT_HEADERS = [
    "Session",
    "Date",
    "Client",
    "Session type",
    "Photographer",
    "Lead source",
    "Invoices",
    "Revenue",
    "Product costs",
    "Preproduction costs",
    "Profit",
    "Margin %",
    "Costs left out",
]


def margin_words(figure: ProfitFigure) -> str:
    return "—" if figure.margin is None else f"{figure.margin}%"


def _profit_values(row: ProfitRow) -> list[Any]:
    return [
        row.id,
        row.date,
        row.client,
        row.session_type,
        row.photographer,
        row.lead_source,
        row.invoices,
        Money(row.revenue),
        Money(row.product_cost),
        Money(row.preproduction_cost),
        Money(row.profit),
        None if row.margin is None else float(row.margin),
        "; ".join(row.missing),
    ]


def profit_xlsx(f: ProfitFilter, filename: str) -> FileResponse:
    """Every session of the range with its figures as an .xlsx download, streamed (a page at a
    time); what its costs leave out is said in its last column."""
    return xlsx_file_response(
        filename,
        "Profit analysis",
        PROFIT_HEADERS,
        (_profit_values(row) for row in profit_rows(f)),
    )


def _profit_line(figure: ProfitFigure) -> list[str]:
    average = figure.average_profit
    return [
        figure.label,
        f"{figure.sessions:,}",
        format_money(figure.revenue),
        format_money(figure.costs),
        format_money(figure.profit),
        "—" if average is None else format_money(average),
        margin_words(figure),
    ]


def profit_pdf(
    f: ProfitFilter,
    totals: ProfitTotals,
    *,
    described: Sequence[str],
    studio: StudioPreferences,
) -> bytes:
    """The profit analysis as a PDF: its range, filter and cost source, the figures per group
    with what their costs leave out, the totals, then the sessions."""
    buffer = io.BytesIO()
    title = "Profit analysis"
    sheet = report_sheet(buffer, title, studio)
    story: list[Flowable] = []
    with studio_formats_active(studio):
        story.extend(report_heading(title, described, studio))
        if not totals.all.invoices:
            story.append(paragraph("No invoices were dated in this range.", "base"))
            sheet.build(story)
            return buffer.getvalue()
        story.append(paragraph(f"Per {GROUPINGS[f.group_by].lower()}", "heading"))
        story.append(
            _figures_table(
                ["", "Sessions", "Revenue", "Costs", "Profit", "Avg profit", "Margin"],
                [_profit_line(g) for g in totals.groups] + [_profit_line(totals.all)],
                [0.28, 0.1, 0.14, 0.13, 0.13, 0.12, 0.1],
                sheet.width,
            )
        )
        left_out = [(g.label, g.missing) for g in [*totals.groups] if g.missing]
        if left_out:
            story.append(Spacer(1, 6))
            story.append(paragraph("Costs left out (not taken as free)", "heading"))
            for label, words in left_out:
                story.append(paragraph(f"{label}: {', '.join(words)}", "base"))
        story.append(Spacer(1, 10))
        story.append(paragraph("The sessions", "heading"))
        body: list[list[Any]] = [
            ["Session", "Date", "Client", "Type", "Revenue", "Costs", "Profit", "Margin"]
        ]
        count = 0
        for row in islice(profit_rows(f), MOST_PRINTED_ROWS):
            count += 1
            body.append(
                [
                    str(row.id),
                    format_date(row.date),
                    paragraph(row.client),
                    paragraph(row.session_type),
                    paragraph(format_money(row.revenue), "number"),
                    paragraph(format_money(row.costs), "number"),
                    paragraph(format_money(row.profit), "number"),
                    paragraph(margin_words(row), "number"),
                ]
            )
        shares = [0.09, 0.12, 0.2, 0.17, 0.12, 0.11, 0.11, 0.08]
        table = LongTable(body, colWidths=[w * sheet.width for w in shares], repeatRows=1)
        table.setStyle(GRID)
        story.append(table)
        if count >= MOST_PRINTED_ROWS and totals.all.sessions > MOST_PRINTED_ROWS:
            story.append(Spacer(1, 6))
            story.append(
                paragraph(
                    f"The first {MOST_PRINTED_ROWS:,} of {totals.all.sessions:,} sessions are "
                    "printed; export to Excel for all of them.",
                    "base",
                )
            )
        sheet.build(story)
    return buffer.getvalue()
