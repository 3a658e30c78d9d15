"""Writes of tasks: the one place their rules live (pages, the API and triggers call these).

A task's own fields (subject, kind, who it is for, its due date, its links) change here; its
status changes through the status-change service like any tracked record's. ``version`` is the
same counter the status engine raises, so an edit and a status change made at once by two
people never overwrite each other: the second is a Conflict.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Field, Model

from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.models import Department
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import LINKS, Task, linked_model
from darkroom.tracking.services import record_start

# What a person may change on a task (its status fields belong to the status engine).
UPDATABLE = {
    "kind",
    "subject",
    "notes",
    "due_on",
    "urgent",
    "private",
    "assigned_user",
    "assigned_department",
    *LINKS,
}
CHECKED_FIELDS = ["kind", "subject", "notes", "due_on", "urgent", "private"]


def _check_assignees(task: Task, changed: set[str]) -> dict[str, list[str]]:
    """A newly chosen person must still sign in, a newly chosen department be current."""
    errors: dict[str, list[str]] = {}
    user = task.assigned_user
    if "assigned_user" in changed and user is not None:
        if not isinstance(user, get_user_model()):
            errors["assigned_user"] = ["Choose a person."]
        elif not user.is_active:
            errors["assigned_user"] = [f"“{user}” can no longer sign in; choose someone else."]
    department = task.assigned_department
    if "assigned_department" in changed and department is not None:
        if not isinstance(department, Department):
            errors["assigned_department"] = ["Choose a department."]
        elif department.is_inactive:
            errors["assigned_department"] = [
                f"“{department}” is inactive; choose another department."
            ]
    return errors


def _check_links(task: Task, changed: set[str]) -> dict[str, list[str]]:
    """Links given together must be about the same client (a session's, an invoice's…)."""
    errors: dict[str, list[str]] = {}
    for name in LINKS:
        record = getattr(task, name) if getattr(task, f"{name}_id", None) else None
        if name in changed and record is not None and not isinstance(record, linked_model(name)):
            errors[name] = [f"Choose a {LINKS[name]}."]
    if errors:
        return errors
    clients: dict[str, int] = {}
    if task.client_id:
        clients["client"] = task.client_id
    for name in ("session", "invoice", "production_order"):
        record = getattr(task, name) if getattr(task, f"{name}_id") else None
        if record is not None:
            clients[name] = record.client_id
    if task.preproduction_order is not None:
        clients["preproduction_order"] = task.preproduction_order.session.client_id
    if len(set(clients.values())) > 1:
        # Beside the link that was just chosen, when one was.
        field = next((n for n in reversed(list(LINKS)) if n in clients and n in changed), None)
        errors[field or next(iter(clients))] = ["That record belongs to another client."]
    return errors


def _check_privacy(task: Task) -> dict[str, list[str]]:
    if task.private and task.assigned_user_id is None and task.assigned_department_id:
        return {
            "private": [
                "A private task is for one person: choose who it is for, "
                "or leave the department empty."
            ]
        }
    return {}


def _validate(task: Task, changed: set[str]) -> None:
    """Every rule of a task, all messages at once, beside their fields."""
    errors: dict[str, list[str]] = {}
    try:
        task.clean_fields(
            exclude=[f.name for f in task._meta.fields if f.name not in CHECKED_FIELDS]
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(_check_assignees(task, changed))
    errors.update(_check_links(task, changed))
    errors.update(_check_privacy(task))
    if errors:
        raise ValidationError(errors)


def _enter_cycle(task: Task, *, by: AbstractBaseUser) -> None:
    """Start a new task in the task cycle's initial status, when the studio has one.

    Without a task cycle a task is still a task: open until the studio sets one up.
    """
    try:
        record_start(record=task, started_on=studio_preferences().today(), by=by)
    except DarkroomError as exc:
        if exc.code not in ("no_cycle", "no_initial"):
            raise


def task_create(
    *,
    by: User,
    subject: str,
    kind: str = Task._meta.get_field("kind").default,
    notes: str = "",
    due_on: dt.date | None = None,
    urgent: bool = False,
    private: bool = False,
    assigned_user: User | None = None,
    assigned_department: Department | None = None,
    links: dict[str, Model | None] | None = None,
) -> Task:
    """Write a task for a person and/or a department, about the records in ``links``
    (``{"invoice": invoice, ...}``; none: a task of its own). It enters the task cycle today."""
    links = dict(links or {})
    unknown = sorted(set(links) - set(LINKS))
    if unknown:
        raise ValidationError({name: "A task can't point at this." for name in unknown})
    task = Task(
        kind=kind,
        subject=subject.strip() if isinstance(subject, str) else subject,
        notes=notes,
        due_on=due_on,
        urgent=urgent,
        private=private,
        created_by=by,
    )
    # Assigned one by one: a wrong kind of object is a message beside its field, not a crash.
    for name, value in (
        ("assigned_user", assigned_user),
        ("assigned_department", assigned_department),
        *links.items(),
    ):
        _assign(task, name, value)
    _validate(task, {"assigned_user", "assigned_department", *links})
    with transaction.atomic():
        task.save()
        _enter_cycle(task, by=by)
    task.refresh_from_db()
    return task


def _assign(task: Task, name: str, value: Any) -> None:
    if value is None:
        setattr(task, f"{name}_id", None)
        return
    if not isinstance(value, linked_model(name)) or value.pk is None:
        raise ValidationError({name: "Choose one from the list."})
    setattr(task, name, value)


def task_update(*, task: Task, expected_version: int, **fields: Any) -> Task:
    """Change what a person wrote on a task. A stale ``expected_version`` is a Conflict;
    bad input changes nothing. Its status changes through the status-change service."""
    unknown = sorted(set(fields) - UPDATABLE)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    if type(expected_version) is not int:
        raise ValidationError({"expected_version": "Give the version you read."})
    changed = set(fields)
    for name, value in fields.items():
        if name in ("assigned_user", "assigned_department", *LINKS):
            _assign(task, name, value)
        else:
            setattr(
                task, name, value.strip() if name == "subject" and isinstance(value, str) else value
            )
    _validate(task, changed)
    columns = {}
    for name in changed:
        # A task's own column: UPDATABLE names no reverse relation.
        field = cast("Field[Any, Any]", task._meta.get_field(name))
        columns[field.attname] = getattr(task, field.attname)
    with transaction.atomic():
        written = Task.objects.filter(pk=task.pk, version=expected_version).update(
            **columns, version=F("version") + 1
        )
        if not written:
            raise Conflict(
                "This task was changed by someone else since you opened it. "
                "Reload it to see their change, then make yours again."
            )
    task.version = expected_version + 1
    return task
