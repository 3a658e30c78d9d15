"""Status cycles and status changes over the API: ``/api/v1/cycles…`` and ``…/status-changes``.

Managers maintain the cycles (their statuses, order, defaults and flags) through
tracking/cycles.py; staff change a session's or an invoice's status through the status-change
service, which is the only code that writes a record's status. A change carries the record's
``version`` as the caller saw it: if someone changed the record since, the answer is 409
``conflict`` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import LARGEST_ID, MAX_PAGE_SIZE, PAGE_SIZE, Text
from darkroom.clients.models import Invoice, Session
from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.models import Department
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.cycles import status_add, status_delete, status_move, status_update
from darkroom.tracking.models import (
    MOST_BUSINESS_DAYS,
    Cycle,
    CycleKind,
    StatusNote,
    TrackedRecord,
)
from darkroom.tracking.models import Status as CycleStatus
from darkroom.tracking.selectors import cycle_statuses, status_history
from darkroom.tracking.status_change import DEFAULT, record_start, status_change

router = Router(tags=["tracking"])

VIEW = "tracking.view_status"
CHANGE_STATUS = "tracking.add_statusnote"

READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)

# Refusals of the status-change service that mean "this record can't be changed yet".
NOT_IN_CYCLE = ("no_cycle", "no_initial", "not_started")


# Schemas ----------------------------------------------------------------------------------------


class CycleOut(Schema):
    """The ordered steps one kind of record goes through."""

    id: int
    kind: Literal[tuple(CycleKind.values)]  # type: ignore[valid-type]
    name: str
    order_type: int | None = Field(..., description="Production cycles: the order type's id")
    session_type: int | None = Field(..., description="A session type's own cycle: its id")


class StatusOut(Schema):
    """One step of a cycle."""

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


class StatusQuery(Schema):
    inactive: Literal["hide", "show"] = Field("show", description="Leave out retired steps")


class StatusIn(Schema):
    """A new step; at the end of the cycle unless ``position`` says where (1 = first)."""

    model_config = ConfigDict(extra="forbid")

    description: Text = Field(..., min_length=1, max_length=80, examples=["Retouch"])
    default_duration: int = Field(0, ge=0, le=MOST_BUSINESS_DAYS)
    default_department: int | None = Field(None, description="A department's id")
    default_user: int | None = Field(None, description="A person's id")
    is_initial: bool = False
    is_final: bool = False
    is_inactive: bool = False
    position: int | None = Field(None, ge=1, le=2**31 - 1)


class StatusPatch(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    description: Text | None = Field(None, min_length=1, max_length=80)
    default_duration: int | None = Field(None, ge=0, le=MOST_BUSINESS_DAYS)
    default_department: int | None = None
    default_user: int | None = None
    is_initial: bool | None = None
    is_final: bool | None = None
    is_inactive: bool | None = None


class MoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    direction: Literal["up", "down"]


class StatusRef(Schema):
    id: int
    description: str


class NamedRef(Schema):
    id: int
    name: str


class StatusNoteOut(Schema):
    """One status change of a record, as it was made; never edited."""

    id: int
    from_status: StatusRef | None = Field(..., description="Null for the record's first status")
    to_status: StatusRef
    date_completed: dt.date = Field(..., description="When the step left was completed")
    not_complete: bool = Field(..., description="The step left was not completed")
    due_date: dt.date | None = Field(..., description="When the new step is due; null if final")
    due_overridden: bool = Field(..., description="The due date was set by hand")
    updated_by: NamedRef
    department: NamedRef | None
    user: NamedRef | None
    note: str
    changed_at: dt.datetime
    business_days_taken: int | None = Field(..., description="Business days the step left took")
    planned_duration: int | None = Field(..., description="Business days it was planned to take")


class HistoryPage(Schema):
    items: list[StatusNoteOut] = Field(..., description="Oldest first")
    has_more: bool = Field(..., description="More changes follow: ask again from next_offset")
    next_offset: int | None


class HistoryQuery(Schema):
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=2**31 - 1)


class StatusChangeIn(Schema):
    """Move the record to another status (by default the next active one).

    A record not yet in its cycle enters the initial status when ``to_status`` is left out;
    ``date_completed`` is then the day it starts. ``department`` and ``user`` left out take the
    new status's defaults; ``null`` assigns nobody.
    """

    model_config = ConfigDict(extra="forbid")

    version: int = Field(..., ge=1, le=2**31 - 1, description="The record's version as you saw it")
    to_status: int | None = Field(None, description="A status id of the record's own cycle")
    date_completed: dt.date | None = Field(None, description="Defaults to the studio's today")
    due_date: dt.date | None = Field(None, description="Overrides the computed due date")
    department: int | None = Field(None, description="A department's id; null: none")
    user: int | None = Field(None, description="A person's id; null: nobody")
    note: Text = Field("", max_length=2000)
    current_not_complete: bool = Field(False, description="The step left was not completed")


class StatusChangeOut(Schema):
    change: StatusNoteOut
    status: StatusRef = Field(..., description="The record's status now")
    due_date: dt.date | None = Field(..., description="The record's status due date now")
    version: int = Field(..., description="Send this version with the next change")


# Reading input ----------------------------------------------------------------------------------


def _pk(value: int) -> int:
    if not 0 < value <= LARGEST_ID:
        raise Http404
    return value


def _cycle(cycle_id: int) -> Cycle:
    return Cycle.objects.get(pk=_pk(cycle_id))


def _status(cycle_id: int, status_id: int) -> CycleStatus:
    return CycleStatus.objects.get(pk=_pk(status_id), cycle_id=_pk(cycle_id))


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


def _person_ref(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.get_full_name() or user.get_username()}


def _cycle_answer(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "kind": cycle.kind,
        "name": cycle.name,
        "order_type": cycle.order_type_id,
        "session_type": cycle.session_type_id,
    }


def _status_answer(status: CycleStatus) -> dict[str, Any]:
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
    }


def _note_answer(note: StatusNote) -> dict[str, Any]:
    def ref(status: CycleStatus | None) -> dict[str, Any] | None:
        return {"id": status.pk, "description": status.description} if status else None

    department = note.department
    return {
        "id": note.pk,
        "from_status": ref(note.from_status),
        "to_status": ref(note.to_status),
        "date_completed": note.date_completed,
        "not_complete": note.not_complete,
        "due_date": note.due_date,
        "due_overridden": note.due_overridden,
        "updated_by": _person_ref(note.updated_by),
        "department": {"id": department.pk, "name": department.name} if department else None,
        "user": _person_ref(note.user),
        "note": note.note,
        "changed_at": note.changed_at,
        "business_days_taken": note.business_days_taken,
        "planned_duration": note.planned_duration,
    }


def _history(record: TrackedRecord, params: HistoryQuery) -> dict[str, Any]:
    rows = list(status_history(record=record)[params.offset : params.offset + params.limit + 1])
    more = len(rows) > params.limit
    return {
        "items": [_note_answer(n) for n in rows[: params.limit]],
        "has_more": more,
        "next_offset": params.offset + params.limit if more else None,
    }


def _change(request: HttpRequest, record: TrackedRecord, payload: StatusChangeIn) -> Any:
    """Start the record in its cycle, or move it on; answer with the new row and the record."""
    given = payload.model_fields_set
    target = _target(payload.to_status)
    try:
        if record.status_id is None and target is None:
            extra = given & {"due_date", "department", "user"}
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
                updated_by=request.user,
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
            "version": fresh.version,
        },
    )


# Cycles and their statuses ----------------------------------------------------------------------


@router.get(
    "/cycles",
    operation_id="cycles_list",
    summary="The studio's status cycles",
    response={200: list[CycleOut], **READ_ERRORS},
    auth=permitted(VIEW),
)
def cycles_list(request: HttpRequest) -> Any:
    return [_cycle_answer(c) for c in Cycle.objects.order_by("kind", "name", "id")]


@router.get(
    "/cycles/{id}/statuses",
    operation_id="cycle_statuses_list",
    summary="A cycle's statuses, in order",
    response={200: list[StatusOut], **READ_ERRORS},
    auth=permitted(VIEW),
)
def statuses_list(request: HttpRequest, id: int, params: Query[StatusQuery]) -> Any:
    cycle = _cycle(id)
    statuses = cycle_statuses(cycle=cycle, include_inactive=params.inactive == "show")
    return [_status_answer(s) for s in statuses]


@router.post(
    "/cycles/{id}/statuses",
    operation_id="cycle_statuses_create",
    summary="Add a status to a cycle (managers)",
    response={201: StatusOut, **WRITE_ERRORS},
    auth=permitted("tracking.add_status"),
)
def statuses_create(request: HttpRequest, id: int, payload: StatusIn) -> Any:
    cycle = _cycle(id)
    status = status_add(
        cycle=cycle,
        description=payload.description,
        default_duration=payload.default_duration,
        default_department=_department("default_department", payload.default_department),
        default_user=_person("default_user", payload.default_user),
        is_initial=payload.is_initial,
        is_final=payload.is_final,
        is_inactive=payload.is_inactive,
        position=payload.position,
    )
    status.refresh_from_db()
    return Status(201, _status_answer(status))


@router.patch(
    "/cycles/{id}/statuses/{status_id}",
    operation_id="cycle_statuses_update",
    summary="Change a status's description, duration, defaults or flags (managers)",
    response={200: StatusOut, **WRITE_ERRORS},
    auth=permitted("tracking.change_status"),
)
def statuses_update(request: HttpRequest, id: int, status_id: int, payload: StatusPatch) -> Any:
    status = _status(id, status_id)
    fields: dict[str, Any] = {}
    for name in sorted(payload.model_fields_set):
        value = getattr(payload, name)
        if name == "default_department":
            value = _department(name, value)
        elif name == "default_user":
            value = _person(name, value)
        elif value is None:
            raise ValidationError({name: "This field can't be null."})
        fields[name] = value
    status = status_update(status=status, **fields)
    status.refresh_from_db()
    return _status_answer(status)


@router.delete(
    "/cycles/{id}/statuses/{status_id}",
    operation_id="cycle_statuses_delete",
    summary="Delete a status nothing uses (managers); one in use: make it inactive",
    response={204: None, **WRITE_ERRORS},
    auth=permitted("tracking.delete_status"),
)
def statuses_delete(request: HttpRequest, id: int, status_id: int) -> Any:
    status_delete(status=_status(id, status_id))
    return Status(204, None)


@router.post(
    "/cycles/{id}/statuses/{status_id}/move",
    operation_id="cycle_statuses_move",
    summary="Move a status one place up or down (managers)",
    response={200: list[StatusOut], **WRITE_ERRORS},
    auth=permitted("tracking.change_status"),
)
def statuses_move(request: HttpRequest, id: int, status_id: int, payload: MoveIn) -> Any:
    status = _status(id, status_id)
    status_move(status=status, direction=payload.direction)
    return [_status_answer(s) for s in cycle_statuses(cycle=status.cycle)]


# Status changes ---------------------------------------------------------------------------------


@router.get(
    "/sessions/{session_id}/status-changes",
    operation_id="session_status_changes_list",
    summary="A session's status history, oldest first",
    response={200: HistoryPage, **READ_ERRORS},
    auth=permitted("clients.view_session"),
)
def session_history(request: HttpRequest, session_id: int, params: Query[HistoryQuery]) -> Any:
    return _history(Session.objects.get(pk=_pk(session_id)), params)


@router.get(
    "/invoices/{invoice_id}/status-changes",
    operation_id="invoice_status_changes_list",
    summary="An invoice's status history, oldest first",
    response={200: HistoryPage, **READ_ERRORS},
    auth=permitted("clients.view_invoice"),
)
def invoice_history(request: HttpRequest, invoice_id: int, params: Query[HistoryQuery]) -> Any:
    return _history(Invoice.objects.get(pk=_pk(invoice_id)), params)


@router.post(
    "/sessions/{session_id}/status-changes",
    operation_id="session_status_changes_create",
    summary="Change a session's status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def session_change(request: HttpRequest, session_id: int, payload: StatusChangeIn) -> Any:
    return _change(request, Session.objects.get(pk=_pk(session_id)), payload)


@router.post(
    "/invoices/{invoice_id}/status-changes",
    operation_id="invoice_status_changes_create",
    summary="Change an invoice's status",
    response={201: StatusChangeOut, **WRITE_ERRORS},
    auth=permitted(CHANGE_STATUS),
)
def invoice_change(request: HttpRequest, invoice_id: int, payload: StatusChangeIn) -> Any:
    return _change(request, Invoice.objects.get(pk=_pk(invoice_id)), payload)
