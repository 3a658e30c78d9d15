"""What the webhooks' tests share: an endpoint made as a manager makes one, events with their
deliveries made the real way (production orders starting and moving on, or an event recorded
as the studio's changes record theirs), receivers on loopback, and a stopped clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from darkroom.events.models import Event
from darkroom.events.recording import event_record
from darkroom.tracking.models import CycleKind
from darkroom.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Endpoint
from darkroom.webhooks.services import endpoint_create
from darkroom.webhooks.signing import webhook_secret_new
from tests import factories as f
from tests.webhooks.receiver import other_receiver, receiver  # noqa: F401 (fixtures)

RECEIVER = "http://127.0.0.1:9/hooks"


@pytest.fixture
def endpoint(people) -> Endpoint:
    return endpoint_create(
        name="Website order tracker",
        url=RECEIVER,
        event_types=["production_order.status_changed"],
        by=people["manager"],
    )


@pytest.fixture
def prints(db):
    """A print cycle: Ordered, At the lab, then Picked up."""
    return f.cycle_with_statuses(kind=CycleKind.PRODUCTION, order_type=f.OrderTypeFactory())


@pytest.fixture
def moved_orders(people, prints, endpoint):
    """``moved_orders(n)``: n orders started and moved to At the lab, so the endpoint has n
    deliveries (it wants status changes only); the deliveries, newest first."""

    def make(count: int) -> list[Delivery]:
        for _ in range(count):
            f.started_production_order(status=prints["At the lab"], by=people["manager"])
        return list(Delivery.objects.filter(endpoint=endpoint).order_by("-id"))

    return make


def ended(delivery: Delivery, state: str, *, status_code: int | None) -> Delivery:
    """Mark a delivery as the worker leaves one that ended (with its one attempt)."""
    delivery.state = state
    delivery.attempts = 1
    delivery.last_status_code = status_code
    if state == DeliveryState.DELIVERED:
        delivery.delivered_at = delivery.next_attempt_at
    delivery.save()
    DeliveryAttempt.objects.create(
        delivery=delivery,
        started_at=delivery.next_attempt_at,
        duration_ms=41,
        status_code=status_code,
        outcome="delivered" if state == DeliveryState.DELIVERED else "failed",
        excerpt="Not found" if status_code == 404 else "ok",
    )
    return delivery


NOON = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)


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
