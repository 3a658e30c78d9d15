"""Printing orders ticked in a list (``production:print``): one PDF, read back."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import InvoiceFactory, VendorFactory
from tests.production.test_scans import production_cycle, started_order

pytestmark = pytest.mark.django_db

PRINT = reverse("production:print")


@pytest.fixture
def orders(people):
    album = production_cycle("Album", "Ordered", "At the lab", "Ready for Pickup")
    invoice = InvoiceFactory()
    return [
        started_order(
            album,
            number,
            people["staff"],
            invoice=invoice,
            vendor=VendorFactory(name=f"Lab {number}"),
        )
        for number in ("4411", "4412", "4413")
    ]


def pages_of(pdf: bytes) -> list[str]:
    assert pdf.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_ticked_orders_print_in_one_pdf(web, orders):
    picked = [orders[2], orders[0]]
    answer = web("readonly").post(PRINT, {"ids": [o.pk for o in picked], "document": "work-order"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'inline; filename="work-orders.pdf"'
    pages = pages_of(answer.content)
    assert len(pages) == 2  # one page per order picked, in the list's order
    assert "Work order" in pages[0] and "4413" in pages[0] and "4411" not in pages[0]
    assert "4411" in pages[1] and "4412" not in "".join(pages)


def test_purchase_orders_too(web, orders):
    answer = web("staff").post(PRINT, {"ids": [orders[1].pk], "document": "purchase-order"})
    pages = pages_of(answer.content)
    assert len(pages) == 1 and "Purchase order" in pages[0] and "4412" in pages[0]


@pytest.mark.parametrize(
    "body, words",
    [
        ({"document": "work-order"}, "Nothing to print: tick at least one order in the list."),
        ({"ids": ["1"], "document": "invoice"}, "Choose work orders or purchase orders"),
        ({"ids": ["1"]}, "Choose work orders or purchase orders"),
        ({"ids": ["abc"], "document": "work-order"}, "does not exist"),
        ({"ids": ["-1"], "document": "work-order"}, "does not exist"),
        ({"ids": [str(2**40)], "document": "work-order"}, "does not exist"),
        ({"ids": ["987654"], "document": "work-order"}, "no longer exists"),
    ],
)
def test_nothing_printed_is_said_plainly(web, orders, body, words):
    answer = web("staff").post(f"{PRINT}", {**body, "next": "/clients/invoices/1/"})
    assert answer.status_code == 422
    assert answer["Content-Type"].startswith("text/html")
    text = answer.content.decode()
    assert words in text and 'href="/clients/invoices/1/"' in text


def test_printing_needs_a_login_and_a_post(web, orders):
    anonymous = web(None).post(PRINT, {"ids": [orders[0].pk], "document": "work-order"})
    assert (anonymous.status_code, anonymous["Location"]) == (302, f"/login/?next={PRINT}")
    assert web("staff").get(PRINT).status_code == 405


def test_the_invoice_page_lists_orders_with_boxes_to_print(web, orders):
    text = web("staff").get(orders[0].invoice.get_absolute_url()).content.decode()
    section = text.split('id="production-orders"')[1].split("</section>")[0]
    assert f'action="{PRINT}"' in section and 'id="print-invoice-orders"' in section
    assert section.count('form="print-invoice-orders"') == 3
    for order in orders:
        assert f'name="ids" value="{order.pk}" form="print-invoice-orders"' in section
    assert 'value="work-order">Print work orders' in section
    assert 'value="purchase-order">Print purchase orders' in section
