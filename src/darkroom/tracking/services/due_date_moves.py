"""Moving the due date of a record's current status by hand, without changing the status.

The lab says the album ships Thursday, not Tuesday: the person moves the step's due date rather
than re-entering the status (which would restart the step and count its time again). The date
given is kept as an override (``status_due_overridden``), so a later calendar recompute leaves
it alone, exactly like a due date overridden in the status-change dialog; the projected
completion is chained on from it. A "due" history row says who moved it and from when to when
("due date moved 07-23 → 07-28").

The same rules as a status change: the record's version is checked in the UPDATE that writes
(a stale one is a Conflict and nothing is written), bad input is a ValidationError keyed by
field. Nothing is signalled: the status does not change, so nothing that acts on a status
entered (production automation) has anything to do.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.tracking import events
from darkroom.tracking.followers import DueDateMoved, tell_due_date_followers
from darkroom.tracking.models import StatusNote, TrackedRecord
from darkroom.tracking.services.plan import record_name
from darkroom.tracking.services.schedule import projection, record_clock
from darkroom.tracking.status_rows import insert_note, read_record, steps_of, write_status

NOTE_LENGTH = 2000


def _short(day: dt.date | None) -> str:
    return f"{day:%m-%d}" if day is not None else "none"


def _check_input(expected_version: object, due_date: object, note: object) -> str:
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    if type(due_date) is not dt.date:
        raise ValidationError({"due_date": "Give a date (YYYY-MM-DD)."})
    if not isinstance(note, str) or "\x00" in note:
        raise ValidationError({"note": "A note is plain text."})
    text = note.strip()
    if len(text) > NOTE_LENGTH:
        raise ValidationError({"note": f"A note has at most {NOTE_LENGTH:,} characters."})
    return text


def status_due_date_set(
    *,
    record: TrackedRecord,
    expected_version: int,
    due_date: dt.date,
    updated_by: AbstractBaseUser,
    note: str = "",
) -> StatusNote:
    """Move the due date of ``record``'s current status to ``due_date``; the history row.

    Refused: a record not yet in its cycle (``not_started``) or in its final status
    (``final``: a finished step has no due date), a date before the record entered its status,
    and the date it is already due (nothing would change). ``expected_version`` is the version
    the person saw; a record changed since is a Conflict.
    """
    text = _check_input(expected_version, due_date, note)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise Conflict(
                f"{record_name(record)} was changed by someone else since you opened it. "
                "Reload it to see their change, then move the due date again."
            )
        if fresh.status_id is None:
            raise DarkroomError(
                f"{record_name(record)} has not entered its status cycle yet.", code="not_started"
            )
        steps = steps_of(fresh.cycle_of_status, fresh.cycle_version)
        status = next(step for step in steps if step.pk == fresh.status_id)
        if status.is_final:
            raise DarkroomError(
                f"{record_name(record)} is “{status}”, its final status: "
                "it has no due date to move.",
                code="final",
            )
        entered = fresh.status_entered_on
        if entered is not None and due_date < entered:
            raise ValidationError(
                {
                    "due_date": f"The due date can't be before the record entered “{status}” "
                    f"({entered:%Y-%m-%d})."
                }
            )
        previous = fresh.status_due_date
        if due_date == previous:
            raise ValidationError({"due_date": f"It is already due on {due_date:%Y-%m-%d}."})
        clock = record_clock(fresh)
        changes = {
            "status_due_date": due_date,
            "status_due_overridden": True,
            **projection(steps=steps, status=status, due=due_date, calendar=clock.calendar),
        }
        if not write_status(model, changes, fresh.pk, expected_version):
            raise Conflict(
                f"{record_name(record)} was changed by someone else meanwhile: reload it."
            )
        replanned = tell_due_date_followers(
            model,
            [
                DueDateMoved(
                    record_id=fresh.pk,
                    status_id=status.pk,
                    stay_started_at=fresh.status_changed_at,
                    vendor_id=fresh.tracking_vendor_id(),
                    due_date=due_date,
                )
            ],
        )
        history = insert_note(
            events.due_date_moved(
                record=fresh,
                status=status,
                previous=previous,
                due=due_date,
                on=clock.today,
                by=updated_by,
                note=text,
                follower_words=replanned.get(fresh.pk),
                now=timezone.now(),
            )
        )
    for name, value in changes.items():
        setattr(record, name, value)
    record.version = expected_version + 1
    return history


def due_move_words(note: StatusNote) -> str:
    """ "due date moved 07-23 → 07-28": how history and messages say it."""
    return f"due date moved {_short(note.previous_due_date)} → {_short(note.due_date)}"
