"""Orders open and finished over the API: the all-orders list, and the orders of one invoice
or session.

``GET /orders`` is the all-orders page's list (``production/order_list/``): production and
proof orders, open and finished, newest first or by any of the page's sorts, with its filters. ``GET
/invoices/{id}/production-orders``, ``GET /sessions/{id}/production-orders`` and ``GET
/sessions/{id}/proof-orders`` are the same list narrowed to one record; they answer open orders
unless ``include_finished=true`` (the hub's habit: what is still to do comes first).
Every answer is ``{"results": [...], "next_cursor": ...}``; send ``next_cursor`` back as
``cursor`` for the next page. Overdue, due today, at risk and the projected completion follow
the hub's rule (``tracking/standing.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted, require
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS
from darkroom.api.fields import Day, Id, choice_of
from darkroom.api.lookups import path_id
from darkroom.clients.models import Invoice, Session

# The orders' router: a path has one router, and the invoice's and session's order paths
# are there for their writes (POST).
from darkroom.production.api.orders import router
from darkroom.production.order_list.filters import (
    KINDS,
    MAX_LIMIT,
    PREPRODUCTION,
    PRODUCTION,
    PROOFS_TYPE,
    SORT_KEYS,
    SORTS,
    STATES,
    OrderListFilter,
)
from darkroom.production.order_list.pages import order_list_page
from darkroom.production.selectors import OrderRow
from darkroom.studio.selectors import studio_preferences

VIEW = "production.view_productionorder"
VIEW_PROOFS = "production.view_preproductionorder"


class OrderListOut(Schema):
    kind: str = Field(..., description="production or preproduction")
    id: int
    version: int = Field(..., description="Send this version with the next status change")
    url: str = Field(..., description="The order's page")
    number: str | None
    order_type: str = Field(..., description="The production order type; Proofs for proofs")
    vendor: NamedRef
    client: NamedRef
    invoice: NamedRef | None = Field(..., description="Production orders: the invoice")
    session: int | None = Field(..., description="Proof orders: the session")
    order_date: dt.date
    status: NamedRef | None = Field(..., description="Null until the order entered its cycle")
    status_due_date: dt.date | None
    projected_completion: dt.date | None = Field(
        ..., description="When it should be done; a late order's remaining steps count from today"
    )
    promised_date: dt.date | None
    completed_date: dt.date | None
    finished: bool
    overdue: bool
    due_today: bool
    at_risk: bool = Field(..., description="Projected to finish after the promised date")


class OrderListPage(Schema):
    results: list[OrderListOut]
    next_cursor: str | None = Field(..., description="Send as cursor for the next page")


class RecordOrdersQuery(Schema):
    include_finished: bool = Field(False, description="Finished orders too (default: open only)")
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class OrdersQuery(Schema):
    """The all-orders page's filters (repeat an id parameter for several)."""

    state: choice_of(STATES) = Field("all", description="open, finished or all")  # type: ignore[valid-type]
    kind: choice_of(KINDS) = Field("all", description="production, preproduction or all")  # type: ignore[valid-type]
    status: list[Id] = Field([], description="Status ids")
    order_type: list[Id] = Field([], description="Production order type ids")
    vendor: list[Id] = Field([], description="Vendor ids")
    client: Id | None = Field(None, description="One client's orders")
    ordered_from: Day | None = Field(None, description="Ordered on or after (YYYY-MM-DD)")
    ordered_to: Day | None = Field(None, description="Ordered on or before (YYYY-MM-DD)")
    q: str | None = Field(
        None,
        max_length=100,
        description="The start of an order number (a leading # ignored), a vendor's whole "
        "number, or a client's name",
    )
    sort: choice_of(SORTS) = Field(  # type: ignore[valid-type]
        "-order_date",
        description=f"One of {', '.join(SORT_KEYS)}; a leading '-' sorts the other way. "
        "Ties are broken by id; orders with no value (a finished order's due date, an open "
        "order's date finished, no status yet) come last either way",
    )
    cursor: str | None = Field(None, max_length=500, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


def order_list_answer(row: OrderRow) -> dict[str, Any]:
    o: Any = row.order
    production = row.kind == PRODUCTION
    client = o.client if production else o.session.client
    now = row.standing
    return {
        "kind": row.kind,
        "id": o.pk,
        "version": o.version,
        "url": o.get_absolute_url(),
        "number": o.number,
        "order_type": row.order_type,
        "vendor": {"id": o.vendor_id, "name": o.vendor.name},
        "client": {"id": client.pk, "name": client.name},
        "invoice": {"id": o.invoice_id, "name": o.invoice.number} if production else None,
        "session": None if production else o.session_id,
        "order_date": o.order_date,
        "status": {"id": o.status_id, "name": o.status.description} if o.status_id else None,
        "status_due_date": o.status_due_date,
        "projected_completion": now.projected_completion,
        "promised_date": o.promised_date if production else None,
        "completed_date": o.completed_date,
        "finished": row.finished,
        "overdue": now.overdue,
        "due_today": now.due_today,
        "at_risk": now.at_risk,
    }


def _page(f: OrderListFilter, cursor: str | None, limit: int) -> dict[str, Any]:
    page = order_list_page(f, cursor=cursor, limit=limit, today=studio_preferences().today())
    return {
        "results": [order_list_answer(row) for row in page.rows],
        "next_cursor": page.next_cursor,
    }


def _state(params: RecordOrdersQuery) -> str:
    return "all" if params.include_finished else "open"


@router.get(
    "/orders",
    operation_id="orders_list",
    summary="Production and proof orders, open and finished, newest first or as sorted",
    description="The all-orders page's list, filters and sorts; `q` with a digit is the start "
    "of the studio's order number or a vendor's whole number, other text a client's name. "
    "`next_cursor` pages on (with the same filters and sort); nothing counts every order.",
    response={200: OrderListPage, **LIST_ERRORS},
    auth=permitted(VIEW_PROOFS),
)
def list_all_orders(request: HttpRequest, params: Query[OrdersQuery]) -> Any:
    require(request, VIEW)  # both permissions: the list holds both kinds
    f = OrderListFilter(
        state=params.state,
        kind=params.kind,
        statuses=tuple(params.status),
        order_types=tuple(params.order_type),
        vendors=tuple(params.vendor),
        client=params.client,
        ordered_from=params.ordered_from,
        ordered_to=params.ordered_to,
        q=(params.q or "").strip(),
        sort=params.sort,
    )
    return _page(f, params.cursor, params.limit)


@router.get(
    "/invoices/{invoice_id}/production-orders",
    operation_id="invoice_production_orders_list",
    summary="An invoice's production orders, newest first (open only unless include_finished)",
    response={200: OrderListPage, **READ_ERRORS},
    auth=permitted(VIEW),
)
def invoice_orders(request: HttpRequest, invoice_id: int, params: Query[RecordOrdersQuery]) -> Any:
    invoice = Invoice.objects.only("pk").get(pk=path_id(invoice_id))
    f = OrderListFilter(state=_state(params), kind=PRODUCTION, invoice=invoice.pk)
    return _page(f, params.cursor, params.limit)


@router.get(
    "/sessions/{session_id}/production-orders",
    operation_id="session_production_orders_list",
    summary="The production orders of a session's invoices (open only unless include_finished)",
    response={200: OrderListPage, **READ_ERRORS},
    auth=permitted(VIEW),
)
def session_orders(request: HttpRequest, session_id: int, params: Query[RecordOrdersQuery]) -> Any:
    session = Session.objects.only("pk").get(pk=path_id(session_id))
    f = OrderListFilter(state=_state(params), kind=PRODUCTION, session=session.pk)
    return _page(f, params.cursor, params.limit)


@router.get(
    "/sessions/{session_id}/preproduction-orders",
    operation_id="session_preproduction_orders_list",
    summary="A session's proof orders, newest first (open only unless include_finished)",
    response={200: OrderListPage, **READ_ERRORS},
    auth=permitted(VIEW_PROOFS),
)
def session_proof_orders(
    request: HttpRequest, session_id: int, params: Query[RecordOrdersQuery]
) -> Any:
    session = Session.objects.only("pk").get(pk=path_id(session_id))
    f = OrderListFilter(
        state=_state(params), kind=PREPRODUCTION, order_types=(PROOFS_TYPE,), session=session.pk
    )
    return _page(f, params.cursor, params.limit)
