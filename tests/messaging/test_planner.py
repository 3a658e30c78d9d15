"""The trigger planner: firings written with the status change, on the right day, once per stay."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from darkroom.messaging.firings import firings_process_due
from darkroom.messaging.models import Firing, Message
from darkroom.todos.models import Task
from darkroom.tracking.models import StatusNote
from darkroom.tracking.services import BulkItem, status_change_bulk, status_due_date_set
from tests.messaging.conftest import (
    MONDAY,
    advance,
    business_days_after,
    business_days_before,
)

pytestmark = pytest.mark.django_db


def firings(order):
    return list(Firing.objects.filter(object_id=order.pk).order_by("pk"))


def test_entering_a_watched_status_writes_one_firing_in_the_same_transaction(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    trigger = make_trigger(processing="review")
    order = make_order()
    assert firings(order) == []  # "Ordered" is not watched
    order = advance(order, album.lab, people["staff"])
    order = advance(order, album.ready, people["staff"])
    (firing,) = firings(order)
    assert (firing.trigger, firing.state, firing.due_on) == (trigger, "in_review", MONDAY)
    assert firing.stay_started_at == order.status_changed_at
    with pytest.raises(IntegrityError), transaction.atomic():
        Firing.objects.create(
            trigger=trigger,
            content_type_id=firing.content_type_id,
            object_id=order.pk,
            stay=firing.stay,
            stay_started_at=firing.stay_started_at,
            due_on=MONDAY,
            created_at=firing.created_at,
        )


def test_a_refused_change_writes_no_firing(frozen_today, make_trigger, make_order, album, people):
    frozen_today(MONDAY)
    make_trigger()
    order = make_order()
    with pytest.raises(Exception, match="changed by someone else"):
        advance(
            type(order).objects.get(pk=order.pk).__class__(pk=order.pk, version=99),
            album.ready,
            people["staff"],
        )
    assert Firing.objects.count() == 0


def test_leaving_and_coming_back_is_a_new_stay(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(processing="review")
    order = make_order()
    order = advance(order, album.ready, people["staff"])
    order = advance(order, album.lab, people["staff"])
    order = advance(order, album.ready, people["staff"])
    assert [f.state for f in firings(order)] == ["in_review", "in_review"]


@pytest.mark.parametrize("when,days", [("after_due", 3), ("before_due", 2), ("after_due", 0)])
def test_timed_firings_fall_on_business_days_from_the_due_date(
    frozen_today, make_trigger, make_order, album, people, when, days
):
    frozen_today(MONDAY)
    make_trigger(status=album.lab, when=when, days=days)
    order = make_order()
    order = advance(order, album.lab, people["staff"])
    due = business_days_after(MONDAY, 5)  # "At the lab" takes five business days
    assert order.status_due_date == due
    expected = (
        business_days_after(due, days) if when == "after_due" else business_days_before(due, days)
    )
    (firing,) = firings(order)
    assert (firing.state, firing.due_on) == ("scheduled", expected)


def test_a_timed_firing_is_cancelled_when_the_record_leaves_the_status(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(status=album.lab, when="after_due", days=3)
    order = make_order()
    order = advance(order, album.lab, people["staff"])
    order = advance(order, album.ready, people["staff"])
    (firing,) = firings(order)
    assert firing.state == "cancelled"
    assert "left the status" in firing.reason
    frozen_today(business_days_after(MONDAY, 20))
    assert firings_process_due() == 0
    assert Task.objects.filter(subject__startswith="Call").count() == 0


def test_a_moved_due_date_moves_the_firing_and_says_so_in_history(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(name="Check the lab", status=album.lab, when="after_due", days=3)
    order = make_order()
    order = advance(order, album.lab, people["staff"])
    later = business_days_after(order.status_due_date, 2)
    status_due_date_set(
        record=order, expected_version=order.version, due_date=later, updated_by=people["staff"]
    )
    (firing,) = firings(order)
    assert firing.due_on == business_days_after(later, 3)
    note = StatusNote.objects.filter(object_id=order.pk, kind="due").get()
    assert "Check the lab" in note.note and f"{firing.due_on:%Y-%m-%d}" in note.note


def test_records_already_in_the_status_when_the_trigger_was_saved_never_fire(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    order = advance(make_order(), album.lab, people["staff"])
    make_trigger(status=album.lab, when="after_due", days=1)
    frozen_today(business_days_after(MONDAY, 30))
    assert firings_process_due() == 0
    assert firings(order) == []


def test_the_worker_catches_up_on_every_firing_whose_day_passed_and_fires_each_once(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(status=album.lab, when="after_due", days=1)
    orders = [advance(make_order(), album.lab, people["staff"]) for _ in range(3)]
    day = firings(orders[0])[0].due_on
    frozen_today(business_days_before(day, 1))
    assert firings_process_due() == 0  # not yet
    frozen_today(business_days_after(day, 6))  # the worker was down for a week
    assert firings_process_due() == 3
    assert firings_process_due() == 0
    assert Task.objects.filter(kind="todo", subject="Call Ann Lee").count() == 3
    assert {f.state for o in orders for f in firings(o)} == {"processed"}


def test_a_bulk_change_plans_a_firing_for_every_record(
    frozen_today, make_trigger, make_order, album, people
):
    frozen_today(MONDAY)
    make_trigger(processing="review")
    orders = [make_order() for _ in range(4)]
    status_change_bulk(
        model=type(orders[0]),
        items=[BulkItem(id=o.pk, expected_version=o.version) for o in orders],
        updated_by=people["staff"],
        to_status=album.ready,
    )
    assert Firing.objects.filter(state="in_review").count() == 4


def test_an_automatic_email_to_the_client_is_queued_with_its_words(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    make_trigger(action="email", template=email_template, task_subject="", task_user=None)
    order = advance(make_order(email="ann@example.com"), album.ready, people["staff"])
    (firing,) = firings(order)
    assert firing.state == "due"
    assert firings_process_due() == 1
    (message,) = Message.objects.all()
    assert (message.channel, message.to, message.to_name) == ("email", "ann@example.com", "Ann Lee")
    assert message.subject == "Your Album is ready, Ann"
    assert "order 4821 is ready" in message.body
    assert (message.state, message.firing_id, message.client_id) == (
        "queued",
        firing.pk,
        order.client_id,
    )
    firing.refresh_from_db()
    assert firing.state == "processed" and "queued" in firing.reason


def test_do_not_market_suppresses_the_email_with_its_reason(
    frozen_today, make_trigger, make_order, album, people, email_template
):
    frozen_today(MONDAY)
    make_trigger(action="email", template=email_template, skip_do_not_market=True)
    order = advance(make_order(do_not_market=True), album.ready, people["staff"])
    firings_process_due()
    (firing,) = firings(order)
    assert firing.state == "suppressed" and "do not market" in firing.reason
    assert Message.objects.count() == 0


def test_sms_falls_back_to_a_call_for_a_client_without_consent(
    frozen_today, make_trigger, make_order, album, people, sms_template
):
    frozen_today(MONDAY)
    make_trigger(action="sms_else_call", template=sms_template, task_subject="")
    order = advance(
        make_order(mobile="+1 201 555 0123", sms_consent=False), album.ready, people["staff"]
    )
    firings_process_due()
    (firing,) = firings(order)
    assert firing.state == "processed" and "consent" in firing.reason
    task = firing.task
    assert (task.kind, task.assigned_user, task.production_order_id) == (
        "call",
        people["staff"],
        order.pk,
    )
    assert "+1 201 555 0123" in task.notes and task.client_id == order.client_id
    assert Message.objects.count() == 0


def test_sms_goes_to_a_consenting_mobile_in_e164(
    frozen_today, make_trigger, make_order, album, people, sms_template
):
    frozen_today(MONDAY)
    make_trigger(action="sms", template=sms_template)
    advance(make_order(mobile="(201) 555-0123", sms_consent=True), album.ready, people["staff"])
    firings_process_due()
    (message,) = Message.objects.all()
    assert (message.channel, message.to, message.body) == (
        "sms",
        "+12015550123",
        "Ann, your album is ready.",
    )
