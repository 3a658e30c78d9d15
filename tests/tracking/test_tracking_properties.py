"""Property: whatever the cycle, the calendar and the sequence of changes, every due date is the
calendar's ``due()`` and replaying the history arrives at the record's current status."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.clients.models import Invoice
from darkroom.studio.calendar import closure_add, studio_calendar
from darkroom.tracking.cycles import cycle_create, status_add
from darkroom.tracking.models import CycleKind
from darkroom.tracking.selectors import next_active_status, status_history
from darkroom.tracking.status_change import record_start, status_change
from tests.factories import InvoiceFactory

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 6)

steps = st.lists(
    st.tuples(st.integers(0, 8), st.booleans()),  # (duration, inactive) of the middle steps
    min_size=1,
    max_size=5,
)
closures = st.lists(st.integers(0, 90), max_size=6, unique=True)
# Each change: days after the previous change, and which status to go to (None: the next one).
changes = st.lists(st.tuples(st.integers(0, 6), st.none() | st.integers(0, 10)), max_size=10)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps, first=st.integers(0, 8), closed=closures, moves=changes)
def test_due_dates_follow_the_calendar_and_history_replays(people, steps, first, closed, moves):
    person = people["staff"]
    with transaction.atomic():
        for offset in closed:
            closure_add(first_date=START + dt.timedelta(days=offset), label=f"Closed {offset}")
        cycle = cycle_create(kind=CycleKind.INVOICE, name="Invoices")
        status_add(cycle=cycle, description="Start", default_duration=first)
        for n, (duration, inactive) in enumerate(steps):
            status_add(
                cycle=cycle,
                description=f"Step {n}",
                default_duration=duration,
                is_inactive=inactive,
            )
        status_add(cycle=cycle, description="Done", is_final=True)
        active = list(cycle.statuses.filter(is_inactive=False).order_by("position", "id"))
        calendar = studio_calendar()
        invoice = InvoiceFactory(invoice_date=START)
        record_start(record=invoice, started_on=START, by=person)
        assert invoice.status_due_date == calendar.due(START, first)
        day = START
        for gap, pick in moves:
            day += dt.timedelta(days=gap)
            current = invoice.status
            if pick is None:
                target = next_active_status(status=current)
                if target is None:
                    continue
            else:
                target = active[pick % len(active)]
                if target == current:
                    continue
            status_change(
                record=invoice,
                expected_version=invoice.version,
                updated_by=person,
                to_status=None if pick is None else target,
                date_completed=day,
            )
            stored = Invoice.objects.get(pk=invoice.pk)
            assert stored.status == target
            expected = None if target.is_final else calendar.due(day, target.default_duration)
            assert stored.status_due_date == expected
            assert stored.completed_date == (day if target.is_final else None)
        history = list(status_history(record=invoice))
        replayed = None
        for note in history:
            assert note.from_status == replayed
            replayed = note.to_status
        assert replayed == Invoice.objects.get(pk=invoice.pk).status
        taken = [n.business_days_taken for n in history[1:]]
        dates = [n.date_completed for n in history]
        assert taken == [calendar.business_days_between(a, b) for a, b in pairwise(dates)]
        transaction.set_rollback(True)
