"""The rows of a record's history, one constructor per kind (``NoteKind``).

A record's history is what the studio reads back ("who moved the album to Retouch, and when was
it due"), so each kind of row must always carry the same fields the same way, whichever writer
made it: the status change, a bulk change, the scan station, a due date moved by hand, a
recompute, an order edited on its page. Each writer asks here for its row rather than spelling
a ``StatusNote`` itself, as Saleor's ``order/events.py`` does for an order's events.

The constructors build the row and write nothing: the writer inserts it with its status columns
(``status_rows.insert_note``), or many at once (``status_rows.NoteRows``). Rows written by the
ten thousand (a recompute) are built as their field values, not as objects, which is what the
batched insert takes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType

from darkroom.studio.models import Department
from darkroom.tracking.followers import with_follower_words
from darkroom.tracking.models import Cycle, NoteKind, Status, StatusNote, TrackedRecord


def _short(day: dt.date | None) -> str:
    return f"{day:%m-%d}" if day is not None else "none"


def started(
    *,
    record: TrackedRecord,
    status: Status,
    on: dt.date,
    due: dt.date | None,
    by: AbstractBaseUser | None,
    now: dt.datetime,
) -> StatusNote:
    """The first row of a record: it entered ``status`` (its cycle's initial one) ``on`` that
    day, held by that status's department and person. No "from": it came from nowhere."""
    return StatusNote(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=NoteKind.START,
        from_status=None,
        to_status=status,
        date_completed=on,
        due_date=due,
        updated_by=by,
        department=status.default_department,
        user=status.default_user,
        changed_at=now,
    )


def changed(
    *,
    record: TrackedRecord,
    from_status: Status,
    to_status: Status,
    on: dt.date,
    not_complete: bool,
    due: dt.date | None,
    due_overridden: bool,
    updated_by: AbstractBaseUser,
    entered_by: AbstractBaseUser | None,
    department: Department | None,
    user: AbstractBaseUser | None,
    note: str,
    now: dt.datetime,
    days_taken: int | None,
    days_late: int | None = None,
) -> StatusNote:
    """A status change: ``from_status`` ended ``on`` that day (after ``days_taken`` business
    days, planned as its default duration then; ``days_late`` business days after the due date
    it had, ``tracking.standing.business_days_late``) and ``to_status`` began.

    ``entered_by`` is kept only when it is not who did the step: the front desk recording the
    retoucher's work, not the retoucher recording their own.
    """
    return StatusNote(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        kind=NoteKind.CHANGE,
        from_status=from_status,
        to_status=to_status,
        date_completed=on,
        not_complete=bool(not_complete),
        due_date=due,
        due_overridden=due_overridden,
        updated_by=updated_by,
        entered_by=(
            entered_by if entered_by is not None and entered_by.pk != updated_by.pk else None
        ),
        department=department,
        user=user,
        note=(note or "").strip(),
        changed_at=now,
        business_days_taken=days_taken,
        planned_duration=from_status.default_duration,
        business_days_late=days_late,
    )


def due_date_moved(
    *,
    record: TrackedRecord,
    status: Status,
    previous: dt.date | None,
    due: dt.date,
    on: dt.date,
    by: AbstractBaseUser,
    note: str,
    follower_words: list[str] | None,
    now: dt.datetime,
) -> StatusNote:
    """A person moved the due date of ``record``'s current step from ``previous`` to ``due``
    (an override); the status and who holds it stay. ``follower_words`` say what moved with it
    (a message planned before the due date)."""
    return StatusNote(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        kind=NoteKind.DUE,
        from_status=status,
        to_status=status,
        date_completed=on,
        due_date=due,
        due_overridden=True,
        previous_due_date=previous,
        updated_by=by,
        department_id=record.status_department_id,
        user_id=record.status_user_id,
        note=with_follower_words(note, follower_words),
        changed_at=now,
    )


def recomputed(
    *,
    content_type_id: int,
    record: TrackedRecord,
    status: Status,
    due: dt.date | None,
    on: dt.date,
    reason: str,
    follower_words: list[str] | None,
    now: dt.datetime,
) -> dict[str, Any]:
    """The field values of a "recompute" row (for ``NoteRows.add``): ``reason`` (the calendar,
    a promised date) moved the due date of ``record``'s step from the one it has to ``due``.
    Nobody did it, so there is no "updated by"."""
    text = f"{reason}: due {_short(record.status_due_date)} → {_short(due)}"
    return {
        "content_type_id": content_type_id,
        "object_id": record.pk,
        "kind": NoteKind.RECOMPUTE,
        "from_status_id": status.pk,
        "to_status_id": status.pk,
        "date_completed": on,
        "due_date": due,
        "previous_due_date": record.status_due_date,
        "note": with_follower_words(text, follower_words),
        "changed_at": now,
    }


def reassigned(
    *,
    content_type: ContentType,
    record: TrackedRecord,
    status: Status,
    department: Department | None,
    user: AbstractBaseUser | None,
    previous_department: Department | None,
    previous_user: AbstractBaseUser | None,
    by: AbstractBaseUser,
    note: str,
    on: dt.date,
    now: dt.datetime,
) -> StatusNote:
    """``record``'s step handed from ``previous_department``/``previous_user`` to
    ``department``/``user``; the status and its due date stay as they are."""
    return StatusNote(
        content_type=content_type,
        object_id=record.pk,
        kind=NoteKind.REASSIGN,
        from_status=status,
        to_status=status,
        date_completed=on,
        due_date=record.status_due_date,
        due_overridden=record.status_due_overridden,
        updated_by=by,
        department=department,
        user=user,
        previous_department=previous_department,
        previous_user=previous_user,
        note=note,
        changed_at=now,
    )


@dataclass(frozen=True)
class CycleMove:
    """An edit that moved a record to another ``cycle`` (an order's new type): it left ``left``
    and is now in ``entered``, the same step by name (``kept``) or the new cycle's first."""

    cycle: Cycle
    left: Status
    entered: Status
    kept: bool

    def words(self) -> str:
        """What the history says happened to the status (the user guide's rule, in its words)."""
        if self.kept:
            return f"status “{self.left}” kept"
        return f"“{self.left}” is not a step of {self.cycle}: started again at “{self.entered}”"


def edited(
    *,
    record: TrackedRecord,
    by: AbstractBaseUser,
    words: str,
    on: dt.date,
    now: dt.datetime,
    move: CycleMove | None = None,
) -> StatusNote:
    """A field of ``record`` edited by hand ("order date 2026-11-02 → 2026-11-01"), written
    after the edit: the row shows the status, due date and holder the record has now.

    With ``move`` the edit moved the record to another cycle: its from and to are the statuses
    it left and entered, and the words say which (``CycleMove.words``). ``on`` is the day the
    row counts from: the edit's, or for a move the day the record entered its step.
    """
    statuses: dict[str, Any] = (
        {"from_status": move.left, "to_status": move.entered}
        if move is not None
        else {"from_status_id": record.status_id, "to_status_id": record.status_id}
    )
    if move is not None:
        words = f"{words}; {move.words()}" if words else move.words()
    return StatusNote(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        kind=NoteKind.EDIT,
        **statuses,
        date_completed=on,
        due_date=record.status_due_date,
        due_overridden=record.status_due_overridden,
        updated_by=by,
        department_id=record.status_department_id,
        user_id=record.status_user_id,
        note=words,
        changed_at=now,
    )


def details_changed(
    *,
    record: TrackedRecord,
    status: Status | None,
    by: AbstractBaseUser,
    words: str,
    on: dt.date,
    now: dt.datetime,
) -> StatusNote:
    """A production order's detail line added, changed, moved or deleted ("line 2: 8x10 → 11x14");
    its from and to are the status the order stayed in."""
    return StatusNote(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        kind=NoteKind.DETAILS,
        from_status=status,
        to_status=status,
        date_completed=on,
        updated_by=by,
        note=words,
        changed_at=now,
    )
