"""Work orders and purchase orders as PDF: one order, or a batch of orders in one file.

A *work order* travels with the order through the studio and says everything about it, the
studio's own notes included. A *purchase order* goes to the vendor: what to make and where to
ship it, with the vendor notes only — the studio's notes never leave the studio. A proof
(preproduction) order has a work order too: the session, the client, the vendor and the notes.
Every page of an order's paperwork carries its number — the studio's, unique across production
and proof orders — as a Code 128 barcode in the lower right corner, so a scan station finds the
one order from whichever page is in hand. The vendor's own number is printed beside it.

Text is set with platypus paragraphs and tables (real, searchable text; long orders flow onto
more pages). Everything people typed is escaped, so a note reading ``<b>`` prints as typed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from xml.sax.saxutils import escape

from django.db.models import Prefetch
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from darkroom.catalog.models import OrderKind
from darkroom.formats import format_date, format_money, studio_formats_active
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences


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

CELL_PADDING = 6  # reportlab's default left and right padding of a table cell
MOST_PLAIN_LINES = 12  # a longer cell is a paragraph, which splits across pages

BASE = ParagraphStyle("base", fontName="Helvetica", fontSize=9, leading=11)
STYLES = {
    "base": BASE,
    "title": ParagraphStyle("title", BASE, fontName="Helvetica-Bold", fontSize=18, leading=22),
    "heading": ParagraphStyle(
        "heading", BASE, fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=8
    ),
    "label": ParagraphStyle("label", BASE, fontName="Helvetica-Bold"),
    "cell": ParagraphStyle("cell", BASE, fontSize=8.5, leading=10),
    "head": ParagraphStyle("head", BASE, fontName="Helvetica-Bold", fontSize=8.5, leading=10),
    # A line's images and notes, under it, set in from the quantity column.
    "under": ParagraphStyle("under", BASE, fontSize=8.5, leading=10, leftIndent=8 * mm),
}


def orders_for_printing(ids: Iterable[int]) -> list[ProductionOrder]:
    """The orders with everything their documents print, in the order of ``ids``; ids of no
    order are left out (the caller compares)."""
    wanted = list(dict.fromkeys(ids))
    details = ProductionOrderDetail.objects.select_related("item", "render_profile")
    found = ProductionOrder.objects.select_related(
        "vendor",
        "order_type",
        "client",
        "invoice",
        "status",
        "priority_code",
        "status_department",
        "status_user",
    ).prefetch_related(Prefetch("details", queryset=details))
    by_id = {order.pk: order for order in found.filter(pk__in=wanted)}
    return [by_id[pk] for pk in wanted if pk in by_id]


def proof_orders_for_printing(ids: Iterable[int]) -> list[PreproductionOrder]:
    """The proof orders with everything their work order prints, in the order of ``ids``."""
    wanted = list(dict.fromkeys(ids))
    found = PreproductionOrder.objects.select_related(
        "vendor", "session__client", "session__session_type", "status", "entered_by"
    )
    by_id = {order.pk: order for order in found.filter(pk__in=wanted)}
    return [by_id[pk] for pk in wanted if pk in by_id]


def work_order_pdf(order: ProductionOrder) -> bytes:
    return orders_pdf([order], Document.WORK_ORDER)


def proof_work_order_pdf(order: PreproductionOrder) -> bytes:
    """A proof order's work order (a proof order has no purchase order: the session's proofs
    go out with it)."""
    return orders_pdf([order], Document.WORK_ORDER)


def purchase_order_pdf(order: ProductionOrder) -> bytes:
    return orders_pdf([order], Document.PURCHASE_ORDER)


def orders_pdf(
    orders: Sequence[ProductionOrder | PreproductionOrder],
    document: Document,
    *,
    studio: StudioPreferences | None = None,
) -> bytes:
    """One PDF of ``document`` for each order, each order starting on a new page."""
    studio = studio if studio is not None else studio_preferences()
    pages = _Pages(studio, document)
    buffer = io.BytesIO()
    sheet = BaseDocTemplate(
        buffer,
        pagesize=LETTER,
        title=_title(orders, document),
        author=studio.name,
        creator="Darkroom",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER,
        bottomMargin=FOOTER,
    )
    frame = Frame(
        sheet.leftMargin, sheet.bottomMargin, sheet.width, sheet.height, id="body", showBoundary=0
    )
    sheet.addPageTemplates([PageTemplate(id="order", frames=[frame], onPageEnd=pages.decorate)])
    story: list[Flowable] = []
    # Dates and money in the studio's formats, read from these preferences (not once per value).
    with studio_formats_active(studio):
        for index, order in enumerate(orders):
            if index:
                story.append(PageBreak())
            story.extend(_order_story(order, document, pages))
        if not story:
            story.append(Paragraph("No orders to print.", STYLES["base"]))
        sheet.build(story)
    return buffer.getvalue()


def _title(orders: Sequence[ProductionOrder | PreproductionOrder], document: Document) -> str:
    if len(orders) == 1:
        return f"{document.title} {orders[0].number or ''}".strip()
    return f"{document.title}s ({len(orders)})"


# -- the pages -----------------------------------------------------------------------------------


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


# -- one order -----------------------------------------------------------------------------------


def _text(value: object, style: str = "cell") -> Paragraph:
    """People's text as a paragraph: escaped (it prints as typed), line breaks kept."""
    lines = escape(str(value) if value is not None else "").splitlines()
    return Paragraph("<br/>".join(lines), STYLES[style])


def _cell(value: str, width: float, style: str = "cell") -> str | Paragraph:
    """A table cell: plain text when every line fits the column, else a wrapping paragraph.

    Plain text is drawn as it is (no markup to escape) and costs a tenth of a paragraph, which
    is most of the time a batch of a thousand orders takes.
    """
    lines = value.splitlines() or [""]
    font = STYLES[style]
    room = width - 2 * CELL_PADDING
    if len(lines) <= MOST_PLAIN_LINES and all(
        stringWidth(line, font.fontName, font.fontSize) <= room for line in lines
    ):
        return "\n".join(lines)
    return _text(value, style)


def _date(value: dt.date | None) -> str:
    return format_date(value) or "—"


def _order_story(
    order: ProductionOrder | PreproductionOrder, document: Document, pages: _Pages
) -> list[Flowable]:
    number = order.number or "no number"
    story: list[Flowable] = [
        _OrderBegins(pages, order),
        _text(f"{document.title} {number}", "title"),
        Spacer(0, 4 * mm),
    ]
    if isinstance(order, PreproductionOrder):
        story.append(_facts(_proof_order_facts(order)))
        if order.notes.strip():
            story.append(KeepTogether([_text("Notes", "heading"), _text(order.notes, "base")]))
        return story
    if document is Document.WORK_ORDER:
        story.append(_facts(_work_order_facts(order)))
    else:
        story.append(_purchase_order_heading(order))
    story.append(Spacer(0, 5 * mm))
    story.append(_details_table(order, document))
    notes = [("Vendor notes", order.vendor_notes)]
    if document is Document.WORK_ORDER:
        notes.insert(0, ("Studio notes", order.studio_notes))
    for heading, text in notes:
        if text.strip():
            # The heading stays with (the start of) its note; a long note splits across pages.
            story.append(KeepTogether([_text(heading, "heading"), _text(text, "base")]))
    return story


def _work_order_facts(order: ProductionOrder) -> list[tuple[str, str]]:
    status = order.status.description if order.status_id else "Not started"
    return [
        ("Order number", order.number or "no number"),
        ("Vendor's number", order.vendor_number or "—"),
        ("Vendor", order.vendor.name),
        ("Order type", order.order_type.name),
        ("Client", str(order.client)),
        ("Invoice", order.invoice.number),
        ("Order date", _date(order.order_date)),
        ("Promised", _date(order.promised_date)),
        ("Status", status),
        ("Status due", _date(order.status_due_date)),
        ("Priority", order.priority_code.code if order.priority_code_id else "—"),
        ("Assigned to", _assignee(order)),
        *(
            [("Vendor invoice", format_money(order.vendor_invoice_amount))]
            if order.vendor_invoice_amount is not None
            else []
        ),
    ]


def _proof_order_facts(order: PreproductionOrder) -> list[tuple[str, str]]:
    status = order.status.description if order.status_id else "Not started"
    session = order.session
    return [
        ("Proof order", order.number or "no number"),
        ("Vendor's number", order.vendor_number or "—"),
        ("Vendor", order.vendor.name),
        ("Client", str(session.client)),
        ("Session", f"{session.session_type} on {_date(session.date)}"),
        ("Order date", _date(order.order_date)),
        ("Status", status),
        ("Status due", _date(order.status_due_date)),
    ]


def _assignee(order: ProductionOrder) -> str:
    """ "Retouching / Ana Ruiz": who holds the order's current step ("—" for none of one,
    "nobody" for neither)."""
    if not order.status_department_id and not order.status_user_id:
        return "nobody"
    department = order.status_department.name if order.status_department_id else "—"
    user = order.status_user
    person = (user.get_full_name() or user.get_username()) if user is not None else "—"
    return f"{department} / {person}"


def need_by(order: ProductionOrder) -> dt.date | None:
    """When the vendor must have the order ready: the date promised to the client when there is
    one (the studio's deadline for everything), else the current step's due date."""
    return order.promised_date or order.status_due_date


def _ship_to(order: ProductionOrder) -> str:
    """The client by name, then where to ship: the order's shipping address (copied from the
    invoice), else the client's own address."""
    address = order.shipping_address or order.client.address
    return "\n".join(line for line in (order.client.name, address) if line)


def _facts(facts: list[tuple[str, str]]) -> Table:
    """Label / value pairs in two columns of pairs."""
    width = PAGE_WIDTH - 2 * MARGIN
    cells = [[label, _cell(value, width * 0.34, "base")] for label, value in facts]
    half = (len(cells) + 1) // 2
    left, right = cells[:half], cells[half:]
    right += [["", ""]] * (half - len(right))
    rows = [a + b for a, b in zip(left, right, strict=True)]
    table = Table(rows, colWidths=[width * 0.16, width * 0.34] * 2, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), BASE.fontName, BASE.fontSize, BASE.leading),
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("FONTNAME", (2, 0), (2, -1), "Helvetica-Bold"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _purchase_order_heading(order: ProductionOrder) -> Table:
    """Who the order is for (the vendor), where and to whom it ships, and the order's number,
    date and need-by date (:func:`need_by`)."""
    vendor = order.vendor
    vendor_lines = [vendor.name, vendor.address]
    if vendor.account_number:
        vendor_lines.append(f"Account number: {vendor.account_number}")
    blocks = [
        [_text("Vendor", "label"), _text("Ship to", "label"), _text("Order", "label")],
        [
            _text("\n".join(line for line in vendor_lines if line), "base"),
            _text(_ship_to(order), "base"),
            _text(
                f"Order number: {order.number or 'no number'}\n"
                + (f"Your number: {order.vendor_number}\n" if order.vendor_number else "")
                + f"Order date: {_date(order.order_date)}\n"
                + f"Need by: {_date(need_by(order))}",
                "base",
            ),
        ],
    ]
    width = PAGE_WIDTH - 2 * MARGIN
    table = Table(blocks, colWidths=[width * 0.36, width * 0.36, width * 0.28], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    return table


def _details_table(order: ProductionOrder, document: Document) -> Table:
    """One row per detail, the column heads repeated on each page the table flows onto.

    A line's image names and notes follow it in a row of their own across the whole width,
    wrapped as long as they are (a print order of hundreds of images flows onto more pages).
    """
    heads = ["Qty", "Item", "Description", "Vendor code", "Render profile"]
    shares = [0.07, 0.15, 0.44, 0.17, 0.17]
    if document is Document.PURCHASE_ORDER:  # the vendor looks for its own code first
        heads[1:4] = ["Vendor code", "Item", "Description"]
        shares[1:4] = [0.17, 0.15, 0.44]
    width = PAGE_WIDTH - 2 * MARGIN
    column = {head: width * share for head, share in zip(heads, shares, strict=True)}
    with_images = order.order_type.kind == OrderKind.PRINT
    rows: list[list[object]] = [list(heads)]
    under: list[int] = []  # the rows that carry a line's images and notes
    for detail in order.details.all():
        item = detail.item
        profile = detail.render_profile
        values = {
            "Qty": str(detail.quantity),
            "Item": item.identifier,
            "Description": detail.description or item.description,
            "Vendor code": detail.vendor_product_code or "—",
            "Render profile": profile.name if profile else "—",
        }
        rows.append([_cell(values[head], column[head]) for head in heads])
        extra = _images_and_notes(detail, with_images)
        if extra is not None:
            under.append(len(rows))
            rows.append([extra] + [""] * (len(heads) - 1))
    if len(rows) == 1:
        rows.append(["No details."] + [""] * (len(heads) - 1))
    cell = STYLES["cell"]
    # splitInRow: a detail with hundreds of image names flows on instead of overflowing a page.
    table = Table(
        rows,
        colWidths=[width * share for share in shares],
        repeatRows=1,
        splitInRow=1,
        hAlign="LEFT",
    )
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
    ]
    style += [("SPAN", (0, row), (-1, row)) for row in under]
    table.setStyle(TableStyle(style))
    return table


def _images_and_notes(detail: ProductionOrderDetail, with_images: bool) -> Paragraph | None:
    """ "3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" (print orders) and the line's notes, escaped
    and wrapped; None for a line with neither."""
    parts = []
    names = [n for n in detail.image_names.split("\n") if n.strip()] if with_images else []
    if names:
        label = f"{len(names):,} image{'s' if len(names) != 1 else ''}:"
        parts.append(f"<b>{label}</b> {escape(', '.join(names))}")
    if detail.notes.strip():
        lines = escape(detail.notes.strip()).splitlines()
        parts.append(f"<b>Notes:</b> {'<br/>'.join(lines)}")
    if not parts:
        return None
    return Paragraph("<br/>".join(parts), STYLES["under"])
