"""What a write of a record's status columns is made of, shared by every writer of the engine.

A start, a change, a move to another cycle and the bulk change all plan first (a :class:`Plan`:
the columns and the history row) and then write the plan in one version-checked UPDATE and one
INSERT. The checks and refusals they share live here so each says the same thing the same way:
a stale version is the same Conflict whichever page or endpoint the person used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError

from darkroom.errors import Conflict
from darkroom.tracking.models import StatusNote, TrackedRecord
from darkroom.tracking.status_rows import insert_note, write_status


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


@dataclass(frozen=True)
class Plan:
    """What one change will write: the record's new status columns and its history row."""

    changes: dict[str, Any]
    note: StatusNote


def record_name(record: TrackedRecord) -> str:
    """ "This session": messages appear beside the record (or its row in a bulk report)."""
    return f"This {record._meta.verbose_name}"


def check_date(value: object, field: str) -> None:
    """A date, not a datetime nor a string: the API and the forms both hand dates in."""
    if type(value) is not dt.date:
        raise ValidationError({field: "Give a date (YYYY-MM-DD)."})


def check_version(value: object) -> int:
    """The version a person saw: a whole number (``True`` is an int to Python, not to us)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    return value


def conflict(record: TrackedRecord) -> Conflict:
    """The record changed since the person saw it: what they decided on is no longer there."""
    return Conflict(
        f"{record_name(record)} was changed by someone else since you opened it. "
        "Reload it to see their change, then make yours again."
    )


def write_columns(record: TrackedRecord, changes: dict[str, Any], expected_version: int) -> None:
    """Write ``changes`` to the record's columns if it is still at ``expected_version``; else a
    Conflict. The record then holds what was written, and its new version.

    The conditional UPDATE re-checks the version at write time (on PostgreSQL it waits for a
    concurrent writer and then sees its new version), so of two people changing the record at
    once the second gets a Conflict and nothing of theirs is written.
    """
    if not write_status(type(record), changes, record.pk, expected_version):
        raise conflict(record)
    for name, value in changes.items():
        setattr(record, name, value)
    record.version = expected_version + 1


def write_plan(record: TrackedRecord, plan: Plan, expected_version: int) -> StatusNote:
    """Write the plan's columns (:func:`write_columns`), then append its history row."""
    write_columns(record, plan.changes, expected_version)
    return insert_note(plan.note)
