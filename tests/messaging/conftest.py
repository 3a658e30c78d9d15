"""Triggers on a small album cycle, and orders that move through it."""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.utils import timezone

from darkroom.messaging.models import MessageTemplate, Trigger
from darkroom.production.models import ProductionOrder
from darkroom.tracking.services import cycle_touch, status_change
from tests.factories import (
    ClientFactory,
    OrderTypeFactory,
    cycle_with_statuses,
    started_production_order,
)

# A Monday of an ordinary week with no closures (the studio works Monday to Friday).
MONDAY = dt.date(2026, 3, 2)


def business_days_after(day: dt.date, count: int) -> dt.date:
    """Counted by hand, Monday to Friday, for checking the planner's dates independently."""
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def business_days_before(day: dt.date, count: int) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@pytest.fixture
def album(db) -> SimpleNamespace:
    """Album orders: Ordered (1 day) → At the lab (5 days) → Ready for pickup → Picked up."""
    albums = cycle_with_statuses(
        name="Album orders",
        order_type=OrderTypeFactory(name="Album"),
        steps=[("Ordered", 1), ("At the lab", 5), ("Ready for pickup", 3)],
    )
    ordered, lab, ready, done = albums.statuses
    return SimpleNamespace(
        order_type=albums.order_type,
        cycle=albums.cycle,
        ordered=ordered,
        lab=lab,
        ready=ready,
        done=done,
    )


@pytest.fixture
def email_template(db) -> MessageTemplate:
    return MessageTemplate.objects.create(
        name="Ready",
        channel="email",
        subject="Your {order_type} is ready, {client_first_name}",
        body="Hello {client_first_name}, order {order_number} is ready at {studio_name}.",
    )


@pytest.fixture
def sms_template(db) -> MessageTemplate:
    return MessageTemplate.objects.create(
        name="Ready SMS", channel="sms", body="{client_first_name}, your album is ready."
    )


@pytest.fixture
def make_trigger(album, people):
    def make(**fields) -> Trigger:
        values = {
            "name": "A trigger",
            "cycle": album.cycle,
            "status": album.ready,
            "action": "task",
            "task_subject": "Call {client_name}",
            "task_user": people["staff"],
            "processing": "automatic",
            "active_since": timezone.now(),
            "created_by": people["manager"],
        } | fields
        trigger = Trigger.objects.create(**values)
        cycle_touch(cycle_id=trigger.cycle_id)
        return trigger

    return make


@pytest.fixture
def make_order(album, people):
    numbers = itertools.count(4821)  # each order its own number (the first is 4821), as in a studio

    def make(**client_fields) -> ProductionOrder:
        return started_production_order(
            order_type=album.order_type,
            started_on=MONDAY,
            by=people["staff"],
            client=ClientFactory(**({"first_name": "Ann", "last_name": "Lee"} | client_fields)),
            number=str(next(numbers)),
        )

    return make


def advance(order: ProductionOrder, to, by, on: dt.date | None = None) -> ProductionOrder:
    status_change(
        record=order, expected_version=order.version, updated_by=by, to_status=to,
        date_completed=on,
    )  # fmt: skip
    return ProductionOrder.objects.get(pk=order.pk)
