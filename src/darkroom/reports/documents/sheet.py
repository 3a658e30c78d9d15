"""What every printed report shares: Letter pages with the studio's footer, the heading with the
filter in words, the grid and the type (as the studio's work orders are set,
``production/documents.py``), and how many rows a PDF prints at the most: a report of fifty
thousand open orders is a spreadsheet's job (the Excel file holds them all), and the page says so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

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

from darkroom.formats import format_date
from darkroom.production.document_pages import MARGIN
from darkroom.production.document_story import STYLES
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


def figures_table(
    head: list[str], lines: list[list[str]], widths: list[float], width: float
) -> LongTable:
    """A table of figures: a first column of words, then numbers set to the right."""
    body: list[list[Any]] = [head]
    for line in lines:
        body.append(
            [paragraph(text, "cell" if i == 0 else "number") for i, text in enumerate(line)]
        )
    table = LongTable(body, colWidths=[w * width for w in widths], repeatRows=1)
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (1, 0), (-1, 0), "RIGHT")]))
    return table
