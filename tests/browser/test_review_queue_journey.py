"""A person at the front desk sees a trigger's email waiting in the review queue (the count in
the navigation, the words and the recipient as they will go), processes it, and finds it in
the order's communication log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from tests import factories as f
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

from darkroom.messaging.models import Firing, Message, MessageTemplate, Trigger
from darkroom.production.models import ProductionOrder
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import (
    cycle_create,
    cycle_touch,
    record_start,
    status_add,
    status_change,
)

pytestmark = pytest.mark.browser


def _order_waiting_for_review(people) -> ProductionOrder:
    order_type = f.OrderTypeFactory(name="Album")
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name="Album orders", order_type=order_type)
    status_add(cycle=cycle, description="At the lab", default_duration=5)
    ready = status_add(cycle=cycle, description="Ready for pickup", default_duration=3)
    status_add(cycle=cycle, description="Picked up", is_final=True)
    template = MessageTemplate.objects.create(
        name="Ready",
        channel="email",
        subject="Your {order_type} is ready, {client_first_name}",
        body="Hello {client_first_name},\n\norder {order_number} is ready at {studio_name}.",
    )
    Trigger.objects.create(
        name="Tell the client the album is ready", cycle=cycle, status=ready, action="email",
        template=template, processing="review", active_since=timezone.now(),
        created_by=people["manager"],
    )  # fmt: skip
    cycle_touch(cycle_id=cycle.pk)
    client = f.ClientFactory(first_name="Ann", last_name="Lee", email="ann@example.com")
    order = f.ProductionOrderFactory(
        invoice=f.InvoiceFactory(client=client), client=client, order_type=order_type,
        number="4821",
    )  # fmt: skip
    record_start(record=order, started_on=studio_preferences().today(), by=people["staff"])
    order = ProductionOrder.objects.get(pk=order.pk)
    status_change(
        record=order, expected_version=order.version, updated_by=people["staff"], to_status=ready
    )
    return ProductionOrder.objects.get(pk=order.pk)


def test_staff_process_a_review_item_and_see_it_in_the_orders_log(page, people):
    order = _order_waiting_for_review(people)
    firing = Firing.objects.get()
    assert firing.state == "in_review"
    order_page, outbox = order.get_absolute_url(), reverse("messages:outbox")

    log_in(page, "staff", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_test_id("review-count")).to_have_text("1")
    nav.get_by_role("link", name="Messages").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    group = page.get_by_role("region", name="Tell the client the album is ready")
    item = group.get_by_test_id("review-item")
    expect(item.get_by_test_id("recipient")).to_have_text("Ann Lee <ann@example.com>")
    expect(item.get_by_test_id("subject")).to_have_text("Your Album is ready, Ann")
    expect(item.get_by_test_id("body")).to_contain_text("order 4821 is ready")
    expect(item.get_by_role("link", name=str(order))).to_be_visible()
    screenshot(page, "review-queue")
    page.set_viewport_size({"width": 820, "height": 900})
    screenshot(page, "review-queue-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    item.get_by_role("button", name="Process", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 Email message queued.")
    expect(page.get_by_text("Nothing waits for review.")).to_be_visible()
    expect(nav.get_by_test_id("review-count")).to_have_count(0)
    message = Message.objects.get()
    assert (message.to, message.subject, message.created_by) == (
        "ann@example.com", "Your Album is ready, Ann", people["staff"],
    )  # fmt: skip

    page.goto(order_page)
    log = page.get_by_role("region", name="Communication log")
    entry = log.get_by_test_id("log-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Your Album is ready, Ann")
    expect(entry).to_contain_text("Ann Lee <ann@example.com>")
    expect(entry).to_contain_text("Queued")
    expect(log.get_by_role("button", name="Resend")).to_have_count(0)  # managers resend
    screenshot(page, "review-order-log")
    page.set_viewport_size({"width": 820, "height": 900})
    screenshot(page, "review-order-log-820")

    page.goto(outbox)
    expect(page.get_by_test_id("message-row")).to_contain_text("Your Album is ready, Ann")
    screenshot(page, "review-outbox-820")
