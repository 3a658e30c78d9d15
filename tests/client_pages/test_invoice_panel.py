"""The invoice page's "Client status page" panel: make a link (with an expiry if wanted), copy
it, see when it was last opened, revoke it; who may do which."""

from __future__ import annotations

import re

import pytest
from django.test import Client as WebClient

from darkroom.clients.models import StatusLink
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(ordinary_day):
    return f.InvoiceFactory(client=f.ClientFactory(first_name="Maya"))


def page_of(browser, invoice) -> str:
    response = browser.get(f"/invoices/{invoice.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def address_on(html: str) -> str:
    found = re.search(r'id="status-link-address" type="text" value="([^"]+)"', html)
    assert found, "the panel shows no link"
    return found.group(1)


def test_staff_make_copy_and_revoke_the_link(web, invoice, people):
    staff = web("staff")
    html = page_of(staff, invoice)
    assert "Client status page" in html and "The client has no working link." in html
    made = staff.post(f"/invoices/{invoice.pk}/status-link/", {"expires_on": ""})
    assert made.status_code == 302
    assert made["Location"] == f"/invoices/{invoice.pk}/#client-status-page"
    html = page_of(staff, invoice)
    address = address_on(html)
    assert address.startswith("http://testserver/status/drst_")
    assert 'data-copy="#status-link-address"' in html and "not opened yet" in html
    assert WebClient().get(address.removeprefix("http://testserver")).status_code == 200
    html = page_of(staff, invoice)
    assert "last opened" in html and address_on(html) == address  # the same link, said again
    link = StatusLink.objects.get()
    revoked = staff.post(f"/invoices/{invoice.pk}/status-link/{link.pk}/revoke/", follow=True)
    assert "no longer opens" in revoked.content.decode()
    assert WebClient().get(address.removeprefix("http://testserver")).status_code == 404
    html = page_of(staff, invoice)
    assert "status-link-address" not in html and "Earlier links (1)" in html


def test_a_link_with_an_expiry_says_when_it_stops(web, invoice):
    staff = web("staff")
    staff.post(f"/invoices/{invoice.pk}/status-link/", {"expires_on": "2027-01-15"})
    assert "stops working on Jan 15, 2027" in page_of(staff, invoice)


@pytest.mark.parametrize(
    ("value", "message"),
    [("2026-12-02", "Choose a day after today."), ("someday", "Enter a date")],
)
def test_a_bad_expiry_is_shown_beside_the_field_and_makes_nothing(web, invoice, value, message):
    response = web("staff").post(f"/invoices/{invoice.pk}/status-link/", {"expires_on": value})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not StatusLink.objects.exists()


def test_readonly_people_see_the_link_but_cant_make_or_revoke_one(web, invoice, people):
    web("staff").post(f"/invoices/{invoice.pk}/status-link/", {})
    reader = web("readonly")
    html = page_of(reader, invoice)
    assert address_on(html) and "Revoke link" not in html and "Make a new link" not in html
    link = StatusLink.objects.get()
    assert reader.post(f"/invoices/{invoice.pk}/status-link/", {}).status_code == 403
    assert reader.post(f"/invoices/{invoice.pk}/status-link/{link.pk}/revoke/").status_code == 403
    assert StatusLink.objects.get().revoked_at is None and StatusLink.objects.count() == 1
    anonymous = WebClient().post(f"/invoices/{invoice.pk}/status-link/", {})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_a_link_of_another_invoice_is_not_found(web, invoice):
    web("staff").post(f"/invoices/{invoice.pk}/status-link/", {})
    other = f.InvoiceFactory()
    link = StatusLink.objects.get()
    answer = web("staff").post(f"/invoices/{other.pk}/status-link/{link.pk}/revoke/")
    assert answer.status_code == 404
    assert StatusLink.objects.get().revoked_at is None


def test_the_studio_opening_the_page_is_not_the_client_opening_it(web, invoice):
    staff = web("staff")
    staff.post(f"/invoices/{invoice.pk}/status-link/", {})
    address = address_on(page_of(staff, invoice)).removeprefix("http://testserver")
    assert staff.get(address).status_code == 200
    assert StatusLink.objects.get().last_opened_at is None
    assert "not opened yet" in page_of(staff, invoice)
