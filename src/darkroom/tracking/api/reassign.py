"""Handing an order's work to another department or person over the API, without a status
change: ``POST /api/v1/{production-orders|preproduction-orders}/{id}/reassign``, and many orders
at once: ``POST /api/v1/{production-orders|preproduction-orders}/bulk-reassign``
(``records.py`` adds the endpoints).

The body names the department and the person (``null``: none; left out: as it is now) and the
record's ``version`` as the caller saw it; a stale version is 409 ``conflict`` and nothing is
written. The answer is the "reassign" history row and the record's assignees and version now.

The bulk form is the hub's "Reassign only" for integrators, on the bulk status change's terms
(``tracking/api/changes.py``): items ``{"id", "version"}``, all or nothing, a refusal is 422
``bulk_refused`` with every order's outcome (a stale version is one of them), the same
permission. Who did it is the caller, as for one order and the hub: a reassignment has no
"status updated by" of its own.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.fields import Text
from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.tracking.api.bulk import BulkItemIn, BulkOutcomeOut, bulk_items, bulk_written
from darkroom.tracking.api.common import (
    NOT_IN_CYCLE,
    StatusNoteOut,
    _department,
    _note_answer,
    _person,
    assignees,
)
from darkroom.tracking.models import TrackedRecord
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import MOST_RECORDS, BulkOutcome, record_reassign, records_reassign
from darkroom.tracking.services.reassignment import NOTE_LENGTH


class ReassignIn(Schema):
    """Who holds the record's current step from now on; its status and due date stay."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The record's version as you saw it"
    )
    department: int | None = Field(
        None, description="An active department's id; null: none; left out: as it is"
    )
    user: int | None = Field(
        None, description="The id of a person who can sign in; null: nobody; left out: as it is"
    )
    note: Text = Field("", max_length=NOTE_LENGTH, description="Why, kept in the history")


class ReassignOut(Schema):
    change: StatusNoteOut = Field(..., description="The history row: kind “reassign”")
    department: NamedRef | None
    user: NamedRef | None
    version: int = Field(..., description="Send this version with the next change")


class BulkReassignIn(Schema):
    """Hand many orders' current steps to one department and/or person, all or nothing; each
    order's status and due date stay."""

    model_config = ConfigDict(extra="forbid")

    items: list[BulkItemIn] = Field(..., min_length=1, max_length=MOST_RECORDS)
    department: int | None = Field(
        None, description="An active department's id; null: none; left out: each order's own"
    )
    user: int | None = Field(
        None,
        description="The id of a person who can sign in; null: nobody; left out: each order's own",
    )
    note: Text = Field("", max_length=NOTE_LENGTH, description="Why, kept in each history row")


class BulkReassignOut(Schema):
    changed: int
    results: list[BulkOutcomeOut] = Field(
        ..., description="One per order: “Reassigned to Retouching / Ana (was — / —)”"
    )


REASSIGN_DESCRIPTION = (
    "Hands the current step to another department or person; the status, its due date and the "
    "time in it stay. 409 when the version is stale or the record is not started or final; 422 "
    "for an inactive department, a person who can't sign in, an unknown id, or the assignment "
    "it already has."
)


def reassign_one(request: HttpRequest, record: TrackedRecord, payload: ReassignIn) -> Any:
    given = payload.model_fields_set
    department = (
        _department("department", payload.department)
        if "department" in given
        else record.status_department
    )
    user = _person("user", payload.user) if "user" in given else record.status_user
    try:
        note = record_reassign(
            record=record,
            expected_version=payload.version,
            department=department,
            user=user,
            updated_by=request.user,
            note=payload.note,
        )
    except DarkroomError as exc:
        if exc.code in (*NOT_IN_CYCLE, "final"):
            raise Conflict(exc.message, code=exc.code) from None
        raise
    fresh = (
        type(record).objects.select_related("status_department", "status_user").get(pk=record.pk)
    )
    held = fresh.status_department
    return Status(
        200,
        {
            "change": _note_answer(status_history(record=record).get(pk=note.pk)),
            "department": named_ref(held, held.name if held else None),
            "user": person_ref(fresh.status_user),
            "version": fresh.version,
        },
    )


def reassign_many(request: HttpRequest, model: type[TrackedRecord], payload: BulkReassignIn) -> Any:
    def write() -> list[BulkOutcome]:
        department, user = assignees(payload)
        return records_reassign(
            model=model,
            items=bulk_items(payload.items),
            department=department,
            user=user,
            updated_by=request.user,
            note=payload.note,
        )

    return bulk_written(write)


BULK_REASSIGN_DESCRIPTION = (
    "The hub's “Reassign only” for many orders: each order's status, due date and time in it "
    "stay, and each gets a “reassign” history row. All or nothing: if any order is refused (a "
    "stale version, not started or final, already with them, an inactive department or a "
    "person who can't sign in, gone) nothing is written and the answer is 422 `bulk_refused` "
    "with every order's outcome. An id of no department or person is 422 `invalid` naming "
    "the field."
)
