"""The studio's order numbers: one count for production and proof orders, never a number
twice, even when many people make orders at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from darkroom.production.models import OrderNumbers, PreproductionOrder, ProductionOrder
from darkroom.production.numbers import highest_number, order_numbers_take
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_block_is_taken_in_one_go_and_the_count_moves_past_it():
    first = order_numbers_take(3)
    second = order_numbers_take(2)
    assert [int(n) for n in first + second] == list(range(int(first[0]), int(first[0]) + 5))
    assert OrderNumbers.objects.get().next_number == int(second[-1]) + 1
    assert order_numbers_take(0) == []


def test_a_count_made_afresh_starts_after_every_number_given():
    f.ProductionOrderFactory(number="41")
    OrderNumbers.objects.all().delete()  # e.g. tables emptied by hand
    assert order_numbers_take(1) == ["42"]
    assert highest_number(["7", "P-9", None, "1" * 30, "12"]) == 12


def test_the_database_refuses_a_number_twice_in_each_kind():
    order = f.ProductionOrderFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.ProductionOrderFactory(number=order.number)
    session, vendor, person = f.SessionFactory(), f.VendorFactory(), f.UserFactory()
    fields = {
        "session": session,
        "vendor": vendor,
        "entered_by": person,
        "order_date": "2026-03-02",
    }
    PreproductionOrder.objects.create(number="9001", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        PreproductionOrder.objects.create(number="9001", **fields)


@pytest.mark.django_db(transaction=True)
def test_orders_taken_at_the_same_moment_never_share_a_number():
    """Eight threads, each with its own database connection, take numbers at once (one block,
    then single numbers, as a batch and a reorder do); no number is given twice."""
    order_numbers_take(1)  # the count's row exists: every thread updates the same row
    taken: list[str] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def work() -> None:
        try:
            start.wait()
            for size in (5, 1, 1, 3):
                with transaction.atomic():
                    got = order_numbers_take(size)
                taken.extend(got)
        except BaseException as exc:  # reported below: a thread must not swallow it
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if connection.vendor == "sqlite":  # SQLite may refuse a writer while another one writes
        failures = [e for e in failures if "locked" not in str(e)]
    assert failures == []
    assert len(taken) == len(set(taken))
    if connection.vendor == "postgresql":
        assert len(taken) == 8 * 10
    assert ProductionOrder.objects.count() == 0
