"""Session and client writes: validation, the session's type and client, deleting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from darkroom.clients.models import Client, Session
from darkroom.clients.services import (
    client_delete,
    client_save,
    session_delete,
    session_save,
)
from darkroom.errors import RecordInUse
from tests.factories import ClientFactory, SessionTypeFactory

pytestmark = pytest.mark.django_db


def test_a_client_needs_a_last_name_and_a_real_email(unchanged):
    with unchanged(), pytest.raises(ValidationError) as caught:
        client_save(client=Client(first_name="Ana", email="not-an-email"))
    assert set(caught.value.message_dict) == {"last_name", "email"}


def test_a_client_is_saved(db):
    client = client_save(client=Client(first_name="Ana", last_name="Garcia", do_not_call=True))
    assert Client.objects.get(pk=client.pk).name == "Ana Garcia"


def test_a_new_session_needs_an_active_type(client_record, unchanged):
    retired = SessionTypeFactory(name="Glamour", is_inactive=True)
    with unchanged(), pytest.raises(ValidationError) as caught:
        session_save(
            session=Session(client=client_record, session_type=retired, date=dt.date(2026, 12, 2))
        )
    assert caught.value.message_dict["session_type"] == [
        "“Glamour” is inactive; choose an active type."
    ]


def test_a_session_keeps_its_retired_type_when_edited(session_record):
    session_record.session_type.is_inactive = True
    session_record.session_type.save()
    session_record.notes = "Moved indoors"
    session_save(session=session_record)
    assert Session.objects.get(pk=session_record.pk).notes == "Moved indoors"


def test_a_session_with_invoices_stays_with_its_client(invoice, session_record, unchanged):
    session_record.client = ClientFactory()
    with unchanged(), pytest.raises(ValidationError) as caught:
        session_save(session=session_record)
    assert caught.value.message_dict["client"] == [
        "This session has invoices, so it stays with its client."
    ]


def test_a_session_without_invoices_may_move_to_another_client(session_record):
    other = ClientFactory()
    session_record.client = other
    session_save(session=session_record)
    assert Session.objects.get(pk=session_record.pk).client == other


def test_a_client_with_invoices_or_sessions_is_not_deleted(invoice, unchanged):
    with unchanged(), pytest.raises(RecordInUse) as caught:
        client_delete(client=invoice.client)
    assert caught.value.code == "in_use"
    assert "Ana Garcia" in caught.value.message and "can't be deleted" in caught.value.message


def test_a_session_with_invoices_is_not_deleted(invoice, unchanged):
    with unchanged(), pytest.raises(RecordInUse):
        session_delete(session=invoice.session)


def test_unused_client_and_session_are_deleted(session_record):
    client = session_record.client
    session_delete(session=session_record)
    client_delete(client=client)
    assert not Client.objects.exists() and not Session.objects.exists()
