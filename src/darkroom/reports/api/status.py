"""The status reports over the API: ``GET /reports/order-status``, ``/session-status`` and
``/invoice-status``.

Each answers the totals per status of every open record of the filter, and ``…/rows`` the
records a page at a time (``{"results", "next_cursor"}``, as the API's other lists; send
``next_cursor`` back as ``cursor``), as the hub answers ``/hub/summary`` and ``/hub/orders``.
Both read the report page's own URL parameters with the same form (``reports/forms.py``), so a
link copied from the page asks the API for the same records; a refused value is a 422 naming
the parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.api.fields import choice_of
from darkroom.api.lists import CURSOR_HELP, LIMIT_HELP, list_of
from darkroom.reports.forms.status import parse_status_report
from darkroom.reports.registry import STATUS_REPORTS, Report
from darkroom.reports.selectors.status_report import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    SORTS,
    STAGES,
    report_page,
    status_totals,
)
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["reports"])

Stage = choice_of(STAGES)
Sort = choice_of(SORTS)
ID_HELP = "An id; leave out for all"


class StatusReportQuery(Schema):
    """The filters every status report takes (declared here for the documentation; the values
    are read and checked by the report page's own form)."""

    status: str | None = Field(None, description=f"Status id of the report's cycle. {ID_HELP}")
    due_by: str | None = Field(
        None, description="Open records due on or before this date (YYYY-MM-DD); leave out for all"
    )
    user: str | None = Field(None, description=f"The assigned person's user id. {ID_HELP}")


class OrderStatusQuery(StatusReportQuery):
    stage: Stage | None = Field(None, description="production (default) or preproduction orders")
    order_type: str | None = Field(None, description=f"Production order type id. {ID_HELP}")
    vendor: str | None = Field(None, description=f"Vendor id. {ID_HELP}")


class RowsQuery(Schema):
    sort: Sort | None = Field(None, description="number (default), due or client")
    cursor: str | None = Field(None, max_length=1000, description=CURSOR_HELP)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=LIMIT_HELP)


class StatusReportRowsQuery(StatusReportQuery, RowsQuery):
    pass


class OrderStatusRowsQuery(OrderStatusQuery, RowsQuery):
    pass


class StatusTotalOut(Schema):
    status: NamedRef
    cycle: str = Field(..., description="The cycle's name")
    count: int = Field(..., description="Open records of the filter in this status")
    invoice_value: str | None = Field(
        ...,
        description="Total of the distinct invoices with an open record of the filter in this "
        "status (decimal text); null for proof orders, which have no invoice",
    )


class StatusReportOut(Schema):
    """A status report's totals: every open record of the filter, per status."""

    statuses: list[StatusTotalOut] = Field(..., description="In cycle order; none left out")
    count: int = Field(..., description="Open records of the filter")
    invoice_value: str | None = Field(..., description="The statuses' invoice values added up")


class ReportRowOut(Schema):
    id: int
    number: str = Field(..., description="Order or invoice number; a session's type and id")
    url: str = Field(..., description="The record's page")
    due_date: dt.date | None = Field(..., description="Due date of its current status")
    status: NamedRef
    vendor: str | None = Field(..., description="Orders: the vendor's name")
    client: str
    invoice_value: str | None = Field(
        ..., description="The order's invoice total, a session's invoices', an invoice's total"
    )


ReportRows = list_of(ReportRowOut)


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _filter(report: Report, request: HttpRequest) -> Any:
    return parse_status_report(request.GET, report=report.kind, today=studio_preferences().today())


def totals_answer(report: Report, request: HttpRequest) -> Any:
    f = _filter(report, request)
    totals = status_totals(f)
    return {
        "statuses": [
            {
                "status": {"id": s.status_id, "name": s.status},
                "cycle": s.cycle,
                "count": s.count,
                "invoice_value": _money(s.invoice_value) if f.has_value else None,
            }
            for s in totals.statuses
        ],
        "count": totals.count,
        "invoice_value": _money(totals.invoice_value) if f.has_value else None,
    }


def rows_answer(report: Report, request: HttpRequest, *, cursor: str | None, limit: int) -> Any:
    page = report_page(_filter(report, request), cursor=cursor, limit=limit)
    return {
        "results": [
            {
                "id": row.id,
                "number": row.number,
                "url": row.url,
                "due_date": row.due_date,
                "status": {"id": row.status_id, "name": row.status},
                "vendor": row.vendor,
                "client": row.client,
                "invoice_value": _money(row.invoice_value),
            }
            for row in page.rows
        ],
        "next_cursor": page.next_cursor,
    }


ORDERS_REPORT = STATUS_REPORTS["order-status"]
SESSIONS_REPORT = STATUS_REPORTS["session-status"]
INVOICES_REPORT = STATUS_REPORTS["invoice-status"]
ROWS_HELP = (
    "The same parameters as the totals, and `sort`; `next_cursor` pages on (send it back as "
    "`cursor` with the same filter and sort)."
)


@router.get(
    "/reports/order-status",
    operation_id="reports_order_status",
    summary="Order status report: open orders per status, with their invoice value",
    description="Open production (or, with `stage=preproduction`, proof) orders of the filter: "
    "the count and invoice value in each status. The same parameters as the report page; the "
    "orders themselves are `/reports/order-status/rows`.",
    response={200: StatusReportOut, **LIST_ERRORS},
    auth=permitted(ORDERS_REPORT.permission),
)
def order_status(request: HttpRequest, params: Query[OrderStatusQuery]) -> Any:
    return totals_answer(ORDERS_REPORT, request)


@router.get(
    "/reports/order-status/rows",
    operation_id="reports_order_status_rows",
    summary="Order status report: the open orders of the filter, a page at a time",
    description=ROWS_HELP,
    response={200: ReportRows, **LIST_ERRORS},
    auth=permitted(ORDERS_REPORT.permission),
)
def order_status_rows(request: HttpRequest, params: Query[OrderStatusRowsQuery]) -> Any:
    return rows_answer(ORDERS_REPORT, request, cursor=params.cursor, limit=params.limit)


@router.get(
    "/reports/session-status",
    operation_id="reports_session_status",
    summary="Session status report: open sessions per status, with their invoices' value",
    response={200: StatusReportOut, **LIST_ERRORS},
    auth=permitted(SESSIONS_REPORT.permission),
)
def session_status(request: HttpRequest, params: Query[StatusReportQuery]) -> Any:
    return totals_answer(SESSIONS_REPORT, request)


@router.get(
    "/reports/session-status/rows",
    operation_id="reports_session_status_rows",
    summary="Session status report: the open sessions of the filter, a page at a time",
    description=ROWS_HELP,
    response={200: ReportRows, **LIST_ERRORS},
    auth=permitted(SESSIONS_REPORT.permission),
)
def session_status_rows(request: HttpRequest, params: Query[StatusReportRowsQuery]) -> Any:
    return rows_answer(SESSIONS_REPORT, request, cursor=params.cursor, limit=params.limit)


@router.get(
    "/reports/invoice-status",
    operation_id="reports_invoice_status",
    summary="Invoice status report: open invoices per status, with their totals",
    response={200: StatusReportOut, **LIST_ERRORS},
    auth=permitted(INVOICES_REPORT.permission),
)
def invoice_status(request: HttpRequest, params: Query[StatusReportQuery]) -> Any:
    return totals_answer(INVOICES_REPORT, request)


@router.get(
    "/reports/invoice-status/rows",
    operation_id="reports_invoice_status_rows",
    summary="Invoice status report: the open invoices of the filter, a page at a time",
    description=ROWS_HELP,
    response={200: ReportRows, **LIST_ERRORS},
    auth=permitted(INVOICES_REPORT.permission),
)
def invoice_status_rows(request: HttpRequest, params: Query[StatusReportRowsQuery]) -> Any:
    return rows_answer(INVOICES_REPORT, request, cursor=params.cursor, limit=params.limit)
