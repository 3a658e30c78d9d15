"""Moving a record to another cycle: an order whose type changed follows its new type's cycle.

The front desk finds the order was an Album Order, not a Lab Print Order. Its status must be
one of the new cycle's, so the move is the engine's (only the engine writes a status), by a
rule the user guide states in the studio's words: keep the step when the new cycle has one of
the same name, else start again at the new cycle's initial status today.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from darkroom.errors import DarkroomError
from darkroom.tracking import events
from darkroom.tracking.followers import tell_status_followers
from darkroom.tracking.models import Cycle, Status, StatusNote, TrackedRecord
from darkroom.tracking.services.plan import (
    check_version,
    conflict,
    record_name,
    write_columns,
)
from darkroom.tracking.services.schedule import projection, record_clock, scheduled_due_date
from darkroom.tracking.status_rows import insert_note, read_record, steps_of


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
    check_version(expected_version)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise conflict(record)
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
        kept = target is not None
        now = timezone.now()
        if target is not None:
            entered_on = fresh.status_entered_on or clock.today
            department: Any = fresh.status_department_id
            user: Any = fresh.status_user_id
            overridden = bool(fresh.status_due_overridden)
        else:
            target = next((step for step in steps if step.is_initial), None)
            if target is None:
                raise DarkroomError(
                    f"The cycle {cycle} has no initial status yet.", code="no_initial"
                )
            entered_on = clock.today
            department, user = target.default_department_id, target.default_user_id
            overridden = False
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
        write_columns(fresh, changes, expected_version)
        note_row = insert_note(
            events.edited(
                record=fresh,
                by=updated_by,
                words=words,
                on=entered_on,
                now=now,
                move=events.CycleMove(cycle=cycle, left=current, entered=target, kept=kept),
            )
        )
        tell_status_followers(model, [(fresh, note_row, fresh.version)], updated_by)
    for name in (*changes, "version"):
        setattr(record, name, getattr(fresh, name))
    return note_row
