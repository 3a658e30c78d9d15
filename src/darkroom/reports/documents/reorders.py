"""The reorders report on paper and in Excel: the figures chargeable and the vendor's fault, per
reason, vendor and month, then the reorders; a reorder without a cost says so, never $0."""

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
    TableStyle,
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
from darkroom.reports.selectors.reorders import (
    Figure,
    ReorderRow,
    ReordersFilter,
    ReorderTotals,
    reorder_rows,
)
from darkroom.spreadsheets import Money, xlsx_file_response
from darkroom.studio.models import StudioPreferences

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
            figures_table(
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
            figures_table(
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
            figures_table(
                ["Vendor", "Reorders", "Cost"],
                [[v.vendor, f"{v.count:,}", cost_words(v)] for v in totals.vendors],
                [0.45, 0.15, 0.4],
                sheet.width,
            )
        )
        story.append(Spacer(1, 8))
        story.append(paragraph("Per month", "heading"))
        story.append(
            figures_table(
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
