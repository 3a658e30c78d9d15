"""An order's page shows its invoice's status and due date, and changes both through the
invoice's own status pages, which lead back to the order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from darkroom.clients.models import Invoice
from darkroom.tracking.models import CycleKind, NoteKind, StatusNote
from tests.factories import cycle_with_statuses, started_invoice
from tests.production.test_scans import MONDAY, production_cycle, started_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice_steps(db):
    return cycle_with_statuses(
        kind=CycleKind.INVOICE, steps=[("Entered", 0), ("In production", 5)], final="Picked up"
    ).statuses


@pytest.fixture
def order(invoice_steps, people):
    album = production_cycle("Album", "Ordered", "At the lab", "Ready for Pickup")
    invoice = started_invoice(invoice_date=MONDAY, started_on=MONDAY, by=people["staff"])
    return started_order(album, "1001", people["staff"], invoice=invoice)


def invoice_of(order) -> Invoice:
    return Invoice.objects.get(pk=order.invoice_id)


def test_the_order_page_shows_the_invoices_status_and_due_date(web, order):
    text = web("staff").get(order.get_absolute_url()).content.decode()
    general = text.split('id="general-heading"')[1].split("</section>")[0]
    assert '<dd data-testid="invoice-status"><strong>Entered</strong>' in general
    assert "Mar 2, 2026" in general.split('data-testid="invoice-due"')[1]
    back = f"?next=%2Fproduction%2Forders%2F{order.pk}%2F"
    status_url = reverse("tracking:invoice-status", args=[order.invoice_id]) + back
    due_url = reverse("tracking:invoice-status-due-date", args=[order.invoice_id]) + back
    assert f'href="{status_url}"' in general and "Change invoice status" in general
    assert f'action="{due_url}"' in general
    readonly = web("readonly").get(order.get_absolute_url()).content.decode()
    assert "Change invoice status" not in readonly and "Move the invoice" not in readonly
    assert 'data-testid="invoice-status"><strong>Entered</strong>' in readonly


def test_changing_the_invoice_status_from_the_order_comes_back_to_the_order(
    web, order, invoice_steps
):
    invoice = invoice_of(order)
    url = reverse("tracking:invoice-status", args=[invoice.pk])
    browser = web("staff")
    dialog = browser.get(url, {"next": order.get_absolute_url()}, headers={"HX-Request": "true"})
    assert f"?next=%2Fproduction%2Forders%2F{order.pk}%2F" in dialog.content.decode()
    done = browser.post(
        f"{url}?next={order.get_absolute_url()}",
        {"version": invoice.version, "to_status": invoice_steps[1].pk,
         "date_completed": MONDAY.isoformat(), "note": "From the order"},
    )  # fmt: skip
    assert done.status_code == 302 and done["Location"] == order.get_absolute_url()
    assert invoice_of(order).status == invoice_steps[1]
    page = browser.get(done["Location"]).content.decode()
    assert '<dd data-testid="invoice-status"><strong>In production</strong>' in page
    # Without next, the invoice's own page as before; another site is never a next.
    again = invoice_of(order)
    away = browser.post(
        f"{url}?next=https://evil.example/",
        {"version": again.version, "to_status": invoice_steps[0].pk,
         "date_completed": MONDAY.isoformat()},
    )  # fmt: skip
    assert away["Location"] == f"{invoice.get_absolute_url()}#status"


def test_moving_the_invoice_due_date_from_the_order(web, order):
    invoice = invoice_of(order)
    url = reverse("tracking:invoice-status-due-date", args=[invoice.pk])
    browser = web("staff")
    done = browser.post(
        f"{url}?next={order.get_absolute_url()}",
        {"version": invoice.version, "due_date": "2026-03-06", "note": "Client away"},
    )
    assert done.status_code == 302 and done["Location"] == order.get_absolute_url()
    stored = invoice_of(order)
    assert (stored.status_due_date, stored.status_due_overridden) == (dt.date(2026, 3, 6), True)
    note = StatusNote.objects.get(object_id=invoice.pk, kind=NoteKind.DUE)
    assert (note.previous_due_date, note.note) == (MONDAY, "Client away")
    page = browser.get(done["Location"]).content.decode()
    assert "due date moved Mar 2, 2026 → Mar 6, 2026" in page  # the message
    assert "Mar 6, 2026" in page.split('data-testid="invoice-due"')[1]
    assert "overridden" in page.split('data-testid="invoice-due"')[1].split("</dd>")[0]


def test_a_refused_due_date_comes_back_with_the_reason_and_changes_nothing(web, order):
    invoice = invoice_of(order)
    url = reverse("tracking:invoice-status-due-date", args=[invoice.pk])
    browser = web("staff")
    for body, status, words in (
        (
            {"version": invoice.version, "due_date": "2026-02-27"},
            422,
            "be before the record entered",
        ),
        ({"version": invoice.version, "due_date": "soon"}, 422, "Give a date (YYYY-MM-DD)."),
        ({"version": invoice.version, "due_date": ""}, 422, "Give a date (YYYY-MM-DD)."),
        ({"version": "x", "due_date": "2026-03-06"}, 422, "reload the page"),
        ({"version": invoice.version + 3, "due_date": "2026-03-06"}, 409, "changed by someone"),
    ):
        answer = browser.post(f"{url}?next={order.get_absolute_url()}", body)
        assert answer.status_code == status, body
        text = answer.content.decode()
        assert words in text, body
        assert f"?next=%2Fproduction%2Forders%2F{order.pk}%2F" in text  # still leads back
        stored = invoice_of(order)
        assert (stored.status_due_date, stored.version) == (MONDAY, invoice.version)
    assert not StatusNote.objects.filter(kind=NoteKind.DUE).exists()
    assert web("readonly").post(url, {"version": 1, "due_date": "2026-03-06"}).status_code == 403
