"""The worker's tick: everything time makes due, done once a minute by ``darkroom worker``.

Safe when several workers tick at once: firings and messages are claimed row by row (SKIP
LOCKED on PostgreSQL; SQLite's write transactions take turns), so each is acted on once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.outbox import outbox_deliver
from darkroom.messaging.queues import firings_waiting, messages_due
from darkroom.studio.selectors import studio_preferences


@dataclass(frozen=True)
class TickDone:
    """What one tick did, for the worker's log."""

    firings: int
    messages: int


def tick() -> TickDone:
    """Act on the firings due by today, then deliver the messages whose time has come."""
    firings = firings_process_due()
    messages = outbox_deliver()
    return TickDone(firings=firings, messages=messages)


def work_waiting() -> bool:
    """Whether a tick has something to do now: a firing waiting whose day has come, or a
    message whose time has come. Two reads over the partial indexes of waiting firings and
    pending messages, cheap enough for the worker to ask every couple of seconds."""
    today = studio_preferences().today()
    if firings_waiting(today).exists():
        return True
    return messages_due(timezone.now()).exists()
