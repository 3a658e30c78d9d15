"""A worker that was down catches up: every firing whose day passed meanwhile fires once.

The studio's worker stopped on a Friday morning and came back the next Wednesday, over a
weekend and a Monday the studio was closed. Orders went to the lab before, and a trigger calls
the client one business day after an order's lab step is due. On restart every firing whose
day has passed fires exactly once — Friday's, Tuesday's, Wednesday's — and one due next week
waits. The days are counted here by hand (Monday to Friday, less the closure), independently of
the planner. Everything happens in real ``darkroom`` processes on the real clock: the dates lie
in the past instead of the clock being moved.
"""

from __future__ import annotations

import datetime as dt

from tests.commands.workers import WorkerDatabase


def weekday_after(day: dt.date, count: int, closed: set[dt.date]) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


def weekday_before(day: dt.date, count: int, closed: set[dt.date]) -> dt.date:
    while count:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


SETUP = """
import datetime as dt
from django.utils import timezone
from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.clients.models import Client, Invoice
from darkroom.messaging.models import Trigger
from darkroom.production.models import ProductionOrder
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.services import user_create
from darkroom.tracking.services import cycle_create, cycle_touch, status_add
from darkroom.tracking.services import record_start, status_change

closed, entered = {closed!r}, {entered!r}
manager = user_create(username="manager", password="correct-horse-battery", role="manager")
desk = user_create(username="desk", password="correct-horse-battery", role="staff")
closure_add(first_date=dt.date.fromisoformat(closed), label="Inventory")
album = ProductionOrderType.objects.create(name="Album", position=1)
cycle = cycle_create(kind="production", name="Album orders", order_type=album)
ordered = status_add(cycle=cycle, description="Ordered", default_duration=0)
lab = status_add(cycle=cycle, description="At the lab", default_duration=1)
status_add(cycle=cycle, description="Picked up", is_final=True)
Trigger.objects.create(
    name="Is the album back?", cycle=cycle, status=lab, when="after_due", days=1,
    action="call", task_subject="Ask the lab about {{client_name}}'s album", task_user=desk,
    processing="automatic", active_since=timezone.now(), created_by=manager,
)
cycle_touch(cycle_id=cycle.pk)
vendor = Vendor.objects.create(name="Miller Lab")
for n, day in enumerate(entered):
    day = dt.date.fromisoformat(day)
    client = Client.objects.create(first_name="Client", last_name=str(n), phone="555-0100")
    invoice = Invoice.objects.create(client=client, invoice_date=day)
    order = ProductionOrder.objects.create(
        invoice=invoice, client=client, vendor=vendor, order_type=album, order_date=day,
        entered_by=manager,
    )
    record_start(record=order, started_on=day, by=desk)
    order.refresh_from_db()
    status_change(record=order, expected_version=order.version, updated_by=desk, to_status=lab,
                  date_completed=day)
"""


def firings(database: WorkerDatabase) -> list[tuple[str, str, str]]:
    rows = database.rows(
        "SELECT c.last_name, f.due_on, f.state FROM messaging_firing f "
        "JOIN production_productionorder o ON o.id = f.object_id "
        "JOIN clients_client c ON c.id = o.client_id ORDER BY c.last_name"
    )
    return [(name, str(due), state) for name, due, state in rows]


def test_a_worker_back_after_a_long_weekend_fires_every_missed_firing_once(database, run_darkroom):
    today = dt.date.today()
    # The Friday of the week before last: the worker stopped that morning.
    friday = today - dt.timedelta(days=today.weekday() + 10)
    closed = {friday + dt.timedelta(days=3)}  # the Monday after
    missed = [friday, weekday_after(friday, 1, closed), weekday_after(friday, 2, closed)]
    assert [day.weekday() for day in missed] == [4, 1, 2]  # Friday, Tuesday, Wednesday
    # An order enters "At the lab" (one business day) two business days before its firing.
    entered = [weekday_before(day, 2, closed) for day in missed] + [today]
    database.python(SETUP.format(closed=str(min(closed)), entered=[str(d) for d in entered]))

    planned = firings(database)
    assert [(due, state) for _, due, state in planned[:3]] == [
        (str(day), "scheduled") for day in missed
    ]
    future = weekday_after(today, 2, closed)
    assert planned[3][1:] == (str(future), "scheduled")

    for _ in range(2):  # the worker comes back; then a second one runs as well
        done = run_darkroom(database.data_dir, "worker", "--batch", "--no-startup-delay",
                            **({"DATABASE_URL": database.url} if database.url else {}))  # fmt: skip
        assert done.returncode == 0, done.stderr

    assert [state for _, _, state in firings(database)] == [
        "processed",
        "processed",
        "processed",
        "scheduled",
    ]
    calls = database.rows(
        "SELECT subject, kind FROM todos_task WHERE kind = 'call' ORDER BY subject"
    )
    assert calls == [(f"Ask the lab about Client {n}'s album", "call") for n in range(3)]
