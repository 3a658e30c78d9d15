"""Tracked sessions and invoices keep their status and history through the clients services."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.clients.models import Invoice, Session
from darkroom.clients.services import (
    invoice_create,
    invoice_delete,
    session_delete,
    session_save,
)
from darkroom.errors import RecordInUse
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.models import CycleKind, StatusNote
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import cycle_create, record_start, status_add, status_change
from tests.factories import ClientFactory, SessionFactory, SessionTypeFactory
from tests.tracking.conftest import MONDAY


def test_saving_a_stale_session_keeps_the_status_someone_else_set(session_cycle, session, person):
    record_start(record=session, started_on=MONDAY, by=person)
    stale = Session.objects.get(pk=session.pk)  # a page opened before the status change
    fresh = Session.objects.get(pk=session.pk)
    status_change(
        record=fresh, expected_version=fresh.version, updated_by=person, date_completed=MONDAY
    )
    stale.notes = "Bring the family dog"
    session_save(session=stale)
    stored = Session.objects.get(pk=session.pk)
    assert stored.notes == "Bring the family dog"
    assert stored.status == session_cycle.shot
    assert stored.version == fresh.version > stale.version  # the stale version not written back


def test_a_session_with_history_is_not_deleted(session_cycle, session, person):
    record_start(record=session, started_on=MONDAY, by=person)
    with pytest.raises(RecordInUse, match="status history would be lost"):
        session_delete(session=session)
    assert Session.objects.filter(pk=session.pk).exists()
    assert StatusNote.objects.count() == 1


def test_an_invoice_with_history_is_not_deleted(invoice_cycle, invoice, person):
    record_start(record=invoice, started_on=MONDAY, by=person)
    with pytest.raises(RecordInUse, match="status history would be lost"):
        invoice_delete(invoice=invoice)
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_a_new_session_enters_its_cycle_today(studio_today, session_cycle, person):
    session = SessionFactory.build(client=ClientFactory(), session_type=SessionTypeFactory())
    session_save(session=session, by=person)
    stored = Session.objects.get(pk=session.pk)
    assert (stored.status, stored.status_entered_on) == (session_cycle.booked, studio_today)
    (note,) = status_history(record=stored)
    assert (note.kind, note.updated_by, note.to_status) == ("start", person, session_cycle.booked)


def test_sessions_by_type_follow_their_types_cycle(session_cycle, person):
    portrait = SessionTypeFactory(name="Portrait")
    own = cycle_create(kind=CycleKind.SESSION, name="Portraits", session_type=portrait)
    consult = status_add(cycle=own, description="Consultation", default_duration=2)
    status_add(cycle=own, description="Done", is_final=True)
    shared, typed = (
        SessionFactory.build(client=ClientFactory(), session_type=portrait) for _ in range(2)
    )
    session_save(session=shared, by=person)  # the studio does not track by type yet
    studio_preferences_update(statuses_by_session_type=True)
    session_save(session=typed, by=person)
    assert Session.objects.get(pk=shared.pk).status == session_cycle.booked
    assert Session.objects.get(pk=typed.pk).status == consult


def test_a_new_invoice_enters_its_cycle_on_its_date_or_today(studio_today, invoice_cycle, person):
    today = studio_today
    past = invoice_create(client=ClientFactory(), by=person, invoice_date=MONDAY)
    future = invoice_create(
        client=ClientFactory(), by=person, invoice_date=today + dt.timedelta(days=30)
    )
    assert Invoice.objects.get(pk=past.pk).status_entered_on == MONDAY
    assert Invoice.objects.get(pk=future.pk).status_entered_on == today
    assert past.status == invoice_cycle.ordered and past.version == 2


@pytest.mark.django_db
def test_without_a_cycle_new_records_wait_unstarted(person):
    invoice = invoice_create(client=ClientFactory(), by=person)
    assert Invoice.objects.get(pk=invoice.pk).status is None
    assert not StatusNote.objects.exists()
