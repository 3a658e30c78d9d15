"""Tracked sessions and invoices keep their status and history through the clients services."""

from __future__ import annotations

import pytest

from darkroom.clients.models import Invoice, Session
from darkroom.clients.services import invoice_delete, session_delete, session_save
from darkroom.errors import RecordInUse
from darkroom.tracking.models import StatusNote
from darkroom.tracking.status_change import record_start, status_change
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
