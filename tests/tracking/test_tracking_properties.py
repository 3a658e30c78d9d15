"""Property: whatever the cycle, the calendar and the sequence of changes, every due date is the
calendar's ``due()`` (forward mode) or ``schedule_backward()``'s date for the step (backward mode,
production orders with a promised date), the projected completion chains the remaining steps
forward, and replaying the history arrives at the record's current status."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.production.models import ProductionOrder
from darkroom.scheduling import Step, project_forward, schedule_backward
from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.models import DueDateMode
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.selectors import next_active_status, status_history
from darkroom.tracking.services import record_start, status_change
from tests.factories import (
    InvoiceFactory,
    OrderTypeFactory,
    ProductionOrderFactory,
    cycle_with_statuses,
)

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
@given(
    steps=steps,
    first=st.integers(0, 8),
    closed=closures,
    moves=changes,
    backward=st.booleans(),
    promised=st.none() | st.integers(0, 120),
)
def test_due_dates_follow_the_calendar_and_history_replays(
    people, steps, first, closed, moves, backward, promised
):
    person = people["staff"]
    with transaction.atomic():
        for offset in closed:
            closure_add(first_date=START + dt.timedelta(days=offset), label=f"Closed {offset}")
        if backward:
            studio_preferences_update(due_date_mode=DueDateMode.BACKWARD)
        order_type = OrderTypeFactory()
        cycle = cycle_with_statuses(
            name="Prints",
            order_type=order_type,
            steps=[
                ("Start", first),
                *((f"Step {n}", days, {"is_inactive": off}) for n, (days, off) in enumerate(steps)),
            ],
            final="Done",
        ).cycle
        active = list(cycle.statuses.filter(is_inactive=False).order_by("position", "id"))
        calendar = studio_calendar()
        promised_on = None if promised is None else START + dt.timedelta(days=promised)
        order = ProductionOrderFactory(
            order_type=order_type, invoice=InvoiceFactory(approximate_delivery_date=promised_on)
        )

        def expected_due(status, entered_on):
            """What DOMAIN's rules say, computed here from the scheduling functions alone."""
            if status.is_final:
                return None
            chain = [Step(s.pk, s.default_duration) for s in active if not s.is_final]
            if backward and promised_on is not None:
                dues = schedule_backward(calendar, chain, promised_on)
                return dues[[step.key for step in chain].index(status.pk)]
            return calendar.due(entered_on, status.default_duration)

        def expected_projection(status, due):
            if status.is_final:
                return None
            later = [s for s in active if s.position > status.position and not s.is_final]
            chain = [Step(s.pk, s.default_duration) for s in later]
            return project_forward(calendar, due, chain).completion

        record_start(record=order, started_on=START, by=person)
        assert order.status_due_date == expected_due(order.status, START)
        day = START
        for gap, pick in moves:
            day += dt.timedelta(days=gap)
            current = order.status
            if pick is None:
                target = next_active_status(status=current)
                if target is None:
                    continue
            else:
                target = active[pick % len(active)]
                if target == current:
                    continue
            status_change(
                record=order,
                expected_version=order.version,
                updated_by=person,
                to_status=None if pick is None else target,
                date_completed=day,
            )
            stored = ProductionOrder.objects.get(pk=order.pk)
            assert stored.status == target
            assert stored.status_due_date == expected_due(target, day)
            assert stored.projected_completion == expected_projection(
                target, stored.status_due_date
            )
            assert stored.completed_date == (day if target.is_final else None)
        history = list(status_history(record=order))
        replayed = None
        for note in history:
            assert note.from_status == replayed
            replayed = note.to_status
        assert replayed == ProductionOrder.objects.get(pk=order.pk).status
        taken = [n.business_days_taken for n in history[1:]]
        dates = [n.date_completed for n in history]
        assert taken == [calendar.business_days_between(a, b) for a, b in pairwise(dates)]
        transaction.set_rollback(True)
