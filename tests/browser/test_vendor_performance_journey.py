"""A manager opens the vendor performance report from the Reports section: a year of two labs'
orders, each step on time or late, the trend by month on a chart. They narrow it to one lab,
take it to Excel and print it: the download and the PDF hold what the page shows."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from tests.browser.journey import log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import (
    InvoiceFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

from darkroom.tracking.services import status_change

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def year_of_orders(frozen_today, people):
    """Twelve orders over the year: Bay Photo's on time, Miller's a day or more late."""
    frozen_today(TODAY)
    prints = cycle_with_statuses(steps=[("Ordered", 1), ("Printing", 2)], final="Shipped")
    _ordered, printing, shipped = prints.statuses
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's Professional")
    by = UserFactory()
    for n in range(12):
        vendor = bay if n % 3 else miller
        placed = dt.date(2026, 1 + n % 11, 2 + n)
        order = started_production_order(
            order_type=prints.order_type,
            vendor=vendor,
            invoice=InvoiceFactory(approximate_delivery_date=placed + dt.timedelta(days=10)),
            order_date=placed,
            started_on=placed,
            by=by,
        )
        slow = 0 if vendor == bay else 3
        day = placed
        for to, gap in ((printing, 1 + slow), (shipped, 2 + slow)):
            order.refresh_from_db()
            day += dt.timedelta(days=gap)
            status_change(
                record=order,
                expected_version=order.version,
                updated_by=by,
                to_status=to,
                date_completed=day,
            )
    return {"bay": bay}


def test_a_manager_reads_exports_and_prints_vendor_performance(page, year_of_orders):
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Vendor performance").click()
    expect(page.get_by_role("heading", name=re.compile("Steps on time"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("On time, month by month"))).to_be_visible()
    vendors = page.locator("table.report-vendors tbody tr")
    expect(vendors).to_have_count(2)
    expect(vendors.nth(1)).to_contain_text("Miller's Professional")
    expect(page.get_by_label("From")).to_have_value("2026-01-01")

    page.get_by_label("Vendor", exact=True).select_option(label="Bay Photo")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"vendor=\d+"))
    page.wait_for_load_state()
    expect(vendors).to_have_count(1)
    expect(vendors.first).to_contain_text("100.0 %")
    expect(page.locator("table.report-vendors")).not_to_contain_text("Miller")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "vendor-performance-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "vendor-performance-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("Vendor", "Month", "Steps left")
    whole = next(line for line in lines if line[:2] == ("Bay Photo", "Whole range"))
    assert whole[2] == 16 and whole[6] == 100.0  # 8 orders, two steps each, all on time
    assert "Miller's Professional" not in {line[0] for line in lines}

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    assert "vendor=" in (pdf_link.get_attribute("href") or "")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Vendor performance" in text and "at Bay Photo" in text
    assert "100 %" in text and "Miller" not in text
