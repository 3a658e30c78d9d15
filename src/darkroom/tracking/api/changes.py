"""Status changes over the API: a record's history (``…/status-changes``), one change, and many
records' changes at once (``…/bulk-status-changes``), for every kind of tracked record
(``records.py`` adds the endpoints).

Staff change a record's status through the status-change service, which is the only code that
writes a status. A change carries the record's ``version`` as the caller saw it: if someone
changed the record since, the answer is 409 ``conflict`` and nothing is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.api.fields import Day, Text
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.database_limits import LARGEST_VERSION
from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.api.bulk import BulkItemIn, BulkOutcomeOut, bulk_items, bulk_written
from darkroom.tracking.api.common import (
    NOT_IN_CYCLE,
    StatusNoteOut,
    StatusRef,
    _note_answer,
    _person,
    _target,
    assignees,
    record_now,
)
from darkroom.tracking.models import TrackedRecord
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import (
    MOST_RECORDS,
    BulkOutcome,
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


class BulkStatusChangeOut(Schema):
    changed: int
    results: list[BulkOutcomeOut]


def _doer(request: HttpRequest, person_id: int | None) -> Any:
    """Who did the step: the person named, or the caller."""
    if person_id is None:
        return request.user
    return _person("updated_by", person_id)


def _change_terms(
    request: HttpRequest, payload: StatusChangeIn | BulkStatusChangeIn
) -> dict[str, Any]:
    """What a change of one record and of many take alike from the body: who did it, when, the
    due date, who holds the new step, the note."""
    updated_by = _doer(request, payload.updated_by)
    department, user = assignees(payload)
    return {
        "updated_by": updated_by,
        "entered_by": request.user,
        "date_completed": payload.date_completed,
        "due_date": payload.due_date,
        "department": department,
        "user": user,
        "note": payload.note,
        "current_not_complete": payload.current_not_complete,
    }


def history_page(request: HttpRequest, record: TrackedRecord, params: PageQuery) -> Any:
    """A page of the record's status history, oldest first."""
    return keyset_page(
        status_history(record=record), cursor=params.cursor, limit=params.limit, answer=_note_answer
    )


def change_one(request: HttpRequest, record: TrackedRecord, payload: StatusChangeIn) -> Any:
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
                to_status=target,
                **_change_terms(request, payload),
            )
    except DarkroomError as exc:
        if exc.code in NOT_IN_CYCLE:
            raise Conflict(exc.message, code=exc.code) from None
        raise
    return Status(201, record_now(record, note))


def change_many(
    request: HttpRequest, model: type[TrackedRecord], payload: BulkStatusChangeIn
) -> Any:
    def write() -> list[BulkOutcome]:
        terms = _change_terms(request, payload)
        return status_change_bulk(
            model=model,
            items=bulk_items(payload.items),
            to_status=_target(payload.to_status),
            **terms,
        )

    return bulk_written(write)
