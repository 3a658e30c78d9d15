"""Status changes over the API: ``/api/v1/{sessions|invoices}/{id}/status-changes`` and the
bulk ``…/bulk-status-changes``.

Staff change a record's status through the status-change service, which is the only code that
writes a status. A change carries the record's ``version`` as the caller saw it: if someone
changed the record since, the answer is 409 ``conflict`` and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day, Text
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.api.lookups import path_id
from darkroom.database_limits import LARGEST_ID, LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.api.common import (
    CHANGE_STATUS,
    NOT_IN_CYCLE,
    StatusNoteOut,
    StatusRef,
    _department,
    _note_answer,
    _person,
    _target,
    router,
    tracked,
)
from darkroom.tracking.models import Status as CycleStatus
from darkroom.tracking.models import (
    TrackedRecord,
)
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import (
    DEFAULT,
    MOST_RECORDS,
    BulkItem,
    BulkOutcome,
    BulkRefused,
    record_start,
    status_change,
    status_change_bulk,
)

HistoryPage = list_of(StatusNoteOut, "StatusHistory")


class StatusChangeIn(Schema):
    """Move the record to another status (by default the next active one).

    A record not yet in its cycle enters the initial status when ``to_status`` is left out;
    ``date_completed`` is then the day it starts. ``department`` and ``user`` left out take the
    new status's defaults; ``null`` assigns nobody.
    """

    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The record's version as you saw it"
    )
    to_status: int | None = Field(None, description="A status id of the record's own cycle")
    date_completed: Day | None = Field(None, description="Defaults to the studio's today")
    due_date: Day | None = Field(None, description="Overrides the computed due date")
    department: int | None = Field(None, description="A department's id; null: none")
    user: int | None = Field(None, description="A person's id; null: nobody")
    updated_by: int | None = Field(
        None,
        description="Who did the step (a person who can sign in); default: you. The history "
        "keeps you as who entered it when it is someone else",
    )
    note: Text = Field("", max_length=2000)
    current_not_complete: bool = Field(False, description="The step left was not completed")


class StatusChangeOut(Schema):
    change: StatusNoteOut
    status: StatusRef = Field(..., description="The record's status now")
    due_date: dt.date | None = Field(..., description="The record's status due date now")
    projected_completion: dt.date | None = Field(
        ..., description="When the record should reach its final status; null once final"
    )
    version: int = Field(..., description="Send this version with the next change")


class BulkItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(..., ge=1, le=LARGEST_ID)
    version: int | None = Field(
        None,
        ge=1,
        le=LARGEST_VERSION,
        description="The version you saw; a record changed since is refused",
    )


class BulkStatusChangeIn(Schema):
    """Change many records at once, all or nothing.

    Without ``to_status`` each record advances to the next active status of its own cycle;
    with it, every record must follow that status's cycle. ``department``/``user`` left out
    take each new status's defaults.
    """

    model_config = ConfigDict(extra="forbid")

    items: list[BulkItemIn] = Field(..., min_length=1, max_length=MOST_RECORDS)
    to_status: int | None = Field(None, description="A status id; all records in its cycle")
    date_completed: Day | None = Field(None, description="Defaults to the studio's today")
    due_date: Day | None = Field(None, description="Overrides every computed due date")
    department: int | None = Field(None, description="A department's id; null: none")
    user: int | None = Field(None, description="A person's id; null: nobody")
    updated_by: int | None = Field(
        None, description="Who did the steps (a person who can sign in); default: you"
    )
    note: Text = Field("", max_length=2000)
    current_not_complete: bool = False


class BulkOutcomeOut(Schema):
    id: int
    ok: bool = Field(..., description="Changed (or, in a refusal, would have been)")
    message: str = Field(..., description="“Shot → Proofing, due 2026-11-25”, or the reason")
    field: str | None = Field(..., description="The input a refusal is about")
    from_status: StatusRef | None
    to_status: StatusRef | None
    due_date: dt.date | None


class BulkStatusChangeOut(Schema):
    changed: int
    results: list[BulkOutcomeOut]


def _doer(request: HttpRequest, person_id: int | None) -> Any:
    """Who did the step: the person named, or the caller."""
    if person_id is None:
        return request.user
    return _person("updated_by", person_id)


def _history(record: TrackedRecord, params: PageQuery) -> dict[str, Any]:
    return keyset_page(
        status_history(record=record), cursor=params.cursor, limit=params.limit, answer=_note_answer
    )


def _change(request: HttpRequest, record: TrackedRecord, payload: StatusChangeIn) -> Any:
    """Start the record in its cycle, or move it on; answer with the new row and the record."""
    given = payload.model_fields_set
    target = _target(payload.to_status)
    try:
        if record.status_id is None and target is None:
            extra = given & {"due_date", "department", "user", "updated_by"}
            if extra or payload.note or payload.current_not_complete:
                raise ValidationError(
                    "A record entering its cycle starts in the initial status with its defaults: "
                    "send only version and date_completed."
                )
            try:
                note = record_start(
                    record=record,
                    started_on=payload.date_completed or studio_preferences().today(),
                    by=request.user,
                    expected_version=payload.version,
                )
            except ValidationError as exc:  # the body calls the start date date_completed
                if hasattr(exc, "error_dict") and "started_on" in exc.error_dict:
                    exc.error_dict["date_completed"] = exc.error_dict.pop("started_on")
                raise
        else:
            note = status_change(
                record=record,
                expected_version=payload.version,
                updated_by=_doer(request, payload.updated_by),
                entered_by=request.user,
                to_status=target,
                date_completed=payload.date_completed,
                due_date=payload.due_date,
                department=(
                    _department("department", payload.department)
                    if "department" in given
                    else DEFAULT
                ),
                user=_person("user", payload.user) if "user" in given else DEFAULT,
                note=payload.note,
                current_not_complete=payload.current_not_complete,
            )
    except DarkroomError as exc:
        if exc.code in NOT_IN_CYCLE:
            raise Conflict(exc.message, code=exc.code) from None
        raise
    fresh = type(record).objects.select_related("status").get(pk=record.pk)
    return Status(
        201,
        {
            "change": _note_answer(status_history(record=record).get(pk=note.pk)),
            "status": {"id": fresh.status.pk, "description": fresh.status.description},
            "due_date": fresh.status_due_date,
            "projected_completion": fresh.projected_completion,
            "version": fresh.version,
        },
    )


def bulk_answer(outcomes: list[BulkOutcome]) -> dict[str, Any]:
    """What an all-or-nothing bulk write answers when it is done: how many, and each outcome."""
    return {"changed": len(outcomes), "results": [_outcome_answer(o) for o in outcomes]}


def bulk_refused_answer(refused: BulkRefused) -> Any:
    """What it answers when one record refused it (nothing written): 422, every outcome."""
    return Status(
        422,
        {
            "detail": refused.message,
            "code": refused.code,
            "results": [_outcome_answer(o) for o in refused.outcomes],
        },
    )


def _outcome_answer(outcome: BulkOutcome) -> dict[str, Any]:
    def ref(status: CycleStatus | None) -> dict[str, Any] | None:
        return {"id": status.pk, "description": status.description} if status else None

    return {
        "id": outcome.id,
        "ok": outcome.ok,
        "message": outcome.message,
        "field": outcome.field,
        "from_status": ref(outcome.from_status),
        "to_status": ref(outcome.to_status),
        "due_date": outcome.due_date,
    }


def _bulk(request: HttpRequest, model: type[TrackedRecord], payload: BulkStatusChangeIn) -> Any:
    given = payload.model_fields_set
    try:
        outcomes = status_change_bulk(
            model=model,
            items=[BulkItem(item.id, item.version) for item in payload.items],
            updated_by=_doer(request, payload.updated_by),
            entered_by=request.user,
            to_status=_target(payload.to_status),
            date_completed=payload.date_completed,
            due_date=payload.due_date,
            department=(
                _department("department", payload.department) if "department" in given else DEFAULT
            ),
            user=_person("user", payload.user) if "user" in given else DEFAULT,
            note=payload.note,
            current_not_complete=payload.current_not_complete,
        )
    except BulkRefused as refused:
        return bulk_refused_answer(refused)
    return bulk_answer(outcomes)


@router.get(
    "/sessions/{session_id}/status-changes",
    operation_id="session_status_changes_list",
    summary="A session's status history, oldest first",
    response={200: HistoryPage, **READ_ERRORS},
    auth=permitted("clients.view_session"),
)
def session_history(request: HttpRequest, session_id: int, params: Query[PageQuery]) -> Any:
    return _history(tracked("clients.Session").objects.get(pk=path_id(session_id)), params)


@router.get(
    "/invoices/{invoice_id}/status-changes",
    operation_id="invoice_status_changes_list",
    summary="An invoice's status history, oldest first",
    response={200: HistoryPage, **READ_ERRORS},
    auth=permitted("clients.view_invoice"),
)
def invoice_history(request: HttpRequest, invoice_id: int, params: Query[PageQuery]) -> Any:
    return _history(tracked("clients.Invoice").objects.get(pk=path_id(invoice_id)), params)


@router.post(
    "/sessions/{session_id}/status-changes",
    operation_id="session_status_changes_create",
    summary="Change a session's status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def session_change(request: HttpRequest, session_id: int, payload: StatusChangeIn) -> Any:
    return _change(request, tracked("clients.Session").objects.get(pk=path_id(session_id)), payload)


@router.post(
    "/invoices/{invoice_id}/status-changes",
    operation_id="invoice_status_changes_create",
    summary="Change an invoice's status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def invoice_change(request: HttpRequest, invoice_id: int, payload: StatusChangeIn) -> Any:
    return _change(request, tracked("clients.Invoice").objects.get(pk=path_id(invoice_id)), payload)


@router.post(
    "/sessions/bulk-status-changes",
    operation_id="session_bulk_status_changes_create",
    summary="Change many sessions' statuses at once (all or nothing)",
    response={200: BulkStatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def session_bulk_change(request: HttpRequest, payload: BulkStatusChangeIn) -> Any:
    return _bulk(request, tracked("clients.Session"), payload)


@router.post(
    "/invoices/bulk-status-changes",
    operation_id="invoice_bulk_status_changes_create",
    summary="Change many invoices' statuses at once (all or nothing)",
    response={200: BulkStatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def invoice_bulk_change(request: HttpRequest, payload: BulkStatusChangeIn) -> Any:
    return _bulk(request, tracked("clients.Invoice"), payload)
