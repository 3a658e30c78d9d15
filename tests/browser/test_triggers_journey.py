"""A manager sets up "email the client when an order enters Ready", for review first: the
status choices follow the cycle chosen, the form shows only the fields an email uses, the list
shows the new trigger, and the cycle filter narrows the list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.messaging.trigger_world import email_on_ready, make_world

from darkroom.messaging.models import Trigger
from darkroom.messaging.trigger_services import trigger_create

pytestmark = pytest.mark.browser


def test_a_manager_adds_a_review_trigger_and_filters_the_list(page, people):
    world = make_world()
    trigger_create(
        by=people["manager"],
        **email_on_ready(
            world, name="Thanks for the session", cycle=world.sessions, status=world.shot
        ),
    )

    log_in(page, "manager", PASSWORD)
    page.goto("/maintenance/")
    page.get_by_role("link", name=re.compile(r"^Triggers\b")).click()
    expect(page.get_by_role("heading", name="Triggers", level=1)).to_be_visible()
    page.get_by_role("link", name="Add trigger").click()
    expect(page.get_by_role("heading", name="New trigger", level=1)).to_be_visible()
    page.wait_for_load_state()  # htmx (a deferred script) listens to the cycle's choice from here

    page.get_by_label("Name").fill("Album ready email")
    page.get_by_label("Status cycle").select_option(label="Album Order · Production orders")
    status = page.get_by_role("combobox", name="Status", exact=True)
    expect(status.locator("option")).to_have_text(
        ["Choose a status…", "Ordered", "At the lab", "Ready", "Picked up"]
    )
    status.select_option(label="Ready")
    page.get_by_label("Action").select_option(label="Email")
    expect(page.get_by_label("Task title")).to_be_hidden()
    expect(page.get_by_label("Fallback template")).to_be_hidden()
    expect(page.get_by_label("Business days", exact=True)).to_be_hidden()
    template = page.get_by_role("combobox", name="Template", exact=True)
    template.select_option(label="Album ready (email) — Email")
    expect(page.get_by_label("Processing")).to_have_value("review")
    expect(page.get_by_text("gets no email, SMS or letter from this trigger")).to_be_visible()
    screenshot(page, "triggers-new")
    page.get_by_role("button", name="Add trigger").click()

    expect(page.get_by_role("status")).to_contain_text("Added “Album ready email”.")
    row = page.get_by_role("row", name="Album ready email")
    expect(row).to_contain_text("Album Order · Production orders")
    expect(row).to_contain_text("Ready")
    expect(row).to_contain_text("On entering")
    expect(row).to_contain_text("The client")
    expect(row).to_contain_text("Review first")
    trigger = Trigger.objects.get(name="Album ready email")
    assert (trigger.status, trigger.processing, trigger.template) == (
        world.ready,
        "review",
        world.email,
    )
    screenshot(page, "triggers-list")

    names = page.locator("table.triggers-table tbody th[scope=row] a")
    expect(names).to_have_text(["Album ready email", "Thanks for the session"])
    page.get_by_label("Status cycle").select_option(label="Sessions · Sessions")
    expect(names).to_have_text(["Thanks for the session"])
    page.get_by_label("Status cycle").select_option(label="Album Order · Production orders")
    expect(names).to_have_text(["Album ready email"])
    screenshot(page, "triggers-filtered")
