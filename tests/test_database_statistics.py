"""The planner's statistics: gathered on SQLite (which never does it by itself) when the worker
starts and then once a day, left to PostgreSQL's autovacuum."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator

import pytest
from django.db import connection
from django.utils import timezone

from darkroom.database_statistics import statistics_gather
from darkroom.studio.management.commands import worker
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def statistics_rows() -> list[tuple[str, str]]:
    """SQLite's statistics: (table, index) pairs it holds figures of."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT tbl, idx FROM sqlite_stat1")
        return list(cursor.fetchall())


@pytest.fixture
def worker_new() -> Iterator[None]:
    """A worker that has not gathered them yet."""
    worker._statistics_gathered_at.clear()
    yield
    worker._statistics_gathered_at.clear()


def test_sqlite_gets_statistics_of_its_tables_and_postgresql_is_left_alone():
    ClientFactory.create_batch(3)
    gathered = statistics_gather()
    if connection.vendor == "sqlite":
        assert gathered
        assert "clients_client" in {table for table, _ in statistics_rows()}
    else:
        assert not gathered  # autovacuum's work: nothing run here


def test_the_worker_gathers_them_when_it_starts_then_once_a_day(worker_new, time_machine, caplog):
    ClientFactory.create_batch(3)
    caplog.set_level(logging.INFO, logger="darkroom.worker")
    started = timezone.now()
    time_machine.move_to(started, tick=False)

    assert worker.statistics_once() is False  # never "a full batch: again at once"
    assert worker._statistics_gathered_at == [started]
    if connection.vendor == "sqlite":
        assert statistics_rows()
        assert "Gathered the database's statistics" in caplog.text
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")

    time_machine.move_to(started + dt.timedelta(hours=23), tick=False)
    worker.statistics_once()
    assert worker._statistics_gathered_at == [started]  # not again the same day
    if connection.vendor == "sqlite":
        assert statistics_rows() == []

    a_day_later = started + dt.timedelta(days=1, minutes=1)
    time_machine.move_to(a_day_later, tick=False)
    worker.statistics_once()
    assert worker._statistics_gathered_at == [a_day_later]
    if connection.vendor == "sqlite":
        assert statistics_rows()
