"""Benchmark calendar feeds: what a calendar app's poll costs for a busy department.

Why: every person and department may subscribe, and calendar apps read their feed again every
hour or so whether anything changed or not, so a feed is read far more often than any page.
It must read open records only, through the indexes of open records by department and person,
whatever the studio's history: a feed that read every finished order would slow down year by
year. The target, on SQLite: the busiest department's feed of OPEN_ORDERS * BUSY_SHARE open
production orders (each with a due date and a promised date: twice as many events) answered
whole in at most FEED_MS (median); a person's feed in at most PERSON_MS.

Inputs: throwaway databases (``throwaway.py``): OPEN_ORDERS open production orders in their
cycles' initial status (``started_orders.py``: setup, not measured) beside FINISHED_ORDERS
finished ones (left with the busiest department and the person, as finished orders keep
their last step's), three order types, five vendors; BUSY_SHARE of the open orders assigned to the
department "Retouching", the rest to "Front desk"; one in PERSON_EVERY to one person; every
invoice promised to its client two weeks on. Each figure is the median of REPEATS runs after
one untimed warm-up, by the wall clock and by this process's CPU time (the machine may be busy
with other work): the whole answer through Django's test client (the ETag's 304 costs the same
reading and writing, less the bytes sent), the reading alone, and beside them the floor: the
SQL the feed sent, through the database driver directly (no Python rows). The events are
counted and checked against the orders, untimed.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Callable
from typing import Any

import started_orders
import throwaway

OPEN_ORDERS = throwaway.size(20_000, smoke=60)
FINISHED_ORDERS = throwaway.size(40_000, smoke=60)
BUSY_SHARE = 0.6  # of the open orders, the busiest department's
PERSON_EVERY = 20  # one open order in 20 is the person's
REPEATS = throwaway.size(7, smoke=1)
FEED_MS = 1000.0
PERSON_MS = 100.0
DECLARED = re.compile(r"^DECLARE .*? CURSOR (?:WITH|WITHOUT) HOLD FOR ")
CYCLES = {"Lab prints": [3, 2, 1, 0], "Albums": [5, 5, 3, 2, 0], "Canvas wraps": [8, 3, 2, 0]}


def median_ms(run: Callable[[], Any]) -> float:
    return medians_ms(run)[0]


def medians_ms(run: Callable[[], Any]) -> tuple[float, float]:
    """The median wall-clock and CPU milliseconds of REPEATS runs after a warm-up. The CPU time
    is this process's (SQLite's work included, PostgreSQL's not): what the read costs whatever
    else the machine is doing, where the wall clock also counts waiting for the CPU."""
    run()  # warm-up: caches, prepared statements
    runs = throwaway.time_runs(run, repeats=REPEATS)
    return runs.median * 1000, statistics.median(runs.cpu_seconds) * 1000


def captured(run: Callable[[], Any]) -> tuple[Any, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run()
    return result, [q["sql"] for q in queries.captured_queries]


def raw_runner(statements: list[str]) -> Callable[[], None]:
    """The SQL the feed sent (its parameters written in), through the driver directly."""
    from django.db import connection

    connection.ensure_connection()
    driver = connection.connection
    # PostgreSQL reads a feed's rows through a server-side cursor: the floor is its SELECT.
    statements = [DECLARED.sub("", sql) for sql in statements]

    def run() -> None:
        cursor = driver.cursor()
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
        cursor.close()

    return run


def plans(statements: list[str]) -> list[str]:
    """How the database reads each of the feed's queries of records: through which index."""
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for sql in (DECLARED.sub("", s) for s in statements):
            if "completed_date" not in sql:
                continue  # the feed's own row, the person's role
            table = re.search(r'FROM "(\w+)"', sql)
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "; ".join(row[-1] for row in cursor.fetchall())
            else:  # how the records' own table is read (the joins are to small tables)
                cursor.execute(f"EXPLAIN {sql}")
                name = table.group(1) if table else "?"
                plan = " | ".join(
                    row[0].strip().removeprefix("->  ")
                    for row in cursor.fetchall()
                    if f" on {name}" in row[0] or "Index Cond" in row[0]
                )
            found.append(f"{table.group(1) if table else '?'}: {plan[:300]}")
    return found


def _studio() -> dict[str, Any]:
    """The studio measured on (untimed): open and finished orders, two departments, a person."""
    from django.db import connection

    from darkroom.clients.models import Invoice
    from darkroom.production.models import ProductionOrder
    from darkroom.studio.calendar.cache import calendar_now
    from darkroom.studio.models import Department
    from darkroom.studio.services import user_create

    busy = Department.objects.create(name="Retouching")
    other = Department.objects.create(name="Front desk")
    person = user_create(
        username="ada", password="correct-horse-battery", role="staff", first_name="Ada"
    )
    kinds = started_orders.order_types(CYCLES)
    labs = started_orders.vendors(5)
    today = calendar_now().today
    started_on = [today - dt.timedelta(days=d) for d in range(5)]
    finished = started_orders.started_orders(
        count=FINISHED_ORDERS, kinds=kinds, labs=labs, person=person, started_on=started_on
    )
    opened = started_orders.started_orders(
        count=OPEN_ORDERS, kinds=kinds, labs=labs, person=person, started_on=started_on
    )
    promised = today + dt.timedelta(days=14)
    orders = ProductionOrder._meta.db_table
    invoices = Invoice._meta.db_table
    last_finished, first_open = finished[-1], opened[0]
    busy_below = first_open + int(OPEN_ORDERS * BUSY_SHARE)
    with connection.cursor() as cursor:
        cursor.execute(
            # Finished orders keep the department and person of their last step, as they do.
            f"UPDATE {orders} SET completed_date = %s, status_due_date = NULL,"
            " status_department_id = %s, status_user_id = %s WHERE id <= %s",
            [today, busy.pk, person.pk, last_finished],
        )
        cursor.execute(
            f"UPDATE {invoices} SET completed_date = %s WHERE id IN "
            f"(SELECT invoice_id FROM {orders} WHERE id <= %s)",
            [today, last_finished],
        )
        cursor.execute(
            f"UPDATE {orders} SET status_department_id = CASE WHEN id < %s THEN %s ELSE %s END,"
            f" status_user_id = CASE WHEN id %% {PERSON_EVERY} = 0 THEN %s ELSE NULL END,"
            " promised_date = %s WHERE id >= %s",
            [busy_below, busy.pk, other.pk, person.pk, promised, first_open],
        )
        cursor.execute(
            f"UPDATE {invoices} SET approximate_delivery_date = %s WHERE completed_date IS NULL",
            [promised],
        )
        cursor.execute("ANALYZE")
    return {
        "person": person,
        "busy": busy,
        "busy_orders": busy_below - first_open,
        "person_orders": sum(1 for pk in opened if pk % PERSON_EVERY == 0),
        "open_invoices": Invoice.objects.filter(completed_date__isnull=True).count(),
    }


def measure() -> None:
    """Measure on the database this process points at and print the figures."""
    from django.test import Client

    from darkroom.feeds.models import FeedScope
    from darkroom.feeds.selectors import feed_entries
    from darkroom.feeds.services import calendar_feed_issue

    studio = _studio()
    manager = studio["person"]
    cases = [
        ("busiest department", FeedScope.DEPARTMENT, {"department": studio["busy"]}, FEED_MS),
        ("one person", FeedScope.PERSON, {"user": studio["person"]}, PERSON_MS),
        ("whole studio", FeedScope.STUDIO, {}, None),
    ]
    expected = {
        "busiest department": 2 * studio["busy_orders"],
        "one person": 2 * studio["person_orders"],
        # Every open order's due and promised dates, and every open invoice's promise.
        "whole studio": 2 * OPEN_ORDERS + studio["open_invoices"],
    }
    department_plans: list[str] = []
    browser = Client(HTTP_HOST="localhost")  # one of the hosts a laptop's Darkroom allows
    print(
        f"{throwaway.engine()}: {OPEN_ORDERS:,} open production orders beside "
        f"{FINISHED_ORDERS:,} finished; medians of {REPEATS} after a warm-up"
    )
    print(f"  {'':<20} {'events':>7} {'answer ms':>10} {'CPU ms':>8} {'read ms':>8}"
          f" {'CPU ms':>8} {'raw ms':>7} {'KB':>6} {'target':>8}")  # fmt: skip
    for label, scope, owner, target in cases:
        feed, key = calendar_feed_issue(by=manager, scope=scope, **owner)
        url = f"/feeds/{key}.ics"
        answer = browser.get(url)
        assert answer.status_code == 200
        events = answer.content.count(b"BEGIN:VEVENT")
        assert events == expected[label], (label, events, expected[label])
        not_modified = browser.get(url, headers={"If-None-Match": answer["ETag"]})
        assert not_modified.status_code == 304

        def read(feed: Any = feed) -> int:
            return len(feed_entries(feed, base_url="http://testserver"))

        entries, statements = captured(read)
        assert entries == events
        answer_ms, answer_cpu = medians_ms(lambda url=url: browser.get(url))
        read_ms, read_cpu = medians_ms(read)
        raw_ms = median_ms(raw_runner(statements))
        if target is None or throwaway.SMOKE:
            verdict = ""
        else:
            verdict = f"{'met' if answer_ms <= target else 'MISSED'} <= {target:g}"
        print(
            f"  {label:<20} {events:>7,} {answer_ms:>10.1f} {answer_cpu:>8.1f} {read_ms:>8.1f}"
            f" {read_cpu:>8.1f} {raw_ms:>7.1f}"
            f" {len(answer.content) / 1024:>6,.0f} {verdict}"
        )
        if scope == FeedScope.DEPARTMENT:
            department_plans = plans(statements)
    print("  answer: the whole request through Django (read, write the text, hash it for the")
    print("  ETag); read: the open records and their events alone; CPU: this process's CPU")
    print("  time of the same runs; raw: the same SQL through the driver, no Python rows")
    print("  how the busiest department's feed reads its records:")
    for plan in department_plans:
        print(f"    {plan}")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=900)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
