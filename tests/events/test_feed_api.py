"""GET /api/v1/events: every event in order, a page at a time; the cursor of each answer
resumes exactly after it; an event id or `latest` is a place to start; a bad cursor is a 422."""

from __future__ import annotations

import pytest

from darkroom.events.models import Event
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services.change import status_change
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def prints():
    return f.cycle_with_statuses(kind=CycleKind.PRODUCTION, name="Prints")


def move(order, status) -> None:
    status_change(
        record=order, expected_version=order.version, updated_by=f.UserFactory(), to_status=status
    )
    order.refresh_from_db()


@pytest.fixture
def five_events(prints) -> list[str]:
    """Two orders started and moved on (four events), then one moved back (the fifth)."""
    orders = [f.started_production_order(order_type=prints.order_type) for _ in range(2)]
    for order in orders:
        move(order, prints["At the lab"])
    move(orders[0], prints["Ordered"])
    return [f"evt_{pk}" for pk in Event.objects.order_by("id").values_list("pk", flat=True)]


def test_paging_through_the_feed_gives_every_event_once_in_order(api, five_events):
    reader = api("readonly")
    seen, after, polls = [], None, 0
    while True:
        page = reader.get("events", limit=2, **({"after": after} if after else {})).json()
        seen += [event["id"] for event in page["results"]]
        after, polls = page["next_cursor"], polls + 1
        if not page["has_more"]:
            break
    assert seen == five_events
    assert polls == 3
    # Polled again from where it stopped: nothing new, and the same place to resume.
    again = reader.get("events", after=after).json()
    assert again == {"results": [], "next_cursor": after, "has_more": False}


def test_an_event_carries_its_type_time_and_thin_data(api, five_events, prints):
    first = api("staff").get("events", limit=1).json()["results"][0]
    assert first["id"] == five_events[0]
    assert first["type"] == "production_order.created"
    assert first["timestamp"].endswith("Z")
    assert set(first["data"]) == {"record", "status", "previous_status", "entered_on", "due_date"}
    assert first["data"]["status"] == {"id": prints["Ordered"].pk, "name": "Ordered"}


def test_after_an_event_id_starts_right_after_that_event(api, five_events):
    page = api("staff").get("events", after=five_events[2]).json()
    assert [event["id"] for event in page["results"]] == five_events[3:]


def test_latest_hears_only_what_happens_from_now_on(api, five_events, prints):
    reader = api("staff")
    now = reader.get("events", after="latest").json()
    assert now["results"] == [] and not now["has_more"]
    order = f.started_production_order(order_type=prints.order_type)
    page = reader.get("events", after=now["next_cursor"]).json()
    assert [e["data"]["record"]["id"] for e in page["results"]] == [order.pk]


@pytest.mark.parametrize(
    "after",
    ["not-a-cursor", "evt_99999999", "evt_x", "eyJzIjogImh1YiJ9", "evt_" + "9" * 30],
)
def test_a_bad_place_to_start_is_a_422_with_words(api, five_events, after):
    answer = api("staff").get("events", after=after)
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert (body["code"] and "after" in str(body["detail"])) or "event" in str(body["detail"])


def test_a_limit_out_of_range_is_a_422(api, five_events):
    for limit in (0, 501, "many"):
        assert api("staff").get("events", limit=limit).status_code == 422


def test_without_credentials_or_a_role_the_feed_is_refused(api, people):
    assert api(None).get("events").status_code == 401
