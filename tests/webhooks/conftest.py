"""Webhooks' tests: receivers on loopback (allowed here: the setting is on for these tests,
and a test turns it off to see loopback refused), a clock to move, endpoints and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from darkroom.events.models import Event
from darkroom.events.recording import event_record
from darkroom.webhooks.models import Delivery, Endpoint
from darkroom.webhooks.signing import webhook_secret_new
from tests.webhooks.receiver import other_receiver, receiver  # noqa: F401 (fixtures)

NOON = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def clock(time_machine) -> Callable[..., dt.datetime]:
    """The clock stopped at noon; ``clock(minutes=5)`` moves it on."""
    time_machine.move_to(NOON, tick=False)

    def move(**delta: float) -> dt.datetime:
        time_machine.shift(dt.timedelta(**delta))
        return timezone.now()

    return move


def endpoint_for(site, *, name: str = "Order tracker", **fields) -> Endpoint:
    """An endpoint sending to the receiver ``site``, which holds its secret."""
    secret = fields.pop("secret", None) or webhook_secret_new()
    endpoint = Endpoint.objects.create(
        name=name, url=fields.pop("url", None) or site.url(), secret=secret, **fields
    )
    site.secrets.append(secret)
    return endpoint


def happened(number: int = 1) -> Event:
    """An event, recorded as the studio's changes record theirs (deliveries written with it)."""
    return event_record(
        type="production_order.status_changed",
        data={"record": {"kind": "production_order", "id": number}, "status": {"name": "Ready"}},
        record=("production_order", number),
    )


def delivery_of(event: Event, endpoint: Endpoint) -> Delivery:
    return Delivery.objects.get(event=event, endpoint=endpoint)
