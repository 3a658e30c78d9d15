"""The profit analysis over the API: ``GET /reports/profit`` (the figures per group and the
totals) and ``/reports/profit/rows`` (the sessions a page at a time, ``{"results",
"next_cursor"}``).

Both read the report page's own URL parameters with its form (``reports/forms.py``), so a link
copied from the page asks the API for the same invoices; a refused value is a 422 naming the
parameter. Amounts are decimal text; where product costs come from is the studio's preference
(``costs`` in the answer). What a group's costs leave out is counted (``lines_without_cost``,
``orders_without_amount``, ``proofs_without_cost``), never taken as zero in silence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.api.lists import CURSOR_HELP, LIMIT_HELP, list_of
from darkroom.reports.forms.profit import parse_profit
from darkroom.reports.registry import PROFIT
from darkroom.reports.selectors.profit import (
    GROUPINGS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    ProfitFigure,
    ProfitFilter,
    profit_page,
    profit_totals,
)
from darkroom.studio.models import ProfitCosts
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["reports"])


class ProfitQuery(Schema):
    """The profit analysis's filters (declared here for the documentation; the values are read
    and checked by the report page's own form)."""

    start: str | None = Field(
        None,
        description="First invoice date (YYYY-MM-DD), included; default: the first day of the "
        "month eleven months ago",
    )
    end: str | None = Field(
        None, description="Last invoice date (YYYY-MM-DD), included; default: today"
    )
    group_by: str | None = Field(
        None, description=f"One of {', '.join(GROUPINGS)}; default: session_type"
    )
    session_type: str | None = Field(None, description="Session type id; leave out for all")
    client: str | None = Field(None, description="Client id; leave out for all")


class ProfitRowsQuery(ProfitQuery):
    group: str | None = Field(
        None,
        max_length=80,
        description="Only the sessions of this group: its `key` as the figures give it",
    )
    cursor: str | None = Field(None, max_length=1000, description=CURSOR_HELP)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=LIMIT_HELP)


class ProfitFigureOut(Schema):
    sessions: int = Field(..., description="Sessions with an invoice in the range")
    invoices: int
    revenue: str = Field(..., description="The invoices' subtotals (decimal text)")
    product_cost: str
    preproduction_cost: str
    costs: str = Field(..., description="Product and preproduction costs")
    profit: str
    average_revenue: str | None = Field(..., description="Per session; null without sessions")
    average_profit: str | None = Field(..., description="Per session; null without sessions")
    margin: str | None = Field(..., description="Gross margin in per cent; null without revenue")
    lines_without_cost: int = Field(..., description="Invoice lines whose item has no cost")
    orders_without_amount: int = Field(
        ..., description="Production orders without a vendor invoice amount"
    )
    proofs_without_cost: int = Field(..., description="Preproduction orders without a cost")


class ProfitGroupOut(ProfitFigureOut):
    key: str = Field(..., description="The group for `/rows?group=`: an id or a lead source")
    label: str


class ProfitOut(Schema):
    """What the sessions invoiced in the range brought in, cost and left, per group."""

    start: dt.date
    end: dt.date
    group_by: Literal[tuple(GROUPINGS)]  # type: ignore[valid-type]
    costs: Literal[tuple(ProfitCosts.values)] = Field(  # type: ignore[valid-type]
        ..., description="Where product costs come from (the studio's preference)"
    )
    groups: list[ProfitGroupOut] = Field(..., description="By name; the group of none last")
    total: ProfitFigureOut


class ProfitRowOut(ProfitFigureOut):
    id: int = Field(..., description="The session")
    url: str = Field(..., description="The session's page")
    date: dt.date
    client: str
    session_type: str
    photographer: str
    lead_source: str


ProfitRows = list_of(ProfitRowOut)


def _filter(request: HttpRequest, group: str | None = None) -> ProfitFilter:
    prefs = studio_preferences()
    return parse_profit(request.GET, today=prefs.today(), costs=prefs.profit_costs, group=group)


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _figure(figure: ProfitFigure) -> dict[str, Any]:
    return {
        "sessions": figure.sessions,
        "invoices": figure.invoices,
        "revenue": f"{figure.revenue:.2f}",
        "product_cost": f"{figure.product_cost:.2f}",
        "preproduction_cost": f"{figure.preproduction_cost:.2f}",
        "costs": f"{figure.costs:.2f}",
        "profit": f"{figure.profit:.2f}",
        "average_revenue": _money(figure.average_revenue),
        "average_profit": _money(figure.average_profit),
        "margin": None if figure.margin is None else str(figure.margin),
        "lines_without_cost": figure.lines_without_cost,
        "orders_without_amount": figure.orders_without_amount,
        "proofs_without_cost": figure.proofs_without_cost,
    }


@router.get(
    "/reports/profit",
    operation_id="reports_profit",
    summary="Profit analysis: revenue, costs, profit and margin per group",
    description="The invoices dated in the range (both days included), grouped by the session's "
    "type, photographer or lead source: sessions, revenue (subtotals), costs (product costs "
    "from the studio's chosen source plus preproduction costs), profit, averages per session "
    "and gross margin, with the totals. The same parameters as the report page; the sessions "
    "themselves are `/reports/profit/rows`.",
    response={200: ProfitOut, **LIST_ERRORS},
    auth=permitted(PROFIT.permission),
)
def profit(request: HttpRequest, params: Query[ProfitQuery]) -> Any:
    f = _filter(request)
    totals = profit_totals(f)
    return {
        "start": f.start,
        "end": f.end,
        "group_by": f.group_by,
        "costs": f.costs,
        "groups": [{"key": g.key, "label": g.label, **_figure(g)} for g in totals.groups],
        "total": _figure(totals.all),
    }


@router.get(
    "/reports/profit/rows",
    operation_id="reports_profit_rows",
    summary="Profit analysis: the sessions of the range, a page at a time",
    description="The same parameters as the figures, and `group` for one group's sessions; by "
    "session id. `next_cursor` pages on (send it back as `cursor` with the same filter).",
    response={200: ProfitRows, **LIST_ERRORS},
    auth=permitted(PROFIT.permission),
)
def profit_rows(request: HttpRequest, params: Query[ProfitRowsQuery]) -> Any:
    page = profit_page(_filter(request, params.group), cursor=params.cursor, limit=params.limit)
    return {
        "results": [
            {
                "id": row.id,
                "url": row.url,
                "date": row.date,
                "client": row.client,
                "session_type": row.session_type,
                "photographer": row.photographer,
                "lead_source": row.lead_source,
                **_figure(row),
            }
            for row in page.rows
        ],
        "next_cursor": page.next_cursor,
    }
