"""The scan station over the API: ``POST /api/v1/scans``.

A scanner integration sends what it read (the studio's order number a barcode carries: a
production or a proof order's); the answer is always the scan's outcome (200), found or refused
in plain words, because one bad label must not stop a batch. Only a body that is not
a scan at all is a 422. Looking up needs to see orders; moving one on needs to change statuses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, StatusOut, status_answer
from darkroom.api.auth import permitted, require
from darkroom.api.errors import error_responses
from darkroom.api.fields import Text
from darkroom.database_limits import LARGEST_ID
from darkroom.production.models import PreproductionOrder
from darkroom.production.scans import ScanOutcome, client_of, scan_advance, scan_look_up
from darkroom.tracking.models import Status

router = Router(tags=["production"])

VIEW_ORDERS = "production.view_productionorder"
CHANGE_STATUS = "tracking.add_statusnote"


class ScanIn(Schema):
    """One scan: what the scanner read, and whether to look the order up or move it on."""

    model_config = ConfigDict(extra="forbid")

    code: Text = Field(..., max_length=1000, description="What the scanner read")
    mode: Literal["lookup", "advance"] = Field(
        "lookup", description="lookup: find the order; advance: move it to its next status"
    )
    to_status: int | None = Field(
        None, description="advance only: a status id to move to instead of the next one"
    )


class ScannedOrder(Schema):
    id: int
    kind: Literal["production", "preproduction"] = Field(
        ..., description="A production order, or a proof (preproduction) order"
    )
    number: str
    vendor_number: str | None = Field(..., description="The vendor's own number, if any")
    client: NamedRef
    vendor: NamedRef
    order_type: NamedRef | None = Field(..., description="Null for a proof order")
    status: StatusOut | None
    status_due_date: dt.date | None
    url: str


class ScanOut(Schema):
    ok: bool = Field(..., description="False: nothing changed; message says why")
    message: str
    code: str = Field(..., description="The scan as read (trimmed)")
    order: ScannedOrder | None
    from_status: StatusOut | None
    to_status: StatusOut | None = Field(..., description="advance: where the order went")
    due_date: dt.date | None


def scan_answer(outcome: ScanOutcome) -> dict[str, Any]:
    order = outcome.order
    scanned = None
    if order is not None:
        proof = isinstance(order, PreproductionOrder)
        client = client_of(order)
        scanned = {
            "id": order.pk,
            "kind": "preproduction" if proof else "production",
            "number": order.number or "",
            "vendor_number": order.vendor_number,
            "client": {"id": client.pk, "name": client.name},
            "vendor": {"id": order.vendor_id, "name": order.vendor.name},
            "order_type": (
                None if proof else {"id": order.order_type_id, "name": order.order_type.name}
            ),
            "status": status_answer(outcome.to_status or order.status),
            "status_due_date": outcome.due_date if outcome.to_status else order.status_due_date,
            "url": order.get_absolute_url(),
        }
    return {
        "ok": outcome.ok,
        "message": outcome.message,
        "code": outcome.code,
        "order": scanned,
        "from_status": status_answer(outcome.from_status),
        "to_status": status_answer(outcome.to_status),
        "due_date": outcome.due_date,
    }


@router.post(
    "/scans",
    # The id it was first published with (made from the module's name then); kept for clients.
    operation_id="darkroom_production_scans_api_scan",
    response={200: ScanOut, **error_responses(401, 403, 422)},
    auth=permitted(VIEW_ORDERS),
    summary="Scan an order number: look the order up, or move it to its next status",
)
def scan(request: HttpRequest, payload: ScanIn) -> Any:
    if payload.mode == "lookup":
        return scan_answer(scan_look_up(raw=payload.code))
    require(request, CHANGE_STATUS)
    target = None
    if payload.to_status is not None:
        wanted = payload.to_status
        target = Status.objects.filter(pk=wanted).first() if 0 < wanted <= LARGEST_ID else None
        if target is None:
            return scan_answer(
                ScanOutcome(
                    code=payload.code.strip()[:24],
                    ok=False,
                    message=f"There is no status {wanted}: choose one from the list.",
                )
            )
    return scan_answer(scan_advance(raw=payload.code, by=request.user, to_status=target))
