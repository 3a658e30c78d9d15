"""A manager opens Webhooks from the menu, makes an endpoint for production orders' status
changes pointing at a receiver on loopback, shows and copies its secret, moves an order on
with the status dialog, finds the delivery waiting on the endpoint's page and the event's JSON
on the events page, replays the delivery once it failed, and makes a new secret."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from standardwebhooks import Webhook
from tests import factories as f
from tests.browser.journey import assert_menu_on_one_line, log_in, screenshot
from tests.conftest import PASSWORD
from tests.webhooks.conftest import ended

from darkroom.events.models import Event
from darkroom.tracking.models import CycleKind
from darkroom.webhooks.models import Delivery, DeliveryState, Endpoint
from darkroom.webhooks.signing import signed_headers

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]

RECEIVER = "http://127.0.0.1:8765/darkroom-hooks"


def pictures(page, name: str) -> None:
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 768})
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_a_manager_sends_status_changes_to_another_system(page, people, live_server):
    prints = f.cycle_with_statuses(
        kind=CycleKind.PRODUCTION,
        order_type=f.OrderTypeFactory(name="Print Order"),
        steps=[("Ordered", 1), ("At the lab", 2)],
        final="Picked up",
    )
    order = f.started_production_order(
        order_type=prints.order_type, number="5120", by=people["manager"]
    )
    asked: list[str] = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)

    log_in(page, "manager", PASSWORD)
    assert_menu_on_one_line(page)
    page.locator("details.account summary").click()  # the account menu under the name
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    assert_menu_on_one_line(page)

    page.get_by_role("link", name="New webhook").click()
    page.get_by_label("Name").fill("Website order tracker")
    page.get_by_label("Address (URL)").fill(RECEIVER)
    page.get_by_label("All events, including kinds added later").uncheck()
    orders = page.get_by_role("group", name="Production orders")
    orders.get_by_label("A production order changed status").check()
    pictures(page, "webhooks-form")
    page.get_by_role("button", name="Make the webhook").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Website order tracker")
    expect(page.get_by_role("status")).to_contain_text("Webhook “Website order tracker” made.")
    secret_field = page.get_by_label("The signing secret")
    expect(secret_field).to_be_hidden()
    page.get_by_text("Show the secret").click()
    expect(secret_field).to_be_visible()
    secret = secret_field.input_value()
    endpoint = Endpoint.objects.get()
    assert secret == endpoint.secret and secret.startswith("whsec_")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.wait_for_load_state()  # "Copy" is darkroom.js's (deferred): it listens from here
    page.get_by_role("button", name=re.compile("^Copy$")).click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    expect(page.get_by_text("No deliveries yet")).to_be_visible()

    # Staff work goes on: the order moves on to At the lab with the status dialog.
    page.goto(f"/production/orders/{order.pk}/")
    page.get_by_role("link", name="Change status").click()
    dialog = page.get_by_role("dialog", name=re.compile("Change status"))
    expect(dialog.get_by_label("Change to")).to_have_value(str(prints["At the lab"].pk))
    dialog.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("current-status")).to_contain_text("At the lab")

    page.goto("/webhooks/")
    row = page.get_by_role("row", name=re.compile("Website order tracker"))
    expect(row).to_contain_text(RECEIVER)
    expect(row.get_by_role("cell").nth(5)).to_have_text("1")  # waiting
    pictures(page, "webhooks-list")
    row.get_by_role("link", name="Website order tracker").click()
    event = Event.objects.get(type="production_order.status_changed", record_id=order.pk)
    delivery_row = page.get_by_test_id("delivery-row")
    expect(delivery_row).to_have_count(1)
    expect(delivery_row).to_contain_text(event.public_id)
    expect(delivery_row).to_contain_text("production_order.status_changed")
    expect(delivery_row).to_contain_text("Waiting to be sent")
    pictures(page, "webhooks-endpoint-waiting")

    # What the receiver is sent: the event's JSON, signed with the secret copied above.
    page.get_by_role("link", name=re.compile("^Events$")).click()
    event_row = page.get_by_test_id("event-row").first
    expect(event_row).to_contain_text("A production order changed status")
    event_row.get_by_text(event.public_id, exact=True).click()
    expect(event_row.locator("pre")).to_be_visible()
    body = event_row.locator("pre").inner_text()
    payload = json.loads(body)
    assert payload["id"] == event.public_id
    assert payload["data"]["status"]["name"] == "At the lab"
    assert payload["data"]["previous_status"]["name"] == "Ordered"
    assert payload["data"]["record"] == {
        "kind": "production_order",
        "id": order.pk,
        "url": f"/api/v1/production-orders/{order.pk}",
    }
    sent = body.encode()
    headers = signed_headers(
        secrets_=[secret], msg_id=event.public_id, sent_at=timezone.now(), body=sent
    )
    assert Webhook(secret).verify(sent, headers) == payload
    pictures(page, "webhooks-events")

    # The receiver answered 404 (as the worker records it); the manager replays the delivery.
    ended(Delivery.objects.get(), DeliveryState.FAILED, status_code=404)
    page.goto(f"/webhooks/{endpoint.pk}/")
    expect(delivery_row).to_contain_text("Failed")
    delivery_row.get_by_text("1 attempt").click()
    expect(delivery_row).to_contain_text("Not found")
    pictures(page, "webhooks-endpoint-failed")
    delivery_row.get_by_role("button", name=re.compile("^Replay")).click()
    expect(page.get_by_role("status")).to_contain_text("1 delivery is back in the queue")
    expect(delivery_row).to_contain_text("Waiting to be sent")
    expect(delivery_row).to_contain_text("Replayed by Manager")
    assert Delivery.objects.get().event_id == event.pk  # the same webhook-id

    # A new secret; the old one keeps signing for the hours chosen.
    page.get_by_label("Keep the old secret signing for (hours)").fill("12")
    page.wait_for_load_state()  # darkroom.js (deferred) asks the data-confirm question from here
    page.get_by_role("button", name="Make a new secret").click()
    expect(page.get_by_role("status")).to_contain_text("New secret made.")
    assert asked[-1] == "Make a new secret for “Website order tracker”?"
    expect(page.get_by_text("The previous secret also signs every delivery until")).to_be_visible()
    page.get_by_text("Show the secret").click()
    new_secret = page.get_by_label("The signing secret").input_value()
    assert new_secret != secret and new_secret == Endpoint.objects.get().secret
    pictures(page, "webhooks-endpoint-rotated")
