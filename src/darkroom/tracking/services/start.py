"""Starting records: a new record enters its cycle's initial status.

Every tracked record starts once, when it is made (a session booked, an invoice written, the
orders an invoice creates): ``record_start`` for one, ``records_create_started`` for many made
together, which inserts the records already started so an invoice batch's hundreds of orders
cost a few statements rather than a start each. Both write the "start" history row and tell the
followers, as any status entered does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.calendar import CalendarNow, calendars_now
from darkroom.tracking import events
from darkroom.tracking.followers import tell_status_followers
from darkroom.tracking.models import Cycle, StatusNote, TrackedRecord
from darkroom.tracking.selectors import cycle_for, cycles_for
from darkroom.tracking.services.plan import (
    Plan,
    check_date,
    check_version,
    conflict,
    record_name,
    write_plan,
)
from darkroom.tracking.services.schedule import projection, record_clock, scheduled_due_date
from darkroom.tracking.status_rows import NoteRows, insert_rows, steps_of


def plan_start(
    *,
    record: TrackedRecord,
    cycle: Cycle,
    clock: CalendarNow,
    started_on: dt.date,
    by: AbstractBaseUser | None,
    now: dt.datetime,
) -> Plan:
    """What entering ``cycle``'s initial status on ``started_on`` writes: the status columns and
    the first history row (kind "start", no "from")."""
    if started_on > clock.today:
        raise ValidationError(
            {"started_on": f"The start date can't be after today ({clock.today:%Y-%m-%d})."}
        )
    steps = steps_of(cycle.pk, cycle.version)
    initial = next((step for step in steps if step.is_initial), None)
    if initial is None:
        raise DarkroomError(f"The cycle {cycle} has no initial status yet.", code="no_initial")
    due = scheduled_due_date(
        record=record,
        steps=steps,
        status=initial,
        entered_on=started_on,
        calendar=clock.calendar,
        backward=clock.backward,
    )
    changes = {
        "status": initial,
        "status_entered_on": started_on,
        "status_due_date": due,
        "status_due_overridden": False,
        "status_department": initial.default_department,
        "status_user": initial.default_user,
        "status_changed_at": now,
        "completed_by": None,
        "completed_date": None,
        **projection(steps=steps, status=initial, due=due, calendar=clock.calendar),
    }
    history = events.started(record=record, status=initial, on=started_on, due=due, by=by, now=now)
    return Plan(changes=changes, note=history)


def record_start(
    *,
    record: TrackedRecord,
    started_on: dt.date,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> StatusNote:
    """Put a new record in its cycle's initial status, due ``due(started_on, duration)``.

    Writes the record's first history row (kind "start", no "from"). A record that already has
    a status is refused: it changes status through ``status_change``. ``started_on`` can't be
    after the studio's today; with ``expected_version`` (what a person saw) a record changed
    since is a Conflict, checked in the same UPDATE that writes the status.
    """
    check_date(started_on, "started_on")
    if expected_version is not None:
        check_version(expected_version)
    with transaction.atomic():
        fresh = type(record)._default_manager.get(pk=record.pk)
        clock = record_clock(fresh)
        if fresh.status_id is not None:
            raise Conflict(f"{record_name(record)} has already entered its status cycle.")
        if expected_version is not None and fresh.version != expected_version:
            raise conflict(record)
        plan = plan_start(
            record=fresh,
            cycle=cycle_for(fresh),
            clock=clock,
            started_on=started_on,
            by=by,
            now=timezone.now(),
        )
        note_row = write_plan(record, plan, fresh.version)
        tell_status_followers(type(record), [(record, note_row, record.version)], by)
        return note_row


def records_create_started(
    *, records: Sequence[TrackedRecord], started_on: dt.date, by: AbstractBaseUser
) -> None:
    """Create new records (unsaved, all of one model) already in their cycle's initial status,
    with their first history rows: one INSERT for the records and one for the history.

    The fast path for records made many at a time (an invoice's or a batch of invoices'
    production orders); each gets exactly what saving it and then ``record_start`` would give
    it, version 2 included. The records are inserted as prepared rows (``insert_rows``), a few
    hundred per statement.
    """
    if not records:
        return
    check_date(started_on, "started_on")
    model = type(records[0])
    now = timezone.now()
    plans = []
    with transaction.atomic():
        clocks = calendars_now(record.tracking_vendor_id() for record in records)
        for record, cycle in zip(records, cycles_for(records), strict=True):
            plan = plan_start(
                record=record,
                cycle=cycle,
                clock=clocks[record.tracking_vendor_id()],
                started_on=started_on,
                by=by,
                now=now,
            )
            for name, value in plan.changes.items():
                setattr(record, name, value)
            record.version = 2  # created, then started
            plans.append(plan)
        insert_rows(records)
        notes = NoteRows()
        for record, plan in zip(records, plans, strict=True):
            plan.note.object_id = record.pk
            notes.add_note(plan.note)
        notes.insert()
        tell_status_followers(
            model,
            (
                (record, plan.note, record.version)
                for record, plan in zip(records, plans, strict=True)
            ),
            by,
        )
