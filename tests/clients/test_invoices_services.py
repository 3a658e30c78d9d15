"""The invoice services: totals, payments, line replacement, vendors, versions and conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Invoice, InvoiceLine, Payment
from darkroom.clients.services import (
    invoice_create,
    invoice_delete,
    invoice_update,
    payment_add,
    payment_delete,
)
from darkroom.errors import Conflict, RecordInUse
from tests.factories import ClientFactory, SessionFactory, VendorFactory

pytestmark = pytest.mark.django_db


def line_messages(error: ValidationError) -> list[str]:
    return [m for e in error.error_dict["lines"] for m in e.messages]


def test_total_is_the_sum_of_the_lines_at_the_items_prices(invoice, catalog):
    assert invoice.total == Decimal("239.00")
    assert invoice.paid == Decimal("0")
    assert invoice.balance == Decimal("239.00")
    lines = list(invoice.lines.order_by("position"))
    assert [(li.item, li.quantity, li.price, li.amount) for li in lines] == [
        (catalog.print8x10, 2, Decimal("25.00"), Decimal("50.00")),
        (catalog.frame, 1, Decimal("189.00"), Decimal("189.00")),
    ]
    assert [li.description for li in lines] == ["8x10 print", "16x20 frame"]


def test_a_price_given_on_the_line_overrides_the_items(catalog, client_record):
    invoice = invoice_create(
        client=client_record,
        lines=[
            LineInput(item_id=catalog.print8x10.pk, quantity=3, price=Decimal("20.5")),
            LineInput(item_id=catalog.retouch.pk, price=Decimal("0"), description="Free retouch"),
        ],
    )
    assert invoice.total == Decimal("61.50")
    free = invoice.lines.get(item=catalog.retouch)
    assert (free.price, free.description) == (Decimal("0.00"), "Free retouch")


def test_new_invoice_defaults_to_todays_date_and_the_clients_address(
    studio_today, catalog, client_record
):
    invoice = invoice_create(client=client_record)
    assert invoice.invoice_date == studio_today
    assert invoice.shipping_address == "1 Main St"
    assert invoice.total == Decimal("0")


def test_the_demo_generators_calls_still_work(catalog, client_record, session_record, people):
    invoice = invoice_create(
        client=client_record,
        lines=[LineInput(item_id=catalog.frame.pk, quantity=2)],
        by=people["manager"],
        session=session_record,
        invoice_date=dt.date(2026, 9, 6),
        approximate_delivery_date=dt.date(2026, 9, 30),
    )
    payment = payment_add(
        invoice=invoice, amount=Decimal("100"), date=dt.date(2026, 9, 6), method="cash"
    )
    assert payment.invoice_id == invoice.pk
    invoice.refresh_from_db()
    assert (invoice.total, invoice.paid, invoice.balance) == (
        Decimal("378.00"),
        Decimal("100.00"),
        Decimal("278.00"),
    )


def test_payments_keep_paid_and_balance_and_raise_the_version(invoice):
    first = payment_add(invoice=invoice, amount=Decimal("100.00"), date=dt.date(2026, 9, 10))
    payment_add(invoice=invoice, amount=Decimal("39.00"), method="cash")
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.paid, stored.balance, stored.version) == (Decimal("139.00"), Decimal("100"), 3)
    payment_delete(payment=first)
    stored.refresh_from_db()
    assert (stored.paid, stored.balance, stored.version) == (Decimal("39.00"), Decimal("200"), 4)


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), Decimal("1.234")])
def test_a_payment_must_be_a_positive_amount_in_cents(invoice, unchanged, amount):
    with unchanged(), pytest.raises(ValidationError) as caught:
        payment_add(invoice=invoice, amount=amount)
    assert "amount" in caught.value.message_dict


def test_line_replacement_keeps_the_ids_of_lines_sent_back(invoice, catalog):
    prints, frame = invoice.lines.order_by("position")
    updated = invoice_update(
        invoice=invoice,
        expected_version=invoice.version,
        lines=[
            LineInput(id=frame.pk, item_id=catalog.frame.pk, quantity=2),
            LineInput(item_id=catalog.retouch.pk, quantity=1),
        ],
    )
    lines = list(updated.lines.order_by("position"))
    assert lines[0].pk == frame.pk
    assert (lines[0].quantity, lines[0].position) == (2, 1)
    assert lines[1].pk not in (prints.pk, frame.pk)
    assert not InvoiceLine.objects.filter(pk=prints.pk).exists()
    assert updated.total == Decimal("413.00")
    assert updated.version == invoice.version + 1
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("413.00")


def test_a_header_change_alone_keeps_the_lines(invoice):
    ids = set(invoice.lines.values_list("pk", flat=True))
    updated = invoice_update(
        invoice=invoice, expected_version=invoice.version, delivered_date=dt.date(2026, 9, 30)
    )
    assert set(updated.lines.values_list("pk", flat=True)) == ids
    assert updated.delivered_date == dt.date(2026, 9, 30)
    assert updated.total == Decimal("239.00")


def test_a_lines_vendor_is_the_override_else_the_items_preferred_one(catalog, client_record):
    invoice = invoice_create(
        client=client_record,
        lines=[
            LineInput(item_id=catalog.print8x10.pk),
            LineInput(item_id=catalog.frame.pk, vendor_override_id=catalog.lab.pk),
            LineInput(item_id=catalog.retouch.pk),
        ],
    )
    prints, frame, retouch = invoice.lines.order_by("position")
    assert prints.vendor == catalog.lab and prints.vendor_override is None
    assert frame.vendor == catalog.lab and frame.vendor_override == catalog.lab
    assert retouch.vendor is None


def test_a_retired_item_or_vendor_stays_on_a_line_that_had_it(catalog, client_record):
    invoice = invoice_create(
        client=client_record,
        lines=[LineInput(item_id=catalog.print8x10.pk, vendor_override_id=catalog.framer.pk)],
    )
    line = invoice.lines.get()
    catalog.print8x10.is_inactive = True
    catalog.print8x10.save()
    catalog.framer.is_inactive = True
    catalog.framer.save()
    updated = invoice_update(
        invoice=invoice,
        expected_version=invoice.version,
        lines=[
            LineInput(
                id=line.pk,
                item_id=catalog.print8x10.pk,
                quantity=5,
                vendor_override_id=catalog.framer.pk,
            )
        ],
    )
    assert updated.total == Decimal("125.00")
    with pytest.raises(ValidationError) as caught:
        invoice_update(
            invoice=invoice,
            expected_version=updated.version,
            lines=[LineInput(item_id=catalog.print8x10.pk)],  # a new line: must be active
        )
    assert line_messages(caught.value) == ["Line 1: “P8X10” is inactive; choose an active item."]


def test_every_bad_line_is_reported_with_its_number(catalog, client_record, unchanged):
    with unchanged(), pytest.raises(ValidationError) as caught:
        invoice_create(
            client=client_record,
            lines=[
                LineInput(item_id=catalog.print8x10.pk),
                LineInput(item_id=catalog.print8x10.pk, quantity=0),
                LineInput(item_id=catalog.frame.pk, price=Decimal("-1")),
                LineInput(item_id=catalog.canvas.pk),
                LineInput(item_id=catalog.frame.pk, vendor_override_id=catalog.closed_lab.pk),
                LineInput(item_id=999_999),
                LineInput(item_id=catalog.frame.pk, quantity=1.5),  # type: ignore[arg-type]
                LineInput(item_id=catalog.frame.pk, price=Decimal("1.005")),
            ],
        )
    assert line_messages(caught.value) == [
        "Line 2: the quantity must be at least 1.",
        "Line 3: the price must not be negative.",
        "Line 4: “CANVAS” is inactive; choose an active item.",
        "Line 5: vendor “Old Lab” is inactive; choose another.",
        "Line 6: there is no price list item 999999.",
        "Line 7: the quantity must be a whole number.",
        "Line 8: the price has more than two decimals.",
    ]
    assert [e.params["line"] for e in caught.value.error_dict["lines"]] == [2, 3, 4, 5, 6, 7, 8]


def test_header_and_line_problems_come_back_together(catalog, client_record, unchanged):
    other_clients_session = SessionFactory(client=ClientFactory())
    with unchanged(), pytest.raises(ValidationError) as caught:
        invoice_create(
            client=client_record,
            session=other_clients_session,
            invoice_date=dt.date(2026, 9, 10),
            delivered_date=dt.date(2026, 9, 1),
            lines=[LineInput(item_id=catalog.frame.pk, quantity=-2)],
        )
    errors = caught.value.message_dict
    assert errors["session"] == ["That session belongs to another client."]
    assert errors["delivered_date"] == ["The delivered date is before the invoice date."]
    assert errors["lines"] == ["Line 1: the quantity must be at least 1."]


def test_sizes_the_database_cannot_hold_are_refused(catalog, client_record, unchanged):
    with unchanged(), pytest.raises(ValidationError) as caught:
        invoice_create(
            client=client_record,
            lines=[
                LineInput(item_id=catalog.frame.pk, quantity=100_001),
                LineInput(item_id=catalog.frame.pk, price=Decimal("1e12")),
                LineInput(item_id=2**70),
                LineInput(item_id=catalog.frame.pk, description="x" * 201),
            ],
        )
    assert line_messages(caught.value) == [
        "Line 1: the quantity must be at most 100,000.",
        "Line 2: the price is too large.",
        f"Line 3: there is no price list item {2**70}.",
        "Line 4: the description is longer than 200 characters.",
    ]
    with unchanged(), pytest.raises(ValidationError) as caught:
        invoice_create(
            client=client_record,
            lines=[LineInput(item_id=catalog.frame.pk, quantity=100_000, price=Decimal("999999"))]
            * 2,
        )
    assert line_messages(caught.value) == ["The invoice total is too large."]


def test_a_line_of_another_invoice_or_the_same_line_twice_is_refused(invoice, catalog, unchanged):
    other = invoice_create(client=invoice.client, lines=[LineInput(item_id=catalog.retouch.pk)])
    foreign = other.lines.get()
    mine = invoice.lines.first()
    with unchanged(), pytest.raises(ValidationError) as caught:
        invoice_update(
            invoice=invoice,
            expected_version=invoice.version,
            lines=[
                LineInput(id=foreign.pk, item_id=catalog.retouch.pk),
                LineInput(id=mine.pk, item_id=catalog.frame.pk),
                LineInput(id=mine.pk, item_id=catalog.frame.pk),
            ],
        )
    assert line_messages(caught.value) == [
        "Line 1: it is not a line of this invoice.",
        "Line 3: the same line is given twice.",
    ]


def test_a_stale_version_is_a_conflict_and_changes_nothing(invoice, unchanged):
    with unchanged(), pytest.raises(Conflict) as caught:
        invoice_update(invoice=invoice, expected_version=invoice.version - 1, notes="late")
    assert "changed by someone else" in caught.value.message
    assert caught.value.code == "conflict"


def test_of_two_edits_from_the_same_version_the_first_wins(invoice, catalog):
    """Two people opened version 1; the first save wins, the second is told and writes nothing."""
    opened = invoice.version
    first = invoice_update(
        invoice=Invoice.objects.get(pk=invoice.pk),
        expected_version=opened,
        notes="Ana wants matte",
        lines=[LineInput(item_id=catalog.print8x10.pk, quantity=10)],
    )
    before_second = (Invoice.objects.filter(pk=invoice.pk).values().get(), first.total)
    with pytest.raises(Conflict):
        invoice_update(
            invoice=Invoice.objects.get(pk=invoice.pk),
            expected_version=opened,
            notes="Ana wants gloss",
            lines=[LineInput(item_id=catalog.frame.pk, quantity=3)],
        )
    stored = Invoice.objects.get(pk=invoice.pk)
    assert Invoice.objects.filter(pk=invoice.pk).values().get() == before_second[0]
    assert (stored.notes, stored.total, stored.version) == ("Ana wants matte", Decimal("250"), 2)
    assert list(stored.lines.values_list("item_id", "quantity")) == [(catalog.print8x10.pk, 10)]


def test_a_refused_update_does_not_use_up_the_version(invoice, catalog, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        invoice_update(
            invoice=invoice,
            expected_version=invoice.version,
            lines=[LineInput(item_id=catalog.canvas.pk)],
        )
    # the same version still works afterwards
    invoice_update(invoice=invoice, expected_version=invoice.version, notes="ok")


def test_unknown_fields_are_refused(client_record, invoice, unchanged):
    with unchanged(), pytest.raises(ValidationError):
        invoice_create(client=client_record, total=Decimal("1"))
    with unchanged(), pytest.raises(ValidationError):
        invoice_update(invoice=invoice, expected_version=invoice.version, paid=Decimal("1"))


def test_an_invoice_with_payments_is_not_deleted(invoice, unchanged):
    payment_add(invoice=invoice, amount=Decimal("10"))
    with unchanged(), pytest.raises(RecordInUse) as caught:
        invoice_delete(invoice=invoice)
    assert caught.value.message == (
        f"Invoice {invoice.number} can't be deleted: it has 1 payment. Delete the payments first."
    )


def test_an_invoice_without_payments_is_deleted_with_its_lines(invoice):
    invoice_delete(invoice=invoice)
    assert not Invoice.objects.exists()
    assert not InvoiceLine.objects.exists()
    assert not Payment.objects.exists()


def test_a_message_naming_a_vendor_with_a_percent_sign_reads_right(catalog, client_record):
    odd = VendorFactory(name="100% Lab", is_inactive=True)
    with pytest.raises(ValidationError) as caught:
        invoice_create(
            client=client_record,
            lines=[LineInput(item_id=catalog.frame.pk, vendor_override_id=odd.pk)],
        )
    assert line_messages(caught.value) == ["Line 1: vendor “100% Lab” is inactive; choose another."]
