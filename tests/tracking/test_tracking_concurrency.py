"""Two people changing the same record at the same moment: one change wins, the other conflicts.

Each caller runs in its own thread, so on its own database connection and in its own
transaction. On PostgreSQL the two transactions really overlap: the version-checked UPDATE of
the first holds the row lock, the second waits on it and then finds the version gone. On SQLite
the IMMEDIATE transactions take the write lock in turn, so the second sees the first's commit;
the outcome asserted is the same on both. The SQLite test database lives in memory, where
connections share one cache and a second writer fails at once ("table is locked") instead of
waiting its turn; the race therefore runs on a copy in a file, as the studio's database is.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections

from darkroom.clients.models import Session
from darkroom.errors import Conflict
from darkroom.tracking.models import StatusNote
from darkroom.tracking.status_change import record_start, status_change
from tests.factories import SessionFactory
from tests.tracking.conftest import MONDAY

ROUNDS = 5


@pytest.fixture
def database_in_a_file(transactional_db, session_cycle, person, tmp_path: Path) -> Iterator[None]:
    """On an in-memory SQLite test database, move the test to a file copy of it for its length."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_memory, settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = settings
        connections["default"] = in_memory


def _race(session_pk: int, version: int, person) -> list[object]:
    """Both callers read the record, meet at the barrier, then change it at once."""
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def caller() -> None:
        try:
            record = Session.objects.get(pk=session_pk)
            assert record.version == version
            barrier.wait(timeout=30)
            try:
                outcome: object = status_change(
                    record=record, expected_version=version, updated_by=person
                )
            except Exception as exc:  # the assertion below tells which kind it was
                outcome = exc
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=caller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_changes_one_wins_the_other_conflicts(
    session_cycle, person, database_in_a_file
):
    kind = ContentType.objects.get_for_model(Session)
    for _ in range(ROUNDS):
        session = SessionFactory(date=MONDAY)
        record_start(record=session, started_on=MONDAY, by=person)
        started = Session.objects.get(pk=session.pk)
        assert started.status == session_cycle.booked

        outcomes = _race(session.pk, started.version, person)

        notes = [o for o in outcomes if isinstance(o, StatusNote)]
        conflicts = [o for o in outcomes if isinstance(o, Conflict)]
        assert (len(notes), len(conflicts)) == (1, 1), outcomes
        stored = Session.objects.get(pk=session.pk)
        assert stored.status == session_cycle.shot
        assert stored.version == started.version + 1
        history = StatusNote.objects.filter(content_type=kind, object_id=session.pk).order_by("id")
        assert [(n.from_status, n.to_status) for n in history] == [
            (None, session_cycle.booked),
            (session_cycle.booked, session_cycle.shot),
        ]
        assert history[1].pk == notes[0].pk
