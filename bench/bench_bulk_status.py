"""Benchmark the bulk status change: 10,000 production orders advanced in one call.

Why: the hub, the lists and the scan station move many records at once, all or nothing, and
``status_change_bulk`` promises that 10,000 records take seconds (one batched path with the
single change's rules, not a loop of single changes). Target: at most TARGET_SECONDS on SQLite.

Inputs: throwaway databases (SQLite, and PostgreSQL when it is reachable: see ``throwaway.py``);
three order types with cycles of their own (different lengths and durations), VENDORS vendors;
RECORDS production orders spread over both, already in their initial status (made with
``bulk_create``, see ``started_orders.py``: setup, not measured). Each run is one
``status_change_bulk`` call advancing every order to the next status of its own cycle, with
its expected version, history included; the next run advances the same orders one step
further. Figures are the median of REPEATS runs; the results are checked afterwards, untimed.
"""

from __future__ import annotations

import started_orders
import throwaway

RECORDS = throwaway.size(10_000, smoke=60)
REPEATS = 3
VENDORS = 4
TARGET_SECONDS = 5.0
# Business days per step, initial first, final last; each cycle outlasts REPEATS advances.
CYCLES = {
    "Lab prints": [1, 2, 1, 3, 0],
    "Albums": [2, 5, 3, 8, 2, 0],
    "Canvas wraps": [1, 3, 4, 2, 2, 1, 0],
}


def measure() -> None:
    """Measure on the database this process is configured for and print the figures."""
    from darkroom.production.models import ProductionOrder
    from darkroom.scheduling import BusinessCalendar
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.studio.services import user_create
    from darkroom.tracking.models import NoteKind, StatusNote
    from darkroom.tracking.services import BulkItem, status_change_bulk

    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    kinds = started_orders.order_types(CYCLES)
    labs = started_orders.vendors(VENDORS)
    today = calendar_now().today
    ids = started_orders.started_orders(
        count=RECORDS, kinds=kinds, labs=labs, person=person, started_on=[today]
    )
    items: list[BulkItem] = []

    def prepare(run: int) -> None:
        items[:] = [BulkItem(id=pk, expected_version=2 + run) for pk in ids]

    def advance() -> list:
        return status_change_bulk(model=ProductionOrder, items=items, updated_by=person)

    runs = throwaway.time_runs(advance, repeats=REPEATS, prepare=prepare)

    # Untimed: every run changed every order; each order is REPEATS steps into its own cycle,
    # due on its step's duration from today (no closures: a plain Monday-Friday week), with one
    # history row per step.
    assert all(len(outcomes) == RECORDS for outcomes in runs.results)
    assert all(outcome.ok for outcomes in runs.results for outcome in outcomes)
    week = BusinessCalendar(range(5), [])
    expected = {kind.pk: kind.steps[REPEATS] for kind in kinds}
    rows = ProductionOrder.objects.values_list(  # the database holds the benchmark's orders only
        "order_type_id", "status_id", "status_due_date", "version", "completed_date"
    )
    seen = 0
    for order_type, status, due, version, completed in rows.iterator(chunk_size=2_000):
        step = expected[order_type]
        assert (status, version, completed) == (step.pk, 2 + REPEATS, None)
        assert due == week.due(today, step.default_duration), (due, step)
        seen += 1
    assert seen == RECORDS
    notes = StatusNote.objects.all()
    assert notes.count() == RECORDS * (1 + REPEATS)
    assert notes.filter(kind=NoteKind.CHANGE, updated_by=person).count() == RECORDS * REPEATS

    shape = f"{len(kinds)} order types' cycles, {VENDORS} vendors"
    print(f"{throwaway.engine()}: {RECORDS:,} production orders ({shape}), median of {REPEATS}")
    throwaway.report(
        "status_change_bulk (one call, all or nothing, with history)",
        records=RECORDS,
        runs=runs,
        target_seconds=TARGET_SECONDS,
    )


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=300)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
