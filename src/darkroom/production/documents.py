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

The pages' frame and barcode are ``document_pages.py``, what they say of each order
``document_story.py``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Paragraph

from darkroom.formats import studio_formats_active
from darkroom.production.document_pages import FOOTER, HEADER, MARGIN, Document, _Pages
from darkroom.production.document_story import STYLES, _order_story
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences


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
