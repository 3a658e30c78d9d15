"""Moving a record's status due date over the API: ``POST …/{id}/status-due-date``.

For sessions, invoices, production orders, preproduction orders and tasks alike (``records.py``
adds the endpoints): the body names the new date and the record's ``version`` as the caller saw
it; a stale version is 409 ``conflict`` and nothing is written. The status itself doesn't change
(that is ``…/status-changes``); the answer is the history row written and the record's dates now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.api.fields import Day, Text
from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.tracking.api.common import NOT_IN_CYCLE, StatusNoteOut, StatusRef, record_now
from darkroom.tracking.models import TrackedRecord
from darkroom.tracking.services import status_due_date_set
from darkroom.tracking.services.due_date_moves import NOTE_LENGTH


class DueDateIn(Schema):
    """The new due date of the record's current status (kept as an override)."""

    model_config = ConfigDict(extra="forbid")

    due_date: Day = Field(..., description="Not before the day the record entered its status")
    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The record's version as you saw it"
    )
    note: Text = Field("", max_length=NOTE_LENGTH, description="Why it moved")


class DueDateOut(Schema):
    change: StatusNoteOut = Field(..., description="The history row: kind “due”")
    status: StatusRef = Field(..., description="The record's status (unchanged)")
    due_date: dt.date
    projected_completion: dt.date | None
    version: int = Field(..., description="Send this version with the next change")


DUE_DATE_DESCRIPTION = (
    "Moves the due date of the record's current status without changing the status; the date "
    "is kept as an override. 409 when the version is stale, or the record is not started or "
    "final; 422 for a date before the record entered its status or the date it already has."
)


def due_date_move(request: HttpRequest, record: TrackedRecord, payload: DueDateIn) -> Any:
    try:
        note = status_due_date_set(
            record=record,
            expected_version=payload.version,
            due_date=payload.due_date,
            updated_by=request.user,
            note=payload.note,
        )
    except DarkroomError as exc:
        if exc.code in (*NOT_IN_CYCLE, "final"):
            raise Conflict(exc.message, code=exc.code) from None
        raise
    return Status(200, record_now(record, note))
