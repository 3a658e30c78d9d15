"""Bulk status changes: many records moved at once, all or nothing, with a report per record.

The hub, the lists and the scan station change many records in one request. The rules are the
single change's (``change_rules.plan_change``), applied to every record; the path is batched (a
few queries for the whole request, not a loop of single changes), so 10,000 records take seconds.

* Without ``to_status`` every record advances to the next active status of *its own* cycle, so
  the records may follow different cycles.
* With ``to_status`` every record must follow that status's cycle.
* All or nothing: if any record is refused, nothing is written and :class:`BulkRefused` carries
  the outcome of every record (the refused ones with the reason, the others as "would change").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.errors import DarkroomError
from darkroom.studio.calendar.cache import CalendarNow, calendar_now
from darkroom.studio.models import Department
from darkroom.tracking.followers import tell_status_followers
from darkroom.tracking.models import Status, TrackedRecord
from darkroom.tracking.services.change_rules import (
    check_change_input,
    check_updated_by,
    plan_change,
)
from darkroom.tracking.services.plan import DEFAULT, Plan
from darkroom.tracking.status_rows import (
    NoteRows,
    read_records,
    steps_of,
    update_params,
    write_statuses,
)

MOST_RECORDS = 20_000  # one request; a peak-season hub selection is far smaller


@dataclass(frozen=True)
class BulkItem:
    """One record of a bulk change: its id and, when the caller saw it, its version."""

    id: int
    expected_version: int | None = None


@dataclass(frozen=True)
class BulkOutcome:
    """What happened (or would have happened) to one record of a bulk change."""

    id: int
    ok: bool
    message: str  # "Proofing → Retouch, due 2026-11-25" or why it was refused
    from_status: Status | None = None
    to_status: Status | None = None
    due_date: dt.date | None = None
    field: str | None = None  # the input the refusal is about ("to_status", "version", ...)


class BulkRefused(DarkroomError):
    """At least one record of a bulk change was refused; nothing was written."""

    status = 422

    def __init__(self, outcomes: list[BulkOutcome]) -> None:
        refused = [o for o in outcomes if not o.ok]
        super().__init__(
            f"{len(refused)} of {len(outcomes)} records can't be changed; nothing was changed.",
            code="bulk_refused",
        )
        self.outcomes = outcomes


def status_change_bulk(
    *,
    model: type[TrackedRecord],
    items: Sequence[BulkItem],
    updated_by: AbstractBaseUser,
    entered_by: AbstractBaseUser | None = None,
    to_status: Status | None = None,
    date_completed: dt.date | None = None,
    due_date: dt.date | None = None,
    department: Department | None = DEFAULT,
    user: AbstractBaseUser | None = DEFAULT,
    note: str = "",
    current_not_complete: bool = False,
) -> list[BulkOutcome]:
    """Change the status of every record in ``items`` (records of ``model``), all or nothing.

    Each record is planned by the single change's rules (``plan_change``) against its own cycle
    and version; the writes are one prepared UPDATE per record (re-checking its version) and
    the history rows in batches. Input that is wrong for every record (no records, a date
    after today, who did it unable to sign in) is a ValidationError; refusals of single
    records are collected and raised together as :class:`BulkRefused`.
    """
    ids = check_items(items)
    check_updated_by(updated_by, entered_by)
    with transaction.atomic():
        records = read_records(model, ids)
        clocks: dict[int | None, CalendarNow] = {}
        clock = clocks[None] = calendar_now()
        completed = check_change_input(
            date_completed=date_completed, due_date=due_date, today=clock.today
        )
        now = timezone.now()
        outcomes: list[BulkOutcome] = []
        plans: list[tuple[TrackedRecord, Plan, int]] = []
        for item in items:
            record = records.get(item.id)
            try:
                plan = _plan_one(
                    item,
                    record,
                    clocks,
                    updated_by=updated_by,
                    entered_by=entered_by,
                    to_status=to_status,
                    date_completed=completed,
                    due_date=due_date,
                    department=department,
                    user=user,
                    note=note,
                    current_not_complete=current_not_complete,
                    now=now,
                )
            except (ValidationError, DarkroomError) as exc:
                field, message = refusal_reason(exc)
                outcomes.append(BulkOutcome(id=item.id, ok=False, message=message, field=field))
                continue
            assert record is not None  # _plan_one refuses a record that no longer exists
            plans.append((record, plan, record.version))
            outcomes.append(_success(item.id, plan))
        if len(plans) < len(outcomes):
            raise BulkRefused(outcomes)
        _write(model, plans, outcomes)
        tell_status_followers(
            model, ((record, plan.note, v + 1) for record, plan, v in plans), updated_by
        )
    return outcomes


def _plan_one(
    item: BulkItem,
    record: TrackedRecord | None,
    clocks: dict[int | None, CalendarNow],
    *,
    to_status: Status | None,
    **change: Any,
) -> Plan:
    """One record's change, by the single change's rules, or why it is refused."""
    if record is None:
        raise DarkroomError("It no longer exists.", code="not_found")
    if item.expected_version is not None and item.expected_version != record.version:
        raise ValidationError(
            {"version": "Someone else changed it since you chose it: reload the list."}
        )
    if record.status_id is None:
        raise DarkroomError("It has not entered its status cycle yet.")
    steps = steps_of(record.cycle_of_status, record.cycle_version)
    record.status = next(step for step in steps if step.pk == record.status_id)
    if to_status is not None and to_status.cycle_id != record.cycle_of_status:
        message = (
            f"It follows another cycle: “{to_status}” is not one of its statuses. "
            "Choose records of one cycle, or “next status”."
        )
        raise ValidationError({"to_status": message})
    vendor = record.tracking_vendor_id()
    if vendor not in clocks:
        clocks[vendor] = calendar_now(vendor)
    return plan_change(
        record=record, steps=steps, clock=clocks[vendor], to_status=to_status, **change
    )


def check_items(items: Sequence[BulkItem]) -> list[int]:
    """The records' ids, refused as a whole when the request itself is wrong (shared by every
    bulk write: a bulk reassignment takes the same items)."""
    if not items:
        raise ValidationError({"items": "Choose at least one record."})
    if len(items) > MOST_RECORDS:
        raise ValidationError({"items": f"At most {MOST_RECORDS:,} records at once; choose fewer."})
    ids = [item.id for item in items]
    if len(set(ids)) < len(ids):
        raise ValidationError({"items": "A record is listed more than once."})
    return ids


def refusal_reason(exc: ValidationError | DarkroomError) -> tuple[str | None, str]:
    """Why one record was refused, as its row of the report says it: (the field, the words)."""
    if isinstance(exc, DarkroomError):
        return None, exc.message
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.error_dict.items()))
        return field, " ".join(message for error in errors for message in error.messages)
    return None, " ".join(exc.messages)


def _success(record_id: int, plan: Plan) -> BulkOutcome:
    history = plan.note
    due = plan.changes["status_due_date"]
    ending = f", due {due:%Y-%m-%d}" if due else " (final)"
    return BulkOutcome(
        id=record_id,
        ok=True,
        message=f"{history.from_status} → {history.to_status}{ending}",
        from_status=history.from_status,
        to_status=history.to_status,
        due_date=due,
    )


def _write(
    model: type[TrackedRecord],
    plans: list[tuple[TrackedRecord, Plan, int]],
    outcomes: list[BulkOutcome],
) -> None:
    """Write every plan, grouped by the columns it sets; a record changed meanwhile refuses all."""
    groups: dict[tuple[str, ...], list[tuple[TrackedRecord, Plan, int]]] = {}
    for entry in plans:
        groups.setdefault(tuple(entry[1].changes), []).append(entry)
    for columns, entries in groups.items():
        rows = [update_params(model, plan.changes, record.pk, v) for record, plan, v in entries]
        written = write_statuses(model, columns, rows)
        if len(written) < len(rows):
            changed = {record.pk for record, _, _ in entries} - written
            raise BulkRefused(
                [
                    BulkOutcome(
                        id=o.id,
                        ok=False,
                        message="Someone else changed it at the same moment: reload the list.",
                        field="version",
                    )
                    if o.id in changed
                    else o
                    for o in outcomes
                ]
            )
    notes = NoteRows()
    for _, plan, _ in plans:
        notes.add_note(plan.note)
    notes.insert()
