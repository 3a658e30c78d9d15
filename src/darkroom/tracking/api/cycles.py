"""Cycles and their statuses over the API: ``/api/v1/cycles…`` (managers maintain them through
tracking/services/cycles.py, everyone reads them)."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import StatusOut, status_answer
from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import MoveIn, Text
from darkroom.api.lists import list_of, whole_list
from darkroom.api.lookups import named_record, path_id
from darkroom.catalog.models import ProductionOrderType
from darkroom.database_limits import LARGEST_VERSION
from darkroom.tracking.api.common import (
    VIEW,
    _department,
    _person,
    router,
)
from darkroom.tracking.models import (
    MOST_BUSINESS_DAYS,
    Cycle,
    CycleKind,
)
from darkroom.tracking.models import Status as CycleStatus
from darkroom.tracking.selectors import cycle_statuses
from darkroom.tracking.services import (
    cycle_create,
    status_add,
    status_delete,
    status_move,
    status_update,
)

CycleKindName = Literal[tuple(CycleKind.values)]  # type: ignore[valid-type]


class CycleOut(Schema):
    """The ordered steps one kind of record goes through."""

    id: int
    kind: CycleKindName
    name: str
    order_type: int | None = Field(..., description="Production cycles: the order type's id")
    session_type: int | None = Field(..., description="A session type's own cycle: its id")


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
    position: int | None = Field(None, ge=1, le=LARGEST_VERSION)
    client_visible: bool = Field(False, description="Shown on the client's status page")
    client_name: Text = Field(
        "", max_length=80, description="What clients read; empty = the description"
    )


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
    client_visible: bool | None = None
    client_name: Text | None = Field(None, max_length=80)


def _cycle(cycle_id: int) -> Cycle:
    return Cycle.objects.get(pk=path_id(cycle_id))


def _status(cycle_id: int, status_id: int) -> CycleStatus:
    return CycleStatus.objects.get(pk=path_id(status_id), cycle_id=path_id(cycle_id))


def _cycle_answer(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "kind": cycle.kind,
        "name": cycle.name,
        "order_type": cycle.order_type_id,
        "session_type": cycle.session_type_id,
    }


@router.get(
    "/cycles",
    operation_id="cycles_list",
    summary="The studio's status cycles",
    response={200: list_of(CycleOut), **READ_ERRORS},
    auth=permitted(VIEW),
)
def cycles_list(request: HttpRequest) -> Any:
    return whole_list(Cycle.objects.order_by("kind", "name", "id"), _cycle_answer)


class CycleIn(Schema):
    """A new, empty cycle: one per kind, per production order type, or per session type."""

    model_config = ConfigDict(extra="forbid")

    kind: CycleKindName
    name: Text = Field(..., min_length=1, max_length=80, examples=["Album Order"])
    order_type: int | None = Field(None, description="Production cycles: the order type's id")
    session_type: int | None = Field(None, description="A session type's own cycle: its id")


@router.post(
    "/cycles",
    operation_id="cycles_create",
    summary="Set up a new, empty cycle (managers); then add its statuses",
    response={201: CycleOut, **WRITE_ERRORS},
    auth=permitted("tracking.add_status"),
)
def cycles_create(request: HttpRequest, payload: CycleIn) -> Any:
    cycle = cycle_create(
        kind=payload.kind,
        name=payload.name,
        order_type=named_record(ProductionOrderType, "order_type", payload.order_type),
        session_type=named_record(
            # The clients' session types, as the cycle names them: the engine sits below clients.
            Cycle._meta.get_field("session_type").related_model,
            "session_type",
            payload.session_type,
        ),
    )
    return Status(201, _cycle_answer(cycle))


@router.get(
    "/cycles/{id}/statuses",
    operation_id="cycle_statuses_list",
    summary="A cycle's statuses, in order",
    response={200: list_of(StatusOut), **READ_ERRORS},
    auth=permitted(VIEW),
)
def statuses_list(request: HttpRequest, id: int, params: Query[StatusQuery]) -> Any:
    cycle = _cycle(id)
    statuses = cycle_statuses(cycle=cycle, include_inactive=params.inactive == "show")
    return whole_list(statuses, status_answer)


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
        client_visible=payload.client_visible,
        client_name=payload.client_name,
    )
    status.refresh_from_db()
    return Status(201, status_answer(status))


@router.patch(
    "/cycles/{id}/statuses/{status_id}",
    operation_id="cycle_statuses_update",
    summary="Change a status's description, duration, defaults, flags or name for clients "
    "(managers)",
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
    return status_answer(status)


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
    response={200: list_of(StatusOut), **WRITE_ERRORS},
    auth=permitted("tracking.change_status"),
)
def statuses_move(request: HttpRequest, id: int, status_id: int, payload: MoveIn) -> Any:
    status = _status(id, status_id)
    status_move(status=status, direction=payload.direction)
    return whole_list(cycle_statuses(cycle=status.cycle), status_answer)
