"""The studio's business calendar over the API: ``/api/v1/calendar...``.

The work week travels as weekday numbers (Monday = 0 … Sunday = 6). Closures are single dates
or ranges (``first_date`` … ``last_date``), the studio's own or, with ``vendor``, one vendor's
(a vendor's closures add to the studio's). ``business-days`` answers what the month view shows,
and ``due`` works out a due date the way Darkroom does, for integrators. Everything goes through
studio/calendar/, like the Maintenance › Calendar page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import Day, Text, Weekday
from darkroom.api.lists import PageQuery, keyset_page, list_of, whole_list
from darkroom.catalog.models import Vendor
from darkroom.database_limits import LARGEST_ID
from darkroom.studio.calendar.holidays import MAX_IMPORT_YEARS, holiday_countries, holidays_import
from darkroom.studio.calendar.reads import MAX_DAYS_SHOWN, calendar_days, closures_between, due_date
from darkroom.studio.calendar.writes import closure_add, closure_remove, work_week_update
from darkroom.studio.models import Closure, ClosureSource, DueDateMode
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["calendar"])

VIEW = "studio.view_closure"

READ_ERRORS = error_responses(401, 403, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 422)

VendorId = Annotated[
    int | None, Field(None, description="A vendor's id; leave out for the studio itself")
]
DayKind = Literal["business", "closed", "non_work"]


# Schemas ----------------------------------------------------------------------------------------


class CalendarOut(Schema):
    """The studio's calendar at a glance."""

    work_days: list[int] = Field(..., description="Weekday numbers, 0 = Monday … 6 = Sunday")
    work_day_names: list[str]
    due_date_mode: Literal[tuple(DueDateMode.values)]  # type: ignore[valid-type]
    closures: int = Field(..., description="How many closures the studio has (not vendors')")
    today: dt.date = Field(..., description="The studio's local date")


class WorkWeekIn(Schema):
    """The days of the work week: at least one."""

    model_config = ConfigDict(extra="forbid")

    work_days: list[Weekday] = Field(..., json_schema_extra={"minItems": 1}, examples=[[0, 1, 2]])


class ClosureOut(Schema):
    """A day or a run of days when the studio (or one vendor) is closed."""

    id: int
    first_date: dt.date
    last_date: dt.date = Field(..., description="Equal to first_date for a single day")
    days: int = Field(..., description="Calendar days covered")
    label: str
    source: Literal[tuple(ClosureSource.values)]  # type: ignore[valid-type]
    country: str = Field(..., description="For imported holidays: the country code")
    subdivision: str = Field(..., description="For imported holidays: the region code, if any")
    vendor: int | None = Field(..., description="The vendor's id; null: the studio's own")
    created_at: dt.datetime


ClosurePage = list_of(ClosureOut)


class ClosureQuery(PageQuery):
    date_from: Day | None = Field(None, alias="from", description="Closures ending on or after")
    date_to: Day | None = Field(None, alias="to", description="Closures starting on or before")
    vendor: int | None = Field(None, description="This vendor's own closures, not the studio's")


class ClosureIn(Schema):
    """A new closure: one date, or a range of at most 366 days."""

    model_config = ConfigDict(extra="forbid")

    first_date: Day
    last_date: Day | None = Field(None, description="Leave out for a single day")
    label: Text = Field(..., min_length=1, max_length=200, examples=["Studio vacation"])
    vendor: VendorId


class HolidayImportIn(Schema):
    """Import a country's (or a region's) public holidays for some years as closures."""

    model_config = ConfigDict(extra="forbid")

    country: Text = Field(..., max_length=3, description="ISO 3166 code, e.g. US", examples=["US"])
    subdivision: Text | None = Field(
        None, max_length=40, description="A region code, e.g. CA or SCT", examples=["CA"]
    )
    years: list[int] = Field(
        ...,
        description=f"1 to {MAX_IMPORT_YEARS} years, 1900–2100",
        json_schema_extra={"minItems": 1, "maxItems": MAX_IMPORT_YEARS},
        examples=[[2026, 2027]],
    )
    vendor: VendorId


class HolidayImportOut(Schema):
    added: int = Field(..., description="Closures added (0 when everything was already there)")


class HolidayCountryOut(Schema):
    code: str
    name: str
    subdivisions: list[str]


class BusinessDayOut(Schema):
    date: dt.date
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday")
    kind: DayKind
    label: str = Field(..., description="The closures covering the date, if any")
    description: str = Field(..., description='e.g. "Business day", "Closed: Christmas Day"')


class BusinessDaysOut(Schema):
    vendor: int | None
    days: list[BusinessDayOut]


class DaysQuery(Schema):
    date_from: Day = Field(..., alias="from", description="First date (YYYY-MM-DD)")
    date_to: Day = Field(..., alias="to", description=f"Last date; at most {MAX_DAYS_SHOWN} days")
    vendor: int | None = Field(None, description="A vendor's calendar: the studio's plus its own")


class DueQuery(Schema):
    date_from: Day = Field(..., alias="from", description="The date the step starts")
    days: int = Field(..., ge=0, le=100_000, description="Duration in business days")
    vendor: int | None = Field(None, description="Count on this vendor's calendar")


class DueOut(Schema):
    date_from: dt.date = Field(..., alias="from")
    days: int
    vendor: int | None
    due: dt.date = Field(
        ..., description="The n-th business day after `from`; for 0, `from` or the next one"
    )


# Reading input ----------------------------------------------------------------------------------


def _vendor(vendor_id: int | None) -> Vendor | None:
    if vendor_id is None:
        return None
    found = Vendor.objects.filter(pk=vendor_id).first() if 0 < vendor_id <= LARGEST_ID else None
    if found is None:
        raise ValidationError({"vendor": f"There is no vendor {vendor_id}."})
    return found


def _closure_answer(closure: Closure) -> dict[str, Any]:
    return {
        "id": closure.pk,
        "first_date": closure.first_date,
        "last_date": closure.last_date,
        "days": closure.days,
        "label": closure.label,
        "source": closure.source,
        "country": closure.country,
        "subdivision": closure.subdivision,
        "vendor": closure.vendor_id,
        "created_at": closure.created_at,
    }


# Endpoints --------------------------------------------------------------------------------------


@router.get(
    "/calendar",
    operation_id="calendar_get",
    summary="The studio's work week, due-date mode and number of closures",
    response={200: CalendarOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def calendar_get(request: HttpRequest) -> Any:
    prefs = studio_preferences()
    return {
        "work_days": sorted(prefs.work_days),
        "work_day_names": prefs.work_day_names,
        "due_date_mode": prefs.due_date_mode,
        "closures": closures_between().count(),
        "today": prefs.today(),
    }


@router.put(
    "/calendar/work-week",
    operation_id="calendar_work_week_replace",
    summary="Set the days of the work week (managers)",
    response={200: CalendarOut, **WRITE_ERRORS},
    auth=permitted("studio.change_studiopreferences"),
)
def work_week_replace(request: HttpRequest, payload: WorkWeekIn) -> Any:
    work_week_update(work_days=payload.work_days)
    return calendar_get(request)


@router.get(
    "/calendar/closures",
    operation_id="calendar_closures_list",
    summary="Closures of the studio, or of one vendor, overlapping from … to",
    response={200: ClosurePage, **READ_ERRORS},
    auth=permitted(VIEW),
)
def closures_list(request: HttpRequest, params: Query[ClosureQuery]) -> Any:
    if params.date_from and params.date_to and params.date_to < params.date_from:
        raise ValidationError({"to": "The last date is before the first."})
    closures = closures_between(
        first=params.date_from, last=params.date_to, vendor=_vendor(params.vendor)
    ).order_by("first_date", "last_date", "id")
    return keyset_page(closures, cursor=params.cursor, limit=params.limit, answer=_closure_answer)


@router.post(
    "/calendar/closures",
    operation_id="calendar_closures_create",
    summary="Add a closure: a single date or a range (managers)",
    response={201: ClosureOut, **WRITE_ERRORS},
    auth=permitted("studio.add_closure"),
)
def closures_create(request: HttpRequest, payload: ClosureIn) -> Any:
    closure = closure_add(
        first_date=payload.first_date,
        last_date=payload.last_date,
        label=payload.label,
        vendor=_vendor(payload.vendor),
    )
    return Status(201, _closure_answer(closure))


@router.delete(
    "/calendar/closures/{id}",
    operation_id="calendar_closures_delete",
    summary="Remove a closure (managers)",
    response={204: None, **error_responses(401, 403, 404, 422)},
    auth=permitted("studio.delete_closure"),
)
def closures_delete(request: HttpRequest, id: int) -> Any:
    if not 0 < id <= LARGEST_ID:
        raise Http404
    closure_remove(closure=Closure.objects.get(pk=id))
    return Status(204, None)


@router.post(
    "/calendar/holiday-imports",
    operation_id="calendar_holiday_imports_create",
    summary="Import public holidays as closures (managers)",
    description=(
        "Importing the same country and years again adds nothing: a holiday is skipped when the "
        "studio (or the vendor) already has a closure on that date with the same name. "
        "`GET /calendar/holiday-countries` lists the countries and their region codes."
    ),
    response={200: HolidayImportOut, **WRITE_ERRORS},
    auth=permitted("studio.add_closure"),
)
def holiday_imports_create(request: HttpRequest, payload: HolidayImportIn) -> Any:
    added = holidays_import(
        country=payload.country,
        subdivision=payload.subdivision,
        years=payload.years,
        vendor=_vendor(payload.vendor),
    )
    return {"added": added}


@router.get(
    "/calendar/holiday-countries",
    operation_id="calendar_holiday_countries_list",
    summary="The countries (and their region codes) holidays can be imported for",
    response={200: list_of(HolidayCountryOut), **READ_ERRORS},
    auth=permitted(VIEW),
)
def holiday_countries_list(request: HttpRequest) -> Any:
    return whole_list(
        {"code": code, "name": name, "subdivisions": list(regions)}
        for code, name, regions in holiday_countries()
    )


@router.get(
    "/calendar/business-days",
    operation_id="calendar_business_days_list",
    summary="Each date from … to: business day, closed (and why), or not a work day",
    response={200: BusinessDaysOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def business_days_list(request: HttpRequest, params: Query[DaysQuery]) -> Any:
    vendor = _vendor(params.vendor)
    days = calendar_days(first=params.date_from, last=params.date_to, vendor=vendor)
    return {
        "vendor": vendor.pk if vendor else None,
        "days": [
            {
                "date": day.date,
                "weekday": day.date.weekday(),
                "kind": day.kind,
                "label": day.label,
                "description": day.description,
            }
            for day in days
        ],
    }


@router.get(
    "/calendar/due",
    operation_id="calendar_due_get",
    summary="The due date: `days` business days after `from`",
    description=(
        "For days ≥ 1, the n-th business day strictly after `from`; for 0, `from` itself if it "
        "is a business day, else the next one. With `vendor`, the vendor's closures count too."
    ),
    response={200: DueOut, **READ_ERRORS},
    by_alias=True,
    auth=permitted(VIEW),
)
def due_get(request: HttpRequest, params: Query[DueQuery]) -> Any:
    vendor = _vendor(params.vendor)
    due = due_date(start=params.date_from, days=params.days, vendor=vendor)
    return {
        "from": params.date_from,
        "days": params.days,
        "vendor": vendor.pk if vendor else None,
        "due": due,
    }
