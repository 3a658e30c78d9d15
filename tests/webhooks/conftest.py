"""What the webhooks' tests share: an endpoint made as a manager makes one, and events with
their deliveries made the real way, by production orders starting and moving on."""

from __future__ import annotations

import pytest

from darkroom.tracking.models import CycleKind
from darkroom.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Endpoint
from darkroom.webhooks.services import endpoint_create
from tests import factories as f

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
