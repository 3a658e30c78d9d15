"""The workload report's figures against an independent count over the raw rows.

Orders go through the real services — started, moved forward and back (rework), finished,
reopened, moved to another order type's cycle, their order date edited, some of them reorders —
on random days around the range's edges, so the history rows are what the studio's would be.
The test then reads the raw rows (the orders, their history) and answers the report's question
itself: entered and finished per week from the orders' dates; the backlog by replaying each
order's history up to each week's end. The report answers from the per-(status, day) summary the
database's triggers keep; the two must agree for every week, status and filter. A second check:
at the end of the week of today, the backlog per status is the orders open in it now.

Also: a history row deleted (SQL by hand) takes its counts back out; the migration's build from
the history gives the summary the triggers kept; the large studio's bulk writer leaves the
summary right; the studio's week start; an empty range.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.services.order_changes import production_order_update
from darkroom.reports.models import StatusFlow
from darkroom.reports.selectors.status_report import PREPRODUCTION
from darkroom.reports.selectors.workload import (
    WorkloadFilter,
    first_weekday,
    week_of,
    workload,
)
from darkroom.reports.status_flow import TRIGGERS
from darkroom.tracking.models import CycleKind, Status, StatusNote
from darkroom.tracking.services.change import status_change
from darkroom.tracking.services.start import record_start
from tests.factories import (
    ProductionOrderFactory,
    UserFactory,
    cycle_with_statuses,
    started_proof_order,
)

TODAY = dt.date(2026, 12, 2)  # a Wednesday (the ``ordinary_day`` fixture's)
BASE = TODAY - dt.timedelta(days=70)

# An order's script: its order date (days after BASE), whether it is a reorder, then steps:
# (days after the step before, what): a status of its cycle by place (the last is the final
# one: finished; from the final one any other: reopened), "move" to the other type's cycle,
# "redate" its order date (an edit: a history row that moves nothing).
step = st.tuples(
    st.integers(0, 12),
    st.one_of(st.integers(0, 3), st.sampled_from(["move", "redate"])),
)
order_script = st.tuples(
    st.integers(-20, 60), st.booleans(), st.lists(step, min_size=0, max_size=6)
)


def _name(description: str) -> str:
    return " ".join(description.split()).casefold()


def _oracle(f: WorkloadFilter) -> dict[dt.date, tuple[int, int, dict[str, int]]]:
    """Per week of ``f``: entered, finished and the open orders per status name at its end,
    counted here over the orders' rows and by replaying each one's history rows."""
    model = ProductionOrder if f.stage != PREPRODUCTION else PreproductionOrder
    orders = list(model.objects.values("id", "order_date", "completed_date"))
    types = {}
    if model is ProductionOrder:
        types = dict(ProductionOrder.objects.values_list("id", "order_type_id"))
    kind = ContentType.objects.get_for_model(model)
    statuses = {
        s.pk: (s.description, s.is_final, s.cycle.order_type_id)
        for s in Status.objects.select_related("cycle")
    }
    history = defaultdict(list)
    for note in StatusNote.objects.filter(content_type=kind).order_by("id"):
        history[note.object_id].append(note)
    weeks = {}
    for start in f.weeks:
        end = start + dt.timedelta(days=6)

        def wanted(order_id: int) -> bool:
            return f.order_type is None or types.get(order_id) == f.order_type

        entered = sum(1 for o in orders if start <= o["order_date"] <= end and wanted(o["id"]))
        finished = sum(
            1
            for o in orders
            if o["completed_date"] and start <= o["completed_date"] <= end and wanted(o["id"])
        )
        backlog: Counter[str] = Counter()
        for notes in history.values():
            where = None
            for note in notes:
                if note.date_completed <= end and note.from_status_id != note.to_status_id:
                    where = note.to_status_id
            if where is None:
                continue
            description, final, order_type = statuses[where]
            if final or (f.order_type is not None and order_type != f.order_type):
                continue
            backlog[_name(description)] += 1
        weeks[start] = (entered, finished, {k: n for k, n in backlog.items() if n})
    return weeks


def _answer(f: WorkloadFilter) -> dict[dt.date, tuple[int, int, dict[str, int]]]:
    totals = workload(f)
    return {
        w.week: (w.entered, w.finished, {k: n for k, n in w.backlog.items() if n})
        for w in totals.weeks
    }


def _open_now(order_type: int | None = None) -> dict[str, int]:
    rows = ProductionOrder.objects.filter(completed_date__isnull=True, status__isnull=False)
    if order_type is not None:
        rows = rows.filter(status__cycle__order_type_id=order_type)
    counted = Counter(_name(o.status.description) for o in rows.select_related("status"))
    return {k: n for k, n in counted.items() if n}


def _two_types():
    """Two order types whose cycles share "Retouch" (kept on a move) and differ otherwise."""
    prints = cycle_with_statuses(
        steps=[("Ordered", 1), ("Retouch", 2), ("At the lab", 3)], final="Picked up"
    )
    albums = cycle_with_statuses(
        steps=[("Ordered ", 1), ("retouch", 2), ("Binding", 5)], final="Delivered"
    )
    return prints, albums


def _play(script, cycles, by) -> None:
    """Make and move one order as ``script`` says, through the services, skipping a step the
    services refuse on that day (a date after today)."""
    day, reorder, steps = script
    cycle = cycles[0]
    first = ProductionOrder.objects.order_by("id").first()
    order = ProductionOrderFactory(
        order_type=cycle.order_type,
        order_date=BASE + dt.timedelta(days=day),
        reorder_of=first if reorder else None,
    )
    on = max(order.order_date, BASE)
    if on > TODAY:
        return
    record_start(record=order, started_on=on, by=by)
    for gap, what in steps:
        order.refresh_from_db()
        on = max(on + dt.timedelta(days=gap), order.status_entered_on or on)
        if on > TODAY:
            return
        if what == "move":
            if order.completed_date is not None:
                continue  # a finished order keeps its cycle
            cycle = cycles[1] if cycle is cycles[0] else cycles[0]
            production_order_update(
                order=order,
                expected_version=order.version,
                updated_by=by,
                order_type=cycle.order_type,
            )
        elif what == "redate":
            production_order_update(
                order=order,
                expected_version=order.version,
                updated_by=by,
                order_date=order.order_date - dt.timedelta(days=gap),
            )
        else:
            target = cycle.statuses[what]
            if target.pk == order.status_id:
                continue
            status_change(
                record=order,
                expected_version=order.version,
                updated_by=by,
                to_status=target,
                date_completed=on,
            )


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    scripts=st.lists(order_script, min_size=0, max_size=7),
    first=st.integers(-3, 6),
    weeks=st.integers(1, 12),
    by_type=st.sampled_from([None, 0, 1]),
    weekday=st.integers(0, 6),
)
def test_the_figures_match_an_independent_count(
    ordinary_day, scripts, first, weeks, by_type, weekday
):
    saved = transaction.savepoint()
    try:
        cycles = _two_types()
        by = UserFactory()
        for script in scripts:
            _play(script, cycles, by)
        start = week_of(BASE + dt.timedelta(weeks=first), weekday)
        f = WorkloadFilter(
            start=start,
            end=start + dt.timedelta(days=7 * weeks - 1),
            order_type=None if by_type is None else cycles[by_type].order_type.pk,
            weekday=weekday,
        )
        assert _answer(f) == _oracle(f)
        this_week = WorkloadFilter(
            start=week_of(TODAY, weekday),
            end=week_of(TODAY, weekday) + dt.timedelta(days=6),
            order_type=f.order_type,
            weekday=weekday,
        )
        assert _answer(this_week)[this_week.start][2] == _open_now(f.order_type)
    finally:
        transaction.savepoint_rollback(saved)


@pytest.fixture
def busy(ordinary_day):
    """Three prints orders: one finished, reopened into Retouch (rework) and open; one at the
    lab; one finished. The weeks start on Monday."""
    prints, _albums = _two_types()
    by = UserFactory()
    for script in [
        (0, False, [(1, 1), (2, 2), (3, 3), (4, 1)]),
        (7, True, [(1, 1), (1, 2)]),
        (8, False, [(1, 3)]),
    ]:
        _play(script, [prints, _albums], by)
    return prints


def test_rework_and_reopening_move_the_backlog_and_finished_counts_as_it_stands(busy):
    start = week_of(BASE, 0)
    f = WorkloadFilter(start=start, end=week_of(TODAY, 0) + dt.timedelta(days=6))
    totals = workload(f)
    assert totals.entered == 3 and totals.finished == 1  # the reopened one is open again
    # Nobody sat in "Ordered" at a week's end (each left it the next day): not shown.
    assert [s.name for s in totals.statuses] == ["Retouch", "At the lab"]
    assert totals.weeks[-1].backlog == {"retouch": 1, "at the lab": 1}
    assert _answer(f) == _oracle(f)


def test_a_history_row_deleted_takes_its_counts_out(busy):
    f = WorkloadFilter(start=week_of(BASE, 0), end=week_of(TODAY, 0) + dt.timedelta(days=6))
    last = StatusNote.objects.order_by("-id").first()
    StatusNote.objects.filter(pk=last.pk).delete()
    assert _answer(f) == _oracle(f)
    with connection.cursor() as cursor:  # an edit by hand: taken out as it was, in as it is
        cursor.execute(
            "UPDATE tracking_statusnote SET date_completed = %s WHERE id = %s",
            [BASE - dt.timedelta(days=30), StatusNote.objects.order_by("id").first().pk],
        )
    assert _answer(f) == _oracle(f)


def _flow() -> set[tuple[int, dt.date, int, int]]:
    return {
        (r.status_id, r.day, r.entering, r.leaving)
        for r in StatusFlow.objects.all()
        if r.entering or r.leaving
    }


def test_the_migrations_build_from_the_history_is_what_the_triggers_kept(busy):
    from importlib import import_module

    build = import_module("darkroom.reports.migrations.0001_workload").BUILD
    kept = _flow()
    assert kept
    StatusFlow.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(build)
    assert _flow() == kept


def test_the_large_studios_bulk_writer_leaves_the_summary_right(ordinary_day):
    from importlib import import_module

    from darkroom.sample_data.scale import seed_scale
    from darkroom.triggers_set_aside import trigger_definition

    seed_scale(orders=120, seed=5)  # the triggers set aside, the summary counted after the load
    kept = _flow()
    StatusFlow.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(import_module("darkroom.reports.migrations.0001_workload").BUILD)
        back = {n for n in TRIGGERS if trigger_definition(cursor, n) is not None}
    assert _flow() == kept
    on_postgresql = connection.vendor == "postgresql"  # its insert trigger follows deletes too
    assert back == set(TRIGGERS) - ({"reports_flow_note_delete"} if on_postgresql else set())
    this_week = WorkloadFilter(
        start=week_of(TODAY, 0), end=week_of(TODAY, 0) + dt.timedelta(days=6)
    )
    assert _answer(this_week)[this_week.start][2] == _open_now()


def test_proof_orders_are_counted_apart(ordinary_day):
    cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, steps=[("Sent", 1), ("Proofing", 2)], final="Approved"
    )
    started_proof_order(order_date=TODAY - dt.timedelta(days=1))
    f = WorkloadFilter(
        start=week_of(TODAY, 0), end=week_of(TODAY, 0) + dt.timedelta(days=6), stage=PREPRODUCTION
    )
    totals = workload(f)
    assert totals.entered == 1 and totals.weeks[-1].backlog == {"sent": 1}
    assert _answer(f) == _oracle(f)
    assert workload(WorkloadFilter(start=f.start, end=f.end)).empty


def test_an_empty_range_is_every_week_with_nothing(busy):
    f = WorkloadFilter(start=dt.date(2020, 1, 6), end=dt.date(2020, 3, 1))
    totals = workload(f)
    assert totals.empty and len(totals.weeks) == 8 and totals.statuses == []
    assert all(w.entered == w.finished == w.open == 0 for w in totals.weeks)


@pytest.mark.parametrize(
    "work_days, weekday",
    [
        ({0, 1, 2, 3, 4}, 0),  # Monday to Friday: Monday
        ({1, 2, 3, 4, 5}, 1),  # Tuesday to Saturday: Tuesday
        ({6, 0, 1, 2, 3}, 6),  # Sunday to Thursday: Sunday
        (set(range(7)), 0),  # every day: Monday
        ({0, 1, 3, 4}, 0),  # Wednesday off too: after the weekend, the longer break
    ],
)
def test_the_week_starts_on_the_studios_first_work_day(work_days, weekday):
    assert first_weekday(work_days) == weekday
