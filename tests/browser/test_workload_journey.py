"""A manager opens the workload report from the Reports section, reads a year of prints orders
entered against finished and the backlog per status, narrows it to one order type and a
quarter, takes it to Excel (a sheet per table) and prints it: the download and the PDF hold
what the page shows."""

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
from tests.factories import cycle_with_statuses, started_production_order

from darkroom.tracking.services.change import status_change

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def busy(frozen_today, people):
    """Prints and albums over the autumn: most finished, some reworked, a few still open."""
    frozen_today(TODAY)
    prints = cycle_with_statuses(
        steps=(("Ordered", 1), ("Retouch", 2), ("At the lab", 4)), final="Picked up"
    )
    albums = cycle_with_statuses(
        steps=(("Ordered", 1), ("Design", 5), ("Binding", 6)), final="Delivered"
    )
    for n in range(18):
        cycle = prints if n % 3 else albums
        placed = dt.date(2026, 9, 1) + dt.timedelta(days=5 * n)
        order = started_production_order(
            order_type=cycle.order_type,
            status=cycle.statuses[1 + n % 2],
            started_on=placed,
            moved_on=placed + dt.timedelta(days=2),
            order_date=placed,
        )
        if n % 4 == 0 and placed + dt.timedelta(days=9) <= TODAY:
            status_change(
                record=order,
                expected_version=order.version,
                updated_by=order.entered_by,
                to_status=cycle.final,
                date_completed=placed + dt.timedelta(days=9),
            )
    return {"prints": prints, "albums": albums}


def test_a_manager_reads_exports_and_prints_the_workload_report(page, busy):
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Workload").click()
    headline = page.get_by_role("heading", name=re.compile("entered,"))
    expect(headline).to_contain_text("18 entered, 5 finished; 13 open at the end")
    expect(
        page.get_by_role("img", name=re.compile("entered and finished per week"))
    ).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("per status"))).to_be_visible()
    expect(page.get_by_label("Weeks from")).to_have_value("2025-12-08")

    page.get_by_label("Order type").select_option(label=busy["prints"].order_type.name)
    page.get_by_label("Weeks from").fill("2026-09-01")
    page.get_by_label("Weeks to").fill("2026-11-30")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"order_type=\d+"))
    page.wait_for_load_state()
    expect(headline).to_contain_text("12 entered, 3 finished; 9 open at the end")
    expect(page.get_by_label("Weeks from")).to_have_value("2026-09-01")
    weeks = page.locator("table.report-weeks tbody tr")
    expect(weeks).to_have_count(14)  # Aug 31 – Dec 6, Mondays
    expect(page.locator("table.report-weeks thead")).not_to_contain_text("Binding")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "workload-report-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "workload-report-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["Entered and finished", "Backlog by status"]
    lines = list(book["Entered and finished"].iter_rows(values_only=True))
    assert len(lines) == 15 and lines[1][0].date() == dt.date(2026, 8, 31)
    assert sum(line[2] for line in lines[1:]) == 12 and sum(line[3] for line in lines[1:]) == 3
    backlog = list(book["Backlog by status"].iter_rows(values_only=True))
    assert backlog[0][2:] == ("Ordered", "Retouch", "At the lab", "All open")
    assert backlog[-1][-1] == 9

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    assert "order_type=" in (pdf_link.get_attribute("href") or "")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Workload report" in text and f"order type {busy['prints'].order_type.name}" in text
    assert "12 entered, 3 finished" in text and "Binding" not in text
