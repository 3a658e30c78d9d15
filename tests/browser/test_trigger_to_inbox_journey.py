"""From a trigger to the client's inbox, in the browser: a manager makes a review trigger
("email the client when an album is Ready"), staff advance an order to Ready with the status
dialog, the email waits in the review queue with its words and recipient, staff process it, the
worker's delivery sends it to a real SMTP server on loopback, and the order's communication log
shows it sent."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests import factories as f
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.messaging import loopback
from tests.messaging.trigger_world import make_world

from darkroom.messaging.models import Message
from darkroom.messaging.outbox import outbox_deliver
from darkroom.production.models import ProductionOrder
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.services import record_start

pytestmark = pytest.mark.browser

mail_server = loopback.mail_server


def test_a_reviewed_trigger_email_reaches_the_client_and_the_log_says_sent(
    page, people, mail_server, settings
):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    world = make_world()
    client = f.ClientFactory(first_name="Ann", last_name="Lee", email="ann@example.com")
    order = f.ProductionOrderFactory(
        invoice=f.InvoiceFactory(client=client), client=client, order_type=world.order_type,
        number="4821",
    )  # fmt: skip
    record_start(record=order, started_on=studio_preferences().today(), by=people["staff"])

    # A manager makes the trigger.
    log_in(page, "manager", PASSWORD)
    page.goto("/maintenance/triggers/new/")
    page.get_by_label("Name").fill("Album ready email")
    page.get_by_label("Status cycle").select_option(label="Album Order · Production orders")
    page.get_by_role("combobox", name="Status", exact=True).select_option(label="Ready")
    page.get_by_label("Action").select_option(label="Email")
    page.get_by_role("combobox", name="Template", exact=True).select_option(
        label="Album ready (email) — Email"
    )
    expect(page.get_by_label("Processing")).to_have_value("review")
    page.get_by_role("button", name="Add trigger").click()
    expect(page.get_by_role("status")).to_contain_text("Added “Album ready email”.")

    # Staff advance the order to Ready (at their own desk: the manager's session is gone).
    page.context.clear_cookies()
    log_in(page, "staff", PASSWORD)
    page.goto(order.get_absolute_url())
    page.get_by_role("link", name="Change status").click()
    dialog = page.get_by_role("dialog", name=re.compile("Change status"))
    dialog.get_by_label("Change to").select_option(label="Ready")
    dialog.get_by_role("button", name="Change status").click()
    expect(dialog).to_be_hidden()
    assert ProductionOrder.objects.get(pk=order.pk).status == world.ready

    # The email waits for review, with its words and recipient; staff process it.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_test_id("review-count")).to_have_text("1")
    nav.get_by_role("link", name="Messages").click()
    item = page.get_by_role("region", name="Album ready email").get_by_test_id("review-item")
    expect(item.get_by_test_id("recipient")).to_have_text("Ann Lee <ann@example.com>")
    expect(item.get_by_test_id("subject")).to_have_text("Your album is ready")
    expect(item.get_by_test_id("body")).to_contain_text("Hello Ann, your album is ready.")
    screenshot(page, "trigger-inbox-review")
    item.get_by_role("button", name="Process", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("1 Email message queued.")

    # The worker's delivery sends it to the mail server.
    assert outbox_deliver() == 1
    (mail,) = mail_server.wait_for(1)
    message = Message.objects.get()
    assert (mail["To"], mail["Subject"]) == ("Ann Lee <ann@example.com>", "Your album is ready")
    assert "Hello Ann, your album is ready." in mail.get_content()
    assert mail["Message-ID"].startswith(f"<{message.key}@")

    # The order's communication log shows it sent.
    page.goto(order.get_absolute_url())
    entry = page.get_by_role("region", name="Communication log").get_by_test_id("log-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Your album is ready")
    expect(entry).to_contain_text("Sent")
    screenshot(page, "trigger-inbox-order-log")
    page.set_viewport_size({"width": 820, "height": 900})
    screenshot(page, "trigger-inbox-order-log-820")
