"""Reads of cycles, statuses and status history: which cycle a record follows, and which
cycles the studio still has to set up, are reads the writers share (``tracking.services``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Model, Q, QuerySet
from django_tasks_db.models import DBTaskResult

from darkroom.catalog.models import ProductionOrderType
from darkroom.errors import DarkroomError
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import (
    Cycle,
    CycleKind,
    Status,
    StatusNote,
    TrackedRecord,
    cycle_scope,
)


def _session_types() -> QuerySet[Any]:
    """The clients' session types, as ``Cycle.session_type`` names them: the engine sits below the
    clients app, whose sessions follow its cycles, so it doesn't import it."""
    return Cycle._meta.get_field("session_type").related_model._default_manager.all()


def _by_session_type(scope: str) -> bool:
    """A scope of one session type's own cycle ("session:type:7", see ``cycle_scope``)."""
    return scope.startswith(f"{CycleKind.SESSION.value}:type:")


@dataclass(frozen=True)
class CycleToSetUp:
    """A cycle the studio's records will need and the studio has not set up yet."""

    scope: str
    kind: str
    name: str
    order_type: ProductionOrderType | None = None
    session_type: Model | None = None


def cycles_to_set_up() -> list[CycleToSetUp]:
    """The shared cycles, each active production order type's, and (when the studio tracks
    sessions by type) each active session type's, that don't exist yet."""
    wanted = [
        CycleToSetUp(scope=kind.value, kind=kind.value, name=str(kind.label))
        for kind in (CycleKind.SESSION, CycleKind.INVOICE, CycleKind.PREPRODUCTION, CycleKind.TASK)
    ]
    for order_type in ProductionOrderType.objects.filter(is_inactive=False):
        scope = cycle_scope(CycleKind.PRODUCTION, order_type.pk, None)
        wanted.append(CycleToSetUp(scope, CycleKind.PRODUCTION, order_type.name, order_type))
    if studio_preferences().statuses_by_session_type:
        for session_type in _session_types().filter(is_inactive=False):
            scope = cycle_scope(CycleKind.SESSION, None, session_type.pk)
            name = f"{session_type.name} sessions"
            wanted.append(CycleToSetUp(scope, CycleKind.SESSION, name, None, session_type))
    existing = set(Cycle.objects.values_list("scope", flat=True))
    return [cycle for cycle in wanted if cycle.scope not in existing]


def cycles_for(records: Sequence[TrackedRecord]) -> list[Cycle]:
    """:func:`cycle_for` of many new records, in one query (their cycles, in their order)."""
    wanted = [_scopes(record) for record in records]  # new records have no id to key on
    every = {scope for scopes in wanted for scope in scopes}
    found = {cycle.scope: cycle for cycle in Cycle.objects.filter(scope__in=every)}
    return [_first_found(r, scopes, found) for r, scopes in zip(records, wanted, strict=True)]


def _scopes(record: TrackedRecord) -> list[str]:
    scopes = list(record.tracking_scopes())
    if _by_session_type(scopes[0]) and not studio_preferences().statuses_by_session_type:
        scopes = scopes[1:]  # a session's own type's cycle, when the studio doesn't use them
    return scopes


def _first_found(record: TrackedRecord, scopes: list[str], found: dict[str, Cycle]) -> Cycle:
    for scope in scopes:
        if scope in found:
            return found[scope]
    label = record._meta.verbose_name_plural
    raise DarkroomError(
        f"The studio has no status cycle for {label} yet: add its statuses first.",
        code="no_cycle",
    )


def cycle_for(record: TrackedRecord) -> Cycle:
    """The cycle a record follows: its own, never another's.

    A record that has a status follows that status's cycle. A new record follows the first of
    its ``tracking_scopes()`` the studio has set up: a session its type's own cycle when the
    studio tracks statuses by session type (and has one for that type), else the shared session
    cycle; an invoice the invoice cycle; a production order its order type's cycle.
    """
    if record.status_id is not None:
        return Cycle.objects.get(statuses=record.status_id)
    scopes = _scopes(record)
    found = {cycle.scope: cycle for cycle in Cycle.objects.filter(scope__in=scopes)}
    return _first_found(record, scopes, found)


def cycle_statuses(*, cycle: Cycle, include_inactive: bool = True) -> QuerySet[Status]:
    """A cycle's steps in order ("hide inactive" leaves out the retired ones)."""
    statuses = Status.objects.filter(cycle=cycle).order_by("position", "id")
    return statuses if include_inactive else statuses.filter(is_inactive=False)


def next_active_status(*, status: Status) -> Status | None:
    """The first active step after ``status`` in its cycle's order; None after the last."""
    later = Q(position__gt=status.position) | Q(position=status.position, id__gt=status.pk)
    # By cycle id: the status's cycle row itself isn't needed (and would be another query).
    steps = Status.objects.filter(cycle_id=status.cycle_id, is_inactive=False)
    return steps.filter(later).order_by("position", "id").first()


def cycle_steps(cycle_id: int) -> list[Status]:
    """Every step of a cycle, in order, in one query: what a change plans with."""
    return list(Status.objects.filter(cycle_id=cycle_id).order_by("position", "id"))


def next_step(steps: list[Status], current: Status) -> Status | None:
    """The first active step after ``current`` among a cycle's ``steps`` (in order)."""
    after = False
    for step in steps:
        if after and not step.is_inactive:
            return step
        after = after or step.pk == current.pk
    return None


def open_records(model: type[TrackedRecord]) -> QuerySet[TrackedRecord]:
    """Records in a status that is not final, found through the open-records index.

    Every "open" query filters on ``completed_date IS NULL`` and a due date, which is what the
    partial index ``TrackedRecord.open_due_date_index`` covers: closed records (the bulk of a
    studio's history) are never scanned.
    """
    return model._default_manager.filter(completed_date__isnull=True, status_due_date__isnull=False)


def overdue(model: type[TrackedRecord], *, today: dt.date) -> QuerySet[TrackedRecord]:
    """Open records whose step was due before today."""
    return open_records(model).filter(status_due_date__lt=today)


def due_between(
    model: type[TrackedRecord], *, first: dt.date, last: dt.date
) -> QuerySet[TrackedRecord]:
    """Open records whose step is due from ``first`` to ``last`` (today: both today)."""
    return open_records(model).filter(status_due_date__range=(first, last))


def at_risk(model: type[TrackedRecord]) -> QuerySet[TrackedRecord]:
    """Open records projected to finish after the date promised to the client."""
    field = model.PROMISED_DATE_FIELD
    if field is None:
        return model._default_manager.none()
    return open_records(model).filter(projected_completion__gt=F(field))


# The job that recomputes due dates (``tasks.recompute_due_dates``), by the path the queue keeps:
# tasks.py runs the engine, which reads through this module, so it is named rather than imported.
RECOMPUTE_TASK = "darkroom.tracking.tasks.recompute_due_dates"


def recomputations_pending() -> int:
    """Recomputations of due dates queued or running (the worker does them): pages say so."""
    return (
        DBTaskResult.objects.filter(task_path=RECOMPUTE_TASK, status__in=["READY", "RUNNING"])
        .order_by()
        .count()
    )


def status_history(*, record: TrackedRecord) -> QuerySet[StatusNote]:
    """Every status change of a record, oldest first."""
    return (
        StatusNote.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related(
            "from_status",
            "to_status",
            "updated_by",
            "entered_by",
            "department",
            "user",
            "previous_department",
            "previous_user",
        )
        .order_by("changed_at", "id")
    )
