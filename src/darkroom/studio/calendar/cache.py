"""The studio's business calendar as every due date reads it, cached per process.

Due dates are asked for all the time, so each process keeps the calendars it built and rebuilds
them only when the calendar changed. Before answering, it reads a cheap *calendar key* in one query:
the preferences row by primary key with two aggregates over the small closures table:

* the work week bit mask, whoever saved it (the studio preferences page saves it too);
* ``StudioPreferences.calendar_version``, set to a new random number by ``calendar_changed``
  (``calendar_version.py``) on every write of ``writes.py``. Random rather than counted: a
  version written by a transaction that was rolled back is never written again, so a calendar
  cached under it can't be taken for a later one;
* the number of closures and the highest closure id, so that closures written any other way (a
  test's factory, the Django admin, a concurrent preferences save writing back an older
  version) still change the key.

The key is read *before* the closures, so a calendar can only ever be cached under a key older
than its data (the next call sees the newer key and rebuilds), never the other way round.
Calendars of other processes are invalidated the same way: every call compares keys.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from darkroom.catalog.models import Vendor
from darkroom.scheduling import BusinessCalendar, closure_range
from darkroom.studio.models import Closure, DueDateMode, StudioPreferences

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
