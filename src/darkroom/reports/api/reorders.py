"""The reorders report over the API: ``GET /reports/reorders`` (the figures) and
``/reports/reorders/rows`` (the reorders a page at a time, ``{"results", "next_cursor"}``).

Both read the report page's own URL parameters with its form (``reports/forms.py``), so a link
copied from the page asks the API for the same reorders; a refused value is a 422 naming the
parameter. Costs are decimal text; a group's ``cost`` adds up the reorders with a cost, and
``without_cost`` counts the others (never taken as zero); a row's ``cost`` is null until the
vendor's bill is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.api.lists import CURSOR_HELP, LIMIT_HELP, list_of
from darkroom.reports.forms.reorders import parse_reorders
from darkroom.reports.registry import REORDERS
from darkroom.reports.selectors.reorders import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    Figure,
    ReordersFilter,
    reorder_page,
    reorder_totals,
)
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["reports"])


class ReordersQuery(Schema):
    """The reorders report's filters (declared here for the documentation; the values are read
    and checked by the report page's own form)."""

    start: str | None = Field(
        None,
        description="First order date (YYYY-MM-DD), included; default: the first day of the "
        "month eleven months ago",
    )
    end: str | None = Field(
        None, description="Last order date (YYYY-MM-DD), included; default: today"
    )
    vendor: str | None = Field(None, description="Vendor id; leave out for all")
    reason: str | None = Field(None, description="Reorder reason id; leave out for all")


class ReordersRowsQuery(ReordersQuery):
    cursor: str | None = Field(None, max_length=1000, description=CURSOR_HELP)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=LIMIT_HELP)


class FigureOut(Schema):
    count: int = Field(..., description="Reorders")
    cost: str = Field(..., description="The costs recorded, added up (decimal text)")
    without_cost: int = Field(..., description="Reorders with no cost recorded yet")


class ReasonFigureOut(FigureOut):
    reason: NamedRef | None = Field(..., description="null: reorders with no reason recorded")
    chargeable: bool = Field(..., description="False: the reason is the vendor's fault")


class VendorFigureOut(FigureOut):
    vendor: NamedRef


class MonthFigureOut(Schema):
    month: str = Field(..., description="YYYY-MM; every month of the range, empty ones too")
    chargeable: FigureOut
    non_chargeable: FigureOut


class ReordersOut(Schema):
    """The reorders of the range: chargeable against not, per reason, per vendor, per month."""

    start: dt.date
    end: dt.date
    count: int
    cost: str
    without_cost: int
    chargeable: FigureOut
    non_chargeable: FigureOut = Field(..., description="The vendor's fault")
    reasons: list[ReasonFigureOut] = Field(..., description="By description")
    vendors: list[VendorFigureOut] = Field(..., description="By name")
    months: list[MonthFigureOut]


class ReorderRowOut(Schema):
    id: int
    number: str
    url: str = Field(..., description="The order's page")
    order_date: dt.date
    vendor: str
    reason: str
    chargeable: bool
    cost: str | None = Field(..., description="Decimal text; null: no cost recorded yet")
    reorder_of: NamedRef = Field(..., description="The order this one redoes (id, number)")


ReorderRows = list_of(ReorderRowOut)


def _filter(request: HttpRequest) -> ReordersFilter:
    return parse_reorders(request.GET, today=studio_preferences().today())


def _figure(figure: Figure) -> dict[str, Any]:
    return {"count": figure.count, "cost": f"{figure.cost:.2f}", "without_cost": figure.uncosted}


@router.get(
    "/reports/reorders",
    operation_id="reports_reorders",
    summary="Reorders report: reorders by reason, vendor and month, chargeable or not",
    description="Production orders that redo another, ordered in the range (both days "
    "included): counts and costs, chargeable against the vendor's fault, per reason, vendor "
    "and month. The same parameters as the report page; the reorders themselves are "
    "`/reports/reorders/rows`.",
    response={200: ReordersOut, **LIST_ERRORS},
    auth=permitted(REORDERS.permission),
)
def reorders(request: HttpRequest, params: Query[ReordersQuery]) -> Any:
    f = _filter(request)
    totals = reorder_totals(f)
    return {
        "start": f.start,
        "end": f.end,
        **_figure(totals.all),
        "chargeable": _figure(totals.chargeable),
        "non_chargeable": _figure(totals.non_chargeable),
        "reasons": [
            {
                "reason": None if r.reason_id is None else {"id": r.reason_id, "name": r.reason},
                "chargeable": r.chargeable,
                **_figure(r),
            }
            for r in totals.reasons
        ],
        "vendors": [
            {"vendor": {"id": v.vendor_id, "name": v.vendor}, **_figure(v)} for v in totals.vendors
        ],
        "months": [
            {
                "month": m.month.strftime("%Y-%m"),
                "chargeable": _figure(m.chargeable),
                "non_chargeable": _figure(m.non_chargeable),
            }
            for m in totals.months
        ],
    }


@router.get(
    "/reports/reorders/rows",
    operation_id="reports_reorders_rows",
    summary="Reorders report: the reorders of the range, a page at a time",
    description="The same parameters as the figures; by order date, then id. `next_cursor` "
    "pages on (send it back as `cursor` with the same filter).",
    response={200: ReorderRows, **LIST_ERRORS},
    auth=permitted(REORDERS.permission),
)
def reorders_rows(request: HttpRequest, params: Query[ReordersRowsQuery]) -> Any:
    page = reorder_page(_filter(request), cursor=params.cursor, limit=params.limit)
    return {
        "results": [
            {
                "id": row.id,
                "number": row.number,
                "url": row.url,
                "order_date": row.order_date,
                "vendor": row.vendor,
                "reason": row.reason,
                "chargeable": row.chargeable,
                "cost": None if row.cost is None else f"{row.cost:.2f}",
                "reorder_of": {"id": row.original_id, "name": row.original_number},
            }
            for row in page.rows
        ],
        "next_cursor": page.next_cursor,
    }
