"""The worker's rounds deliver over real HTTP to receivers on loopback that check every
signature with the ``standardwebhooks`` package; the clock moved by time-machine."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from darkroom.webhooks.models import Delivery, DeliveryAttempt, Endpoint
from darkroom.webhooks.posting import USER_AGENT
from darkroom.webhooks.sending import (
    BACKOFF,
    JITTER,
    LANES_PER_ENDPOINT,
    PUT_BACK,
    TRIES,
    WAITING_ON_ENDPOINT,
    deliveries_put_back,
    deliveries_send,
    deliveries_waiting,
)
from darkroom.webhooks.signing import webhook_secret_new
from tests.webhooks.conftest import NOON, delivery_of, endpoint_for, happened
from tests.webhooks.receiver import Answer

pytestmark = pytest.mark.django_db


def fresh(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)


def waited(delivery: Delivery, since: dt.datetime) -> dt.timedelta:
    return fresh(delivery).next_attempt_at - since


def about(wait: dt.timedelta, step: dt.timedelta) -> bool:
    return step * (1 - JITTER) <= wait <= step * (1 + JITTER)


# -- what crosses the wire --------------------------------------------------------------------


def test_a_delivery_is_the_events_payload_signed_per_standard_webhooks(clock, receiver):
    endpoint = endpoint_for(receiver)
    event = happened(5)
    assert deliveries_waiting()

    assert deliveries_send() == 1

    [got] = receiver.wait_for(1)
    assert got.verified
    assert (got.method, got.path) == ("POST", "/hooks")
    assert json.loads(got.body) == event.payload()
    assert got.headers["webhook-id"] == f"evt_{event.pk}"
    assert got.headers["webhook-timestamp"] == str(int(NOON.timestamp()))
    assert got.headers["user-agent"] == USER_AGENT
    assert got.headers["content-type"] == "application/json"
    assert got.headers["host"] == f"127.0.0.1:{receiver.port}"
    delivery = delivery_of(event, endpoint)
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert delivery.delivered_at == NOON and delivery.sending_since is None
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert (attempt.outcome, attempt.status_code, attempt.excerpt) == ("delivered", 200, "ok")
    assert attempt.started_at == NOON
    endpoint.refresh_from_db()
    assert (endpoint.last_success_at, endpoint.failing_since) == (NOON, None)
    assert not deliveries_waiting()
    assert deliveries_send() == 0


def test_while_a_secret_is_rotated_a_receiver_holding_only_the_old_one_still_verifies(
    clock, receiver, other_receiver
):
    old, new = webhook_secret_new(), webhook_secret_new()
    until = NOON + dt.timedelta(hours=24)
    endpoint_for(receiver, secret=new, previous_secret=old, previous_secret_until=until)
    receiver.secrets[:] = [old]  # this receiver has not switched yet
    happened(1)

    deliveries_send()

    [got] = receiver.wait_for(1)
    assert got.verified
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    receiver.secrets[:] = [new]  # one that has switched verifies the same request too
    assert receiver.verifies(got.body, got.headers)

    clock(hours=24)  # the overlap is over: only the new secret signs
    receiver.secrets[:] = [old]
    happened(2)
    deliveries_send()
    later = receiver.wait_for(2)[1]
    assert not later.verified
    assert len(later.headers["webhook-signature"].split(" ")) == 1
    receiver.secrets[:] = [new]
    assert receiver.verifies(later.body, later.headers)


# -- answers ----------------------------------------------------------------------------------


def test_a_failing_receiver_is_retried_on_the_schedule_with_the_same_webhook_id(clock, receiver):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(500, "database down"))
    event = happened()
    delivery = delivery_of(event, endpoint)

    for tries, step in enumerate(BACKOFF, start=1):
        assert deliveries_send() == 1
        now = timezone.now()
        assert fresh(delivery).state == "retry"
        assert fresh(delivery).attempts == tries
        assert about(waited(delivery, now), step), (tries, waited(delivery, now))
        clock(seconds=step.total_seconds() * (1 - JITTER) - 1)
        assert deliveries_send() == 0  # not yet
        clock(seconds=step.total_seconds() * 2 * JITTER + 1)

    assert deliveries_send() == 1  # the last try

    given_up = fresh(delivery)
    assert (given_up.state, given_up.attempts, given_up.last_status_code) == ("failed", TRIES, 500)
    assert given_up.reason == (
        f"Gave up after {TRIES} tries. The endpoint answered 500 Internal Server Error; "
        "tried again later."
    )
    assert receiver.ids() == [f"evt_{event.pk}"] * TRIES
    tries = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [t.outcome for t in tries] == ["retry"] * (TRIES - 1) + ["failed"]
    assert {t.excerpt for t in tries} == {"database down"}
    assert all(r.verified for r in receiver.received)


def test_a_receiver_that_is_down_is_not_tried_again_for_the_rest_of_its_queue_at_once(
    clock, receiver
):
    """Ten deliveries wait for a receiver that answers 500: the round tries a few (one per
    lane) and the others wait the first back-off untried, instead of being tried a few at a
    time every couple of seconds until each had had its own first failure."""
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(500, "down"))
    deliveries = [delivery_of(happened(n), endpoint) for n in range(10)]
    tried = deliveries_send()
    assert 1 <= tried <= LANES_PER_ENDPOINT
    now = timezone.now()
    untried = [fresh(d) for d in deliveries if fresh(d).attempts == 0]
    assert len(untried) == 10 - tried
    assert {(d.state, d.reason) for d in untried} == {("pending", WAITING_ON_ENDPOINT)}
    assert {d.next_attempt_at - now for d in untried} == {BACKOFF[0]}
    assert deliveries_send() == 0  # the next round leaves the endpoint alone
    clock(seconds=BACKOFF[0].total_seconds() * (1 + JITTER) + 1)
    receiver.answer(Answer(200))
    while deliveries_send():
        pass
    assert {fresh(d).state for d in deliveries} == {"delivered"}
    assert len(receiver.received) == tried + 10


def test_a_retry_that_succeeds_is_delivered_and_clears_the_endpoints_failing(clock, receiver):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(503), Answer(200))
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()
    endpoint.refresh_from_db()
    assert endpoint.failing_since == NOON
    clock(seconds=6)
    deliveries_send()

    assert (fresh(delivery).state, fresh(delivery).attempts) == ("delivered", 2)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    assert endpoint.last_success_at == NOON + dt.timedelta(seconds=6)


@pytest.mark.parametrize(
    ("answer", "wait"),
    [
        (Answer(429, headers={"Retry-After": "120"}), dt.timedelta(seconds=120)),
        (
            Answer(
                503, headers={"Retry-After": format_datetime(NOON + dt.timedelta(hours=1), True)}
            ),
            dt.timedelta(hours=1),
        ),
        (Answer(429, headers={"Retry-After": "172800"}), dt.timedelta(hours=10)),  # at most
    ],
    ids=["seconds", "http-date", "two-days"],
)
def test_retry_after_is_honoured_up_to_ten_hours(clock, receiver, answer, wait):
    endpoint = endpoint_for(receiver)
    receiver.answer(answer)
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()

    assert fresh(delivery).state == "retry"
    assert waited(delivery, NOON) == wait


@pytest.mark.parametrize("status", [408, 429, 500, 502, 504])
def test_answers_that_mean_later_are_retried(clock, receiver, status):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(status))
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()

    assert (fresh(delivery).state, fresh(delivery).last_status_code) == ("retry", status)
    assert about(waited(delivery, NOON), BACKOFF[0])


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_other_refusals_fail_for_good_keeping_what_the_receiver_said(clock, receiver, status):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(status, "x" * 600))
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()

    failed = fresh(delivery)
    assert (failed.state, failed.last_status_code) == ("failed", status)
    assert failed.reason.startswith(f"The endpoint answered {status} ")
    assert DeliveryAttempt.objects.get(delivery=delivery).excerpt == "x" * 500
    clock(days=2)
    assert deliveries_send() == 0
    endpoint.refresh_from_db()
    assert endpoint.is_active  # one refusal does not disable an endpoint


def test_a_redirect_is_not_followed_and_fails_saying_where_it_went(clock, receiver, other_receiver):
    endpoint = endpoint_for(receiver)
    target = other_receiver.url("/new-hooks")
    receiver.answer(Answer(302, headers={"Location": target}))
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()

    failed = fresh(delivery)
    assert (failed.state, failed.last_status_code) == ("failed", 302)
    assert f"a redirect to {target}" in failed.reason
    assert "Redirects are not followed" in failed.reason
    assert len(receiver.received) == 1
    assert other_receiver.received == []


def test_410_gone_disables_the_endpoint_and_tells_the_managers(clock, receiver, people):
    from darkroom.todos.models import Task

    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(410))
    first, second = happened(1), happened(2)
    later = NOON + dt.timedelta(minutes=5)  # the second waits to retry
    Delivery.objects.filter(event=second).update(state="retry", attempts=1, next_attempt_at=later)

    assert deliveries_send() == 1

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at == NOON
    assert endpoint.disabled_reason.startswith("Disabled on its answer 410 Gone")
    assert fresh(delivery_of(first, endpoint)).state == "failed"
    held = fresh(delivery_of(second, endpoint))
    assert held.state == "retry" and held.reason.startswith("Held: the endpoint is disabled")
    [task] = Task.objects.all()
    assert task.assigned_user == people["manager"]
    assert "“Order tracker” was disabled" in task.subject
    assert f"/webhooks/{endpoint.pk}/" in task.notes and "410 Gone" in task.notes

    happened(3)  # a disabled endpoint gets no new deliveries
    clock(hours=1)
    assert not deliveries_waiting()
    assert deliveries_send() == 0
    assert Delivery.objects.filter(endpoint=endpoint).count() == 2
    assert len(receiver.received) == 1


def test_an_endpoint_failing_for_a_day_is_disabled_and_the_managers_get_a_task(
    clock, receiver, people
):
    from darkroom.todos.models import Task

    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(500))
    happened(1)
    deliveries_send()
    endpoint.refresh_from_db()
    assert endpoint.failing_since == NOON

    clock(hours=23)  # failing for less than a day: still active
    happened(2)
    deliveries_send()
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.failing_since == NOON
    assert not Task.objects.exists()

    clock(hours=1, seconds=1)
    happened(3)
    deliveries_send()

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_reason.startswith(
        "Disabled after every delivery failed for more than a day (since 2026-12-02 12:00 UTC)"
    )
    tasks = list(Task.objects.all())
    assert [t.assigned_user for t in tasks] == [people["manager"]]  # not staff, not read-only
    assert f"/webhooks/{endpoint.pk}/" in tasks[0].notes
    waiting = Delivery.objects.filter(endpoint=endpoint, state__in=["pending", "retry"])
    assert waiting.count() == 3 and {d.reason for d in waiting} == {
        "Held: the endpoint is disabled. It goes once the endpoint is enabled again."
    }

    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=True)  # enabled again by a person
    receiver.answer(Answer(200))
    clock(hours=10)
    assert deliveries_send() == 3
    assert Delivery.objects.filter(endpoint=endpoint, state="delivered").count() == 3


@override_settings(DARKROOM_WEBHOOK_TIMEOUT_SECONDS=1)
def test_a_receiver_that_hangs_times_out_and_does_not_hold_the_others(receiver, other_receiver):
    slow = endpoint_for(receiver, name="Slow")
    quick = endpoint_for(other_receiver, name="Quick")
    receiver.answer(Answer(200, hang=True))
    event = happened()

    assert deliveries_send() == 2

    receiver.release.set()
    timed_out = fresh(delivery_of(event, slow))
    assert timed_out.state == "retry"
    assert timed_out.reason == "The endpoint did not answer within 1 seconds."
    assert timed_out.last_status_code is None
    slow_try = DeliveryAttempt.objects.get(delivery=timed_out)
    assert slow_try.duration_ms >= 1000 and slow_try.status_code is None
    assert slow_try.excerpt == timed_out.reason
    quick_try = DeliveryAttempt.objects.get(delivery=delivery_of(event, quick))
    assert quick_try.outcome == "delivered" and quick_try.duration_ms < 1000


def test_a_receiver_nobody_listens_on_is_retried(clock, receiver):
    endpoint = endpoint_for(receiver)
    receiver.server.server_close()  # the port is closed: connection refused
    delivery = delivery_of(happened(), endpoint)

    deliveries_send()

    retry = fresh(delivery)
    assert retry.state == "retry" and retry.reason.startswith("Could not reach the endpoint")


# -- the lease ----------------------------------------------------------------------------------


def test_a_delivery_left_sending_past_its_lease_goes_again_with_the_same_webhook_id(
    clock, receiver, settings
):
    settings.DARKROOM_WEBHOOK_LEASE_SECONDS = 120
    endpoint = endpoint_for(receiver)
    stalled_event, recent_event = happened(1), happened(2)
    stalled, recent = delivery_of(stalled_event, endpoint), delivery_of(recent_event, endpoint)
    Delivery.objects.filter(pk=stalled.pk).update(state="sending", sending_since=NOON)
    clock(seconds=100)
    Delivery.objects.filter(pk=recent.pk).update(state="sending", sending_since=timezone.now())

    assert deliveries_put_back() == 0  # within the lease: its worker may still be at it
    assert not deliveries_waiting()
    clock(seconds=21)
    assert deliveries_waiting()
    assert deliveries_send() == 1

    again = fresh(stalled)
    assert (again.state, again.attempts) == ("delivered", 2)
    tries = list(DeliveryAttempt.objects.filter(delivery=again))
    assert [t.outcome for t in tries] == ["retry", "delivered"]
    assert tries[0].started_at == NOON and tries[0].excerpt.startswith(PUT_BACK)
    assert receiver.ids() == [f"evt_{stalled_event.pk}"]
    assert fresh(recent).state == "sending"


def test_an_outcome_for_a_claim_no_longer_ours_changes_nothing(clock, receiver):
    endpoint = endpoint_for(receiver)
    delivery = delivery_of(happened(), endpoint)
    taken_over = NOON + dt.timedelta(minutes=10)
    Delivery.objects.filter(pk=delivery.pk).update(state="sending", sending_since=taken_over)

    assert deliveries_send() == 0
    assert fresh(delivery).sending_since == taken_over
