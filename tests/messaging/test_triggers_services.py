"""The trigger services: every rule refused beside its field, version checks, the cycle's version
moved on every write, scheduled firings cancelled when a trigger stops or moves, delete refused
once it fired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from darkroom.errors import Conflict, RecordInUse
from darkroom.messaging.models import Firing, FiringState, Trigger
from darkroom.messaging.trigger_selectors import trigger_list, when_words
from darkroom.messaging.trigger_services import (
    CANCELLED_CHANGED,
    CANCELLED_INACTIVE,
    trigger_create,
    trigger_delete,
    trigger_set_active,
    trigger_update,
    trigger_warnings,
)
from darkroom.studio.models import StudioPreferences
from darkroom.tracking.models import Cycle
from darkroom.tracking.services import status_change, status_update
from tests import factories as f
from tests.messaging.trigger_world import email_on_ready, make_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def manager(people):
    return people["manager"]


def refusal(world, manager, **extra) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        trigger_create(by=manager, **email_on_ready(world, **extra))
    assert not Trigger.objects.exists()
    return caught.value.message_dict


def version(cycle: Cycle) -> int:
    return Cycle.objects.values_list("version", flat=True).get(pk=cycle.pk)


# Creating -----------------------------------------------------------------------------------


def test_a_new_trigger_acts_from_now_and_moves_its_cycle_version(world, manager):
    before = version(world.albums)
    trigger = trigger_create(by=manager, **email_on_ready(world))
    assert trigger.is_active and trigger.version == 1
    assert trigger.active_since is not None and trigger.created_by == manager
    assert version(world.albums) != before
    assert when_words(trigger) == "On entering"


def test_a_status_of_another_cycle_is_refused(world, manager):
    errors = refusal(world, manager, status=world.shot)
    assert errors["status"] == [
        "“Shot” is a status of another cycle; choose one of Album Order's statuses."
    ]


def test_an_inactive_status_is_refused(world, manager):
    status_update(status=world.at_lab, is_inactive=True)
    errors = refusal(world, manager, status=world.at_lab)
    assert "inactive" in errors["status"][0]


@pytest.mark.parametrize("days", [-1, 251, 100000])
def test_days_out_of_range_are_refused(world, manager, days):
    errors = refusal(world, manager, when="after_due", days=days)
    assert errors["days"] == ["The days are from 0 to 250 business days."]


def test_days_on_entering_are_refused(world, manager):
    errors = refusal(world, manager, days=3)
    assert "leave the days at 0" in errors["days"][0]


def test_timed_triggers_read_in_words(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world, when="after_due", days=3))
    assert when_words(trigger) == "3 business days after the due date"
    trigger.when, trigger.days = "before_due", 1
    assert when_words(trigger) == "1 business day before the due date"
    trigger.days = 0
    assert when_words(trigger) == "On the due date"


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"template": None}, "template", "Choose an email template"),
        ({"action": "sms"}, "template", "this action needs an sms template"),
        ({"action": "letter", "task_subject": "Post album"}, "template", "letter template"),
        ({"action": "task", "task_subject": "Ring"}, "template", "leave the template empty"),
        ({"action": "sms_else_email", "template": "sms"}, "fallback_template", "email template"),
        (
            {"action": "sms_else_email", "template": "sms", "fallback_template": "letter"},
            "fallback_template",
            "is not an email template",
        ),
        ({"action": "email_else_letter"}, "fallback_template", "letter template"),
        ({"fallback_template": "letter"}, "fallback_template", "leave it empty"),
    ],
)
def test_templates_must_match_the_action(world, manager, extra, field, words):
    for name in ("template", "fallback_template"):
        if isinstance(extra.get(name), str):
            extra[name] = getattr(world, extra[name])
    errors = refusal(world, manager, **extra)
    assert any(words.lower() in m.lower() for m in errors[field]), errors


def test_an_inactive_template_is_refused(world, manager):
    world.email.is_inactive = True
    world.email.save()
    errors = refusal(world, manager)
    assert errors["template"] == ["“Album ready (email)” is inactive; choose a template in use."]


def test_fallbacks_with_their_templates_are_saved(world, manager):
    trigger = trigger_create(
        by=manager,
        **email_on_ready(
            world, action="sms_else_email", template=world.sms, fallback_template=world.email
        ),
    )
    assert trigger.fallback_template == world.email
    letter = trigger_create(
        by=manager,
        **email_on_ready(world, action="email_else_letter", fallback_template=world.letter),
    )
    assert letter.task_subject.startswith("Letter to {client_name}")


def test_a_fallback_to_a_call_gets_a_title_when_none_is_given(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world, action="email_else_call"))
    assert trigger.task_subject == "Call {client_name}: no email address ({status})"


def test_tasks_need_a_title_with_known_placeholders_and_someone_to_do_them(world, manager):
    errors = refusal(world, manager, action="task", template=None)
    assert errors["task_subject"] == ["Give the task a title (placeholders allowed)."]
    assert errors["task_department"] == ["Choose the department or the person the task is for."]
    errors = refusal(
        world,
        manager,
        action="call",
        template=None,
        task_subject="Call {client_nmae} about {order.number}",
    )
    assert "“{client_nmae}” is not a placeholder." in errors["task_subject"]
    assert len(errors["task_subject"]) == 2
    trigger = trigger_create(
        by=manager,
        **email_on_ready(
            world,
            action="task",
            template=None,
            task_subject="Wrap {order_number}",
            task_department=world.department,
        ),
    )
    assert trigger.task_department == world.department


def test_inactive_departments_and_people_are_refused(world, manager):
    world.department.is_inactive = True
    world.department.save()
    gone = f.UserFactory(is_active=False)
    errors = refusal(
        world,
        manager,
        action="task",
        template=None,
        task_subject="Wrap",
        task_department=world.department,
        task_user=gone,
    )
    assert "inactive" in errors["task_department"][0]
    assert "can no longer sign in" in errors["task_user"][0]


def test_the_vendor_only_for_orders(world, manager):
    errors = refusal(world, manager, cycle=world.sessions, status=world.shot, recipient="vendor")
    assert errors["recipient"] == [
        "Sessions's records have no vendor: only production and preproduction orders do."
    ]
    trigger = trigger_create(by=manager, **email_on_ready(world, recipient="vendor"))
    assert trigger.recipient == "vendor"


def test_a_fixed_recipient_needs_an_address_of_the_channel(world, manager):
    StudioPreferences.objects.update_or_create(pk=1, defaults={"country": "GB"})
    errors = refusal(world, manager, recipient="fixed")
    assert errors["fixed_to"] == ["Give the email address or mobile number it goes to."]
    errors = refusal(world, manager, recipient="fixed", fixed_to="not an address")
    assert errors["fixed_to"] == ["“not an address” is not an email address."]
    errors = refusal(
        world,
        manager,
        recipient="fixed",
        fixed_to="020 7946 0000",
        action="sms",
        template=world.sms,
    )
    assert "is not a mobile number (read as a GB number)" in errors["fixed_to"][0]
    sms = trigger_create(
        by=manager,
        **email_on_ready(
            world, recipient="fixed", fixed_to="07400 123456", action="sms", template=world.sms
        ),
    )
    assert sms.fixed_to == "+447400123456"
    email = trigger_create(
        by=manager, **email_on_ready(world, recipient="fixed", fixed_to="lab@example.com")
    )
    assert email.fixed_to == "lab@example.com"


def test_an_address_without_a_fixed_recipient_is_refused(world, manager):
    errors = refusal(world, manager, fixed_to="lab@example.com")
    assert errors["fixed_to"] == ["Only a fixed recipient has an address here: leave it empty."]


def test_a_client_trigger_on_tasks_is_allowed_with_a_warning(world, manager):
    trigger = trigger_create(
        by=manager, **email_on_ready(world, cycle=world.tasks, status=world.open_task)
    )
    assert trigger_warnings(trigger) == [
        "A task need not have a client: for tasks without one this trigger is skipped."
    ]


def test_unknown_fields_and_choices_are_refused(world, manager):
    with pytest.raises(ValidationError) as caught:
        trigger_create(by=manager, colour="red", **email_on_ready(world))
    assert caught.value.message_dict == {"colour": ["This can't be set here."]}
    errors = refusal(world, manager, action="fax", when="sometime")
    assert set(errors) >= {"action", "when"}


# Changing -----------------------------------------------------------------------------------


def test_a_stale_version_is_a_conflict_and_changes_nothing(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world))
    stale = Trigger.objects.get(pk=trigger.pk)
    trigger_update(trigger=trigger, expected_version=1, by=manager, name="Ready email")
    assert trigger.version == 2
    with pytest.raises(Conflict):
        trigger_update(trigger=stale, expected_version=1, by=manager, name="Other")
    assert Trigger.objects.get(pk=trigger.pk).name == "Ready email"


def test_bad_changes_change_nothing(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world))
    with pytest.raises(ValidationError):
        trigger_update(trigger=trigger, expected_version=1, action="sms")
    stored = Trigger.objects.get(pk=trigger.pk)
    assert (stored.action, stored.version) == ("email", 1)


def test_moving_to_another_cycle_moves_both_cycles_versions(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world))
    albums, sessions = version(world.albums), version(world.sessions)
    trigger_update(trigger=trigger, expected_version=1, cycle=world.sessions, status=world.shot)
    assert version(world.albums) != albums and version(world.sessions) != sessions


def test_a_trigger_keeps_a_template_retired_after_it_was_chosen(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world))
    world.email.is_inactive = True
    world.email.save()
    trigger_update(trigger=trigger, expected_version=1, name="Still fine")


# Firings --------------------------------------------------------------------------------------


@pytest.fixture
def order_at_lab(world, people):
    """An order that entered "Ordered" today; call it to move it to "At the lab"."""
    order = f.started_production_order(
        order_type=world.order_type, started_on=dt.date(2026, 12, 2), by=people["staff"]
    )

    def move(to=None):
        order.refresh_from_db()
        status_change(
            record=order,
            expected_version=order.version,
            updated_by=people["staff"],
            to_status=to or world.at_lab,
        )
        return order

    return move


def lab_call(world, manager, **extra):
    return trigger_create(
        by=manager,
        **email_on_ready(
            world,
            name="Check on the lab",
            status=world.at_lab,
            when="after_due",
            days=3,
            action="call",
            template=None,
            task_subject="Has {order_number} come back?",
            **extra,
        ),
    )


def test_making_a_trigger_inactive_cancels_its_scheduled_firings_not_those_in_review(
    world, manager, order_at_lab
):
    call = lab_call(world, manager)
    review = trigger_create(by=manager, **email_on_ready(world, status=world.at_lab))
    order_at_lab()
    assert Firing.objects.get(trigger=call).state == FiringState.SCHEDULED
    assert Firing.objects.get(trigger=review).state == FiringState.IN_REVIEW
    before = version(world.albums)

    trigger_set_active(trigger=call, active=False, by=manager)
    trigger_set_active(trigger=review, active=False, by=manager)

    cancelled = Firing.objects.get(trigger=call)
    assert (cancelled.state, cancelled.reason) == (FiringState.CANCELLED, CANCELLED_INACTIVE)
    assert cancelled.decided_at is not None
    assert Firing.objects.get(trigger=review).state == FiringState.IN_REVIEW
    assert version(world.albums) != before
    assert not call.is_active and call.version == 2


def test_an_inactive_trigger_plans_nothing_and_acts_again_only_on_later_events(
    world, manager, order_at_lab, people
):
    call = lab_call(world, manager)
    trigger_set_active(trigger=call, active=False)
    order = order_at_lab()
    assert not Firing.objects.exists()
    earlier = call.active_since
    trigger_set_active(trigger=call, active=True)
    assert call.is_active and call.active_since >= earlier
    order_at_lab(world.ready)
    order_at_lab(world.at_lab)
    assert Firing.objects.filter(trigger=call, object_id=order.pk).count() == 1


def test_moving_a_trigger_to_another_status_cancels_its_scheduled_firings(
    world, manager, order_at_lab
):
    call = lab_call(world, manager)
    order_at_lab()
    trigger_update(trigger=call, expected_version=1, status=world.ready)
    firing = Firing.objects.get(trigger=call)
    assert (firing.state, firing.reason) == (FiringState.CANCELLED, CANCELLED_CHANGED)


def test_renaming_a_trigger_keeps_its_scheduled_firings(world, manager, order_at_lab):
    call = lab_call(world, manager)
    order_at_lab()
    trigger_update(trigger=call, expected_version=1, name="Chase the lab")
    assert Firing.objects.get(trigger=call).state == FiringState.SCHEDULED


def test_a_trigger_that_fired_is_not_deleted(world, manager, order_at_lab):
    call = lab_call(world, manager)
    order_at_lab()
    with pytest.raises(RecordInUse) as caught:
        trigger_delete(trigger=call)
    assert caught.value.message == (
        "“Check on the lab” can't be deleted. It has fired once: make it inactive instead."
    )
    assert Trigger.objects.filter(pk=call.pk).exists()


def test_a_trigger_that_never_fired_is_deleted(world, manager):
    trigger = trigger_create(by=manager, **email_on_ready(world))
    before = version(world.albums)
    trigger_delete(trigger=trigger)
    assert not Trigger.objects.exists()
    assert version(world.albums) != before


def test_the_list_counts_firings_filters_and_sorts(world, manager, order_at_lab):
    call = lab_call(world, manager)
    ready = trigger_create(by=manager, **email_on_ready(world))
    session = trigger_create(
        by=manager, **email_on_ready(world, name="Shot", cycle=world.sessions, status=world.shot)
    )
    order_at_lab()
    trigger_set_active(trigger=session, active=False)
    rows = {t.pk: t.fired for t in trigger_list()}
    assert rows == {call.pk: 1, ready.pk: 0, session.pk: 0}
    assert [t.pk for t in trigger_list(cycle_id=world.sessions.pk)] == [session.pk]
    assert session.pk not in [t.pk for t in trigger_list(active=True)]
    assert trigger_list(sort="-fired").first().pk == call.pk
    assert [t.name for t in trigger_list(sort="name")] == [
        "Album ready email",
        "Check on the lab",
        "Shot",
    ]


def test_a_change_can_stop_and_restart_a_trigger_in_the_same_write(
    world, manager, order_at_lab, frozen_today
):
    call = lab_call(world, manager)
    order_at_lab()
    trigger_update(trigger=call, expected_version=1, is_active=False, name="Paused call")
    assert (call.is_active, call.name, call.version) == (False, "Paused call", 2)
    firing = Firing.objects.get(trigger=call)
    assert (firing.state, firing.reason) == (FiringState.CANCELLED, CANCELLED_INACTIVE)
    since = call.active_since
    frozen_today(dt.date(2026, 12, 3))
    trigger_update(trigger=call, expected_version=2, is_active=True)
    assert call.is_active and call.active_since > since
    with pytest.raises(ValidationError) as caught:
        trigger_update(trigger=call, expected_version=3, is_active="yes")
    assert caught.value.message_dict == {"is_active": ["Yes or no."]}
