"""The status-change service: the only code that writes a record's status (ARCHITECTURE rule 2).

``record_start`` puts a new record in its cycle's initial status; ``status_change`` moves it to
another status; ``darkroom.tracking.bulk`` moves many at once with the same planning code
(:func:`plan_change`). Each runs in one transaction that checks the record's version (a stale
version is a Conflict and nothing is written), validates against the record's own cycle,
computes the due date and the projected completion on the record's calendar, writes only the
status fields and appends a StatusNote.

A change is a handful of queries: the studio's calendar key (with today and the due-date mode),
the record with its status, the cycle's steps, one UPDATE that also re-checks the version, one
INSERT of the note. Bad input raises ValidationError (keyed by field) or a DarkroomError, and
writes nothing.

Each write ends by calling the engine's followers (``tracking.followers``: production
automation, then the trigger planner) in its transaction, so what they do lands or rolls back
with the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.scheduling import (
    BusinessCalendar,
    CalendarError,
    Step,
    project_forward,
    schedule_backward,
)
from darkroom.studio.calendar import CalendarNow, calendar_now, calendars_now
from darkroom.studio.models import Department
from darkroom.tracking.cycles import cycle_for, cycles_for
from darkroom.tracking.followers import tell_status_followers
from darkroom.tracking.models import Cycle, NoteKind, Status, StatusNote, TrackedRecord
from darkroom.tracking.selectors import next_step
from darkroom.tracking.standing import remaining_days
from darkroom.tracking.status_rows import (
    NoteRows,
    insert_note,
    insert_rows,
    read_record,
    steps_of,
    write_status,
)


class _Default:
    """Marks "not given": take the new status's default (``None`` means "nobody")."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final[Any] = _Default()

STATUS_COLUMNS = [
    "status",
    "status_entered_on",
    "status_due_date",
    "status_due_overridden",
    "status_department",
    "status_user",
    "status_changed_at",
    "completed_by",
    "completed_date",
    "projected_completion",
    "remaining_days",
]


def record_clock(record: TrackedRecord) -> CalendarNow:
    """The calendar a record's due dates count on (its vendor's, else the studio's), and today."""
    return calendar_now(record.tracking_vendor_id())


# -- due dates and projections -------------------------------------------------------------------


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


# -- planning a change ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What one change will write: the record's new status columns and its history row."""

    changes: dict[str, Any]
    note: StatusNote


def record_name(record: TrackedRecord) -> str:
    """ "This session": messages appear beside the record (or its row in a bulk report)."""
    return f"This {record._meta.verbose_name}"


def _check_date(value: object, field: str) -> None:
    if type(value) is not dt.date:
        raise ValidationError({field: "Give a date (YYYY-MM-DD)."})


def check_change_input(
    *, date_completed: dt.date | None, due_date: dt.date | None, today: dt.date
) -> dt.date:
    """The date completed (default today), checked with the due date: the same for every record."""
    if date_completed is None:
        date_completed = today
    _check_date(date_completed, "date_completed")
    if due_date is not None:
        _check_date(due_date, "due_date")
    if date_completed > today:
        raise ValidationError(
            {"date_completed": f"The date completed can't be after today ({today:%Y-%m-%d})."}
        )
    return date_completed


def _check_assignees(
    department: Department | None, user: AbstractBaseUser | None, to_status: Status
) -> None:
    """Someone other than the status's default must still be current."""
    errors = {}
    if (
        department is not None
        and department.pk != to_status.default_department_id
        and department.is_inactive
    ):
        errors["department"] = f"“{department}” is inactive; choose another department."
    if user is not None and user.pk != to_status.default_user_id and not user.is_active:
        errors["user"] = f"“{user}” can no longer sign in; choose someone else."
    if errors:
        raise ValidationError(errors)


def check_updated_by(updated_by: object, entered_by: AbstractBaseUser | None) -> None:
    """Who did the step: the person entering it, or any person who can still sign in (the
    front desk records the retoucher's work)."""
    if entered_by is None:
        return  # the person entering it did it
    if not isinstance(updated_by, AbstractBaseUser):
        raise ValidationError({"updated_by": "Choose who did the step."})
    if updated_by.pk == entered_by.pk:
        return
    if not updated_by.is_active:
        name = updated_by.get_full_name() or updated_by.get_username()  # type: ignore[attr-defined]
        raise ValidationError(
            {"updated_by": f"“{name}” can no longer sign in; choose someone else."}
        )


def entered_by_other(
    updated_by: AbstractBaseUser, entered_by: AbstractBaseUser | None
) -> AbstractBaseUser | None:
    """What the history row keeps as "entered by": only someone other than who did the step."""
    return entered_by if entered_by is not None and entered_by.pk != updated_by.pk else None


def plan_change(
    *,
    record: TrackedRecord,
    steps: list[Status],
    clock: CalendarNow,
    updated_by: AbstractBaseUser,
    entered_by: AbstractBaseUser | None = None,
    to_status: Status | None,
    date_completed: dt.date,
    due_date: dt.date | None,
    department: Department | None,
    user: AbstractBaseUser | None,
    note: str,
    current_not_complete: bool,
    now: dt.datetime,
) -> Plan:
    """Validate one change of ``record`` (read fresh, with its status) and say what to write.

    ``steps`` are the steps of the record's cycle, in order, as stored now. The rules of the
    status-change form:

    * ``to_status`` defaults to the next active step after the current one; it must be an
      active step of the record's own cycle and differ from the current one. Moving back
      (rework) is allowed.
    * ``date_completed`` may not be before the day the record entered its current status.
    * The due date is computed (forward, or backward from the promised date); a ``due_date``
      given and different from the computed one is an override, kept as given and flagged (it
      may not be before ``date_completed``). The final status has no due date.
    * ``department``/``user`` default to the new status's defaults; ``None`` assigns nobody.
    * Entering the final status records who completed the record and when; leaving it reopens.
    * ``updated_by`` is who did the step (they complete the record); ``entered_by`` who entered
      the change, kept on the history row when it is someone else.
    """
    current = record.status
    if current is None:
        raise DarkroomError(
            f"{record_name(record)} has not entered its status cycle yet.", code="not_started"
        )
    if to_status is None:
        to_status = next_step(steps, current)
        if to_status is None:
            raise ValidationError(
                {"to_status": f"“{current}” is the last active status: choose one to go to."}
            )
    else:
        stored = next((step for step in steps if step.pk == to_status.pk), None)
        if stored is None:
            raise ValidationError(
                {"to_status": f"“{to_status}” is a status of another cycle, not this record's."}
            )
        to_status = stored
    if to_status.is_inactive:
        raise ValidationError({"to_status": f"“{to_status}” is inactive; choose an active status."})
    if to_status.pk == current.pk:
        raise ValidationError({"to_status": f"{record_name(record)} is already “{current}”."})
    entered_on = record.status_entered_on
    if entered_on is not None and date_completed < entered_on:
        raise ValidationError(
            {
                "date_completed": "The date completed can't be before the record entered "
                f"“{current}” ({entered_on:%Y-%m-%d})."
            }
        )
    calendar = clock.calendar
    computed = scheduled_due_date(
        record=record,
        steps=steps,
        status=to_status,
        entered_on=date_completed,
        calendar=calendar,
        backward=clock.backward,
    )
    overridden = False
    if due_date is not None and due_date != computed:
        if to_status.is_final:
            raise ValidationError({"due_date": "The final status has no due date."})
        if due_date < date_completed:
            raise ValidationError({"due_date": "The due date can't be before the date completed."})
        overridden = True
    due = due_date if overridden else computed
    if department is DEFAULT:
        department = to_status.default_department
    if user is DEFAULT:
        user = to_status.default_user
    _check_assignees(department, user, to_status)
    changes: dict[str, Any] = {
        "status": to_status,
        "status_entered_on": date_completed,
        "status_due_date": due,
        "status_due_overridden": overridden,
        "status_department": department,
        "status_user": user,
        "status_changed_at": now,
        **projection(steps=steps, status=to_status, due=due, calendar=calendar),
    }
    if to_status.is_final:
        changes["completed_by"] = updated_by
        changes["completed_date"] = date_completed
    elif current.is_final:
        changes["completed_by"] = None
        changes["completed_date"] = None
    history = StatusNote(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=NoteKind.CHANGE,
        from_status=current,
        to_status=to_status,
        date_completed=date_completed,
        not_complete=bool(current_not_complete),
        due_date=due,
        due_overridden=overridden,
        updated_by=updated_by,
        entered_by=entered_by_other(updated_by, entered_by),
        department=department,
        user=user,
        note=(note or "").strip(),
        changed_at=now,
        business_days_taken=(
            calendar.business_days_between(entered_on, date_completed)
            if entered_on is not None
            else None
        ),
        planned_duration=current.default_duration,
    )
    return Plan(changes=changes, note=history)


def _check_version(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    return value


def _conflict(record: TrackedRecord) -> Conflict:
    return Conflict(
        f"{record_name(record)} was changed by someone else since you opened it. "
        "Reload it to see their change, then make yours again."
    )


def _write(record: TrackedRecord, plan: Plan, expected_version: int) -> StatusNote:
    """Write the plan if the record is still at ``expected_version``; else a Conflict.

    The conditional UPDATE re-checks the version at write time (on PostgreSQL it waits for a
    concurrent writer and then sees its new version), so of two people changing the record at
    once the second gets a Conflict and nothing of theirs is written.
    """
    if not write_status(type(record), plan.changes, record.pk, expected_version):
        raise _conflict(record)
    for name, value in plan.changes.items():
        setattr(record, name, value)
    record.version = expected_version + 1
    return insert_note(plan.note)


# -- the services ------------------------------------------------------------------------------


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
    history = StatusNote(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=NoteKind.START,
        from_status=None,
        to_status=initial,
        date_completed=started_on,
        due_date=due,
        updated_by=by,
        department=initial.default_department,
        user=initial.default_user,
        changed_at=now,
    )
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
    _check_date(started_on, "started_on")
    if expected_version is not None:
        _check_version(expected_version)
    with transaction.atomic():
        fresh = type(record).objects.get(pk=record.pk)
        clock = record_clock(fresh)
        if fresh.status_id is not None:
            raise Conflict(f"{record_name(record)} has already entered its status cycle.")
        if expected_version is not None and fresh.version != expected_version:
            raise _conflict(record)
        plan = plan_start(
            record=fresh,
            cycle=cycle_for(fresh),
            clock=clock,
            started_on=started_on,
            by=by,
            now=timezone.now(),
        )
        note_row = _write(record, plan, fresh.version)
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
    _check_date(started_on, "started_on")
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
    _check_version(expected_version)
    check_updated_by(updated_by, entered_by)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise _conflict(record)
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
        note_row = _write(fresh, plan, expected_version)
        tell_status_followers(model, [(fresh, note_row, fresh.version)], updated_by)
    for name in (*plan.changes, "version"):
        setattr(record, name, getattr(fresh, name))
    return note_row


def _same_step(steps: list[Status], current: Status) -> Status | None:
    """The active, non-final step of ``steps`` named as ``current`` is (case and spaces aside)."""
    name = " ".join(current.description.split()).casefold()
    return next(
        (
            step
            for step in steps
            if not step.is_inactive
            and not step.is_final
            and " ".join(step.description.split()).casefold() == name
        ),
        None,
    )


def record_cycle_move(
    *,
    record: TrackedRecord,
    expected_version: int,
    cycle: Cycle,
    also: dict[str, Any],
    updated_by: AbstractBaseUser,
    words: str,
) -> StatusNote:
    """Move a record to another cycle, writing ``also`` (what makes it follow that cycle: an
    order's new type) with its status columns in one version-checked UPDATE; the history row.

    The rule for the status (the user guide says it in the studio's words):

    * the new cycle has an active step named as the current one ("Retouch" in both): the
      record stays in that step -- the day it entered it, who holds it, and a due date set
      by hand are kept; a computed due date is computed again by the new step's duration;
    * otherwise it starts again at the new cycle's initial status today, with that status's
      department and person.

    A record in its final status can't move (``final``): it is finished as it was. The history
    row (kind "edit") names both statuses and carries ``words`` (what changed and why). The
    status followers are told, as for any status entered.
    """
    _check_version(expected_version)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise _conflict(record)
        if fresh.status_id is None:
            raise DarkroomError(
                f"{record_name(record)} has not entered its status cycle yet.", code="not_started"
            )
        current = next(
            step
            for step in steps_of(fresh.cycle_of_status, fresh.cycle_version)
            if step.pk == fresh.status_id
        )
        if current.is_final:
            raise DarkroomError(
                f"{record_name(record)} is “{current}”, its final status: it is finished as it "
                "was and can't follow another cycle.",
                code="final",
            )
        clock = record_clock(fresh)
        steps = steps_of(cycle.pk, cycle.version)
        target = _same_step(steps, current)
        now = timezone.now()
        if target is not None:
            entered_on = fresh.status_entered_on or clock.today
            department: Any = fresh.status_department_id
            user: Any = fresh.status_user_id
            overridden = bool(fresh.status_due_overridden)
            kept = f"status “{current}” kept"
        else:
            target = next((step for step in steps if step.is_initial), None)
            if target is None:
                raise DarkroomError(
                    f"The cycle {cycle} has no initial status yet.", code="no_initial"
                )
            entered_on = clock.today
            department, user = target.default_department_id, target.default_user_id
            overridden = False
            kept = f"“{current}” is not a step of {cycle}: started again at “{target}”"
        due = (
            fresh.status_due_date
            if overridden
            else scheduled_due_date(
                record=fresh,
                steps=steps,
                status=target,
                entered_on=entered_on,
                calendar=clock.calendar,
                backward=clock.backward,
            )
        )
        changes: dict[str, Any] = {
            **also,
            "status": target,
            "status_entered_on": entered_on,
            "status_due_date": due,
            "status_due_overridden": overridden,
            "status_department_id": department,
            "status_user_id": user,
            "status_changed_at": now,
            **projection(steps=steps, status=target, due=due, calendar=clock.calendar),
        }
        note = StatusNote(
            content_type=ContentType.objects.get_for_model(model),
            object_id=fresh.pk,
            kind=NoteKind.EDIT,
            from_status=current,
            to_status=target,
            date_completed=entered_on,
            due_date=due,
            due_overridden=overridden,
            updated_by=updated_by,
            department_id=department,
            user_id=user,
            note=f"{words}; {kept}" if words else kept,
            changed_at=now,
        )
        note_row = _write(fresh, Plan(changes=changes, note=note), expected_version)
        tell_status_followers(model, [(fresh, note_row, fresh.version)], updated_by)
    for name in (*changes, "version"):
        setattr(record, name, getattr(fresh, name))
    return note_row
