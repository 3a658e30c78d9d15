"""Reads of tasks: who may see which, "my tasks", and the tasks about a record.

Every list goes through :func:`visible_tasks`, so a private task never shows to anyone but the
person who wrote it and the person it is for, whichever page or endpoint asks.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Model, Q, QuerySet

from darkroom.studio.models import Department
from darkroom.todos.models import LINKS, Task, linked_model

RELATED = (
    "status",
    "assigned_user",
    "assigned_department",
    "created_by",
    "client",
    "session__client",
    "session__session_type",
    "invoice",
    "preproduction_order__session",
    "preproduction_order__vendor",
    "production_order__order_type",
    "production_order__vendor",
)


def visible_tasks(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Task]:
    """The tasks this person may see: every task but other people's private ones."""
    if user.pk is None:
        return Task.objects.none()
    return Task.objects.filter(Q(private=False) | Q(created_by=user.pk) | Q(assigned_user=user.pk))


def worklist_order(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open first; of those the longest overdue first, undated last; urgent before the rest."""
    return tasks.order_by(
        F("completed_date").asc(nulls_first=True),
        F("due_on").asc(nulls_last=True),
        "-urgent",
        "id",
    )


def task_list(
    *,
    user: AbstractBaseUser | AnonymousUser,
    mine: bool = False,
    state: str = "open",
    kind: str = "",
    links: dict[str, int] | None = None,
) -> QuerySet[Task]:
    """The tasks a person may see, filtered: ``mine`` is theirs and their departments';
    ``state`` is "open", "done" or "all"; ``links`` narrows to tasks about those records."""
    tasks = visible_tasks(user)
    if mine:
        tasks = tasks.filter(
            Q(assigned_user=user.pk)
            | Q(assigned_department__in=Department.objects.filter(members=user.pk).values("pk"))
        )
    if state == "open":
        tasks = tasks.filter(completed_date__isnull=True)
    elif state == "done":
        tasks = tasks.filter(completed_date__isnull=False)
    if kind:
        tasks = tasks.filter(kind=kind)
    for name, pk in (links or {}).items():
        if name in LINKS:
            tasks = tasks.filter(**{f"{name}_id": pk})
    return worklist_order(tasks.select_related(*RELATED))


def tasks_for(user: AbstractBaseUser | AnonymousUser, *, state: str = "open") -> QuerySet[Task]:
    """ "My tasks": for the person or one of their departments, open first, overdue first."""
    return task_list(user=user, mine=True, state=state)


# A task made from an order (or a session, an invoice) is about its client too: the records
# that belong to a client, session or invoice, as the conditions that find their tasks.
BELONGING: dict[str, tuple[tuple[str, str], ...]] = {
    "client": (
        ("session", "client_id"),
        ("invoice", "client_id"),
        ("production_order", "client_id"),
        ("preproduction_order", "session__client_id"),
    ),
    "session": (
        ("invoice", "session_id"),
        ("production_order", "invoice__session_id"),
        ("preproduction_order", "session_id"),
    ),
    "invoice": (("production_order", "invoice_id"),),
}


def _about(name: str, pk: int) -> Q:
    """Tasks about the record, or about a record that belongs to it (each a subquery of ids
    read through the foreign key's index, so the page costs one query)."""
    condition = Q(**{f"{name}_id": pk})
    for link, path in BELONGING.get(name, ()):
        related = linked_model(link)
        condition |= Q(
            **{f"{link}_id__in": related._default_manager.filter(**{path: pk}).values("pk")}
        )
    return condition


def tasks_linked_to(record: Model, *, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Task]:
    """The tasks about one client, session, invoice or order that this person may see; a
    client's, session's or invoice's include the tasks made from its orders (and a client's,
    from its sessions and invoices)."""
    name = next((n for n in LINKS if isinstance(record, linked_model(n))), None)
    if name is None:
        raise TypeError(f"A task can't point at a {type(record).__name__}.")
    tasks = task_list(user=user, state="all")
    return tasks.filter(_about(name, record.pk))


def task_detail(*, pk: int, user: AbstractBaseUser | AnonymousUser) -> Task:
    """One task this person may see (another person's private task does not exist for them)."""
    return (
        visible_tasks(user).select_related(*RELATED, "completed_by", "status_department").get(pk=pk)
    )


def overdue(task: Task, today: dt.date) -> bool:
    return task.is_open and task.due_on is not None and task.due_on < today
