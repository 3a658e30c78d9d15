"""The remaining business days of open records whose projection was stored without them.

The status engine stores a record's ``remaining_days`` beside its projected completion
(``tracking/standing.py`` says why). Records projected before that column existed get it here,
once, from the two dates they have: the business days from the current due date to the
projection, on the record's calendar as it is now (which the projection was made on, unless
the calendar changed since: then the recompute that follows writes both again). So does a
studio written in bulk without the engine (``sample_data/scale``).

Only open records are read (finished ones have no projection), a value is computed per
record in Python, and the records are written a few hundred at a time per number of days,
so a million-order studio with fifty thousand open takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from darkroom.scheduling import BusinessCalendar, closure_range
from darkroom.studio.calendar.cache import vendor_calendar
from darkroom.tracking.models import tracked_models
from darkroom.tracking.standing import remaining_days

CHUNK = 500  # ids per UPDATE: under SQLite's limit of parameters


def remaining_days_fill(
    model: Any, *, vendor_field: str | None, calendar_of: Callable[[Any], BusinessCalendar]
) -> int:
    """Store the remaining days of ``model``'s open records that have a projection and none
    yet; how many were written. ``calendar_of(vendor_id)``: the calendar of a vendor's records
    (None: the studio's). Works on a migration's model as on the app's."""
    columns = ["id", "status_due_date", "projected_completion"]
    if vendor_field is not None:
        columns.append(f"{vendor_field}_id")
    rows = model.objects.filter(
        completed_date__isnull=True,
        remaining_days__isnull=True,
        status_due_date__isnull=False,
        projected_completion__isnull=False,
    ).values_list(*columns)
    ids_by_days: dict[int, list[int]] = {}
    calendars: dict[Any, BusinessCalendar] = {}
    for pk, due, projected, *vendor in rows.iterator(chunk_size=5000):
        key = vendor[0] if vendor else None
        if key not in calendars:
            calendars[key] = calendar_of(key)
        days = remaining_days(due=due, projected=projected, calendar=calendars[key])
        if days is not None:
            ids_by_days.setdefault(days, []).append(pk)
    written = 0
    for days, ids in ids_by_days.items():
        for start in range(0, len(ids), CHUNK):
            written += model.objects.filter(pk__in=ids[start : start + CHUNK]).update(
                remaining_days=days
            )
    return written


def calendars_from(
    work_days_mask: int, closures: Iterable[tuple[Any, dt.date, dt.date]]
) -> Callable[[Any], BusinessCalendar]:
    """``calendar_of`` for :func:`remaining_days_fill` from the work week's mask and the
    closures as (vendor id or None, first date, last date): as ``studio/calendar.py`` builds
    them, for a migration that can't call it (it reads the app's models, not the migration's)."""
    studio_days: list[dt.date] = []
    own: dict[Any, list[dt.date]] = {}
    for vendor, first, last in closures:
        (studio_days if vendor is None else own.setdefault(vendor, [])).extend(
            closure_range(first, last)
        )
    studio = BusinessCalendar(
        frozenset(day for day in range(7) if work_days_mask >> day & 1), studio_days
    )

    def calendar_of(vendor: Any) -> BusinessCalendar:
        dates = own.get(vendor)
        return studio.with_closures(dates) if dates else studio

    return calendar_of


def open_records_fill() -> int:
    """:func:`remaining_days_fill` of every kind of tracked record, on the studio's calendars
    as they are now: after a studio is written in bulk (``darkroom seed-scale``)."""
    return sum(
        remaining_days_fill(model, vendor_field=model.VENDOR_FIELD, calendar_of=vendor_calendar)
        for model in tracked_models()
    )
