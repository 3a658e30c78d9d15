"""The vendor performance report's figures against an independent count of the raw rows.

The history is made by the status-change service itself (so the lateness it writes, the
triggers and the summary they keep are what is under test), at two vendors, one with closures
of its own, in a studio with a closure too: random orders go through random steps on random
days, forwards and back (rework: a step left and entered again), some to the final status and
some reopened after it, some with a due date moved by hand, some with a promised date and some
reorders (a reason chargeable, the vendor's fault or none; a cost or none). The test then asks
for a random range and vendor and counts everything again here over the raw history rows and
orders: lateness with numpy's business-day functions (not the studio's calendar), the due date
a step had from the history row before its change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.production.models import ProductionOrder
from darkroom.reports import vendor_steps
from darkroom.reports.models import VendorStepDay
from darkroom.reports.selectors.reorders import months_of
from darkroom.reports.selectors.vendor_performance import (
    VendorPerformanceFilter,
    average,
    percent,
    vendor_performance,
)
from darkroom.studio.calendar.writes import closure_add
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import status_change, status_due_date_set
from tests.factories import (
    InvoiceFactory,
    ReorderReasonFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

START = dt.date(2026, 3, 2)  # a Monday
STUDIO_CLOSED = [dt.date(2026, 3, 13)]  # a Friday
VENDOR_CLOSED = [dt.date(2026, 3, 9) + dt.timedelta(days=i) for i in range(3)]  # Mon–Wed
TODAY = dt.date(2026, 6, 30)

# An order: vendor, start day, promised (days after start, or none), reorder (reason or none),
# its moves: (target step, days after the previous move, a due date moved by hand first).
move = st.tuples(st.integers(0, 4), st.integers(0, 6), st.booleans())
order_spec = st.tuples(
    st.integers(0, 1),
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 40)),
    st.one_of(st.none(), st.integers(0, 2)),
    st.lists(move, min_size=0, max_size=6),
)


def _studio():
    vendors = [VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")]
    for day in STUDIO_CLOSED:
        closure_add(first_date=day, label="Studio closed")
    closure_add(
        first_date=VENDOR_CLOSED[0], last_date=VENDOR_CLOSED[-1], label="Lab", vendor=vendors[1]
    )
    prints = cycle_with_statuses(
        steps=[("Ordered", 1), ("Printing", 2), ("QA", 1), ("Packing", 0)], final="Shipped"
    )
    reasons = [
        ReorderReasonFactory(description="Client changed crop"),
        ReorderReasonFactory(description="Colour shift", is_non_chargeable=True),
    ]
    return vendors, prints, reasons


def _make(specs, vendors, prints, reasons, by):
    first = None
    for vendor_at, start, promised, reorder, moves in specs:
        placed = START + dt.timedelta(days=start)
        invoice = InvoiceFactory(
            approximate_delivery_date=None
            if promised is None
            else placed + dt.timedelta(days=promised)
        )
        fields = {}
        if reorder is not None and first is not None:
            fields = {
                "reorder_of": first,
                "reorder_reason": reasons[reorder] if reorder < 2 else None,
                "vendor_invoice_amount": None if reorder == 0 else Decimal("12.50"),
            }
        order = started_production_order(
            order_type=prints.order_type,
            vendor=vendors[vendor_at],
            invoice=invoice,
            order_date=placed,
            started_on=placed,
            by=by,
            **fields,
        )
        first = first or order
        day = placed
        for target, gap, moved_by_hand in moves:
            order.refresh_from_db()
            day = min(day + dt.timedelta(days=gap), TODAY)
            to = prints.statuses[target]
            if to.pk == order.status_id:
                continue
            if moved_by_hand and not order.status.is_final and order.status_due_date is not None:
                new_due = order.status_entered_on + dt.timedelta(days=gap + 1)
                if new_due != order.status_due_date:
                    status_due_date_set(
                        record=order,
                        expected_version=order.version,
                        due_date=new_due,
                        updated_by=by,
                    )
                    order.refresh_from_db()
            status_change(
                record=order,
                expected_version=order.version,
                updated_by=by,
                to_status=to,
                date_completed=day,
            )


def _late(due, left, vendor_id, vendors):
    """How late a step due on ``due`` was left on ``left``: numpy's count of business days in
    (due, left], at least one when left after it; minus the count in (left, due] when not."""
    holidays = [*STUDIO_CLOSED, *(VENDOR_CLOSED if vendor_id == vendors[1].pk else [])]
    if left > due:
        count = np.busday_count(
            due + dt.timedelta(days=1), left + dt.timedelta(days=1), holidays=holidays
        )
        return max(1, int(count))
    return -int(
        np.busday_count(left + dt.timedelta(days=1), due + dt.timedelta(days=1), holidays=holidays)
    )


def _oracle(f, vendors):
    """Every figure, counted here over the raw history rows and orders."""
    order_type = ContentType.objects.get_for_model(ProductionOrder)
    orders = {o.pk: o for o in ProductionOrder.objects.all()}
    figures = defaultdict(lambda: defaultdict(int))  # (vendor, month) -> name -> number
    due_before: dict[int, dt.date | None] = {}
    notes = StatusNote.objects.filter(content_type=order_type).order_by("changed_at", "id")
    for note in notes:
        if note.kind == NoteKind.DETAILS:
            continue
        order = orders[note.object_id]
        counted = note.kind == NoteKind.CHANGE and f.start <= note.date_completed <= f.end
        if counted and f.vendor in (None, order.vendor_id):
            cell = figures[(order.vendor_id, note.date_completed.replace(day=1))]
            cell["steps"] += 1
            due = due_before.get(order.pk)
            if due is not None:
                cell["due_steps"] += 1
                late = _late(due, note.date_completed, order.vendor_id, vendors)
                assert late == note.business_days_late
                if note.date_completed <= due:
                    cell["on_time"] += 1
                else:
                    cell["late"] += 1
                    cell["late_days"] += late
        due_before[order.pk] = note.due_date
    reorders = defaultdict(lambda: [0, 0])
    for order in orders.values():
        if f.vendor not in (None, order.vendor_id):
            continue
        done = order.completed_date
        if done is not None and f.start <= done <= f.end:
            cell = figures[(order.vendor_id, done.replace(day=1))]
            cell["finished"] += 1
            cell["turnaround_days"] += (done - order.order_date).days
            if order.promised_date is not None:
                cell["promised"] += 1
                cell["kept_promise"] += done <= order.promised_date
        if order.reorder_of_id is not None and f.start <= order.order_date <= f.end:
            reason = order.reorder_reason
            reorders[order.vendor_id][0] += 1
            reorders[order.vendor_id][1] += bool(reason and reason.is_non_chargeable)
    return {key: dict(cell) for key, cell in figures.items()}, dict(reorders)


NAMES = [
    "steps",
    "due_steps",
    "on_time",
    "late",
    "late_days",
    "finished",
    "promised",
    "kept_promise",
    "turnaround_days",
]


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(order_spec, min_size=0, max_size=7),
    first=st.integers(-5, 70),
    length=st.integers(0, 60),
    vendor=st.one_of(st.none(), st.integers(0, 1)),
)
def test_the_figures_match_an_independent_count(frozen_today, specs, first, length, vendor):
    frozen_today(TODAY)
    with transaction.atomic():
        vendors, prints, reasons = _studio()
        _make(specs, vendors, prints, reasons, UserFactory())
        start = START + dt.timedelta(days=first)
        f = VendorPerformanceFilter(
            start=start,
            end=start + dt.timedelta(days=length),
            vendor=None if vendor is None else vendors[vendor].pk,
        )
        report = vendor_performance(f, today=TODAY)
        expected, reorders = _oracle(f, vendors)
        months = months_of(f.start, f.end)
        listed = {v.vendor_id: v for v in report.vendors}
        active = {v for (v, _), cell in expected.items() if any(cell.values())}
        active |= {v for v, (n, _) in reorders.items() if n}
        assert set(listed) == active
        for vendor_id, figure in listed.items():
            assert [m.month for m in figure.months] == months
            for month in figure.months:
                cell = expected.get((vendor_id, month.month), {})
                assert {n: getattr(month, n) for n in NAMES} == {n: cell.get(n, 0) for n in NAMES}
            totals = {
                n: sum(expected.get((vendor_id, m), {}).get(n, 0) for m in months) for n in NAMES
            }
            assert {n: getattr(figure, n) for n in NAMES} == totals
            assert figure.on_time_percent == percent(totals["on_time"], totals["due_steps"])
            assert figure.average_lateness == average(totals["late_days"], totals["late"])
            assert figure.promise_percent == percent(totals["kept_promise"], totals["promised"])
            assert figure.average_turnaround == average(
                totals["turnaround_days"], totals["finished"]
            )
            assert [figure.reorders, figure.vendors_fault] == reorders.get(vendor_id, [0, 0])
        for month in report.months:
            for n in NAMES:
                assert getattr(month, n) == sum(
                    expected.get((v, month.month), {}).get(n, 0) for v in listed
                )
        assert report.is_empty == (not active)
        if not active:
            assert "No step" in report.empty_reason or "after today" in report.empty_reason
        # The summary the triggers kept is what a count of the whole history gives.
        kept = sorted(VendorStepDay.objects.values_list(*_summary()))
        vendor_steps.count_again(connection)
        assert sorted(VendorStepDay.objects.values_list(*_summary())) == kept
        transaction.set_rollback(True)


def _summary():
    return ["day", "vendor_id", "steps", "due_steps", "on_time", "late", "late_days"]
