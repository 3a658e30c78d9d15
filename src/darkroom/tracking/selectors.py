"""Reads of cycles, statuses and status history."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django_tasks_db.models import DBTaskResult

from darkroom.tracking.models import Cycle, Status, StatusNote, TrackedRecord


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
