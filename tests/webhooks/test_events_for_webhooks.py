"""What webhooks carry: a status change's event costs its change one more INSERT for its
deliveries, however many endpoints want it; a message that failed is an event too."""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from darkroom.events.models import Event
from darkroom.messaging.models import Message
from darkroom.messaging.outbox import message_key, messages_write, outbox_deliver
from darkroom.production.models import ProductionOrder
from darkroom.tracking.services import status_change
from darkroom.webhooks.models import Delivery
from darkroom.webhooks.sending import deliveries_send
from tests.factories import started_production_order
from tests.webhooks.conftest import endpoint_for

pytestmark = pytest.mark.django_db


def _statements(queries) -> list[str]:
    words = [q["sql"].split()[0].upper() for q in queries]
    return [w for w in words if w not in ("BEGIN", "SAVEPOINT", "RELEASE")]


def test_a_status_change_writes_its_deliveries_in_the_statement_it_makes_anyway(receiver, people):
    first = started_production_order(by=people["staff"])
    order = started_production_order(order_type=first.order_type, by=people["staff"])
    with CaptureQueriesContext(connection) as alone:  # the same step, with no endpoint
        status_change(record=first, expected_version=first.version, updated_by=people["staff"])
    endpoints = [endpoint_for(receiver, name=f"Receiver {n}") for n in range(3)]
    endpoint_for(receiver, name="Wants other things", event_types=["invoice.created"])

    with CaptureQueriesContext(connection) as watched:
        status_change(record=order, expected_version=order.version, updated_by=people["staff"])

    # One INSERT … SELECT joins the events to the endpoints that want them, with or without
    # endpoints: three cost the change their rows, not a statement more.
    assert _statements(watched) == _statements(alone)
    event = Event.objects.order_by("-id").first()
    assert event is not None and event.type == "production_order.status_changed"
    got = Delivery.objects.filter(event=event)
    assert sorted(d.endpoint_id for d in got) == [e.pk for e in endpoints]
    assert {d.state for d in got} == {"pending"}


def test_a_message_that_fails_is_an_event_delivered_to_who_wants_it(
    settings, receiver, other_receiver
):
    settings.DARKROOM_SMS_URL = ""  # no gateway: an SMS fails at once
    wants = endpoint_for(receiver, event_types=["message.failed"])
    endpoint_for(other_receiver, event_types=["production_order.created"])
    now = timezone.now()
    [message] = messages_write(
        messages=[
            Message(
                key=message_key("webhook-test", "sms"),
                channel="sms",
                to="+12015550123",
                body="Your album is ready.",
                next_attempt_at=now,
                created_at=now,
                content_type=ContentType.objects.get_for_model(ProductionOrder),
                object_id=77,
            )
        ]
    )

    outbox_deliver()

    [event] = Event.objects.filter(type="message.failed")
    assert (event.record_kind, event.record_id) == ("message", message.pk)
    assert event.data == {
        "message": {"id": message.pk, "channel": "sms", "url": f"/api/v1/messages/{message.pk}"},
        "reason": "No SMS gateway is configured (DARKROOM_SMS_URL).",
        "record": {"kind": "production_order", "id": 77, "url": "/api/v1/production-orders/77"},
    }
    [delivery] = Delivery.objects.filter(event=event)
    assert delivery.endpoint_id == wants.pk

    deliveries_send()

    [got] = receiver.wait_for(1)
    assert got.verified and json.loads(got.body)["type"] == "message.failed"
    assert other_receiver.received == []


def test_a_message_that_is_sent_is_no_event(settings, db):
    settings.DARKROOM_SMS_URL = "keep:"
    now = timezone.now()
    messages_write(
        messages=[
            Message(
                key=message_key("webhook-test", "kept"),
                channel="sms",
                to="+12015550123",
                body="Hello.",
                next_attempt_at=now,
                created_at=now,
            )
        ]
    )
    outbox_deliver()
    assert not Event.objects.filter(type="message.failed").exists()
