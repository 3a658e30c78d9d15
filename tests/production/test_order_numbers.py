"""The studio's order numbers: one count for production and proof orders, never a number
twice, even when many people make orders at the same moment."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import (
    OrderNumbers,
    highest_number,
    order_numbers_next,
    order_numbers_take,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_block_is_taken_in_one_go_and_the_count_moves_past_it():
    first = order_numbers_take(3)
    second = order_numbers_take(2)
    assert [int(n) for n in first + second] == list(range(int(first[0]), int(first[0]) + 5))
    assert order_numbers_next() == int(second[-1]) + 1
    assert order_numbers_take(0) == []


def test_a_count_made_afresh_starts_after_every_number_given():
    coming = order_numbers_next()
    f.ProductionOrderFactory(number="41")
    OrderNumbers.objects.all().delete()  # e.g. tables emptied by hand
    if connection.vendor == "sqlite":
        assert order_numbers_take(1) == ["42"]  # the row, made again, starts after every number
    else:  # the sequence is no table's row: emptying tables leaves it where it was
        assert order_numbers_take(1) == [str(coming)]
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


@pytest.mark.django_db(transaction=True)
def test_a_number_taken_in_an_open_transaction_holds_up_no_one():
    """Two people make orders at the same moment: the first has taken its number and its
    transaction is still open when the second takes one and commits. On PostgreSQL the second
    does not wait for the first (a wait for its lock gives up after a second rather than hang);
    the first then rolls back, and its number is given to no one after it. SQLite lets one
    writer in at a time: the second is turned away while the first writes."""
    order_numbers_take(1)  # the count's row exists (SQLite): both would update it
    taken, finished = threading.Event(), threading.Event()
    held: list[str] = []
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                held.extend(order_numbers_take(1))
                taken.set()
                assert finished.wait(timeout=60), "the second person never finished"
                transaction.set_rollback(True)  # the order is abandoned
        except BaseException as exc:  # reported below: a thread must not swallow it
            failures.append(exc)
        finally:
            taken.set()
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    try:
        assert taken.wait(timeout=60)
        if connection.vendor == "postgresql":
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                [mine] = order_numbers_take(1)  # committed at the end of the block
        else:
            with pytest.raises(OperationalError, match="locked"), transaction.atomic():
                order_numbers_take(1)
    finally:
        finished.set()
        thread.join()
    assert failures == [] and len(held) == 1
    after = order_numbers_take(1)
    if connection.vendor == "postgresql":
        assert int(held[0]) < int(mine) < int(after[0])  # nothing given twice, nothing reused
    else:  # the rollback took its move of the count back; no order ever had that number
        assert after == held
