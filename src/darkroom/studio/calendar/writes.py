"""The one place that writes the studio's work week and closures (its own and its vendors'),
so the pages and the API agree.

Every write here calls :func:`calendar_changed` (``studio/calendar_version.py``) in its
transaction: the calendar gets a new version, every process rebuilds its cached calendar
(``cache.py``), and the open records' due dates are recomputed by the worker. Holidays
imported as closures: ``holidays.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.catalog.models import Vendor
from darkroom.studio.calendar_version import calendar_changed
from darkroom.studio.models import Closure, ClosureSource, DueDateMode, StudioPreferences
from darkroom.studio.services import studio_preferences_update


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
