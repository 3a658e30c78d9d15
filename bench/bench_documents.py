"""Benchmark printing a batch of work orders and purchase orders into one PDF.

Why: on a busy morning the studio prints the day's new orders from the hub in one go, and the
request builds the whole file before it answers. The figure says how long a person waits for a
batch of ORDERS orders and how big the file is, and so how many orders one request may ask for
(``MOST_ORDERS`` in production/api/documents.py).

Inputs: a throwaway SQLite database (see ``throwaway.py``) with ORDERS numbered print orders of
DETAILS detail lines each, three image names per line. Each run loads the orders (two queries)
and lays out the PDF; figures are the median of REPEATS runs. SQLite only: the database's share
is those two queries (timed apart below), the rest is reportlab laying out pages in Python, which
does not depend on the database.

Then one work order whose line lists NAMES image names (a wedding's prints, flowing over
several pages), beside the same order with three names a line: a long list must print in
about the time of a short one (target: TARGET_LONG seconds).
"""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import throwaway

ORDERS = throwaway.size(1_000, smoke=4)
DETAILS = 3
REPEATS = throwaway.size(3, smoke=1)
TARGET_SECONDS = 10.0  # a 1,000-order batch, loaded and laid out
NAMES = 1_000  # the image names of one long print line
TARGET_LONG = 2.0  # seconds for that one work order


def _orders() -> list[int]:
    """ORDERS numbered print orders, DETAILS lines each; their ids."""
    from darkroom.catalog.models import (
        OrderKind,
        PriceListItem,
        ProductionOrderType,
        RenderProfile,
        Vendor,
    )
    from darkroom.clients.models import Client, Invoice
    from darkroom.production.models import ProductionOrder, ProductionOrderDetail
    from darkroom.studio.models import StudioPreferences
    from darkroom.studio.services import user_create

    StudioPreferences.objects.create(
        pk=1, name="Bench Studio", address="1 Main St\nTown", phone="+15550100"
    )
    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    vendor = Vendor.objects.create(name="Bench Lab", address="2 Lab Rd", account_number="A-1")
    kind = ProductionOrderType.objects.create(name="Prints", kind=OrderKind.PRINT, position=1)
    profile = RenderProfile.objects.create(name="Lustre 8x10", size="8x10 in", dpi=300)
    items = [
        PriceListItem.objects.create(identifier=f"P{n}", description=f"Print {n}", price=Decimal(9))
        for n in range(DETAILS)
    ]
    client = Client.objects.create(first_name="Bench", last_name="Client", mobile="+15550100")
    invoice = Invoice.objects.create(client=client, invoice_date=dt.date(2026, 3, 2))
    orders = ProductionOrder.objects.bulk_create(
        ProductionOrder(
            invoice=invoice,
            vendor=vendor,
            order_type=kind,
            number=f"{100000 + n}",
            order_date=dt.date(2026, 3, 2),
            entered_by=person,
            client=client,
            shipping_address="1 Main St\nTown",
            studio_notes="Check skin tones before sending.",
            vendor_notes="Pack flat, no stickers on the prints.",
        )
        for n in range(ORDERS)
    )
    ProductionOrderDetail.objects.bulk_create(
        ProductionOrderDetail(
            order=order,
            position=line,
            item=items[line],
            description=f"{item.description}, lustre",
            quantity=line + 1,
            vendor_product_code=f"LAB-{line:03d}",
            render_profile=profile,
            image_names="\n".join(f"IMG_{order.pk:05d}_{line}{c}.jpg" for c in "abc"),
        )
        for order in orders
        for line, item in enumerate(items)
    )
    return [order.pk for order in orders]


def _pages(pdf: bytes) -> int:
    """The page count as poppler reads it: the file is a PDF a viewer opens."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        Path(file.name).write_bytes(pdf)
        info = subprocess.run(["pdfinfo", file.name], check=True, capture_output=True, text=True)
    return int(next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))[6:])


def measure() -> None:
    from darkroom.production.documents import Document, orders_for_printing, orders_pdf

    ids = _orders()
    print(f"{throwaway.engine()}: {ORDERS:,} orders x {DETAILS} details, median of {REPEATS}")
    for document in Document:
        loads: list[float] = []

        def run(document: Document = document, loads: list[float] = loads) -> bytes:
            start = time.perf_counter()
            orders = orders_for_printing(ids)
            loads.append(time.perf_counter() - start)
            return orders_pdf(orders, document)

        runs = throwaway.time_runs(run, repeats=REPEATS)
        pdf = runs.results[-1]
        pages = _pages(pdf)
        assert pages >= ORDERS, pages
        throwaway.report(
            f"{document.title}s, loaded + laid out", records=ORDERS, runs=runs,
            target_seconds=TARGET_SECONDS,
        )  # fmt: skip
        print(
            f"  loading the orders (2 queries): {statistics.median(loads):.2f} s;"
            f" {pages:,} pages, {len(pdf) / 1e6:.2f} MB ({len(pdf) / pages / 1e3:.1f} kB a page)"
        )
    _one_long_order(ids)


def _one_long_order(ids: list[int]) -> None:
    """One work order whose first line carries NAMES image names (a wedding's prints), beside
    the floor: the same order with three names a line, as in the batch."""
    from darkroom.production.documents import Document, orders_for_printing, orders_pdf
    from darkroom.production.models import ProductionOrderDetail

    long_one, usual = ids[0], ids[1]
    first_line = ProductionOrderDetail.objects.filter(order_id=long_one).order_by("position")[:1]
    names = "\n".join(f"WEDDING_{n:04d}.jpg" for n in range(NAMES))
    ProductionOrderDetail.objects.filter(pk__in=first_line).update(image_names=names)

    def laid_out(pk: int) -> Callable[[], bytes]:
        return lambda: orders_pdf(orders_for_printing([pk]), Document.WORK_ORDER)

    long_runs = throwaway.time_runs(laid_out(long_one), repeats=REPEATS)
    usual_runs = throwaway.time_runs(laid_out(usual), repeats=REPEATS)
    pages = _pages(long_runs.results[-1])
    long_s, usual_s = statistics.median(long_runs.seconds), statistics.median(usual_runs.seconds)
    verdict = "smoke run" if throwaway.SMOKE else "met" if long_s <= TARGET_LONG else "MISSED"
    print(
        f"  one work order, a line of {NAMES:,} image names: {long_s:.3f} s, {pages} pages"
        f" (target <= {TARGET_LONG} s: {verdict}); three names a line: {usual_s:.3f} s"
    )


def main() -> None:
    print(throwaway.machine())
    if throwaway.postgres_only():  # a run for PostgreSQL alone still checks this one works
        print(f"PostgreSQL {throwaway.load()}")
        with throwaway.on_new_postgres() as url:
            if url is not None:
                measure()
        return
    print(f"SQLite only {throwaway.load()}")
    with throwaway.sqlite_database():
        measure()


if __name__ == "__main__":
    main()
