"""Moving a record's status due date over the API: ``POST /api/v1/{records}/{id}/status-due-date``.

For sessions, invoices, production orders, preproduction orders and tasks alike: the body names
the new date and the record's ``version`` as the caller saw it; a stale version is 409
``conflict`` and nothing is written. The status itself doesn't change (that is
``…/status-changes``); the answer is the history row written and the record's dates now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import WRITE_ERRORS
from darkroom.api.fields import Day, Text
from darkroom.api.lookups import path_id
from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.tracking.api.common import (
    CHANGE_STATUS,
    NOT_IN_CYCLE,
    StatusNoteOut,
    StatusRef,
    _note_answer,
    router,
    tracked,
)
from darkroom.tracking.models import TrackedRecord
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import status_due_date_set
from darkroom.tracking.services.due_date_moves import NOTE_LENGTH

# A task as its person may see it (another person's private task is not found), by dotted path:
# the engine sits below the to-do app whose records it tracks.
TASK_DETAIL = "darkroom.todos.selectors.task_detail"


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


def _move(request: HttpRequest, record: TrackedRecord, payload: DueDateIn) -> Any:
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
    fresh = type(record).objects.select_related("status").get(pk=record.pk)
    return Status(
        200,
        {
            "change": _note_answer(status_history(record=record).get(pk=note.pk)),
            "status": {"id": fresh.status.pk, "description": fresh.status.description},
            "due_date": fresh.status_due_date,
            "projected_completion": fresh.projected_completion,
            "version": fresh.version,
        },
    )


DESCRIPTION = (
    "Moves the due date of the record's current status without changing the status; the date "
    "is kept as an override. 409 when the version is stale, or the record is not started or "
    "final; 422 for a date before the record entered its status or the date it already has."
)


def _endpoint(path: str, noun: str, operation: str) -> Any:
    return router.post(
        path,
        operation_id=operation,
        summary=f"Move a {noun}'s status due date",
        description=DESCRIPTION,
        response={200: DueDateOut, **WRITE_ERRORS},
        auth=permitted(CHANGE_STATUS),
    )


@_endpoint("/sessions/{session_id}/status-due-date", "session", "session_status_due_date_create")
def session_due_date(request: HttpRequest, session_id: int, payload: DueDateIn) -> Any:
    return _move(request, tracked("clients.Session").objects.get(pk=path_id(session_id)), payload)


@_endpoint("/invoices/{invoice_id}/status-due-date", "invoice", "invoice_status_due_date_create")
def invoice_due_date(request: HttpRequest, invoice_id: int, payload: DueDateIn) -> Any:
    return _move(request, tracked("clients.Invoice").objects.get(pk=path_id(invoice_id)), payload)


@_endpoint(
    "/production-orders/{int:id}/status-due-date",
    "production order",
    "production_order_status_due_date_create",
)
def order_due_date(request: HttpRequest, id: int, payload: DueDateIn) -> Any:
    return _move(
        request, tracked("production.ProductionOrder").objects.get(pk=path_id(id)), payload
    )


@_endpoint(
    "/preproduction-orders/{int:id}/status-due-date",
    "preproduction order",
    "preproduction_order_status_due_date_create",
)
def proof_order_due_date(request: HttpRequest, id: int, payload: DueDateIn) -> Any:
    return _move(
        request, tracked("production.PreproductionOrder").objects.get(pk=path_id(id)), payload
    )


@_endpoint("/tasks/{int:id}/status-due-date", "task", "task_status_due_date_create")
def task_due_date(request: HttpRequest, id: int, payload: DueDateIn) -> Any:
    # Another person's private task is not found, as everywhere else.
    task_detail = import_string(TASK_DETAIL)
    return _move(request, task_detail(pk=path_id(id), user=request.user), payload)
