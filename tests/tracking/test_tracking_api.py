"""/api/v1/cycles… and …/status-changes: who may call them, what they answer, and every refused
change leaving the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.clients.models import Invoice, Session
from darkroom.tracking.models import CycleKind, Status, StatusNote
from darkroom.tracking.services import cycle_create, record_start, status_add
from tests.factories import DepartmentFactory, OrderTypeFactory, SessionFactory
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + dt.timedelta(days=n) for n in (1, 2, 3))


def started(record, person, day=MONDAY):
    record_start(record=record, started_on=day, by=person)
    return type(record).objects.get(pk=record.pk)


# Cycles and statuses ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_everyone_reads_cycles_and_statuses(api, role, session_cycle, invoice_cycle):
    cycles = api(role).get("cycles")
    assert cycles.status_code == 200
    assert {c["name"]: c["kind"] for c in cycles.json()["results"]} == {
        "Sessions": "session",
        "Invoices": "invoice",
    }
    assert set(cycles.json()["results"][0]) == {"id", "kind", "name", "order_type", "session_type"}

    url = f"cycles/{session_cycle.cycle.pk}/statuses"
    shown = [s["description"] for s in api(role).get(url).json()["results"]]
    assert shown == ["Booked", "Shot", "On hold", "Proofing", "Delivered"]
    hidden = [s["description"] for s in api(role).get(url, inactive="hide").json()["results"]]
    assert hidden == ["Booked", "Shot", "Proofing", "Delivered"]
    first = api(role).get(url).json()["results"][0]
    assert first["is_initial"] and first["position"] == 1 and first["default_duration"] == 1


def test_anonymous_gets_401(api, session_cycle):
    assert api(None).get("cycles").status_code == 401
    response = api(None).post(f"cycles/{session_cycle.cycle.pk}/statuses", {"description": "X"})
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", ["readonly", "staff"])
def test_only_managers_change_cycles(api, role, session_cycle, unchanged):
    base = f"cycles/{session_cycle.cycle.pk}/statuses"
    one = f"{base}/{session_cycle.shot.pk}"
    with unchanged():
        for response in (
            api(role).post(base, {"description": "Culled"}),
            api(role).patch(one, {"description": "Photographed"}),
            api(role).delete(one),
            api(role).post(f"{one}/move", {"direction": "up"}),
        ):
            assert response.status_code == 403
            assert response.json()["code"] == "permission_denied"


def test_manager_adds_changes_moves_and_deletes_a_status(api, session_cycle):
    manager = api("manager")
    base = f"cycles/{session_cycle.cycle.pk}/statuses"
    retouch = DepartmentFactory()
    added = manager.post(
        base,
        {
            "description": "Culled",
            "default_duration": 2,
            "default_department": retouch.pk,
            "position": 3,
        },
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["position"], body["default_department"], body["is_initial"]) == (
        3,
        retouch.pk,
        False,
    )
    names = [s["description"] for s in manager.get(base).json()["results"]]
    assert names == ["Booked", "Shot", "Culled", "On hold", "Proofing", "Delivered"]

    changed = manager.patch(
        f"{base}/{body['id']}", {"description": "Culling", "default_duration": 4}
    )
    assert changed.status_code == 200
    assert (changed.json()["description"], changed.json()["default_duration"]) == ("Culling", 4)

    moved = manager.post(f"{base}/{body['id']}/move", {"direction": "up"})
    assert moved.status_code == 200
    assert [s["description"] for s in moved.json()["results"]][:3] == ["Booked", "Culling", "Shot"]

    assert manager.delete(f"{base}/{body['id']}").status_code == 204
    assert not Status.objects.filter(pk=body["id"]).exists()


def test_making_another_status_initial_moves_the_flag(api, session_cycle):
    url = f"cycles/{session_cycle.cycle.pk}/statuses/{session_cycle.shot.pk}"
    assert api("manager").patch(url, {"is_initial": True}).status_code == 200
    assert Status.objects.get(is_initial=True, cycle=session_cycle.cycle) == session_cycle.shot


def test_refused_status_writes_change_nothing(api, session_cycle, invoice_cycle, unchanged, person):
    manager = api("manager")
    base = f"cycles/{session_cycle.cycle.pk}/statuses"
    session = started(SessionFactory(date=MONDAY), person)
    with unchanged():
        in_use = manager.delete(f"{base}/{session_cycle.booked.pk}")
        assert in_use.status_code == 409 and in_use.json()["code"] == "in_use"
        assert manager.delete(f"{base}/999999").status_code == 404
        other_cycle = manager.delete(f"{base}/{invoice_cycle.ready.pk}")
        assert other_cycle.status_code == 404
        assert manager.get("cycles/999999/statuses").status_code == 404
        assert manager.post("cycles/999999/statuses", {"description": "X"}).status_code == 404
        for bad in (
            {},
            {"description": ""},
            {"description": "X", "default_duration": -1},
            {"description": "X", "colour": "red"},
            {"description": "X", "position": 99},
            {"description": "X", "default_department": 999999},
        ):
            response = manager.post(base, bad)
            assert response.status_code == 422, bad
            assert response.json()["code"] == "invalid"
        unflag = manager.patch(f"{base}/{session_cycle.booked.pk}", {"is_initial": False})
        assert unflag.status_code == 422 and "initial" in unflag.json()["detail"]
        assert (
            manager.patch(f"{base}/{session_cycle.shot.pk}", {"is_final": None}).status_code == 422
        )
        wrong_way = manager.post(f"{base}/{session_cycle.shot.pk}/move", {"direction": "left"})
        assert wrong_way.status_code == 422
    assert session.status == session_cycle.booked


# Status changes --------------------------------------------------------------------------------


def test_staff_change_a_session_status(api, session_cycle, session, person):
    session = started(session, person)
    url = f"sessions/{session.pk}/status-changes"
    response = api("staff").post(
        url, {"version": session.version, "date_completed": TUESDAY.isoformat(), "note": "Done"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == {"id": session_cycle.shot.pk, "description": "Shot"}
    assert body["due_date"] == THURSDAY.isoformat()  # Tuesday + 2 business days
    assert body["version"] == session.version + 1
    change = body["change"]
    assert change["from_status"]["description"] == "Booked"
    assert change["to_status"]["description"] == "Shot"
    assert change["note"] == "Done" and change["updated_by"]["name"] == "Staff"
    assert (change["business_days_taken"], change["planned_duration"]) == (1, 1)
    stored = Session.objects.get(pk=session.pk)
    assert (stored.status, stored.status_due_date) == (session_cycle.shot, THURSDAY)


def test_a_manager_jumps_to_a_status_and_overrides_the_due_date(
    api, invoice_cycle, invoice, person
):
    invoice = started(invoice, person)
    department = DepartmentFactory()
    response = api("manager").post(
        f"invoices/{invoice.pk}/status-changes",
        {
            "version": invoice.version,
            "to_status": invoice_cycle.ready.pk,
            "date_completed": MONDAY.isoformat(),
            "due_date": THURSDAY.isoformat(),
            "department": department.pk,
            "user": None,
            "current_not_complete": True,
        },
    )
    assert response.status_code == 201, response.json()
    change = response.json()["change"]
    assert change["due_overridden"] and change["due_date"] == THURSDAY.isoformat()
    assert change["department"] == {"id": department.pk, "name": department.name}
    assert change["user"] is None and change["not_complete"]
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.status == invoice_cycle.ready and stored.status_due_overridden


def test_starting_a_record_puts_it_in_the_initial_status(api, session_cycle, session):
    response = api("staff").post(
        f"sessions/{session.pk}/status-changes",
        {"version": session.version, "date_completed": MONDAY.isoformat()},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"]["description"] == "Booked"
    assert response.json()["change"]["from_status"] is None
    assert Session.objects.get(pk=session.pk).status == session_cycle.booked


def test_starting_without_a_cycle_is_refused(api, session, unchanged):
    with unchanged():
        response = api("staff").post(
            f"sessions/{session.pk}/status-changes", {"version": session.version}
        )
    assert response.status_code == 409
    assert response.json()["code"] == "no_cycle"
    assert "no status cycle" in response.json()["detail"]


def test_readonly_and_anonymous_cannot_change_a_status(
    api, session_cycle, session, person, unchanged
):
    session = started(session, person)
    url = f"sessions/{session.pk}/status-changes"
    with unchanged():
        refused = api("readonly").post(url, {"version": session.version})
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        assert api(None).post(url, {"version": session.version}).status_code == 401


def test_a_stale_version_is_a_conflict(api, session_cycle, session, person, unchanged):
    session = started(session, person)
    with unchanged():
        response = api("staff").post(
            f"sessions/{session.pk}/status-changes", {"version": session.version - 1}
        )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert "changed by someone else" in response.json()["detail"]


def test_starting_with_a_stale_version_is_a_conflict(api, session_cycle, session, unchanged):
    with unchanged():
        response = api("staff").post(
            f"sessions/{session.pk}/status-changes", {"version": session.version + 1}
        )
    assert response.status_code == 409 and response.json()["code"] == "conflict"


def test_bad_targets_are_refused(api, session_cycle, invoice_cycle, session, person, unchanged):
    session = started(session, person)
    url = f"sessions/{session.pk}/status-changes"
    for target, words in (
        (invoice_cycle.ready.pk, "another cycle"),
        (session_cycle.hold.pk, "inactive"),
        (session_cycle.booked.pk, "already"),
        (999999, "no status"),
    ):
        with unchanged():
            response = api("staff").post(url, {"version": session.version, "to_status": target})
        assert response.status_code == 422, target
        assert response.json()["code"] == "invalid"
        assert words in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"version": "two"},
        {"version": 0},
        {"version": 2, "date_completed": "yesterday"},
        {"version": 2, "colour": "red"},
        {"version": 2, "note": "a\x00b"},
        {"version": 2, "department": 999999},
        {"version": 2, "user": 999999},
        {"version": 2, "date_completed": "2099-01-01"},
    ],
)
def test_malformed_changes_are_refused(api, session_cycle, session, person, unchanged, body):
    session = started(session, person)
    with unchanged():
        response = api("staff").post(f"sessions/{session.pk}/status-changes", body)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "invalid"


def test_unknown_records_are_404(api, session_cycle):
    staff = api("staff")
    for path in ("sessions/999999/status-changes", "invoices/999999/status-changes"):
        assert staff.get(path).status_code == 404
        response = staff.post(path, {"version": 1})
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not StatusNote.objects.exists()


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_history_is_oldest_first(api, role, session_cycle, session, person, people):
    session = started(session, person)
    staff = api("staff")
    for day in (TUESDAY, WEDNESDAY):
        version = Session.objects.get(pk=session.pk).version
        staff.post(
            f"sessions/{session.pk}/status-changes",
            {"version": version, "date_completed": day.isoformat()},
        )
    response = api(role).get(f"sessions/{session.pk}/status-changes")
    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    steps = [(c["from_status"], c["to_status"]["description"]) for c in body["results"]]
    assert [(s and s["description"], to) for s, to in steps] == [
        (None, "Booked"),
        ("Booked", "Shot"),
        ("Shot", "Proofing"),  # "On hold" is inactive: skipped
    ]
    last = body["results"][-1]
    assert last["date_completed"] == WEDNESDAY.isoformat()
    assert last["updated_by"]["id"] == people["staff"].pk
    assert (last["business_days_taken"], last["planned_duration"]) == (1, 2)
    page = api(role).get(f"sessions/{session.pk}/status-changes", limit=2).json()
    assert page["results"] == body["results"][:2]
    rest = api(role).get(f"sessions/{session.pk}/status-changes", cursor=page["next_cursor"])
    assert rest.json() == {"results": body["results"][2:], "next_cursor": None}
    assert api(None).get(f"sessions/{session.pk}/status-changes").status_code == 401


def test_invoice_history(api, invoice_cycle, invoice, person):
    started(invoice, person)
    items = api("readonly").get(f"invoices/{invoice.pk}/status-changes").json()["results"]
    assert [i["to_status"]["description"] for i in items] == ["Ordered"]


def test_every_operation_documents_its_refusals(api):
    schema = api("readonly").get("openapi.json").json()
    ours = {p: ops for p, ops in schema["paths"].items() if "cycles" in p or "status-changes" in p}
    assert {
        "/api/v1/cycles",
        "/api/v1/cycles/{id}/statuses",
        "/api/v1/sessions/{session_id}/status-changes",
        "/api/v1/invoices/bulk-status-changes",
    } <= set(ours)
    for operations in ours.values():
        for operation in operations.values():
            assert {"401", "403", "404", "422"} <= set(operation["responses"])


def test_cycles_other_than_sessions_and_invoices_are_listed(api):
    cycle_create(kind=CycleKind.TASK, name="Tasks")
    status_add(cycle=cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofing"), description="A")
    listed = api("readonly").get("cycles").json()["results"]
    assert [c["kind"] for c in listed] == ["preproduction", "task"]


# Bulk status changes -----------------------------------------------------------------------------


def test_bulk_advance_answers_every_record(api, session_cycle, person):
    sessions = [started(SessionFactory(date=MONDAY), person) for _ in range(3)]
    body = {
        "items": [{"id": s.pk, "version": s.version} for s in sessions],
        "date_completed": "2026-03-03",
        "note": "Shot in one day",
    }
    answer = api("staff").post("sessions/bulk-status-changes", body)
    assert answer.status_code == 200, answer.content
    reply = answer.json()
    assert reply["changed"] == 3
    assert {r["message"] for r in reply["results"]} == {"Booked → Shot, due 2026-03-05"}
    assert set(Session.objects.values_list("status__description", flat=True)) == {"Shot"}
    assert StatusNote.objects.filter(note="Shot in one day").count() == 3


def test_a_refused_bulk_change_writes_nothing_and_says_why(api, session_cycle, person, unchanged):
    fresh = started(SessionFactory(date=MONDAY), person)
    stale = started(SessionFactory(date=MONDAY), person)
    body = {
        "items": [{"id": fresh.pk, "version": fresh.version}, {"id": stale.pk, "version": 1}],
        "to_status": session_cycle.proofing.pk,
    }
    with unchanged():
        answer = api("staff").post("invoices/bulk-status-changes", body)  # sessions, not invoices
    assert answer.status_code == 422
    assert [r["message"] for r in answer.json()["results"]] == ["It no longer exists."] * 2
    with unchanged():
        answer = api("staff").post("sessions/bulk-status-changes", body)
    reply = answer.json()
    assert answer.status_code == 422 and reply["code"] == "bulk_refused"
    assert reply["detail"] == "1 of 2 records can't be changed; nothing was changed."
    assert [r["ok"] for r in reply["results"]] == [True, False]
    assert reply["results"][1]["field"] == "version"


@pytest.mark.parametrize(
    "body",
    [
        {"items": []},
        {"items": [{"id": 0}]},
        {"items": [{"id": 1, "colour": "red"}]},
        {"items": [{"id": 1}], "to_status": 987654},
        {"items": [{"id": 1}], "date_completed": "tomorrow"},
    ],
)
def test_bad_bulk_requests_are_refused(api, session_cycle, body, unchanged):
    with unchanged():
        answer = api("staff").post("sessions/bulk-status-changes", body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid"


def test_readonly_may_not_change_in_bulk(api, session_cycle, person, unchanged):
    record = started(SessionFactory(date=MONDAY), person)
    with unchanged():
        answer = api("readonly").post(
            "sessions/bulk-status-changes", {"items": [{"id": record.pk}]}
        )
    assert answer.status_code == 403


def test_a_manager_sets_up_a_cycle(api):
    albums = OrderTypeFactory(name="Album Order")
    body = {"kind": "production", "name": "Albums", "order_type": albums.pk}
    answer = api("manager").post("cycles", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["order_type"] == albums.pk
    again = api("manager").post("cycles", body)  # one cycle per order type
    assert (again.status_code, again.json()["code"]) == (409, "duplicate")
    assert api("manager").post("cycles", {**body, "order_type": 987654}).status_code == 422
    assert api("manager").post("cycles", {"kind": "production", "name": "X"}).status_code == 422
    assert api("staff").post("cycles", {"kind": "task", "name": "Tasks"}).status_code == 403


# An integrator reads the state it needs for a change -------------------------------------------


@pytest.mark.parametrize("kind", ["sessions", "invoices"])
def test_a_read_gives_the_state_and_version_a_status_change_needs(
    api, kind, session_cycle, invoice_cycle, session, invoice, person
):
    record = started(session if kind == "sessions" else invoice, person)
    caller = api("staff")
    read = caller.get(f"{kind}/{record.pk}").json()
    first = session_cycle.booked if kind == "sessions" else invoice_cycle.ordered
    assert read["status"] == {"id": first.pk, "name": first.description}
    assert read["status_due_date"] == record.status_due_date.isoformat()
    assert read["projected_completion"] == record.projected_completion.isoformat()
    assert (read["user"], read["department"], read["completed_date"]) == (None, None, None)
    assert read["version"] == record.version

    changed = caller.post(
        f"{kind}/{record.pk}/status-changes",
        {"version": read["version"], "date_completed": TUESDAY.isoformat(), "user": person.pk},
    )
    assert changed.status_code == 201, changed.json()
    again = caller.get(f"{kind}/{record.pk}").json()
    assert again["user"] == {"id": person.pk, "name": person.get_full_name()}
    stored = type(record).objects.get(pk=record.pk)
    assert again["status"]["id"] == stored.status_id != first.pk
    assert again["status_due_date"] == stored.status_due_date.isoformat()
    assert again["version"] == read["version"] + 1 == changed.json()["version"]
    listed = caller.get(kind, search=record.client.last_name).json()["results"]
    assert [(i["id"], i["version"], i["status"]["id"]) for i in listed] == [
        (record.pk, stored.version, stored.status_id)
    ]
