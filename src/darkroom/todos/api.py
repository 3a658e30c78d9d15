"""Tasks over the API: ``/tasks``, ``/tasks/{id}`` and ``/tasks/{id}/status-changes``.

Another person's private task does not exist for the caller (404), whatever their role. Tasks
carry a ``version``: PATCH and status changes send the one they read; a stale one is 409
``conflict``. Its status endpoints are every tracked record's
(``darkroom.tracking.api.records``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day, Id, Text
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.api.lookups import named_record, path_id
from darkroom.database_limits import LARGEST_VERSION
from darkroom.studio.models import Department
from darkroom.todos import selectors, services
from darkroom.todos.models import LINKS, Task, TaskKind

router = Router(tags=["tasks"])

VIEW = "todos.view_task"
ADD = "todos.add_task"
CHANGE = "todos.change_task"

KindName = Literal[tuple(TaskKind.values)]  # type: ignore[valid-type]


# Shapes ----------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    kind: KindName
    subject: str
    notes: str
    due_on: dt.date | None = Field(..., description="When the task is due")
    urgent: bool
    private: bool = Field(..., description="Seen only by its writer and the person it is for")
    assigned_user: NamedRef | None
    assigned_department: NamedRef | None
    client: int | None
    session: int | None
    invoice: int | None
    preproduction_order: int | None
    production_order: int | None
    created_by: NamedRef
    created_at: dt.datetime
    open: bool = Field(..., description="Not yet in the task cycle's final status")
    status: NamedRef | None = Field(..., description="Null until the task entered its cycle")
    status_due_date: dt.date | None
    completed_date: dt.date | None
    version: int = Field(..., description="Send this version with the next change")


TaskPage = list_of(TaskOut)


class TaskListQuery(PageQuery):
    mine: bool = Field(False, description="Only tasks for you or one of your departments")
    open: bool | None = Field(None, description="true: open only; false: done only")
    kind: KindName | None = None
    client: Id | None = None
    session: Id | None = None
    invoice: Id | None = None
    preproduction_order: Id | None = None
    production_order: Id | None = None


class TaskIn(Schema):
    """A new task; links (client, session, …) are ids, all optional."""

    model_config = ConfigDict(extra="forbid")

    subject: Text = Field(..., min_length=1, max_length=200)
    kind: KindName = TaskKind.TODO.value
    notes: Text = Field("", max_length=5000)
    due_on: Day | None = None
    urgent: bool = False
    private: bool = False
    assigned_user: Id | None = Field(None, description="A person's id")
    assigned_department: Id | None = Field(None, description="A department's id")
    client: Id | None = None
    session: Id | None = None
    invoice: Id | None = None
    preproduction_order: Id | None = None
    production_order: Id | None = None


class TaskPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The version read (409 if stale)"
    )
    subject: Text | None = Field(None, min_length=1, max_length=200)
    kind: KindName | None = None
    notes: Text | None = Field(None, max_length=5000)
    due_on: Day | None = None
    urgent: bool | None = None
    private: bool | None = None
    assigned_user: Id | None = None
    assigned_department: Id | None = None
    client: Id | None = None
    session: Id | None = None
    invoice: Id | None = None
    preproduction_order: Id | None = None
    production_order: Id | None = None


# Answers ---------------------------------------------------------------------------------------


def _answer(task: Task) -> dict[str, Any]:
    return {
        "id": task.pk,
        "kind": task.kind,
        "subject": task.subject,
        "notes": task.notes,
        "due_on": task.due_on,
        "urgent": task.urgent,
        "private": task.private,
        "assigned_user": person_ref(task.assigned_user),
        "assigned_department": named_ref(task.assigned_department),
        **{name: getattr(task, f"{name}_id") for name in LINKS},
        "created_by": person_ref(task.created_by),
        "created_at": task.created_at,
        "open": task.is_open,
        "status": named_ref(task.status, task.status.description if task.status else None),
        "status_due_date": task.status_due_date,
        "completed_date": task.completed_date,
        "version": task.version,
    }


def _references(values: dict[str, Any]) -> dict[str, Any]:
    """The ids of people, departments and linked records in a body, as records."""
    models: dict[str, type[Model]] = {
        "assigned_user": get_user_model(),
        "assigned_department": Department,
        **{name: Task._meta.get_field(name).related_model for name in LINKS},  # type: ignore[misc]
    }
    return {
        name: named_record(models[name], name, value) if name in models else value
        for name, value in values.items()
    }


def _task(request: HttpRequest, task_id: int) -> Task:
    return selectors.task_detail(pk=path_id(task_id), user=request.user)


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/tasks",
    operation_id="tasks_list",
    summary="List tasks: open first, the longest overdue first",
    description="Other people's private tasks are never listed.",
    response={200: TaskPage, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def list_tasks(request: HttpRequest, params: Query[TaskListQuery]) -> Any:
    state = {None: "all", True: "open", False: "done"}[params.open]
    links = {name: getattr(params, name) for name in LINKS if getattr(params, name) is not None}
    tasks = selectors.task_list(
        user=request.user, mine=params.mine, state=state, kind=params.kind or "", links=links
    )
    return keyset_page(tasks, cursor=params.cursor, limit=params.limit, answer=_answer)


@router.post(
    "/tasks",
    operation_id="tasks_create",
    summary="Write a task, a phone call or a letter, for a person and/or a department",
    description="It enters the task cycle's initial status today, when the studio has one.",
    response={201: TaskOut, **WRITE_ERRORS},
    auth=permitted(ADD),
)
def create_task(request: HttpRequest, payload: TaskIn) -> Any:
    values = _references(payload.model_dump())
    links = {name: values.pop(name) for name in LINKS}
    task = services.task_create(by=request.user, links=links, **values)
    return Status(201, _answer(selectors.task_detail(pk=task.pk, user=request.user)))


@router.get(
    "/tasks/{int:id}",
    operation_id="tasks_get",
    summary="A task",
    response={200: TaskOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def get_task(request: HttpRequest, id: int) -> Any:
    return _answer(_task(request, id))


@router.patch(
    "/tasks/{int:id}",
    operation_id="tasks_update",
    summary="Change a task's subject, kind, notes, due date, flags, assignees or links",
    description="Its status changes through …/status-changes. Send null to clear a field.",
    response={200: TaskOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def update_task(request: HttpRequest, id: int, payload: TaskPatch) -> Any:
    task = _task(request, id)
    given = payload.model_fields_set - {"version"}
    fields = _references({name: getattr(payload, name) for name in given})
    for name in ("subject", "kind", "urgent", "private"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: "This can't be empty."})
    if fields.get("notes", "") is None:
        fields["notes"] = ""
    services.task_update(task=task, expected_version=payload.version, **fields)
    return _answer(selectors.task_detail(pk=task.pk, user=request.user))
