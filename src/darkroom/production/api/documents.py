"""Printing over the API: an order's work order or purchase order as PDF, or many in one file.

``GET /production-orders/{id}/work-order.pdf`` and ``…/purchase-order.pdf`` answer one order;
``POST /production-orders/print`` answers one PDF of many orders (each on its own pages), e.g.
the morning's new orders from the hub. ``GET /preproduction-orders/{id}/work-order.pdf`` is a
proof order's work order. Reading an order is all it takes to print it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.database_limits import LARGEST_ID
from darkroom.pdf_files import pdf_response
from darkroom.production.documents import (
    Document,
    orders_for_printing,
    orders_pdf,
    proof_orders_for_printing,
)

router = Router(tags=["production"])

VIEW = "production.view_productionorder"
VIEW_PROOFS = "production.view_preproductionorder"
# One request builds the whole file: 1,000 orders take ~4 CPU seconds (bench/bench_documents.py),
# so 2,000 stays well inside a web worker's timeout even on a busy machine.
MOST_ORDERS = 2_000
PDF = {
    "responses": {
        200: {
            "description": "The PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
OrderId = Annotated[int, Field(ge=1, le=LARGEST_ID)]


class PrintIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ids: list[OrderId] = Field(
        ...,
        min_length=1,
        max_length=MOST_ORDERS,
        description="Production order ids, printed in this order (each once)",
    )
    document: Document = Field(..., description="work-order or purchase-order")


def _one(order_id: int, document: Document) -> HttpResponse:
    found = orders_for_printing([order_id]) if 0 < order_id <= LARGEST_ID else []
    if not found:
        raise Http404
    name = _name(found[0].number, order_id)
    return pdf_response(orders_pdf(found, document), f"{document}-{name}")


def _name(number: str | None, pk: int) -> str:
    # Only safe characters go into the header, whatever a number holds.
    return re.sub(r"[^A-Za-z0-9_-]", "_", number or f"id{pk}")


@router.get(
    "/production-orders/{int:id}/work-order.pdf",
    response=error_responses(401, 403, 404, 422),
    openapi_extra=PDF,
    summary="An order's work order (PDF)",
    description="For the studio: everything about the order, studio and vendor notes included.",
    operation_id="production_orders_work_order",
    auth=permitted(VIEW),
)
def work_order(request: HttpRequest, id: int) -> HttpResponse:
    return _one(id, Document.WORK_ORDER)


@router.get(
    "/production-orders/{int:id}/purchase-order.pdf",
    response=error_responses(401, 403, 404, 422),
    openapi_extra=PDF,
    summary="An order's purchase order (PDF)",
    description="For the vendor: what to make and where to ship it, with the vendor notes only.",
    operation_id="production_orders_purchase_order",
    auth=permitted(VIEW),
)
def purchase_order(request: HttpRequest, id: int) -> HttpResponse:
    return _one(id, Document.PURCHASE_ORDER)


@router.get(
    "/preproduction-orders/{int:id}/work-order.pdf",
    response=error_responses(401, 403, 404, 422),
    openapi_extra=PDF,
    summary="A proof order's work order (PDF)",
    description="The session, client, vendor, status and notes, with the order's barcode.",
    operation_id="preproduction_orders_work_order",
    auth=permitted(VIEW_PROOFS),
)
def proof_work_order(request: HttpRequest, id: int) -> HttpResponse:
    found = proof_orders_for_printing([id]) if 0 < id <= LARGEST_ID else []
    if not found:
        raise Http404
    name = _name(found[0].number, id)
    return pdf_response(orders_pdf(found, Document.WORK_ORDER), f"proof-work-order-{name}")


@router.post(
    "/production-orders/print",
    response=error_responses(401, 403, 422),
    openapi_extra=PDF,
    summary="Print many orders (one PDF)",
    description=(
        f"Work orders or purchase orders of up to {MOST_ORDERS:,} orders in one PDF, each order "
        "starting on a new page. If any id is of no order, nothing is printed: the 422 lists "
        "them in `errors` (`input` is the id)."
    ),
    operation_id="production_orders_print",
    auth=permitted(VIEW),
)
def print_orders(request: HttpRequest, payload: PrintIn) -> Any:
    orders = orders_for_printing(payload.ids)
    found = {order.pk for order in orders}
    unknown = [(index, pk) for index, pk in enumerate(payload.ids) if pk not in found]
    if unknown:
        listed = ", ".join(str(pk) for _, pk in unknown[:20])
        more = f" and {len(unknown) - 20:,} more" if len(unknown) > 20 else ""
        message = f"No production order has the id {listed}{more}; nothing was printed."
        errors = [
            {"loc": ["body", "ids", index], "msg": "No production order has this id.",
             "type": "unknown_id", "input": pk}
            for index, pk in unknown
        ]  # fmt: skip
        return Status(
            422,
            {"detail": message, "code": "invalid", "errors": errors, "fields": {"ids": [message]}},
        )
    return pdf_response(orders_pdf(orders, payload.document), f"{payload.document}s")
