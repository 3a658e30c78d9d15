"""Task pages: the list ("mine" first, overdue first), a pre-linked new task, a task's page with
its status, editing, private tasks as 404 everywhere, and the home page's "My tasks"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from darkroom.todos.models import Task
from darkroom.todos.services import task_create
from darkroom.tracking.models import StatusNote
from tests import factories as f
from tests.todos.conftest import task_rows
from tests.tracking.test_status_change_pages import post_dialog

pytestmark = pytest.mark.django_db

LONG_AGO = dt.date(2020, 1, 6)


def subjects_in(html: str, subjects: list[str]) -> list[str]:
    """The subjects named, in the order the page shows them."""
    return sorted((s for s in subjects if s in html), key=html.index)


def test_the_list_shows_my_and_my_departments_tasks_overdue_first(web, people, front_desk, lab):
    staff = people["staff"]
    task_create(by=staff, subject="Later call", assigned_user=staff, due_on=dt.date(2031, 1, 6))
    task_create(by=staff, subject="Overdue letter", assigned_department=front_desk, due_on=LONG_AGO)
    task_create(by=staff, subject="Lab chore", assigned_department=lab)
    page = web("staff").get(reverse("todos:task-list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert subjects_in(html, ["Later call", "Overdue letter", "Lab chore"]) == [
        "Overdue letter",
        "Later call",
    ]
    assert "Overdue · Jan 6, 2020" in html
    everyone = web("staff").get(reverse("todos:task-list"), {"scope": "all"}).content.decode()
    assert "Lab chore" in everyone


def test_the_list_pages_with_more(web, people):
    staff = people["staff"]
    for n in range(51):
        task_create(by=staff, subject=f"Chore {n:02d}", assigned_user=staff, due_on=LONG_AGO)
    browser = web("staff")
    with CaptureQueriesContext(connection) as queries:
        first = browser.get(reverse("todos:task-list")).content.decode()
    assert len(queries) < 15  # one page of tasks with everything it shows, not a query per row
    assert "Chore 49" in first and "Chore 50" not in first and "offset=50" in first
    second = browser.get(reverse("todos:task-list"), {"offset": 50}).content.decode()
    assert "Chore 50" in second and "Chore 00" not in second


def test_a_new_task_from_a_production_order_is_linked_to_it(web, people, task_cycle):
    order = f.ProductionOrderFactory()
    url = reverse("todos:task-create") + f"?production_order={order.pk}"
    form = web("staff").get(url)
    assert form.status_code == 200
    assert str(order) in form.content.decode()
    answer = web("staff").post(
        url,
        {
            "subject": "Ask the lab about the album",
            "kind": "call",
            "due_on": "2031-01-06",
            "assigned_user": people["staff"].pk,
            "production_order": order.pk,
        },
    )
    task = Task.objects.get()
    assert answer.status_code == 302 and answer["Location"] == task.get_absolute_url()
    assert (task.production_order, task.kind, task.status) == (order, "call", task_cycle.todo)
    assert task.created_by == people["staff"]


@pytest.mark.parametrize("link", ["client", "session", "invoice", "preproduction_order"])
def test_a_new_task_can_start_from_any_record(web, people, link):
    session = f.SessionFactory()
    records = {
        "client": session.client,
        "session": session,
        "invoice": f.InvoiceFactory(client=session.client, session=session),
        "preproduction_order": _proof_order(session, people["staff"]),
    }
    record = records[link]
    answer = web("staff").post(
        reverse("todos:task-create") + f"?{link}={record.pk}",
        {"subject": "Follow up", "kind": "todo", link: record.pk},
    )
    assert answer.status_code == 302
    assert getattr(Task.objects.get(), link) == record


def _proof_order(session, person):
    from darkroom.production.models import PreproductionOrder

    return PreproductionOrder.objects.create(
        session=session, vendor=f.VendorFactory(), order_date=session.date, entered_by=person
    )


def test_bad_input_is_shown_beside_the_field_and_writes_nothing(web, people, lab):
    inactive = f.DepartmentFactory(name="Old darkroom", is_inactive=True)
    answer = web("staff").post(
        reverse("todos:task-create"),
        {"subject": "", "kind": "todo", "private": "on", "assigned_department": lab.pk},
    )
    html = answer.content.decode()
    assert answer.status_code == 422
    assert 'id="id_subject_error"' in html
    assert "This field is required." in html
    assert "Old darkroom" not in html  # an inactive department is not offered
    assert inactive.pk
    private = web("staff").post(
        reverse("todos:task-create"),
        {"subject": "Secret", "kind": "todo", "private": "on", "assigned_department": lab.pk},
    )
    assert private.status_code == 422
    assert 'id="id_private_error">A private task is for one person' in private.content.decode()
    gone = web("staff").post(
        reverse("todos:task-create") + "?invoice=999999",
        {"subject": "Call", "kind": "todo", "invoice": "999999"},
    )
    assert gone.status_code == 422 and "That invoice no longer exists." in gone.content.decode()
    assert task_rows() == []


def test_a_task_page_shows_it_with_its_status_and_history(web, people, task_cycle):
    client = f.ClientFactory(first_name="Ann", last_name="Lee", phone="555-0101")
    task = task_create(
        by=people["staff"], subject="Call Ann about proofs", kind="call", links={"client": client}
    )
    page = web("readonly").get(task.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Call Ann about proofs" in html and "Phone call" in html
    assert "Ann Lee" in html and "555-0101" in html
    assert "To do" in html and 'id="history"' in html
    assert "Change status" not in html  # read-only people see, staff change
    assert "Change status" in web("staff").get(task.get_absolute_url()).content.decode()


def test_staff_change_a_tasks_status_from_its_page(web, people, task_cycle):
    task = task_create(by=people["staff"], subject="Order frames")
    answer = post_dialog(web("staff"), task.get_absolute_url(), to_status=str(task_cycle.done.pk))
    assert answer.status_code == 302
    assert Task.objects.get(pk=task.pk).status == task_cycle.done
    assert not Task.objects.get(pk=task.pk).is_open


def test_staff_edit_a_task(web, people, lab):
    task = task_create(by=people["staff"], subject="Order frames")
    url = reverse("todos:task-edit", args=[task.pk])
    assert 'value="Order frames"' in web("staff").get(url).content.decode()
    answer = web("staff").post(
        url,
        {
            "version": task.version,
            "subject": "Order oak frames",
            "kind": "todo",
            "assigned_department": lab.pk,
            "urgent": "on",
        },
    )
    assert answer.status_code == 302
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.subject, fresh.assigned_department, fresh.urgent) == (
        "Order oak frames",
        lab,
        True,
    )
    stale = web("staff").post(url, {"version": task.version, "subject": "Again", "kind": "todo"})
    assert stale.status_code == 422
    assert "changed by someone else" in stale.content.decode()
    assert Task.objects.get(pk=task.pk).subject == "Order oak frames"


def test_another_persons_private_task_is_a_404_on_every_page(web, people, task_cycle):
    own = task_create(by=people["staff"], subject="Dentist at three", private=True)
    before = (task_rows(), StatusNote.objects.count())
    manager = web("manager")
    for name in (
        "todos:task-detail",
        "todos:task-edit",
        "tracking:task-status",
        "tracking:task-status-due",
        "tracking:task-history",
    ):
        assert manager.get(reverse(name, args=[own.pk])).status_code == 404, name
    for name in ("todos:task-edit", "tracking:task-status", "tracking:task-status-start"):
        answer = manager.post(
            reverse(name, args=[own.pk]),
            {
                "version": own.version,
                "subject": "Seen",
                "kind": "todo",
                "to_status": task_cycle.done.pk,
            },
        )
        assert answer.status_code == 404, name
    bulk = manager.post(
        reverse("tracking:task-bulk-status"),
        {
            "record": [f"{own.pk}:{own.version}"],
            "to_status": task_cycle.done.pk,
            "date_completed": "2026-03-02",
        },
    )
    assert bulk.status_code == 404
    assert (task_rows(), StatusNote.objects.count()) == before
    assert (
        "Dentist at three"
        not in manager.get(
            reverse("todos:task-list"), {"scope": "all", "state": "all"}
        ).content.decode()
    )
    mine = web("staff")
    assert mine.get(own.get_absolute_url()).status_code == 200
    assert mine.get(reverse("tracking:task-history", args=[own.pk])).status_code == 200


def test_home_shows_my_open_tasks_overdue_first_at_most_ten(web, people, front_desk):
    staff = people["staff"]
    task_create(by=staff, subject="Desk overdue", assigned_department=front_desk, due_on=LONG_AGO)
    for n in range(10):
        task_create(by=staff, subject=f"Chore {n}", assigned_user=staff, due_on=dt.date(2031, 1, 6))
    task_create(by=people["manager"], subject="Not mine", assigned_user=people["manager"])
    html = web("staff").get(reverse("studio:home")).content.decode()
    assert "My tasks" in html
    assert html.index("Desk overdue") < html.index("Chore 0")
    assert "Chore 8" in html and "Chore 9" not in html  # ten shown, then a link to all
    assert "More open tasks" in html and reverse("todos:task-list") in html
    assert "Not mine" not in html
    assert "Nothing waiting" in web("readonly").get(reverse("studio:home")).content.decode()


def test_a_records_page_lists_its_tasks_but_not_others_private_ones(web, people):
    invoice = f.InvoiceFactory()
    shared = task_create(
        by=people["manager"], subject="Ask about the frame", links={"invoice": invoice}
    )
    task_create(
        by=people["staff"], subject="My own reminder", private=True, links={"invoice": invoice}
    )
    as_manager = web("manager").get(invoice.get_absolute_url()).content.decode()
    assert shared.subject in as_manager and "My own reminder" not in as_manager
    assert f"{reverse('todos:task-create')}?invoice={invoice.pk}" in as_manager
    as_staff = web("staff").get(invoice.get_absolute_url()).content.decode()
    assert "My own reminder" in as_staff


def test_a_task_about_a_proof_order_links_to_the_proof_order_page(people):
    from darkroom.todos.services import task_create

    session = f.SessionFactory()
    proof = _proof_order(session, people["staff"])
    task = task_create(
        by=people["staff"],
        subject="Chase the proofs",
        kind="todo",
        links={"preproduction_order": proof},
    )
    (link,) = task.links()
    assert link.url == reverse("production:proof-order-detail", args=[proof.pk])
