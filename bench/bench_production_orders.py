"""Benchmark creating production orders from invoices of 5 lines over 3 vendors (3 orders each).

Why: a studio turning a season's invoices into orders (or the automation doing it as invoices
are paid) makes three orders per invoice; the product asks for 10,000 invoices → 30,000 orders
at 1,000 orders/s or better on SQLite. ``production_orders_create_many`` makes a batch of
invoices' orders in one transaction and a handful of statements (that is the figure held to
the target); ``production_orders_create``, one invoice per call with its own transaction,
vendor locks, duplicate check and numbering, is measured beside it for comparison. Every order
takes the studio's next number (a batch takes its block in one statement) and the lab's orders
the lab's own next number too.

Inputs: throwaway databases (see ``throwaway.py``); three vendors, each with its own order type
and cycle, one of them numbering its orders; invoices of 5 lines (two lines at the first vendor,
two at the second, one at the third), made with ``bulk_create`` (setup, not measured), a new set
for every run since an invoice is ordered once. INVOICES per batch run and SINGLE_INVOICES per
single-invoice run are smaller than the product's 10,000 so the benchmark stays near a minute;
orders/s is the figure to compare. Medians of REPEATS runs; the statements are counted on
separate calls (untimed), and the results are checked afterwards, untimed.
"""

from __future__ import annotations

import started_orders
import throwaway

# Per batch run: one call of production_orders_create_many.
INVOICES = throwaway.size(1_000, smoke=6)
# Per single-invoice run: one call of production_orders_create each.
SINGLE_INVOICES = throwaway.size(200, smoke=2)
REPEATS = throwaway.size(3, smoke=1)
ORDERS_PER_SECOND = 1_000
CYCLES = {"Lab prints": [1, 2, 0], "Albums": [3, 5, 0], "Frames": [2, 0]}


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from darkroom.catalog.models import PriceListItem, Vendor
    from darkroom.clients.models import Client, Invoice, InvoiceLine
    from darkroom.production.models import ProductionOrder, ProductionOrderDetail
    from darkroom.production.services.creation import (
        production_orders_create,
        production_orders_create_many,
    )
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.studio.services import user_create
    from darkroom.tracking.models import StatusNote

    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    kinds = started_orders.order_types(CYCLES)
    labs = started_orders.vendors(3)
    for lab, kind in zip(labs, kinds, strict=True):
        Vendor.objects.filter(pk=lab.pk).update(default_order_type_id=kind.pk)
    Vendor.objects.filter(pk=labs[0].pk).update(auto_assigns_numbers=True)
    items = [
        PriceListItem.objects.create(
            identifier=f"B{n}", description=f"Item {n}", price=Decimal("10"), preferred_vendor=lab
        )
        for n, lab in enumerate([labs[0], labs[0], labs[1], labs[1], labs[2]])
    ]
    today = calendar_now().today
    client = Client.objects.create(last_name="Bench")

    def invoices(count: int) -> list[Invoice]:
        made = Invoice.objects.bulk_create(
            Invoice(client=client, invoice_date=today) for _ in range(count)
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(invoice=invoice, position=n, item=item, price=Decimal("10"))
            for invoice in made
            for n, item in enumerate(items)
        )
        return made

    # Untimed: the statements of one invoice alone and of one batch (caches already warm).
    first, second = invoices(2)
    production_orders_create(invoice=first, by=person)
    with CaptureQueriesContext(connection) as alone:
        production_orders_create(invoice=second, by=person)
    counted = invoices(INVOICES)
    with CaptureQueriesContext(connection) as batch:
        production_orders_create_many(invoices=counted, by=person)

    batches = [invoices(INVOICES) for _ in range(REPEATS)]
    singles = [invoices(SINGLE_INVOICES) for _ in range(REPEATS)]
    many = throwaway.time_runs(
        lambda: sum(
            len(made.orders)
            for made in production_orders_create_many(invoices=batches.pop(), by=person)
        ),
        repeats=REPEATS,
    )
    one_by_one = throwaway.time_runs(
        lambda: sum(
            len(production_orders_create(invoice=invoice, by=person).orders)
            for invoice in singles.pop()
        ),
        repeats=REPEATS,
    )

    # Untimed: three orders per invoice, five details, each started, the lab's numbered 1..N.
    assert many.results == [INVOICES * 3] * REPEATS
    assert one_by_one.results == [SINGLE_INVOICES * 3] * REPEATS
    ordered = 2 + INVOICES * (REPEATS + 1) + SINGLE_INVOICES * REPEATS
    assert ProductionOrder.objects.filter(status__isnull=False).count() == ordered * 3
    assert ProductionOrder.objects.count() == ordered * 3
    assert ProductionOrderDetail.objects.count() == ordered * 5
    assert StatusNote.objects.count() == ordered * 3
    numbers = ProductionOrder.objects.filter(vendor_id=labs[0].pk).values_list(
        "vendor_number", flat=True
    )
    assert sorted(int(n) for n in numbers) == list(range(1, ordered + 1))
    # The studio's numbers: every order one of its own, from one count, 1..N.
    ours = ProductionOrder.objects.values_list("number", flat=True)
    assert sorted(int(n) for n in ours) == list(range(1, ordered * 3 + 1))

    print(
        f"{throwaway.engine()}: invoices of 5 lines over 3 vendors (3 orders each), "
        f"median of {REPEATS} runs"
    )
    throwaway.report(
        f"production_orders_create_many (one call of {INVOICES:,} invoices)",
        records=INVOICES * 3,
        runs=many,
        target_seconds=INVOICES * 3 / ORDERS_PER_SECOND,
    )
    throwaway.report(
        f"production_orders_create ({SINGLE_INVOICES:,} calls, one per invoice)",
        records=SINGLE_INVOICES * 3,
        runs=one_by_one,
        target_seconds=SINGLE_INVOICES * 3 / ORDERS_PER_SECOND,
    )
    per_batch = len(batch.captured_queries)
    print(
        f"  statements: {len(alone.captured_queries)} per invoice alone; {per_batch} per batch "
        f"of {INVOICES:,} invoices ({per_batch / INVOICES:.3f} per invoice)"
    )


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=600)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
