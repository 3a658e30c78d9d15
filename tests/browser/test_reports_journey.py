"""A manager opens the order status report from the Reports section, narrows it to one vendor,
reads the value sitting in each status above the orders, takes the report to Excel and prints
it: the download and the PDF hold what the page shows. Then the same with the reorders report:
a year of reorders per month, narrowed to one vendor; and the profit analysis, grouped by
photographer."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from tests.browser.journey import assert_menu_on_one_line, log_in, screenshot
from tests.conftest import PASSWORD
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PriceListItemFactory,
    ProductionOrderFactory,
    ReorderReasonFactory,
    SessionFactory,
    SessionTypeFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
)

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 12, 2)
CLIENTS = [("Ann", "Adams"), ("Cy", "Brown"), ("Dee", "Chavez"), ("Eli", "Dunn"), ("Flo", "Ent")]
TOTALS = ["2592.00", "410.00", "1288.50", "96.00", "740.00"]


@pytest.fixture
def shelf(frozen_today, people):
    frozen_today(TODAY)
    prints = cycle_with_statuses(
        steps=(("Ordered", 1), ("At the lab", 4), ("Retouching", 2), ("Ready for pickup", 3)),
        final="Picked up",
    )
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's Professional")
    invoices = [
        InvoiceFactory(total=Decimal(total), client=ClientFactory(first_name=a, last_name=b))
        for (a, b), total in zip(CLIENTS, TOTALS, strict=True)
    ]
    for n in range(12):
        ProductionOrderFactory(
            order_type=prints.order_type,
            invoice=invoices[n % 5],
            vendor=bay if n % 3 else miller,
            status=prints.statuses[n % 4],
            status_due_date=TODAY + dt.timedelta(days=n % 6 - 2),
        )
    return {"bay": bay}


def test_a_manager_reads_exports_and_prints_the_order_status_report(page, shelf, people):
    people["manager"].first_name, people["manager"].last_name = "Alexandra", "Whitfield"
    people["manager"].save()
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Order status report").click()
    expect(page.get_by_role("heading", name=re.compile("sitting on your shelf"))).to_contain_text(
        "12 open orders"
    )
    expect(page.get_by_role("img", name=re.compile("per status"))).to_be_visible()

    page.get_by_label("Vendor").select_option(label="Bay Photo")
    page.get_by_label("Sort by").select_option(label="Due date")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"vendor=\d+"))
    headline = page.get_by_role("heading", name=re.compile("sitting on your shelf"))
    expect(headline).to_contain_text("8 open orders")
    rows = page.locator("table.report-rows tbody tr")
    expect(rows).to_have_count(8)
    expect(page.locator("table.report-rows")).not_to_contain_text("Miller")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert_menu_on_one_line(page)
    screenshot(page, "order-status-report-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "order-status-report-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:5] == ("Order no.", "Due date", "Status", "Vendor", "Client")
    assert len(lines) == 9 and {line[3] for line in lines[1:]} == {"Bay Photo"}
    due = [line[1] for line in lines[1:]]
    assert due == sorted(due)

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    assert "vendor=" in (pdf_link.get_attribute("href") or "")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Order status report" in text and "at Bay Photo" in text
    assert "Miller" not in text


@pytest.fixture
def redone(frozen_today, people):
    """A year of reorders at two vendors: a third the lab's fault, some not billed yet."""
    frozen_today(TODAY)
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's Professional")
    reasons = [
        ReorderReasonFactory(description="Lab colour shift", is_non_chargeable=True),
        ReorderReasonFactory(description="Client changed crop"),
        ReorderReasonFactory(description="Damaged in shipping", is_non_chargeable=True),
    ]
    first = ProductionOrderFactory(vendor=bay, order_date=dt.date(2025, 11, 1))
    for n in range(30):
        ProductionOrderFactory(
            vendor=bay if n % 3 else miller,
            order_date=dt.date(2026, 1 + n % 11, 1 + n % 27),
            reorder_of=first,
            reorder_reason=reasons[n % 3],
            vendor_invoice_amount=None if n % 5 == 0 else Decimal(f"{20 + n * 3}.50"),
        )
    return {"bay": bay}


def test_a_manager_reads_exports_and_prints_the_reorders_report(page, redone):
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=re.compile(r"^Reorders")).click()
    expect(page.get_by_role("heading", name=re.compile("reorders:"))).to_contain_text("30 reorders")
    expect(page.get_by_role("img", name=re.compile("per month"))).to_be_visible()
    expect(page.get_by_label("Ordered from")).to_have_value("2026-01-01")

    page.get_by_label("Vendor", exact=True).select_option(label="Bay Photo")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"vendor=\d+"))
    expect(page.get_by_role("heading", name=re.compile("reorders:"))).to_contain_text("20 reorders")
    rows = page.locator("table.report-rows tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("table.report-rows")).not_to_contain_text("Miller")
    expect(page.locator("table.report-rows")).to_contain_text("No cost recorded")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "reorders-report-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "reorders-report-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:6] == ("Order no.", "Order date", "Vendor", "Reason", "Chargeable", "Cost")
    assert len(lines) == 21 and {line[2] for line in lines[1:]} == {"Bay Photo"}
    assert "No cost recorded" in {line[5] for line in lines[1:]}

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    assert "vendor=" in (pdf_link.get_attribute("href") or "")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Reorders report" in text and "at Bay Photo" in text
    assert "Miller" not in text


@pytest.fixture
def sold(frozen_today, people):
    """A year of sessions by two photographers, of two types, each invoiced once or twice."""
    frozen_today(TODAY)
    photographers = [
        UserFactory(first_name="Ann", last_name="Lee"),
        UserFactory(first_name="Bob", last_name="Ray"),
    ]
    types = [SessionTypeFactory(name="Wedding"), SessionTypeFactory(name="Newborn")]
    prints = PriceListItemFactory(price=Decimal("40.00"), cost=Decimal("9.00"))
    album = PriceListItemFactory(price=Decimal("300.00"), cost=Decimal("0.00"))
    for n in range(12):
        client = ClientFactory(lead_source="Referral" if n % 2 else "Website")
        session = SessionFactory(
            client=client,
            session_type=types[n % 2],
            photographer=photographers[n % 3 % 2],
            date=dt.date(2026, 1 + n % 11, 3),
        )
        for k in range(1 + n % 2):
            invoice = InvoiceFactory(
                client=client, session=session, invoice_date=dt.date(2026, 1 + n % 11, 5 + k)
            )
            item = album if k else prints
            InvoiceLineFactory(invoice=invoice, item=item, quantity=2, price=item.price)
            invoice.total = item.price * 2
            invoice.save(update_fields=["total"])


def test_a_manager_reads_exports_and_prints_the_profit_analysis(page, sold):
    log_in(page, "manager", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Profit analysis").click()
    headline = page.locator("h2.report-headline").first
    expect(headline).to_contain_text("$4,344.00 profit on $4,560.00")
    expect(page.get_by_role("img", name=re.compile("Revenue, costs and profit"))).to_be_visible()
    expect(page.get_by_label("Invoiced from")).to_have_value("2026-01-01")

    page.get_by_label("Group by").select_option(label="Photographer")
    page.get_by_role("button", name="Show report").click()
    page.wait_for_url(re.compile(r"group_by=photographer"))
    groups = page.locator("table.report-groups tbody tr")
    expect(groups).to_have_count(2)
    expect(page.locator("table.report-groups")).to_contain_text("Ann Lee")
    expect(page.locator("table.report-groups")).to_contain_text("4 lines whose item has no cost")
    page.set_viewport_size({"width": 1366, "height": 768})
    screenshot(page, "profit-report-1366")
    page.set_viewport_size({"width": 820, "height": 1100})
    screenshot(page, "profit-report-820")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.locator("table.report-groups").get_by_role("link", name="Bob Ray").click()
    expect(page.get_by_role("heading", name="Sessions: Bob Ray")).to_be_visible()
    expect(page.locator("table.report-rows tbody tr")).to_have_count(4)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export to Excel").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:3] == ("Session", "Date", "Client")
    assert len(lines) == 5 and {line[4] for line in lines[1:]} == {"Bob Ray"}

    pdf_link = page.get_by_role("link", name="Print (PDF)")
    printed = page.request.get(pdf_link.get_attribute("href") or "")
    assert printed.headers["content-type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=printed.body(), capture_output=True, check=True
    ).stdout.decode()
    assert "Profit analysis" in text and "by photographer" in text
    assert "Ann Lee" in text and "Bob Ray" in text
