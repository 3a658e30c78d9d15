"""Maintenance › Triggers: the list (filters, sort, fired counts), the form (status choices of
the chosen cycle, refusals beside their fields, stale versions), stop / restart / delete, and
who may do what."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.messaging.models import Firing, FiringState, Trigger
from darkroom.messaging.trigger_services import trigger_create
from tests import factories as f
from tests.messaging.trigger_world import email_on_ready, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

LIST = "/maintenance/triggers/"


@pytest.fixture
def world():
    return make_world()


def form_data(world, **extra):
    values = {
        "name": "Album ready email",
        "cycle": world.albums.pk,
        "status": world.ready.pk,
        "when": "entered",
        "days": "0",
        "action": "email",
        "recipient": "client",
        "fixed_to": "",
        "template": world.email.pk,
        "fallback_template": "",
        "task_subject": "",
        "task_department": "",
        "task_user": "",
        "task_due_days": "0",
        "processing": "review",
    }
    values.update(extra)
    return values


def lab_call(world, people):
    return trigger_create(
        by=people["manager"],
        **email_on_ready(
            world,
            name="Check on the lab",
            status=world.at_lab,
            when="after_due",
            days=3,
            action="call",
            template=None,
            task_subject="Has {order_number} come back?",
        ),
    )


def fire(world, people):
    f.started_production_order(
        order_type=world.order_type,
        started_on=dt.date(2026, 12, 2),
        by=people["staff"],
        status=world.at_lab,
    )


def test_the_list_shows_each_trigger_in_words(world, web, people):
    call = lab_call(world, people)
    fire(world, people)
    trigger_create(
        by=people["manager"],
        **email_on_ready(world, name="Shot", cycle=world.sessions, status=world.shot),
    )
    page = web("readonly").get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Check on the lab" in html and "Album Order · Production orders" in html
    assert "3 business days after the due date" in html and "Phone call" in html
    row = next(r for r in page.context["rows"] if r["trigger"].pk == call.pk)
    assert row["trigger"].fired == 1
    assert "Add trigger" not in html  # read-only people look, managers add


def test_the_list_filters_by_cycle_and_state_and_sorts(world, web, people):
    call = lab_call(world, people)
    shot = trigger_create(
        by=people["manager"],
        **email_on_ready(world, name="Shot", cycle=world.sessions, status=world.shot),
    )
    browser = web("staff")
    names = lambda response: [r["trigger"].name for r in response.context["rows"]]  # noqa: E731
    assert names(browser.get(LIST, {"cycle": world.sessions.pk})) == ["Shot"]
    assert names(browser.get(LIST, {"cycle": world.albums.pk})) == ["Check on the lab"]
    browser.post(f"{LIST}{shot.pk}/active/", {"active": "0"})  # staff may not
    assert Trigger.objects.get(pk=shot.pk).is_active
    web("manager").post(f"{LIST}{shot.pk}/active/", {"active": "0"})
    assert names(browser.get(LIST, {"state": "active"})) == ["Check on the lab"]
    assert names(browser.get(LIST, {"state": "inactive"})) == ["Shot"]
    assert names(browser.get(LIST, {"sort": "-name"})) == ["Shot", "Check on the lab"]
    assert names(browser.get(LIST, {"sort": "name"})) == ["Check on the lab", "Shot"]
    assert call.pk in [
        r["trigger"].pk for r in browser.get(LIST, {"sort": "nonsense"}).context["rows"]
    ]
    empty = browser.get(LIST, {"cycle": world.tasks.pk})
    assert "No trigger matches." in empty.content.decode()


def test_a_manager_adds_a_trigger(world, web):
    browser = web("manager")
    form = browser.get(f"{LIST}new/")
    html = form.content.decode()
    assert "no email, SMS or letter" in html and "no phone call and no SMS" in html
    saved = browser.post(f"{LIST}new/", form_data(world), follow=True)
    assert saved.redirect_chain[-1][0] == LIST
    assert "Added “Album ready email”." in saved.content.decode()
    trigger = Trigger.objects.get()
    assert (trigger.status, trigger.template, trigger.processing) == (
        world.ready,
        world.email,
        "review",
    )


def test_refusals_show_beside_their_fields_and_nothing_is_saved(world, web):
    browser = web("manager")
    refused = browser.post(
        f"{LIST}new/",
        form_data(world, status=world.shot.pk, action="sms", when="after_due", days="-4"),
    )
    assert refused.status_code == 422
    errors = refused.context["form"].errors
    assert errors["status"] == [
        "“Shot” is a status of another cycle; choose one of Album Order's statuses."
    ]
    assert errors["days"] == ["The days are from 0 to 250 business days."]
    assert errors["template"] == [
        "“Album ready (email)” is an email template; this action needs an SMS template."
    ]
    assert not Trigger.objects.exists()
    refused = browser.post(
        f"{LIST}new/",
        form_data(
            world, when="after_due", days="400", action="call", template="", task_subject="{oops}"
        ),
    )
    assert refused.context["form"].errors["days"] == ["The days are from 0 to 250 business days."]
    assert refused.context["form"].errors["task_subject"] == ["“{oops}” is not a placeholder."]


def test_the_status_choices_follow_the_cycle(world, web, people):
    browser = web("manager")
    part = browser.get(f"{LIST}new/", {"cycle": world.sessions.pk}, headers={"HX-Request": "true"})
    html = part.content.decode()
    assert html.strip().startswith('<div id="status-field">')
    assert "Booked" in html and "Shot" in html and "At the lab" not in html
    trigger = lab_call(world, people)
    part = browser.get(
        f"{LIST}{trigger.pk}/", {"cycle": world.albums.pk}, headers={"HX-Request": "true"}
    )
    assert "At the lab" in part.content.decode() and "Booked" not in part.content.decode()


def test_a_change_made_meanwhile_is_not_overwritten(world, web, people):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    browser = web("manager")
    saved = browser.post(f"{LIST}{trigger.pk}/", form_data(world, name="Ready", version="1"))
    assert saved.status_code == 302
    stale = browser.post(f"{LIST}{trigger.pk}/", form_data(world, name="Other", version="1"))
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()
    assert Trigger.objects.get(pk=trigger.pk).name == "Ready"


def test_making_it_inactive_cancels_scheduled_firings(world, web, people):
    call = lab_call(world, people)
    fire(world, people)
    page = web("manager").post(f"{LIST}{call.pk}/active/", {"active": "0"}, follow=True)
    assert "its scheduled firings are cancelled" in page.content.decode()
    assert Firing.objects.get(trigger=call).state == FiringState.CANCELLED
    web("manager").post(f"{LIST}{call.pk}/active/", {"active": "1"})
    assert Trigger.objects.get(pk=call.pk).is_active


def test_a_trigger_that_fired_offers_no_delete_and_is_refused(world, web, people):
    call = lab_call(world, people)
    fire(world, people)
    page = web("manager").get(f"{LIST}{call.pk}/")
    html = page.content.decode()
    assert "It has fired once." in html and 'id="delete-form"' not in html
    refused = web("manager").post(f"{LIST}{call.pk}/delete/")
    assert refused.status_code == 409
    assert "It has fired once: make it inactive instead." in refused.content.decode()
    assert Trigger.objects.filter(pk=call.pk).exists()


def test_a_trigger_that_never_fired_is_deleted(world, web, people):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    page = web("manager").get(f"{LIST}{trigger.pk}/")
    assert 'id="delete-form"' in page.content.decode()
    done = web("manager").post(f"{LIST}{trigger.pk}/delete/", follow=True)
    assert "Deleted “Album ready email”." in done.content.decode()
    assert not Trigger.objects.exists()


def test_read_only_people_see_a_trigger_but_change_nothing(world, web, people):
    trigger = trigger_create(by=people["manager"], **email_on_ready(world))
    for role in ("readonly", "staff"):
        page = web(role).get(f"{LIST}{trigger.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "can look at this trigger but not change it" in html
        assert "Make inactive" not in html and "delete-form" not in html
        assert (
            web(role).post(f"{LIST}{trigger.pk}/", form_data(world, version="1")).status_code == 403
        )
        assert web(role).get(f"{LIST}new/").status_code == 403
    assert web(None).get(LIST).status_code == 302


def test_the_maintenance_index_links_to_triggers(web):
    assert LIST in web("readonly").get("/maintenance/").content.decode()


def test_the_statuses_page_names_the_triggers_watching_each_status(world, web, people):
    call = lab_call(world, people)
    page = web("readonly").get("/maintenance/statuses/", {"cycle": world.albums.pk})
    html = page.content.decode()
    assert '<th scope="col">Triggers</th>' in html
    assert f'href="/maintenance/triggers/{call.pk}/?next=' in html and "Check on the lab" in html
    other = web("readonly").get("/maintenance/statuses/", {"cycle": world.sessions.pk})
    assert '<th scope="col">Triggers</th>' not in other.content.decode()


def test_what_the_page_hides_for_the_action_does_not_count(world, web):
    """A template chosen before the action became a task, a title before it became an email."""
    browser = web("manager")
    task = form_data(
        world,
        name="Wrap it",
        action="task",
        task_subject="Wrap {order_number}",
        task_department=world.department.pk,
        recipient="fixed",
        fixed_to="someone@example.com",
    )
    assert browser.post(f"{LIST}new/", task).status_code == 302
    saved = Trigger.objects.get(name="Wrap it")
    assert (saved.template, saved.fixed_to) == (None, "")
    email = form_data(world, name="Mail it", task_subject="Leftover", task_due_days="4")
    assert browser.post(f"{LIST}new/", email).status_code == 302
    saved = Trigger.objects.get(name="Mail it")
    assert (saved.task_subject, saved.task_due_days, saved.template) == ("", 0, world.email)
