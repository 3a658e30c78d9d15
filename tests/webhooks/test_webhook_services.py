"""Writing webhooks: making and changing an endpoint (checked, version-checked), a new secret
with the old one signing for a while, disabling and enabling, deleting, and replaying
deliveries. Each refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook

from darkroom.errors import Conflict, DarkroomError
from darkroom.events.models import Event
from darkroom.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Endpoint
from darkroom.webhooks.services import (
    deliveries_replay,
    deliveries_replay_failed,
    endpoint_create,
    endpoint_delete,
    endpoint_disable,
    endpoint_enable,
    endpoint_secret_rotate,
    endpoint_update,
)
from darkroom.webhooks.signing import signed_headers
from tests.webhooks.conftest import ended

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return list(Endpoint.objects.order_by("pk").values())


def test_an_endpoint_is_made_active_with_a_fresh_secret(people):
    endpoint = endpoint_create(
        name="  Lab portal ",
        url="https://lab.example.com/hooks",
        event_types=["task.created", "production_order.created"],
        by=people["manager"],
    )
    assert endpoint.name == "Lab portal"
    assert endpoint.is_active and endpoint.version == 1
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) > 30
    # Kept in the order the event types are listed in, whatever order they came in.
    assert endpoint.event_types == ["production_order.created", "task.created"]
    assert endpoint.created_by == people["manager"]
    other = endpoint_create(
        name="All", url="https://x.example/", event_types=[], by=people["manager"]
    )
    assert other.event_types == [] and other.secret != endpoint.secret


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Give the webhook a name"),
        ({"name": "x" * 81}, "name", "At most 80"),
        ({"url": ""}, "url", "Give the address"),
        ({"url": "lab.example.com/hooks"}, "url", "not a web address"),
        ({"url": "ftp://lab.example.com/"}, "url", "not a web address"),
        ({"event_types": ["order.shipped"]}, "event_types", "Unknown event type: order.shipped"),
        ({"event_types": "task.created"}, "event_types", "Give a list"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_made(people, fields, field, words):
    given = {"name": "Lab", "url": "https://lab.example.com/", "event_types": [], **fields}
    with pytest.raises(ValidationError) as refused:
        endpoint_create(**given, by=people["manager"])
    assert words in " ".join(refused.value.message_dict[field])
    assert rows() == []


def test_a_private_address_is_refused_unless_allowed(people, settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    with pytest.raises(ValidationError) as refused:
        endpoint_create(
            name="Lab", url="http://127.0.0.1:8000/", event_types=[], by=people["manager"]
        )
    assert "is a loopback address" in refused.value.message_dict["url"][0]
    assert rows() == []
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert endpoint_create(
        name="Lab", url="http://127.0.0.1:8000/", event_types=[], by=people["manager"]
    )


def test_a_change_checks_the_version_and_the_new_values(endpoint, people):
    changed = endpoint_update(
        endpoint=endpoint,
        expected_version=1,
        by=people["manager"],
        name="Order tracker",
        event_types=[],
    )
    assert (changed.name, changed.event_types, changed.version) == ("Order tracker", [], 2)
    before = rows()
    with pytest.raises(Conflict, match="changed by someone else"):
        endpoint_update(endpoint=endpoint, expected_version=1, by=people["manager"], name="Old")
    with pytest.raises(ValidationError):
        endpoint_update(endpoint=endpoint, expected_version=2, by=people["manager"], url="nope")
    with pytest.raises(ValidationError):
        endpoint_update(endpoint=endpoint, expected_version=2, by=people["manager"], secret="x")
    assert rows() == before


def test_a_new_secret_signs_beside_the_old_one_for_the_overlap(endpoint, people):
    old = endpoint.secret
    now = timezone.now()
    rotated = endpoint_secret_rotate(
        endpoint=endpoint, overlap_hours=24, by=people["manager"], now=now
    )
    assert rotated.secret != old and rotated.previous_secret == old
    assert rotated.previous_secret_until == now + dt.timedelta(hours=24)
    assert rotated.version == 2
    # A receiver holding either secret verifies a delivery sent within the overlap.
    body = b'{"type":"production_order.status_changed"}'
    sent = timezone.now()
    headers = signed_headers(
        secrets_=rotated.signing_secrets(sent), msg_id="evt_1", sent_at=sent, body=body
    )
    for secret in (old, rotated.secret):
        assert Webhook(secret).verify(body, headers) == {"type": "production_order.status_changed"}
    assert rotated.signing_secrets(now + dt.timedelta(hours=25)) == [rotated.secret]
    # 0 hours: the old secret (it leaked) stops signing at once.
    leaked = endpoint_secret_rotate(endpoint=rotated, overlap_hours=0, by=people["manager"])
    assert leaked.previous_secret == "" and leaked.signing_secrets(timezone.now()) == [
        leaked.secret
    ]
    before = rows()
    for hours in (-1, 169, "24", True):
        with pytest.raises(ValidationError):
            endpoint_secret_rotate(endpoint=leaked, overlap_hours=hours, by=people["manager"])
    assert rows() == before


def test_disabling_stops_new_deliveries_and_enabling_sends_those_waiting(
    endpoint, moved_orders, people
):
    [first] = moved_orders(1)
    later = timezone.now() + dt.timedelta(hours=5)
    Delivery.objects.filter(pk=first.pk).update(state=DeliveryState.RETRY, next_attempt_at=later)
    Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=timezone.now())
    disabled = endpoint_disable(
        endpoint=endpoint, reason="Their server is being moved", by=people["manager"]
    )
    assert not disabled.is_active and disabled.disabled_reason == "Their server is being moved"
    assert disabled.disabled_at is not None
    assert len(moved_orders(1)) == 1  # no delivery for an event while it is disabled
    assert Delivery.objects.get(pk=first.pk).state == DeliveryState.RETRY  # still waiting
    enabled = endpoint_enable(endpoint=disabled, by=people["manager"])
    assert enabled.is_active and enabled.disabled_reason == "" and enabled.disabled_at is None
    assert enabled.failing_since is None
    waiting = Delivery.objects.get(pk=first.pk)
    assert waiting.state == DeliveryState.RETRY and waiting.next_attempt_at <= timezone.now()
    assert len(moved_orders(1)) == 2  # deliveries are made again


def test_disabling_without_a_reason_names_who_did(endpoint, people):
    disabled = endpoint_disable(endpoint=endpoint, reason=" ", by=people["manager"])
    assert disabled.disabled_reason == "Disabled by Manager."
    with pytest.raises(ValidationError):
        endpoint_disable(endpoint=endpoint, reason="x" * 301, by=people["manager"])


def test_deleting_an_endpoint_takes_its_deliveries_and_keeps_the_events(
    endpoint, moved_orders, people
):
    [delivery] = moved_orders(1)
    ended(delivery, DeliveryState.FAILED, status_code=404)
    events = Event.objects.count()
    endpoint_delete(endpoint=endpoint, by=people["manager"])
    assert not Endpoint.objects.exists()
    assert not Delivery.objects.exists() and not DeliveryAttempt.objects.exists()
    assert Event.objects.count() == events


def test_a_replay_puts_ended_deliveries_back_in_the_queue_with_the_same_event(moved_orders, people):
    waiting, failed, delivered = moved_orders(3)
    ended(failed, DeliveryState.FAILED, status_code=404)
    ended(delivered, DeliveryState.DELIVERED, status_code=200)
    before = timezone.now()
    count = deliveries_replay(
        delivery_ids=[failed.pk, delivered.pk, waiting.pk], by=people["manager"]
    )
    assert count == 2
    for delivery in (failed, delivered):
        again = Delivery.objects.get(pk=delivery.pk)
        assert again.state == DeliveryState.PENDING and again.attempts == 0
        assert again.next_attempt_at >= before and again.delivered_at is None
        assert again.reason == "Replayed by Manager"
        assert again.event_id == delivery.event_id  # the same webhook-id
        assert again.tries.count() == 1  # the attempts so far stay listed
    assert Delivery.objects.get(pk=waiting.pk).reason == ""  # still waiting: left alone


def test_a_replay_naming_an_unknown_delivery_replays_nothing(moved_orders, people):
    [failed] = moved_orders(1)
    ended(failed, DeliveryState.FAILED, status_code=404)
    for ids, words in (
        ([failed.pk, 999999], "no delivery 999999"),
        ([], "Choose the deliveries"),
        (["1"], "whole numbers"),
        (list(range(1, 502)), "At most 500"),
    ):
        with pytest.raises(ValidationError) as refused:
            deliveries_replay(delivery_ids=ids, by=people["manager"])
        assert words in refused.value.message_dict["delivery_ids"][0]
    assert Delivery.objects.get(pk=failed.pk).state == DeliveryState.FAILED


def test_replaying_every_failure_since_a_moment(endpoint, moved_orders, people):
    old, newer, delivered = moved_orders(3)[::-1]
    for delivery in (old, newer):
        ended(delivery, DeliveryState.FAILED, status_code=500)
    ended(delivered, DeliveryState.DELIVERED, status_code=200)
    cut = timezone.now() - dt.timedelta(hours=1)
    Delivery.objects.filter(pk=old.pk).update(created_at=cut - dt.timedelta(days=2))
    assert deliveries_replay_failed(endpoint=endpoint, since=cut, by=people["manager"]) == 1
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states == {
        old.pk: DeliveryState.FAILED,
        newer.pk: DeliveryState.PENDING,
        delivered.pk: DeliveryState.DELIVERED,
    }
    with pytest.raises(DarkroomError, match="still to come"):
        deliveries_replay_failed(
            endpoint=endpoint, since=timezone.now() + dt.timedelta(days=1), by=people["manager"]
        )
    with pytest.raises(ValidationError):
        deliveries_replay_failed(
            endpoint=endpoint, since=dt.datetime(2026, 1, 1), by=people["manager"]
        )
