"""The profit analysis on paper and in Excel: the groups' revenue, costs, profit and margin, what
each group's costs leave out, then the sessions."""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import islice
from typing import Any

from django.http import FileResponse
from reportlab.platypus import (
    Flowable,
    LongTable,
    Spacer,
)

from darkroom.formats import format_date, format_money, studio_formats_active
from darkroom.reports.documents.sheet import (
    GRID,
    MOST_PRINTED_ROWS,
    figures_table,
    paragraph,
    report_heading,
    report_sheet,
)
from darkroom.reports.selectors.profit import (
    GROUPINGS,
    ProfitFigure,
    ProfitFilter,
    ProfitRow,
    ProfitTotals,
    profit_rows,
)
from darkroom.spreadsheets import Money, xlsx_file_response
from darkroom.studio.models import StudioPreferences

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
            figures_table(
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
