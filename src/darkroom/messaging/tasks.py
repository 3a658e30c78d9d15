"""Background jobs of the messaging app: only wake-ups. The state of every firing and message
is in our own tables, and the worker's tick (``messaging.ticks``) is what guarantees that each
is acted on; a job only makes that happen sooner."""

from __future__ import annotations

from django_tasks import task


@task()
def process_now() -> None:
    """Process what is due now: firings due today, messages ready to send."""
    from darkroom.messaging.ticks import tick

    tick()
