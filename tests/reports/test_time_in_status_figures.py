"""The time-in-status report's figures against an independent computation over the raw rows.

The summary the report reads is kept by a database trigger on the status history; these tests
write history the ways the studio does — the status-change service (with a closure, a rework,
a reorder, an order without amounts), notes written straight into the table (random steps,
days, planned durations, months around the range's edges, notes of other kinds that must not
count), the large-studio generator's bulk load — and compare every figure with the same
question answered here in Python over the notes themselves: steps left per status in the
range's whole months, their days' median and 90th percentile by nearest rank (sorted list,
the value at rank ⌈p·N/100⌉), the share over plan, and the open records overdue by the hub's
rule (``tracking.standing.standings``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.production.models import ProductionOrder
from darkroom.reports.models import StepsLeft
from darkroom.reports.selectors.time_in_status import (
    TimeInStatusFilter,
    nearest_rank,
    time_in_status,
)
from darkroom.reports.steps_left import TRIGGER, fill_sql
from darkroom.sample_data.scale import seed_scale
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import NoteKind, Status, StatusNote
from darkroom.tracking.services import status_change
from darkroom.tracking.standing import standings
from darkroom.triggers_set_aside import trigger_definition
from tests.factories import (
    ProductionOrderFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

START, END = dt.date(2026, 2, 14), dt.date(2026, 4, 3)  # read as February – April


def percentile(values: list[int], percent: int) -> int | None:
    """Nearest rank over the sorted values themselves (not a histogram)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(percent * len(ordered) / 100) - 1]


def oracle(f: TimeInStatusFilter, statuses, *, today: dt.date) -> dict[int, tuple]:
    """Per status: (passed, median, p90, over plan, open over plan), from the raw rows."""
    order_ct = ContentType.objects.get_for_model(ProductionOrder)
    orders = {o.pk: o for o in ProductionOrder.objects.all()}
    days: dict[int, list[int]] = defaultdict(list)
    over: Counter[int] = Counter()
    first = f.start.replace(day=1)
    for note in StatusNote.objects.filter(kind=NoteKind.CHANGE, from_status__in=statuses):
        if note.business_days_taken is None:
            continue
        if not (first <= note.date_completed and note.date_completed.replace(day=1) <= f.end):
            continue
        order = orders.get(note.object_id) if note.content_type_id == order_ct.pk else None
        if f.vendor is not None and (order is None or order.vendor_id != f.vendor):
            continue
        if f.order_type is not None and (order is None or order.order_type_id != f.order_type):
            continue
        days[note.from_status_id].append(note.business_days_taken)
        planned = note.planned_duration
        over[note.from_status_id] += planned is not None and note.business_days_taken > planned
    open_orders = list(ProductionOrder.objects.select_related("status").filter(status__in=statuses))
    late: Counter[int] = Counter()
    for order, standing in zip(open_orders, standings(open_orders, today=today), strict=True):
        if standing.overdue and (f.vendor is None or order.vendor_id == f.vendor):
            late[order.status_id] += 1
    return {
        s.pk: (
            len(days[s.pk]),
            percentile(days[s.pk], 50),
            percentile(days[s.pk], 90),
            over[s.pk],
            late[s.pk],
        )
        for s in statuses
    }


def figures(report) -> dict[int, tuple]:
    return {
        s.status_id: (s.passed, s.median, s.p90, s.over_plan, s.open_over_plan)
        for s in report.statuses
    }


def summary_counted_again() -> set[tuple]:
    """The summary as the migration's INSERT … SELECT … GROUP BY counts it from the notes."""
    with transaction.atomic():
        kept = set(StepsLeft.objects.values_list(*KEY, "passed", "over_plan"))
        StepsLeft.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(fill_sql(connection.vendor))
        again = set(StepsLeft.objects.values_list(*KEY, "passed", "over_plan"))
        transaction.set_rollback(True)
    assert kept == again
    return again


KEY = ("status_id", "month", "order_type_id", "vendor_id", "days")


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [
        ([], None, None),
        ([(3, 1)], 3, 3),
        ([(1, 1), (4, 1)], 1, 4),  # even count: the lower middle
        ([(0, 5), (2, 4), (9, 1)], 0, 2),
        ([(0, 5), (2, 4), (9, 2)], 2, 9),
    ],
)
def test_nearest_rank_on_a_histogram(histogram, median, p90):
    values = [days for days, count in histogram for _ in range(count)]
    assert nearest_rank(histogram, 50) == median == percentile(values, 50)
    assert nearest_rank(histogram, 90) == p90 == percentile(values, 90)


note_spec = st.tuples(
    st.integers(0, 2),  # the status left
    st.integers(0, 3),  # the order
    st.integers(-40, 100),  # the day, after START - 20 (both months' edges and beyond)
    st.integers(0, 12),  # business days taken
    st.one_of(st.none(), st.integers(0, 6)),  # planned then (none: no plan recorded)
    st.sampled_from(["change", "change", "change", "recompute", "due"]),
    st.booleans(),  # the days recorded (a note from an old import may have none)
)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(note_spec, max_size=25),
    vendor=st.one_of(st.none(), st.integers(0, 1)),
    late=st.lists(st.integers(-5, 5), max_size=4),
)
def test_the_figures_match_an_independent_computation(specs, vendor, late):
    with transaction.atomic():
        prints = cycle_with_statuses(steps=(("Ordered", 1), ("At the lab", 3), ("Retouch", 2)))
        steps = prints.statuses
        vendors = [VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")]
        orders = [
            ProductionOrderFactory(order_type=prints.order_type, vendor=vendors[i % 2])
            for i in range(4)
        ]
        order_ct = ContentType.objects.get_for_model(ProductionOrder)
        now = timezone.now()
        for status, order, day, taken, planned, kind, recorded in specs:
            StatusNote.objects.create(
                content_type=order_ct,
                object_id=orders[order].pk,
                kind=kind,
                from_status=steps[status],
                to_status=steps[(status + 1) % 4],
                date_completed=START + dt.timedelta(days=day - 20),
                changed_at=now,
                business_days_taken=taken if recorded else None,
                planned_duration=planned,
            )
        today = studio_preferences().today()
        for index, offset in enumerate(late):  # open orders, due around today
            ProductionOrder.objects.filter(pk=orders[index].pk).update(
                status=steps[index % 3], status_due_date=today + dt.timedelta(days=offset)
            )
        f = TimeInStatusFilter(
            cycle=prints.cycle.pk,
            start=START,
            end=END,
            vendor=None if vendor is None else vendors[vendor].pk,
        )
        report = time_in_status(f, today=today)
        want = oracle(f, steps, today=today)
        shown = figures(report)
        for status in steps[:3]:  # every open step shows, with figures or none
            assert shown[status.pk] == want[status.pk]
        assert steps[3].pk not in shown or shown[steps[3].pk] == want[steps[3].pk]
        assert report.passed == sum(w[0] for w in want.values())
        summary_counted_again()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_changes_through_the_service_closures_reworks_and_reorders():
    """Real status changes: a closure inside a step (not a business day), a step left twice (a
    rework counts twice), a reorder of the same type, an order without amounts; another
    vendor's orders and a proof order beside them."""
    today = studio_preferences().today()
    monday = today - dt.timedelta(days=today.weekday() + 28)  # four weeks ago, a Monday
    prints = cycle_with_statuses(steps=(("Ordered", 1), ("At the lab", 3), ("Retouch", 2)))
    ordered, lab, retouch, done = prints.statuses
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")
    person = UserFactory()
    closure_add(first_date=monday + dt.timedelta(days=2), label="Inventory")  # a Wednesday

    def move(order, to, on):
        order.refresh_from_db()
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=person,
            to_status=to,
            date_completed=on,
        )

    first = started_production_order(status=ordered, vendor=bay, started_on=monday)
    move(first, lab, monday + dt.timedelta(days=1))
    move(first, retouch, monday + dt.timedelta(days=7))  # at the lab across the closure
    move(first, lab, monday + dt.timedelta(days=8))  # back to the lab: a rework
    move(first, retouch, monday + dt.timedelta(days=14))
    move(first, done, monday + dt.timedelta(days=15))
    redo = started_production_order(
        status=ordered,
        vendor=bay,
        started_on=monday,
        reorder_of=first,
        vendor_invoice_amount=None,
    )
    move(redo, lab, monday + dt.timedelta(days=3))
    other = started_production_order(status=ordered, vendor=miller, started_on=monday)
    move(other, lab, monday + dt.timedelta(days=1))  # open at the lab, due long ago
    from tests.factories import started_proof_order

    started_proof_order(vendor=bay)  # another cycle's history: never counted here

    lab_left = list(
        StatusNote.objects.filter(from_status=lab, kind=NoteKind.CHANGE).values_list(
            "business_days_taken", flat=True
        )
    )
    # Tuesday to Monday, twice: four business days, three when the Wednesday was closed.
    assert sorted(lab_left) == [3, 4]
    for vendor in (None, bay.pk, miller.pk):
        f = TimeInStatusFilter(cycle=prints.cycle.pk, start=monday, end=today, vendor=vendor)
        report = time_in_status(f, today=today)
        assert figures(report) == {
            k: v for k, v in oracle(f, prints.statuses, today=today).items() if k != done.pk
        }
    whole = figures(time_in_status(TimeInStatusFilter(prints.cycle.pk, monday, today), today=today))
    assert whole[lab.pk][0] == 2 and whole[ordered.pk][0] == 3
    assert whole[lab.pk][4] == 2  # the reorder and Miller's order: open at the lab, overdue
    summary_counted_again()


@pytest.mark.django_db
def test_the_vendor_is_the_one_that_held_the_order_when_the_step_was_left():
    today = studio_preferences().today()
    prints = cycle_with_statuses(steps=(("Ordered", 1), ("At the lab", 3)))
    ordered, lab, done = prints.statuses
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")
    person = UserFactory()
    order = started_production_order(
        status=ordered, vendor=bay, started_on=today - dt.timedelta(days=10)
    )
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=person,
        to_status=lab,
        date_completed=today - dt.timedelta(days=8),
    )
    ProductionOrder.objects.filter(pk=order.pk).update(vendor=miller)  # sent to another lab
    order.refresh_from_db()
    status_change(record=order, expected_version=order.version, updated_by=person, to_status=done)
    year = TimeInStatusFilter(prints.cycle.pk, today - dt.timedelta(days=300), today)
    at_bay = figures(
        time_in_status(TimeInStatusFilter(**{**year.__dict__, "vendor": bay.pk}), today=today)
    )
    at_miller = figures(
        time_in_status(TimeInStatusFilter(**{**year.__dict__, "vendor": miller.pk}), today=today)
    )
    assert (at_bay[ordered.pk][0], at_bay[lab.pk][0]) == (1, 0)
    assert (at_miller[ordered.pk][0], at_miller[lab.pk][0]) == (0, 1)


@pytest.mark.django_db
def test_an_empty_range_and_a_cycle_without_history_answer_nothing():
    prints = cycle_with_statuses()
    report = time_in_status(
        TimeInStatusFilter(prints.cycle.pk, dt.date(2001, 1, 1), dt.date(2001, 3, 1)),
        today=studio_preferences().today(),
    )
    assert report.empty and report.passed == 0
    assert [s.status for s in report.statuses] == ["Ordered", "At the lab"]  # not the final
    assert all(s.median is None and s.share_over_plan is None for s in report.statuses)


@pytest.mark.django_db
def test_the_large_studios_bulk_load_fills_the_summary():
    """The generator writes notes in bulk (COPY on PostgreSQL) with the trigger set aside and
    counts the summary after: it holds what the trigger would have, and the trigger is back
    (a change after the load is counted)."""
    seed_scale(orders=200, seed=5)
    assert StepsLeft.objects.exists()
    summary_counted_again()
    with connection.cursor() as cursor:
        assert trigger_definition(cursor, TRIGGER) is not None
    order = ProductionOrder.objects.filter(completed_date__isnull=True).first()
    left = order.status_id
    before = StepsLeft.objects.filter(status_id=left).aggregate(n=Sum("passed"))["n"]
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=UserFactory(),
        to_status=Status.objects.filter(cycle_id=order.status.cycle_id, is_final=True).get(),
    )
    after = StepsLeft.objects.filter(status_id=left).aggregate(n=Sum("passed"))["n"]
    assert after == (before or 0) + 1
    summary_counted_again()
    today = studio_preferences().today()
    for cycle_id in {
        o.status.cycle_id for o in ProductionOrder.objects.select_related("status")[:50]
    }:
        f = TimeInStatusFilter(cycle_id, today - dt.timedelta(days=365 * 3), today)
        statuses = list(Status.objects.filter(cycle_id=cycle_id))
        shown = figures(time_in_status(f, today=today))
        want = oracle(f, statuses, today=today)
        assert shown == {k: v for k, v in want.items() if k in shown}
        assert sum(v[0] for v in shown.values()) == sum(v[0] for v in want.values())
