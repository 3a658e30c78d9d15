"""Tasks over the API: CRUD, filters, status changes, and private tasks hidden (404)."""

from __future__ import annotations

import pytest

from darkroom.todos.models import Task
from darkroom.todos.services import task_create
from tests import factories as f
from tests.todos.conftest import task_rows

pytestmark = pytest.mark.django_db


def test_staff_write_read_and_change_a_task(api, people, task_cycle, front_desk):
    invoice = f.InvoiceFactory()
    made = api("staff").post(
        "tasks",
        {
            "subject": "Call about the album proofs",
            "kind": "call",
            "due_on": "2031-01-06",
            "urgent": True,
            "assigned_user": people["manager"].pk,
            "assigned_department": front_desk.pk,
            "client": invoice.client_id,
            "invoice": invoice.pk,
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["subject"] == "Call about the album proofs"
    assert body["kind"] == "call" and body["urgent"] and not body["private"]
    assert body["assigned_user"]["id"] == people["manager"].pk
    assert body["assigned_department"] == {"id": front_desk.pk, "name": "Front desk"}
    assert (body["client"], body["invoice"], body["session"]) == (
        invoice.client_id,
        invoice.pk,
        None,
    )
    assert body["status"] == {"id": task_cycle.todo.pk, "name": "To do"}
    assert body["open"] and body["created_by"]["id"] == people["staff"].pk

    read = api("readonly").get(f"tasks/{body['id']}")
    assert read.status_code == 200 and read.json() == body

    changed = api("staff").patch(
        f"tasks/{body['id']}", {"version": body["version"], "subject": "Call Ann", "due_on": None}
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["subject"], changed.json()["due_on"]) == ("Call Ann", None)
    assert changed.json()["version"] == body["version"] + 1

    stale = api("staff").patch(f"tasks/{body['id']}", {"version": body["version"], "urgent": False})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert Task.objects.get(pk=body["id"]).urgent


def test_a_task_moves_through_its_cycle_over_the_api(api, people, task_cycle):
    task = task_create(by=people["staff"], subject="Send the thank-you letter", kind="letter")
    moved = api("staff").post(
        f"tasks/{task.pk}/status-changes",
        {"version": task.version, "to_status": task_cycle.done.pk},
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["status"]["description"] == "Done"
    history = api("readonly").get(f"tasks/{task.pk}/status-changes").json()
    assert [n["to_status"]["description"] for n in history["results"]] == ["To do", "Done"]
    done = api("readonly").get(f"tasks/{task.pk}").json()
    assert not done["open"] and done["completed_date"] is not None
    assert (
        api("readonly")
        .post(f"tasks/{task.pk}/status-changes", {"version": moved.json()["version"]})
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "Call", "kind": "fax"}, "kind"),
        ({"subject": "Call", "assigned_user": 999999}, "assigned_user"),
        ({"subject": "Call", "invoice": 999999}, "invoice"),
        ({"subject": "Call", "private": True, "assigned_department": "lab"}, "private"),
        ({"subject": "Call", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_writes_nothing(api, lab, body, field):
    if body.get("assigned_department") == "lab":
        body["assigned_department"] = lab.pk
    answer = api("staff").post("tasks", body)
    assert answer.status_code == 422, answer.content
    assert field in str(answer.json())
    assert task_rows() == []


def test_lists_filter_and_page(api, people, front_desk):
    staff = people["staff"]
    invoice = f.InvoiceFactory()
    for n in range(3):
        task_create(by=staff, subject=f"Mine {n}", assigned_user=staff, due_on=None)
    desk = task_create(by=staff, subject="Desk's", assigned_department=front_desk)
    linked = task_create(
        by=people["manager"], subject="About the invoice", links={"invoice": invoice}
    )

    page = api("staff").get("tasks", mine="true", limit=2).json()
    assert [t["subject"] for t in page["results"]] == ["Mine 0", "Mine 1"]
    assert page["next_cursor"]
    rest = api("staff").get("tasks", mine="true", limit=2, cursor=page["next_cursor"]).json()
    assert [t["subject"] for t in rest["results"]] == ["Mine 2", "Desk's"]
    assert rest["next_cursor"] is None
    assert desk.pk in [t["id"] for t in rest["results"]]

    about = api("readonly").get("tasks", invoice=invoice.pk).json()
    assert [t["id"] for t in about["results"]] == [linked.pk]
    assert api("readonly").get("tasks", open="false").json()["results"] == []
    assert len(api("readonly").get("tasks").json()["results"]) == 5
    assert api("readonly").get("tasks", kind="fax").status_code == 422


def test_another_persons_private_task_does_not_exist_for_them(api, people, task_cycle):
    secret = task_create(
        by=people["staff"], subject="Surprise", private=True, assigned_user=people["readonly"]
    )
    own = task_create(by=people["staff"], subject="Dentist", private=True)
    assert api("readonly").get(f"tasks/{secret.pk}").status_code == 200
    assert [t["id"] for t in api("readonly").get("tasks").json()["results"]] == [secret.pk]
    before = task_rows()
    for path in (f"tasks/{own.pk}", f"tasks/{own.pk}/status-changes"):
        answer = api("manager").get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert (
        api("manager").patch(f"tasks/{own.pk}", {"version": 1, "subject": "Seen"}).status_code
        == 404
    )
    assert (
        api("manager").post(f"tasks/{own.pk}/status-changes", {"version": own.version}).status_code
        == 404
    )
    assert own.pk not in [t["id"] for t in api("manager").get("tasks").json()["results"]]
    assert task_rows() == before
