"""Benchmark the events feed: what one poll of ``GET /api/v1/events`` costs in a big studio.

Why: integrators poll the feed every few seconds, for years, so a page must cost the same at
the first event and the six-millionth: the feed reads ``limit`` rows of one index
(``event_commit_order``) after the cursor and never counts. The target: a page of PAGE events
answered in at most PAGE_MS (median) whatever its place in the feed, with the events of a
studio of a million production orders (EVENTS events: its status history is about 5.6 notes an
order, each an event).

Inputs: throwaway databases (``throwaway.py``) holding EVENTS events written straight into the
table in one statement (setup, not measured; the events' content doesn't change what a page
costs). Figures: the median of REPEATS polls after a warm-up, through Django's test client with
an API token (authentication, the feed, the JSON), the feed's read alone, and beside them the
floor: the same SQL through the database driver. Pages are read at the start of the feed, in
its middle and at its end, and from ``after=latest``. Each page's events are checked untimed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import throwaway

EVENTS = throwaway.size(6_000_000, smoke=300)
PAGE = 100
PAGE_MS = 10.0
REPEATS = throwaway.size(25, smoke=1)
SETTLE_SECONDS = 300

_FILL = {
    "sqlite": (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
        "INSERT INTO events_event (tx, type, occurred_at, record_kind, record_id, data) "
        "SELECT 0, 'production_order.status_changed', '2026-01-01 00:00:00', "
        "'production_order', i / 6 + 1, "
        '\'{"record": {"kind": "production_order", "id": \' || (i / 6 + 1) || \'}}\' FROM n'
    ),
    # Events written by many transactions, all committed: their ids spread over the
    # transactions before this one (older than every one still running, as a studio's are).
    "postgresql": (
        "INSERT INTO events_event (tx, type, occurred_at, record_kind, record_id, data) "
        "SELECT (i::numeric * (pg_current_xact_id()::text::bigint - 1) / %s)::bigint, "
        "'production_order.status_changed', '2026-01-01 00:00:00+00', "
        "'production_order', i / 6 + 1, "
        "jsonb_build_object('record', jsonb_build_object('kind', 'production_order', "
        "'id', i / 6 + 1)) FROM generate_series(1, %s) AS i"
    ),
}


def _medians_ms(run: Callable[[], Any]) -> tuple[float, float]:
    run()  # warm-up
    runs = throwaway.time_runs(run, repeats=REPEATS)
    return runs.median * 1000, statistics.median(runs.cpu_seconds) * 1000


def _filled() -> str:
    """The API token of a person with a role, once the events are written (untimed)."""
    from django.db import connection

    from darkroom.studio.services import api_token_create, user_create

    with connection.cursor() as cursor:
        fill = _FILL[connection.vendor]
        cursor.execute(fill, [EVENTS] * fill.count("%s"))
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE events_event")
        else:
            cursor.execute("ANALYZE")
    person = user_create(username="integrator", password="correct-horse-battery", role="readonly")
    return api_token_create(user=person)


def _settled(newest: int) -> None:
    """Wait until the feed shows the events just written, up to SETTLE_SECONDS.

    On PostgreSQL the feed shows only events older than every transaction still running on
    the server (``events/feed.py``), in any of its databases: a test suite sharing the server
    holds them back for as long as its current test's transaction lasts. Measuring before
    then would page an empty feed."""
    from darkroom.events.feed import latest_position

    deadline = time.monotonic() + SETTLE_SECONDS
    while latest_position().event_id != newest:
        if time.monotonic() > deadline:
            raise SystemExit(
                f"The events written were not settled after {SETTLE_SECONDS} s: a transaction"
                " on the PostgreSQL server has been running all that time."
            )
        time.sleep(0.05)


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from darkroom.events.feed import START, Position, events_after, latest_position
    from darkroom.events.models import Event

    token = _filled()
    poller = Client(HTTP_HOST="localhost", headers={"Authorization": f"Bearer {token}"})

    def at(pk: int) -> Position:
        """The place in the feed right after event ``pk``."""
        tx, event_id = Event.objects.filter(pk=pk).values_list("tx", "id").get()
        return Position(tx=tx, event_id=event_id)

    newest = Event.objects.order_by("-id").values_list("id", flat=True)[0]
    _settled(newest)
    places = {
        "first page": START,
        "middle": at(newest // 2),
        "last events": at(newest - PAGE // 2),
        "latest (empty)": latest_position(),
    }
    print(
        f"{throwaway.engine()}: {EVENTS:,} events, pages of {PAGE}; medians of {REPEATS} "
        "after a warm-up"
    )
    print(f"  {'':<16} {'events':>6} {'answer ms':>10} {'CPU ms':>8} {'read ms':>8}"
          f" {'raw ms':>7} {'target':>9}")  # fmt: skip
    connection.ensure_connection()
    driver = connection.connection
    middle_sql = ""
    for label, position in places.items():
        url = "/api/v1/events?" + f"limit={PAGE}&after={position.cursor()}"
        answer = poller.get(url)
        assert answer.status_code == 200, answer.content
        events = answer.json()["results"]
        expected = {"first page": PAGE, "middle": PAGE, "last events": PAGE // 2}.get(label, 0)
        assert len(events) == expected, (label, len(events))
        with CaptureQueriesContext(connection) as queries:
            events_after(position, limit=PAGE)
        [sql] = [q["sql"] for q in queries.captured_queries]
        if label == "middle":
            middle_sql = sql

        def raw(sql: str = sql) -> None:
            cursor = driver.cursor()
            cursor.execute(sql)
            cursor.fetchall()
            cursor.close()

        answer_ms, answer_cpu = _medians_ms(lambda url=url: poller.get(url))
        read_ms, _ = _medians_ms(lambda position=position: events_after(position, limit=PAGE))
        raw_ms, _ = _medians_ms(raw)
        verdict = "" if throwaway.SMOKE else f"{'met' if answer_ms <= PAGE_MS else 'MISSED'}"
        print(
            f"  {label:<16} {len(events):>6} {answer_ms:>10.2f} {answer_cpu:>8.2f}"
            f" {read_ms:>8.2f} {raw_ms:>7.2f} {verdict + f' <= {PAGE_MS:g}':>9}"
        )
    with connection.cursor() as cursor:  # how the middle page reads: a range of one index
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + middle_sql)
        plan = " | ".join(str(row[-1] if connection.vendor == "sqlite" else row[0]).strip()
                          for row in cursor.fetchall())  # fmt: skip
    print(f"  plan of a page in the middle: {plan[:300]}")
    print("  answer: the whole poll through Django (token, feed, JSON); read: the feed's query")
    print("  and its rows alone; raw: the same SQL through the driver, no Python rows")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=1800)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
