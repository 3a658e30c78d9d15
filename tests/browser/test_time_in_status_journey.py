"""A manager opens the time-in-status report from the Reports section, reads how long each step
of the prints cycle took against its plan, narrows it to one lab, takes it to Excel and prints
it: the download and the PDF hold what the page shows."""

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
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

from darkroom.tracking.services import status_change

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def worked(frozen_today, people):
    """Six orders through the prints cycle this autumn, at two labs: Bay Photo's spend seven
    business days at the lab (four planned), Miller's three; one of Miller's is still at the
    lab, due weeks ago."""
    frozen_today(TODAY)
    prints = cycle_with_statuses(
        steps=(("Ordered", 1), ("At the lab", 4), ("Retouching", 2)), final="Picked up"
    )
    ordered, lab, retouch, done = prints.statuses
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's Professional")
    person = UserFactory()

    def move(order, to, on):
        order.refresh_from_db()
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=person,
            to_status=to,
            date_completed=on,
        )

    start = dt.date(2026, 9, 7)  # a Monday
    for n in range(6):
        vendor = bay if n % 2 else miller
        began = start + dt.timedelta(weeks=n)
        order = started_production_order(status=ordered, vendor=vendor, started_on=began)
        move(order, lab, began + dt.timedelta(days=1))
        if n == 4:
            continue  # still at the lab, due weeks ago
        # Out of the lab on the next Thursday (7 business days) or this Friday (3).
        move(order, retouch, began + dt.timedelta(days=10 if vendor == bay else 4))
        move(order, done, began + dt.timedelta(days=14))  # picked up two Mondays on
    return {"bay": bay}


def test_a_manager_reads_exports_and_prints_the_time_in_status_report(page, worked):
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Time in status").click()
    headline = page.get_by_role("heading", name=re.compile("steps left"))
    expect(headline).to_contain_text("16 steps left, 1 open over plan")
    chart = page.get_by_role("img", name=re.compile("median and 90th percentile"))
    expect(chart).to_be_visible()
    lab = page.locator("table.report-statuses tbody tr", has_text="At the lab")
    expect(lab.locator("td")).to_have_text(["4", "5", "7", "7", "3", "60.0 %", "1"])

    page.get_by_label("Vendor").select_option(label="Bay Photo")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"vendor=\d+"))
    page.wait_for_load_state()
    expect(headline).to_contain_text("9 steps left, 0 open over plan")
    expect(lab.locator("td")).to_have_text(["4", "3", "7", "7", "3", "100.0 %", "0"])
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "time-in-status-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "time-in-status-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:4] == ("Status", "Planned days", "Steps left", "Median days")
    assert [line[0] for line in lines[1:]] == ["Ordered", "At the lab", "Retouching"]
    assert lines[2][1:] == (4, 3, 7, 7, 3, 100, 0)

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    assert f"vendor={worked['bay'].pk}" in (pdf_link.get_attribute("href") or "")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Time in status" in text and "at Bay Photo" in text
    assert "January 2026 – December 2026" in text and "Planned" in text  # the chart too
    row = [line for line in text.splitlines() if line.strip().startswith("At the lab")][-1]
    assert row.split()[3:] == ["4", "3", "7", "7", "3", "100.0", "%", "0"]
