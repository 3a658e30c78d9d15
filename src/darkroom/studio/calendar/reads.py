"""What the calendar pages and the API show of the calendar: each date as the calendar sees it
(a business day, closed and why, or not a work day), the closures over a run of dates, a due
date on the studio's or a vendor's calendar.

Apart from the cache (``cache.py``) because these read the closures themselves, for people,
while the cache serves every due date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from darkroom.catalog.models import Vendor
from darkroom.scheduling import closure_range
from darkroom.studio.calendar.cache import vendor_calendar
from darkroom.studio.models import Closure

MAX_DAYS_SHOWN = 366  # the longest run of days calendar_days() describes at once


DayKind = Literal["business", "closed", "non_work"]


@dataclass(frozen=True)
class CalendarDay:
    """One date as the calendar sees it: a business day, closed (and why), or not a work day.

    ``label`` names the closures covering the date (also on a day outside the work week, where a
    closure changes nothing but is still worth showing).
    """

    date: dt.date
    kind: DayKind
    label: str = ""

    @property
    def description(self) -> str:
        if self.kind == "business":
            return "Business day"
        if self.kind == "closed":
            return f"Closed: {self.label}"
        return f"Not a work day ({self.label})" if self.label else "Not a work day"


def closures_between(
    *, first: dt.date | None = None, last: dt.date | None = None, vendor: Vendor | int | None = None
) -> QuerySet[Closure]:
    """Closures of the studio (``vendor=None``) or of one vendor overlapping ``first .. last``."""
    closures = Closure.objects.select_related("vendor")
    if vendor is None:
        closures = closures.filter(vendor__isnull=True)
    else:
        closures = closures.filter(vendor=vendor)
    if first is not None:
        closures = closures.filter(last_date__gte=first)
    if last is not None:
        closures = closures.filter(first_date__lte=last)
    return closures


def calendar_days(
    *, first: dt.date, last: dt.date, vendor: Vendor | int | None = None
) -> list[CalendarDay]:
    """Each date from ``first`` to ``last`` as the calendar (the studio's or a vendor's) sees it.

    What the month view shows and ``GET /calendar/business-days`` answers; at most
    ``MAX_DAYS_SHOWN`` days at once.
    """
    if last < first:
        raise ValidationError({"to": "The last date is before the first."})
    if (last - first).days + 1 > MAX_DAYS_SHOWN:
        raise ValidationError({"to": f"Ask for at most {MAX_DAYS_SHOWN} days at a time."})
    calendar = vendor_calendar(vendor)
    overlapping = Q(last_date__gte=first, first_date__lte=last)
    owners = Q(vendor__isnull=True) if vendor is None else Q(vendor__isnull=True) | Q(vendor=vendor)
    labels: dict[dt.date, list[str]] = {}
    for closure in Closure.objects.filter(overlapping & owners).order_by("vendor", "first_date"):
        for day in closure_range(max(first, closure.first_date), min(last, closure.last_date)):
            names = labels.setdefault(day, [])
            if closure.label not in names:
                names.append(closure.label)
    days = []
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        label = "; ".join(labels.get(day, ()))
        if calendar.is_business_day(day):
            kind: DayKind = "business"
        elif day.weekday() in calendar.work_days:
            kind = "closed"
        else:
            kind = "non_work"
        days.append(CalendarDay(date=day, kind=kind, label=label))
    return days


def due_date(*, start: dt.date, days: int, vendor: Vendor | int | None = None) -> dt.date:
    """``due(start, days)`` on the studio's calendar, or on a vendor's."""
    try:
        return vendor_calendar(vendor).due(start, days)
    except (ValueError, OverflowError) as exc:
        raise ValidationError({"days": str(exc)}) from None
