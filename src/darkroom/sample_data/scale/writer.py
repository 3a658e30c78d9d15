"""The large studio's rows, invoice by invoice: clients and their sessions, invoices with lines
and payments, their production orders and detail lines, proof orders; each record's status
history comes from ``history``. Batches go to the database through ``bulk``.

Every random choice is drawn from the one seeded generator in a fixed order: moving a draw
(even to a line that seems the same) makes another studio for the same seed.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from darkroom.catalog.models import Vendor
from darkroom.clients.models import Invoice
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import order_numbers_move_past, order_numbers_take
from darkroom.sample_data.scale.bulk import analyze, reset_sequences
from darkroom.sample_data.scale.dates import Dates
from darkroom.sample_data.scale.history import CHANGE, START, StatusHistory
from darkroom.sample_data.scale.plan import FIRST_NAMES, LAST_NAMES
from darkroom.sample_data.scale.small_records import StudioRecords, VendorPlan
from darkroom.sample_data.scale.tables import BulkTables


class Writer:
    """Builds the rows of every bulk table, invoice by invoice, and writes them in batches."""

    def __init__(self, studio: StudioRecords, rng: random.Random, *, orders: int) -> None:
        self.s, self.rng, self.total = studio, rng, orders
        self.dates = Dates(studio.today)
        # The studio's order numbers go on from its count (moved past them by ``finish``).
        self.next_number = int(order_numbers_take(1)[0])
        self.tables = BulkTables()
        self.history = StatusHistory(self.tables.notes, self.dates, rng, studio.users)
        types = ContentType.objects.get_for_models(ProductionOrder, PreproductionOrder, Invoice)
        self.order_ct = types[ProductionOrder].pk
        self.proof_ct = types[PreproductionOrder].pk
        self.invoice_ct = types[Invoice].pk
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(studio.vendors))]
        rng.shuffle(weights)
        self.vendor_weights = list(_cumulative(weights))
        self.made_clients: list[tuple[int, int, int]] = []  # (client id, session id, date)
        self.open_orders = self.open_proofs = self.proof_count = 0

    # -- one invoice and its orders ----------------------------------------------------------

    def invoice(
        self, day: int, first_order: int, count: int, open_orders: set[int], open_proof: bool
    ) -> None:
        rng, d, s = self.rng, self.dates, self.s
        client_id, session_id = self._client(day, open_proof)
        invoice_id = self.tables.invoices.take_id()
        vendors = self._vendors(count)
        lines, total = [], Decimal("0")
        for position, vendor in enumerate(vendors):
            item_id, description, price, cost = vendor.items[int(rng.random() * len(vendor.items))]
            quantity = 1 + (rng.random() < 0.3) + (rng.random() < 0.1)
            line_id = self.tables.lines.take_id()
            self.tables.lines.add(
                (line_id, invoice_id, position, item_id, description, quantity, str(price))
            )
            lines.append((line_id, item_id, description, quantity, cost))
            total += price * quantity
        if rng.random() < 0.5:
            item_id, description, price = s.services[int(rng.random() * len(s.services))]
            self.tables.lines.add(
                (
                    self.tables.lines.take_id(),
                    invoice_id,
                    len(vendors),
                    item_id,
                    description,
                    1,
                    str(price),
                )
            )
            total += price
        is_open = any(first_order + i in open_orders for i in range(count))
        promised = None
        if is_open:
            promised = max(day + 7, d.today + rng.randrange(0, 60))
        elif d.today - day < 400:
            promised = day + 14 + int(rng.random() * 31)
        promised_text = None if promised is None else d.iso[promised]
        entered_by = s.users[int(rng.random() * len(s.users))]
        finished = day
        for index, (vendor, line) in enumerate(zip(vendors, lines, strict=True)):
            done = self._order(
                invoice_id,
                client_id,
                vendor,
                line,
                day,
                promised,
                promised_text,
                entered_by,
                first_order + index in open_orders,
            )
            finished = max(finished, done)
        self._invoice_row(
            invoice_id,
            client_id,
            session_id,
            day,
            promised_text,
            total,
            is_open,
            finished,
            entered_by,
        )

    def _client(self, day: int, open_proof: bool) -> tuple[int, int]:
        """A new client (with the session they were photographed in), or now and then one who
        came back; sometimes proofs were sent out for the session."""
        rng = self.rng
        if self.made_clients and rng.random() < 0.2:
            client_id, session_id, session_day = self.made_clients[
                int(rng.random() * len(self.made_clients))
            ]
        else:
            client_id, session_id = self.tables.clients.take_id(), self.tables.sessions.take_id()
            first = FIRST_NAMES[int(rng.random() * len(FIRST_NAMES))]
            last = LAST_NAMES[int(rng.random() * len(LAST_NAMES))]
            self.tables.clients.add(
                (
                    client_id,
                    first,
                    last,
                    f"{first}.{last}{client_id}@mail.example".lower(),
                    f"555-{client_id % 10_000:04d}",
                )
            )
            session_day = day - 3 - int(rng.random() * 27)
            self.tables.sessions.add(
                (
                    session_id,
                    client_id,
                    self.s.session_types[client_id % len(self.s.session_types)],
                    self.dates.iso[session_day],
                    self.s.users[int(rng.random() * len(self.s.users))],
                )
            )
            self.made_clients.append((client_id, session_id, session_day))
            if not open_proof and rng.random() < 0.05:
                self._proof(session_id, session_day + 1, is_open=False)
        if open_proof:
            self._proof(session_id, max(session_day + 1, day - rng.randrange(0, 10)), is_open=True)
        return client_id, session_id

    def _vendors(self, count: int) -> list[VendorPlan]:
        """``count`` different vendors, the busy ones more often than the others."""
        chosen: dict[int, VendorPlan] = {}
        vendors, weights, random = self.s.vendors, self.vendor_weights, self.rng.random
        top = weights[-1]
        while len(chosen) < count:
            vendor = vendors[bisect_right(weights, random() * top)]
            chosen.setdefault(vendor.pk, vendor)
        return list(chosen.values())

    def _studio_number(self) -> str:
        """The studio's next order number (one count for production and proof orders)."""
        self.next_number += 1
        return str(self.next_number - 1)

    def _number(self, vendor: VendorPlan) -> str | None:
        if not vendor.auto_numbers and self.rng.random() < 0.5:
            return None  # numbers typed by hand, when the vendor sends one: not always
        number = f"{vendor.prefix}{vendor.counter}"
        vendor.counter += 1
        return number

    def _order(
        self,
        invoice_id: int,
        client_id: int,
        vendor: VendorPlan,
        line: tuple[int, int, str, int, Decimal],
        day: int,
        promised: int | None,
        promised_text: str | None,
        entered_by: int,
        is_open: bool,
    ) -> int:
        rng, d, s = self.rng, self.dates, self.s
        order_id = self.tables.orders.take_id()
        cycle = s.cycles[vendor.order_type]
        placed = min(day + int(rng.random() * 3), d.today)
        tracked, done, placed = self.history.path(
            self.order_ct, order_id, cycle, placed, is_open, entered_by
        )
        line_id, item_id, description, quantity, cost = line
        priority = (
            s.priorities[int(rng.random() * len(s.priorities))] if rng.random() < 0.08 else None
        )
        amount = None if is_open else str(cost * quantity)
        self.tables.orders.add(
            (
                order_id,
                invoice_id,
                vendor.pk,
                vendor.order_type,
                self._studio_number(),
                self._number(vendor),
                d.iso[placed],
                promised_text,
                entered_by,
                client_id,
                priority,
                amount,
                *tracked,
            )
        )
        self.tables.details.add(
            (self.tables.details.take_id(), order_id, line_id, item_id, description, quantity)
        )
        self.open_orders += is_open
        return done

    def _proof(self, session_id: int, day: int, *, is_open: bool) -> None:
        rng, d = self.rng, self.dates
        vendor = self.s.vendors[int(rng.random() * len(self.s.vendors))]
        placed = min(day, d.today)
        proof_id = self.tables.proofs.take_id()
        entered_by = self.s.users[int(rng.random() * len(self.s.users))]
        tracked, _, placed = self.history.path(
            self.proof_ct, proof_id, self.s.proof_cycle, placed, is_open, entered_by
        )
        number = f"{vendor.counter}" if vendor.auto_numbers else None
        if number is not None:
            vendor.counter += 1
        self.tables.proofs.add(
            (
                proof_id,
                session_id,
                vendor.pk,
                self._studio_number(),
                number,
                d.iso[placed],
                entered_by,
                *tracked,
            )
        )
        self.proof_count += 1
        self.open_proofs += is_open

    def _invoice_row(
        self,
        invoice_id: int,
        client_id: int,
        session_id: int,
        day: int,
        promised_text: str | None,
        total: Decimal,
        is_open: bool,
        finished: int,
        entered_by: int,
    ) -> None:
        """The invoice, "In Production" while an order is open, else picked up the day its last
        order was done; paid in full once picked up, a deposit before."""
        d, rng = self.dates, self.rng
        steps = self.s.invoice_cycle.steps
        first, then = steps[0], (steps[1] if is_open else steps[-1])
        when = day if is_open else finished
        user = self.s.users[int(rng.random() * len(self.s.users))]
        due = d.due[when << 10 | then.duration] if is_open else None
        self.history.note(
            self.invoice_ct,
            invoice_id,
            START,
            None,
            first,
            day,
            d.due[day << 10 | first.duration],
            entered_by,
            first.department,
            first.user,
            9,
        )
        self.history.note(
            self.invoice_ct,
            invoice_id,
            CHANGE,
            first,
            then,
            when,
            due,
            user,
            then.department,
            then.user,
            10,
            since=day,
            left_due=d.due[day << 10 | first.duration],
        )
        paid = (total / 2).quantize(Decimal("0.01")) if is_open else total
        self.tables.invoices.add(
            (
                invoice_id,
                client_id,
                session_id,
                d.iso[day],
                promised_text,
                None if is_open else d.iso[when],
                str(total),
                str(paid),
                entered_by,
                then.pk,
                d.iso[when],
                None if due is None else d.iso[due],
                then.department,
                then.user,
                d.stamp[when << 5 | 10],
                None if is_open else user,
                None if is_open else d.iso[when],
                None if due is None else d.projected(self.s.invoice_cycle, then, due),
                3,
            )
        )
        if paid:
            self.tables.payments.add(
                (
                    self.tables.payments.take_id(),
                    invoice_id,
                    d.iso[day if is_open else when],
                    str(paid),
                    "card" if rng.random() < 0.7 else "cash",
                )
            )

    # -- a record's path through its cycle -----------------------------------------------------

    def flush(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table in self.tables.in_order:
                table.flush(cursor)

    def finish(self) -> None:
        """The studio's and the vendors' counters move past the numbers given; the planner
        learns the tables."""
        with transaction.atomic():
            order_numbers_move_past(self.next_number - 1)
            for vendor in self.s.vendors:
                Vendor.objects.filter(pk=vendor.pk, next_order_number__lt=vendor.counter).update(
                    next_order_number=vendor.counter
                )
        reset_sequences(self.tables.in_order)
        analyze(self.tables.in_order)


def _cumulative(weights: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total
