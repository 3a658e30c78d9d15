"""Deliveries written with their events: the webhooks' half of the transactional outbox.

``events.recording`` calls :func:`events_recorded` in the transaction of the change that caused
the events, so a delivery exists exactly when its event does; the worker sends it later
(``webhooks.sending``). Only active endpoints that want the event's type get one.

This runs in every status change, the studio's most frequent write, so it costs the change one
SELECT of the active endpoints' ids and types (made whether or not any exist) and, when some
want the events, one INSERT of all their deliveries, written as a plain statement. Building
endpoints and deliveries as model instances made a change with three endpoints take 1.31x the
CPU time of one without; this way 1.04x (``bench/bench_webhooks.py``, SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.events.models import Event
from darkroom.webhooks.models import Delivery, DeliveryState, Endpoint

# The columns a new delivery is written with (the others start empty, NULL).
_COLUMNS = (
    "event_id",
    "endpoint_id",
    "state",
    "attempts",
    "next_attempt_at",
    "created_at",
    "reason",
)
_BATCH = MOST_PARAMETERS // len(_COLUMNS)  # rows per INSERT


def events_recorded(*, events: Sequence[Event]) -> None:
    """The events follower: a delivery per (event, active endpoint that wants its type)."""
    # Ids and types, unordered: no model instances to build, no sort to make.
    endpoints = list(
        Endpoint.objects.filter(is_active=True).order_by().values_list("id", "event_types")
    )
    if not endpoints:
        return
    pairs = [
        (event.pk, endpoint_id)
        for event in events
        for endpoint_id, wanted in endpoints
        if not wanted or event.type in wanted  # none named: every type (``Endpoint.wants``)
    ]
    if pairs:
        _deliveries_insert(pairs)


def _deliveries_insert(pairs: list[tuple[int, int]]) -> None:
    """Write a pending delivery, due now, for each (event id, endpoint id)."""
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    head = (
        f"INSERT INTO {quote(Delivery._meta.db_table)} "
        f"({', '.join(quote(column) for column in _COLUMNS)}) VALUES "
    )
    row = f"({', '.join(['%s'] * len(_COLUMNS))})"
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), _BATCH):
            part = pairs[start : start + _BATCH]
            cursor.execute(
                head + ", ".join([row] * len(part)),
                [
                    value
                    for event_id, endpoint_id in part
                    for value in (
                        event_id,
                        endpoint_id,
                        DeliveryState.PENDING.value,
                        0,
                        now,
                        now,
                        "",
                    )
                ],
            )
