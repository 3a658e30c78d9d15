"""The version a person saw, checked twice: before anything is planned, and again by the UPDATE
that writes the status (``WHERE version = …``), so a writer that slips in between still loses.

Two people open the same session in "Booked". One moves it on first; the other's change, made
on what they saw, must be refused whole: a 409 that tells them to reload, and no trace of it.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.db import connection

from darkroom.clients.models import Session
from darkroom.tracking.models import StatusNote
from darkroom.tracking.services import record_start, status_change
from darkroom.tracking.status_rows import read_record, write_status
from tests.conftest import sqlite_in_a_file
from tests.factories import SessionFactory
from tests.tracking.conftest import MONDAY, tracking_state

TUESDAY, WEDNESDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 2))
CONFLICT = {
    "detail": "This session was changed by someone else since you opened it. "
    "Reload it to see their change, then make yours again.",
    "code": "conflict",
}


def started(person) -> Session:
    session = SessionFactory(date=MONDAY)
    record_start(record=session, started_on=MONDAY, by=person)
    return Session.objects.get(pk=session.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "late_change",
    [
        # The same move the first person made: judged on today's record it is "already Shot".
        lambda steps: {"to_status": steps.shot.pk, "date_completed": WEDNESDAY.isoformat()},
        # A date before the first person's move: judged on today's record it is "too early".
        lambda steps: {"to_status": steps.proofing.pk, "date_completed": TUESDAY.isoformat()},
    ],
    ids=["the-same-move", "a-date-before-the-other-move"],
)
def test_a_change_made_on_a_stale_version_is_refused_before_it_is_judged(
    api, session_cycle, person, late_change
):
    """The stale version is told as such (409, reload), not as a mistake in the change that
    the person could not have seen (422): the version is checked before the change is planned."""
    session = started(person)
    seen = session.version
    first = api("staff").post(
        f"sessions/{session.pk}/status-changes",
        {
            "version": seen,
            "to_status": session_cycle.shot.pk,
            "date_completed": WEDNESDAY.isoformat(),
        },
    )
    assert first.status_code == 201, first.json()
    before = tracking_state()
    stored = Session.objects.get(pk=session.pk)

    late = api("manager").post(
        f"sessions/{session.pk}/status-changes", {"version": seen, **late_change(session_cycle)}
    )

    assert (late.status_code, late.json()) == (409, CONFLICT)
    assert tracking_state() == before
    after = Session.objects.get(pk=session.pk)
    assert (after.status, after.version, after.status_entered_on, after.status_due_date) == (
        session_cycle.shot,
        seen + 1,
        WEDNESDAY,
        stored.status_due_date,
    )
    history = StatusNote.objects.filter(object_id=session.pk).order_by("pk")
    assert [(n.from_status, n.to_status) for n in history] == [
        (None, session_cycle.booked),
        (session_cycle.booked, session_cycle.shot),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_status_write_refuses_a_version_another_writer_moved_since_the_read(
    session_cycle, person, tmp_path: Path
):
    """Read the record, let another writer on its own connection change it and commit, then
    write with the version read: the conditional UPDATE writes nothing and says so.

    On SQLite the service's transactions take the write lock when they begin, so this can't
    happen inside one ``status_change``; the UPDATE's own check is what stops it on PostgreSQL,
    where it can. Here it is checked on both, with two real connections."""
    with sqlite_in_a_file(tmp_path / "writers.sqlite3"):
        session = started(person)
        read = read_record(Session, session.pk)
        assert read is not None and read.status_id == session_cycle.booked.pk

        def other_writer() -> None:
            try:
                status_change(
                    record=Session.objects.get(pk=session.pk),
                    expected_version=read.version,
                    updated_by=person,
                    date_completed=TUESDAY,
                )
            finally:
                connection.close()  # the thread's own connection

        writer = threading.Thread(target=other_writer)
        writer.start()
        writer.join(timeout=60)
        assert not writer.is_alive()
        moved = Session.objects.get(pk=session.pk)
        assert (moved.status, moved.version) == (session_cycle.shot, read.version + 1)

        written = write_status(
            Session,
            {"status": session_cycle.proofing, "status_entered_on": WEDNESDAY},
            session.pk,
            read.version,
        )

        assert written is False
        stored = Session.objects.get(pk=session.pk)
        assert (stored.status, stored.version, stored.status_entered_on) == (
            session_cycle.shot,
            read.version + 1,
            TUESDAY,
        )
        assert stored.status_due_date == moved.status_due_date
