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


# -- Resend and abort, until the delivery work brings its own -----------------------------------
# Minimal versions with the names and signatures the delivery work gives them
# (``message_resend``, ``message_abort``); when it reaches this branch its versions replace
# everything below this line.


def message_resend(*, message: Message, by: object) -> Message:
    """Queue the same text to the same recipient again, as a new message linked to the old.
    Only an ended message (sent, failed, aborted) can be resent."""
    from django.utils import timezone

    from darkroom.errors import DarkroomError
    from darkroom.messaging.models import PENDING_STATES, MessageState

    if message.state in (*PENDING_STATES, MessageState.SENDING):
        raise DarkroomError(
            f"This message is {message.get_state_display().lower()}: it has not ended yet, "
            "so there is nothing to resend.",
            code="message_pending",
        )
    now = timezone.now()
    count = Message.objects.filter(resend_of=message).count() + 1
    copy = Message(
        key=message_key(message.key, "resend", count),
        channel=message.channel,
        to=message.to,
        to_name=message.to_name,
        subject=message.subject,
        body=message.body,
        state=MessageState.QUEUED,
        reason=f"Resent by {getattr(by, 'get_username', lambda: by)()}.",
        next_attempt_at=now,
        created_at=now,
        created_by=by,
        firing=message.firing,
        resend_of=message,
        content_type_id=message.content_type_id,
        object_id=message.object_id,
        client_id=message.client_id,
        session_id=message.session_id,
        invoice_id=message.invoice_id,
    )
    if not messages_write(messages=[copy]):
        raise DarkroomError("This message was just resent.", code="message_resent")
    return copy


def message_abort(*, message: Message, by: object) -> Message:
    """Stop a message that has not gone yet (queued or waiting to retry)."""
    from darkroom.errors import DarkroomError
    from darkroom.messaging.models import PENDING_STATES, MessageState

    who = getattr(by, "get_username", lambda: by)()
    moved = Message.objects.filter(pk=message.pk, state__in=PENDING_STATES).update(
        state=MessageState.ABORTED, reason=f"Aborted by {who}.", sending_since=None
    )
    message.refresh_from_db()
    if not moved:
        raise DarkroomError(
            f"This message is {message.get_state_display().lower()}; only a message still "
            "queued or waiting to retry can be aborted.",
            code="message_not_pending",
        )
    return message
