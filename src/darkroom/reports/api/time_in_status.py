"""The time-in-status report over the API: ``GET /reports/time-in-status`` (the figures per
status of a cycle).

It reads the report page's own URL parameters with its form (``reports/forms/time_in_status.py``),
so a link copied from the page asks the API for the same figures; a refused value is a 422
naming the parameter. The range is read in whole months (``first_day`` and ``last_day`` say
which days); percentiles are by nearest rank over the steps left, in business days.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.answers import NamedRef
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.reports.forms.time_in_status import parse_time_in_status
from darkroom.reports.registry import TIME_IN_STATUS
from darkroom.reports.selectors.time_in_status import time_in_status
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import Cycle

router = Router(tags=["reports"])


class TimeInStatusQuery(Schema):
    """The report's filters (declared here for the documentation; the values are read and
    checked by the report page's own form)."""

    cycle: str | None = Field(
        None,
        description="Cycle id; default: the order type's cycle when `order_type` is given, else "
        "the first production cycle by name",
    )
    order_type: str | None = Field(
        None, description="Order type id (a production cycle's own); leave out for all"
    )
    vendor: str | None = Field(
        None, description="Vendor id (production and proof cycles only); leave out for all"
    )
    start: str | None = Field(
        None,
        description="A day (YYYY-MM-DD) of the first month read; default: the first day of the "
        "month eleven months ago",
    )
    end: str | None = Field(
        None, description="A day (YYYY-MM-DD) of the last month read; default: today"
    )


class StatusFigureOut(Schema):
    status: NamedRef
    planned_days: int = Field(..., description="The status's default duration today")
    passed: int = Field(..., description="Steps of this status left in the range")
    median_days: int | None = Field(
        ..., description="Nearest-rank median of their business days; null: none left"
    )
    p90_days: int | None = Field(
        ..., description="Nearest-rank 90th percentile of their business days; null: none left"
    )
    over_plan: int = Field(
        ..., description="Steps left that took more business days than planned then"
    )
    share_over_plan: str | None = Field(
        ..., description="over_plan / passed in percent, one decimal (text); null: none left"
    )
    open_over_plan: int = Field(
        ..., description="Open records in this status now whose step is overdue"
    )


class TimeInStatusOut(Schema):
    """Per status of the cycle, in its order: the steps left in the range's whole months."""

    cycle: NamedRef
    first_day: dt.date = Field(..., description="The first day read (its month's first)")
    last_day: dt.date = Field(..., description="The last day read (its month's last)")
    order_type: int | None
    vendor: int | None
    passed: int
    open_over_plan: int
    statuses: list[StatusFigureOut]


@router.get(
    "/reports/time-in-status",
    operation_id="reports_time_in_status",
    summary="Time in status: per status of a cycle, the business days its steps took",
    description="For one cycle (and one order type or vendor, or all): per status, how many "
    "steps of it were left in the range (read in whole months), their median and 90th "
    "percentile business days (nearest rank), the share over the duration planned then, and "
    "the open records in it now whose step is overdue. The same parameters as the report page.",
    response={200: TimeInStatusOut, **LIST_ERRORS},
    auth=permitted(TIME_IN_STATUS.permission),
)
def time_in_status_figures(request: HttpRequest, params: Query[TimeInStatusQuery]) -> Any:
    today = studio_preferences().today()
    f = parse_time_in_status(request.GET, today=today)
    report = time_in_status(f, today=today)
    cycle = Cycle.objects.get(pk=f.cycle)
    return {
        "cycle": {"id": cycle.pk, "name": cycle.name},
        "first_day": f.first_day,
        "last_day": f.last_day,
        "order_type": f.order_type,
        "vendor": f.vendor,
        "passed": report.passed,
        "open_over_plan": report.open_over_plan,
        "statuses": [
            {
                "status": {"id": s.status_id, "name": s.status},
                "planned_days": s.planned,
                "passed": s.passed,
                "median_days": s.median,
                "p90_days": s.p90,
                "over_plan": s.over_plan,
                "share_over_plan": None if s.share_over_plan is None else str(s.share_over_plan),
                "open_over_plan": s.open_over_plan,
            }
            for s in report.statuses
        ],
    }
