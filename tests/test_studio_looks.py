"""What every page shares: the favicon, and dates and money written the one way the studio's
preferences say — on a page, in a PDF, in an Excel export — and names that don't say a word
twice."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from darkroom.production.documents import work_order_pdf
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add
from tests.factories import (
    InvoiceFactory,
    OrderTypeFactory,
    ProductionOrderFactory,
    cycle_with_statuses,
    started_production_order,
)

pytestmark = pytest.mark.django_db


def test_the_favicon_answers_at_its_old_name_and_every_page_links_it(web):
    icon = web(None).get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"
    assert icon.content.startswith(b"<svg") and b"</svg>" in icon.content
    assert "max-age" in icon["Cache-Control"]
    page = web("staff").get("/").content.decode()
    assert '<link rel="icon" href="/static/darkroom/favicon.svg" type="image/svg+xml">' in page
    assert web(None).get("/static/darkroom/favicon.svg").status_code == 200


@pytest.fixture
def euro_studio(db):
    studio_preferences_update(locale="en-IE", currency="EUR")


@pytest.fixture
def invoice(people):
    return InvoiceFactory(
        total=Decimal("1234.50"),
        invoice_date=dt.date(2026, 11, 3),
        approximate_delivery_date=dt.date(2026, 12, 5),
    )


def test_a_page_writes_money_and_dates_as_the_preferences_say(web, invoice):
    page = web("staff").get(invoice.get_absolute_url()).content.decode()
    assert "$1,234.50" in page and "Nov 3, 2026" in page and "€" not in page
    studio_preferences_update(locale="en-IE", currency="EUR")
    page = web("staff").get(invoice.get_absolute_url()).content.decode()
    assert "€1,234.50" in page and "3 Nov 2026" in page and "$1,234.50" not in page


def test_the_hub_summary_writes_the_invoice_value_in_the_studio_currency(web, euro_studio):
    order = _started_order("Prints")
    order.invoice.total = Decimal("980")
    order.invoice.save()
    page = web("staff").get("/production/").content.decode()
    assert "€980.00" in page


def test_a_pdf_writes_money_and_dates_as_the_preferences_say(euro_studio, people):
    order = ProductionOrderFactory(
        number="7001", vendor_invoice_amount=Decimal("42.5"), order_date=dt.date(2026, 3, 2)
    )
    text = PdfReader(io.BytesIO(work_order_pdf(order))).pages[0].extract_text()
    assert "€42.50" in text
    assert "2 Mar 2026" in text and "2026-03-02" not in text


def test_an_excel_export_keeps_numbers_and_dates_with_the_studio_formats(web, euro_studio, invoice):
    response = web("readonly").get("/invoices/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    total, day = row["Total"], row["Date"]
    assert total.value == 1234.5  # a number a sum can add
    assert total.number_format == '"€"#,##0.00'
    assert day.is_date and day.value.date() == dt.date(2026, 11, 3)
    assert day.number_format == 'd" "mmm" "yyyy'


def test_the_price_list_export_writes_prices_in_the_studio_currency(web, euro_studio):
    from tests.factories import PriceListItemFactory

    PriceListItemFactory(price=Decimal("25"))
    response = web("manager").get("/maintenance/price-list-items/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    price = sheet[2][header.index("Price")]
    assert price.value == 25 and price.number_format == '"€"#,##0.00'
    page = web("manager").get("/maintenance/price-list-items/").content.decode()
    assert "€25.00" in page


def _started_order(type_name: str, **fields):
    line = cycle_with_statuses(
        name=f"{type_name} cycle",
        order_type=OrderTypeFactory(name=type_name),
        steps=[("Sent", 2)],
        final="Done",
    )
    return started_production_order(
        order_type=line.order_type, started_on=dt.date(2026, 3, 2), **fields
    )


def test_an_order_type_that_says_order_is_not_said_twice(web):
    order = _started_order("Lab Print Order", number="48213")
    assert order.kind_name == "Lab Print Order"
    assert str(order).startswith("Lab Print Order #48213 (")
    page = web("staff").get(order.get_absolute_url()).content.decode()
    assert "Order order" not in page
    assert "<title>Lab Print Order 48213" in page
    albums = _started_order("Album", number="48214")
    assert str(albums).startswith("Album order #48214 (")
    assert _started_order("Reorder").kind_name == "Reorder order"


def test_a_cycle_named_after_its_kind_is_not_named_twice(web):
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    status_add(cycle=cycle, description="Booked")
    page = web("manager").get("/maintenance/statuses/", {"cycle": cycle.pk}).content.decode()
    assert "Sessions · Sessions" not in page.replace('<span class="muted">', "").replace(
        "</span>", ""
    )
    standard = cycle_create(kind=CycleKind.INVOICE, name="Standard")
    page = web("manager").get("/maintenance/statuses/", {"cycle": standard.pk}).content.decode()
    assert 'Standard <span class="muted">· Invoices</span>' in page
