"""The status endpoints of every kind of tracked record, made from one list.

Sessions, invoices, production and preproduction orders and tasks share one implementation of a
record's status history, status change, bulk change, due-date move and reassigning
(``changes.py``, ``due_dates.py``, ``reassign.py``). A :class:`StatusEndpoints` says, for one
kind, where its endpoints live, what they are called and which of them it has, as
``StatusPages`` does for the pages; :func:`status_endpoints_add` adds them all. The engine sits
below the apps that hold these records, so a kind names its model by app label and its "who may
see" rule by dotted path.

Every path takes the record's id as a whole number (``{int:…}``), so a fixed path beside it
(``/sessions/bulk-status-changes`` beside the clients' ``/sessions/{session_id}``) never depends
on the order the routers are added in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.module_loading import import_string
from ninja import Query, Router

from darkroom.api.auth import permitted
from darkroom.api.errors import READ_ERRORS, WRITE_ERRORS
from darkroom.api.lists import PageQuery
from darkroom.api.lookups import path_id
from darkroom.tracking.api.changes import (
    BulkStatusChangeIn,
    BulkStatusChangeOut,
    HistoryPage,
    StatusChangeIn,
    StatusChangeOut,
    change_many,
    change_one,
    history_page,
)
from darkroom.tracking.api.common import CHANGE_STATUS, router, tracked
from darkroom.tracking.api.due_dates import (
    DUE_DATE_DESCRIPTION,
    DueDateIn,
    DueDateOut,
    due_date_move,
)
from darkroom.tracking.api.reassign import (
    BULK_REASSIGN_DESCRIPTION,
    REASSIGN_DESCRIPTION,
    BulkReassignIn,
    BulkReassignOut,
    ReassignIn,
    ReassignOut,
    reassign_many,
    reassign_one,
)
from darkroom.tracking.models import TrackedRecord

# Due dates and reassigning are listed under tracking whatever the record.
TRACKING = "tracking"


@dataclass(frozen=True)
class StatusEndpoints:
    """The status endpoints of one kind of tracked record, as data."""

    label: str  # the model, by app label ("clients.Session")
    prefix: str  # "/sessions": where its endpoints live
    parameter: str  # "session_id": the id's name in its paths
    noun: str  # "session": in the summaries
    plural: str
    operation: str  # "session": the start of its operation ids ("session_status_changes_list")
    tag: str  # where the docs list its history and status changes
    view_permission: str  # to read its history
    # The record as the person may see it, when not every record (another person's private task
    # is not found): the dotted path of a function of ``pk`` and ``user``.
    detail: str | None = None
    change_summary: str = ""  # when the change's summary says more than "Change a …'s status"
    # Which endpoints it has.
    history: bool = True
    change: bool = True
    bulk_change: bool = False
    due_date: bool = True
    reassign: bool = False
    bulk_reassign: bool = False

    @property
    def a_noun(self) -> str:
        return f"{'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"

    def record(self, request: HttpRequest, pk: int) -> TrackedRecord:
        if self.detail is None:
            return tracked(self.label).objects.get(pk=path_id(pk))
        detail: Callable[..., TrackedRecord] = import_string(self.detail)
        return detail(pk=path_id(pk), user=request.user)


TRACKED_RECORDS = (
    StatusEndpoints(
        label="clients.Session",
        prefix="/sessions",
        parameter="session_id",
        noun="session",
        plural="sessions",
        operation="session",
        tag=TRACKING,
        view_permission="clients.view_session",
        bulk_change=True,
    ),
    StatusEndpoints(
        label="clients.Invoice",
        prefix="/invoices",
        parameter="invoice_id",
        noun="invoice",
        plural="invoices",
        operation="invoice",
        tag=TRACKING,
        view_permission="clients.view_invoice",
        bulk_change=True,
    ),
    StatusEndpoints(
        label="production.ProductionOrder",
        prefix="/production-orders",
        parameter="id",
        noun="production order",
        plural="production orders",
        operation="production_order",
        tag="production",
        view_permission="production.view_productionorder",
        bulk_change=True,
        reassign=True,
        bulk_reassign=True,
    ),
    StatusEndpoints(
        label="production.PreproductionOrder",
        prefix="/preproduction-orders",
        parameter="id",
        noun="preproduction order",
        plural="preproduction orders",
        operation="preproduction_order",
        tag="production",
        view_permission="production.view_preproductionorder",
        reassign=True,
        bulk_reassign=True,
    ),
    StatusEndpoints(
        label="todos.Task",
        prefix="/tasks",
        parameter="id",
        noun="task",
        plural="tasks",
        operation="task",
        tag="tasks",
        view_permission="todos.view_task",
        detail="darkroom.todos.selectors.task_detail",
        change_summary="Change a task's status (or start it in the task cycle)",
    ),
)


def _add(
    router: Router,
    kind: StatusEndpoints,
    method: str,
    path: str,
    run: Callable[[HttpRequest, Any, Any], Any],
    *,
    one: bool = True,
    body: tuple[str, Any],
    tag: str = TRACKING,
    permission: str = CHANGE_STATUS,
    **operation: Any,
) -> None:
    """Add one endpoint of ``kind``: ``run(request, record, body)`` for one record (its id in the
    path), ``run(request, model, body)`` for many.

    The view's signature is made here (django-ninja reads the path parameter, the query and the
    body from it by name and type), so one function serves a path parameter of any name."""
    parameters = {
        "request": HttpRequest,
        **({kind.parameter: int} if one else {}),
        body[0]: body[1],
    }

    def view(request: HttpRequest, **values: Any) -> Any:
        target = kind.record(request, values[kind.parameter]) if one else tracked(kind.label)
        return run(request, target, values[body[0]])

    view.__name__ = view.__qualname__ = operation["operation_id"]
    signature = inspect.Signature(
        [
            inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=given)
            for name, given in parameters.items()
        ]
    )
    setattr(view, "__signature__", signature)  # noqa: B010  (not an attribute mypy knows)
    router.api_operation([method], path, auth=permitted(permission), tags=[tag], **operation)(view)


def status_endpoints_add(router: Router, kinds: Iterable[StatusEndpoints]) -> None:
    """Add every kind's status endpoints to ``router``: its history, status change and due-date
    move, and the bulk change, reassigning and bulk reassigning of the kinds that have them."""
    for kind in kinds:
        one, stem, payload = f"{kind.prefix}/{{int:{kind.parameter}}}", kind.operation, "payload"
        if kind.bulk_change:
            _add(
                router,
                kind,
                "POST",
                f"{kind.prefix}/bulk-status-changes",
                change_many,
                one=False,
                body=(payload, BulkStatusChangeIn),
                tag=kind.tag,
                operation_id=f"{stem}_bulk_status_changes_create",
                summary=f"Change many {kind.plural}' statuses at once (all or nothing)",
                response={200: BulkStatusChangeOut, **WRITE_ERRORS},
            )
        if kind.bulk_reassign:
            _add(
                router,
                kind,
                "POST",
                f"{kind.prefix}/bulk-reassign",
                reassign_many,
                one=False,
                body=(payload, BulkReassignIn),
                operation_id=f"{stem}_bulk_reassign_create",
                summary=f"Reassign many {kind.plural} at once (no status change; all or nothing)",
                description=BULK_REASSIGN_DESCRIPTION,
                response={200: BulkReassignOut, **WRITE_ERRORS},
            )
        if kind.history:
            _add(
                router,
                kind,
                "GET",
                f"{one}/status-changes",
                history_page,
                body=("params", Query[PageQuery]),
                tag=kind.tag,
                permission=kind.view_permission,
                operation_id=f"{stem}_status_changes_list",
                summary=f"{kind.a_noun.capitalize()}'s status history, oldest first",
                response={200: HistoryPage, **READ_ERRORS},
            )
        if kind.change:
            _add(
                router,
                kind,
                "POST",
                f"{one}/status-changes",
                change_one,
                body=(payload, StatusChangeIn),
                tag=kind.tag,
                operation_id=f"{stem}_status_changes_create",
                summary=kind.change_summary or f"Change {kind.a_noun}'s status",
                response={201: StatusChangeOut, **WRITE_ERRORS},
            )
        if kind.due_date:
            _add(
                router,
                kind,
                "POST",
                f"{one}/status-due-date",
                due_date_move,
                body=(payload, DueDateIn),
                operation_id=f"{stem}_status_due_date_create",
                summary=f"Move {kind.a_noun}'s status due date",
                description=DUE_DATE_DESCRIPTION,
                response={200: DueDateOut, **WRITE_ERRORS},
            )
        if kind.reassign:
            _add(
                router,
                kind,
                "POST",
                f"{one}/reassign",
                reassign_one,
                body=(payload, ReassignIn),
                operation_id=f"{stem}_reassign_create",
                summary=f"Reassign {kind.a_noun} to another department or person "
                "(no status change)",
                description=REASSIGN_DESCRIPTION,
                response={200: ReassignOut, **WRITE_ERRORS},
            )


status_endpoints_add(router, TRACKED_RECORDS)
