"""A status change: a record moves to another status of its cycle (ARCHITECTURE rule 2).

The studio's most frequent write, so it is a handful of queries: the studio's calendar key
(with today and the due-date mode), the record with its status, the cycle's steps (cached per
cycle version), one UPDATE that also re-checks the version, one INSERT of the history row. The
rules are :func:`~darkroom.tracking.services.change_rules.plan_change`'s, shared with the bulk
change. Bad input raises ValidationError (keyed by field) or a DarkroomError and writes nothing.

It ends by telling the engine's followers (``tracking.followers``: production automation, then
the trigger planner) in its transaction, so what they do lands or rolls back with the change.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from darkroom.errors import DarkroomError
from darkroom.studio.models import Department
from darkroom.tracking.followers import tell_status_followers
from darkroom.tracking.models import Status, StatusNote, TrackedRecord
from darkroom.tracking.services.change_rules import (
    check_change_input,
    check_updated_by,
    plan_change,
)
from darkroom.tracking.services.plan import (
    DEFAULT,
    check_version,
    conflict,
    record_name,
    write_plan,
)
from darkroom.tracking.services.schedule import record_clock
from darkroom.tracking.status_rows import read_record, steps_of


def status_change(
    *,
    record: TrackedRecord,
    expected_version: int,
    updated_by: AbstractBaseUser,
    entered_by: AbstractBaseUser | None = None,
    to_status: Status | None = None,
    date_completed: dt.date | None = None,
    due_date: dt.date | None = None,
    department: Department | None = DEFAULT,
    user: AbstractBaseUser | None = DEFAULT,
    note: str = "",
    current_not_complete: bool = False,
) -> StatusNote:
    """Move a record to another status of its cycle (the rules are :func:`plan_change`'s).

    ``date_completed`` (when the current step ended) defaults to the studio's today and may not
    be after it. ``expected_version`` is the version the person saw: if the record changed
    since, this is a Conflict and nothing is written. ``updated_by`` is who did the step (the
    person entering it, ``entered_by``, unless they record someone else's work: then any
    person who can sign in).
    """
    check_version(expected_version)
    check_updated_by(updated_by, entered_by)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise conflict(record)
        clock = record_clock(fresh)
        completed = check_change_input(
            date_completed=date_completed, due_date=due_date, today=clock.today
        )
        if fresh.status_id is None:
            raise DarkroomError(
                f"{record_name(record)} has not entered its status cycle yet.", code="not_started"
            )
        steps = steps_of(fresh.cycle_of_status, fresh.cycle_version)
        fresh.status = next(step for step in steps if step.pk == fresh.status_id)
        plan = plan_change(
            record=fresh,
            steps=steps,
            clock=clock,
            updated_by=updated_by,
            entered_by=entered_by,
            to_status=to_status,
            date_completed=completed,
            due_date=due_date,
            department=department,
            user=user,
            note=note,
            current_not_complete=current_not_complete,
            now=timezone.now(),
        )
        note_row = write_plan(fresh, plan, expected_version)
        tell_status_followers(model, [(fresh, note_row, fresh.version)], updated_by)
    for name in (*plan.changes, "version"):
        setattr(record, name, getattr(fresh, name))
    return note_row
