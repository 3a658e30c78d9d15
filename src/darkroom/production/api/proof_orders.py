"""Preproduction (proof) orders over the API: ``POST /sessions/{id}/preproduction-orders`` sends a
session's proofs out, ``/preproduction-orders/{id}`` reads and edits one.

Like production orders they carry the studio's ``number`` and a ``version`` (a stale one is 409
``conflict``); their status endpoints are every tracked record's
(``darkroom.tracking.api.records``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day, Id, MoneyIn, Text
from darkroom.api.lookups import named_record, path_id
from darkroom.catalog.models import Vendor
from darkroom.clients.models import Session
from darkroom.database_limits import LARGEST_VERSION
from darkroom.production import selectors, services
from darkroom.production.api.orders import router, tracked_answer
from darkroom.production.models import PreproductionOrder
from darkroom.production.proof_orders import preproduction_order_update

VIEW_PROOFS = "production.view_preproductionorder"
ADD_PROOFS = "production.add_preproductionorder"
CHANGE_PROOFS = "production.change_preproductionorder"


class PreproductionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    vendor: Id
    vendor_number: Text | None = Field(
        None, max_length=20, description="The vendor's own number; default: its next, if any"
    )
    order_date: Day | None = Field(None, description="Defaults to the studio's today")
    notes: Text = Field("", max_length=5000)


class PreproductionPatch(Schema):
    """What the studio records on a proof order; the fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The version read (409 if stale)"
    )
    vendor_number: Text | None = Field(
        None, max_length=20, description="The vendor's own number, unique per vendor; null: none"
    )
    vendor_invoice_amount: MoneyIn | None = Field(
        None, description="The preproduction cost (not negative); null: not known yet"
    )
    notes: Text | None = Field(None, max_length=5000)


class PreproductionOut(Schema):
    id: int
    session: int
    vendor: NamedRef
    number: str = Field(..., description="The studio's number: unique across all orders")
    vendor_number: str | None = Field(..., description="The vendor's own number (per vendor)")
    order_date: dt.date
    entered_by: NamedRef
    notes: str
    vendor_invoice_amount: str | None = Field(..., description="The preproduction cost")
    status: NamedRef | None
    status_due_date: dt.date | None
    department: NamedRef | None
    user: NamedRef | None
    completed_date: dt.date | None
    version: int


def _preproduction_answer(order: PreproductionOrder) -> dict[str, Any]:
    amount = order.vendor_invoice_amount
    return {
        "id": order.pk,
        "session": order.session_id,
        "vendor": named_ref(order.vendor),
        "number": order.number,
        "vendor_number": order.vendor_number,
        "order_date": order.order_date,
        "entered_by": person_ref(order.entered_by),
        "notes": order.notes,
        "vendor_invoice_amount": None if amount is None else f"{amount:.2f}",
        **tracked_answer(order),
    }


def _preproduction(order_id: int) -> PreproductionOrder:
    return PreproductionOrder.objects.get(pk=path_id(order_id))


@router.post(
    "/sessions/{session_id}/preproduction-orders",
    operation_id="session_preproduction_orders_create",
    summary="Send a session's proofs out: a preproduction order, started in its cycle",
    response={201: PreproductionOut, **WRITE_ERRORS},
    auth=permitted(ADD_PROOFS),
)
def create_preproduction(request: HttpRequest, session_id: int, payload: PreproductionIn) -> Any:
    session = Session.objects.get(pk=path_id(session_id))
    vendor = named_record(Vendor, "vendor", payload.vendor)
    order = services.preproduction_order_create(
        session=session,
        vendor=vendor,
        by=request.user,
        vendor_number=payload.vendor_number,
        order_date=payload.order_date,
        notes=payload.notes,
    )
    return Status(201, _preproduction_answer(selectors.preproduction_order_detail(pk=order.pk)))


@router.get(
    "/preproduction-orders/{int:id}",
    operation_id="preproduction_orders_get",
    summary="A preproduction order",
    response={200: PreproductionOut, **READ_ERRORS},
    auth=permitted(VIEW_PROOFS),
)
def get_preproduction(request: HttpRequest, id: int) -> Any:
    return _preproduction_answer(selectors.preproduction_order_detail(pk=path_id(id)))


@router.patch(
    "/preproduction-orders/{int:id}",
    operation_id="preproduction_orders_update",
    summary="Change a proof order's vendor's number, preproduction cost or notes",
    description="Status, department and user change through …/status-changes.",
    response={200: PreproductionOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_PROOFS),
)
def update_preproduction(request: HttpRequest, id: int, payload: PreproductionPatch) -> Any:
    order = _preproduction(id)
    fields = {name: getattr(payload, name) for name in payload.model_fields_set - {"version"}}
    preproduction_order_update(order=order, expected_version=payload.version, **fields)
    return _preproduction_answer(selectors.preproduction_order_detail(pk=order.pk))
