"""What every page of an order's documents carries: the studio's name and contact line at the
top, the document's title and the order's number, and in the lower right corner the number as a
Code 128 barcode, so a scan station finds the one order from whichever page is in hand.

Apart from what the pages say of the order (``document_story.py``) because it draws on the
canvas once a page is full, while the story flows; ``documents.py`` puts the two together.
"""

from __future__ import annotations

import re
from enum import StrEnum

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.studio.models import StudioPreferences


class Document(StrEnum):
    WORK_ORDER = "work-order"
    PURCHASE_ORDER = "purchase-order"

    @property
    def title(self) -> str:
        return "Work order" if self is Document.WORK_ORDER else "Purchase order"


PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 15 * mm
HEADER = 16 * mm  # the studio's name and contact line at the top of every page
FOOTER = 28 * mm  # room at the foot of every page for the barcode and its number
# One bar module of 0.35 mm is ~2.8 pixels at 200 dpi and reads on any handheld scanner;
# 12 mm of height lets a scanner sweep across it at a slant.
BAR_WIDTH = 0.35 * mm
BAR_HEIGHT = 12 * mm
# Code 128 encodes ASCII only: a number with other characters prints as text, without bars.
BARCODE_TEXT = re.compile(r"^[\x20-\x7e]+$")


class _Pages:
    """Draws what every page carries: the studio's header, the order's footer and its barcode.

    Pages are decorated when they end, once their flowables have run: the first flowable of each
    order (:class:`_OrderBegins`) says which order the following pages belong to, and no page
    holds two orders since each order starts on a new page.
    """

    def __init__(self, studio: StudioPreferences, document: Document) -> None:
        self.document = document
        self.studio_name = studio.name
        contact = [" ".join(studio.address.split()), studio.phone, studio.email]
        self.studio_contact = "  ·  ".join(part for part in contact if part)
        self.number: str | None = None
        self.page_of_order = 0

    def begin(self, order: ProductionOrder | PreproductionOrder) -> None:
        self.number = order.number or None
        self.page_of_order = 0

    def decorate(self, canvas: Canvas, sheet: BaseDocTemplate) -> None:
        self.page_of_order += 1
        canvas.saveState()
        top = PAGE_HEIGHT - MARGIN
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(MARGIN, top - 12, self.studio_name[:90])
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, top - 23, self.studio_contact[:140])
        label = f"{self.document.title} {self.number or '(no number)'}"
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 12, label)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top - 23, f"Page {self.page_of_order}")
        canvas.setStrokeColor(colors.grey)
        canvas.line(MARGIN, top - 28, PAGE_WIDTH - MARGIN, top - 28)
        canvas.drawString(MARGIN, MARGIN, f"{self.studio_name[:60]} · {label}")
        if self.number:
            self._barcode(canvas, self.number)
        canvas.restoreState()

    def _barcode(self, canvas: Canvas, number: str) -> None:
        """The number in bars, its right edge on the right margin, the number printed below."""
        right, baseline = PAGE_WIDTH - MARGIN, MARGIN
        canvas.setFont("Helvetica", 9)
        canvas.drawRightString(right, baseline, number)
        if BARCODE_TEXT.match(number) is None:
            return
        bars = Code128(number, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT, quiet=True)
        bars.drawOn(canvas, right - bars.width, baseline + 4 * mm)


class _OrderBegins(Flowable):
    """Takes no room; tells the page decorations that the pages from here on are this order's."""

    def __init__(self, pages: _Pages, order: ProductionOrder | PreproductionOrder) -> None:
        super().__init__()
        self.pages = pages
        self.order = order

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.pages.begin(self.order)
