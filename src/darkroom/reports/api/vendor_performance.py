"""The vendor performance report over the API: ``GET /reports/vendor-performance``.

It reads the report page's own URL parameters with its form, so a link copied from the page
asks the API for the same figures; a refused value (an inverted or absurd range, a vendor that
doesn't exist) is a 422 naming the parameter. A range with nothing in it answers 200 with empty
lists and ``empty_reason`` saying why. Every rate comes with the counts it is made of; a rate
with nothing to count is null, never 0.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.reports.forms.vendor_performance import parse_vendor_performance
from darkroom.reports.registry import VENDOR_PERFORMANCE
from darkroom.reports.selectors.vendor_performance import (
    MonthPerformance,
    Performance,
    vendor_performance,
)
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["reports"])


class VendorPerformanceQuery(Schema):
    """The report's filters (declared here for the documentation; the values are read and
    checked by the report page's own form)."""

    start: str | None = Field(
        None,
        description="First day (YYYY-MM-DD), included; default: the first day of the month "
        "eleven months ago",
    )
    end: str | None = Field(None, description="Last day (YYYY-MM-DD), included; default: today")
    vendor: str | None = Field(None, description="Vendor id; leave out for all")


class VendorStepsOut(Schema):
    left: int = Field(..., description="Steps of production orders left in the range")
    with_due_date: int
    on_time: int = Field(..., description="Left on or before the due date they had")
    late: int
    on_time_percent: float | None = Field(..., description="on_time / with_due_date × 100")
    late_business_days: int = Field(..., description="The late steps' business days late")
    average_lateness: float | None = Field(
        ..., description="Business days late, averaged over the late steps"
    )


class VendorOrdersOut(Schema):
    finished: int = Field(..., description="Production orders finished in the range")
    with_promised_date: int
    on_time: int = Field(..., description="Finished on or before the promised date")
    on_time_percent: float | None
    turnaround_days: int = Field(
        ..., description="Calendar days from order date to finished, added up"
    )
    average_turnaround: float | None = Field(..., description="In calendar days")


class VendorReordersOut(Schema):
    placed: int = Field(..., description="Reorders placed (ordered) in the range")
    vendors_fault: int = Field(..., description="Of those, for a non-chargeable reason")


class VendorMonthOut(Schema):
    month: str = Field(..., description="YYYY-MM; every month of the range")
    steps: VendorStepsOut
    orders: VendorOrdersOut


class VendorTrendMonthOut(VendorMonthOut):
    reorders: VendorReordersOut


class VendorFiguresOut(Schema):
    vendor: NamedRef
    steps: VendorStepsOut
    orders: VendorOrdersOut
    reorders: VendorReordersOut
    months: list[VendorMonthOut] = Field(..., description="Steps and orders month by month")


class VendorReorderReasonOut(Schema):
    reason: NamedRef | None = Field(..., description="null: reorders with no reason recorded")
    vendors_fault: bool = Field(..., description="The reason is not chargeable")
    count: int


class VendorPerformanceOut(Schema):
    """Each vendor's figures over the range, the trend by month, the reorders' reasons."""

    start: dt.date
    end: dt.date
    empty_reason: str | None = Field(..., description="Why the report is empty, when it is")
    steps: VendorStepsOut
    orders: VendorOrdersOut
    reorders: VendorReordersOut
    vendors: list[VendorFiguresOut] = Field(
        ..., description="By name; those with anything in range"
    )
    months: list[VendorTrendMonthOut] = Field(..., description="All the vendors listed")
    reasons: list[VendorReorderReasonOut]


def _steps(p: Performance) -> dict[str, Any]:
    return {
        "left": p.steps,
        "with_due_date": p.due_steps,
        "on_time": p.on_time,
        "late": p.late,
        "on_time_percent": p.on_time_percent,
        "late_business_days": p.late_days,
        "average_lateness": p.average_lateness,
    }


def _orders(p: Performance) -> dict[str, Any]:
    return {
        "finished": p.finished,
        "with_promised_date": p.promised,
        "on_time": p.kept_promise,
        "on_time_percent": p.promise_percent,
        "turnaround_days": p.turnaround_days,
        "average_turnaround": p.average_turnaround,
    }


def _month(m: MonthPerformance) -> dict[str, Any]:
    return {"month": m.month.strftime("%Y-%m"), "steps": _steps(m), "orders": _orders(m)}


def _reorders(p: Performance) -> dict[str, Any]:
    return {"placed": p.reorders, "vendors_fault": p.vendors_fault}


@router.get(
    "/reports/vendor-performance",
    operation_id="reports_vendor_performance",
    summary="Vendor performance: steps and orders on time, lateness, turnaround, reorders",
    description="Per vendor over the range (both days included): steps of production orders "
    "left on time against their due date and how late the late ones were (business days); "
    "orders finished on time against the promised date and their turnaround (calendar "
    "days); reorders placed and how many were the vendor's fault; and the trend month by "
    "month. The same parameters as the report page.",
    response={200: VendorPerformanceOut, **LIST_ERRORS},
    auth=permitted(VENDOR_PERFORMANCE.permission),
)
def vendor_performance_figures(request: HttpRequest, params: Query[VendorPerformanceQuery]) -> Any:
    today = studio_preferences().today()
    f = parse_vendor_performance(request.GET, today=today)
    report = vendor_performance(f, today=today)
    return {
        "start": f.start,
        "end": f.end,
        "empty_reason": report.empty_reason,
        "steps": _steps(report.all),
        "orders": _orders(report.all),
        "reorders": _reorders(report.all),
        "vendors": [
            {
                "vendor": {"id": v.vendor_id, "name": v.vendor},
                "steps": _steps(v),
                "orders": _orders(v),
                "reorders": _reorders(v),
                "months": [_month(m) for m in v.months],
            }
            for v in report.vendors
        ],
        "months": [{**_month(m), "reorders": _reorders(m)} for m in report.months],
        "reasons": [
            {
                "reason": None if r.reason_id is None else {"id": r.reason_id, "name": r.reason},
                "vendors_fault": not r.chargeable,
                "count": r.count,
            }
            for r in report.reasons
        ],
    }
