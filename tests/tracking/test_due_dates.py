"""Moving a record's status due date by hand: the service, its history row, its API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from darkroom.errors import Conflict, DarkroomError
from darkroom.todos.services import task_create
from darkroom.tracking.models import CycleKind, NoteKind, StatusNote
from darkroom.tracking.services import (
    due_dates_recompute,
    due_move_words,
    record_start,
    status_change,
    status_due_date_set,
)
from tests.factories import (
    cycle_with_statuses,
    new_task,
    started_production_order,
    started_proof_order,
)
from tests.production.test_scans import production_cycle
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

THURSDAY = MONDAY + dt.timedelta(days=3)
NEXT_MONDAY = MONDAY + dt.timedelta(days=7)


def started(record, by):
    record_start(record=record, started_on=MONDAY, by=by)
    return type(record).objects.get(pk=record.pk)


def test_moving_the_due_date_keeps_the_status_and_writes_a_due_row(invoice_cycle, invoice, person):
    invoice = started(invoice, person)
    status_change(record=invoice, expected_version=invoice.version, updated_by=person,
                  date_completed=MONDAY)  # fmt: skip
    invoice.refresh_from_db()
    assert (invoice.status, invoice.status_due_date) == (invoice_cycle.production, NEXT_MONDAY)
    before = invoice.projected_completion
    note = status_due_date_set(
        record=invoice,
        expected_version=invoice.version,
        due_date=NEXT_MONDAY + dt.timedelta(days=2),
        updated_by=person,
        note="  The lab is closed Monday ",
    )
    stored = type(invoice).objects.get(pk=invoice.pk)
    wednesday = NEXT_MONDAY + dt.timedelta(days=2)
    assert stored.status == invoice_cycle.production and stored.status_entered_on == MONDAY
    assert (stored.status_due_date, stored.status_due_overridden) == (wednesday, True)
    assert stored.projected_completion == before + dt.timedelta(days=2)  # Ready: 1 more day
    assert stored.version == invoice.version  # the caller's record is brought up to date
    assert note.kind == NoteKind.DUE
    assert (note.previous_due_date, note.due_date, note.due_overridden) == (
        NEXT_MONDAY,
        wednesday,
        True,
    )
    assert note.from_status == note.to_status == invoice_cycle.production
    assert note.note == "The lab is closed Monday" and note.updated_by == person
    assert due_move_words(note) == "due date moved 03-09 → 03-11"
    assert StatusNote.objects.filter(object_id=invoice.pk).count() == 3  # append-only


def test_an_overridden_date_survives_a_calendar_recompute(invoice_cycle, invoice, person):
    invoice = started(invoice, person)
    status_due_date_set(
        record=invoice, expected_version=invoice.version, due_date=THURSDAY, updated_by=person
    )
    due_dates_recompute(reason="calendar changed")
    invoice.refresh_from_db()
    assert (invoice.status_due_date, invoice.status_due_overridden) == (THURSDAY, True)


def refused(record, unchanged, error, **given):
    arguments = {
        "record": record,
        "expected_version": record.version,
        "due_date": THURSDAY,
        "updated_by": None,
        "note": "",
    } | given
    with unchanged(), pytest.raises(error) as caught:
        status_due_date_set(**arguments)
    return caught.value


def test_a_stale_version_is_a_conflict(invoice_cycle, invoice, person, unchanged):
    invoice = started(invoice, person)
    error = refused(invoice, unchanged, Conflict, expected_version=invoice.version - 1,
                    updated_by=person)  # fmt: skip
    assert "changed by someone else" in error.message


def test_bad_input_is_refused_and_changes_nothing(invoice_cycle, invoice, person, unchanged):
    fresh = refused(invoice, unchanged, DarkroomError, updated_by=person)
    assert fresh.code == "not_started"
    invoice = started(invoice, person)
    for given, field, words in (
        ({"due_date": MONDAY - dt.timedelta(days=1)}, "due_date", "can't be before the record"),
        ({"due_date": invoice.status_due_date}, "due_date", "already due on 2026-03-02"),
        ({"due_date": "2026-03-05"}, "due_date", "Give a date"),
        ({"due_date": dt.datetime(2026, 3, 5, 10)}, "due_date", "Give a date"),
        ({"note": "bad\x00note"}, "note", "plain text"),
        ({"note": "x" * 2001}, "note", "at most 2,000"),
        ({"expected_version": "2"}, "expected_version", "whole number"),
        ({"expected_version": True}, "expected_version", "whole number"),
    ):
        error = refused(invoice, unchanged, ValidationError, updated_by=person, **given)
        assert words in " ".join(error.message_dict[field]), (given, error)


def test_a_record_in_its_final_status_has_no_due_date_to_move(
    invoice_cycle, invoice, person, unchanged
):
    invoice = started(invoice, person)
    status_change(record=invoice, expected_version=invoice.version, updated_by=person,
                  to_status=invoice_cycle.picked_up, date_completed=MONDAY)  # fmt: skip
    invoice.refresh_from_db()
    error = refused(invoice, unchanged, DarkroomError, updated_by=person)
    assert error.code == "final" and "final status" in error.message


def test_the_history_shows_the_move(web, invoice_cycle, invoice, person):
    invoice = started(invoice, person)
    status_due_date_set(record=invoice, expected_version=invoice.version, due_date=THURSDAY,
                        updated_by=person, note="Lab delay")  # fmt: skip
    page = web("staff").get(reverse("tracking:invoice-history", args=[invoice.pk]))
    text = page.content.decode()
    assert "Due date moved: Mar 2, 2026 → Mar 5, 2026" in text and "Lab delay" in text


# Every kind of record, over the API ------------------------------------------------------------


@pytest.fixture
def records(session_cycle, invoice_cycle, session, invoice, person, people):
    """One started record of each kind, by its API path."""
    album = production_cycle("Album", "Ordered", "At the lab", "Done")
    cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, name="Proofs", steps=[("Proofs sent", 3)], final="Proofs back"
    )
    cycle_with_statuses(kind=CycleKind.TASK, steps=[("To do", 2)], final="Done")
    return {
        "sessions": started(session, person),
        "invoices": started(invoice, person),
        "production-orders": started_production_order(
            order_type=album.order_type, started_on=MONDAY, by=person
        ),
        "preproduction-orders": started_proof_order(by=person, order_date=MONDAY),
        "tasks": new_task(
            by=people["staff"], subject="Call the lab", assigned_user=people["staff"]
        ),
    }


@pytest.mark.parametrize(
    "path", ["sessions", "invoices", "production-orders", "preproduction-orders", "tasks"]
)
def test_staff_move_any_records_due_date(api, records, path):
    record = records[path]
    day = record.status_entered_on + dt.timedelta(days=10)
    response = api("staff").post(
        f"{path}/{record.pk}/status-due-date",
        {"due_date": day.isoformat(), "version": record.version, "note": "Agreed by phone"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["due_date"] == day.isoformat() and body["version"] == record.version + 1
    assert body["status"]["id"] == record.status_id
    change = body["change"]
    assert change["kind"] == "due" and change["note"] == "Agreed by phone"
    assert change["previous_due_date"] == record.status_due_date.isoformat()
    assert change["due_date"] == day.isoformat() and change["updated_by"]["name"] == "Staff"
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.status_due_date, stored.status_due_overridden) == (day, True)
    history = api("staff").get(
        f"{path}/{record.pk}/status-changes" if path != "tasks" else f"tasks/{record.pk}"
    )
    assert history.status_code == 200


def test_api_refusals_are_4xx_and_change_nothing(api, records, unchanged):
    invoice = records["invoices"]
    url = f"invoices/{invoice.pk}/status-due-date"
    ok = {"due_date": "2026-03-20", "version": invoice.version}
    cases = [
        ("staff", url, {**ok, "version": invoice.version + 1}, 409, "conflict"),
        ("staff", url, {**ok, "due_date": "2026-02-01"}, 422, "invalid"),
        ("staff", url, {**ok, "due_date": "not a date"}, 422, "invalid"),
        ("staff", url, {**ok, "due_date": "2026-02-30"}, 422, "invalid"),
        ("staff", url, {**ok, "version": 0}, 422, "invalid"),
        ("staff", url, {**ok, "version": "two"}, 422, "invalid"),
        ("staff", url, {**ok, "note": "x" * 2001}, 422, "invalid"),
        ("staff", url, {**ok, "note": "a\x00b"}, 422, "invalid"),
        ("staff", url, {**ok, "status": 3}, 422, "invalid"),
        ("staff", url, {"version": invoice.version}, 422, "invalid"),
        ("staff", url, [], 422, "invalid"),
        ("staff", "invoices/987654/status-due-date", ok, 404, "not_found"),
        ("staff", f"invoices/{2**40}/status-due-date", ok, 404, "not_found"),
        ("readonly", url, ok, 403, "permission_denied"),
        (None, url, ok, 401, "not_authenticated"),
    ]
    for role, path, body, status, code in cases:
        with unchanged():
            response = api(role).post(path, body)
        assert response.status_code == status, (body, response.content)
        assert response.json()["code"] == code, (body, response.json())
    with unchanged():
        raw = api("staff").post(url, raw="{not json")
    assert (raw.status_code, raw.json()) == (
        400,
        {
            "detail": "The request body is not valid JSON: Expecting property name enclosed "
            "in double quotes: line 1 column 2 "
            "(char 1).",
            "code": "bad_request",
        },
    )


def test_api_refuses_records_not_started_or_final(api, invoice_cycle, invoice, person, unchanged):
    url = f"invoices/{invoice.pk}/status-due-date"
    with unchanged():
        response = api("staff").post(url, {"due_date": "2026-03-20", "version": invoice.version})
    assert (response.status_code, response.json()["code"]) == (409, "not_started")
    invoice = started(invoice, person)
    status_change(record=invoice, expected_version=invoice.version, updated_by=person,
                  to_status=invoice_cycle.picked_up, date_completed=MONDAY)  # fmt: skip
    invoice.refresh_from_db()
    with unchanged():
        response = api("staff").post(url, {"due_date": "2026-03-20", "version": invoice.version})
    assert (response.status_code, response.json()["code"]) == (409, "final")


def test_another_persons_private_task_is_not_found(api, records, people, unchanged):
    private = task_create(
        by=people["manager"], subject="Private", assigned_user=people["manager"], private=True
    )
    with unchanged():
        response = api("staff").post(
            f"tasks/{private.pk}/status-due-date", {"due_date": "2026-12-01", "version": 1}
        )
    assert response.status_code == 404
