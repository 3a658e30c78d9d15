"""Staff make an invoice's production orders: one per vendor its lines need, the line without a
vendor reported, not dropped silently; then they open an order, give it a number with "#" and
print its work order."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    OrderTypeFactory,
    PriceListItemFactory,
    SessionFactory,
    VendorFactory,
)

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add

pytestmark = pytest.mark.browser


def pictures(page, name: str) -> None:
    """The page from its top, at a laptop's width and a tablet's."""
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"{name}-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, f"{name}-820")
    page.set_viewport_size({"width": 1366, "height": 768})


def order_type_with_cycle(name: str, first: str):
    kind = OrderTypeFactory(name=name)
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name=f"{name} orders", order_type=kind)
    status_add(cycle=cycle, description=first, default_duration=2)
    status_add(cycle=cycle, description="Picked up", is_final=True)
    return kind


def test_staff_create_orders_from_an_invoice_and_number_one(page, people):
    prints = order_type_with_cycle("Lab prints", "Sent to lab")
    albums = order_type_with_cycle("Albums", "Designing")
    lab = VendorFactory(name="Bay Lab", default_order_type=prints)
    maker = VendorFactory(name="Album Co", default_order_type=albums, next_order_number=501)
    invoice = InvoiceFactory(
        client=ClientFactory(first_name="Ada", last_name="Lovelace"),
        approximate_delivery_date=dt.date(2026, 12, 18),
    )
    lines = (
        ("P810", "8x10 lustre print", lab),
        ("ALB10", "10x10 wedding album", maker),
        ("DIG", "Digital files", None),
    )
    for position, (identifier, description, vendor) in enumerate(lines, start=1):
        item = PriceListItemFactory(
            identifier=identifier, description=description, preferred_vendor=vendor
        )
        InvoiceLineFactory(invoice=invoice, position=position, item=item, description=description)

    log_in(page, "staff", PASSWORD)
    page.goto(invoice.get_absolute_url())
    orders_section = page.get_by_role("region", name="Production orders")
    expect(orders_section).to_contain_text("No production orders yet.")
    orders_section.get_by_role("link", name="Create production orders").click()

    expect(page.get_by_role("heading", name="Create production orders")).to_be_visible()
    expect(page.get_by_label("Vendor", exact=True)).to_have_value("")  # all necessary vendors
    expect(page.get_by_label("Automatic: a detail line")).to_be_checked()
    pictures(page, "production-orders-create")
    page.get_by_role("button", name="Create production orders").click()

    page.wait_for_url(f"**{invoice.get_absolute_url()}#production-orders")
    created = page.get_by_test_id("orders-created")
    expect(created).to_contain_text("Created 2 production orders:")
    expect(created.get_by_role("link")).to_have_count(2)
    skipped = page.get_by_test_id("skipped-lines").get_by_role("listitem")
    expect(skipped).to_have_count(1)
    expect(skipped).to_contain_text("Line 3")
    expect(skipped).to_contain_text("DIG Digital files")
    expect(skipped).to_contain_text("no vendor")
    rows = orders_section.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Bay Lab")
    expect(rows.nth(0)).to_contain_text("Sent to lab")
    expect(rows.nth(1)).to_contain_text("Album Co")
    expect(rows.nth(1)).to_contain_text("Designing")
    pictures(page, "invoice-production-orders")

    album_order = ProductionOrder.objects.get(invoice=invoice, vendor=maker)
    # Every order has the studio's own number from the start; the vendor's comes with "#".
    created.get_by_role("link", name=f"Albums order #{album_order.number} (Album Co)").click()
    page.wait_for_url(f"**{album_order.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{album_order.number}")
    page.get_by_role("button", name="Assign vendor's number (#)").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The vendor's number of this order is now 501."
    )
    expect(page.get_by_role("button", name="Assign vendor's number (#)")).to_have_count(0)
    album_order.refresh_from_db()
    assert album_order.vendor_number == "501"
    pictures(page, "production-order-actions")

    page.get_by_role("link", name="Edit order").click()
    page.get_by_label("Vendor invoice amount").fill("12.345")
    page.get_by_label("Vendor notes").fill("Linen cover, matte pages")
    page.get_by_role("button", name="Save order").click()
    expect(page.get_by_text("Give an amount like 12.50 (two decimals at most).")).to_be_visible()
    expect(page.get_by_label("Vendor notes")).to_have_value("Linen cover, matte pages")
    pictures(page, "production-order-edit-refused")
    page.get_by_label("Vendor invoice amount").fill("180.00")
    page.get_by_role("button", name="Save order").click()
    page.wait_for_url(f"**{album_order.get_absolute_url()}")
    expect(page.get_by_role("status").first).to_contain_text("Saved the order.")
    expect(page.get_by_role("region", name="Notes")).to_contain_text("Linen cover, matte pages")

    work_order = page.get_by_role("link", name="Work order (PDF)")
    href = work_order.get_attribute("href")
    assert href == f"/api/v1/production-orders/{album_order.pk}/work-order.pdf"
    pdf = page.request.get(href)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # Ordering again at a vendor asks first, and "Create anyway" makes the second order.
    page.goto(invoice.get_absolute_url())
    page.get_by_role("link", name="Create production orders").click()
    page.get_by_label("Vendor", exact=True).select_option(label="Album Co")
    page.get_by_role("button", name="Create production orders").click()
    expect(page.get_by_test_id("duplicate-warning")).to_contain_text(
        "already has production orders at Album Co"
    )
    expect(page.get_by_label("Vendor", exact=True)).to_have_value(str(maker.pk))
    assert ProductionOrder.objects.filter(invoice=invoice).count() == 2
    pictures(page, "production-orders-duplicate")
    page.get_by_role("button", name="Create anyway").click()
    page.wait_for_url(f"**{invoice.get_absolute_url()}#production-orders")
    expect(page.get_by_test_id("orders-created")).to_contain_text("Created 1 production order:")
    orders_section = page.get_by_role("region", name="Production orders")
    expect(orders_section.locator("tbody tr")).to_have_count(3)
    assert ProductionOrder.objects.filter(invoice=invoice, vendor=maker).count() == 2


def test_staff_send_a_sessions_proofs_to_a_vendor(page, people):
    cycle = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    status_add(cycle=cycle, description="Proofs sent", default_duration=3)
    status_add(cycle=cycle, description="Proofs back", is_final=True)
    VendorFactory(name="Bay Lab", auto_assigns_numbers=True, next_order_number=70)
    VendorFactory(name="Retired Lab", is_inactive=True)
    session = SessionFactory(client=ClientFactory(first_name="Grace", last_name="Hopper"))

    log_in(page, "staff", PASSWORD)
    page.goto(session.get_absolute_url())
    expect(page.get_by_role("region", name="Production")).to_contain_text(
        "No production or proof orders yet."
    )
    proofs = page.get_by_role("region", name="Send proofs")
    vendor = proofs.get_by_role("combobox", name="Vendor")
    expect(vendor.locator("option")).to_have_text(["Choose a vendor…", "Bay Lab"])
    proofs.get_by_role("button", name="Create proof order").click()
    # Nothing chosen: the form comes back with the message beside the field.
    expect(page.get_by_text("Choose the vendor the proofs go to.")).to_be_visible()
    assert PreproductionOrder.objects.count() == 0
    page.get_by_role("combobox", name="Vendor").select_option(label="Bay Lab")
    page.get_by_label("Notes").fill("Matte proofs, 5x7")
    page.get_by_role("button", name="Create proof order").click()

    page.wait_for_url(f"**{session.get_absolute_url()}#proof-orders")
    row = page.get_by_role("region", name="Production").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("their no. 70")  # the vendor numbers it; ours is beside
    expect(row).to_contain_text("Proofs")
    expect(row).to_contain_text("Bay Lab")
    expect(row).to_contain_text("Proofs sent")
    pictures(page, "session-proof-orders")
