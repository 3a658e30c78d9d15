"""The upgrade to studio-wide order numbers: orders that each vendor had numbered from 1 (so
two vendors' orders were both "1") get numbers of their own, after every old number, and keep
the old one as the vendor's number. Then, on PostgreSQL, the count moves to a sequence that goes
on past every number given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import (
    OrderNumbers,
    order_numbers_move_past,
    order_numbers_next,
    order_numbers_take,
)
from tests import factories as f

BEFORE = [("production", "0005_hub_indexes")]
AFTER = [("production", "0008_order_numbers_unique")]
BEFORE_SEQUENCE = [("production", "0013_remaining_days_filled")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Every app back at its latest migration (the tests after this one share the database)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def count_kept():
    """The tests after this one share the database, and on PostgreSQL its sequence (which no
    flush takes back), that migrating back and forth moves: it is put back past where it was."""
    coming = order_numbers_next()
    yield
    order_numbers_move_past(coming - 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("count_kept")
def test_colliding_numbers_become_the_vendors_and_every_order_gets_its_own():
    lab, maker = f.VendorFactory(name="Bay Lab"), f.VendorFactory(name="Album Co")
    kind, person, invoice = f.OrderTypeFactory(), f.UserFactory(), f.InvoiceFactory()
    session = f.SessionFactory()
    old = migrate(BEFORE)
    try:
        Order = old.get_model("production", "ProductionOrder")
        Proof = old.get_model("production", "PreproductionOrder")
        common = {
            "invoice_id": invoice.pk,
            "order_type_id": kind.pk,
            "order_date": dt.date(2026, 3, 2),
            "entered_by_id": person.pk,
            "client_id": invoice.client_id,
        }
        given = [
            Order.objects.create(vendor_id=lab.pk, number="1", **common),
            Order.objects.create(vendor_id=maker.pk, number="1", **common),  # the same "1"
            Order.objects.create(vendor_id=maker.pk, number="57", **common),
            Order.objects.create(vendor_id=lab.pk, number="V001-7", **common),  # typed by hand
            Order.objects.create(vendor_id=lab.pk, number=None, **common),  # none yet
        ]
        proof = Proof.objects.create(
            session_id=session.pk,
            vendor_id=lab.pk,
            number="1",
            order_date=dt.date(2026, 3, 2),
            entered_by_id=person.pk,
        )
    finally:
        migrate(AFTER)
        migrate_to_latest()
    orders = [ProductionOrder.objects.get(pk=o.pk) for o in given]
    renumbered = PreproductionOrder.objects.get(pk=proof.pk)
    assert [o.vendor_number for o in orders] == ["1", "1", "57", "V001-7", None]
    assert renumbered.vendor_number == "1"
    # Oldest first, after the highest old number (57): no old barcode names another order now.
    assert [o.number for o in orders] == ["58", "59", "60", "61", "62"]
    assert renumbered.number == "63"
    assert OrderNumbers.objects.get().next_number == 64
    assert order_numbers_take(1) == ["64"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("count_kept")
def test_the_count_goes_on_past_every_number_already_given():
    """A studio with orders upgrades: the next number is past the count (a rolled-back batch may
    have left it ahead of the orders), and going back and forth never gives a number twice. On
    PostgreSQL the sequence also starts past an order numbered ahead of the count (by a bulk
    loader, or typed in before the studio-wide count); SQLite keeps trusting its row."""
    kind, person, invoice, lab = (
        f.OrderTypeFactory(),
        f.UserFactory(),
        f.InvoiceFactory(),
        f.VendorFactory(),
    )

    def orders_at_the_old_count(*numbers: str):
        old = migrate(BEFORE_SEQUENCE)
        Order = old.get_model("production", "ProductionOrder")
        for number in numbers:
            Order.objects.create(
                invoice_id=invoice.pk,
                client_id=invoice.client_id,
                vendor_id=lab.pk,
                order_type_id=kind.pk,
                order_date=dt.date(2026, 3, 2),
                entered_by_id=person.pk,
                number=number,
            )
        return old

    try:
        old = orders_at_the_old_count("498", "499", "500", "V-7")
        old.get_model("production", "OrderNumbers").objects.update_or_create(
            pk=1, defaults={"next_number": 700}
        )
    finally:
        migrate_to_latest()
    assert order_numbers_take(2) == ["700", "701"]
    try:
        old = orders_at_the_old_count("950")  # back again: the count is the row again
        assert old.get_model("production", "OrderNumbers").objects.get().next_number == 702
    finally:
        migrate_to_latest()
    assert order_numbers_take(1) == (["951"] if connection.vendor == "postgresql" else ["702"])
    assert set(ProductionOrder.objects.values_list("number", flat=True)) == {
        "498",
        "499",
        "500",
        "V-7",
        "950",
    }
