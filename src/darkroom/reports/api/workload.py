"""The workload report over the API: ``GET /reports/workload``.

It reads the report page's own URL parameters with its form (``reports/forms/workload.py``), so a
link copied from the page asks the API for the same weeks; a refused value is a 422 naming the
parameter. The range is made whole weeks of the studio's (``week_starts_on`` says which day), and
every week of it is answered, empty ones too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS
from darkroom.reports.forms.workload import parse_workload
from darkroom.reports.registry import WORKLOAD
from darkroom.reports.selectors.workload import WEEKDAYS, first_weekday, workload
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["reports"])


class WorkloadQuery(Schema):
    """The workload report's filters (declared here for the documentation; the values are read
    and checked by the report page's own form)."""

    stage: str | None = Field(
        None, description="`production` (the default) or `preproduction` (proof orders)"
    )
    order_type: str | None = Field(
        None, description="Production order type id; leave out for all (not with proof orders)"
    )
    start: str | None = Field(
        None,
        description="A day of the first week (YYYY-MM-DD): the range starts on that week's first "
        "day; default: fifty-one weeks before this one",
    )
    end: str | None = Field(
        None,
        description="A day of the last week (YYYY-MM-DD): the range ends on that week's last "
        "day; default: this week",
    )


class WorkloadStatusOut(Schema):
    key: str = Field(..., description="The status's name, spaces and case aside")
    name: str


class WorkloadWeekOut(Schema):
    week: dt.date = Field(..., description="The week's first day")
    last_day: dt.date
    entered: int = Field(..., description="Orders with their order date in the week")
    finished: int = Field(..., description="Orders finished in the week (as they stand now)")
    open: int = Field(..., description="Orders in a non-final status at the week's end")
    backlog: dict[str, int] = Field(
        ..., description="Open orders per status (by `key`) at the week's end"
    )


class WorkloadOut(Schema):
    """Entered against finished per week, and the backlog per status at each week's end."""

    stage: str
    order_type: int | None
    start: dt.date = Field(..., description="The first week's first day")
    end: dt.date = Field(..., description="The last week's last day")
    week_starts_on: str = Field(..., description="The studio's first work day: Monday, …")
    entered: int
    finished: int
    opening: int = Field(..., description="Open orders the day before the range")
    empty: bool = Field(
        ..., description="Nothing entered, finished or open in the range (weeks still listed)"
    )
    statuses: list[WorkloadStatusOut] = Field(
        ..., description="Non-final statuses that held orders in the range, in the cycle's order"
    )
    weeks: list[WorkloadWeekOut]


@router.get(
    "/reports/workload",
    operation_id="reports_workload",
    summary="Workload report: orders entered and finished per week, and the open backlog",
    description="Production (or proof) orders entered (by order date) and finished (by the day "
    "they were finished) in each week of the range, and how many open orders sat in each "
    "status at each week's end. The same parameters as the report page.",
    response={200: WorkloadOut, **LIST_ERRORS},
    auth=permitted(WORKLOAD.permission),
)
def workload_report(request: HttpRequest, params: Query[WorkloadQuery]) -> Any:
    studio = studio_preferences()
    weekday = first_weekday(studio.work_days)
    f = parse_workload(request.GET, today=studio.today(), weekday=weekday)
    totals = workload(f)
    return {
        "stage": f.stage,
        "order_type": f.order_type,
        "start": f.start,
        "end": f.end,
        "week_starts_on": WEEKDAYS[weekday],
        "entered": totals.entered,
        "finished": totals.finished,
        "opening": totals.opening,
        "empty": totals.empty,
        "statuses": [{"key": s.key, "name": s.name} for s in totals.statuses],
        "weeks": [
            {
                "week": w.week,
                "last_day": w.last_day,
                "entered": w.entered,
                "finished": w.finished,
                "open": w.open,
                "backlog": w.backlog,
            }
            for w in totals.weeks
        ],
    }
