"""The front desk sorts the all-orders list by clicking its headings: by order number (9 before
10), then the other way from the keyboard, the heading saying how the list is sorted; then by
due date, finished orders (no due date) last. The filter stays as it was."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.production.test_order_list_sorts import studio  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def heading(page, name: str):
    """A heading's link (its name ends with an arrow: the sort, or ↕ when not sorted by it)."""
    link = re.compile(rf"^{name}(\s*[▲▼↕])?$")
    return page.locator("table.order-list thead").get_by_role("link", name=link)


def numbers(page) -> list[str]:
    cells = page.locator("tr[data-order] td:first-child").all_inner_texts()
    return [cell.strip().removeprefix("#") for cell in cells]


def test_the_front_desk_sorts_the_orders_by_their_headings(page, studio):  # noqa: F811
    log_in(page, "staff", PASSWORD)
    page.goto("/production/orders/?state=all")
    heads = page.locator("table.order-list thead")
    expect(heads.locator('th[aria-sort="descending"]')).to_have_text("Ordered")

    heading(page, "Order").click()
    page.wait_for_url(re.compile(r"sort=number"))
    expect(heads.locator('th[aria-sort="ascending"]')).to_have_text("Order")
    assert numbers(page)[:5] == ["2", "5", "9", "10", "10"]
    assert "state=all" in page.url  # the filter stays
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "orders-sorted-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "orders-sorted-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    # The other way, from the keyboard: the heading is a link.
    heading(page, "Order").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort=-number"))
    expect(heads.locator('th[aria-sort="descending"]')).to_have_text("Order")
    assert numbers(page)[:3] == ["4812", "1000", "480"]

    heading(page, "Due").click()
    page.wait_for_url(re.compile(r"sort=due"))
    due = page.locator("tr[data-order] td:nth-child(7)").all_inner_texts()
    assert due[-1].strip() == "—"  # no due date: last
    assert "—" not in due[0]
