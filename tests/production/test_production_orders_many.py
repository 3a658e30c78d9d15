"""Production orders of many invoices at once: what each invoice would get on its own, numbered
across the batch, all invoices or none, in a number of statements that doesn't grow with it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.catalog.models import Vendor
from darkroom.errors import DarkroomError
from darkroom.production.models import ProductionOrder
from darkroom.production.services import creation, invoice_plans
from darkroom.tracking.models import NoteKind, StatusNote
from tests import factories as f
from tests.production.test_production_orders import MONDAY, WEEK, counts, make_studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(db) -> SimpleNamespace:
    return make_studio()


def second_invoice(studio: SimpleNamespace, **fields: Any) -> Any:
    """Another client's invoice: a print for the lab and a frame sent to the album maker."""
    invoice = f.InvoiceFactory(
        invoice_date=MONDAY,
        approximate_delivery_date=dt.date(2026, 4, 10),
        shipping_address="2 Side St",
        **fields,
    )
    f.InvoiceLineFactory(invoice=invoice, position=1, item=studio.items.prints, quantity=2)
    f.InvoiceLineFactory(
        invoice=invoice, position=2, item=studio.items.frame, vendor_override=studio.maker
    )
    return invoice


def create_many(studio: SimpleNamespace, invoices: list[Any]) -> list[creation.OrdersCreated]:
    return creation.production_orders_create_many(
        invoices=invoices, by=studio.person, order_date=MONDAY
    )


def described(made: creation.OrdersCreated) -> list[tuple[Any, ...]]:
    """Each order's vendor, type, vendor's number and detail lines, as stored."""
    fields = ("position", "item_id", "description", "quantity", "vendor_product_code")
    return [
        (
            o.vendor_id,
            o.order_type_id,
            o.vendor_number,
            o.invoice_id,
            list(o.details.values_list(*fields)),
        )
        for o in made.orders
    ]


def test_each_invoice_gets_what_it_would_get_alone(studio):
    other = second_invoice(studio)
    made = create_many(studio, [studio.invoice, other])

    assert [[o.vendor for o in m.orders] for m in made] == [
        [studio.lab, studio.maker],
        [studio.lab, studio.maker],
    ]
    assert [(s.line, s.reason) for s in made[0].skipped_lines] == [
        (studio.lines[2], invoice_plans.NO_VENDOR)
    ]
    assert made[1].skipped_lines == []
    items = studio.items
    assert described(made[0]) == [
        (studio.lab.pk, studio.prints.pk, "100", studio.invoice.pk, [
            (1, items.prints.pk, "8x10 print", 3, "BAY-810"),
        ]),
        (studio.maker.pk, studio.albums.pk, None, studio.invoice.pk, [
            (1, items.album.pk, "Wedding", 1, ""),
            (2, items.moved.pk, items.moved.description, 1, "AC-57"),
        ]),
    ]  # fmt: skip
    assert described(made[1]) == [
        (studio.lab.pk, studio.prints.pk, "101", other.pk, [
            (1, items.prints.pk, "8x10 print", 2, "BAY-810"),
        ]),
        (studio.maker.pk, studio.albums.pk, None, other.pk, [
            (1, items.frame.pk, items.frame.description, 1, ""),
        ]),
    ]  # fmt: skip

    # The same invoice ordered on its own (confirmed) gets the same orders and lines.
    alone = creation.production_orders_create(
        invoice=other, by=studio.person, order_date=MONDAY, confirm_duplicate=True
    )
    assert [row[:2] + row[3:] for row in described(alone)] == [
        row[:2] + row[3:] for row in described(made[1])
    ]


def test_orders_copy_their_invoice_and_start_in_their_cycle(studio):
    other = second_invoice(studio)
    made = create_many(studio, [studio.invoice, other])

    for invoice, answer in zip([studio.invoice, other], made, strict=True):
        for order, steps in zip(
            answer.orders, [studio.print_steps, studio.album_steps], strict=True
        ):
            order.refresh_from_db()
            assert (order.client_id, order.shipping_address, order.promised_date) == (
                invoice.client_id,
                invoice.shipping_address,
                invoice.approximate_delivery_date,
            )
            assert (order.entered_by, order.order_date, order.version) == (studio.person, MONDAY, 2)
            assert order.status == steps[0]
            assert order.status_due_date == WEEK.due(MONDAY, steps[0].default_duration)
            start = StatusNote.objects.get(object_id=order.pk, kind=NoteKind.START)
            assert start.to_status == steps[0] and start.updated_by == studio.person


def test_numbers_run_across_the_invoices_and_skip_typed_ones(studio):
    typed = f.ProductionOrderFactory(vendor=studio.lab, vendor_number="101")
    invoices = [studio.invoice, second_invoice(studio), second_invoice(studio)]
    made = create_many(studio, invoices)

    assert [m.orders[0].vendor_number for m in made] == ["100", "102", "103"]
    assert all(m.orders[1].vendor_number is None for m in made)  # the album maker numbers none
    studio.lab.refresh_from_db()
    assert studio.lab.next_order_number == 104
    numbers = ProductionOrder.objects.filter(vendor=studio.lab).values_list(
        "vendor_number", flat=True
    )
    assert sorted(numbers) == ["100", "101", "102", "103"]
    # The studio's numbers: one block for the batch, in the invoices' order, after the last.
    ours = [int(o.number) for m in made for o in m.orders]
    assert ours == list(range(int(typed.number) + 1, int(typed.number) + 7))


def test_an_invoice_already_ordered_refuses_the_batch(studio):
    other = second_invoice(studio)
    creation.production_orders_create(
        invoice=other, by=studio.person, vendor=studio.maker, order_date=MONDAY
    )
    before = counts()
    with pytest.raises(DarkroomError) as refused:
        create_many(studio, [studio.invoice, other])
    assert refused.value.code == "duplicate_order" and refused.value.status == 409
    assert refused.value.message.startswith(
        f"Invoice {other.number} already has production orders at Album Co: no order was made."
    )
    assert counts() == before  # not even the first invoice's orders, nor the lab's numbers


def test_an_invoice_given_twice_is_refused(studio):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        create_many(studio, [studio.invoice, second_invoice(studio), studio.invoice])
    assert refused.value.message_dict == {
        "invoices": [f"Invoice {studio.invoice.number} is given twice."]
    }
    assert counts() == before


def test_one_refused_invoice_refuses_them_all_and_says_which(studio):
    empty = f.InvoiceFactory(invoice_date=MONDAY)
    before = counts()
    with pytest.raises(ValidationError) as no_lines:
        create_many(studio, [studio.invoice, empty])
    assert no_lines.value.message_dict == {
        "invoices": [
            f"Invoice {empty.number}: This invoice has no lines: add what the client ordered first."
        ]
    }
    Vendor.objects.filter(pk=studio.maker.pk).update(is_inactive=True)
    with pytest.raises(ValidationError) as inactive:
        create_many(studio, [second_invoice(studio)])
    assert "“Album Co” (line 2) is inactive" in inactive.value.message_dict["invoices"][0]
    assert counts() == before


def test_an_order_type_without_a_cycle_refuses_the_batch(studio):
    canvas = f.OrderTypeFactory(name="Canvas")
    framer = Vendor.objects.get(pk=studio.framer.pk)
    framer.default_order_type = canvas
    framer.save()
    framed = f.InvoiceFactory(invoice_date=MONDAY)
    f.InvoiceLineFactory(invoice=framed, item=studio.items.frame)
    before = counts()
    with pytest.raises(DarkroomError) as refused:
        create_many(studio, [studio.invoice, framed])
    assert refused.value.code == "no_cycle"
    assert refused.value.message == (
        f"Invoice {framed.number}: The order type “Canvas” has no status cycle yet: add its "
        "statuses first."
    )
    assert counts() == before


def test_a_future_order_date_and_an_empty_batch(studio):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        creation.production_orders_create_many(
            invoices=[studio.invoice], by=studio.person, order_date=dt.date(2999, 1, 1)
        )
    assert "can't be after today" in refused.value.message_dict["order_date"][0]
    assert creation.production_orders_create_many(invoices=[], by=studio.person) == []
    assert counts() == before


def test_the_statements_do_not_grow_with_the_batch(studio):
    def statements(invoices: list[Any]) -> int:
        with CaptureQueriesContext(connection) as run:
            made = create_many(studio, invoices)
        assert sum(len(m.orders) for m in made) == 2 * len(invoices)
        return len(run.captured_queries)

    statements([second_invoice(studio)])  # reads the calendar and the cycles' steps once
    few = statements([second_invoice(studio) for _ in range(2)])
    many = statements([second_invoice(studio) for _ in range(12)])
    assert many == few
