"""The hub at a laptop's size and a tablet's: a dozen orders and more in sight under the
filters (folded, "Filters (n active)", remembered), rows on one line, the bar to change the
ticked orders only once something is ticked; at 820 px every column shown has a width (the
others are dropped on purpose); the board scrolls sideways to its last column. Pictures of the
hub, the board, an order and a client at both sizes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import (
    ClientFactory,
    DepartmentFactory,
    InvoiceFactory,
    OrderTypeFactory,
    PriorityCodeFactory,
    ProductionOrderFactory,
    VendorFactory,
)

from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, record_start, status_add

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 820, "height": 1180}
ORDERS = 24

FIRST = ["Ada", "Grace", "Marie", "Emmy", "Rosalind", "Lise", "Katherine", "Hedy"]
LAST = ["Lovelace", "Hopper", "Curie", "Noether", "Franklin", "Meitner", "Johnson", "Lamarr"]

# Every visible heading and every visible cell of the first row, with its width.
COLUMN_WIDTHS = """
() => {
  const shown = (el) => getComputedStyle(el).display !== "none";
  const table = document.querySelector(".hub-table");
  const heads = [...table.querySelectorAll("thead th")];
  const cells = [...table.querySelectorAll("tbody tr.hub-row")[0].children];
  return {
    heads: heads.filter(shown).map((th) => [th.textContent.trim(), th.offsetWidth]),
    cells: cells.filter(shown).map((td) => td.getBoundingClientRect().width),
    pairs: heads.map((th, i) => [shown(th), shown(cells[i])]),
    overflow: table.parentElement.scrollWidth - table.parentElement.clientWidth,
  };
}
"""

# The board scrolled to its end: where its last column is, against the board's own box.
BOARD_END = """
() => {
  const board = document.querySelector("[data-board]");
  board.scrollLeft = board.scrollWidth;
  const last = board.querySelector("[data-column]:last-of-type").getBoundingClientRect();
  const box = board.getBoundingClientRect();
  return {
    scrolls: board.scrollWidth > board.clientWidth,
    lastLeft: last.left, lastRight: last.right, boxLeft: box.left, boxRight: box.right,
  };
}
"""


def pictures(page, name: str) -> None:
    """The page from its top at a laptop's size, then a tablet's."""
    page.set_viewport_size(LAPTOP)
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"{name}-1366")
    page.set_viewport_size(TABLET)
    screenshot(page, f"{name}-820")
    page.set_viewport_size(LAPTOP)


def open_orders(people):
    """Twenty-four open orders of one long cycle, over two vendors, assigned and prioritised."""
    today = studio_preferences().today()
    desk = DepartmentFactory(name="Lab desk")
    kind = OrderTypeFactory(name="Lab Print Order")
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name="Prints", order_type=kind)
    steps = ["Sent to lab", "Printed", "Retouching", "Mounting", "Framing", "Packed", "Shipped"]
    for n, step in enumerate(steps):
        status_add(cycle=cycle, description=step, default_duration=2 + n, default_department=desk)
    status_add(cycle=cycle, description="Picked up", is_final=True)
    vendors = [VendorFactory(name="Bay Lab"), VendorFactory(name="Frame & Co")]
    rush = PriorityCodeFactory(code="Rush")
    orders = []
    for n in range(ORDERS):
        invoice = InvoiceFactory(
            client=ClientFactory(first_name=FIRST[n % 8], last_name=f"{LAST[n % 8]} {n}"),
            approximate_delivery_date=today + dt.timedelta(days=10 + n),
            total=f"{100 + 10 * n}.00",
        )
        order = ProductionOrderFactory(
            invoice=invoice,
            vendor=vendors[n % 2],
            order_type=kind,
            number=str(48200 + n),
            priority_code=rush if n % 5 == 0 else None,
        )
        started = today - dt.timedelta(days=n % 9)
        record_start(record=order, started_on=started, by=people["manager"])
        orders.append(order)
    return orders


def test_the_hub_shows_a_dozen_orders_and_every_column_it_keeps(page, people):
    orders = open_orders(people)
    page.context.set_default_timeout(30_000)
    log_in(page, "staff", PASSWORD)
    page.goto("/production/")
    expect(page.get_by_test_id("hub-row")).to_have_count(ORDERS)

    # A laptop: at least twelve orders above the fold, under folded filters; no bar yet.
    rows = page.get_by_test_id("hub-row")
    in_sight = [
        box for box in (r.bounding_box() for r in rows.all()) if box["y"] + box["height"] <= 768
    ]
    assert len(in_sight) >= 12, f"only {len(in_sight)} orders in sight at 1366×768"
    bar = page.locator("#hub-bulk-form")
    expect(bar).to_be_hidden()
    filters = page.get_by_role("search", name="Filter orders")
    expect(filters.get_by_label("Vendor")).to_be_hidden()
    pictures(page, "hub-layout-list")

    # The fold opens by keyboard, is remembered, and counts what is chosen.
    toggle = filters.locator("summary")
    expect(toggle).to_have_text("Filters")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(filters.get_by_label("Vendor")).to_be_visible()
    filters.get_by_label("Vendor").select_option(label="Bay Lab")
    filters.get_by_label("Priority").select_option(label="Rush")
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"/production/\?.*vendor="))
    expect(toggle).to_have_text("Filters (2 active)")
    expect(filters.get_by_label("Vendor")).to_be_visible()  # still open, as it was left
    expect(rows).to_have_count(3)  # orders 0, 10 and 20 are Bay Lab's rush orders
    page.wait_for_load_state()  # hub.js (deferred) remembers the fold closed from here
    toggle.click()
    expect(filters.get_by_label("Vendor")).to_be_hidden()
    page.reload()
    expect(filters.get_by_label("Vendor")).to_be_hidden()  # closed, as it was left
    page.get_by_role("link", name="Clear").click()
    expect(rows).to_have_count(ORDERS)

    # The bar comes with the first tick and goes with the last.
    first = page.get_by_role("checkbox", name=re.compile("Select order #48200"))
    first.check()
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("of 1 order ticked")
    pictures(page, "hub-layout-ticked")
    first.uncheck()
    expect(bar).to_be_hidden()

    # A tablet: every column kept has a width, its heading and cells agree.
    page.wait_for_load_state()  # the style sheet is in: widths are the laid-out ones
    page.set_viewport_size(TABLET)
    widths = page.evaluate(COLUMN_WIDTHS)
    assert all(head == cell for head, cell in widths["pairs"]), widths["pairs"]
    assert [name for name, _ in widths["heads"]][:6] == [
        "",
        "Order",
        "Client",
        "Vendor",
        "Status",
        "Due",
    ]
    assert all(width >= 24 for _, width in widths["heads"]), widths["heads"]
    assert all(width >= 24 for width in widths["cells"]), widths["cells"]
    assert widths["overflow"] <= 0, "the hub table is cut at the right edge of a tablet"
    page.set_viewport_size(LAPTOP)
    widths = page.evaluate(COLUMN_WIDTHS)
    assert all(head == cell for head, cell in widths["pairs"])
    assert "Priority" in [name for name, _ in widths["heads"]]
    assert all(width >= 24 for _, width in widths["heads"]), widths["heads"]
    assert widths["overflow"] <= 0, "the hub table is cut at the right edge of a laptop"

    # The board: eight columns scroll sideways, the last one can be reached whole.
    page.get_by_role("link", name="Board").click()
    expect(page.get_by_test_id("column-picked-up")).to_be_attached()
    # The board's markup can be in before its style sheet: unstyled, its columns stack and
    # nothing scrolls sideways. Measure once the page has loaded.
    page.wait_for_load_state()
    for size in (LAPTOP, TABLET):
        page.set_viewport_size(size)
        end = page.evaluate(BOARD_END)
        assert end["scrolls"], end
        assert end["lastLeft"] >= end["boxLeft"] - 1 and end["lastRight"] <= end["boxRight"] + 1, (
            end
        )
    page.evaluate("document.querySelector('[data-board]').scrollLeft = 0")
    pictures(page, "hub-layout-board")

    # An order's page and a client's.
    page.goto(f"/production/orders/{orders[0].pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lab Print Order #48200")
    expect(page).to_have_title(re.compile(r"^Lab Print Order 48200 — "))
    pictures(page, "hub-layout-order")
    page.goto(orders[0].client.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lovelace 0")
    pictures(page, "hub-layout-client")
