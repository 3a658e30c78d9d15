"""Benchmark what triggers cost the status engine, and what the dry run costs the review pages.

Why: every status change now tells the trigger planner, which writes the firings of the
triggers watching the status entered in the change's own transaction. The studio's most
frequent write must not slow down because a studio uses triggers, and the dry run ("what will
tomorrow do") is read on a page, over every waiting firing of a large studio.

Three measurements, on throwaway databases (SQLite, and PostgreSQL when it is reachable: see
``throwaway.py``):

* **single changes**: the workload of ``bench_status_change`` (RECORDS sessions, one change each
  per run, each its own transaction) on two session cycles alike but for their triggers: every
  status of one is watched by five active triggers (two on entering, one for review and one
  automatic; three timed, after and before the due date), the other by none. Runs alternate
  with triggers, without, and the raw-SQL floor of the same write (UPDATE + INSERT); figures
  are the medians of REPEATS runs each. Target: with triggers within 15 % of without.
* **bulk**: ``status_change_bulk`` advancing BULK_RECORDS production orders, every status of
  their cycles watched by five triggers. Target: at most BULK_TARGET_SECONDS on SQLite.
* **dry run**: DRY_RUN_RECORDS open production orders, each with a scheduled timed firing
  spread over the DRY_RUN_DAYS business days from the last one before today (one day of
  catch-up), and ``dry_run(day=tomorrow)``: every firing due by then, planned (recipient,
  rendered words). Target: at most DRY_RUN_TARGET_SECONDS on SQLite.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from typing import Any

import started_orders
import throwaway

# A run: as bench_status_change, each change its own transaction.
RECORDS = throwaway.size(200, smoke=4)
# Alternated runs of each side, each on a batch of RECORDS records of its own.
REPEATS = throwaway.size(7, smoke=1)
SINGLE_TARGET = 0.15  # triggers may cost at most this much of a change

BULK_RECORDS = throwaway.size(10_000, smoke=30)
BULK_REPEATS = throwaway.size(3, smoke=1)
BULK_TARGET_SECONDS = 5.0
BULK_CYCLES = {
    "Lab prints": [1, 2, 1, 3, 0],
    "Albums": [2, 5, 3, 8, 2, 0],
    "Canvas wraps": [1, 3, 4, 2, 2, 1, 0],
}

DRY_RUN_RECORDS = throwaway.size(50_000, smoke=120)
DRY_RUN_DAYS = 60
DRY_RUN_REPEATS = throwaway.size(3, smoke=1)
DRY_RUN_TARGET_SECONDS = 1.0


# -- the triggers ---------------------------------------------------------------------------------


def _templates() -> dict[str, Any]:
    from darkroom.messaging.models import MessageTemplate

    return {
        "email": MessageTemplate.objects.create(
            name="Bench ready",
            channel="email",
            subject="Your {order_type} is ready, {client_first_name}",
            body="Hello {client_name}, order {order_number} is ready at {studio_name}. "
            "Due {due_date}.",
        ),
        "sms": MessageTemplate.objects.create(
            name="Bench reminder",
            channel="sms",
            body="{client_first_name}, your {order_type} from {studio_name} is due {due_date}.",
        ),
    }


def five_triggers(status: Any, templates: dict[str, Any], person: Any) -> None:
    """Five active triggers on ``status``: on entering (one for review, one automatic), and
    three timed (after and before the due date)."""
    from django.utils import timezone

    from darkroom.messaging.models import Trigger
    from darkroom.tracking.services import cycle_touch

    since = timezone.now() - dt.timedelta(days=1)
    common = {"cycle_id": status.cycle_id, "status": status, "active_since": since}
    rows = [
        dict(name="Ready email", when="entered", action="email", template=templates["email"],
             processing="review"),
        dict(name="Pack it", when="entered", action="task", task_subject="Pack {client_name}",
             task_user=person, processing="automatic"),
        dict(name="Chase", when="after_due", days=3, action="call", task_user=person,
             processing="automatic"),
        dict(name="Remind", when="before_due", days=1, action="sms_else_email",
             template=templates["sms"], fallback_template=templates["email"],
             processing="automatic"),
        dict(name="On the day", when="after_due", days=0, action="email_else_call",
             template=templates["email"], task_user=person, processing="review"),
    ]  # fmt: skip
    Trigger.objects.bulk_create(Trigger(**common, **row, created_by=person) for row in rows)
    cycle_touch(cycle_id=status.cycle_id)


# -- single changes -------------------------------------------------------------------------------


def _sessions(count: int, person: Any, kind: Any) -> list:
    """``count`` sessions of ``kind``, started in its cycle's initial status today (setup: one
    call of the service that starts many records at once)."""
    from darkroom.clients.models import Client, Session
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.services import records_create_started

    client = Client.objects.create(
        first_name="Bench",
        last_name="Client",
        email="bench@example.com",
        mobile="(847) 555-0150",
        sms_consent=True,
    )
    today = studio_preferences().today()
    records = [Session(client=client, session_type=kind, date=today) for _ in range(count)]
    records_create_started(records=records, started_on=today, by=person)
    return records


def _raw_change(records: list, person: Any, cycle: Any) -> Callable[[], None]:
    """The floor of a batch of changes: per record, the version-checked UPDATE and the INSERT
    of its history row, one transaction each, through the driver cursor (as bench_status_change
    measures it)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone

    from darkroom.clients.models import Session
    from darkroom.studio.calendar.cache import studio_calendar
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import StatusNote

    current, target = list(cycle.statuses.order_by("position", "id"))[:2]
    today = studio_preferences().today()
    due = studio_calendar().due(today, target.default_duration)
    content_type = ContentType.objects.get_for_model(Session).pk
    q = connection.ops.quote_name
    update = (
        f"UPDATE {q(Session._meta.db_table)} SET status_id = %s, status_entered_on = %s, "
        "status_due_date = %s, status_due_overridden = %s, status_department_id = NULL, "
        "status_user_id = NULL, status_changed_at = %s, version = version + 1 "
        "WHERE id = %s AND version = %s"
    )
    insert = (
        f"INSERT INTO {q(StatusNote._meta.db_table)} (content_type_id, object_id, "
        "from_status_id, to_status_id, date_completed, not_complete, due_date, due_overridden, "
        "updated_by_id, department_id, user_id, note, changed_at, business_days_taken, "
        "planned_duration, kind) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, NULL, '', %s, 0, %s, 'change')"
    )

    def run() -> None:
        for record in records:
            now = timezone.now()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(update, [target.pk, today, due, False, now, record.pk, 2])
                if cursor.rowcount != 1:
                    raise RuntimeError("the floor lost its record")
                cursor.execute(
                    insert,
                    [content_type, record.pk, current.pk, target.pk, today, False, due, False,
                     person.pk, now, current.default_duration],
                )  # fmt: skip

    return run


def single_changes(person: Any) -> None:
    from darkroom.clients.models import Session, SessionType
    from darkroom.messaging.models import Firing
    from darkroom.studio.services import studio_preferences_update
    from darkroom.tracking.models import CycleKind
    from darkroom.tracking.services import cycle_create, status_add, status_change

    # Sessions follow their type's cycle: one type watched, one not, one for the floor. Each
    # run moves a batch of its own from the initial status (watched by nothing) into the next.
    studio_preferences_update(statuses_by_session_type=True)
    templates = _templates()
    cycles = {}
    for label in ("watched", "plain", "floor"):
        kind = SessionType.objects.create(name=f"Bench {label}")
        cycle = cycle_create(kind=CycleKind.SESSION, name=f"Bench {label}", session_type=kind)
        status_add(cycle=cycle, description="Booked", default_duration=1)
        entered = status_add(cycle=cycle, description="Shot", default_duration=5)
        status_add(cycle=cycle, description="Delivered", is_final=True)
        if label == "watched":
            five_triggers(entered, templates, person)
        cycles[label] = (kind, cycle, entered)
    batches = {
        label: [_sessions(RECORDS, person, kind) for _ in range(REPEATS)]
        for label, (kind, _, _) in cycles.items()
    }

    def through_the_service(records: list) -> Callable[[], None]:
        def run() -> None:
            for record in records:
                status_change(record=record, expected_version=record.version, updated_by=person)

        return run

    seconds: dict[str, list[float]] = {label: [] for label in cycles}
    for index in range(REPEATS):  # alternated: no side has the machine's quiet moments alone
        for label in cycles:
            batch = batches[label][index]
            run = (
                _raw_change(batch, person, cycles[label][1])
                if label == "floor"
                else through_the_service(batch)
            )
            seconds[label].extend(throwaway.time_runs(run, repeats=1).seconds)

    # Untimed: every record of every side moved once; the watched side planned five firings a
    # change, the other sides none.
    for label, (_, _, entered) in cycles.items():
        pks = [r.pk for batch in batches[label] for r in batch]
        rows = Session.objects.filter(pk__in=pks).values_list("status_id", "version")
        assert set(rows) == {(entered.pk, 3)}, label
    assert Firing.objects.filter(trigger__cycle=cycles["watched"][1]).count() == (
        RECORDS * REPEATS * 5
    )
    assert Firing.objects.count() == RECORDS * REPEATS * 5

    medians = {label: statistics.median(values) for label, values in seconds.items()}
    rates = {label: RECORDS / median for label, median in medians.items()}
    print(
        f"{throwaway.engine()}: {RECORDS} sessions a run, each one change in its own "
        f"transaction, sides alternated, median of {REPEATS}"
    )
    labels = {
        "watched": "status_change into a status five triggers watch",
        "plain": "status_change into a status no trigger watches",
        "floor": "raw SQL floor (UPDATE + INSERT, one transaction per change)",
    }
    for label, text in labels.items():
        ratio = rates[label] / rates["floor"]
        print(f"  {text:<62} {rates[label]:>7,.0f} changes/s  ({ratio:.2f} of the floor)")
    cost = medians["watched"] / medians["plain"] - 1
    verdict = "met" if cost <= SINGLE_TARGET else "MISSED"
    target = f"target <= {SINGLE_TARGET:.0%}: {verdict}"
    if throwaway.SMOKE:
        target = "smoke run: too small to compare"
    print(f"  -> five triggers cost {cost:+.1%} of a change ({target})")


# -- bulk -----------------------------------------------------------------------------------------


def bulk_change(person: Any) -> None:
    from django.db import connection

    from darkroom.messaging.models import Firing
    from darkroom.production.models import ProductionOrder
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.tracking.services import BulkItem, status_change_bulk

    templates = _templates_once()
    labs = _labs()
    today = calendar_now().today
    # The same cycles twice over: one set of order types watched on every status, one not.
    watched = started_orders.order_types(
        {f"{name} (watched)": d for name, d in BULK_CYCLES.items()}
    )
    plain = started_orders.order_types(BULK_CYCLES)
    for kind in watched:
        for status in kind.steps[1:]:
            five_triggers(status, templates, person)
    ids = {
        label: started_orders.started_orders(
            count=BULK_RECORDS, kinds=kinds, labs=labs, person=person, started_on=[today]
        )
        for label, kinds in (("watched", watched), ("plain", plain))
    }
    seconds: dict[str, list[float]] = {label: [] for label in ids}
    for run in range(BULK_REPEATS):  # alternated
        for label, pks in ids.items():
            items = [BulkItem(id=pk, expected_version=2 + run) for pk in pks]
            runs = throwaway.time_runs(
                lambda items=items: status_change_bulk(
                    model=ProductionOrder, items=items, updated_by=person
                ),
                repeats=1,
            )
            assert all(outcome.ok for outcome in runs.results[0])
            seconds[label].extend(runs.seconds)
    # Untimed: five firings a record a run on the watched side, none on the other.
    orders = Firing.objects.filter(content_type__model="productionorder")
    sample = ids["watched"][:900]
    assert orders.filter(object_id__in=sample).count() == len(sample) * BULK_REPEATS * 5
    assert not orders.filter(object_id__in=ids["plain"][:900]).exists()

    print(
        f"{throwaway.engine()}: {BULK_RECORDS:,} production orders a side in one call, "
        f"{len(watched)} order types' cycles, sides alternated, median of {BULK_REPEATS}"
    )
    for label, text in (
        ("watched", "status_change_bulk, five triggers on every status entered"),
        ("plain", "status_change_bulk, no trigger"),
    ):
        median = statistics.median(seconds[label])
        within = median <= BULK_TARGET_SECONDS
        if throwaway.SMOKE:
            target = "smoke run: too small to compare"
        elif connection.vendor == "sqlite":
            target = f"target <= {BULK_TARGET_SECONDS:g} s: {'met' if within else 'MISSED'}"
        else:
            target = f"SQLite's target <= {BULK_TARGET_SECONDS:g} s: " + (
                "within" if within else "beyond"
            )
        if label == "plain":
            target = "for comparison"
        print(f"  {text:<62} {BULK_RECORDS / median:>7,.0f} records/s  {median:5.2f} s  ({target})")
    walls = ", ".join(f"{s:.2f}" for s in seconds["watched"])
    print(f"  runs with triggers: {walls} s")


def _labs() -> list[Any]:
    """The benchmark's four vendors, made the first time."""
    from darkroom.catalog.models import Vendor

    return list(Vendor.objects.filter(name__startswith="Bench lab ")) or started_orders.vendors(4)


def _templates_once() -> dict[str, Any]:
    from darkroom.messaging.models import MessageTemplate

    found = {t.channel: t for t in MessageTemplate.objects.filter(name__startswith="Bench ")}
    return found or _templates()


# -- the dry run ----------------------------------------------------------------------------------


def dry_run_measure(person: Any) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from darkroom.clients.models import Client
    from darkroom.messaging.models import Firing, Trigger
    from darkroom.messaging.selectors import dry_run
    from darkroom.production.models import ProductionOrder
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.studio.models import Department
    from darkroom.tracking.services import cycle_touch

    # The firings of the measurements before were acted on by now: the dry run reads its own.
    Firing.objects.update(state="processed")
    templates = _templates_once()
    kinds = started_orders.order_types(
        {"Dry prints": [5, 1, 0], "Dry albums": [8, 2, 0], "Dry canvas": [6, 1, 0]}
    )
    labs = _labs()
    clock = calendar_now()
    today = clock.today
    ids = started_orders.started_orders(
        count=DRY_RUN_RECORDS, kinds=kinds, labs=labs, person=person, started_on=[today]
    )
    front = Department.objects.create(name="Bench front desk")
    front.members.add(person)
    # The orders' client (one, as started_orders makes them) can take every channel.
    Client.objects.filter(production_orders__pk=ids[0]).update(
        email="bench@example.com", mobile="(847) 555-0150", sms_consent=True
    )
    since = timezone.now() - dt.timedelta(days=1)
    actions = [
        dict(action="email", template=templates["email"], processing="review"),
        dict(action="sms_else_email", template=templates["sms"],
             fallback_template=templates["email"], processing="automatic"),
        dict(action="call", task_user=person, task_department=front, processing="automatic"),
        dict(action="task", task_subject="Check {order_number}", task_department=front,
             processing="automatic"),
        dict(action="email", recipient="fixed", fixed_to="lab-desk@example.com",
             template=templates["email"], processing="automatic"),
    ]  # fmt: skip
    triggers: list[Trigger] = []
    for kind in kinds:
        for number, fields in enumerate(actions):
            triggers.append(
                Trigger.objects.create(
                    name=f"{kind.name} {number}",
                    cycle_id=kind.steps[0].cycle_id,
                    status=kind.steps[0],
                    when="after_due",
                    days=number,
                    active_since=since,
                    created_by=person,
                    **fields,
                )
            )
        cycle_touch(cycle_id=kind.steps[0].cycle_id)
    by_kind = {kind.pk: [t for t in triggers if t.status_id == kind.steps[0].pk] for kind in kinds}
    first = clock.calendar.subtract(today, 1)
    days = [first] + [clock.calendar.due(first, n) for n in range(1, DRY_RUN_DAYS)]
    content_type = ContentType.objects.get_for_model(ProductionOrder).pk
    orders = ProductionOrder.objects.filter(pk__in=ids).values_list(
        "pk", "order_type_id", "version", "status_changed_at"
    )
    rows = [
        {
            "trigger_id": by_kind[kind][index // DRY_RUN_DAYS % 5].pk,
            "content_type_id": content_type,
            "object_id": pk,
            "stay": version,
            "stay_started_at": changed_at,
            "due_on": days[index % DRY_RUN_DAYS],
            "state": "scheduled",
            "created_at": changed_at,
        }
        for index, (pk, kind, version, changed_at) in enumerate(orders.iterator(chunk_size=5000))
    ]
    started_orders._insert(Firing, rows)
    tomorrow = today + dt.timedelta(days=1)
    expected = sum(1 for row in rows if row["due_on"] <= tomorrow)

    runs = throwaway.time_runs(lambda: dry_run(day=tomorrow), repeats=DRY_RUN_REPEATS)
    items = runs.results[0]
    assert len(items) == expected, (len(items), expected)
    acting = [item for item in items if item.plan is not None and not item.plan.suppressed]
    assert len(acting) == len(items), [i.note or i.plan.suppressed for i in items[:5]]
    print(
        f"{throwaway.engine()}: {DRY_RUN_RECORDS:,} open orders, a scheduled firing each over "
        f"{DRY_RUN_DAYS} business days, median of {DRY_RUN_REPEATS}"
    )
    throwaway.report(
        f"dry_run(day=tomorrow): {len(items):,} items planned and rendered",
        records=len(items),
        runs=runs,
        target_seconds=DRY_RUN_TARGET_SECONDS,
    )


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from darkroom.studio.services import user_create

    person = user_create(
        username="bench",
        password="correct-horse-battery",
        role="staff",
        email="bench.person@example.com",
    )
    single_changes(person)
    bulk_change(person)
    dry_run_measure(person)


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=1500)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
