"""Handing a record's work to another department or person without changing its status.

Retouching is swamped, so the front desk gives the album to Ana: the step stays "Retouch", its
due date stays, only who holds it changes. Before this, the only way was a status change, which
restarted the step (a new due date, the time in status counted again). A "reassign" history
row says who had it and who has it now ("Reassigned to Retouching / Ana (was Front desk / —)").

For every tracked record alike (orders, proof orders, invoices, sessions, tasks). The rules of a
status change where they apply: the record's version is checked in the UPDATE that writes (a
stale one is a Conflict and nothing is written); a department made inactive or a person who can
no longer sign in can't be given new work (keeping the one it already has is fine); a record not
yet in its cycle, or finished (final status), has no work to hand over. Nothing is signalled to
the status followers: the status did not change. The hub's running totals are untouched (the
status and completion columns are not written); its "something changed" mark follows the
assignee columns by trigger, as for any reassignment.

``records_reassign`` hands many records over at once, all or nothing, with a report per record
(the hub's bulk form and the bulk API), in a few statements for the whole request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.calendar import calendar_now
from darkroom.studio.models import Department
from darkroom.tracking import events
from darkroom.tracking.models import Status, StatusNote, TrackedRecord
from darkroom.tracking.services.bulk_change import (
    BulkItem,
    BulkOutcome,
    BulkRefused,
    check_items,
    refusal_reason,
)
from darkroom.tracking.services.plan import DEFAULT, record_name
from darkroom.tracking.status_rows import (
    NoteRows,
    insert_note,
    read_record,
    read_records,
    steps_of,
    update_params,
    write_status,
    write_statuses,
)

NOTE_LENGTH = 2000
COLUMNS = ("status_department", "status_user")


def person_words(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "—"


def assignee_words(department: Department | None, user: AbstractBaseUser | None) -> str:
    """ "Retouching / Ana", "— / Ana", "— / —": how history and messages name who holds it."""
    return f"{department.name if department is not None else '—'} / {person_words(user)}"


def reassign_words(note: StatusNote) -> str:
    """ "Reassigned to Retouching / Ana (was Front desk / —)"."""
    now = assignee_words(note.department, note.user)
    was = assignee_words(note.previous_department, note.previous_user)
    return f"Reassigned to {now} (was {was})"


def _check_note(note: object) -> str:
    if not isinstance(note, str) or "\x00" in note:
        raise ValidationError({"note": "A note is plain text."})
    text = note.strip()
    if len(text) > NOTE_LENGTH:
        raise ValidationError({"note": f"A note has at most {NOTE_LENGTH:,} characters."})
    return text


def _check_assignees(department: object, user: object) -> None:
    """The department and person given: of the right kind (their activity is checked against
    what the record has now, in :func:`_plan`). ``DEFAULT`` keeps each record's own."""
    if department not in (None, DEFAULT) and not isinstance(department, Department):
        raise ValidationError({"department": "Choose a department."})
    if user not in (None, DEFAULT) and not isinstance(user, AbstractBaseUser):
        raise ValidationError({"user": "Choose a person."})
    if department is DEFAULT and user is DEFAULT:
        raise ValidationError({"department": "Choose a department or a person to hand it to."})


class _Holders:
    """The departments and people who held the records before, each read once (a bulk
    reassignment of a thousand orders has a handful of previous holders)."""

    def __init__(self) -> None:
        self.departments: dict[int, Department] = {}
        self.users: dict[int, AbstractBaseUser] = {}

    def department(self, pk: int | None) -> Department | None:
        if pk is None:
            return None
        if pk not in self.departments:
            self.departments[pk] = Department.objects.get(pk=pk)
        return self.departments[pk]

    def user(self, pk: int | None) -> AbstractBaseUser | None:
        if pk is None:
            return None
        if pk not in self.users:
            self.users[pk] = get_user_model().objects.get(pk=pk)
        return self.users[pk]


@dataclass(frozen=True)
class _Plan:
    changes: dict[str, Any]
    note: StatusNote


def _plan(
    record: TrackedRecord,
    *,
    department: Department | None,
    user: AbstractBaseUser | None,
    updated_by: AbstractBaseUser,
    note: str,
    today: Any,
    now: Any,
    content_type: ContentType,
    holders: _Holders,
) -> _Plan:
    """One record's reassignment (read fresh, with its cycle's ids), or why it is refused."""
    if record.status_id is None:
        raise DarkroomError(
            f"{record_name(record)} has not entered its status cycle yet.", code="not_started"
        )
    steps = steps_of(record.cycle_of_status, record.cycle_version)
    status: Status = next(step for step in steps if step.pk == record.status_id)
    if status.is_final:
        raise DarkroomError(
            f"{record_name(record)} is “{status}”, its final status: there is no work to hand "
            "over. Reopen it with a status change first.",
            code="final",
        )
    if department is DEFAULT:
        department = holders.department(record.status_department_id)
    if user is DEFAULT:
        user = holders.user(record.status_user_id)
    department_id = department.pk if department is not None else None
    user_id = user.pk if user is not None else None
    errors = {}
    if (
        department is not None
        and department.is_inactive
        and department_id != record.status_department_id
    ):
        errors["department"] = f"“{department}” is inactive; choose another department."
    if user is not None and not user.is_active and user_id != record.status_user_id:
        errors["user"] = f"“{person_words(user)}” can no longer sign in; choose someone else."
    if errors:
        raise ValidationError(errors)
    if department_id == record.status_department_id and user_id == record.status_user_id:
        raise ValidationError(
            {"department": f"It is already with {assignee_words(department, user)}."}
        )
    history = events.reassigned(
        content_type=content_type,
        record=record,
        status=status,
        department=department,
        user=user,
        previous_department=holders.department(record.status_department_id),
        previous_user=holders.user(record.status_user_id),
        by=updated_by,
        note=note,
        on=today,
        now=now,
    )
    return _Plan(changes={"status_department": department, "status_user": user}, note=history)


def record_reassign(
    *,
    record: TrackedRecord,
    expected_version: int,
    department: Department | None,
    user: AbstractBaseUser | None,
    updated_by: AbstractBaseUser,
    note: str = "",
) -> StatusNote:
    """Give ``record``'s current step to ``department`` and ``user`` (``None``: nobody); the
    "reassign" history row. The status, its due date and the time in it stay as they are.

    Refused: a record not started (``not_started``) or final (``final``), an inactive
    department or a person who can't sign in (unless the record already has them), and the
    assignment it already has. A stale ``expected_version`` is a Conflict; nothing is written.
    """
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    text = _check_note(note)
    _check_assignees(department, user)
    model = type(record)
    with transaction.atomic():
        fresh = read_record(model, record.pk)
        if fresh is None:
            raise model.DoesNotExist(f"{record_name(record)} no longer exists.")
        if fresh.version != expected_version:
            raise Conflict(
                f"{record_name(record)} was changed by someone else since you opened it. "
                "Reload it to see their change, then reassign it again."
            )
        plan = _plan(
            fresh,
            department=department,
            user=user,
            updated_by=updated_by,
            note=text,
            today=calendar_now(fresh.tracking_vendor_id()).today,
            now=timezone.now(),
            content_type=ContentType.objects.get_for_model(model),
            holders=_Holders(),
        )
        if not write_status(model, plan.changes, fresh.pk, expected_version):
            raise Conflict(
                f"{record_name(record)} was changed by someone else meanwhile: reload it."
            )
        history = insert_note(plan.note)
    for name, value in plan.changes.items():
        setattr(record, name, value)
    record.version = expected_version + 1
    return history


def records_reassign(
    *,
    model: type[TrackedRecord],
    items: Sequence[BulkItem],
    department: Department | None,
    user: AbstractBaseUser | None,
    updated_by: AbstractBaseUser,
    note: str = "",
) -> list[BulkOutcome]:
    """Give every record in ``items`` to ``department`` and ``user``, all or nothing; either
    may be ``DEFAULT``: each record keeps the one it has (a bulk "move them all to Ana").

    Each record by :func:`record_reassign`'s rules, against its own version when the item
    carries one; a record already with them is refused like any other (the person chose it
    expecting a change). Refusals are collected and raised together as :class:`BulkRefused`.
    """
    ids = check_items(items)
    text = _check_note(note)
    _check_assignees(department, user)
    with transaction.atomic():
        records = read_records(model, ids)
        today = calendar_now().today
        now = timezone.now()
        content_type = ContentType.objects.get_for_model(model)
        holders = _Holders()
        outcomes: list[BulkOutcome] = []
        plans: list[tuple[TrackedRecord, _Plan]] = []
        for item in items:
            record = records.get(item.id)
            try:
                if record is None:
                    raise DarkroomError("It no longer exists.", code="not_found")
                if item.expected_version is not None and item.expected_version != record.version:
                    raise ValidationError(
                        {"version": "Someone else changed it since you chose it: reload the list."}
                    )
                plan = _plan(
                    record,
                    department=department,
                    user=user,
                    updated_by=updated_by,
                    note=text,
                    today=today,
                    now=now,
                    content_type=content_type,
                    holders=holders,
                )
            except (ValidationError, DarkroomError) as exc:
                field, message = refusal_reason(exc)
                outcomes.append(BulkOutcome(id=item.id, ok=False, message=message, field=field))
                continue
            plans.append((record, plan))
            status = plan.note.to_status
            outcomes.append(
                BulkOutcome(
                    id=item.id,
                    ok=True,
                    message=reassign_words(plan.note),
                    from_status=status,
                    to_status=status,
                    due_date=record.status_due_date,
                )
            )
        if len(plans) < len(outcomes):
            raise BulkRefused(outcomes)
        rows = [update_params(model, plan.changes, r.pk, r.version) for r, plan in plans]
        written = write_statuses(model, COLUMNS, rows)
        if len(written) < len(rows):
            raise BulkRefused(
                [
                    o
                    if o.id in written
                    else BulkOutcome(
                        id=o.id,
                        ok=False,
                        message="Someone else changed it at the same moment: reload the list.",
                        field="version",
                    )
                    for o in outcomes
                ]
            )
        notes = NoteRows()
        for _, plan in plans:
            notes.add_note(plan.note)
        notes.insert()
    return outcomes
