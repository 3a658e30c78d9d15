"""Staff work the production hub: they filter it to one vendor's overdue orders, advance two of
them together, then drag a card to the next column on the board, and see the summary follow
each change. Pictures of the hub and the board at a laptop's width and a tablet's."""

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
    SessionFactory,
    VendorFactory,
)

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, record_start, status_add, status_change

# The studio's today is pinned (an ordinary Wednesday): the journey means the same on any day.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("ordinary_day")]

CLIENTS = [
    ("Ada", "Lovelace"),
    ("Grace", "Hopper"),
    ("Marie", "Curie"),
    ("Emmy", "Noether"),
    ("Rosalind", "Franklin"),
    ("Lise", "Meitner"),
    ("Katherine", "Johnson"),
    ("Hedy", "Lamarr"),
    ("Barbara", "McClintock"),
    ("Dorothy", "Hodgkin"),
]


def pictures(page, name: str) -> None:
    """The page from its top, at a laptop's width and a tablet's."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 820, "height": 1180})
    screenshot(page, f"{name}-820")
    page.set_viewport_size({"width": 1366, "height": 768})


def cycle_of(name: str, *steps: tuple[str, int], department=None):
    kind = OrderTypeFactory(name=name)
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name=f"{name} orders", order_type=kind)
    statuses = [
        status_add(cycle=cycle, description=s, default_duration=d, default_department=department)
        for s, d in steps
    ]
    statuses.append(status_add(cycle=cycle, description="Picked up", is_final=True))
    return kind, statuses


def test_staff_filter_the_hub_advance_two_orders_and_drag_a_card(page, people):
    today = studio_preferences().today()
    long_ago, lately = today - dt.timedelta(days=30), today - dt.timedelta(days=1)
    lab_desk = DepartmentFactory(name="Lab desk")
    prints, (sent, printed, packed, _) = cycle_of(
        "Prints", ("Sent to lab", 2), ("Printed", 2), ("Packed", 1), department=lab_desk
    )
    albums, _ = cycle_of("Albums", ("Designing", 5), ("At bindery", 10))
    proofs = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    status_add(cycle=proofs, description="Proofing", default_duration=3)
    status_add(cycle=proofs, description="Chosen", is_final=True)
    lab, framer = VendorFactory(name="Bay Lab"), VendorFactory(name="Frame & Co")
    rush = PriorityCodeFactory(code="Rush")
    plan = [  # order type, vendor, started, promised in days, priority
        (prints, lab, long_ago, 20, None),
        (prints, lab, long_ago, 40, rush),
        (prints, lab, long_ago, 30, None),
        (prints, framer, long_ago, 25, None),
        (prints, lab, today, 60, None),
        (prints, framer, today, 3, rush),
        (albums, framer, lately, 45, None),
        (albums, lab, today, 90, None),
    ]
    orders = []
    for n, (kind, vendor, started, promised, priority) in enumerate(plan):
        first, last = CLIENTS[n]
        invoice = InvoiceFactory(
            client=ClientFactory(first_name=first, last_name=last),
            approximate_delivery_date=today + dt.timedelta(days=promised),
            total=f"{180 + 45 * n}.00",
        )
        order = ProductionOrderFactory(
            invoice=invoice,
            vendor=vendor,
            order_type=kind,
            number=str(1001 + n),
            priority_code=priority,
        )
        record_start(record=order, started_on=started, by=people["manager"])
        orders.append(order)
    for n in (8, 9):
        session = SessionFactory(
            client=ClientFactory(first_name=CLIENTS[n][0], last_name=CLIENTS[n][1])
        )
        proof = PreproductionOrder.objects.create(
            session=session,
            vendor=lab,
            order_date=long_ago,
            entered_by=people["manager"],
            number=f"P{n}",
        )
        record_start(record=proof, started_on=long_ago if n == 8 else today, by=people["manager"])

    page.context.set_default_timeout(30_000)  # the hub's setup is larger than most journeys'
    log_in(page, "staff", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Production").click()
    expect(page.get_by_role("heading", name="Production", exact=True)).to_be_visible()
    summary = page.get_by_role("region", name="Summary")
    expect(summary.get_by_test_id("summary-overdue")).to_have_text("5 overdue")
    expect(page.get_by_test_id("hub-row")).to_have_count(10)
    pictures(page, "hub-list")

    # Filter: Bay Lab's overdue orders; the filter is the address.
    filters = page.get_by_role("search", name="Filter orders")
    filters.get_by_text("Filters", exact=True).click()  # the choices are folded away at first
    filters.get_by_label("Vendor").select_option(label="Bay Lab")
    filters.get_by_label("Due", exact=True).select_option(label="Overdue")
    filters.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"/production/\?flag=overdue&vendor={lab.pk}$"))
    expect(page.get_by_test_id("hub-row")).to_have_count(4)  # three prints and a proof order
    expect(summary.get_by_test_id("summary-overdue")).to_have_text("4 overdue")
    for row in page.get_by_test_id("hub-row").all():
        expect(row).to_contain_text("Overdue")
        expect(row).to_contain_text("Bay Lab")

    # Advance two of them together.
    bar = page.get_by_role("form", name=re.compile("Change status"))
    expect(bar).to_be_hidden()  # until an order is ticked
    page.get_by_role("checkbox", name="Select order #1001 for Ada Lovelace").check()
    page.get_by_role("checkbox", name="Select order #1002 for Grace Hopper").check()
    expect(bar).to_contain_text("of 2 orders ticked")
    expect(bar.get_by_label("Change to")).to_have_value("")  # the next status of each
    pictures(page, "hub-filtered")
    bar.get_by_role("button", name="Change status").click()
    expect(page.get_by_role("status")).to_contain_text("Changed the status of 2 orders.")
    expect(page.get_by_role("row", name=re.compile("Lovelace"))).to_contain_text(
        "Sent to lab → Printed"
    )
    assert {
        o.number: o.status
        for o in ProductionOrder.objects.filter(number__in=["1001", "1002", "1003"])
    } == {
        "1001": printed,
        "1002": printed,
        "1003": sent,
    }
    page.get_by_role("link", name="Back to the hub").click()
    expect(page).to_have_url(re.compile(rf"/production/\?flag=overdue&vendor={lab.pk}$"))
    expect(page.get_by_test_id("hub-row")).to_have_count(2)
    expect(summary.get_by_test_id("summary-overdue")).to_have_text("2 overdue")

    # The board: drag Marie Curie's overdue order from "Sent to lab" to "Printed".
    page.get_by_role("link", name="Board").click()
    page.get_by_role("link", name="Clear").click()
    page.get_by_label("Cycle", exact=True).select_option(label="Prints orders")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=re.compile("Production board"))).to_be_visible()
    sent_column = page.get_by_test_id("column-sent-to-lab")
    printed_column = page.get_by_test_id("column-printed")
    expect(sent_column.get_by_test_id("card")).to_have_count(4)
    expect(printed_column.get_by_test_id("card")).to_have_count(2)
    board_summary = page.get_by_role("region", name="Summary")
    expect(board_summary.get_by_test_id("summary-overdue")).to_have_text("2 overdue")
    pictures(page, "hub-board")
    card = sent_column.get_by_test_id("card").filter(has_text="Curie")
    card.drag_to(printed_column)
    expect(printed_column.get_by_test_id("card")).to_have_count(3)
    expect(printed_column.get_by_test_id("card").filter(has_text="Curie")).to_be_visible()
    expect(sent_column.get_by_test_id("card")).to_have_count(3)
    expect(page.locator(f"#count-{printed.pk}")).to_have_text("3")
    expect(board_summary.get_by_test_id("summary-overdue")).to_have_text("1 overdue")
    assert ProductionOrder.objects.get(number="1003").status == printed

    # Someone else moves it on; the card, still on this board, is now stale: "Move to…" (the
    # keyboard's way) is refused and nothing changes.
    stale = ProductionOrder.objects.get(number="1003")
    status_change(
        record=stale, expected_version=stale.version, updated_by=people["manager"], to_status=packed
    )
    curie = printed_column.get_by_test_id("card").filter(has_text="Curie")
    curie.get_by_label("Move order #1003 for Marie Curie to").select_option(label="Sent to lab")
    curie.get_by_role("button", name="Move").click()
    expect(curie.get_by_role("alert")).to_contain_text("Someone else moved this order — reload")
    assert ProductionOrder.objects.get(number="1003").status == packed
    screenshot(page, "hub-board-conflict")

    # Back on the hub, the summary shows every change.
    page.get_by_role("link", name="List").click()
    strip = page.get_by_role("region", name="Summary")
    expect(strip.get_by_test_id("summary-overdue")).to_have_text("2 overdue")
    expect(strip.get_by_test_id(f"summary-status-{printed.pk}")).to_contain_text("Printed 2")
    expect(strip.get_by_test_id(f"summary-status-{packed.pk}")).to_contain_text("Packed 1")
