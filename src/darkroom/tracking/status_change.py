"""The status-change service: the only code that writes a record's status (ARCHITECTURE rule 2).

``record_start`` puts a new record in its cycle's initial status; ``status_change`` moves it to
another status. Both run in one transaction that claims the record by its version (a stale
version is a Conflict and nothing is written), validate against the record's own cycle, compute
the due date on the studio's calendar, save only the status fields and append a StatusNote.
Bad input raises ValidationError (keyed by field) or a DarkroomError, and writes nothing.

Triggers will be handed to the outbox here, in the same transaction, once they exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.scheduling import BusinessCalendar, CalendarError
from darkroom.studio.calendar import studio_calendar
from darkroom.studio.models import Department
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.cycles import cycle_for
from darkroom.tracking.models import Cycle, Status, StatusNote, TrackedRecord
from darkroom.tracking.selectors import next_active_status


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
]


def record_calendar(record: TrackedRecord) -> BusinessCalendar:
    """The calendar a record's due dates are counted on.

    Sessions and invoices use the studio's; production orders will use their vendor's
    (``vendor_calendar``), which adds the vendor's closures.
    """
    return studio_calendar()


def scheduled_due_date(
    *, record: TrackedRecord, status: Status, entered_on: dt.date, calendar: BusinessCalendar
) -> dt.date | None:
    """The due date of ``status`` for a record entering it on ``entered_on``; None when final.

    Forward mode: ``due(entered_on, duration)``. Backward mode (from the invoice's promised
    delivery date) applies to production orders only;
    it belongs here, chosen when the studio's ``due_date_mode`` is backward and the record is a
    production order whose invoice has a delivery date. Sessions and invoices are always forward.
    """
    if status.is_final:
        return None
    try:
        return calendar.due(entered_on, status.default_duration)
    except CalendarError as exc:
        raise ValidationError({"date_completed": f"No due date can be computed: {exc}"}) from None


def _claim(record: TrackedRecord, expected_version: int) -> TrackedRecord:
    """Take the record for this change: its version must still be ``expected_version``.

    The conditional UPDATE both checks and bumps the version (and, on PostgreSQL, holds the row
    lock until commit), so of two people changing the record at once the second gets a
    Conflict. Returns the record as stored now.
    """
    model = type(record)
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    claimed = model.objects.filter(pk=record.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise Conflict(
            f"{_name(record)} was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    return model.objects.select_related("status").get(pk=record.pk)  # type: ignore[no-any-return]


def _name(record: TrackedRecord) -> str:
    return f"{record._meta.verbose_name.capitalize()} {record}"


def _check_assignees(department: Department | None, user: AbstractBaseUser | None) -> None:
    errors = {}
    if department is not None and department.is_inactive:
        errors["department"] = f"“{department}” is inactive; choose another department."
    if user is not None and not user.is_active:
        errors["user"] = f"“{user}” can no longer sign in; choose someone else."
    if errors:
        raise ValidationError(errors)


def _check_date(value: object, field: str) -> None:
    if type(value) is not dt.date:
        raise ValidationError({field: "Give a date (YYYY-MM-DD)."})


def _check_target(cycle: Cycle, target: Status) -> None:
    if target.cycle_id != cycle.pk:
        raise ValidationError(
            {"to_status": f"“{target}” is a status of another cycle, not of {cycle}."}
        )
    if target.is_inactive:
        raise ValidationError({"to_status": f"“{target}” is inactive; choose an active status."})


def _update_record(record: TrackedRecord, fresh: TrackedRecord, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        setattr(fresh, name, value)
    fresh.save(update_fields=[*changes])
    for name in (*changes, "version"):
        setattr(record, name, getattr(fresh, name))


def record_start(
    *,
    record: TrackedRecord,
    started_on: dt.date,
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> StatusNote:
    """Put a new record in its cycle's initial status, due ``due(started_on, duration)``.

    Writes the record's first history row (no "from"). A record that already has a status is
    refused: it changes status through ``status_change``. ``started_on`` can't be after the
    studio's today; with ``expected_version`` (what a person saw) a record changed since is a
    Conflict, checked in the same UPDATE that claims the record.
    """
    _check_date(started_on, "started_on")
    today = studio_preferences().today()
    if started_on > today:
        raise ValidationError(
            {"started_on": f"The start date can't be after today ({today:%Y-%m-%d})."}
        )
    cycle = cycle_for(record)
    initial = Status.objects.filter(cycle=cycle, is_initial=True).first()
    if initial is None:
        raise DarkroomError(f"The cycle {cycle} has no initial status yet.", code="no_initial")
    with transaction.atomic():
        model = type(record)
        unstarted = model.objects.filter(pk=record.pk, status__isnull=True)
        claim = (
            unstarted if expected_version is None else unstarted.filter(version=expected_version)
        )
        if not claim.update(version=F("version") + 1):
            if unstarted.exists():
                raise Conflict(
                    f"{_name(record)} was changed by someone else since you opened it. "
                    "Reload it to see their change, then try again."
                )
            raise Conflict(f"{_name(record)} has already entered its status cycle.")
        fresh = model.objects.get(pk=record.pk)
        due = scheduled_due_date(
            record=fresh, status=initial, entered_on=started_on, calendar=record_calendar(fresh)
        )
        now = timezone.now()
        _update_record(
            record,
            fresh,
            {
                "status": initial,
                "status_entered_on": started_on,
                "status_due_date": due,
                "status_due_overridden": False,
                "status_department": initial.default_department,
                "status_user": initial.default_user,
                "status_changed_at": now,
                "completed_by": None,
                "completed_date": None,
            },
        )
        return StatusNote.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            from_status=None,
            to_status=initial,
            date_completed=started_on,
            due_date=due,
            updated_by=by,
            department=initial.default_department,
            user=initial.default_user,
            changed_at=now,
        )


def status_change(
    *,
    record: TrackedRecord,
    expected_version: int,
    updated_by: AbstractBaseUser,
    to_status: Status | None = None,
    date_completed: dt.date | None = None,
    due_date: dt.date | None = None,
    department: Department | None = DEFAULT,
    user: AbstractBaseUser | None = DEFAULT,
    note: str = "",
    current_not_complete: bool = False,
) -> StatusNote:
    """Move a record to another status of its cycle (the rules of the status-change form).

    * ``to_status`` defaults to the next active status after the current one; it must be an
      active status of the record's own cycle and differ from the current one. Moving back
      (rework) is allowed.
    * ``date_completed`` (when the current step ended) defaults to the studio's today; it may
      not be after today nor before the day the record entered its current status.
    * The due date is computed forward from ``date_completed``; a ``due_date`` given and
      different from the computed one is an override, kept as given and flagged (it may not be
      before ``date_completed``). The final status has no due date.
    * ``department`` and ``user`` default to the new status's defaults; ``None`` assigns nobody.
    * Entering the final status records who completed the record and when; leaving it reopens.
    * ``expected_version`` is the version the person saw: if the record changed since, this is
      a Conflict and nothing is written.
    """
    today = studio_preferences().today()
    if date_completed is None:
        date_completed = today
    _check_date(date_completed, "date_completed")
    if due_date is not None:
        _check_date(due_date, "due_date")
    if date_completed > today:
        raise ValidationError(
            {"date_completed": f"The date completed can't be after today ({today:%Y-%m-%d})."}
        )
    with transaction.atomic():
        fresh = _claim(record, expected_version)
        current = fresh.status
        if current is None:
            raise DarkroomError(
                f"{_name(record)} has not entered its status cycle yet.", code="not_started"
            )
        cycle = cycle_for(fresh)
        if to_status is None:
            to_status = next_active_status(status=current)
            if to_status is None:
                raise ValidationError(
                    {"to_status": f"“{current}” is the last active status: choose one to go to."}
                )
        _check_target(cycle, to_status)
        if to_status.pk == current.pk:
            raise ValidationError({"to_status": f"{_name(record)} is already “{current}”."})
        entered_on = fresh.status_entered_on
        if entered_on is not None and date_completed < entered_on:
            raise ValidationError(
                {
                    "date_completed": "The date completed can't be before the record entered "
                    f"“{current}” ({entered_on:%Y-%m-%d})."
                }
            )
        calendar = record_calendar(fresh)
        computed = scheduled_due_date(
            record=fresh, status=to_status, entered_on=date_completed, calendar=calendar
        )
        overridden = False
        if due_date is not None and due_date != computed:
            if to_status.is_final:
                raise ValidationError({"due_date": "The final status has no due date."})
            if due_date < date_completed:
                raise ValidationError(
                    {"due_date": "The due date can't be before the date completed."}
                )
            overridden = True
        due = due_date if overridden else computed
        if department is DEFAULT:
            department = to_status.default_department
        elif department != to_status.default_department:
            _check_assignees(department, None)
        if user is DEFAULT:
            user = to_status.default_user
        elif user != to_status.default_user:
            _check_assignees(None, user)
        now = timezone.now()
        changes: dict[str, Any] = {
            "status": to_status,
            "status_entered_on": date_completed,
            "status_due_date": due,
            "status_due_overridden": overridden,
            "status_department": department,
            "status_user": user,
            "status_changed_at": now,
        }
        if to_status.is_final:
            changes["completed_by"] = updated_by
            changes["completed_date"] = date_completed
        elif current.is_final:
            changes["completed_by"] = None
            changes["completed_date"] = None
        _update_record(record, fresh, changes)
        return StatusNote.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            from_status=current,
            to_status=to_status,
            date_completed=date_completed,
            not_complete=bool(current_not_complete),
            due_date=due,
            due_overridden=overridden,
            updated_by=updated_by,
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
