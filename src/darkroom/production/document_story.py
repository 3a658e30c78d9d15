"""What an order's work order or purchase order says, as platypus flowables: the order's facts,
the purchase order's heading (the vendor, where to ship, by when), the table of its detail lines
with their images and notes.

Everything people typed is escaped, so a note reading ``<b>`` prints as typed; a long cell
becomes a paragraph that splits across pages. Apart from the pages' frame and barcode
(``document_pages.py``), which are drawn the same for every document.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from darkroom.catalog.models import OrderKind
from darkroom.formats import format_date, format_money
from darkroom.production.document_pages import MARGIN, PAGE_WIDTH, Document, _OrderBegins, _Pages
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail

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

    A line's image names and notes follow it across the whole width, a row for each printed
    line: a print order of a thousand images flows onto more pages between rows, where one
    paragraph of them, split inside its row at each page, was broken into lines again at every
    page (minutes, for a thousand) and could be cut mid-name.
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
    last_rows: list[int] = []  # each line's last row: the rule between lines goes below it
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
        for extra in _images_and_notes(detail, with_images, width):
            under.append(len(rows))
            rows.append([extra] + [""] * (len(heads) - 1))
        last_rows.append(len(rows) - 1)
    if len(rows) == 1:
        rows.append(["No details."] + [""] * (len(heads) - 1))
    cell = STYLES["cell"]
    # splitInRow: a line's long notes flow on instead of overflowing a page.
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
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
    ]
    style += [("LINEBELOW", (0, row), (-1, row), 0.25, colors.lightgrey) for row in last_rows]
    style += [("SPAN", (0, row), (-1, row)) for row in under]
    # A line's rows of names and notes read as one block: no gap between them.
    style += [("TOPPADDING", (0, row), (-1, row), 0) for row in under if row - 1 in under]
    style += [("BOTTOMPADDING", (0, row), (-1, row), 0) for row in under if row + 1 in under]
    table.setStyle(TableStyle(style))
    return table


def _images_and_notes(
    detail: ProductionOrderDetail, with_images: bool, width: float
) -> list[Paragraph]:
    """ "3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" (print orders), then the line's notes,
    escaped, as printed lines ``width`` wide: one paragraph for each (none for a line with
    neither)."""
    style = STYLES["under"]
    room = width - 2 * CELL_PADDING - style.leftIndent
    lines: list[str] = []
    names = [n for n in detail.image_names.split("\n") if n.strip()] if with_images else []
    if names:
        label = f"{len(names):,} image{'s' if len(names) != 1 else ''}:"
        # The label is measured bold: the regular font's width of it is what it takes less.
        bolder = stringWidth(label, "Helvetica-Bold", style.fontSize) - stringWidth(
            label, style.fontName, style.fontSize
        )
        first, *more = _printed_lines(f"{label} {', '.join(names)}", room - bolder)
        more = [escape(line) for line in more]
        lines += [f"<b>{label}</b>{escape(first[len(label) :])}", *more]
    notes = detail.notes.strip()
    if notes:
        split = [line for typed in notes.splitlines() for line in _printed_lines(typed, room)]
        lines += [f"<b>Notes:</b> {escape(split[0])}", *(escape(line) for line in split[1:])]
    return [Paragraph(line, style) for line in lines]


def _printed_lines(text: str, room: float) -> list[str]:
    """``text`` broken at spaces into lines ``room`` points wide in the cells' font; at least
    one line. (A word longer than a line keeps a line of its own, which its paragraph wraps.)"""
    style = STYLES["under"]
    return simpleSplit(text, style.fontName, style.fontSize, room) or [""]
