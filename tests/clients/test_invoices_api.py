"""/api/v1/invoices and their payments: per role, filters, versions, money as strings."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Invoice, InvoiceLine, Payment
from darkroom.clients.services import invoice_create, payment_add
from darkroom.studio.selectors import studio_preferences
from tests.factories import ClientFactory, InvoiceFactory

pytestmark = pytest.mark.django_db


def body(invoice: Invoice, **changes):
    """The invoice as PUT takes it (every field, its lines with their ids)."""
    data = {
        "version": invoice.version,
        "client": invoice.client_id,
        "session": invoice.session_id,
        "invoice_date": invoice.invoice_date.isoformat(),
        "approximate_delivery_date": None,
        "delivered_date": None,
        "shipping_address": invoice.shipping_address,
        "notes": invoice.notes,
        "lines": [
            {
                "id": line.pk,
                "item": line.item_id,
                "quantity": line.quantity,
                "price": str(line.price),
            }
            for line in invoice.lines.order_by("position")
        ],
    }
    data.update(changes)
    return data


def test_an_invoice_reads_with_lines_vendors_and_money_as_strings(api, invoice, catalog):
    response = api("readonly").get(f"invoices/{invoice.pk}")
    assert response.status_code == 200
    data = response.json()
    assert (data["total"], data["paid"], data["balance"]) == ("239.00", "0.00", "239.00")
    assert data["version"] == invoice.version
    assert data["number"] == invoice.number
    assert data["client_name"] == "Ana Garcia"
    assert data["approximate_delivery_date"] == "2026-10-01"
    assert [
        (li["item_identifier"], li["quantity"], li["price"], li["amount"], li["vendor"])
        for li in data["lines"]
    ] == [
        ("P8X10", 2, "25.00", "50.00", catalog.lab.pk),
        ("FR1620", 1, "189.00", "189.00", catalog.framer.pk),
    ]


def test_staff_create_an_invoice_with_numbers_or_strings_for_money(api, catalog, client_record):
    response = api("staff").post(
        "invoices",
        {
            "client": client_record.pk,
            "invoice_date": "2026-09-12",
            "lines": [
                {"item": catalog.print8x10.pk, "quantity": 2, "price": 20.5},
                {"item": catalog.frame.pk, "price": "150", "vendor_override": catalog.lab.pk},
                {"item": catalog.retouch.pk, "description": "Skin and stray hairs"},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["total"] == "226.00"
    assert [li["price"] for li in data["lines"]] == ["20.50", "150.00", "35.00"]
    assert [li["vendor"] for li in data["lines"]] == [catalog.lab.pk, catalog.lab.pk, None]
    assert data["lines"][1]["vendor_override"] == catalog.lab.pk
    assert data["lines"][2]["description"] == "Skin and stray hairs"
    assert data["shipping_address"] == "1 Main St"
    stored = Invoice.objects.get(pk=data["id"])
    assert stored.created_by.username == "staff"
    assert stored.total == Decimal("226.00")


def test_put_replaces_lines_keeping_the_ids_sent_and_raises_the_version(api, invoice, catalog):
    prints, frame = invoice.lines.order_by("position")
    data = body(invoice, notes="Matte finish")
    data["lines"] = [
        {"id": frame.pk, "item": catalog.frame.pk, "quantity": 2},
        {"item": catalog.retouch.pk},
    ]
    response = api("staff").put(f"invoices/{invoice.pk}", data)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["version"] == invoice.version + 1
    assert answer["total"] == "413.00"
    assert answer["lines"][0]["id"] == frame.pk
    assert not InvoiceLine.objects.filter(pk=prints.pk).exists()
    assert Invoice.objects.get(pk=invoice.pk).notes == "Matte finish"


def test_patch_changes_only_what_is_sent(api, invoice):
    lines = list(invoice.lines.values_list("pk", flat=True))
    response = api("manager").patch(
        f"invoices/{invoice.pk}", {"version": invoice.version, "delivered_date": "2026-09-28"}
    )
    assert response.status_code == 200, response.json()
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.delivered_date == dt.date(2026, 9, 28)
    assert stored.session_id == invoice.session_id
    assert list(stored.lines.values_list("pk", flat=True)) == lines


def test_a_stale_version_is_refused_with_conflict(api, invoice, unchanged):
    caller = api("staff")
    assert (
        caller.patch(f"invoices/{invoice.pk}", {"version": 1, "notes": "first"}).status_code == 200
    )
    with unchanged():
        response = caller.put(f"invoices/{invoice.pk}", body(invoice, notes="second"))
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "changed by someone else" in response.json()["detail"]
    assert Invoice.objects.get(pk=invoice.pk).notes == "first"


def test_put_and_patch_need_the_version(api, invoice, unchanged):
    with unchanged():
        response = api("staff").patch(f"invoices/{invoice.pk}", {"notes": "no version"})
    assert response.status_code == 422
    assert "version" in response.json()["detail"]


def test_unknown_fields_are_refused(api, invoice, unchanged):
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}", {"version": invoice.version, "total": "1.00"}
        )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_managers_delete_an_unpaid_invoice_staff_may_not(api, invoice, unchanged):
    with unchanged():
        assert api("staff").delete(f"invoices/{invoice.pk}").status_code == 403
    assert api("manager").delete(f"invoices/{invoice.pk}").status_code == 204
    assert not Invoice.objects.filter(pk=invoice.pk).exists()


def test_an_invoice_with_payments_is_not_deleted(api, invoice, unchanged):
    payment_add(invoice=invoice, amount=Decimal("50"))
    with unchanged():
        response = api("manager").delete(f"invoices/{invoice.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert "1 payment" in response.json()["detail"]


# Payments ---------------------------------------------------------------------------------------


def test_payments_are_listed_added_and_deleted(api, invoice):
    staff = api("staff")
    response = staff.post(
        f"invoices/{invoice.pk}/payments",
        {"amount": "100.50", "date": "2026-09-11", "method": "cash", "reference": "receipt 12"},
    )
    assert response.status_code == 201, response.json()
    payment = response.json()
    assert (payment["amount"], payment["method"], payment["invoice"]) == (
        "100.50",
        "cash",
        invoice.pk,
    )
    assert staff.post(f"invoices/{invoice.pk}/payments", {"amount": 20}).status_code == 201
    listed = staff.get(f"invoices/{invoice.pk}/payments").json()
    assert [p["amount"] for p in listed["results"]] == ["100.50", "20.00"]
    assert listed["next_cursor"] is None
    data = staff.get(f"invoices/{invoice.pk}").json()
    assert (data["paid"], data["balance"]) == ("120.50", "118.50")
    refused = staff.delete(f"invoices/{invoice.pk}/payments/{payment['id']}")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    assert staff.get(f"invoices/{invoice.pk}").json()["paid"] == "120.50"
    manager = api("manager")
    assert manager.delete(f"invoices/{invoice.pk}/payments/{payment['id']}").status_code == 204
    assert staff.get(f"invoices/{invoice.pk}").json()["paid"] == "20.00"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "A payment must be positive."),
        (0, "A payment must be positive."),
        ("ten", "must be an amount like 12.50"),
        ("1.234", "no more than 2 decimal places"),
        (True, "must be an amount like 12.50"),
    ],
)
def test_a_bad_payment_is_refused(api, invoice, unchanged, amount, message):
    with unchanged():
        response = api("staff").post(f"invoices/{invoice.pk}/payments", {"amount": amount})
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_payments_per_role(api, invoice, unchanged):
    payment = payment_add(invoice=invoice, amount=Decimal("5"))
    other = InvoiceFactory(client=invoice.client)
    assert api("readonly").get(f"invoices/{invoice.pk}/payments").status_code == 200
    with unchanged():
        assert (
            api("readonly").post(f"invoices/{invoice.pk}/payments", {"amount": 5}).status_code
            == 403
        )
        assert (
            api("readonly").delete(f"invoices/{invoice.pk}/payments/{payment.pk}").status_code
            == 403
        )
        assert api(None).post(f"invoices/{invoice.pk}/payments", {"amount": 5}).status_code == 401
        assert (
            api("staff").delete(f"invoices/{invoice.pk}/payments/{payment.pk}").status_code == 403
        )
        # a payment is deleted only through its own invoice
        assert (
            api("manager").delete(f"invoices/{other.pk}/payments/{payment.pk}").status_code == 404
        )
    assert Payment.objects.filter(pk=payment.pk).exists()


# Lists -------------------------------------------------------------------------------------------


@pytest.fixture
def invoices(catalog, people):
    """Four invoices: paid or not, delivered or not, promised soon or later."""
    today = studio_preferences().today()
    smith = ClientFactory(first_name="Jo", last_name="Smith")
    jones = ClientFactory(first_name="Kim", last_name="Jones")

    def make(client, days_ago, promised_in, paid, delivered):
        invoice = invoice_create(
            client=client,
            invoice_date=today - dt.timedelta(days=days_ago),
            approximate_delivery_date=today + dt.timedelta(days=promised_in),
            delivered_date=today if delivered else None,
            lines=[LineInput(item_id=catalog.print8x10.pk, quantity=4)],
        )
        if paid:
            payment_add(invoice=invoice, amount=Decimal("100"))
        return invoice

    return {
        "smith_paid_delivered": make(smith, 20, 2, True, True),
        "smith_unpaid": make(smith, 10, 30, False, False),
        "jones_unpaid_soon": make(jones, 5, 3, False, False),
        "jones_paid": make(jones, 1, 60, True, False),
    }


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["number"] for item in response.json()["results"]]


def test_invoice_list_filters(api, invoices):
    caller = api("readonly")
    n = {k: v.number for k, v in invoices.items()}
    assert numbers(caller.get("invoices")) == [
        n["jones_paid"],
        n["jones_unpaid_soon"],
        n["smith_unpaid"],
        n["smith_paid_delivered"],
    ]
    assert set(numbers(caller.get("invoices", paid="unpaid"))) == {
        n["smith_unpaid"],
        n["jones_unpaid_soon"],
    }
    assert set(numbers(caller.get("invoices", paid="paid"))) == {
        n["smith_paid_delivered"],
        n["jones_paid"],
    }
    assert numbers(caller.get("invoices", delivered="true")) == [n["smith_paid_delivered"]]
    assert len(numbers(caller.get("invoices", delivered="false"))) == 3
    assert set(numbers(caller.get("invoices", promised_within=7))) == {
        n["smith_paid_delivered"],
        n["jones_unpaid_soon"],
    }
    today = studio_preferences().today()
    assert set(
        numbers(
            caller.get(
                "invoices",
                date_from=(today - dt.timedelta(days=12)).isoformat(),
                date_to=(today - dt.timedelta(days=2)).isoformat(),
            )
        )
    ) == {n["smith_unpaid"], n["jones_unpaid_soon"]}
    assert set(numbers(caller.get("invoices", search="smith"))) == {
        n["smith_unpaid"],
        n["smith_paid_delivered"],
    }
    assert numbers(caller.get("invoices", search=n["jones_paid"])) == [n["jones_paid"]]
    assert numbers(caller.get("invoices", sort="number"))[0] == n["smith_paid_delivered"]
    assert numbers(caller.get("invoices", client=invoices["smith_unpaid"].client_id)) == [
        n["smith_unpaid"],
        n["smith_paid_delivered"],
    ]


def test_invoice_list_pages_by_cursor(api, invoices):
    caller = api("readonly")
    for sort in ("number", "-total", "balance", "-due", "client", "delivered", "-promised"):
        first = caller.get("invoices", limit=3, sort=sort).json()
        rest = caller.get("invoices", limit=3, sort=sort, cursor=first["next_cursor"]).json()
        assert (len(first["results"]), len(rest["results"]), rest["next_cursor"]) == (3, 1, None)
        whole = caller.get("invoices", sort=sort).json()["results"]
        assert [i["id"] for i in first["results"] + rest["results"]] == [i["id"] for i in whole]


def test_invoice_list_runs_a_fixed_number_of_queries_and_no_count(api, invoices, catalog):
    caller = api("readonly")
    caller.get("invoices")  # warm up: token lookup, permission cache
    with CaptureQueriesContext(connection) as few:
        caller.get("invoices")
    for _ in range(6):
        invoice_create(client=invoices["smith_unpaid"].client)
    with CaptureQueriesContext(connection) as more:
        caller.get("invoices")
    assert len(few) == len(more)
    assert not any("COUNT(" in q["sql"].upper() for q in more.captured_queries)


def test_bad_list_parameters_are_refused(api, invoices):
    caller = api("readonly")
    for params in ({"sort": "secret"}, {"paid": "maybe"}, {"limit": 0}, {"promised_within": -1}):
        response = caller.get("invoices", **params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"


def test_invoice_list_exports_to_excel(api, invoices):
    response = api("readonly").get("invoices", format="xlsx", paid="unpaid")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Invoice",
        "Date",
        "Client",
        "Promised",
        "Delivered",
        "Total",
        "Paid",
        "Balance",
        "Status",
        "Status due",
    )
    assert {r[0] for r in rows[1:]} == {
        invoices["smith_unpaid"].number,
        invoices["jones_unpaid_soon"].number,
    }
    assert all(r[5] == 100 for r in rows[1:])


def test_openapi_documents_the_refusals(api):
    schema = api("readonly").get("openapi.json").json()
    put = schema["paths"]["/api/v1/invoices/{invoice_id}"]["put"]["responses"]
    for status in ("401", "403", "404", "409", "422"):
        ref = put[status]["content"]["application/json"]["schema"]["$ref"]
        error = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert {"detail", "code"} <= set(error["properties"])
    assert "422" in schema["paths"]["/api/v1/invoices"]["get"]["responses"]
    line = schema["components"]["schemas"]["InvoiceLineOut"]["properties"]
    assert line["price"]["type"] == "string"
