"""Staff make a print order with manual details and fill it on the order's page: a line with
pasted image names ("3 images"), another line, the quantity edited, a line moved and one
deleted — each change in the history — then the work order prints the images."""

from __future__ import annotations

import subprocess

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
    VendorFactory,
)

from darkroom.catalog.models import OrderKind
from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add

pytestmark = pytest.mark.browser


def pictures(page, name: str) -> None:
    """The whole page from its top, at a laptop's width and a tablet's."""
    for width, height in ((1366, 768), (820, 1100)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_staff_fill_a_print_order_line_by_line(page, people, tmp_path):
    prints = OrderTypeFactory(name="Lab prints", kind=OrderKind.PRINT)
    cycle = cycle_create(kind=CycleKind.PRODUCTION, name="Lab prints", order_type=prints)
    status_add(cycle=cycle, description="Sent to lab", default_duration=2)
    status_add(cycle=cycle, description="Picked up", is_final=True)
    lab = VendorFactory(name="Bay Lab", default_order_type=prints)
    print_item = PriceListItemFactory(
        identifier="P810", description="8x10 print", preferred_vendor=lab
    )
    PriceListItemFactory(identifier="W4", description="Wallet prints", preferred_vendor=lab)
    invoice = InvoiceFactory(client=ClientFactory(first_name="Ada", last_name="Lovelace"))
    InvoiceLineFactory(invoice=invoice, position=1, item=print_item)

    log_in(page, "staff", PASSWORD)
    page.goto(invoice.get_absolute_url())
    page.get_by_role("link", name="Create production orders").click()
    page.get_by_label("Manual: orders without detail lines").check()
    page.get_by_role("button", name="Create production orders").click()
    page.get_by_test_id("orders-created").get_by_role("link").first.click()
    order = ProductionOrder.objects.get(invoice=invoice)
    page.wait_for_url(f"**{order.get_absolute_url()}")

    section = page.get_by_role("region", name="Details")
    expect(section).to_contain_text("No detail lines yet.")
    add = section.locator("form.detail-form").last
    add.get_by_label("Item").select_option(label="P810 — 8x10 print")
    add.get_by_label("Quantity").fill("2")
    images = add.get_by_label("Image names")
    images.fill("IMG_1.jpg, IMG_2.jpg\nIMG_3.jpg")
    expect(add.locator("[data-image-count]")).to_have_text("3 images")  # counted as typed
    add.get_by_role("button", name="Add line").click()

    rows = section.get_by_test_id("detail-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("3 images")
    expect(rows.first).to_contain_text("IMG_1.jpg, IMG_2.jpg, IMG_3.jpg")
    # Ready for the next line: the item list has the focus, the form is empty again.
    add = section.locator("form.detail-form").last
    expect(add.get_by_label("Item")).to_be_focused()
    expect(add.get_by_label("Image names")).to_have_value("")
    add.get_by_label("Item").select_option(label="W4 — Wallet prints")
    add.get_by_label("Notes").fill("Trim 2 mm")
    add.get_by_role("button", name="Add line").click()
    expect(rows).to_have_count(2)
    pictures(page, "order-details-two-lines")

    # A bad quantity is refused beside its field, the rest kept.
    section.get_by_role("link", name="Edit line 1").click()
    edit = section.locator("form[data-detail-edit]")
    expect(edit.get_by_label("Item")).to_be_focused()
    edit.get_by_label("Quantity").fill("0")
    edit.get_by_role("button", name="Save line").click()
    expect(edit.locator(".field-error")).to_contain_text("The quantity is between 1 and 100,000.")
    pictures(page, "order-details-refused")
    edit.get_by_label("Quantity").fill("4")
    edit.get_by_role("button", name="Save line").click()
    expect(section.locator("form[data-detail-edit]")).to_have_count(0)
    expect(rows.first.locator("td.num").nth(1)).to_have_text("4")

    # Escape leaves an edit without saving.
    section.get_by_role("link", name="Edit line 2").click()
    # The form is ready once it has put the focus on its first field.
    expect(section.locator("form[data-detail-edit]").get_by_label("Item")).to_be_focused()
    section.locator("form[data-detail-edit]").get_by_label("Notes").press("Escape")
    expect(section.locator("form[data-detail-edit]")).to_have_count(0)

    # Move the wallets up, with the keyboard: the button keeps the focus.
    up = section.get_by_role("button", name="Move line 2 up")
    up.focus()
    page.keyboard.press("Enter")
    expect(rows.first).to_contain_text("Wallet prints")
    expect(rows.nth(1)).to_contain_text("8x10 print")

    page.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name="Delete line 1").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("8x10 print")

    history = page.get_by_role("region", name="Status history")
    for said in (
        "Detail line 1 added: 8x10 print ×2, 3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg",
        "Detail line 2 added: Wallet prints ×1, notes “Trim 2 mm”",
        "Detail line 1 changed: quantity 2 → 4",
        "Detail line 2 (Wallet prints) moved up to line 1",
        "Detail line 1 deleted: Wallet prints ×1",
    ):
        expect(history).to_contain_text(said)
    pictures(page, "order-details-history")

    work_order = page.get_by_role("link", name="Work order (PDF)")
    pdf = page.request.get(work_order.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    path = tmp_path / "work-order.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" in " ".join(text.split())
