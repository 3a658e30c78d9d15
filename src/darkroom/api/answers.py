"""How an answer names another record (``{"id": 7, "name": "Bay Photo"}``) and describes a status,
the same everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class NamedRef(Schema):
    """Another record, by id and by the name people know it by."""

    id: int
    name: str


def named_ref(record: Any, name: str | None = None) -> dict[str, Any] | None:
    """``record`` as a :class:`NamedRef`, named by its ``str()`` unless ``name`` is given."""
    if record is None:
        return None
    return {"id": record.pk, "name": name if name is not None else str(record)}


def person_ref(user: Any) -> dict[str, Any] | None:
    """A person as a :class:`NamedRef`: their full name, else their login."""
    if user is None:
        return None
    return named_ref(user, user.get_full_name() or user.get_username())


class TrackedStateOut(Schema):
    """Where a record on a status cycle stands: what an integrator needs to change its status
    (the ``version`` to send) and to plan around it (due date, projected completion)."""

    status: NamedRef | None = Field(..., description="Null until the record entered its cycle")
    status_due_date: dt.date | None
    department: NamedRef | None = Field(..., description="The department assigned to the step")
    user: NamedRef | None = Field(..., description="The person assigned to the step")
    completed_date: dt.date | None
    projected_completion: dt.date | None = Field(
        ..., description="When the record should reach its final status"
    )
    version: int = Field(..., description="Send this version with the next change (409 if stale)")

    @staticmethod
    def resolve_status(record: Any) -> dict[str, Any] | None:
        return named_ref(record.status)

    @staticmethod
    def resolve_department(record: Any) -> dict[str, Any] | None:
        return named_ref(record.status_department)

    @staticmethod
    def resolve_user(record: Any) -> dict[str, Any] | None:
        return person_ref(record.status_user)


class StatusOut(Schema):
    """One step of a cycle, whole: wherever an answer gives a status rather than naming it (a
    status a record is in is named by a :class:`NamedRef`)."""

    id: int
    cycle: int
    position: int = Field(..., description="1 = the first step")
    description: str
    default_duration: int = Field(..., description="Business days; 0 = due the day it starts")
    default_department: int | None
    default_user: int | None
    is_initial: bool
    is_final: bool
    is_inactive: bool
    client_visible: bool = Field(..., description="Shown on the client's status page")
    client_name: str = Field(..., description="What clients read; empty = the description")


def status_answer(status: Any) -> dict[str, Any] | None:
    """``status`` as a :class:`StatusOut` (None for none)."""
    if status is None:
        return None
    return {
        "id": status.pk,
        "cycle": status.cycle_id,
        "position": status.position,
        "description": status.description,
        "default_duration": status.default_duration,
        "default_department": status.default_department_id,
        "default_user": status.default_user_id,
        "is_initial": status.is_initial,
        "is_final": status.is_final,
        "is_inactive": status.is_inactive,
        "client_visible": status.client_visible,
        "client_name": status.client_name,
    }
