"""Status changes on sessions and invoices: defaults, due dates, final and reopen, history,
and every refused change leaving the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.clients.models import Invoice, Session
from darkroom.clients.services import invoice_update
from darkroom.errors import Conflict, DarkroomError
from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.calendar.writes import closure_add
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import StatusNote
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import record_start, status_change, status_update
from tests.factories import DepartmentFactory, UserFactory
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = (MONDAY + dt.timedelta(days=n) for n in range(1, 5))
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


def advance(record, person, **given):
    return status_change(record=record, expected_version=record.version, updated_by=person, **given)


def test_start_enters_the_initial_status(session_cycle, session, person):
    note = record_start(record=session, started_on=FRIDAY, by=person)
    stored = Session.objects.get(pk=session.pk)
    assert stored.status == session_cycle.booked
    assert stored.status_entered_on == FRIDAY
    assert stored.status_due_date == NEXT_MONDAY  # Friday + 1
    assert stored.version == session.version == 2
    assert (note.from_status, note.to_status, note.date_completed) == (
        None,
        session_cycle.booked,
        FRIDAY,
    )
    assert note.due_date == NEXT_MONDAY and note.business_days_taken is None


def test_start_twice_is_refused(session_cycle, session, person, unchanged):
    record_start(record=session, started_on=MONDAY, by=person)
    with unchanged(), pytest.raises(Conflict, match="already"):
        record_start(record=session, started_on=MONDAY, by=person)


def test_default_target_is_the_next_active_status(session_cycle, session, person):
    record_start(record=session, started_on=MONDAY, by=person)
    advance(session, person, date_completed=TUESDAY)
    assert session.status == session_cycle.shot
    advance(session, person, date_completed=WEDNESDAY)  # skips "On hold" (inactive)
    assert session.status == session_cycle.proofing
    assert Session.objects.get(pk=session.pk).status == session_cycle.proofing


def test_forward_due_dates_follow_the_calendar_with_a_closure(session_cycle, session, person):
    closure_add(first_date=THURSDAY, label="Studio day off")
    record_start(record=session, started_on=MONDAY, by=person)
    advance(session, person, date_completed=TUESDAY)  # Shot: 2 business days, Thursday closed
    assert session.status_due_date == studio_calendar().due(TUESDAY, 2) == FRIDAY
    advance(session, person, date_completed=WEDNESDAY)  # Proofing: 3
    assert session.status_due_date == studio_calendar().due(WEDNESDAY, 3)
    assert session.status_due_date == NEXT_MONDAY + dt.timedelta(days=1)
    assert not session.status_due_overridden


def test_final_records_completion_and_leaving_it_reopens(session_cycle, session, person):
    record_start(record=session, started_on=MONDAY, by=person)
    advance(session, person, to_status=session_cycle.delivered, date_completed=WEDNESDAY)
    stored = Session.objects.get(pk=session.pk)
    assert (stored.completed_by, stored.completed_date, stored.status_due_date) == (
        person,
        WEDNESDAY,
        None,
    )
    other = UserFactory(username="frontdesk")
    advance(session, other, to_status=session_cycle.shot, date_completed=THURSDAY)  # reopen
    stored = Session.objects.get(pk=session.pk)
    assert (stored.completed_by, stored.completed_date) == (None, None)
    assert stored.status_due_date == studio_calendar().due(THURSDAY, 2)


def test_rework_moves_backwards(invoice_cycle, invoice, person):
    record_start(record=invoice, started_on=MONDAY, by=person)
    advance(invoice, person, to_status=invoice_cycle.ready, date_completed=TUESDAY)
    advance(invoice, person, to_status=invoice_cycle.production, date_completed=WEDNESDAY)
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.status == invoice_cycle.production
    assert stored.status_due_date == studio_calendar().due(WEDNESDAY, 5)


def test_an_override_is_kept_and_flagged(invoice_cycle, invoice, person):
    record_start(record=invoice, started_on=MONDAY, by=person)
    note = advance(invoice, person, date_completed=MONDAY, due_date=FRIDAY + dt.timedelta(days=14))
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.status_due_date == FRIDAY + dt.timedelta(days=14)
    assert stored.status_due_overridden and note.due_overridden


def test_giving_the_computed_date_is_not_an_override(invoice_cycle, invoice, person):
    record_start(record=invoice, started_on=MONDAY, by=person)
    computed = studio_calendar().due(MONDAY, 5)
    note = advance(invoice, person, date_completed=MONDAY, due_date=computed)
    assert note.due_date == computed and not note.due_overridden


def test_history_tells_each_step_and_how_long_it_took(invoice_cycle, invoice, person):
    record_start(record=invoice, started_on=MONDAY, by=person)
    advance(invoice, person, date_completed=TUESDAY)
    advance(
        invoice, person, date_completed=NEXT_MONDAY, note="Lab was slow", current_not_complete=True
    )
    rows = [
        (
            n.from_status,
            n.to_status,
            n.date_completed,
            n.business_days_taken,
            n.planned_duration,
            n.not_complete,
            n.note,
        )
        for n in status_history(record=invoice)
    ]
    assert rows == [
        (None, invoice_cycle.ordered, MONDAY, None, None, False, ""),
        (invoice_cycle.ordered, invoice_cycle.production, TUESDAY, 1, 0, False, ""),
        (invoice_cycle.production, invoice_cycle.ready, NEXT_MONDAY, 4, 5, True, "Lab was slow"),
    ]
    assert all(
        n.updated_by == person and n.changed_at is not None for n in status_history(record=invoice)
    )


def test_assignment_defaults_to_the_new_status_and_can_be_changed(invoice_cycle, invoice, person):
    lab = DepartmentFactory(name="Lab desk")
    boss = UserFactory(username="boss")
    status_update(status=invoice_cycle.production, default_department=lab, default_user=boss)
    record_start(record=invoice, started_on=MONDAY, by=person)
    advance(invoice, person, date_completed=MONDAY)
    assert (invoice.status_department, invoice.status_user) == (lab, boss)
    advance(
        invoice,
        person,
        date_completed=MONDAY,
        to_status=invoice_cycle.ordered,
        department=None,
        user=person,
    )
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.status_department, stored.status_user) == (None, person)


def test_a_status_change_makes_an_open_invoice_editor_stale(
    invoice_cycle, invoice, person, unchanged
):
    seen = invoice.version
    record_start(record=invoice, started_on=MONDAY, by=person)
    with unchanged(), pytest.raises(Conflict):
        invoice_update(invoice=invoice, expected_version=seen, notes="Rush")


def test_a_stale_version_is_a_conflict(session_cycle, session, person, unchanged):
    record_start(record=session, started_on=MONDAY, by=person)
    seen = session.version
    advance(session, person, date_completed=MONDAY)  # someone else, first
    with unchanged(), pytest.raises(Conflict, match="changed by someone else"):
        status_change(
            record=session, expected_version=seen, updated_by=person, date_completed=MONDAY
        )


def test_a_record_not_yet_started_is_refused(session_cycle, session, person, unchanged):
    with unchanged(), pytest.raises(DarkroomError, match="not entered"):
        advance(session, person)


def test_no_next_status_after_the_last(session_cycle, session, person, unchanged):
    record_start(record=session, started_on=MONDAY, by=person)
    advance(session, person, to_status=session_cycle.delivered, date_completed=MONDAY)
    with unchanged(), pytest.raises(ValidationError) as refused:
        advance(session, person, date_completed=MONDAY)
    assert "to_status" in refused.value.message_dict


def test_no_cycle_is_a_clear_refusal(session, person, unchanged):
    with unchanged(), pytest.raises(DarkroomError, match="no status cycle for sessions"):
        record_start(record=session, started_on=MONDAY, by=person)


BAD_CHANGES = {
    "another cycle's status": (lambda s, i: {"to_status": i.production}, "to_status"),
    "an inactive status": (lambda s, i: {"to_status": s.hold}, "to_status"),
    "the current status": (lambda s, i: {"to_status": s.shot}, "to_status"),
    "a date in the future": (
        lambda s, i: {"date_completed": studio_preferences().today() + dt.timedelta(days=1)},
        "date_completed",
    ),
    "a date before the previous change": (
        lambda s, i: {"date_completed": MONDAY},
        "date_completed",
    ),
    "an override before the date completed": (
        lambda s, i: {"date_completed": WEDNESDAY, "due_date": TUESDAY},
        "due_date",
    ),
    "a due date on the final status": (
        lambda s, i: {"to_status": s.delivered, "date_completed": WEDNESDAY, "due_date": FRIDAY},
        "due_date",
    ),
    "a datetime for a date": (
        lambda s, i: {"date_completed": dt.datetime(2026, 3, 4, 9, 0)},
        "date_completed",
    ),
    "an inactive department": (
        lambda s, i: {
            "date_completed": WEDNESDAY,
            "department": DepartmentFactory(is_inactive=True),
        },
        "department",
    ),
    "a person who left": (
        lambda s, i: {"date_completed": WEDNESDAY, "user": UserFactory(is_active=False)},
        "user",
    ),
}


@pytest.mark.parametrize("case", BAD_CHANGES)
def test_bad_changes_are_refused_and_change_nothing(
    case, session_cycle, invoice_cycle, session, person, unchanged
):
    record_start(record=session, started_on=MONDAY, by=person)
    advance(session, person, date_completed=TUESDAY)  # now "Shot", entered Tuesday
    make, field = BAD_CHANGES[case]
    given = make(session_cycle, invoice_cycle)
    version = session.version
    with unchanged(), pytest.raises(ValidationError) as refused:
        advance(session, person, **given)
    assert field in refused.value.message_dict
    assert session.version == version
    assert StatusNote.objects.count() == 2


def test_a_status_change_runs_a_fixed_handful_of_queries(session_cycle, session, person):
    """The hot path: read the record with its cycle's version, the calendar's key (with today and
    the due-date mode), one version-checked UPDATE and one INSERT of the history row; the cycle's
    steps come from the cache once read. Then the event for the outside world (an INSERT) and
    its webhook deliveries (an INSERT … SELECT of the endpoints that want it; none here). No
    lazy loads on top."""
    record_start(record=session, started_on=MONDAY, by=person)
    with CaptureQueriesContext(connection) as queries:
        status_change(
            record=session,
            expected_version=session.version,
            updated_by=person,
            date_completed=MONDAY,
        )
    statements = [q["sql"].split()[0].upper() for q in queries]
    statements = [s for s in statements if s not in ("BEGIN", "SAVEPOINT", "RELEASE")]
    assert statements == ["SELECT", "SELECT", "UPDATE", "INSERT", "INSERT", "WITH"], statements
