"""Background work of the status engine, run by ``darkroom worker``."""

from __future__ import annotations

from django_tasks import task

from darkroom.tracking.services import CALENDAR_CHANGED, due_dates_recompute


@task()
def recompute_due_dates(reason: str, invoice_id: int | None = None) -> int:
    """Recompute open records' due dates after the calendar or a promised date changed."""
    return due_dates_recompute(reason=reason, invoice_id=invoice_id)


def calendar_changed() -> None:
    """A follower of the studio's calendar (``studio/calendar_version.py``): the open records'
    due dates are recomputed by the worker, the job enqueued in the calendar write's transaction."""
    recompute_due_dates.enqueue(reason=CALENDAR_CHANGED)
