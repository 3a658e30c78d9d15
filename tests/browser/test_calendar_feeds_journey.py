"""A person opens the account menu, makes their calendar feed, copies its address, reads it as
a calendar app would (parsed with icalendar), revokes it, and the address answers 404; a
manager makes the studio's feed beside their own."""

import icalendar
import pytest
from playwright.sync_api import expect
from tests import factories as f
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD

from darkroom.tracking.models import CycleKind

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]


def test_a_person_subscribes_to_their_feed_and_revokes_it(page, people, live_server):
    albums = f.cycle_with_statuses(
        kind=CycleKind.PRODUCTION,
        order_type=f.OrderTypeFactory(name="Album Order"),
        steps=[("Design", 3, {"default_user": people["staff"]})],
        final="Delivered",
    )
    client = f.ClientFactory(first_name="Ada", last_name="Lovelace")
    invoice = f.InvoiceFactory(client=client, approximate_delivery_date="2026-12-21")
    order = f.started_production_order(
        order_type=albums.order_type, invoice=invoice, number="4812", by=people["manager"]
    )

    log_in(page, "staff", PASSWORD)
    page.locator("details.account summary").click()  # the account menu under the name
    feeds_link = page.get_by_role("link", name="Calendar feeds")
    expect(feeds_link).to_be_visible()
    screenshot(page, "calendar-feeds-menu")
    feeds_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar feeds")
    expect(page.get_by_text("You have no calendar feed yet.")).to_be_visible()
    page.get_by_role("button", name="Make my calendar feed").click()

    address_field = page.get_by_label("The feed's address")
    expect(address_field).to_be_visible()
    address = address_field.input_value()
    assert address.startswith(f"{live_server.url}/feeds/drcal_") and address.endswith(".ics")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.wait_for_load_state()  # "Copy" is darkroom.js's (deferred): it listens from here
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == address
    webcal = page.get_by_role("link", name="open it in Calendar")
    assert webcal.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 768})
        screenshot(page, f"calendar-feeds-new-{width}")
    page.set_viewport_size({"width": 1366, "height": 768})

    # A calendar app reads it: no login, no cookies.
    answer = page.context.request.get(address, headers={"Cookie": ""})
    assert answer.status == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(answer.body())
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    due = events[f"production-order-{order.pk}-due"]
    assert str(due["SUMMARY"]) == "Due: Album Order #4812 — Design (Ada Lovelace)"
    assert str(due["URL"]) == f"{live_server.url}/production/orders/{order.pk}/"
    promised = events[f"production-order-{order.pk}-promised"]
    assert str(promised["SUMMARY"]) == "Promised: Album Order #4812 (Ada Lovelace)"

    page.goto("/account/calendar-feeds/")
    expect(page.get_by_label("The feed's address")).to_have_count(0)  # shown once only
    expect(page.get_by_text("A calendar app last read it")).to_be_visible()
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 768})
        screenshot(page, f"calendar-feeds-working-{width}")
    page.set_viewport_size({"width": 1366, "height": 768})
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.get_by_role("button", name="Revoke my feed").click()
    expect(page.get_by_role("status").first).to_contain_text("Revoked your calendar feed")
    assert asked[0].startswith("Revoke your calendar feed?")
    expect(page.get_by_role("button", name="Make my calendar feed")).to_be_visible()

    gone = page.context.request.get(address)
    assert gone.status == 404 and gone.body() == b""


def test_a_manager_makes_the_studios_feed(page, people, live_server):
    f.DepartmentFactory(name="Retouching")
    log_in(page, "manager", PASSWORD)
    page.goto("/account/calendar-feeds/")
    expect(page.get_by_text("No department or studio feeds.")).to_be_visible()
    page.get_by_label("The whole studio").check()
    page.get_by_role("button", name="Make feed").click()
    expect(
        page.get_by_role("heading", name="The address of the whole studio’s feed")
    ).to_be_visible()
    address = page.get_by_label("The feed's address").input_value()
    row = page.locator("table.tokens-table tbody tr", has_text="The whole studio")
    expect(row).to_contain_text(address.split("/feeds/")[1][:12] + "…")
    for width in (1366, 820):
        page.set_viewport_size({"width": width, "height": 768})
        screenshot(page, f"calendar-feeds-manager-{width}")
    answer = page.context.request.get(address)
    calendar = icalendar.Calendar.from_ical(answer.body())
    assert str(calendar["X-WR-CALNAME"]) == "My Studio"
