"""Leases on outbox rows: a row a worker stopped while sending goes back in the queue.

The messaging outbox and webhook deliveries work alike (pretix's OutgoingMail): a worker claims a
row by marking it ``sending`` with the moment of its claim, sends it outside any transaction,
and writes down the outcome only if the row is still that claim. A worker that dies mid-send
leaves the row ``sending``; once the lease has run out, :func:`stalled_put_back` puts it back in
the queue, counts the try and writes an attempt row saying so. Each row is moved in its own
short transaction, and only if it is still the claim that stalled, so two workers putting back
at once move it once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone


def stalled_put_back(
    model: type[Model],
    *,
    lease_seconds: int,
    back_to: str,
    reason: str,
    attempt: Callable[[int, datetime], None],
) -> int:
    """Put back (as ``back_to``, due now, with ``reason``) the rows of ``model`` left
    ``sending`` longer than ``lease_seconds``; ``attempt(pk, claimed_at)`` writes the try's
    row. How many were put back."""
    now = timezone.now()
    manager = model._default_manager
    stalled = manager.filter(
        state="sending", sending_since__lt=now - timedelta(seconds=lease_seconds)
    )
    put_back = 0
    for pk, since in list(stalled.values_list("pk", "sending_since")):
        with transaction.atomic():
            moved = manager.filter(pk=pk, state="sending", sending_since=since).update(
                state=back_to,
                sending_since=None,
                next_attempt_at=now,
                attempts=F("attempts") + 1,
                reason=reason,
            )
            if moved:
                attempt(pk, since)
                put_back += 1
    return put_back
