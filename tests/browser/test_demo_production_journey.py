"""In the demo studio, a newcomer finds work under way: "My work" on the home page, the hub with
orders overdue, due today and at risk, the board's columns, an order found at the scan station.
Then the front desk sends the newest invoice to production: orders for all necessary vendors
(the line without a vendor reported), one order moved on with the status dialog, the invoice's
status and due date changed from the order, its work order printed; then a batch through the
scan station moves both orders on, and the session's proofs go out on a proof order."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from tests.browser.journey import log_in, screenshot

from darkroom.clients.models import Invoice
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.sample_data.demo import DEMO_PASSWORD, demo_studio_load
from darkroom.sample_data.demo.catalog import HEIRLOOM, PRAIRIE
from darkroom.sample_data.demo.front_desk import SHOWCASE_NOTE

pytestmark = pytest.mark.browser


def pictures(page, name: str) -> None:
    """The page from its top, at a laptop's width and a tablet's."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, f"{name}-820")
    page.set_viewport_size({"width": 1366, "height": 768})


def scan(page, code: str) -> None:
    """What a USB barcode scanner does: type the characters fast, then Enter."""
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_newcomer_finds_the_studio_at_work(page):
    demo_studio_load()
    waiting = ProductionOrder.objects.filter(completed_date=None, status__position=2)
    order = waiting.exclude(number=None).order_by("status_due_date", "pk").first()
    order_url = order.get_absolute_url()
    page.context.set_default_timeout(30_000)  # the demo's hub is larger than most journeys'
    log_in(page, "manager", DEMO_PASSWORD)

    # Home: the manager's own orders and her departments', the overdue ones first.
    my_work = page.get_by_role("region", name="My work")
    expect(my_work.get_by_test_id("my-work-row")).to_have_count(10)
    pictures(page, "demo-home")

    # The hub: open orders of both kinds, with trouble and today's work flagged.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Production").click()
    summary = page.get_by_role("region", name="Summary")
    for flag, words in (("overdue", "overdue"), ("due-today", "due today"), ("at-risk", "at risk")):
        figure = summary.get_by_test_id(f"summary-{flag}")
        expect(figure).to_have_text(re.compile(rf"^[1-9]\d* {words}$"))
    expect(page.get_by_test_id("hub-row").first).to_contain_text("Overdue")  # by due date
    pictures(page, "demo-hub")

    # The board of lab prints: a card in every column.
    page.get_by_role("link", name="Board").click()
    page.get_by_label("Cycle", exact=True).select_option(label="Lab Print Order")
    page.get_by_role("button", name="Show").click()
    for column in ("ordered", "sent-to-lab", "received-from-lab", "quality-check"):
        expect(page.get_by_test_id(f"column-{column}").get_by_test_id("card").first).to_be_visible()
    pictures(page, "demo-board")

    # The scan station: an order's label, looked up.
    page.goto("/production/scan/")
    scan(page, order.number)
    page.wait_for_url(f"**{order_url}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{order.number}")
    page.goto("/production/scan/")
    page.get_by_label("Batch advance").check()
    scan(page, order.number)
    expect(page.get_by_test_id("scan-result")).to_have_count(1)
    expect(page.get_by_test_id("scan-result")).to_contain_text(order.number)
    pictures(page, "demo-scan-station")


def test_the_demo_invoice_goes_through_production(page):
    demo_studio_load()
    invoice = Invoice.objects.get(notes=SHOWCASE_NOTE)
    invoice_url = invoice.get_absolute_url()  # (loads the URLs here, not in the first request)
    log_in(page, "manager", DEMO_PASSWORD)

    # The invoice: two vendors' lines and the digital gallery, which no vendor makes.
    page.goto(invoice_url)
    orders_section = page.get_by_role("region", name="Production orders")
    expect(orders_section).to_contain_text("No production orders yet.")
    orders_section.get_by_role("link", name="Create production orders").click()
    expect(page.get_by_label("Vendor", exact=True)).to_have_value("")  # all necessary vendors
    page.get_by_role("button", name="Create production orders").click()

    page.wait_for_url(f"**{invoice.get_absolute_url()}#production-orders")
    created = page.get_by_test_id("orders-created")
    expect(created).to_contain_text("Created 2 production orders:")
    skipped = page.get_by_test_id("skipped-lines").get_by_role("listitem")
    expect(skipped).to_have_count(1)
    expect(skipped).to_contain_text("DIGFULL")
    expect(skipped).to_contain_text("no vendor")
    rows = orders_section.locator("tbody tr")
    expect(rows).to_have_count(2)
    album = ProductionOrder.objects.get(invoice=invoice, vendor__name=HEIRLOOM)
    prints = ProductionOrder.objects.get(invoice=invoice, vendor__name=PRAIRIE)
    assert album.number and prints.number  # both labs number their orders
    expect(orders_section).to_contain_text(f"#{album.number}")
    expect(orders_section).to_contain_text(f"#{prints.number}")
    expect(orders_section.get_by_role("button", name="Print work orders")).to_be_visible()
    pictures(page, "demo-invoice-production-orders")

    # One order: move it on with the status dialog.
    created.get_by_role("link", name=re.compile(re.escape(HEIRLOOM))).click()
    page.wait_for_url(f"**{album.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{album.number}")
    expect(page.get_by_test_id("current-status")).to_contain_text("Design")
    page.get_by_role("region", name="Status").get_by_role("link", name="Change status").click()
    dialog = page.locator("#status-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Change to")).to_have_value(re.compile(r"\d+"))
    dialog.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("current-status")).to_contain_text("Client Approval")
    expect(page.get_by_role("status").first).to_contain_text("Design → Client Approval")

    # The invoice's status and due date, changed from the order: back on the order each time.
    invoice_status = page.get_by_test_id("invoice-status")
    expect(invoice_status).to_contain_text("Entered")
    page.wait_for_load_state()  # the change reloaded the page: htmx is listening again from here
    invoice_status.get_by_role("link", name="Change invoice status").click()
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_contain_text(f"Invoice {invoice.number}")
    dialog.get_by_role("button", name="Change status").click()
    page.wait_for_url(f"**{album.get_absolute_url()}")
    expect(page.get_by_test_id("invoice-status")).to_contain_text("In production")
    invoice.refresh_from_db()
    assert invoice.status.description == "In production"
    later = invoice.status_due_date + dt.timedelta(days=3)
    page.get_by_text("Move the invoice's due date").click()
    page.get_by_label("New due date").fill(later.isoformat())
    page.get_by_label("Why").fill("Album proofs need another look")
    screenshot(page, "demo-invoice-due-move-1366")
    page.get_by_role("button", name="Move due date").click()
    page.wait_for_url(f"**{album.get_absolute_url()}")
    expect(page.get_by_role("status").first).to_contain_text("due date moved")
    due = page.get_by_test_id("invoice-due")
    expect(due).to_contain_text(f"{later:%b} {later.day}, {later:%Y}")
    expect(due).to_contain_text("overridden")
    invoice.refresh_from_db()
    assert (invoice.status_due_date, invoice.status_due_overridden) == (later, True)
    pictures(page, "demo-production-order")

    # Its work order, read back.
    href = page.get_by_role("link", name="Work order (PDF)").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Work order" in text and album.number in text

    # The scan station: both orders' labels, one after the other, in batch mode.
    page.goto("/production/scan/")
    page.get_by_label("Batch advance").check()
    results = page.get_by_test_id("scan-result")
    scan(page, album.number)
    expect(results).to_have_count(1)
    scan(page, prints.number)
    expect(results).to_have_count(2)
    expect(results.nth(0)).to_contain_text(prints.number)
    expect(results.nth(0)).to_contain_text("Ordered → Sent to Lab")
    expect(results.nth(1)).to_contain_text(album.number)
    expect(results.nth(1)).to_contain_text("Client Approval → Sent to Bindery")
    album.refresh_from_db()
    prints.refresh_from_db()
    assert (album.status.description, prints.status.description) == (
        "Sent to Bindery",
        "Sent to Lab",
    )

    # The session's proofs go out: a proof order with a page of its own.
    page.goto(invoice.session.get_absolute_url())
    proofs = page.get_by_role("region", name="Send proofs")
    proofs.get_by_role("combobox", name="Vendor").select_option(label=PRAIRIE)
    proofs.get_by_label("Notes").fill("Lustre proofs of the album spreads")
    proofs.get_by_role("button", name="Create proof order").click()
    proof = PreproductionOrder.objects.get(session=invoice.session)
    production = page.get_by_role("region", name="Production")
    production.get_by_role("link", name=f"#{proof.number}").click()
    page.wait_for_url(f"**{proof.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Proof order #{proof.number}")
    expect(page.get_by_test_id("current-status")).to_contain_text("Proofs prepared")
    page.get_by_role("link", name="Edit proof order").click()
    page.get_by_label("Preproduction cost").fill("-4")
    page.get_by_role("button", name="Save proof order").click()
    expect(page.get_by_text("The amount must not be negative.")).to_be_visible()
    page.get_by_label("Preproduction cost").fill("18.50")
    page.get_by_role("button", name="Save proof order").click()
    page.wait_for_url(f"**{proof.get_absolute_url()}")
    expect(page.get_by_test_id("proof-cost")).to_contain_text("18.50")
    pictures(page, "demo-proof-order")
