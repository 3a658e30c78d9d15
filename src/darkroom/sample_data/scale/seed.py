"""``seed_scale``: make the large studio, in batches, and say what was made."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from darkroom.errors import DarkroomError
from darkroom.production.models import ProductionOrder
from darkroom.reports.summaries import counted_after_load
from darkroom.sample_data.scale.bulk import bulk_load, checks_done, indexes_set_aside
from darkroom.sample_data.scale.plan import OPEN_SHARE, YEARS
from darkroom.sample_data.scale.small_records import studio_records
from darkroom.sample_data.scale.writer import Writer

BATCH_ORDERS = 20_000  # orders written per transaction (with their invoices, notes, …)


@dataclass(frozen=True)
class ScaleReport:
    """What a run made, and how long it took (``rows`` counts every row written in bulk)."""

    orders: int
    open_orders: int
    preproduction_orders: int
    open_preproduction_orders: int
    invoices: int
    clients: int
    status_notes: int
    rows: int
    seconds: float
    today: dt.date

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def _orders_per_invoice(rng: random.Random, orders: int) -> list[int]:
    """How many orders each invoice has (1 to 5, three on average), adding up to ``orders``."""
    counts, left = [], orders
    while left > 0:
        count = min(left, rng.choices((1, 2, 3, 4, 5), (10, 25, 30, 20, 15))[0])
        counts.append(count)
        left -= count
    return counts


def check_orders(value: object) -> int:
    """The number of orders asked for: a whole number above zero."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError({"orders": "The number of orders is a whole number above zero."})
    return value


def seed_scale(
    *,
    orders: int,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> ScaleReport:
    """Make a large studio of ``orders`` production orders (see the module docstring).

    ``progress(done, total)`` is called as the orders are written (``done`` of ``total``
    orders). A studio that already has production orders is refused unless ``force``: the new
    ones are added to them (reusing the vendors, cycles and people of the same names).
    """
    check_orders(orders)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError({"seed": "The seed is a whole number."})
    if not force and ProductionOrder.objects.exists():
        raise DarkroomError(
            "This studio already has production orders: a large studio is made in an empty "
            "database (or add to it on purpose with force).",
            code="studio_in_use",
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    studio = studio_records(rng)
    counts = _orders_per_invoice(rng, orders)
    open_count = round(orders * OPEN_SHARE)
    window = min(orders, math.ceil(open_count / 0.8))
    open_orders = set(rng.sample(range(orders - window, orders), open_count))
    invoices = len(counts)
    proof_window = max(1, math.ceil(invoices * OPEN_SHARE))
    open_proofs = set(
        rng.sample(
            range(invoices - proof_window, invoices), min(proof_window, max(2, orders // 200))
        )
    )
    writer = Writer(studio, rng, orders=orders)
    today = studio.today.toordinal()
    first_day = today - 365 * YEARS
    if progress is not None:
        progress(0, orders)
    done = batch = 0
    # Set the indexes aside when the new rows are the bulk of the table (always, when empty).
    set_aside = orders >= ProductionOrder.objects.count()
    # The reports' summaries of the history are counted once after the load, not by their
    # triggers note by note.
    with (
        bulk_load(),
        checks_done(),
        counted_after_load(when=set_aside),
        indexes_set_aside(writer.tables.in_order, when=set_aside),
    ):
        for index, count in enumerate(counts):
            day = first_day + ((today - first_day) * index) // max(1, invoices - 1)
            writer.invoice(day, done, count, open_orders, index in open_proofs)
            done += count
            batch += count
            if batch >= BATCH_ORDERS or index == invoices - 1:
                writer.flush()
                batch = 0
                if progress is not None:
                    progress(done, orders)
    writer.finish()
    return ScaleReport(
        orders=writer.tables.orders.written,
        open_orders=writer.open_orders,
        preproduction_orders=writer.proof_count,
        open_preproduction_orders=writer.open_proofs,
        invoices=writer.tables.invoices.written,
        clients=writer.tables.clients.written,
        status_notes=writer.tables.notes.written,
        rows=sum(table.written for table in writer.tables.in_order),
        seconds=time.perf_counter() - started,
        today=studio.today,
    )
