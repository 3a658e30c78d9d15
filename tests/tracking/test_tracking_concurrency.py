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

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from darkroom.clients.models import Session
from darkroom.errors import Conflict
from darkroom.tracking.models import StatusNote
from darkroom.tracking.services import (
    BulkItem,
    BulkRefused,
    record_start,
    status_change,
    status_change_bulk,
)
from tests.at_once import at_once
from tests.conftest import sqlite_in_a_file
from tests.factories import SessionFactory
from tests.tracking.conftest import MONDAY

ROUNDS = 5


@pytest.fixture
def database_in_a_file(transactional_db, session_cycle, person, tmp_path: Path) -> Iterator[None]:
    """On an in-memory SQLite test database, move the test to a file copy of it for its length."""
    with sqlite_in_a_file(tmp_path / "race.sqlite3"):
        yield


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

        # Two people who opened the same record: each has their own copy, at the same version.
        copies = [Session.objects.get(pk=session.pk) for _ in range(2)]
        outcomes = at_once(
            *(
                lambda record=record, seen=started.version: status_change(
                    record=record, expected_version=seen, updated_by=person
                )
                for record in copies
            )
        )

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


@pytest.mark.django_db(transaction=True)
def test_a_bulk_change_racing_a_single_one_is_all_or_nothing(
    session_cycle, person, database_in_a_file
):
    """A bulk change of two sessions and a single change of the second, at once: exactly one of
    them wins; if the single one does, the bulk change writes nothing, not even the first."""
    wins = set()
    for _ in range(ROUNDS * 2):
        pair = [SessionFactory(date=MONDAY) for _ in range(2)]
        for session in pair:
            record_start(record=session, started_on=MONDAY, by=person)
        first, second = (Session.objects.get(pk=s.pk) for s in pair)
        items = [BulkItem(first.pk, first.version), BulkItem(second.pk, second.version)]

        bulk, single = at_once(
            lambda items=items: status_change_bulk(model=Session, items=items, updated_by=person),
            lambda second=second: status_change(
                record=second, expected_version=second.version, updated_by=person
            ),
        )

        stored = {s.pk: s for s in Session.objects.filter(pk__in=[first.pk, second.pk])}
        notes = StatusNote.objects.filter(object_id__in=stored, kind="change")
        if isinstance(bulk, list):
            wins.add("bulk")
            assert isinstance(single, Conflict), single
            assert notes.count() == 2
            assert {s.version for s in stored.values()} == {first.version + 1}
        else:
            wins.add("single")
            assert isinstance(bulk, BulkRefused), bulk
            assert isinstance(single, StatusNote), single
            refused = [o for o in bulk.outcomes if not o.ok]
            assert [(o.id, o.field) for o in refused] == [(second.pk, "version")]
            assert stored[first.pk].version == first.version  # nothing of the bulk change
            assert stored[first.pk].status == session_cycle.booked
            assert [n.object_id for n in notes] == [second.pk]
        assert stored[second.pk].status == session_cycle.shot
    assert wins  # which side wins each round is up to the databases's scheduling
