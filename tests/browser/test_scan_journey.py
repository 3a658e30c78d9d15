"""Staff run a batch through the scan station with a "scanner" (digits typed, then Enter): two
orders move on, an unknown label is reported without stopping the batch; then a look-up opens
an order's page, which shows its new status and its history."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, InvoiceFactory, OrderTypeFactory, ProductionOrderFactory

from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, record_start, status_add

pytestmark = pytest.mark.browser

MONDAY = dt.date(2026, 3, 2)


def scan(page, code: str) -> None:
    """What a USB barcode scanner does: type the characters fast, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_staff_run_a_batch_through_the_scan_station(page, people):
    album = OrderTypeFactory(name="Album")
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name="Album orders", order_type=album)
    ordered = status_add(cycle=cycle, description="Ordered", default_duration=1)
    at_lab = status_add(cycle=cycle, description="At the lab", default_duration=5)
    status_add(cycle=cycle, description="Ready for Pickup", is_final=True)
    orders = []
    for number, last_name in (("1001", "Lovelace"), ("1002", "Hopper")):
        invoice = InvoiceFactory(client=ClientFactory(first_name="Ada", last_name=last_name))
        order = ProductionOrderFactory(number=number, order_type=album, invoice=invoice)
        record_start(record=order, started_on=MONDAY, by=people["manager"])
        orders.append(order)

    log_in(page, "staff", PASSWORD)
    page.goto("/production/scan/")
    code = page.get_by_label("Order number")
    expect(code).to_be_focused()
    page.get_by_label("Batch advance").check()
    expect(code).to_be_focused()  # choosing the mode hands focus back to the field

    results = page.get_by_test_id("scan-result")
    scan(page, "1001")
    expect(results).to_have_count(1)
    # A click elsewhere does not lose the next scan: typing returns to the field.
    page.get_by_role("heading", name="Scan station").click()
    scan(page, "7777")
    scan(page, "1002")
    expect(results).to_have_count(3)
    expect(code).to_have_value("")
    expect(code).to_be_focused()
    expect(results.nth(0)).to_contain_text("1002")
    expect(results.nth(0)).to_contain_text("Hopper")
    expect(results.nth(0)).to_contain_text("Ordered → At the lab")
    expect(results.nth(1)).to_contain_text("No order has number 7777.")
    expect(results.nth(2)).to_contain_text("1001")
    expect(results.nth(2)).to_contain_text("Lovelace")
    expect(results.nth(2)).to_contain_text("Ordered → At the lab")
    screenshot(page, "scan-station-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "scan-station-820")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert [ProductionOrder.objects.get(pk=o.pk).status for o in orders] == [at_lab, at_lab]

    # Look up: Enter opens the order's page.
    page.get_by_label("Look up").check()
    scan(page, "1001")
    page.wait_for_url(f"**{orders[0].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Album order #1001")
    expect(page.get_by_test_id("current-status")).to_contain_text("At the lab")
    history = page.get_by_role("region", name="Status history")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Ordered → At the lab")
    expect(history.get_by_role("row").nth(1)).to_contain_text("Staff")
    screenshot(page, "production-order-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "production-order-820")
    assert ordered.pk != at_lab.pk
