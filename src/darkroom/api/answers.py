"""How an answer names another record: ``{"id": 7, "name": "Bay Photo"}``, the same everywhere."""

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
