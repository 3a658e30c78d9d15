"""The webhooks pages: the list with each endpoint's state and counts, the form (bad input
shown beside its field, nothing made), an endpoint's page with its secret and deliveries (a
page at a time, by state), replaying, and the events with their JSON."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darkroom.events.models import Event
from darkroom.webhooks.models import Delivery, DeliveryState, Endpoint
from darkroom.webhooks.views import PAGE
from tests.webhooks.conftest import RECEIVER, ended

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(people) -> WebClient:
    browser = WebClient()
    browser.force_login(people["manager"])
    return browser


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_list_shows_each_endpoint_with_its_state_and_counts(manager, endpoint, moved_orders):
    failed, *_ = moved_orders(3)
    ended(failed, DeliveryState.FAILED, status_code=404)
    page = manager.get(reverse("webhooks:endpoint-list"))
    assert page.status_code == 200
    shown = text(page)
    assert "Website order tracker" in shown and RECEIVER in shown
    assert re.search(r"Active never — 2 1", shown), shown
    assert 'href="/webhooks/"' in page.content.decode()  # the menu's link, for a manager


def test_the_menu_offers_webhooks_to_managers_only(people):
    for role in ("staff", "readonly"):
        browser = WebClient()
        browser.force_login(people[role])
        assert 'href="/webhooks/"' not in browser.get("/").content.decode()


def test_a_manager_makes_an_endpoint_for_chosen_events(manager, people):
    form = manager.get(reverse("webhooks:endpoint-create"))
    assert "Production orders" in text(form) and "A production order changed status" in text(form)
    answer = manager.post(
        reverse("webhooks:endpoint-create"),
        {
            "name": "Lab portal",
            "url": "https://lab.example.com/hooks",
            "event_types": ["production_order.status_changed", "task.created"],
        },
    )
    endpoint = Endpoint.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    assert endpoint.event_types == ["production_order.status_changed", "task.created"]
    page = manager.get(answer["Location"])
    assert endpoint.secret in page.content.decode()  # in the field behind "Show the secret"
    assert page["Cache-Control"] == "no-store"
    assert "Webhook “Lab portal” made." in text(page)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"name": "", "url": "https://x.example/", "all_events": "on"}, "This field is required."),
        ({"name": "Lab", "url": "x.example", "all_events": "on"}, "This is not a web address"),
        ({"name": "Lab", "url": "https://x.example/"}, "Choose the events the other system wants"),
        (
            {"name": "Lab", "url": "https://x.example/", "event_types": ["nope"]},
            "Select a valid choice",
        ),
    ],
)
def test_bad_input_comes_back_beside_the_field_and_makes_nothing(manager, data, words):
    answer = manager.post(reverse("webhooks:endpoint-create"), data)
    assert answer.status_code == 422
    assert words in text(answer)
    assert not Endpoint.objects.exists()


def test_a_private_address_is_refused_on_the_form(manager, settings):
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    answer = manager.post(
        reverse("webhooks:endpoint-create"),
        {"name": "Lab", "url": "http://192.168.1.5/hooks", "all_events": "on"},
    )
    assert answer.status_code == 422
    assert "192.168.1.5 is a private address" in text(answer)
    assert not Endpoint.objects.exists()


def test_a_change_made_from_an_old_copy_is_refused(manager, endpoint):
    url = reverse("webhooks:endpoint-edit", args=[endpoint.pk])
    assert 'value="1"' in manager.get(url).content.decode()
    data = {"name": "Tracker", "url": RECEIVER, "all_events": "on", "version": "1"}
    assert manager.post(url, data).status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.event_types, endpoint.version) == ("Tracker", [], 2)
    stale = manager.post(url, {**data, "name": "Old copy"})
    assert stale.status_code == 409
    assert "changed by someone else" in text(stale)
    endpoint.refresh_from_db()
    assert endpoint.name == "Tracker"


def test_the_endpoint_page_pages_its_deliveries_by_state(manager, endpoint, moved_orders):
    deliveries = moved_orders(PAGE + 3)
    ended(deliveries[0], DeliveryState.FAILED, status_code=404)
    url = reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    first = manager.get(url)
    shown = first.content.decode()
    assert shown.count('data-testid="delivery-row"') == PAGE
    assert f"evt_{deliveries[0].event_id}" in shown
    assert "1 attempt" in text(first) and "Not found" in text(first)
    after = re.search(r'href="\?state=&amp;after=([^"]+)"', shown).group(1)
    second = manager.get(url, {"after": after}).content.decode()
    assert second.count('data-testid="delivery-row"') == 3
    assert f"evt_{deliveries[-1].event_id}" in second
    assert f"evt_{deliveries[0].event_id}" not in second
    only_failed = manager.get(url, {"state": "failed"}).content.decode()
    assert only_failed.count('data-testid="delivery-row"') == 1
    broken = manager.get(url, {"after": "not-a-cursor"})
    assert broken.status_code == 200 and "could not be found" in text(broken)


def test_replaying_one_chosen_or_all_failed(manager, endpoint, moved_orders):
    one, two, waiting = moved_orders(3)
    for delivery in (one, two):
        ended(delivery, DeliveryState.FAILED, status_code=500)
    url = reverse("webhooks:deliveries-replay", args=[endpoint.pk])
    answer = manager.post(url, {"one": one.pk, "delivery": [two.pk]}, follow=True)
    assert "1 delivery is back in the queue" in text(answer)
    states = dict(Delivery.objects.values_list("pk", "state"))
    assert states[one.pk] == "pending" and states[two.pk] == "failed"
    answer = manager.post(url, {"since": "2000-01-01"}, follow=True)
    assert "1 delivery is back in the queue" in text(answer)
    assert Delivery.objects.get(pk=two.pk).state == "pending"
    assert Delivery.objects.get(pk=waiting.pk).reason == ""  # was waiting: not a replay
    answer = manager.post(url, {}, follow=True)
    assert "tick the deliveries to replay first" in text(answer)


def test_a_delivery_of_another_endpoint_is_not_replayed_from_this_one(
    manager, endpoint, moved_orders, people
):
    [failed] = moved_orders(1)
    ended(failed, DeliveryState.FAILED, status_code=500)
    other = Endpoint.objects.create(name="Other", url=RECEIVER, secret="whsec_x", created_by=None)
    manager.post(reverse("webhooks:deliveries-replay", args=[other.pk]), {"one": failed.pk})
    assert Delivery.objects.get(pk=failed.pk).state == "failed"


def test_rotate_disable_enable_and_delete_from_the_page(manager, endpoint, moved_orders):
    old = endpoint.secret
    manager.post(reverse("webhooks:endpoint-rotate", args=[endpoint.pk]), {"overlap_hours": "12"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old
    refused = manager.post(
        reverse("webhooks:endpoint-rotate", args=[endpoint.pk]),
        {"overlap_hours": "500"},
        follow=True,
    )
    assert "The secret was not changed" in text(refused)
    manager.post(reverse("webhooks:endpoint-disable", args=[endpoint.pk]), {"reason": "Moving"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason == "Moving"
    page = text(manager.get(reverse("webhooks:endpoint-detail", args=[endpoint.pk])))
    assert "Disabled" in page and "Moving" in page
    manager.post(reverse("webhooks:endpoint-enable", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.is_active
    moved_orders(1)
    events = Event.objects.count()
    manager.post(reverse("webhooks:endpoint-delete", args=[endpoint.pk]))
    assert not Endpoint.objects.exists() and Event.objects.count() == events


def test_the_events_page_shows_each_event_with_its_json(manager, moved_orders):
    moved_orders(2)
    url = reverse("webhooks:events")
    page = manager.get(url)
    shown = page.content.decode()
    newest = Event.objects.order_by("-id").first()
    assert shown.count('data-testid="event-row"') == Event.objects.count()
    assert shown.index(newest.public_id) < shown.index(f"evt_{newest.pk - 1}")
    payload = re.search(r"<pre>(.*?)</pre>", shown, re.S).group(1)
    decoded = json.loads(payload.replace("&quot;", '"').replace("&#x27;", "'"))
    assert decoded == newest.payload()
    assert decoded["data"]["record"]["kind"] == "production_order"
    assert f'href="/production/orders/{newest.record_id}/"' in shown
    only = manager.get(url, {"type": "production_order.created"}).content.decode()
    assert only.count('data-testid="event-row"') == 2
    assert "production_order.status_changed</span>" not in only


def test_the_endpoint_page_asks_as_many_queries_for_many_deliveries_as_for_one(
    manager, endpoint, moved_orders
):
    url = reverse("webhooks:endpoint-detail", args=[endpoint.pk])
    [only] = moved_orders(1)
    ended(only, DeliveryState.FAILED, status_code=404)
    manager.get(url)  # the role and the studio are kept after the first page
    with CaptureQueriesContext(connection) as one:
        manager.get(url)
    for delivery in moved_orders(PAGE + 2)[:PAGE]:
        if delivery.state == DeliveryState.PENDING:
            ended(delivery, DeliveryState.FAILED, status_code=500)
    manager.get(url)  # new orders made new lists: the role is looked up again once
    with CaptureQueriesContext(connection) as many:
        manager.get(url)
    assert len(many) == len(one)
