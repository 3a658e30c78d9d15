"""Maintenance › Calendar: the work week, the due-date mode, closures, holiday imports and a
month view that shows, day by day, what the business calendar believes.

Everyone with a role may look; only a manager may change anything (the POST views check the
permission whatever the page showed). Views parse the forms (calendar_forms.py) and call the
services of studio/calendar/.
"""

from __future__ import annotations

import datetime as dt
from calendar import Calendar as MonthLayout
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from darkroom.catalog.models import Vendor
from darkroom.studio.access import may, requires
from darkroom.studio.calendar.holidays import HOLIDAY_YEARS, country_name, holidays_import
from darkroom.studio.calendar.reads import CalendarDay, calendar_days, closures_between
from darkroom.studio.calendar.writes import closure_add, closure_remove, work_week_update
from darkroom.studio.calendar_forms import ClosureForm, HolidayImportForm, WorkWeekForm
from darkroom.studio.models import WEEKDAY_NAMES, Closure
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.selectors import recomputations_pending

VIEW = "studio.view_closure"
CHANGE_WEEK = "studio.change_studiopreferences"
ADD = "studio.add_closure"
REMOVE = "studio.delete_closure"

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
SORTS = {
    "dates": ("first_date", "last_date", "id"),
    "label": ("label", "first_date", "id"),
    "source": ("source", "country", "subdivision", "first_date", "id"),
}


def _show_refusal(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal beside the fields it names (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# The page ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCell:
    day: CalendarDay
    in_month: bool
    is_today: bool


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str
    state: str  # "ascending", "descending" or ""


def _month(year: int, month: int) -> dt.date:
    if not (1 <= month <= 12 and HOLIDAY_YEARS[0] <= year <= HOLIDAY_YEARS[1]):
        raise Http404("No such month.")
    return dt.date(year, month, 1)


def _shift(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_weeks(first: dt.date, vendor: Vendor | None, today: dt.date) -> list[list[MonthCell]]:
    weeks = MonthLayout(firstweekday=0).monthdatescalendar(first.year, first.month)
    days = calendar_days(first=weeks[0][0], last=weeks[-1][-1], vendor=vendor)
    by_date = {day.date: day for day in days}
    return [
        [MonthCell(by_date[d], d.month == first.month, d == today) for d in week] for week in weeks
    ]


def _month_url(first: dt.date, vendor: Vendor | None) -> str:
    url = reverse("studio:calendar-month", args=[first.year, first.month])
    return f"{url}?vendor={vendor.pk}" if vendor else url


@dataclass(frozen=True)
class PageAddress:
    """Which calendar page is shown: its path, month and query (vendor, year shown, sort).

    A refused form answers from its own POST address, so the page it came from travels in the
    form's ``next`` field; links and filters are built from this, never from the POST address.
    """

    path: str
    first: dt.date | None
    params: QueryDict

    @property
    def url(self) -> str:
        encoded = self.params.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path

    def with_params(self, **changes: str | None) -> str:
        params = self.params.copy()
        for name, value in changes.items():
            params.pop(name, None)
            if value:
                params[name] = value
        encoded = params.urlencode()
        return f"{self.path}?{encoded}" if encoded else self.path


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _address(request: HttpRequest, first: dt.date | None = None) -> PageAddress:
    if request.method == "GET":
        return PageAddress(request.path, first, request.GET)
    target = urlsplit(_safe_next(request) or reverse("studio:calendar"))
    try:
        match = resolve(target.path)
    except Http404:
        match = None
    if match is None or match.view_name not in ("studio:calendar", "studio:calendar-month"):
        return PageAddress(reverse("studio:calendar"), None, QueryDict())
    if match.view_name == "studio:calendar-month":
        try:
            first = _month(match.kwargs["year"], match.kwargs["month"])
        except Http404:
            return PageAddress(reverse("studio:calendar"), None, QueryDict())
    return PageAddress(target.path, first, QueryDict(target.query))


def _chosen_vendor(address: PageAddress) -> Vendor | None:
    value = address.params.get("vendor", "")
    if not value.isdigit() or len(value) > 18:
        return None
    return Vendor.objects.filter(pk=int(value)).first()


def _listed_closures(
    address: PageAddress, vendor: Vendor | None, today: dt.date
) -> tuple[QuerySet[Closure], str, str]:
    when = address.params.get("when", "upcoming")
    closures = closures_between(vendor=vendor)
    if when == "all":
        pass
    elif when.isdigit() and len(when) == 4 and HOLIDAY_YEARS[0] <= int(when) <= HOLIDAY_YEARS[1]:
        year = int(when)
        closures = closures.filter(
            last_date__gte=dt.date(year, 1, 1), first_date__lte=dt.date(year, 12, 31)
        )
    else:
        when = "upcoming"
        closures = closures.filter(last_date__gte=today)
    sort = address.params.get("sort", "dates")
    if sort.lstrip("-") not in SORTS or sort.count("-") > 1:
        sort = "dates"
    order = SORTS[sort.lstrip("-")]
    if sort.startswith("-"):
        order = tuple(f"-{field}" for field in order)
    return closures.order_by(*order), when, sort


def _sort_headers(address: PageAddress, sort: str) -> list[SortHeader]:
    headers = []
    for key, label in (("dates", "Dates"), ("label", "Closure"), ("source", "Source")):
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        target = f"-{key}" if state == "ascending" else key
        headers.append(SortHeader(label, address.with_params(sort=target) + "#closures", state))
    return headers


def _years_with_closures(vendor: Vendor | None) -> list[int]:
    dates = closures_between(vendor=vendor).order_by().dates("first_date", "year")
    return [d.year for d in dates]


def _render(
    request: HttpRequest,
    *,
    first: dt.date | None = None,
    week_form: WorkWeekForm | None = None,
    closure_form: ClosureForm | None = None,
    import_form: HolidayImportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    prefs = studio_preferences()
    today = prefs.today()
    address = _address(request, first)
    first = address.first or today.replace(day=1)
    vendor = _chosen_vendor(address)
    closures, when, sort = _listed_closures(address, vendor, today)
    if week_form is None:
        week_form = WorkWeekForm(
            initial={"work_days": sorted(prefs.work_days), "due_date_mode": prefs.due_date_mode}
        )
    if closure_form is None:
        closure_form = ClosureForm(initial={"vendor": vendor})
    if import_form is None:
        import_form = HolidayImportForm(
            initial={"from_year": today.year, "to_year": today.year, "vendor": vendor}
        )
    context = {
        "prefs": prefs,
        "vendor": vendor,
        "vendors": Vendor.objects.order_by("is_inactive", "name"),
        "month_name": f"{MONTH_NAMES[first.month - 1]} {first.year}",
        "weeks": _month_weeks(first, vendor, today),
        "weekday_names": WEEKDAY_NAMES,
        "previous_url": _month_url(_shift(first, -1), vendor),
        "next_url": _month_url(_shift(first, 1), vendor),
        "this_month_url": _month_url(today.replace(day=1), vendor),
        "is_this_month": first == today.replace(day=1),
        "closures": list(closures),
        "when": when,
        "years": _years_with_closures(vendor),
        "headers": _sort_headers(address, sort),
        "week_form": week_form,
        "closure_form": closure_form,
        "import_form": import_form,
        "here": address.url,
        "page_path": address.path,
        "may_change_week": may(request, CHANGE_WEEK),
        "may_add": may(request, ADD),
        "may_remove": may(request, REMOVE),
        "recomputations_pending": recomputations_pending(),
    }
    return render(request, "studio/calendar.html", context, status=status)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the page as it was (``next``), when that is one of ours."""
    return redirect(_safe_next(request) or reverse("studio:calendar"))


def _import_summary(country: str, subdivision: str, years: list[int]) -> str:
    """What was imported, for the message after it: "United States (US-CA), 2026–2027"."""
    region = f"{country}-{subdivision.strip().upper()}" if subdivision.strip() else country
    span = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"{country_name(country)} ({region}), {span}"


# Views ------------------------------------------------------------------------------------------


@requires(VIEW)
def calendar_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


@requires(VIEW)
def calendar_month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    return _render(request, first=_month(year, month))


@require_POST
@requires(VIEW, CHANGE_WEEK)
def work_week_save(request: HttpRequest) -> HttpResponse:
    form = WorkWeekForm(request.POST)
    if form.is_valid():
        try:
            work_week_update(
                work_days=form.cleaned_data["work_days"],
                due_date_mode=form.cleaned_data["due_date_mode"],
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, "Saved the work week and the due-date mode.")
            return _back(request)
    return _render(request, week_form=form, status=422)


@require_POST
@requires(VIEW, ADD)
def closure_add_view(request: HttpRequest) -> HttpResponse:
    form = ClosureForm(request.POST)
    if form.is_valid():
        try:
            closure = closure_add(**form.cleaned_data)
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            added = f"Added the closure “{closure.label}” ({closure.dates_text})."
            messages.success(request, added)
            return _back(request)
    return _render(request, closure_form=form, status=422)


@require_POST
@requires(VIEW, REMOVE)
def closure_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(Closure, pk=pk)
    closure_remove(closure=closure)
    messages.success(request, f"Removed the closure “{closure.label}” ({closure.dates_text}).")
    return _back(request)


@require_POST
@requires(VIEW, ADD)
def holidays_import_view(request: HttpRequest) -> HttpResponse:
    form = HolidayImportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        years = list(range(data["from_year"], data["to_year"] + 1))
        try:
            added = holidays_import(
                country=data["country"],
                subdivision=data["subdivision"],
                years=years,
                vendor=data["vendor"],
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            where = _import_summary(data["country"], data["subdivision"], years)
            if added:
                noun = "holiday" if added == 1 else "holidays"
                messages.success(request, f"Added {added} {noun} of {where}.")
            else:
                messages.info(request, f"No new holidays: those of {where} were already there.")
            return _back(request)
    return _render(request, import_form=form, status=422)
