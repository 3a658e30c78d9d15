"""A record's schedule: the due date of the status it enters and when it should be done.

Every writer that puts a record in a status (a start, a change, a move to another cycle, a
recompute after the calendar changed, a due date moved by hand) computes these the same way, on
the record's own calendar (its vendor's closures, else the studio's), so a due date never
depends on which page wrote it. The status-change form asks here too, for the date it proposes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.scheduling import (
    BusinessCalendar,
    CalendarError,
    Step,
    project_forward,
    schedule_backward,
)
from darkroom.studio.calendar import CalendarNow, calendar_now
from darkroom.tracking.models import Cycle, Status, TrackedRecord
from darkroom.tracking.standing import remaining_days
from darkroom.tracking.status_rows import steps_of


def record_clock(record: TrackedRecord) -> CalendarNow:
    """The calendar a record's due dates count on (its vendor's, else the studio's), and today."""
    return calendar_now(record.tracking_vendor_id())


def _open_steps(steps: list[Status]) -> list[Status]:
    return [step for step in steps if not step.is_inactive and not step.is_final]


def scheduled_due_date(
    *,
    record: TrackedRecord,
    steps: list[Status],
    status: Status,
    entered_on: dt.date,
    calendar: BusinessCalendar,
    backward: bool,
) -> dt.date | None:
    """The due date of ``status`` for a record entering it on ``entered_on``; None when final.

    Forward mode: ``due(entered_on, duration)``. Backward mode (a studio preference) applies to
    records that are backward-scheduled (production orders) and have a promised date: the
    cycle's active non-final ``steps`` are scheduled back from that date and ``status`` gets its
    step's date. A record without a promised date, or in a step that is no longer active, falls
    back to forward mode.
    """
    if status.is_final:
        return None
    try:
        promised = record.promised_delivery() if backward and record.BACKWARD_SCHEDULED else None
        if promised is not None:
            open_steps = _open_steps(steps)
            keys = [step.pk for step in open_steps]
            if status.pk in keys:
                chain = [Step(step.pk, step.default_duration) for step in open_steps]
                return schedule_backward(calendar, chain, promised)[keys.index(status.pk)]
        return calendar.due(entered_on, status.default_duration)
    except CalendarError as exc:
        raise ValidationError({"date_completed": f"No due date can be computed: {exc}"}) from None


def projected_completion(
    *, steps: list[Status], status: Status, due: dt.date | None, calendar: BusinessCalendar
) -> dt.date | None:
    """When a record in ``status`` (due ``due``) should be done: the remaining active steps'
    durations chained forward from ``due``. None once final (it is done)."""
    if status.is_final or due is None:
        return None
    keys = [step.pk for step in steps]
    after = steps[keys.index(status.pk) + 1 :] if status.pk in keys else []
    chain = [Step(step.pk, step.default_duration) for step in _open_steps(after)]
    try:
        return project_forward(calendar, due, chain).completion
    except CalendarError:
        return None  # beyond the calendar's last year: no projection rather than no change


def projection(
    *, steps: list[Status], status: Status, due: dt.date | None, calendar: BusinessCalendar
) -> dict[str, Any]:
    """The projection columns of a record in ``status`` due ``due``: the projected completion
    and the business days from the due date to it (``tracking/standing.py`` reads both)."""
    projected = projected_completion(steps=steps, status=status, due=due, calendar=calendar)
    return {
        "projected_completion": projected,
        "remaining_days": remaining_days(due=due, projected=projected, calendar=calendar),
    }


def proposed_due_date(
    *, record: TrackedRecord, status: Status, entered_on: dt.date
) -> dt.date | None:
    """The due date a change of ``record`` to ``status`` on ``entered_on`` would get: what the
    status-change form proposes before the person decides (None if it can't be computed)."""
    clock = record_clock(record)
    cycle = Cycle.objects.only("version").get(pk=status.cycle_id)
    try:
        return scheduled_due_date(
            record=record,
            steps=steps_of(cycle.pk, cycle.version),
            status=status,
            entered_on=entered_on,
            calendar=clock.calendar,
            backward=clock.backward,
        )
    except ValidationError:
        return None
