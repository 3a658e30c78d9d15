"""The front desk opens a client and sees where their orders stand: the open ones with their
status, due date, projected completion and "overdue" / "at risk", the finished ones folded
below, and the task made from a late order; they follow a link to the order. Then they open the
all-orders list, find an order by its number and a client's orders by name, and download the
list as an Excel file, read back here."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.production.test_record_orders import world  # noqa: F401 (the fixture)

from darkroom.todos.services import task_create

pytestmark = pytest.mark.browser


def pictures(page, name: str) -> None:
    """The page from its top, at a laptop's width and a tablet's."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, f"{name}-820")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_front_desk_sees_a_clients_production_and_finds_orders(page, world):  # noqa: F811
    task_create(
        by=world.staff,
        subject="Ask Bay Lab why the album is late",
        assigned_user=world.staff,
        links={"production_order": world.late},
    )
    log_in(page, "staff", PASSWORD)
    page.goto(world.client.get_absolute_url())

    section = page.get_by_role("region", name="Production")
    late_row = section.locator(f'tr[data-order="production-{world.late.pk}"]')
    expect(late_row).to_contain_text("#5001")
    expect(late_row).to_contain_text("Album")
    expect(late_row).to_contain_text("Bay Lab")
    expect(late_row).to_contain_text("Ordered")
    expect(late_row).to_contain_text("overdue")
    expect(late_row).to_contain_text("at risk")
    proof_row = section.locator(f'tr[data-order="preproduction-{world.open_proof.pk}"]')
    expect(proof_row).to_contain_text("Proofs sent")
    expect(proof_row).not_to_contain_text("overdue")
    # Finished orders are folded: there, but not in the way.
    finished = section.get_by_test_id("finished-orders")
    expect(finished.locator("summary")).to_have_text("Finished orders (2)")
    expect(finished.get_by_text("#5002")).to_be_hidden()
    finished.locator("summary").click()
    expect(finished.get_by_text("#5002")).to_be_visible()
    tasks = page.get_by_role("region", name="Tasks")
    expect(tasks).to_contain_text("Ask Bay Lab why the album is late")
    expect(tasks.get_by_role("link", name=str(world.late))).to_be_visible()
    pictures(page, "client-production")

    late_row.get_by_role("link", name="#5001").click()
    page.wait_for_url(f"**{world.late.get_absolute_url()}")
    expect(page.get_by_test_id("projected-completion")).to_contain_text("at risk")
    pictures(page, "client-production-order")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    expect(page.locator("tr[data-order]")).to_have_count(4)
    page.get_by_label("Search").fill("5001")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr[data-order]")).to_have_count(1)
    expect(page.locator("tr[data-order]")).to_contain_text("Ann Lee")
    page.get_by_label("Search").fill("Ann Lee")
    page.get_by_label("Open or finished").select_option("finished")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("tr[data-order]")).to_have_count(2)
    expect(page.locator("table.order-list")).to_contain_text("#P-8")
    pictures(page, "orders-list")

    with page.expect_download() as download:
        page.get_by_test_id("export-orders").click()
    content = download.value.path().read_bytes()
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Order", "Kind", "Type", "Vendor", "Client")
    assert sorted(row[0] for row in rows[1:]) == ["5002", "P-8"]
    assert {row[4] for row in rows[1:]} == {"Ann Lee"}
