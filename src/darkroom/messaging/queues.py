"""What the worker reads every round: the firings whose day has come and the messages whose
time has come, each through its partial index (``firing_waiting_due``, ``message_pending``),
so the years of fired firings and sent messages beside them are never read.

The states are written out in the SQL (:func:`darkroom.partial_indexes.one_of`): SQLite uses a
partial index only then.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from darkroom.messaging.models import PENDING_STATES, WAITING_STATES, Firing, Message
from darkroom.partial_indexes import one_of


def firings_waiting(today: dt.date) -> QuerySet[Firing]:
    """The firings scheduled or due whose day has come (``today`` or before)."""
    return Firing.objects.filter(one_of(Firing, "state", WAITING_STATES), due_on__lte=today)


def messages_due(now: dt.datetime) -> QuerySet[Message]:
    """The messages queued or waiting to retry whose time has come."""
    return Message.objects.filter(
        one_of(Message, "state", PENDING_STATES), next_attempt_at__lte=now
    )
