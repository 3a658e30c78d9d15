"""The invoice pages: list, invoice, editor (create, edit, conflict), payments — per role."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Invoice, Payment
from darkroom.clients.services import invoice_create, invoice_update, payment_add
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's text without tags or repeated spaces, as a person reads it."""
    plain = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", plain)


def lines_post(rows: list[dict], **header) -> dict:
    """The editor's form: header fields and the ``line_*`` arrays, one entry per row."""
    data = {"invoice_date": "2026-09-12", **header}
    for name in ("id", "item", "quantity", "price", "description", "vendor"):
        data[f"line_{name}"] = [str(row.get(name, "")) for row in rows]
    return data


# The invoice page ------------------------------------------------------------------------------


def test_invoice_page_shows_header_lines_vendors_totals_and_payments(web, invoice, catalog):
    invoice_update(
        invoice=invoice,
        expected_version=invoice.version,
        shipping_address="Studio pickup",
        lines=[
            LineInput(item_id=catalog.print8x10.pk, quantity=2),
            LineInput(item_id=catalog.frame.pk, vendor_override_id=catalog.lab.pk),
            LineInput(item_id=catalog.retouch.pk),
        ],
    )
    payment_add(invoice=invoice, amount=Decimal("100.00"), date=dt.date(2026, 9, 11))
    response = web("readonly").get(f"/invoices/{invoice.pk}/")
    assert response.status_code == 200
    page = text(response)
    assert f"Invoice {invoice.number}" in page
    assert "Ana Garcia" in page and "Wedding" in page
    assert "Promised for Oct 1, 2026" in page
    assert "Studio pickup" in page
    assert "P8X10 8x10 print 2 $25.00 $50.00 Bay Photo Lab" in page
    assert "FR1620 16x20 frame 1 $189.00 $189.00 Bay Photo Lab (override)" in page
    assert "RETOUCH Retouching 1 $35.00 $35.00 no vendor" in page
    assert "Total $274.00 Paid $100.00 Balance $174.00" in page
    assert "Sep 11, 2026 Card — $100.00" in page
    # read-only: no way to change anything
    html = response.content.decode()
    assert "Edit invoice" not in html and "Add payment" not in html and "Delete" not in html


def test_staff_see_edit_and_payment_controls_but_not_delete_invoice(web, invoice):
    page = web("staff").get(f"/invoices/{invoice.pk}/").content.decode()
    assert "Edit invoice" in page and "Add payment" in page
    assert "Delete invoice" not in page
    assert "Delete invoice" in web("manager").get(f"/invoices/{invoice.pk}/").content.decode()


def test_invoice_page_runs_a_fixed_number_of_queries(web, invoice, catalog):
    browser = web("staff")
    browser.get(f"/invoices/{invoice.pk}/")
    with CaptureQueriesContext(connection) as few:
        browser.get(f"/invoices/{invoice.pk}/")
    invoice_update(
        invoice=invoice,
        expected_version=invoice.version,
        lines=[LineInput(item_id=catalog.frame.pk, vendor_override_id=catalog.lab.pk)] * 8,
    )
    for _ in range(4):
        payment_add(invoice=invoice, amount=Decimal("1"))
    with CaptureQueriesContext(connection) as more:
        browser.get(f"/invoices/{invoice.pk}/")
    assert len(few) == len(more)


# Payments on the invoice page --------------------------------------------------------------------


def test_staff_record_a_payment_and_a_manager_deletes_it(web, invoice):
    browser = web("staff")
    response = browser.post(
        f"/invoices/{invoice.pk}/payments/",
        {"date": "2026-09-12", "amount": "39.00", "method": "cash", "reference": "till"},
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.reference) == (Decimal("39"), "cash", "till")
    assert Invoice.objects.get(pk=invoice.pk).paid == Decimal("39.00")
    page = browser.get(response["Location"]).content.decode()
    assert "Recorded a payment of $39.00." in page
    delete_url = f"/invoices/{invoice.pk}/payments/{payment.pk}/delete/"
    assert delete_url not in page  # staff are not offered the delete button
    assert browser.post(delete_url).status_code == 403
    assert Payment.objects.get() == payment
    manager = web("manager")
    assert delete_url in manager.get(f"/invoices/{invoice.pk}/").content.decode()
    response = manager.post(delete_url)
    assert response.status_code == 302
    assert not Payment.objects.exists()
    assert Invoice.objects.get(pk=invoice.pk).paid == Decimal("0")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "A payment must be positive."), ("abc", "Enter a number."), ("", "required")],
)
def test_a_bad_payment_is_shown_beside_the_amount(web, invoice, unchanged, amount, message):
    with unchanged():
        response = web("staff").post(
            f"/invoices/{invoice.pk}/payments/",
            {"date": "2026-09-12", "amount": amount, "method": "card"},
        )
    assert response.status_code == 422
    assert message in response.content.decode()


def test_readonly_may_not_touch_payments(web, invoice, unchanged):
    payment = payment_add(invoice=invoice, amount=Decimal("5"))
    with unchanged():
        browser = web("readonly")
        data = {"date": "2026-09-12", "amount": "5", "method": "card"}
        assert browser.post(f"/invoices/{invoice.pk}/payments/", data).status_code == 403
        url = f"/invoices/{invoice.pk}/payments/{payment.pk}/delete/"
        assert browser.post(url).status_code == 403
        assert web(None).post(url)["Location"].startswith("/login/")
        assert web("staff").post(url).status_code == 403  # deleting a payment is for managers
        assert web("manager").get(url).status_code == 405


# The editor ------------------------------------------------------------------------------------


def test_new_invoice_without_a_client_asks_for_one(web, client_record):
    response = web("staff").get("/invoices/new/", {"q": "garcia"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Whose is a new invoice?" in page
    assert f'href="/invoices/new/?client={client_record.pk}"' in page


def test_editor_opens_with_the_client_session_and_one_blank_line(web, session_record, catalog):
    response = web("staff").get("/invoices/new/", {"session": session_record.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "New invoice" in page and "Ana Garcia" in page
    assert re.search(rf'<option value="{session_record.pk}" selected>', page)
    assert 'aria-label="Item, line 1"' in page and 'aria-label="Quantity, line 1"' in page
    assert 'data-testid="invoice-total"' in page
    assert ">Add line<" in page and ">Save invoice<" in page
    # only active items are offered, with identifier and description and their price
    assert "P8X10 — 8x10 print" in page and 'data-price="25.00"' in page
    assert "CANVAS" not in page
    assert "Old Lab" not in page  # retired vendor


def test_staff_create_an_invoice_in_the_editor(web, client_record, session_record, catalog):
    data = lines_post(
        [
            {"item": catalog.print8x10.pk, "quantity": "3", "price": "25.00"},
            {},  # a blank line the person added and left empty: ignored
            {"item": catalog.frame.pk, "quantity": "1", "price": "150", "vendor": catalog.lab.pk},
        ],
        session=session_record.pk,
        approximate_delivery_date="2026-10-15",
        shipping_address="1 Main St",
    )
    response = web("staff").post(f"/invoices/new/?client={client_record.pk}", data)
    assert response.status_code == 302, text(response)
    invoice = Invoice.objects.get()
    assert response["Location"] == f"/invoices/{invoice.pk}/"
    assert (invoice.client, invoice.session, invoice.total) == (
        client_record,
        session_record,
        Decimal("225.00"),
    )
    assert invoice.approximate_delivery_date == dt.date(2026, 10, 15)
    frame = invoice.lines.get(item=catalog.frame)
    assert (frame.price, frame.vendor_override, frame.position) == (Decimal("150"), catalog.lab, 2)
    assert invoice.created_by.username == "staff"


def test_editor_shows_the_invoice_as_saved(web, invoice, catalog):
    response = web("staff").get(f"/invoices/{invoice.pk}/edit/")
    page = response.content.decode()
    assert f'name="version" value="{invoice.version}"' in page
    assert page.count('name="line_item"') == 3  # two lines and the template for a new one
    assert 'aria-label="Price, line 2"' in page
    assert "Preferred: Frame Works" in page
    assert re.search(r'data-testid="invoice-total"[^>]*>\s*\$239.00', page)


def test_editing_keeps_line_ids_and_raises_the_version(web, invoice, catalog):
    prints, frame = invoice.lines.order_by("position")
    data = lines_post(
        [
            {"id": frame.pk, "item": catalog.frame.pk, "quantity": "2", "price": "189.00"},
            {"item": catalog.retouch.pk, "quantity": "1", "price": "35.00"},
        ],
        version=invoice.version,
        session=invoice.session_id,
        approximate_delivery_date="2026-10-01",
        notes="Rush",
    )
    response = web("staff").post(f"/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 302, text(response)
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.total, stored.version, stored.notes) == (Decimal("413.00"), 2, "Rush")
    assert stored.lines.order_by("position").first().pk == frame.pk
    assert not stored.lines.filter(pk=prints.pk).exists()


def test_a_conflict_keeps_the_persons_input_and_explains(web, invoice, catalog):
    prints, frame = invoice.lines.order_by("position")
    opened_at = invoice.version
    # Someone else removes the frame line meanwhile.
    invoice_update(
        invoice=invoice,
        expected_version=opened_at,
        notes="theirs",
        lines=[LineInput(id=prints.pk, item_id=catalog.print8x10.pk, quantity=2)],
    )
    mine = lines_post(
        [
            {"id": prints.pk, "item": catalog.print8x10.pk, "quantity": "7", "price": "25.00"},
            {"id": frame.pk, "item": catalog.frame.pk, "quantity": "1", "price": "189.00"},
        ],
        version=opened_at,
        notes="mine",
    )
    before = Invoice.objects.filter(pk=invoice.pk).values().get()
    response = web("staff").post(f"/invoices/{invoice.pk}/edit/", mine)
    assert response.status_code == 409
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before
    page = response.content.decode()
    assert "Someone else saved invoice" in page
    assert "have <em>not</em> been saved" in page
    assert 'value="7"' in page and "mine</textarea>" in page  # the person's input is kept
    assert f'name="version" value="{before["version"]}"' in page
    # the frame line was deleted meanwhile: it comes back as a new line when saved again
    assert f'name="line_id" value="{frame.pk}"' not in page
    again = dict(mine, version=before["version"], line_id=[str(prints.pk), ""])
    assert web("staff").post(f"/invoices/{invoice.pk}/edit/", again).status_code == 302
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.notes, stored.total) == ("mine", Decimal("364.00"))


def test_a_page_without_the_version_is_treated_as_a_conflict(web, invoice, catalog, unchanged):
    data = lines_post([{"item": catalog.frame.pk, "quantity": "1", "price": "1"}])
    with unchanged():
        response = web("staff").post(f"/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 409


def test_readonly_can_not_open_the_editor(web, invoice, client_record):
    assert web("readonly").get(f"/invoices/{invoice.pk}/edit/").status_code == 403
    assert web("readonly").get(f"/invoices/new/?client={client_record.pk}").status_code == 403
    response = web(None).get(f"/invoices/{invoice.pk}/edit/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_managers_delete_an_invoice_without_payments(web, invoice, unchanged):
    payment = payment_add(invoice=invoice, amount=Decimal("5"))
    with unchanged():
        response = web("manager").post(f"/invoices/{invoice.pk}/delete/", follow=True)
        assert "can&#x27;t be deleted: it has 1 payment" in response.content.decode()
        assert web("staff").post(f"/invoices/{invoice.pk}/delete/").status_code == 403
    payment.delete()
    response = web("manager").post(f"/invoices/{invoice.pk}/delete/")
    assert response.status_code == 302
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


# The list --------------------------------------------------------------------------------------


@pytest.fixture
def many_invoices(catalog):
    client = ClientFactory(first_name="Lee", last_name="Moss")
    return [
        invoice_create(
            client=client,
            invoice_date=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            lines=[LineInput(item_id=catalog.print8x10.pk, quantity=i + 1)],
        )
        for i in range(55)
    ]


def test_invoice_list_shows_fifty_and_loads_more(web, many_invoices):
    browser = web("readonly")
    response = browser.get("/invoices/")
    page = response.content.decode()
    assert page.count('class="num">') >= 50
    assert many_invoices[-1].number in page and many_invoices[4].number not in page
    assert "Load more" in page
    rows = browser.get("/invoices/", {"offset": 50, "rows": 1}).content.decode()
    assert "<html" not in rows
    assert many_invoices[0].number in rows and "Load more" not in rows


def test_invoice_list_sorts_by_a_header_and_filters(web, many_invoices, invoice):
    browser = web("readonly")
    page = browser.get("/invoices/", {"sort": "-total"}).content.decode()
    assert page.index(many_invoices[-1].number) < page.index(many_invoices[-2].number)
    assert 'aria-sort="descending"' in page
    assert "?sort=total" in page  # clicking again reverses
    page = browser.get("/invoices/", {"q": "garcia"}).content.decode()
    assert invoice.number in page and many_invoices[0].number not in page
    page = browser.get("/invoices/", {"date_from": "2026-01-03", "date_to": "2026-01-04"})
    assert {many_invoices[2].number, many_invoices[3].number} <= set(
        re.findall(r">(\d{5})<", page.content.decode())
    )
    assert len(re.findall(r">(\d{5})</a>", page.content.decode())) == 2


def test_invoice_list_ignores_and_flags_a_bad_filter(web, many_invoices):
    response = web("readonly").get("/invoices/", {"promised_within": "soon", "sort": "nonsense"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_invoice_list_runs_a_fixed_number_of_queries_without_counting(web, invoice, catalog):
    browser = web("readonly")
    browser.get("/invoices/")
    with CaptureQueriesContext(connection) as few:
        browser.get("/invoices/")
    for _ in range(60):
        invoice_create(client=invoice.client, lines=[LineInput(item_id=catalog.frame.pk)])
    with CaptureQueriesContext(connection) as many:
        browser.get("/invoices/")
    assert len(few) == len(many) <= 12
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)


def test_invoice_list_exports_and_prints_what_is_filtered(web, many_invoices, invoice):
    browser = web("readonly")
    response = browser.get("/invoices/", {"q": "moss", "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="invoices.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 56 and invoice.number not in {r[0] for r in rows}
    printed = browser.get("/invoices/", {"q": "moss", "print": 1})
    page = text(printed)
    assert "Search: moss" in page
    assert page.count("Lee Moss") == 55
