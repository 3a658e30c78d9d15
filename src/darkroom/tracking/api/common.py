"""What the tracking endpoints share: the router, references to statuses and people, a
history row as the API shows it, the record as a write leaves it, and reading ids from a
request."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.database_limits import LARGEST_ID
from darkroom.studio.models import Department
from darkroom.tracking.models import (
    NoteKind,
    StatusNote,
    TrackedRecord,
)
from darkroom.tracking.models import Status as CycleStatus
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import DEFAULT

NoteKindName = Literal[tuple(NoteKind.values)]  # type: ignore[valid-type]

router = Router(tags=["tracking"])

VIEW = "tracking.view_status"
CHANGE_STATUS = "tracking.add_statusnote"


# Refusals of the status-change service that mean "this record can't be changed yet".
NOT_IN_CYCLE = ("no_cycle", "no_initial", "not_started")


class StatusRef(Schema):
    id: int
    description: str


class StatusNoteOut(Schema):
    """One status change of a record, as it was made; never edited."""

    id: int
    kind: NoteKindName = Field(
        ...,
        description="start: entered its cycle; change: a status change; recompute: the due "
        "date moved with the calendar or the promised date (the status stayed); due: a person "
        "moved the due date (the status stayed); reassign: the work was handed to another "
        "department or person (the status stayed); edit: a field of the record was edited "
        "(an order's type moves it to the new type's cycle: from and to say where); details: a "
        "production order's detail lines changed (what changed is in note; the status stayed)",
    )
    from_status: StatusRef | None = Field(..., description="Null for the record's first status")
    to_status: StatusRef
    date_completed: dt.date = Field(..., description="When the step left was completed")
    not_complete: bool = Field(..., description="The step left was not completed")
    due_date: dt.date | None = Field(..., description="When the new step is due; null if final")
    due_overridden: bool = Field(..., description="The due date was set by hand")
    previous_due_date: dt.date | None = Field(
        ..., description="Recompute and due rows: the date before"
    )
    updated_by: NamedRef | None = Field(..., description="Who did it; null on recompute rows")
    entered_by: NamedRef | None = Field(
        ..., description="Who entered it, when not who did it (the front desk); else null"
    )
    department: NamedRef | None
    user: NamedRef | None
    previous_department: NamedRef | None = Field(
        ..., description="Reassign rows: the department that held the work before"
    )
    previous_user: NamedRef | None = Field(
        ..., description="Reassign rows: the person who held the work before"
    )
    note: str
    changed_at: dt.datetime
    business_days_taken: int | None = Field(..., description="Business days the step left took")
    planned_duration: int | None = Field(..., description="Business days it was planned to take")
    business_days_late: int | None = Field(
        None,
        description="Business days the step was left after its due date (positive: late; zero "
        "or negative: on time); null when it had no due date",
    )


def _department(field: str, department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    found = (
        Department.objects.filter(pk=department_id).first()
        if 0 < department_id <= LARGEST_ID
        else None
    )
    if found is None:
        raise ValidationError({field: f"There is no department {department_id}."})
    return found


def _person(field: str, user_id: int | None) -> AbstractBaseUser | None:
    if user_id is None:
        return None
    User = get_user_model()
    found = User.objects.filter(pk=user_id).first() if 0 < user_id <= LARGEST_ID else None
    if found is None:
        raise ValidationError({field: f"There is no person {user_id}."})
    return found


def _target(status_id: int | None) -> CycleStatus | None:
    if status_id is None:
        return None
    found = (
        CycleStatus.objects.select_related("cycle").filter(pk=status_id).first()
        if 0 < status_id <= LARGEST_ID
        else None
    )
    if found is None:
        raise ValidationError({"to_status": f"There is no status {status_id}."})
    return found


def assignees(payload: Any) -> tuple[Any, Any]:
    """The department and the person a body names; left out, the service's default."""
    given = payload.model_fields_set
    department = _department("department", payload.department) if "department" in given else DEFAULT
    user = _person("user", payload.user) if "user" in given else DEFAULT
    return department, user


def record_now(record: TrackedRecord, note: StatusNote) -> dict[str, Any]:
    """What a write of one record's status or due date answers: the history row it wrote and
    the record's status, dates and version now."""
    fresh = type(record).objects.select_related("status").get(pk=record.pk)
    return {
        "change": _note_answer(status_history(record=record).get(pk=note.pk)),
        "status": {"id": fresh.status.pk, "description": fresh.status.description},
        "due_date": fresh.status_due_date,
        "projected_completion": fresh.projected_completion,
        "version": fresh.version,
    }


def _note_answer(note: StatusNote) -> dict[str, Any]:
    def ref(status: CycleStatus | None) -> dict[str, Any] | None:
        return {"id": status.pk, "description": status.description} if status else None

    department = note.department
    before = note.previous_department
    return {
        "id": note.pk,
        "kind": note.kind,
        "from_status": ref(note.from_status),
        "to_status": ref(note.to_status),
        "date_completed": note.date_completed,
        "not_complete": note.not_complete,
        "due_date": note.due_date,
        "due_overridden": note.due_overridden,
        "previous_due_date": note.previous_due_date,
        "updated_by": person_ref(note.updated_by),
        "entered_by": person_ref(note.entered_by),
        "department": named_ref(department, department.name if department else None),
        "user": person_ref(note.user),
        "previous_department": named_ref(before, before.name if before else None),
        "previous_user": person_ref(note.previous_user),
        "note": note.note,
        "changed_at": note.changed_at,
        "business_days_taken": note.business_days_taken,
        "planned_duration": note.planned_duration,
        "business_days_late": note.business_days_late,
    }


def tracked(label: str) -> type[TrackedRecord]:
    """A kind of record the engine tracks, by app label ("clients.Session").

    The engine sits below the apps whose records follow its cycles (they build on
    ``TrackedRecord``), so its endpoints name those models rather than import them, as the engine
    names its followers (``tracking/followers.py``).
    """
    model: type[TrackedRecord] = apps.get_model(label)
    return model
