"""How late a step was left, as every writer records it, and the summary per vendor and day the
database keeps from it: the rule on fixed dates, the single and the bulk change, the migration
that fills in the history written before the rule, and a count of the whole history."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection

from darkroom.production.models import ProductionOrder
from darkroom.reports import vendor_steps
from darkroom.reports.models import VendorStepDay
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar.writes import closure_add
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import (
    BulkItem,
    status_change,
    status_change_bulk,
    status_due_date_set,
)
from darkroom.tracking.standing import business_days_late
from tests.factories import (
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

MON_FRI = BusinessCalendar(range(5))
FRI = dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    "due, left, late",
    [
        (FRI, FRI, 0),  # on the day
        (FRI, dt.date(2026, 3, 5), -1),  # a day to spare
        (FRI, dt.date(2026, 3, 2), -4),
        (
            FRI,
            dt.date(2026, 3, 7),
            1,
        ),  # Saturday: after the due date, though no business day passed
        (FRI, dt.date(2026, 3, 9), 1),  # Monday
        (FRI, dt.date(2026, 3, 13), 5),
        (dt.date(2026, 3, 8), dt.date(2026, 3, 7), 0),  # due Sunday, left Saturday
        (None, FRI, None),  # no due date: not counted either way
    ],
)
def test_how_late_a_step_was_left(due, left, late):
    assert business_days_late(due=due, left=left, calendar=MON_FRI) == late


def test_a_vendor_closure_is_not_a_day_late():
    closed = MON_FRI.with_closures([dt.date(2026, 3, 9)])
    assert business_days_late(due=FRI, left=dt.date(2026, 3, 10), calendar=closed) == 1


def _summary():
    columns = ["day", "vendor_id", "steps", "due_steps", "on_time", "late", "late_days"]
    return sorted(VendorStepDay.objects.values_list(*columns))


@pytest.fixture
def history(db, frozen_today):
    """Orders at two vendors moved one by one, in bulk, with a due date moved by hand first."""
    frozen_today(dt.date(2026, 6, 30))
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")
    closure_add(first_date=dt.date(2026, 3, 10), label="Stocktake", vendor=miller)
    prints = cycle_with_statuses(steps=[("Ordered", 1), ("Printing", 2)], final="Shipped")
    _ordered, printing, shipped = prints.statuses
    by = UserFactory()
    orders = [
        started_production_order(
            order_type=prints.order_type,
            vendor=vendor,
            order_date=dt.date(2026, 3, 9),
            started_on=dt.date(2026, 3, 9),
            by=by,
        )
        for vendor in (bay, miller, miller)
    ]
    first = orders[0]
    status_due_date_set(
        record=first, expected_version=first.version, due_date=dt.date(2026, 3, 16), updated_by=by
    )
    first.refresh_from_db()
    status_change(
        record=first,
        expected_version=first.version,
        updated_by=by,
        to_status=printing,
        date_completed=dt.date(2026, 3, 12),
    )
    status_change_bulk(
        model=ProductionOrder,
        items=[BulkItem(id=o.pk) for o in orders[1:]],
        updated_by=by,
        to_status=printing,
        date_completed=dt.date(2026, 3, 12),
    )
    status_change_bulk(
        model=ProductionOrder,
        items=[BulkItem(id=o.pk) for o in orders],
        updated_by=by,
        to_status=shipped,
        date_completed=dt.date(2026, 3, 20),
    )
    return {"bay": bay, "miller": miller, "orders": orders}


def test_every_writer_records_the_lateness_and_the_summary_follows(history):
    bay, miller = history["bay"].pk, history["miller"].pk
    changes = StatusNote.objects.filter(kind=NoteKind.CHANGE).order_by("id")
    # Bay's "Ordered" was moved by hand to Mon 03-16: left Thu 03-12, 2 days to spare. Miller's
    # was due Wed 03-11 (Tue 03-10 closed): left a day late. "Printing" due Mon 03-16 (all
    # three), left Fri 03-20: 4 days late.
    assert [n.business_days_late for n in changes] == [-2, 1, 1, 4, 4, 4]
    assert _summary() == [
        (dt.date(2026, 3, 12), bay, 1, 1, 1, 0, 0),
        (dt.date(2026, 3, 12), miller, 2, 2, 0, 2, 2),
        (dt.date(2026, 3, 20), bay, 1, 1, 0, 1, 4),
        (dt.date(2026, 3, 20), miller, 2, 2, 0, 2, 8),
    ]
    kept = _summary()
    vendor_steps.count_again(connection)
    assert _summary() == kept


def test_the_migration_fills_in_the_history_written_before(history):
    """The history the service wrote, its lateness emptied, is filled in again the same (the
    due dates moved by hand too, from the row that moved them)."""
    written = list(StatusNote.objects.order_by("id").values_list("id", "business_days_late"))
    StatusNote.objects.update(business_days_late=None)
    migration = importlib.import_module("darkroom.reports.migrations.0003_vendor_performance")

    class Editor:
        connection = connection

    migration.fill_business_days_late(apps, Editor())
    assert list(StatusNote.objects.order_by("id").values_list("id", "business_days_late")) == (
        written
    )
