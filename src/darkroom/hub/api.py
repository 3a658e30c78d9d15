"""The production hub over the API: open orders a page at a time, and the counts per status.

``GET /hub/orders`` lists open production and preproduction orders, ``GET /hub/summary`` counts
them; ``GET /production-orders`` is the same list for production orders only (the docs list it
with production). All three read the hub page's URL parameters (``darkroom.hub.filters``) the
same way, so a link copied from the page asks the API for the same orders. Pages go by an opaque
``next_cursor`` (send it back as ``cursor``); nothing counts all orders ever made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.http.request import QueryDict
from ninja import Field, Query, Router, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.api.fields import choice_of
from darkroom.api.lists import list_of
from darkroom.hub.filters import FLAGS, KINDS, SORTS, parse_hub_filter
from darkroom.hub.selectors.pages import MAX_LIMIT, HubRow, hub_page
from darkroom.hub.summary import hub_summary
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["hub"])

VIEW = "production.view_productionorder"


# Shapes ----------------------------------------------------------------------------------------


# The choices, as enums in the OpenAPI schema (the parser below checks them for pages too).
Flag = choice_of(FLAGS)
Kind = choice_of(KINDS)
Sort = choice_of(SORTS)


class HubFilterQuery(Schema):
    """The hub's filters; each id parameter may be repeated (``vendor=3&vendor=7``).

    Declared here for the documentation; the values are read and checked by
    ``parse_hub_filter`` from the query string, as the hub page reads them.
    """

    order_type: list[str] | None = Field(None, description="Production order type ids")
    status: list[str] | None = Field(None, description="Status ids")
    vendor: list[str] | None = Field(None, description="Vendor ids")
    department: list[str] | None = Field(None, description="Assigned department ids")
    user: list[str] | None = Field(None, description="Assigned user ids")
    priority: list[str] | None = Field(None, description="Priority code ids")
    flag: Flag | None = Field(None, description="Only orders with this flag")
    due_before: str | None = Field(None, description="Due before this date (YYYY-MM-DD)")
    q: str | None = Field(None, description="A client's first or last name, or an order number")


class HubSummaryQuery(HubFilterQuery):
    kind: Kind | None = Field(None, description="Proof orders, production or all")


class PageQuery(Schema):
    sort: Sort | None = Field(None, description="By due date unless given")
    cursor: str | None = Field(None, max_length=1000, description="next_cursor of the last page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class HubPageQuery(HubSummaryQuery, PageQuery):
    pass


class ProductionOrdersQuery(HubFilterQuery, PageQuery):
    """The hub's filters for production orders only (no ``kind``)."""


class HubOrderOut(Schema):
    kind: str = Field(..., description="production or preproduction")
    id: int
    version: int = Field(..., description="Send this version with the next status change")
    url: str = Field(..., description="The order's page")
    client: NamedRef
    invoice: NamedRef | None = Field(..., description="Production orders: the invoice")
    order_type: str | None
    vendor: NamedRef
    number: str | None
    status: NamedRef
    cycle: int
    status_due_date: dt.date | None
    projected_completion: dt.date | None
    promised_date: dt.date | None
    department: str | None
    user: str | None
    priority: str | None
    overdue: bool
    due_today: bool
    at_risk: bool = Field(..., description="Projected to finish after the promised date")


HubOrdersPage = list_of(HubOrderOut)


class StatusCountOut(Schema):
    status: NamedRef
    cycle: str
    count: int
    invoice_value: str = Field(
        ..., description="Total of the distinct invoices with an open order in this status"
    )


class HubSummaryOut(Schema):
    statuses: list[StatusCountOut]
    open: int
    overdue: int
    due_today: int
    due_this_week: int
    at_risk: int


# Answers ---------------------------------------------------------------------------------------


def order_answer(row: HubRow) -> dict[str, Any]:
    invoice = None if row.invoice_id is None else {"id": row.invoice_id, "name": row.invoice_number}
    return {
        "kind": row.kind,
        "id": row.id,
        "version": row.version,
        "url": row.url,
        "client": {"id": row.client_id, "name": row.client_name},
        "invoice": invoice,
        "order_type": row.order_type,
        "vendor": {"id": row.vendor_id, "name": row.vendor},
        "number": row.number,
        "status": {"id": row.status_id, "name": row.status},
        "cycle": row.cycle_id,
        "status_due_date": row.status_due_date,
        "projected_completion": row.projected_completion,
        "promised_date": row.promised_date,
        "department": row.department,
        "user": row.user,
        "priority": row.priority,
        "overdue": row.overdue,
        "due_today": row.due_today,
        "at_risk": row.at_risk,
    }


def orders_answer(
    params: QueryDict, *, limit: int, cursor: str | None, kind: str | None = None
) -> dict[str, Any]:
    """A page of the hub's list for the request's parameters (``kind`` fixed when given).

    Filters are read from the query string itself, as the hub page reads them, so repeated
    parameters and the messages are the same; a bad value is a 422 naming the parameter.
    """
    if kind is not None:
        params = params.copy()
        params.setlist("kind", [kind])
    f = parse_hub_filter(params)
    page = hub_page(f, today=studio_preferences().today(), cursor=cursor, limit=limit)
    return {"results": [order_answer(row) for row in page.rows], "next_cursor": page.next_cursor}


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/hub/orders",
    operation_id="hub_orders_list",
    summary="Open production and preproduction orders, a page at a time (the hub's list)",
    description="Filters as on the hub page; by due date unless `sort`; `next_cursor` pages "
    "on. Overdue, due today and at risk are flagged on each order.",
    response={200: HubOrdersPage, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def orders(request: HttpRequest, params: Query[HubPageQuery]) -> Any:
    return orders_answer(request.GET, limit=params.limit, cursor=params.cursor)


@router.get(
    "/hub/summary",
    operation_id="hub_summary_get",
    summary="Open orders per status, with the invoice value there, and the late ones",
    description="The same filters as `/hub/orders`. Invoice value in a status: the total of "
    "the distinct invoices having an open order (of the filter) in that status.",
    response={200: HubSummaryOut, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def summary(request: HttpRequest, params: Query[HubSummaryQuery]) -> Any:
    found = hub_summary(parse_hub_filter(request.GET), today=studio_preferences().today())
    return {
        "statuses": [
            {
                "status": {"id": s.status_id, "name": s.status},
                "cycle": s.cycle,
                "count": s.count,
                "invoice_value": f"{s.invoice_value:.2f}",
            }
            for s in found.statuses
        ],
        "open": found.open,
        "overdue": found.overdue,
        "due_today": found.due_today,
        "due_this_week": found.due_this_week,
        "at_risk": found.at_risk,
    }


# The production orders' list is this one, production orders only; the docs list it with them.
@router.get(
    "/production-orders",
    operation_id="production_orders_list",
    summary="Open production orders, a page at a time (the hub's list), by due date",
    description="The hub's filters (see `/hub/orders`); `next_cursor` pages on. Finished "
    "orders are read one by one (`/production-orders/{id}`) or from their invoice.",
    response={200: HubOrdersPage, **LIST_ERRORS},
    auth=permitted(VIEW),
    tags=["production"],
)
def list_orders(request: HttpRequest, params: Query[ProductionOrdersQuery]) -> Any:
    return orders_answer(request.GET, limit=params.limit, cursor=params.cursor, kind="production")
