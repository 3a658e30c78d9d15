"""The rules of a status change, for one record or many.

The single change (``change.status_change``) and the bulk change (``bulk_change``) validate
each record by :func:`plan_change` against the record's own cycle, so a rule added here holds
on the record's page, the hub, the scan station and the API alike. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from darkroom.errors import DarkroomError
from darkroom.studio.calendar import CalendarNow
from darkroom.studio.models import Department
from darkroom.tracking import events
from darkroom.tracking.models import Status, TrackedRecord
from darkroom.tracking.selectors import next_step
from darkroom.tracking.services.plan import DEFAULT, Plan, check_date, record_name
from darkroom.tracking.services.schedule import projection, scheduled_due_date
from darkroom.tracking.standing import business_days_late


def check_change_input(
    *, date_completed: dt.date | None, due_date: dt.date | None, today: dt.date
) -> dt.date:
    """The date completed (default today), checked with the due date: the same for every record."""
    if date_completed is None:
        date_completed = today
    check_date(date_completed, "date_completed")
    if due_date is not None:
        check_date(due_date, "due_date")
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
    history = events.changed(
        record=record,
        from_status=current,
        to_status=to_status,
        on=date_completed,
        not_complete=current_not_complete,
        due=due,
        due_overridden=overridden,
        updated_by=updated_by,
        entered_by=entered_by,
        department=department,
        user=user,
        note=note,
        now=now,
        days_taken=(
            calendar.business_days_between(entered_on, date_completed)
            if entered_on is not None
            else None
        ),
        # Against the due date the step had when it was left (moved by hand or recomputed).
        days_late=business_days_late(
            due=record.status_due_date, left=date_completed, calendar=calendar
        ),
    )
    return Plan(changes=changes, note=history)
