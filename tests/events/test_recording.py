"""Every start, status change and due-date move is an event, written with the change (and
rolled back with it), and each active endpoint that wants the event gets a delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from darkroom.events.kinds import RECORD_KINDS, event_types
from darkroom.events.models import Event
from darkroom.events.recording import record_ref
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services.bulk_change import BulkItem, status_change_bulk
from darkroom.tracking.services.change import status_change
from darkroom.tracking.services.due_date_moves import status_due_date_set
from darkroom.webhooks.models import Delivery, Endpoint
from darkroom.webhooks.signing import webhook_secret_new
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def prints():
    return f.cycle_with_statuses(kind=CycleKind.PRODUCTION, name="Prints")


def endpoint(name: str, types: list[str], *, active: bool = True) -> Endpoint:
    return Endpoint.objects.create(
        name=name,
        url="http://127.0.0.1:9/hook",
        event_types=types,
        secret=webhook_secret_new(),
        is_active=active,
    )


def test_a_new_order_and_its_change_are_two_events_naming_the_record_and_statuses(prints):
    order = f.started_production_order(
        order_type=prints.order_type, started_on=dt.date(2026, 12, 1)
    )
    person = f.UserFactory()
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=person,
        to_status=prints["At the lab"],
        date_completed=dt.date(2026, 12, 2),
    )
    created, changed = Event.objects.order_by("id")
    ref = {
        "kind": "production_order",
        "id": order.pk,
        "url": f"/api/v1/production-orders/{order.pk}",
    }
    assert created.type == "production_order.created"
    assert created.data == {
        "record": ref,
        "status": {"id": prints["Ordered"].pk, "name": "Ordered"},
        "previous_status": None,
        "entered_on": "2026-12-01",
        "due_date": created.data["due_date"],
    }
    assert changed.type == "production_order.status_changed"
    assert changed.data["record"] == ref
    assert changed.data["previous_status"] == {"id": prints["Ordered"].pk, "name": "Ordered"}
    assert changed.data["status"] == {"id": prints["At the lab"].pk, "name": "At the lab"}
    assert changed.data["entered_on"] == "2026-12-02"
    payload = changed.payload()
    assert payload["id"] == f"evt_{changed.pk}"
    assert payload["type"] == "production_order.status_changed"
    assert str(payload["timestamp"]).endswith("Z")


class Undone(Exception):
    """What a caller raises to roll its transaction back."""


def test_a_change_rolled_back_leaves_no_event_and_no_delivery(prints):
    endpoint("Everything", [])
    order = f.started_production_order(order_type=prints.order_type)
    before = (Event.objects.count(), Delivery.objects.count())
    with pytest.raises(Undone), transaction.atomic():
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=f.UserFactory(),
            to_status=prints["At the lab"],
        )
        assert Event.objects.count() == before[0] + 1  # written with the change…
        raise Undone
    assert (Event.objects.count(), Delivery.objects.count()) == before  # …and undone with it


def test_a_due_date_moved_by_hand_is_an_event(prints):
    order = f.started_production_order(
        order_type=prints.order_type, started_on=dt.date(2026, 12, 1)
    )
    status_due_date_set(
        record=order,
        expected_version=order.version,
        due_date=dt.date(2026, 12, 18),
        updated_by=f.UserFactory(),
    )
    moved = Event.objects.latest("id")
    assert moved.type == "production_order.due_date_moved"
    assert moved.data == {
        "record": record_ref(RECORD_KINDS["productionorder"], order.pk),
        "status": {"id": prints["Ordered"].pk, "name": "Ordered"},
        "due_date": "2026-12-18",
    }


def test_a_bulk_change_is_an_event_per_record(prints):
    orders = [f.started_production_order(order_type=prints.order_type) for _ in range(3)]
    before = Event.objects.count()
    status_change_bulk(
        items=[BulkItem(id=o.pk, expected_version=o.version) for o in orders],
        model=type(orders[0]),
        to_status=prints["At the lab"],
        updated_by=f.UserFactory(),
    )
    events = list(Event.objects.order_by("id"))[before:]
    assert [e.type for e in events] == ["production_order.status_changed"] * 3
    assert sorted(e.record_id for e in events) == sorted(o.pk for o in orders)


def test_each_active_endpoint_that_wants_the_event_gets_a_delivery(prints):
    everything = endpoint("Everything", [])
    changes = endpoint("Changes only", ["production_order.status_changed"])
    sessions = endpoint("Sessions", ["session.status_changed"])
    endpoint("Switched off", [], active=False)
    order = f.started_production_order(order_type=prints.order_type)
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=f.UserFactory(),
        to_status=prints["At the lab"],
    )
    created, changed = Event.objects.filter(record_id=order.pk).order_by("id")
    pairs = set(Delivery.objects.values_list("event_id", "endpoint_id"))
    assert pairs == {
        (created.pk, everything.pk),
        (changed.pk, everything.pk),
        (changed.pk, changes.pk),
    }
    assert sessions.deliveries.count() == 0
    assert set(Delivery.objects.values_list("state", flat=True)) == {"pending"}


def test_every_event_type_names_a_record_kind_or_the_studio():
    types = event_types()
    assert "production_order.status_changed" in types
    assert "preproduction_order.due_date_moved" in types
    assert "message.failed" in types
    assert all(len(name) <= Event._meta.get_field("type").max_length for name in types)
