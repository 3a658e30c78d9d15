"""Backward due dates, vendor calendars, projected completion, "at risk", and recomputing due
dates in the background when the calendar or a promised date changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from darkroom.clients.services import invoice_update
from darkroom.production.models import ProductionOrder
from darkroom.studio.calendar.writes import closure_add, work_week_update
from darkroom.studio.models import DueDateMode
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.models import StatusNote
from darkroom.tracking.selectors import at_risk, due_between, overdue, status_history
from darkroom.tracking.services import record_start, status_change
from tests.conftest import run_queued_jobs
from tests.factories import (
    InvoiceFactory,
    OrderTypeFactory,
    ProductionOrderFactory,
    VendorFactory,
    cycle_with_statuses,
)

pytestmark = pytest.mark.django_db

JULY_20, JULY_31 = dt.date(2015, 7, 20), dt.date(2015, 7, 31)  # a Monday, a Friday


@pytest.fixture
def retouch_cycle(db):
    """The seed example: Retouch (3) → Printing (2) → QA (1) → Shipped (final)."""
    retouch = cycle_with_statuses(
        name="Retouch",
        order_type=OrderTypeFactory(name="Retouch and print"),
        steps=[("Retouch", 3), ("Printing", 2), ("QA", 1)],
        final="Shipped",
    )
    return retouch.order_type, retouch.statuses


def order_for(order_type, promised, **given):
    invoice = InvoiceFactory(approximate_delivery_date=promised)
    return ProductionOrderFactory(order_type=order_type, invoice=invoice, **given)


def advance(record, person, **given):
    return status_change(record=record, expected_version=record.version, updated_by=person, **given)


def test_backward_mode_follows_the_seed_example(retouch_cycle, person):
    order_type, steps = retouch_cycle
    studio_preferences_update(due_date_mode=DueDateMode.BACKWARD)
    order = order_for(order_type, JULY_31)
    record_start(record=order, started_on=JULY_20, by=person)
    assert order.status_due_date == dt.date(2015, 7, 28)
    assert order.projected_completion == JULY_31
    advance(order, person, date_completed=dt.date(2015, 7, 21))  # early: still due on the plan
    assert order.status_due_date == dt.date(2015, 7, 30)
    advance(order, person, date_completed=dt.date(2015, 7, 22))
    assert order.status_due_date == JULY_31
    advance(order, person, date_completed=dt.date(2015, 7, 23))
    assert order.status == steps[-1]
    assert (order.status_due_date, order.projected_completion) == (None, None)


def test_backward_mode_without_a_promised_date_counts_forward(retouch_cycle, person):
    order_type, _ = retouch_cycle
    studio_preferences_update(due_date_mode=DueDateMode.BACKWARD)
    order = order_for(order_type, None)
    record_start(record=order, started_on=JULY_20, by=person)
    assert order.status_due_date == dt.date(2015, 7, 23)  # Monday + 3
    assert order.projected_completion == dt.date(2015, 7, 28)  # + 2 + 1


def test_sessions_and_invoices_count_forward_in_backward_mode(session_cycle, session, person):
    studio_preferences_update(due_date_mode=DueDateMode.BACKWARD)
    record_start(record=session, started_on=JULY_20, by=person)
    assert session.status_due_date == dt.date(2015, 7, 21)


def test_a_vendors_closures_delay_only_its_orders(retouch_cycle, person):
    order_type, _ = retouch_cycle
    lab, framer = VendorFactory(name="Lab"), VendorFactory(name="Framer")
    closure_add(
        first_date=dt.date(2015, 7, 21), last_date=dt.date(2015, 7, 22), label="Move", vendor=lab
    )
    at_lab = order_for(order_type, None, vendor=lab)
    at_framer = order_for(order_type, None, vendor=framer)
    for order in (at_lab, at_framer):
        record_start(record=order, started_on=JULY_20, by=person)
    assert at_lab.status_due_date == dt.date(2015, 7, 27)  # 21 and 22 closed at the lab
    assert at_framer.status_due_date == dt.date(2015, 7, 23)


def test_at_risk_when_the_projection_passes_the_promise(retouch_cycle, person):
    order_type, _ = retouch_cycle
    late = order_for(order_type, dt.date(2015, 7, 27))  # needs until 07-28
    fine = order_for(order_type, dt.date(2015, 7, 28))
    unpromised = order_for(order_type, None)
    for order in (late, fine, unpromised):
        record_start(record=order, started_on=JULY_20, by=person)
    assert list(at_risk(ProductionOrder)) == [late]


def test_overdue_and_due_today_leave_closed_records_out(retouch_cycle, person):
    order_type, steps = retouch_cycle
    orders = [order_for(order_type, None) for _ in range(3)]
    for order in orders:
        record_start(record=order, started_on=JULY_20, by=person)  # due 07-23
    advance(orders[2], person, to_status=steps[-1], date_completed=JULY_20)
    assert set(overdue(ProductionOrder, today=dt.date(2015, 7, 24))) == set(orders[:2])
    assert not overdue(ProductionOrder, today=dt.date(2015, 7, 23)).exists()
    today = dt.date(2015, 7, 23)
    assert set(due_between(ProductionOrder, first=today, last=today)) == set(orders[:2])


def test_overdue_is_found_through_the_open_records_index(retouch_cycle):
    if connection.vendor == "postgresql":  # a tiny table is cheaper to scan: ask for the index
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = overdue(ProductionOrder, today=JULY_31).explain()
    # Every index of the table that holds open records only, by its definition in the database:
    # of the records not completed, or of those with a due date (the final status has none, so
    # a record with a due date is open: the all-orders list's index of due dates is one).
    table = ProductionOrder._meta.db_table
    catalog = (
        "SELECT indexname FROM pg_indexes WHERE tablename = %s"
        " AND (indexdef LIKE %s OR indexdef LIKE %s)"
        if connection.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
        " AND (sql LIKE %s OR sql LIKE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            catalog, [table, "%completed_date% IS NULL%", "%status_due_date% IS NOT NULL%"]
        )
        open_only = [name for (name,) in cursor.fetchall()]
    assert "production_open_due_idx" in open_only
    assert any(name in plan for name in open_only), plan


def test_a_closure_recomputes_open_due_dates_in_the_background(retouch_cycle, person):
    order_type, steps = retouch_cycle
    open_order, overridden, done = (order_for(order_type, None) for _ in range(3))
    for order in (open_order, overridden, done):
        record_start(record=order, started_on=JULY_20, by=person)
    advance(overridden, person, due_date=dt.date(2015, 7, 30), date_completed=JULY_20)
    advance(done, person, to_status=steps[-1], date_completed=JULY_20)
    closure_add(first_date=dt.date(2015, 7, 22), label="Lab move")
    assert DBTaskResult.objects.filter(status="READY").exists()
    open_order.refresh_from_db()
    assert open_order.status_due_date == dt.date(2015, 7, 23)  # not yet: the worker does it

    run_queued_jobs()

    open_order.refresh_from_db()
    assert open_order.status_due_date == dt.date(2015, 7, 24)
    assert open_order.projected_completion == dt.date(2015, 7, 29)
    note = status_history(record=open_order).last()
    assert (note.kind, note.previous_due_date, note.due_date) == (
        "recompute",
        dt.date(2015, 7, 23),
        dt.date(2015, 7, 24),
    )
    assert note.note == "calendar changed: due 07-23 → 07-24"
    assert note.from_status == note.to_status == open_order.status
    overridden.refresh_from_db()
    assert overridden.status_due_date == dt.date(2015, 7, 30)  # kept as the person gave it
    assert StatusNote.objects.filter(kind="recompute").count() == 1


def test_a_new_work_week_recomputes_every_open_kind(session_cycle, session, retouch_cycle, person):
    order_type, _ = retouch_cycle
    order = order_for(order_type, None)
    record_start(record=order, started_on=dt.date(2015, 7, 24), by=person)  # Friday + 3
    record_start(record=session, started_on=dt.date(2015, 7, 24), by=person)  # Friday + 1
    work_week_update(work_days=[0, 1, 2, 3, 4, 5])  # Saturdays too
    run_queued_jobs()
    order.refresh_from_db()
    session.refresh_from_db()
    assert order.status_due_date == dt.date(2015, 7, 28)
    assert session.status_due_date == dt.date(2015, 7, 25)


def test_a_new_promised_date_moves_backward_due_dates(retouch_cycle, person):
    order_type, _ = retouch_cycle
    studio_preferences_update(due_date_mode=DueDateMode.BACKWARD)
    run_queued_jobs()  # the mode change's own recomputation (nothing open yet)
    order = order_for(order_type, JULY_31)
    record_start(record=order, started_on=JULY_20, by=person)
    invoice = order.invoice
    invoice_update(
        invoice=invoice,
        expected_version=invoice.version,
        approximate_delivery_date=dt.date(2015, 8, 7),
    )
    order.refresh_from_db()
    assert order.promised_date == dt.date(2015, 8, 7)
    run_queued_jobs()
    order.refresh_from_db()
    assert order.status_due_date == dt.date(2015, 8, 4)
    assert status_history(record=order).last().note == ("promised date changed: due 07-28 → 08-04")


def test_a_status_change_waits_for_nothing_and_recompute_skips_no_one(retouch_cycle, person):
    """A record changed after the closure was added already has its due date on the new
    calendar: the recomputation finds nothing to change and writes no history for it."""
    order_type, _ = retouch_cycle
    order = order_for(order_type, None)
    record_start(record=order, started_on=JULY_20, by=person)
    closure_add(first_date=dt.date(2015, 7, 22), label="Closed")
    advance(order, person, date_completed=dt.date(2015, 7, 21))
    before = list(status_history(record=order))
    run_queued_jobs()
    assert list(status_history(record=order)) == before
