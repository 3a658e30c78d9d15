"""The front desk opens an album order, hands it to Ana in Retouching without changing its
status, corrects its order type and order date, and reads all of it in the history; then it
hands two orders to the front desk at once from the hub."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, DepartmentFactory, UserFactory, VendorFactory
from tests.production.test_scans import production_cycle, started_order

from darkroom.production.models import ProductionOrder

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]

MONDAY = dt.date(2026, 3, 2)


def pictures(page, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, f"{name}-820")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_staff_reassign_an_order_edit_its_type_and_date_and_reassign_two_from_the_hub(page, people):
    album = production_cycle("Album", "Ordered", "Retouch", "Ready")
    prints = production_cycle("Prints", "Sent", "Retouch", "Delivered")
    front = DepartmentFactory(name="Front desk")
    retouching = DepartmentFactory(name="Retouching")
    ana = UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    lab = VendorFactory(name="Bay Lab", address="920 Disc Drive\nScotts Valley")
    ada = ClientFactory(first_name="Ada", last_name="Lovelace")
    grace = ClientFactory(first_name="Grace", last_name="Hopper")
    order = started_order(
        album,
        "2001",
        people["staff"],
        vendor=lab,
        client=ada,
        invoice__client=ada,
        shipping_address="Studio back door\n12 Harbour Lane",
    )
    other = started_order(album, "2002", people["staff"], vendor=lab, client=grace,
                          invoice__client=grace)  # fmt: skip
    ProductionOrder.objects.filter(pk=order.pk).update(status_department=front)

    log_in(page, "staff", PASSWORD)
    page.goto(ProductionOrder.objects.get(pk=order.pk).get_absolute_url())
    addresses = page.get_by_test_id("addresses")
    expect(addresses.get_by_test_id("ship-to")).to_contain_text("Studio back door")
    expect(addresses.get_by_test_id("vendor-address")).to_contain_text("920 Disc Drive")

    # Reassign: the dialog, the department and the person; the status stays.
    page.get_by_test_id("reassign").click()
    dialog = page.get_by_role("dialog", name=re.compile("Reassign"))
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Department")).to_be_focused()
    dialog.get_by_label("Department").select_option(label="Retouching")
    dialog.get_by_label("Person").select_option(label="Ana Ruiz")
    dialog.get_by_label("Why").fill("Retouching takes the album")
    pictures(page, "reassign-dialog")
    dialog.get_by_role("button", name="Reassign").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Reassigned to Retouching / Ana Ruiz (was Front desk / —)"
    )
    expect(page.get_by_test_id("current-status")).to_contain_text("Ordered")
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert (stored.status_department, stored.status_user, stored.status) == (
        retouching,
        ana,
        album.statuses[0],
    )

    # The order type and the order date, from the edit page.
    page.get_by_role("link", name="Edit order").click()
    page.get_by_label("Order type").select_option(label=str(prints.order_type))
    page.get_by_label("Order date").fill((MONDAY - dt.timedelta(days=1)).isoformat())
    pictures(page, "order-edit-type-date")
    page.get_by_role("button", name="Save order").click()
    expect(page.get_by_role("status")).to_contain_text("Saved the order.")
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert (stored.order_type, stored.status, stored.order_date) == (
        prints.order_type,
        prints.statuses[0],
        dt.date(2026, 3, 1),
    )

    # The history says all of it, newest first.
    history = page.get_by_role("region", name="Status history")
    rows = history.locator("tr.history-row")
    expect(rows.nth(0)).to_contain_text("Ordered → Sent")
    expect(rows.nth(0)).to_contain_text(
        "order type Album → Prints; order date 2026-03-02 → 2026-03-01"
    )
    expect(rows.nth(1)).to_contain_text("Reassigned to Retouching / Ana Ruiz (was Front desk / —)")
    pictures(page, "order-history-after-edits")

    # Both orders to the front desk at once, from the hub; their statuses stay.
    page.goto("/production/")
    bar = page.get_by_role("form", name=re.compile("Change status or reassign"))
    page.get_by_role("checkbox", name=re.compile("Select order #2001")).check()
    page.get_by_role("checkbox", name=re.compile("Select order #2002")).check()
    expect(bar).to_contain_text("of 2 orders ticked")
    bar.get_by_text("More: due date, who gets it, who did it").click()
    bar.get_by_label("Assign to department").select_option(label="Front desk")
    bar.get_by_label("Assign to person").select_option(label="Nobody")
    pictures(page, "hub-bulk-reassign")
    bar.get_by_role("button", name="Reassign only").click()
    expect(page.get_by_role("status")).to_contain_text("Reassigned 2 orders.")
    pictures(page, "hub-bulk-reassign-report")
    for pk, status in ((order.pk, prints.statuses[0]), (other.pk, album.statuses[0])):
        stored = ProductionOrder.objects.get(pk=pk)
        assert (stored.status_department, stored.status_user, stored.status) == (
            front,
            None,
            status,
        )
