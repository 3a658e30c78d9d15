"""The studio's business calendar: its work week and closures, as a ``BusinessCalendar``.

Why this module exists
----------------------
Every due date is computed on the studio's business calendar: the days of its work week
(``StudioPreferences.work_days``) minus its closures (holidays, vacations). A vendor may have
closures of its own, which add to the studio's for that vendor's orders. The date arithmetic
lives in :mod:`darkroom.scheduling`; this module reads the studio's records into a
:class:`~darkroom.scheduling.BusinessCalendar` (selectors) and is the one place that writes
closures and the work week (services), so the UI and the API agree.

The cached calendar
-------------------
Due dates are asked for all the time, so each process keeps the calendars it built and rebuilds
them only when the calendar changed. Before answering, it reads a cheap *calendar key* in one query:
the preferences row by primary key with two aggregates over the small closures table:

* the work week bit mask, whoever saved it (the studio preferences page saves it too);
* ``StudioPreferences.calendar_version``, set to a new random number by :func:`calendar_changed`
  (``calendar_version.py``) on every write here. Random rather than counted: a version written
  by a transaction that was rolled back is never written again, so a calendar cached under it
  can't be taken for a later one;
* the number of closures and the highest closure id, so that closures written any other way (a
  test's factory, the Django admin, a concurrent preferences save writing back an older
  version) still change the key.

The key is read *before* the closures, so a calendar can only ever be cached under a key older
than its data (the next call sees the newer key and rebuilds), never the other way round.
Calendars of other processes are invalidated the same way: every call compares keys.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import holidays
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from darkroom.catalog.models import Vendor
from darkroom.scheduling import BusinessCalendar, closure_range
from darkroom.studio.calendar_version import calendar_changed
from darkroom.studio.models import (
    Closure,
    ClosureSource,
    DueDateMode,
    StudioPreferences,
)
from darkroom.studio.services import studio_preferences_update

HOLIDAY_YEARS = (1900, 2100)
MAX_IMPORT_YEARS = 10
MAX_DAYS_SHOWN = 366  # the longest run of days calendar_days() describes at once

DayKind = Literal["business", "closed", "non_work"]

# -- the cached calendar (see the module docstring) ---------------------------------------------

_CalendarKey = tuple[int, int, int, int | None]


@dataclass(frozen=True)
class _Cached:
    key: _CalendarKey
    studio: BusinessCalendar
    vendors: dict[int, BusinessCalendar]
    # The vendors with closures of their own, once a process asked (see calendars_of_vendors).
    closed_vendors: list[frozenset[int]] = field(default_factory=list)


_cached: _Cached | None = None


@cache
def _key_sql() -> str:
    prefs = StudioPreferences._meta.db_table
    closures = Closure._meta.db_table
    # From a one-row table, so a studio that never saved its preferences still gets a row.
    return (
        f"SELECT p.work_days_mask, p.calendar_version, p.time_zone, p.due_date_mode, "
        f"(SELECT COUNT(*) FROM {closures}), (SELECT MAX(id) FROM {closures}) "
        f"FROM (SELECT 1 AS one) AS studio LEFT JOIN {prefs} p ON p.id = 1"
    )


def _calendar_key() -> tuple[_CalendarKey, str, str]:
    """The calendar key, the studio's time zone and due-date mode, in one query.

    It runs on every status change, so it reads everything a change needs of the studio.
    """
    with connection.cursor() as cursor:
        cursor.execute(_key_sql())
        mask, version, time_zone, mode, count, last = cursor.fetchone()
    if mask is None:  # a studio that never saved preferences: the defaults
        defaults = StudioPreferences()
        mask, version = defaults.work_days_mask, 0
        time_zone, mode = defaults.time_zone, defaults.due_date_mode
    return (mask, version, count, last), time_zone, mode


def _work_days(mask: int) -> frozenset[int]:
    return frozenset(day for day in range(7) if mask >> day & 1)


def _closure_dates(closures: QuerySet[Closure]) -> list[dt.date]:
    dates: list[dt.date] = []
    for first, last in closures.values_list("first_date", "last_date"):
        dates.extend(closure_range(first, last))
    return dates


def _current() -> tuple[_Cached, str, str]:
    global _cached
    key, time_zone, mode = _calendar_key()
    cached = _cached
    if cached is None or cached.key != key:
        mask = key[0]
        studio = BusinessCalendar(
            _work_days(mask), _closure_dates(Closure.objects.filter(vendor__isnull=True))
        )
        cached = _Cached(key=key, studio=studio, vendors={})
        _cached = cached  # one assignment: other threads see the old or the new, both whole
    return cached, time_zone, mode


def _vendor_calendar(cached: _Cached, vendor_id: int) -> BusinessCalendar:
    calendar = cached.vendors.get(vendor_id)
    if calendar is None:
        own = _closure_dates(Closure.objects.filter(vendor_id=vendor_id))
        calendar = cached.studio.with_closures(own) if own else cached.studio
        cached.vendors[vendor_id] = calendar
    return calendar


def studio_calendar() -> BusinessCalendar:
    """The studio's business calendar: its work week minus its own closures (cached)."""
    return _current()[0].studio


def vendor_calendar(vendor: Vendor | int | None) -> BusinessCalendar:
    """The calendar for a vendor's orders: the studio's, plus the vendor's own closures.

    ``None`` gives the studio's calendar. A vendor may be given as a record or an id.
    """
    return calendar_now(vendor).calendar


@dataclass(frozen=True)
class CalendarNow:
    """What a status change needs of the studio: a calendar, today, and the due-date mode."""

    calendar: BusinessCalendar
    today: dt.date
    backward: bool


def _read_vendor_calendars(cached: _Cached, vendor_ids: set[int | None]) -> None:
    """Read the own closures of the vendors not cached yet in one query (not one each)."""
    missing = {v for v in vendor_ids if v is not None and v not in cached.vendors}
    if len(missing) < 2:
        return  # one vendor: _vendor_calendar's own query
    own: dict[int, list[dt.date]] = {v: [] for v in missing}
    rows = Closure.objects.filter(vendor_id__in=missing).values_list(
        "vendor_id", "first_date", "last_date"
    )
    for vendor, first, last in rows:
        own[vendor].extend(closure_range(first, last))
    for vendor, dates in own.items():
        cached.vendors[vendor] = cached.studio.with_closures(dates) if dates else cached.studio


def calendars_now(vendor_ids: Iterable[int | None]) -> dict[int | None, CalendarNow]:
    """:func:`calendar_now` for several vendors (``None``: the studio) from one key query
    (and one more for the closures of vendors this process has not read yet)."""
    cached, time_zone, mode = _current()
    vendor_ids = set(vendor_ids)
    _read_vendor_calendars(cached, vendor_ids)
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    backward = mode == DueDateMode.BACKWARD
    return {
        vendor: CalendarNow(
            calendar=cached.studio if vendor is None else _vendor_calendar(cached, vendor),
            today=today,
            backward=backward,
        )
        for vendor in vendor_ids
    }


@dataclass(frozen=True)
class VendorCalendars:
    """The studio's calendar and today, and the calendars of the vendors with closures of their
    own: every other vendor's orders count on the studio's. ``key`` changes with any of them."""

    studio: CalendarNow
    own: dict[int, BusinessCalendar]
    key: tuple[object, ...]


def calendars_of_vendors() -> VendorCalendars:
    """Every calendar an order can count on (:class:`VendorCalendars`): one query (the calendar
    key), and two more the first time a process asks after the calendar changed."""
    cached, time_zone, mode = _current()
    if not cached.closed_vendors:
        closed = Closure.objects.filter(vendor__isnull=False).values_list("vendor_id", flat=True)
        ids = frozenset(closed.distinct())
        _read_vendor_calendars(cached, set(ids))
        cached.closed_vendors.append(ids)
    ids = cached.closed_vendors[0]
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    studio = CalendarNow(calendar=cached.studio, today=today, backward=mode == DueDateMode.BACKWARD)
    own = {vendor: _vendor_calendar(cached, vendor) for vendor in sorted(ids)}
    return VendorCalendars(studio=studio, own=own, key=(*cached.key, time_zone))


def calendars_as_read(vendor_ids: Iterable[int | None]) -> dict[int | None, BusinessCalendar]:
    """The calendars (``None``: the studio's) as this process last read them, without asking
    the database whether they changed since; a vendor's own closures are read the first time.

    For the status engine's followers only: every status change reads the calendar key first,
    in its own transaction, so right after a change this is the current calendar (as
    ``tracking.status_rows.steps_version`` is the cycle's current version) and a follower
    needs no query of its own. Anything else calls :func:`calendars_now`.
    """
    cached = _cached
    if cached is None:
        return {vendor: clock.calendar for vendor, clock in calendars_now(vendor_ids).items()}
    return {
        vendor: cached.studio if vendor is None else _vendor_calendar(cached, vendor)
        for vendor in set(vendor_ids)
    }


def calendar_now(vendor: Vendor | int | None = None) -> CalendarNow:
    """The calendar (the studio's, or a vendor's), the studio's today and due-date mode.

    One query (the calendar key) unless the calendar changed: the status-change service calls
    this on every change.
    """
    cached, time_zone, mode = _current()
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    if vendor is None:
        calendar = cached.studio
    else:
        calendar = _vendor_calendar(cached, vendor if isinstance(vendor, int) else vendor.pk)
    return CalendarNow(calendar=calendar, today=today, backward=mode == DueDateMode.BACKWARD)


# -- reads for the calendar pages and the API ----------------------------------------------------


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


def country_name(code: str) -> str:
    """A country's English name ("United States" for "US"); the code when there is no name."""
    return _country_names().get(code.upper(), code.upper())


def holiday_countries() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every country the holidays import knows: (code, name, subdivision codes), by name."""
    supported = holidays.list_supported_countries()
    names = _country_names()
    rows = [(code, names[code], tuple(supported.get(code, ()))) for code in names]
    return sorted(rows, key=lambda row: row[1])


@cache
def _country_names() -> dict[str, str]:
    """Two-letter code -> English name, from the holidays package's registry of countries.

    The registry names each country by its class ("UnitedStates", "AntiguaAndBarbuda"); spacing
    those words is enough for a select list, and avoids importing 250 country modules.
    """
    from holidays.registry import COUNTRIES

    supported = holidays.list_supported_countries()
    names = {}
    for class_name, code, *_aliases in COUNTRIES.values():
        if code not in supported:
            continue
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", class_name)
        names[code] = re.sub(r"\b(And|Of|The|Da)\b", lambda m: m.group(0).lower(), spaced)
    return names


# -- writes --------------------------------------------------------------------------------------


@transaction.atomic
def work_week_update(
    *, work_days: Iterable[int], due_date_mode: DueDateMode | str | None = None
) -> StudioPreferences:
    """Set the days of the work week (Monday = 0 ... Sunday = 6) and, if given, the due-date mode.

    At least one day is needed: with an empty work week no date could ever be due.
    """
    try:
        days = {int(day) for day in work_days}
    except (TypeError, ValueError):
        raise ValidationError(
            {"work_days": "Work days are weekday numbers, 0 (Monday) to 6."}
        ) from None
    if not days:
        raise ValidationError(
            {"work_days": "The work week needs at least one day: without one, nothing is ever due."}
        )
    if not days <= set(range(7)):
        raise ValidationError({"work_days": "Work days are weekday numbers, 0 (Monday) to 6."})
    changes: dict[str, object] = {"work_days_mask": sum(1 << day for day in days)}
    if due_date_mode is not None:
        if due_date_mode not in DueDateMode.values:
            raise ValidationError(
                {"due_date_mode": f"Due-date mode is one of {', '.join(DueDateMode.values)}."}
            )
        changes["due_date_mode"] = str(due_date_mode)
    try:
        prefs = studio_preferences_update(**changes)
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "work_days_mask" in exc.error_dict:
            exc.error_dict["work_days"] = exc.error_dict.pop("work_days_mask")
        raise
    return prefs  # studio_preferences_update called calendar_changed() if the week changed


@transaction.atomic
def closure_add(
    *,
    first_date: dt.date,
    last_date: dt.date | None = None,
    label: str,
    vendor: Vendor | None = None,
) -> Closure:
    """Close the studio (or, with ``vendor``, that vendor) on a date or from ``first_date`` to
    ``last_date``. The same closure twice is refused."""
    closure = Closure(
        first_date=first_date,
        last_date=last_date if last_date is not None else first_date,
        label=(label or "").strip(),
        source=ClosureSource.MANUAL,
        vendor=vendor,
    )
    closure.full_clean()
    twin = Closure.objects.filter(
        vendor=vendor,
        first_date=closure.first_date,
        last_date=closure.last_date,
        label__iexact=closure.label,
    )
    if twin.exists():
        raise ValidationError("This closure is already on the calendar.")
    closure.save()
    calendar_changed()
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure) -> None:
    """Open the studio (or the vendor) again on the closure's dates."""
    Closure.objects.filter(pk=closure.pk).delete()
    calendar_changed()


@transaction.atomic
def holidays_import(
    *,
    country: str,
    subdivision: str | None = None,
    years: Iterable[int],
    vendor: Vendor | None = None,
) -> int:
    """Add a country's (or a region's) public holidays for the given years as closures.

    Returns how many closures were added. Importing again adds nothing new: a holiday is skipped
    when the same owner (studio or vendor) already has a single-day closure on that date with the
    same name -- so importing "US" and then "US"/"CA" adds only California's own holidays.
    """
    code, region = _holiday_region(country, subdivision)
    wanted = _import_years(years)
    try:
        found = holidays.country_holidays(
            code, subdiv=region or None, years=wanted, language=_english(code)
        )
    except (NotImplementedError, KeyError, ValueError) as exc:  # refused by the package itself
        raise ValidationError(
            {"country": f"Holidays for {code} can't be imported: {exc}"}
        ) from None
    existing = {
        (first, label.casefold())
        for first, label in Closure.objects.filter(vendor=vendor, first_date__in=list(found.keys()))
        .filter(last_date=F("first_date"))
        .values_list("first_date", "label")
    }
    label_length = Closure._meta.get_field("label").max_length or 200
    new = []
    for day, name in sorted(found.items()):
        label = str(name)[:label_length]
        if (day, label.casefold()) in existing:
            continue
        existing.add((day, label.casefold()))
        new.append(
            Closure(
                first_date=day,
                last_date=day,
                label=label,
                source=ClosureSource.HOLIDAYS,
                country=code,
                subdivision=region,
                vendor=vendor,
            )
        )
    Closure.objects.bulk_create(new)
    if new:
        calendar_changed()
    return len(new)


def _holiday_region(country: str, subdivision: str | None) -> tuple[str, str]:
    """The country and subdivision codes as the holidays package spells them, or a clear refusal."""
    supported = holidays.list_supported_countries()
    code = (country or "").strip().upper()
    if code not in supported:
        raise ValidationError(
            {
                "country": f"“{country}” is not a country Darkroom knows holidays for. Use its "
                "two-letter ISO 3166 code, e.g. US, GB, DE, FR or AU: the Import holidays form "
                "lists every country with its code, and so does GET /api/v1/calendar/holiday-"
                "countries."
            }
        )
    code = _two_letter(code)
    region = (subdivision or "").strip()
    if not region:
        return code, ""
    codes = [str(c) for c in supported[code]]
    by_upper = {c.upper(): c for c in codes}
    if region.upper() in by_upper:
        return code, by_upper[region.upper()]
    aliases = getattr(holidays.country_holidays(code), "subdivisions_aliases", {}) or {}
    for alias, alias_code in aliases.items():
        if alias.casefold() == region.casefold():
            return code, str(alias_code)
    name = f"{country_name(code)} ({code})"
    if not codes:
        hint = f"{name} has no subdivisions in the holidays import: leave it empty."
    else:
        hint = f"Use one of: {', '.join(codes)}."
    raise ValidationError({"subdivision": f"“{region}” is not a subdivision of {name}. {hint}"})


def _two_letter(code: str) -> str:
    """The alpha-2 code for an alpha-3 one (USA -> US), so closures say where they came from the
    same way whichever was typed."""
    if len(code) == 2:
        return code
    from holidays.registry import COUNTRIES

    for _class_name, alpha2, *aliases in COUNTRIES.values():
        if code in aliases:
            return alpha2
    return code


def _import_years(years: Iterable[int]) -> list[int]:
    low, high = HOLIDAY_YEARS
    try:
        wanted = sorted({int(year) for year in years})
    except (TypeError, ValueError):
        raise ValidationError({"years": "Years are numbers, e.g. 2026."}) from None
    if not 1 <= len(wanted) <= MAX_IMPORT_YEARS:
        raise ValidationError(
            {"years": f"Import between 1 and {MAX_IMPORT_YEARS} years at a time."}
        )
    if wanted[0] < low or wanted[-1] > high:
        raise ValidationError({"years": f"Years must be between {low} and {high}."})
    return wanted


def _english(code: str) -> str | None:
    """English holiday names where the package has them (the pages are in English)."""
    entity = holidays.country_holidays(code)
    if (entity.default_language or "").startswith("en"):
        return None
    languages = getattr(entity, "supported_languages", ()) or ()
    for language in ("en_US", "en_GB"):
        if language in languages:
            return language
    return None
