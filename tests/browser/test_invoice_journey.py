"""The demo studio's manager takes a new client's first order: client, invoice, two lines, total."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot

from darkroom.clients.models import Client, Invoice
from darkroom.sample_data.demo import DEMO_PASSWORD, demo_studio_load

pytestmark = pytest.mark.browser


def test_manager_creates_a_client_and_an_invoice_with_two_lines(page):
    demo_studio_load()
    log_in(page, "manager", DEMO_PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="New client").first.click()
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")

    page.get_by_role("link", name="New invoice").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New invoice")
    page.wait_for_load_state()  # the editor's script is running: "Add line" does something
    page.get_by_label("Item, line 1").select_option(label="8X10 — 8×10 in lustre print")
    page.get_by_label("Quantity, line 1").fill("3")
    page.get_by_role("button", name="Add line").click()
    page.get_by_label("Item, line 2").select_option(label="FRM8X10 — Black wood frame, 8×10 in")
    # 3 × 25.00 + 1 × 95.00, computed live in the page before anything is saved.
    expect(page.get_by_test_id("invoice-total")).to_have_text("$170.00")
    screenshot(page, "invoice-editor")
    page.get_by_role("button", name="Save invoice").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Invoice")
    expect(page.get_by_test_id("invoice-total")).to_have_text("$170.00")
    expect(page.get_by_role("cell", name="8×10 in lustre print")).to_be_visible()
    screenshot(page, "invoice")
    # "Print" opens the browser's print dialog (stood in for here: a headless browser has none).
    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    assert page.evaluate("window.printed") is None
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True

    client = Client.objects.get(last_name="Lovelace")
    invoice = Invoice.objects.get(client=client)
    assert invoice.total == Decimal("170.00")
    assert [(line.item.identifier, line.quantity) for line in invoice.lines.all()] == [
        ("8X10", 3),
        ("FRM8X10", 1),
    ]
