"""Benchmark creating production orders from invoices: INVOICES invoices of 5 lines over 3 vendors.

Why: a studio turning a season's invoices into orders (or the automation doing it as invoices
are paid) makes three orders per invoice; the product asks for 10,000 invoices → 30,000 orders
at 1,000 orders/s or better on SQLite. Each call of ``production_orders_create`` is one invoice,
all or nothing: it locks the vendors, checks for duplicates, numbers the orders of the vendor
that auto-assigns, writes the details and starts each order through ``record_start``.

Inputs: throwaway databases (see ``throwaway.py``); three vendors, each with its own order type
and cycle, one of them numbering its orders; INVOICES invoices of 5 lines (two lines at the
first vendor, two at the second, one at the third), made with ``bulk_create`` (setup, not
measured). INVOICES is smaller than the product's 10,000 so the benchmark stays near a minute;
orders/s is the figure to compare. One run; the results are checked afterwards, untimed.
"""

from __future__ import annotations

import started_orders
import throwaway

INVOICES = 1_000
ORDERS_PER_SECOND = 1_000
CYCLES = {"Lab prints": [1, 2, 0], "Albums": [3, 5, 0], "Frames": [2, 0]}


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from decimal import Decimal

    from darkroom.catalog.models import PriceListItem, Vendor
    from darkroom.clients.models import Client, Invoice, InvoiceLine
    from darkroom.production.models import ProductionOrder, ProductionOrderDetail
    from darkroom.production.services import production_orders_create
    from darkroom.studio.calendar import calendar_now
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
    invoices = Invoice.objects.bulk_create(
        Invoice(client=client, invoice_date=today) for _ in range(INVOICES)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(invoice=invoice, position=n, item=item, price=Decimal("10"))
        for invoice in invoices
        for n, item in enumerate(items)
    )

    def create_all() -> int:
        return sum(
            len(production_orders_create(invoice=invoice, by=person).orders) for invoice in invoices
        )

    runs = throwaway.time_runs(create_all, repeats=1)

    # Untimed: three orders per invoice, five details, each started, the lab's numbered 1..N.
    orders = INVOICES * 3
    assert runs.results == [orders]
    assert ProductionOrder.objects.filter(status__isnull=False).count() == orders
    assert ProductionOrderDetail.objects.count() == INVOICES * 5
    assert StatusNote.objects.count() == orders
    numbers = ProductionOrder.objects.filter(vendor_id=labs[0].pk).values_list("number", flat=True)
    assert sorted(int(n) for n in numbers) == list(range(1, INVOICES + 1))

    print(f"{throwaway.engine()}: {INVOICES:,} invoices of 5 lines over 3 vendors, one run")
    throwaway.report(
        "production_orders_create (one call per invoice, 3 orders each)",
        records=orders,
        runs=runs,
        target_seconds=orders / ORDERS_PER_SECOND,
    )


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=300)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
