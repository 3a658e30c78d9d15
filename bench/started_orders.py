"""Production orders for the status-engine benchmarks: many, made fast, already started.

Why: the bulk change and the due-date recomputation are measured on 10,000 and 50,000 open
production orders, and starting each through ``record_start`` (one transaction per order) would
take longer than the measurements themselves; even ``bulk_create`` spends about a second per
thousand orders with their history here, building and compiling models. So the orders, their
invoices and their first history rows are written with one prepared INSERT per table
(``executemany``), each value prepared by its field as the ORM would, directly in the initial
status of their order type's cycle. The status columns are computed by the functions
``record_start`` uses (``scheduled_due_date``, ``projected_completion`` on the order's vendor
calendar) and each order gets the "start" history row ``record_start`` writes, so the orders
come out as it would leave them (version 2). This writes statuses outside the status-change
service: it is the benchmarks' setup, never what they measure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class OrderType:
    """An order type of the benchmark's studio and the steps of its cycle, in order."""

    pk: int
    name: str
    steps: list[Any]  # Status rows, initial first, final last


def order_types(cycles: dict[str, Sequence[int]]) -> list[OrderType]:
    """One order type per entry, with its own production cycle: a status per duration given
    (business days), the first initial and the last final."""
    from darkroom.catalog.models import ProductionOrderType
    from darkroom.tracking.models import CycleKind
    from darkroom.tracking.services import cycle_create, status_add

    made = []
    for position, (name, durations) in enumerate(cycles.items(), start=1):
        kind = ProductionOrderType.objects.create(name=name, position=position)
        cycle = cycle_create(kind=CycleKind.PRODUCTION, name=name, order_type=kind)
        steps = [
            status_add(
                cycle=cycle,
                description=f"{name} step {number}",
                default_duration=days,
                is_final=number == len(durations),
            )
            for number, days in enumerate(durations, start=1)
        ]
        made.append(OrderType(pk=kind.pk, name=name, steps=steps))
    return made


def vendors(count: int) -> list[Any]:
    from darkroom.catalog.models import Vendor

    return [Vendor.objects.create(name=f"Bench lab {number}") for number in range(1, count + 1)]


def _insert(model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` (attribute name -> value; the model's defaults for the rest) with one
    prepared statement; the new ids, in order.

    Each distinct value is prepared once by its field (``get_db_prep_save``), as the ORM would.
    The ids are read back as those above the highest before: the database is the benchmark's
    own, and nothing else writes to it meanwhile.
    """
    from django.db import connection
    from django.db.models import Max
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    blank, now = model(), timezone.now()  # an unsaved instance holds the defaults

    def default(field: Any) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        return getattr(blank, field.attname)

    defaults = {f.attname: default(f) for f in fields}
    prepared: dict[tuple[str, Any], Any] = {}

    def value(field: Any, row: dict[str, Any]) -> Any:
        raw = row.get(field.attname, defaults[field.attname])
        key = (field.attname, raw)
        if key not in prepared:
            prepared[key] = field.get_db_prep_save(raw, connection)
        return prepared[key]

    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    before = model.objects.aggregate(last=Max("pk"))["last"] or 0
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[value(f, row) for f in fields] for row in rows])
    ids = list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    if len(ids) != len(rows):
        raise RuntimeError(f"{len(rows)} rows inserted, {len(ids)} found")
    return ids


def started_orders(
    *,
    count: int,
    kinds: list[OrderType],
    labs: list[Any],
    person: Any,
    started_on: Sequence[dt.date],
) -> list[int]:
    """``count`` production orders in their cycle's initial status; their ids, in order.

    Order ``i`` is of ``kinds[i % len(kinds)]``, at ``labs[i % len(labs)]`` (so every vendor
    has orders of every type when the two counts are coprime), started on
    ``started_on[i % len(started_on)]``. Every three orders share an invoice, as an invoice's
    orders at several vendors would.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from darkroom.clients.models import Client, Invoice
    from darkroom.production.models import ProductionOrder
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.tracking.models import NoteKind, StatusNote
    from darkroom.tracking.services import projected_completion, scheduled_due_date

    clocks = {lab.pk: calendar_now(lab.pk) for lab in labs}
    today = clocks[labs[0].pk].today
    now = timezone.now()
    # Due dates by (order type, vendor, start): a handful, computed as record_start would.
    dues: dict[tuple[int, int, dt.date], tuple[dt.date | None, dt.date | None]] = {}
    for kind in kinds:
        initial = kind.steps[0]
        for lab in labs:
            clock = clocks[lab.pk]
            for start in set(started_on):
                order = ProductionOrder(order_type_id=kind.pk, vendor_id=lab.pk)
                due = scheduled_due_date(
                    record=order,
                    steps=kind.steps,
                    status=initial,
                    entered_on=start,
                    calendar=clock.calendar,
                    backward=clock.backward,
                )
                projected = projected_completion(
                    steps=kind.steps, status=initial, due=due, calendar=clock.calendar
                )
                dues[kind.pk, lab.pk, start] = due, projected
    with transaction.atomic():
        client = Client.objects.create(first_name="Bench", last_name="Client")
        invoices = _insert(
            Invoice, [{"client_id": client.pk, "invoice_date": today}] * ((count + 2) // 3)
        )
        orders = []
        for index in range(count):
            kind, lab = kinds[index % len(kinds)], labs[index % len(labs)]
            start = started_on[index % len(started_on)]
            due, projected = dues[kind.pk, lab.pk, start]
            orders.append(
                {
                    "invoice_id": invoices[index // 3],
                    "client_id": client.pk,
                    "vendor_id": lab.pk,
                    "order_type_id": kind.pk,
                    "order_date": today,
                    "entered_by_id": person.pk,
                    "status_id": kind.steps[0].pk,
                    "status_entered_on": start,
                    "status_due_date": due,
                    "status_changed_at": now,
                    "projected_completion": projected,
                    "version": 2,
                }
            )
        ids = _insert(ProductionOrder, orders)
        content_type = ContentType.objects.get_for_model(ProductionOrder).pk
        _insert(
            StatusNote,
            [
                {
                    "content_type_id": content_type,
                    "object_id": pk,
                    "kind": NoteKind.START.value,
                    "to_status_id": order["status_id"],
                    "date_completed": order["status_entered_on"],
                    "due_date": order["status_due_date"],
                    "updated_by_id": person.pk,
                    "changed_at": now,
                }
                for pk, order in zip(ids, orders, strict=True)
            ],
        )
    return ids
