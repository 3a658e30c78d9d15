"""Deliveries written with their events: the webhooks' half of the transactional outbox.

``events.recording`` calls :func:`events_recorded` in the transaction of the change that caused
the events, so a delivery exists exactly when its event does; the worker sends it later
(``webhooks.sending``). Only active endpoints that want the event's type get one.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from darkroom.events.models import Event
from darkroom.webhooks.models import Delivery, Endpoint

_BATCH = 500


def events_recorded(*, events: Sequence[Event]) -> None:
    """The events follower: a delivery per (event, active endpoint that wants its type)."""
    endpoints = list(Endpoint.objects.filter(is_active=True).only("id", "event_types"))
    if not endpoints:
        return
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(event=event, endpoint=endpoint, next_attempt_at=now, created_at=now)
            for event in events
            for endpoint in endpoints
            if endpoint.wants(event.type)
        ],
        batch_size=_BATCH,
    )
