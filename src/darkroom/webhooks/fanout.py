"""Deliveries written with their events: the webhooks' half of the transactional outbox.

``events.recording`` calls :func:`events_recorded` in the transaction of the change that caused
the events, so a delivery exists exactly when its event does; the worker sends it later
(``webhooks.sending``). Only active endpoints that want the event's type get one.

This runs in every status change, the studio's most frequent write, so it costs the change
one statement whether any endpoint exists or not: an ``INSERT … SELECT`` that joins the events
to the active endpoints wanting their types, in the database. Reading the endpoints first and
inserting their deliveries after cost a second round trip whenever some existed: on PostgreSQL
a change with three endpoints took 1.20x the time of one without; now the difference is the
rows alone (``bench/bench_webhooks.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.events.models import Event
from darkroom.webhooks.models import Delivery, DeliveryState, Endpoint

_ALL_TYPES = "[]"  # an endpoint naming no type wants every one (``Endpoint.wants``)

# Whether an endpoint ``ep`` wants the event type ``e.type``, in each database's JSON.
_WANTS = {
    "postgresql": f"(ep.event_types = '{_ALL_TYPES}'::jsonb"
    " OR ep.event_types @> to_jsonb(CAST(e.type AS text)))",
    "sqlite": f"(ep.event_types = '{_ALL_TYPES}'"
    " OR EXISTS (SELECT 1 FROM json_each(ep.event_types) AS t WHERE t.value = e.type))",
}
_BATCH = MOST_PARAMETERS // 2 - 2  # events per statement: an id and a type each, two moments


def events_recorded(*, events: Sequence[Event]) -> None:
    """The events follower: a delivery per (event, active endpoint that wants its type)."""
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    wants = _WANTS[connection.vendor]
    with connection.cursor() as cursor:
        for start in range(0, len(events), _BATCH):
            part = events[start : start + _BATCH]
            rows = ", ".join(["(%s, %s)"] * len(part))
            cursor.execute(
                f"WITH e(id, type) AS (VALUES {rows}) "
                f"INSERT INTO {quote(Delivery._meta.db_table)} (event_id, endpoint_id, state,"
                " attempts, next_attempt_at, created_at, reason) "
                "SELECT CAST(e.id AS bigint), ep.id, %s, 0, %s, %s, ''"
                f" FROM e JOIN {quote(Endpoint._meta.db_table)} AS ep"
                f" ON ep.is_active AND {wants}",
                [value for event in part for value in (event.pk, event.type)]
                + [DeliveryState.PENDING.value, now, now],
            )
