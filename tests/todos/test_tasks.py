"""Tasks: the model's rules, writing and changing them, and who sees which."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from darkroom.errors import Conflict
from darkroom.todos.models import Task, TaskKind
from darkroom.todos.selectors import tasks_for, tasks_linked_to, visible_tasks
from darkroom.todos.services import task_create, task_update
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import status_change
from tests import factories as f
from tests.todos.conftest import task_rows

pytestmark = pytest.mark.django_db


# The model --------------------------------------------------------------------------------------


def test_a_task_follows_the_task_cycle(people):
    task = task_create(by=people["staff"], subject="Order more mat board")
    assert task.tracking_scopes() == ("task",)
    assert str(task) == "Order more mat board"
    assert task.get_absolute_url() == f"/tasks/{task.pk}/"


def test_the_database_refuses_a_private_task_for_a_department_alone(people, lab):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            subject="Secret", private=True, assigned_department=lab, created_by=people["staff"]
        )


def test_links_are_shown_in_words_with_their_pages(people):
    invoice = f.InvoiceFactory()
    task = task_create(
        by=people["staff"],
        subject="Call about the album",
        links={"client": invoice.client, "invoice": invoice},
    )
    links = task.links()
    assert [(link.name, link.text, link.url) for link in links] == [
        ("client", invoice.client.name, invoice.client.get_absolute_url()),
        ("invoice", f"Invoice {invoice.number}", invoice.get_absolute_url()),
    ]


# Writing a task -------------------------------------------------------------------------------


def test_a_new_task_enters_the_task_cycle_today(studio_today, people, task_cycle, front_desk):
    order = f.ProductionOrderFactory()
    task = task_create(
        by=people["staff"],
        subject="Check on the album at the lab",
        kind=TaskKind.CALL,
        due_on=dt.date(2031, 1, 6),
        urgent=True,
        assigned_user=people["manager"],
        assigned_department=front_desk,
        links={"production_order": order},
    )
    assert task.status == task_cycle.todo
    assert task.status_entered_on == studio_today
    assert task.status_due_date is not None
    assert task.completed_date is None
    # The task's own fields are what the person wrote, whatever the status's defaults are.
    assert (task.assigned_user, task.assigned_department) == (people["manager"], front_desk)
    assert task.due_on == dt.date(2031, 1, 6)
    assert task.production_order == order and task.created_by == people["staff"]
    [start] = status_history(record=task)
    assert (start.kind, start.to_status, start.updated_by) == (
        "start",
        task_cycle.todo,
        people["staff"],
    )


def test_without_a_task_cycle_a_task_is_still_written_and_open(people):
    task = task_create(by=people["staff"], subject="Water the plants")
    assert task.status is None and task.is_open
    assert not status_history(record=task).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"subject": "   "}, "subject", "This field cannot be blank."),
        ({"subject": "x" * 201}, "subject", "at most 200 characters"),
        ({"kind": "fax"}, "kind", "is not a valid choice"),
        ({"assigned_user": "inactive"}, "assigned_user", "can no longer sign in"),
        ({"assigned_department": "inactive"}, "assigned_department", "is inactive"),
        ({"private": True, "assigned_department": "lab"}, "private", "for one person"),
        ({"assigned_user": "not a person"}, "assigned_user", "Choose one from the list."),
        ({"links": {"session": "other client"}}, "session", "belongs to another client"),
        ({"links": {"vendor": 1}}, "vendor", "can't point at this"),
    ],
)
def test_bad_input_writes_no_task(people, task_cycle, lab, change, field, message):
    client = f.ClientFactory()
    values = {"subject": "Call back", "links": {"client": client}}
    for name, value in change.items():
        if value == "inactive" and name == "assigned_user":
            value = f.UserFactory(is_active=False)
        elif value == "inactive":
            value = f.DepartmentFactory(is_inactive=True)
        elif value in ("lab", "not a person"):  # a department is not a person
            value = lab
        elif name == "links" and "session" in value:
            value = {"client": client, "session": f.SessionFactory()}
        values[name] = value
    with pytest.raises(ValidationError) as refused:
        task_create(by=people["staff"], **values)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert task_rows() == []
    assert not status_history(record=Task(pk=1)).exists()


def test_a_private_task_may_be_the_writers_own_or_for_one_person(people, front_desk):
    own = task_create(by=people["staff"], subject="Dentist at 3", private=True)
    for_one = task_create(
        by=people["staff"],
        subject="Birthday cake",
        private=True,
        assigned_user=people["manager"],
        assigned_department=front_desk,
    )
    assert own.private and for_one.private


# Changing a task ------------------------------------------------------------------------------


def test_a_task_changes_with_the_version_read(people, lab):
    task = task_create(by=people["staff"], subject="Call back")
    task_update(
        task=task,
        expected_version=task.version,
        subject="Call back about frames",
        assigned_department=lab,
        due_on=dt.date(2031, 2, 3),
    )
    fresh = Task.objects.get(pk=task.pk)
    assert (fresh.subject, fresh.assigned_department, fresh.due_on) == (
        "Call back about frames",
        lab,
        dt.date(2031, 2, 3),
    )
    assert fresh.version == 2 == task.version


def test_a_stale_version_or_bad_input_changes_nothing(people, task_cycle):
    task = task_create(by=people["staff"], subject="Call back")
    status_change(record=task, expected_version=task.version, updated_by=people["staff"])
    before = task_rows()
    with pytest.raises(Conflict):
        task_update(task=Task.objects.get(pk=task.pk), expected_version=1, subject="Changed")
    fresh = Task.objects.get(pk=task.pk)
    with pytest.raises(ValidationError) as refused:
        task_update(task=fresh, expected_version=fresh.version, subject="", status=task_cycle.done)
    assert set(refused.value.message_dict) == {"status"}
    with pytest.raises(ValidationError) as refused:
        task_update(task=fresh, expected_version=fresh.version, subject="")
    assert "subject" in refused.value.message_dict
    assert task_rows() == before


def test_an_inactive_assignee_kept_from_before_does_not_block_a_change(people):
    person = f.UserFactory()
    task = task_create(by=people["staff"], subject="Call back", assigned_user=person)
    person.is_active = False
    person.save()
    task_update(task=task, expected_version=task.version, urgent=True)
    assert Task.objects.get(pk=task.pk).urgent


# Who sees which -------------------------------------------------------------------------------


def test_my_tasks_include_my_departments_and_not_others(people, front_desk, lab):
    staff = people["staff"]
    mine = task_create(by=people["manager"], subject="Mine", assigned_user=staff)
    desk = task_create(by=people["manager"], subject="Front desk's", assigned_department=front_desk)
    task_create(by=people["manager"], subject="Lab's", assigned_department=lab)
    task_create(by=people["manager"], subject="Manager's", assigned_user=people["manager"])
    task_create(by=staff, subject="Nobody's")
    assert set(tasks_for(staff)) == {mine, desk}
    assert list(tasks_for(people["readonly"])) == []


def test_my_tasks_are_open_first_then_longest_overdue_first(people, task_cycle):
    staff = people["staff"]

    def make(subject, due, **extra):
        return task_create(by=staff, subject=subject, assigned_user=staff, due_on=due, **extra)

    later = make("Later", dt.date(2031, 5, 1))
    undated = make("Undated", None)
    oldest = make("Oldest", dt.date(2020, 1, 1))
    urgent_same_day = make("Urgent", dt.date(2020, 1, 1), urgent=True)
    done = make("Done already", dt.date(2019, 1, 1))
    status_change(
        record=done, expected_version=done.version, updated_by=staff, to_status=task_cycle.done
    )
    assert list(tasks_for(staff, state="all")) == [urgent_same_day, oldest, later, undated, done]
    assert list(tasks_for(staff)) == [urgent_same_day, oldest, later, undated]


def test_private_tasks_show_only_to_their_writer_and_the_person_they_are_for(people):
    staff, manager, readonly = people["staff"], people["manager"], people["readonly"]
    secret = task_create(by=staff, subject="Surprise party", private=True, assigned_user=manager)
    own = task_create(by=staff, subject="Dentist", private=True)
    public = task_create(by=staff, subject="Order mat board")
    assert set(visible_tasks(staff)) == {secret, own, public}
    assert set(visible_tasks(manager)) == {secret, public}
    assert set(visible_tasks(readonly)) == {public}


def test_tasks_linked_to_a_record(people):
    invoice = f.InvoiceFactory()
    about = task_create(by=people["staff"], subject="Chase payment", links={"invoice": invoice})
    hidden = task_create(
        by=people["staff"], subject="Private", private=True, links={"invoice": invoice}
    )
    task_create(by=people["staff"], subject="Something else")
    assert set(tasks_linked_to(invoice, user=people["staff"])) == {about, hidden}
    assert list(tasks_linked_to(invoice, user=people["readonly"])) == [about]
    with pytest.raises(TypeError):
        tasks_linked_to(people["staff"], user=people["staff"])
