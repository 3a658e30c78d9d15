"""Background work of the status engine, run by ``darkroom worker``."""

from __future__ import annotations

from django_tasks import task

from darkroom.tracking.recompute import due_dates_recompute


@task()
def recompute_due_dates(reason: str, invoice_id: int | None = None) -> int:
    """Recompute open records' due dates after the calendar or a promised date changed."""
    return due_dates_recompute(reason=reason, invoice_id=invoice_id)
