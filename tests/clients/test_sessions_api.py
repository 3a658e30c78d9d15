"""/api/v1/sessions: list with filters, create, change, delete — per role."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.clients.models import Session
from tests.factories import ClientFactory, SessionTypeFactory

pytestmark = pytest.mark.django_db


def test_sessions_are_listed_and_filtered(api, session_record, people):
    other = ClientFactory(first_name="Bo", last_name="Lind")
    caller = api("readonly")
    created = api("staff").post(
        "sessions",
        {
            "client": other.pk,
            "session_type": session_record.session_type_id,
            "date": "2026-11-02",
            "photographer": people["staff"].pk,
        },
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["client_name"], data["session_type_name"], data["photographer"]) == (
        "Bo Lind",
        "Wedding",
        people["staff"].pk,
    )
    listed = caller.get("sessions").json()
    assert [s["date"] for s in listed["results"]] == ["2026-11-02", "2026-09-05"]
    assert listed["next_cursor"] is None
    assert [s["id"] for s in caller.get("sessions", search="garcia").json()["results"]] == [
        session_record.pk
    ]
    assert len(caller.get("sessions", photographer=people["staff"].pk).json()["results"]) == 1
    assert len(caller.get("sessions", date_from="2026-10-01").json()["results"]) == 1
    assert caller.get("sessions", sort="-client").json()["results"][0]["client_name"] == "Bo Lind"
    assert caller.get("sessions", format="xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_a_session_is_changed_with_put_and_patch(api, session_record):
    caller = api("staff")
    response = caller.patch(f"sessions/{session_record.pk}", {"notes": "Golden hour"})
    assert response.status_code == 200 and response.json()["notes"] == "Golden hour"
    response = caller.put(
        f"sessions/{session_record.pk}",
        {
            "client": session_record.client_id,
            "session_type": session_record.session_type_id,
            "date": "2026-09-06",
        },
    )
    assert response.status_code == 200
    stored = Session.objects.get(pk=session_record.pk)
    assert (stored.date, stored.notes) == (dt.date(2026, 9, 6), "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"session_type": 4040}, "session_type: There is no session type 4040."),
        ({"session_type": None}, "session_type: A session type is required."),
        ({"photographer": 4040}, "photographer: There is no person 4040."),
        ({"date": "someday"}, "date"),
        ({"client": "x"}, "client"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_session_changes_are_refused(api, session_record, unchanged, change, message):
    with unchanged():
        response = api("staff").patch(f"sessions/{session_record.pk}", change)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_a_retired_type_is_refused_for_a_new_session(api, client_record, unchanged):
    retired = SessionTypeFactory(name="Glamour", is_inactive=True)
    with unchanged():
        response = api("staff").post(
            "sessions",
            {"client": client_record.pk, "session_type": retired.pk, "date": "2026-10-01"},
        )
    assert response.status_code == 422
    assert "“Glamour” is inactive" in response.json()["detail"]


def test_a_session_with_invoices_keeps_its_client_and_is_not_deleted(api, invoice, unchanged):
    session = invoice.session
    someone_else = ClientFactory()
    with unchanged():
        moved = api("staff").patch(f"sessions/{session.pk}", {"client": someone_else.pk})
        assert moved.status_code == 422
        assert "stays with its client" in moved.json()["detail"]
        deleted = api("manager").delete(f"sessions/{session.pk}")
        assert deleted.status_code == 409 and deleted.json()["code"] == "in_use"


def test_session_writes_per_role(api, session_record, unchanged):
    with unchanged():
        assert (
            api("readonly").patch(f"sessions/{session_record.pk}", {"notes": "x"}).status_code
            == 403
        )
        assert api("staff").delete(f"sessions/{session_record.pk}").status_code == 403
        assert api(None).get("sessions").status_code == 401
        assert api("staff").get("sessions/999999").status_code == 404
    assert api("manager").delete(f"sessions/{session_record.pk}").status_code == 204
    assert not Session.objects.exists()
