"""Benchmark recomputing open records' due dates after the studio's calendar changed.

Why: a closure added to the calendar (or removed) moves the due date of every open record whose
step spans it, and the background job ``due_dates_recompute`` rewrites them all, with a
"recompute" history row per moved due date, in batches that lock their records. A studio's
busy season is tens of thousands of open orders; the job must finish in seconds so the hub
shows the new dates. Target: at most TARGET_SECONDS on SQLite for RECORDS open records.

Inputs: throwaway databases (SQLite, and PostgreSQL when it is reachable: see ``throwaway.py``);
RECORDS open production orders over three order types' cycles and VENDORS vendors (one of
which has a closure of its own, so orders count on different calendars), in their initial
status, started over the last STARTS business days (made with ``bulk_create``, see
``started_orders.py``: setup, not measured). Each run first changes the calendar, untimed:
runs alternately add and remove a studio closure on the next work day, which falls inside
most orders' first step. Then ``due_dates_recompute(reason="calendar changed")`` (what the
background job runs) is timed. Figures are the median of REPEATS runs; due dates,
projections and history rows are checked afterwards, untimed, against calendars built here.
"""

from __future__ import annotations

import datetime as dt

import started_orders
import throwaway

RECORDS = throwaway.size(50_000, smoke=100)
REPEATS = 3  # odd: the last run adds the closure, so the check sees the dates moved
VENDORS = 5
STARTS = 5  # orders started today and on each of the previous STARTS - 1 work days
TARGET_SECONDS = 5.0
WORK_WEEK = range(5)  # the studio's default, Monday to Friday
# Business days per step, initial first, final last.
CYCLES = {
    "Lab prints": [3, 2, 1, 0],
    "Albums": [5, 5, 3, 2, 0],
    "Canvas wraps": [8, 3, 2, 0],
}
ONE_DAY = dt.timedelta(days=1)


def _work_days(start: dt.date, step: dt.timedelta, count: int) -> list[dt.date]:
    """``count`` work days from ``start`` (itself included when it is one), going by ``step``."""
    days = []
    day = start
    while len(days) < count:
        if day.weekday() in WORK_WEEK:
            days.append(day)
        day += step
    return days


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from darkroom.production.models import ProductionOrder
    from darkroom.scheduling import BusinessCalendar, Step, project_forward
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.studio.calendar.writes import closure_add, closure_remove
    from darkroom.studio.services import user_create
    from darkroom.tracking.models import NoteKind, StatusNote
    from darkroom.tracking.services import CALENDAR_CHANGED, due_dates_recompute

    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    kinds = started_orders.order_types(CYCLES)
    labs = started_orders.vendors(VENDORS)
    today = calendar_now().today
    closed_day, _, lab_closed_day = _work_days(today + ONE_DAY, ONE_DAY, 3)
    closure_add(first_date=lab_closed_day, label="Lab stocktaking", vendor=labs[0])
    started_on = _work_days(today, -ONE_DAY, STARTS)
    started_orders.started_orders(
        count=RECORDS, kinds=kinds, labs=labs, person=person, started_on=started_on
    )

    # What every order's due date and projection should be with and without the closure, on
    # calendars built here from the closures' dates (vendor 1 has its own closure too).
    def calendars(closures: list[dt.date]) -> dict[int, BusinessCalendar]:
        return {
            lab.pk: BusinessCalendar(WORK_WEEK, closures + ([lab_closed_day] if i == 0 else []))
            for i, lab in enumerate(labs)
        }

    steps_of = {kind.pk: kind.steps for kind in kinds}

    def expected(calendar: BusinessCalendar, kind: int, start: dt.date) -> tuple[dt.date, dt.date]:
        steps = steps_of[kind]
        due = calendar.due(start, steps[0].default_duration)
        chain = [Step(step.pk, step.default_duration) for step in steps[1:-1]]
        return due, project_forward(calendar, due, chain).completion

    columns = ("pk", "vendor_id", "order_type_id", "status_entered_on")
    orders = list(ProductionOrder.objects.values_list(*columns))  # the benchmark's only
    open_, closed = calendars([]), calendars([closed_day])
    without = {pk: expected(open_[lab], kind, start) for pk, lab, kind, start in orders}
    with_closure = {pk: expected(closed[lab], kind, start) for pk, lab, kind, start in orders}
    moved = sum(with_closure[pk][0] != without[pk][0] for pk in without)
    assert moved >= RECORDS * 3 // 4, f"only {moved:,} due dates move: the closure is misplaced"
    assert all(with_closure[pk][1] != without[pk][1] for pk in without)  # every projection

    closure = None

    def change_calendar(run: int) -> None:
        nonlocal closure
        if run % 2 == 0:
            closure = closure_add(first_date=closed_day, label="Studio closed")
        else:
            closure_remove(closure=closure)

    def recompute() -> int:
        return due_dates_recompute(reason=CALENDAR_CHANGED)

    runs = throwaway.time_runs(recompute, repeats=REPEATS, prepare=change_calendar)

    # Untimed: each run moved the same due dates (there and back), and now that the closure is
    # back every order has the due date and projection the calendars built here give.
    assert runs.results == [moved] * REPEATS, (runs.results, moved)
    rows = ProductionOrder.objects.values_list(
        "pk", "status_due_date", "projected_completion", "version"
    )
    seen = 0
    for pk, due, projected, version in rows.iterator(chunk_size=2_000):
        assert (due, projected) == with_closure[pk], (pk, due, projected, with_closure[pk])
        assert version == 2 + REPEATS  # written by every run: its projection moves at least
        seen += 1
    assert seen == RECORDS
    notes = StatusNote.objects.filter(kind=NoteKind.RECOMPUTE)
    assert notes.count() == moved * REPEATS
    assert notes.filter(note__startswith=f"{CALENDAR_CHANGED}: due ").count() == moved * REPEATS

    shape = f"{RECORDS:,} open production orders ({len(kinds)} cycles, {VENDORS} vendors)"
    print(f"{throwaway.engine()}: {shape}, median of {REPEATS}")
    print(
        f"  closure on {closed_day:%a %Y-%m-%d}, added and removed in turn: "
        f"{moved:,} due dates move each run ({moved / RECORDS:.0%}), every projection moves"
    )
    throwaway.report(
        "due_dates_recompute (the background job's work, all batches)",
        records=RECORDS,
        runs=runs,
        target_seconds=TARGET_SECONDS,
    )


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=600)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
