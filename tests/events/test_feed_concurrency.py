"""The feed never skips an event a slower change commits after a quicker one.

On PostgreSQL ids are handed out when a row is written, not when it commits: a change that
began first (and so holds the older transaction) can write its event after a quicker change
wrote and committed one with a smaller id. A reader paging by id would take the quick one,
move past it, and never see the slow one. The feed holds back every event of a transaction
younger than one still running, so the quick event waits for the slow one, and then both come,
the slow (older) one first. On SQLite writers take turns: the second waits for the first to
commit, so ids are already in commit order.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from darkroom.events.feed import START, events_after
from darkroom.events.models import Event
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services.change import status_change
from tests import factories as f
from tests.conftest import sqlite_in_a_file

pytestmark = pytest.mark.django_db(transaction=True)

A_SLOW_EVENT = (
    "INSERT INTO events_event (type, occurred_at, record_kind, data) "
    "VALUES ('production_order.status_changed', CURRENT_TIMESTAMP, 'production_order', '{}')"
)


@pytest.fixture
def on_a_file(tmp_path: Path) -> Iterator[None]:
    with sqlite_in_a_file(tmp_path / "feed.sqlite3"):
        yield


@pytest.fixture
def closing_at_the_end() -> Iterator[Callable[[Any], Any]]:
    """Another connection, closed when the test ends however it ends (a transaction left open
    would hold the tables the test database is emptied through)."""
    opened: list[Any] = []
    yield lambda other: opened.append(other) or other
    for other in opened:
        other.close()


def quick_change():
    """A whole status change, committed, and how to find its event."""
    prints = f.cycle_with_statuses(kind=CycleKind.PRODUCTION, name="Prints")
    order = f.started_production_order(order_type=prints.order_type)

    def change() -> int:
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=order.entered_by,
            to_status=prints["At the lab"],
        )
        return Event.objects.get(record_id=order.pk, type="production_order.status_changed").pk

    return change


def read_until(ids: set[int], *, seconds: float = 180) -> list[int]:
    """Poll the feed from the start as an integrator would until ``ids`` have all come; the
    ids it gave, in order. (Other transactions of the database server may hold the feed back
    longer: it waits for every older one, and a test of another worker of the suite sharing
    the server may take many seconds in its transaction.)"""
    seen: list[int] = []
    position = START
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = events_after(position, limit=100)
        seen += [event.pk for event in page.events]
        position = page.next_position
        if ids <= set(seen):
            return seen
        connection.close()  # a fresh snapshot next time, as the next request would have
    raise AssertionError(f"The feed never gave {sorted(ids - set(seen))}")


def test_a_slow_change_is_not_skipped_by_a_quick_one_that_commits_first(
    people, on_a_file, closing_at_the_end
):
    change = quick_change()
    already = {event.pk for event in events_after(START, limit=500).events}
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        slow = closing_at_the_end(psycopg.connect(**connection.get_connection_params()))
        slow.execute("SELECT pg_current_xact_id()")  # the slow change has begun
        quick_event = change()  # a quick one begins after it, writes its event and commits
        slow_event = slow.execute(A_SLOW_EVENT + " RETURNING id").fetchone()[0]
        assert slow_event > quick_event  # the slow change's event has the larger id
        # While the slow change runs, the quick one's event is held back.
        shown = {event.pk for event in events_after(START, limit=500).events} - already
        assert quick_event not in shown and slow_event not in shown
        slow.commit()
        slow.close()
        seen = [pk for pk in read_until({slow_event, quick_event}) if pk not in already]
        assert seen.index(slow_event) < seen.index(quick_event)  # the older transaction first
        assert len(seen) == len(set(seen))
    else:
        slow = closing_at_the_end(
            sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        )
        slow.execute("BEGIN IMMEDIATE")
        slow_event = slow.execute(A_SLOW_EVENT + " RETURNING id").fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 100")
        with pytest.raises(OperationalError):  # the quick change waits its turn: it can't
            change()  # write an event before the slow one commits
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 5000")
        assert slow_event not in {e.pk for e in events_after(START, limit=500).events}
        slow.execute("COMMIT")
        slow.close()
        change()
        seen = [e.pk for e in events_after(START, limit=500).events if e.pk not in already]
        assert seen[0] == slow_event and len(seen) == 2
