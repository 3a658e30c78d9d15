"""Production orders over the API.

``POST /invoices/{id}/production-orders`` makes an invoice's orders (one per vendor, all or
none) and says which lines were skipped and why; a second time for the same vendor is refused
with 409 ``duplicate_order`` unless ``confirm_duplicate``; a vendor with no default order type
takes the type given for it in ``order_types``, else its lines are skipped (and said so). Every
order has the studio's ``number``, unique across production and proof orders (what its barcode
carries), and may have the vendor's own ``vendor_number``. Orders carry a ``version``: PATCH and
status changes send the one they read; a stale one is 409 ``conflict``. Their status endpoints
are every tracked record's (``darkroom.tracking.api.records``). The list of open production
orders, ``GET /production-orders``, is the hub's list (``darkroom.hub.api``).

The order paths' router is also the proof orders' and the order lists' (``proof_orders.py``,
``order_lists.py``): a path has one router, and an invoice's and a session's order paths take
both a write (POST) and a list (GET).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day, Id, MoneyIn, Text
from darkroom.api.lookups import named_record, path_id
from darkroom.catalog.models import PriorityCode, ProductionOrderType, ReorderReason, Vendor
from darkroom.clients.models import Invoice
from darkroom.database_limits import LARGEST_VERSION
from darkroom.production import selectors, services
from darkroom.production.models import ProductionOrder
from darkroom.tracking.api.common import _person

router = Router(tags=["production"])

VIEW = "production.view_productionorder"
ADD = "production.add_productionorder"
CHANGE = "production.change_productionorder"


# Shapes ----------------------------------------------------------------------------------------


class DetailOut(Schema):
    id: int
    position: int
    invoice_line: int | None = Field(..., description="The invoice line it came from, if any")
    item: int
    item_identifier: str
    description: str
    quantity: int
    vendor_product_code: str
    render_profile: NamedRef | None
    image_names: str
    notes: str


class ProductionOrderOut(Schema):
    id: int
    invoice: int
    vendor: NamedRef
    order_type: NamedRef
    number: str = Field(..., description="The studio's number: unique across all orders")
    vendor_number: str | None = Field(..., description="The vendor's own number (per vendor)")
    order_date: dt.date
    promised_date: dt.date | None = Field(..., description="The invoice's delivery date")
    entered_by: NamedRef
    client: NamedRef
    shipping_address: str
    priority_code: NamedRef | None
    reorder_of: int | None = Field(..., description="The order this one redoes")
    reorder_reason: NamedRef | None
    vendor_invoice_amount: str | None = Field(..., description="What the vendor charged")
    studio_notes: str
    vendor_notes: str
    status: NamedRef | None = Field(..., description="Null until the order entered its cycle")
    status_due_date: dt.date | None
    department: NamedRef | None
    user: NamedRef | None
    completed_date: dt.date | None
    projected_completion: dt.date | None
    version: int = Field(..., description="Send this version with the next change")
    details: list[DetailOut]


class SkippedLineOut(Schema):
    line: int
    position: int
    item_identifier: str
    reason: str


class OrdersCreatedOut(Schema):
    orders: list[ProductionOrderOut]
    skipped_lines: list[SkippedLineOut] = Field(..., description="Lines that got no detail")
    message: str = Field(..., description="What was done, in one sentence")


class VendorOrderType(Schema):
    model_config = ConfigDict(extra="forbid")

    vendor: Id
    order_type: Id


class OrdersCreateIn(Schema):
    """Make the invoice's production orders: one per vendor its lines need, or ``vendor`` only."""

    model_config = ConfigDict(extra="forbid")

    vendor: Id | None = Field(None, description="One vendor; null: every vendor needed")
    details: Literal["automatic", "manual"] = Field(
        "automatic", description="automatic: a detail per line of the vendor; manual: none"
    )
    order_type: Id | None = Field(None, description="Default: each vendor's default order type")
    order_types: list[VendorOrderType] = Field(
        [],
        max_length=200,
        description="All necessary vendors: the order type of a vendor that has no default "
        "(a vendor with neither has its lines skipped)",
    )
    confirm_duplicate: bool = Field(False, description="Make another order at a vendor anyway")
    order_date: Day | None = Field(None, description="Defaults to the studio's today")


class OrderPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The version read (409 if stale)"
    )
    vendor_invoice_amount: MoneyIn | None = None
    priority_code: Id | None = None
    studio_notes: Text | None = Field(None, max_length=5000)
    vendor_notes: Text | None = Field(None, max_length=5000)
    vendor_number: Text | None = Field(
        None, max_length=20, description="The vendor's own number, unique per vendor"
    )
    # The order's own fields, each edit kept in its history (production/order_edits.py).
    order_type: Id | None = Field(
        None,
        description="An active order type; the order keeps its step if the new type's cycle has "
        "one of the same name, else starts at that cycle's first status. Refused once final",
    )
    order_date: Day | None = Field(None, description="Not after the studio's today")
    entered_by: Id | None = Field(None, description="A person who can sign in")
    completed_by: Id | None = Field(None, description="A person; only for a final order")


class ReorderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Id = Field(..., description="A reorder reason's id")
    order_date: Day | None = Field(None, description="Defaults to the studio's today")


# Answers ---------------------------------------------------------------------------------------


def tracked_answer(record: Any) -> dict[str, Any]:
    return {
        "status": named_ref(record.status),
        "status_due_date": record.status_due_date,
        "department": named_ref(record.status_department),
        "user": person_ref(record.status_user),
        "completed_date": record.completed_date,
        "version": record.version,
    }


def _order_answer(order: ProductionOrder) -> dict[str, Any]:
    amount = order.vendor_invoice_amount
    return {
        "id": order.pk,
        "invoice": order.invoice_id,
        "vendor": named_ref(order.vendor),
        "order_type": named_ref(order.order_type),
        "number": order.number,
        "vendor_number": order.vendor_number,
        "order_date": order.order_date,
        "promised_date": order.promised_date,
        "entered_by": person_ref(order.entered_by),
        "client": named_ref(order.client, order.client.name),
        "shipping_address": order.shipping_address,
        "priority_code": named_ref(order.priority_code),
        "reorder_of": order.reorder_of_id,
        "reorder_reason": named_ref(order.reorder_reason),
        "vendor_invoice_amount": None if amount is None else f"{amount:.2f}",
        "studio_notes": order.studio_notes,
        "vendor_notes": order.vendor_notes,
        "projected_completion": order.projected_completion,
        **tracked_answer(order),
        "details": [
            {
                "id": d.pk,
                "position": d.position,
                "invoice_line": d.invoice_line_id,
                "item": d.item_id,
                "item_identifier": d.item.identifier,
                "description": d.description,
                "quantity": d.quantity,
                "vendor_product_code": d.vendor_product_code,
                "render_profile": named_ref(d.render_profile),
                "image_names": d.image_names,
                "notes": d.notes,
            }
            for d in order.details.all()
        ],
    }


def _order(order_id: int) -> ProductionOrder:
    return ProductionOrder.objects.get(pk=path_id(order_id))


# Production orders -----------------------------------------------------------------------------


@router.post(
    "/invoices/{invoice_id}/production-orders",
    operation_id="invoice_production_orders_create",
    summary="Make an invoice's production orders (one per vendor, all or none)",
    response={201: OrdersCreatedOut, **WRITE_ERRORS},
    auth=permitted(ADD),
)
def create_orders(request: HttpRequest, invoice_id: int, payload: OrdersCreateIn) -> Any:
    invoice = Invoice.objects.get(pk=path_id(invoice_id))
    order_types = {}
    for given in payload.order_types:
        kind = named_record(ProductionOrderType, "order_types", given.order_type)
        vendor = named_record(Vendor, "order_types", given.vendor)
        if kind is not None and vendor is not None:
            order_types[vendor.pk] = kind
    made = services.production_orders_create(
        invoice=invoice,
        by=request.user,
        vendor=named_record(Vendor, "vendor", payload.vendor),
        details=payload.details,
        order_type=named_record(ProductionOrderType, "order_type", payload.order_type),
        order_types=order_types,
        confirm_duplicate=payload.confirm_duplicate,
        order_date=payload.order_date,
    )
    orders = selectors.production_order_list(invoice=invoice.pk).filter(
        pk__in=[o.pk for o in made.orders]
    )
    return Status(
        201,
        {
            "message": services.orders_created_message(made),
            "orders": [_order_answer(o) for o in orders.order_by("id")],
            "skipped_lines": [
                {
                    "line": s.line.pk,
                    "position": s.line.position,
                    "item_identifier": s.line.item.identifier,
                    "reason": s.reason,
                }
                for s in made.skipped_lines
            ],
        },
    )


@router.get(
    "/production-orders/{int:id}",
    operation_id="production_orders_get",
    summary="A production order with its details",
    response={200: ProductionOrderOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def get_order(request: HttpRequest, id: int) -> Any:
    return _order_answer(selectors.production_order_detail(pk=path_id(id)))


@router.patch(
    "/production-orders/{int:id}",
    operation_id="production_orders_update",
    summary="Change an order's type, date, people, amount, priority, notes or vendor's number",
    description="Status changes through …/status-changes, department and user through "
    "…/reassign. A new order type moves the order to that type's cycle (see order_type).",
    response={200: ProductionOrderOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def update_order(request: HttpRequest, id: int, payload: OrderPatch) -> Any:
    order = _order(id)
    fields = {name: getattr(payload, name) for name in payload.model_fields_set - {"version"}}
    if "priority_code" in fields:
        fields["priority_code"] = named_record(
            PriorityCode, "priority_code", fields["priority_code"]
        )
    if "order_type" in fields:
        fields["order_type"] = named_record(ProductionOrderType, "order_type", fields["order_type"])
    for name in ("entered_by", "completed_by"):
        if name in fields:
            fields[name] = _person(name, fields[name])
    services.production_order_update(
        order=order, expected_version=payload.version, updated_by=request.user, **fields
    )
    return _order_answer(selectors.production_order_detail(pk=order.pk))


@router.post(
    "/production-orders/{int:id}/number",
    operation_id="production_order_number_create",
    summary="Give the order its vendor's next number, as its vendor_number (the “#” action)",
    response={200: ProductionOrderOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def assign_number(request: HttpRequest, id: int) -> Any:
    order = services.order_number_assign(order=_order(id))
    return _order_answer(selectors.production_order_detail(pk=order.pk))


@router.post(
    "/production-orders/{int:id}/reorders",
    operation_id="production_order_reorders_create",
    summary="Redo an order: a new order linked to it, with the same details",
    response={201: ProductionOrderOut, **WRITE_ERRORS},
    auth=permitted(ADD),
)
def reorder(request: HttpRequest, id: int, payload: ReorderIn) -> Any:
    again = services.production_order_reorder(
        order=_order(id),
        reason=named_record(ReorderReason, "reason", payload.reason),
        by=request.user,
        order_date=payload.order_date,
    )
    return Status(201, _order_answer(selectors.production_order_detail(pk=again.pk)))
