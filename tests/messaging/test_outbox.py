"""The outbox delivers what is due, over real SMTP and HTTP on loopback, with the clock moved by
time-machine: back-off, the lease of a stopped worker, giving up, resend and abort."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from darkroom.errors import DarkroomError
from darkroom.messaging.models import Message, MessageAttempt
from darkroom.messaging.outbox import (
    RECORD_EVERY,
    message_abort,
    message_key,
    message_resend,
    messages_put_back,
    messages_write,
    outbox_deliver,
)
from darkroom.messaging.ticks import work_waiting
from darkroom.studio.models import StudioPreferences
from tests.messaging import loopback
from tests.messaging.loopback import Reply, free_loopback_port

NOON = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)

# The loopback servers, as fixtures of this module.
gateway = loopback.gateway
mail_server = loopback.mail_server
silent_server = loopback.silent_server


@pytest.fixture
def clock(time_machine):
    """The clock stopped at noon; ``clock(minutes=5)`` moves it on."""
    time_machine.move_to(NOON, tick=False)

    def move(**delta: float) -> dt.datetime:
        time_machine.shift(dt.timedelta(**delta))
        return timezone.now()

    return move


@pytest.fixture
def studio(db) -> StudioPreferences:
    return StudioPreferences.objects.create(pk=1, name="Lumen Studio", email="hi@lumen.example")


@pytest.fixture
def smtp(settings, mail_server):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    return mail_server


def queue(*addresses: str, channel: str = "email", at: dt.datetime | None = None) -> list[Message]:
    now = timezone.now()
    return messages_write(
        messages=[
            Message(
                key=message_key("outbox-test", channel, address),
                channel=channel,
                to=address,
                subject="Your album is ready" if channel == "email" else "",
                body="Hello, your album is ready.",
                next_attempt_at=at or now,
                created_at=now,
            )
            for address in addresses
        ]
    )


def fresh(message: Message) -> Message:
    return Message.objects.get(pk=message.pk)


def test_due_messages_are_delivered_once_each_over_one_connection(clock, studio, smtp):
    # More than one group of outcomes written down together (RECORD_EVERY).
    messages = queue(*(f"client{n}@example.com" for n in range(RECORD_EVERY + 5)))

    assert outbox_deliver() == RECORD_EVERY + 5
    assert outbox_deliver() == 0  # nothing left: no message goes twice

    smtp.wait_for(RECORD_EVERY + 5)
    assert smtp.connections == 1
    assert sorted(smtp.message_ids()) == sorted(f"<{m.key}@lumen.example>" for m in messages)
    for message in map(fresh, messages):
        assert (message.state, message.attempts, message.sent_at) == ("sent", 1, NOON)
        assert message.sending_since is None
        assert message.reason == f"Accepted by 127.0.0.1:{smtp.port}"
        (attempt,) = message.tries.all()
        assert (attempt.outcome, attempt.started_at) == ("sent", NOON)


def test_a_message_waits_for_its_time_and_a_batch_has_a_limit(clock, studio, smtp):
    (later,) = queue("later@example.com", at=NOON + dt.timedelta(hours=1))
    now = queue(*(f"now{n}@example.com" for n in range(3)))

    assert outbox_deliver(limit=2) == 2
    assert outbox_deliver(limit=2) == 1
    assert fresh(later).state == "queued"
    assert {fresh(m).state for m in now} == {"sent"}

    clock(hours=1)
    assert outbox_deliver() == 1
    assert fresh(later).state == "sent"


def test_a_temporary_refusal_backs_off_then_goes(clock, studio, smtp):
    smtp.answers = {"busy@example.com": "451 4.7.1 Greylisted"}
    (message,) = queue("busy@example.com")

    outbox_deliver()

    waiting = fresh(message)
    assert (waiting.state, waiting.attempts) == ("retry", 1)
    assert "451 4.7.1 Greylisted" in waiting.reason
    # 30 seconds, give or take a fifth (the jitter).
    assert (
        NOON + dt.timedelta(seconds=24)
        <= waiting.next_attempt_at
        <= NOON + dt.timedelta(seconds=36)
    )
    assert outbox_deliver() == 0  # not before its time

    smtp.answers = {}
    clock(seconds=36)
    assert outbox_deliver() == 1
    sent = fresh(message)
    assert (sent.state, sent.attempts) == ("sent", 2)
    assert [a.outcome for a in sent.tries.all()] == ["retry", "sent"]
    assert smtp.message_ids() == [f"<{message.key}@lumen.example>"]


def test_the_waits_grow_between_tries(clock, studio, settings):
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{free_loopback_port()}"  # nobody there
    (message,) = queue("ann@example.com")
    waits = []
    for _ in range(6):
        before = timezone.now()
        assert outbox_deliver() == 1
        waiting = fresh(message)
        waits.append((waiting.next_attempt_at - before).total_seconds())
        clock(seconds=waits[-1])

    for wait, step in zip(waits, [30, 120, 600, 1800, 3600, 7200], strict=True):
        assert step * 0.8 <= wait <= step * 1.2
    assert "refused the connection" in fresh(message).reason


def test_a_permanent_refusal_fails_with_the_servers_words(clock, studio, smtp):
    smtp.answers = {"gone@example.com": "550 5.1.1 No such mailbox"}
    gone, fine = queue("gone@example.com", "fine@example.com")

    assert outbox_deliver() == 2

    failed = fresh(gone)
    assert failed.state == "failed"
    assert failed.reason == f"127.0.0.1:{smtp.port} refused gone@example.com answered 550 " + (
        "5.1.1 No such mailbox"
    )
    assert fresh(fine).state == "sent"


def test_the_outbox_gives_up_after_the_maximum_age(clock, studio, settings):
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{free_loopback_port()}"
    settings.DARKROOM_MESSAGE_MAX_AGE_HOURS = 24
    (message,) = queue("ann@example.com")

    tries = 0
    while fresh(message).state != "failed":
        assert tries < 30, "the outbox never gave up"
        clock(seconds=(fresh(message).next_attempt_at - timezone.now()).total_seconds())
        assert outbox_deliver() == 1
        tries += 1

    failed = fresh(message)
    assert failed.attempts == tries
    assert failed.reason.startswith(f"Gave up after {tries} attempts over ")
    assert failed.reason.endswith("refused the connection (no mail server there?)")
    assert timezone.now() - NOON >= dt.timedelta(hours=24)


def test_the_age_counts_from_the_first_try_not_from_when_it_was_written(clock, studio, settings):
    """A message held for a long weekend is not given up at its first refusal."""
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{free_loopback_port()}"
    (message,) = queue("ann@example.com", at=NOON + dt.timedelta(hours=80))

    clock(hours=80)
    outbox_deliver()

    assert fresh(message).state == "retry"


def test_a_message_left_sending_by_a_stopped_worker_goes_again_with_the_same_message_id(
    clock, studio, smtp, settings
):
    settings.DARKROOM_SENDING_LEASE_SECONDS = 300
    stalled, recent = queue("stalled@example.com", "recent@example.com")
    Message.objects.filter(pk=stalled.pk).update(state="sending", sending_since=NOON)
    clock(minutes=4)
    Message.objects.filter(pk=recent.pk).update(state="sending", sending_since=timezone.now())

    assert messages_put_back() == 0  # within the lease: maybe still going out
    clock(minutes=1, seconds=1)
    assert outbox_deliver() == 1

    again = fresh(stalled)
    assert (again.state, again.attempts) == ("sent", 2)
    tries = list(again.tries.all())
    assert [t.outcome for t in tries] == ["retry", "sent"]
    assert tries[0].started_at == NOON
    assert tries[0].detail.startswith("Put back after the worker stopped mid-send")
    assert smtp.message_ids() == [f"<{stalled.key}@lumen.example>"]
    assert fresh(recent).state == "sending"  # its worker may still be at it


def test_a_batch_stops_at_half_the_lease_and_gives_back_what_it_did_not_reach(
    settings, silent_server, db
):
    """A mail server that answers nothing costs each email the whole timeout: a batch must not
    outlast its lease, or another worker would put its messages back and send them too."""
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{silent_server}"
    settings.EMAIL_TIMEOUT = 1
    settings.DARKROOM_SENDING_LEASE_SECONDS = 2  # half: one timeout
    first, second, third = queue("a@example.com", "b@example.com", "c@example.com")
    Message.objects.filter(pk=third.pk).update(state="retry", attempts=1)

    assert outbox_deliver() == 1

    tried = fresh(first)
    assert (tried.state, tried.attempts) == ("retry", 1)
    assert "did not answer within 1 seconds" in tried.reason
    for untried, state in ((second, "queued"), (third, "retry")):
        back = fresh(untried)
        assert (back.state, back.sending_since, back.tries.count()) == (state, None, 0)


def test_an_outcome_for_a_claim_that_is_no_longer_ours_changes_nothing(clock, studio, smtp):
    """A worker that comes back after its lease ran out (and another worker took the message)
    writes down its try, but not over the other worker's claim."""
    (message,) = queue("ann@example.com")
    taken_over = NOON + dt.timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(state="sending", sending_since=taken_over)

    assert outbox_deliver() == 0

    assert fresh(message).state == "sending"
    assert fresh(message).sending_since == taken_over


def test_an_sms_honours_the_wait_its_gateway_asks(clock, settings, gateway, db):
    settings.DARKROOM_SMS_URL = gateway.url()
    gateway.answer(Reply(429, "slow down", {"Retry-After": "3600"}), Reply(200, {"id": "gw-7"}))
    (message,) = queue("+12015550123", channel="sms")

    outbox_deliver()

    waiting = fresh(message)
    assert waiting.state == "retry"
    assert waiting.next_attempt_at >= NOON + dt.timedelta(hours=1)
    clock(minutes=59)
    assert outbox_deliver() == 0
    clock(minutes=1)
    assert outbox_deliver() == 1
    sent = fresh(message)
    assert (sent.state, sent.provider_reference) == ("sent", "gw-7")
    assert [r["headers"]["Idempotency-Key"] for r in gateway.requests] == [message.key] * 2


def test_kept_messages_are_marked_sent_saying_so(clock, settings, db):
    settings.DARKROOM_EMAIL_URL = "keep:"
    settings.DARKROOM_SMS_URL = "keep:"
    (mail,) = queue("ann@example.com")
    (sms,) = queue("+12015550123", channel="sms")

    assert outbox_deliver() == 2

    assert fresh(mail).reason == "Kept in Darkroom: not delivered (DARKROOM_EMAIL_URL=keep:)"
    assert fresh(sms).reason == "Kept in Darkroom: not delivered (DARKROOM_SMS_URL=keep:)"
    assert {fresh(mail).state, fresh(sms).state} == {"sent"}


def test_an_sms_without_a_gateway_fails_at_once(clock, settings, db):
    settings.DARKROOM_SMS_URL = ""
    (message,) = queue("+12015550123", channel="sms")

    outbox_deliver()

    failed = fresh(message)
    assert (failed.state, failed.reason) == (
        "failed",
        "No SMS gateway is configured (DARKROOM_SMS_URL).",
    )


# -- resend and abort ------------------------------------------------------------------------


def test_a_resend_is_a_new_message_with_its_own_key(
    clock, studio, smtp, people, django_capture_on_commit_callbacks
):
    (first,) = queue("ann@example.com")
    outbox_deliver()

    with django_capture_on_commit_callbacks(execute=True):
        again = message_resend(message=fresh(first), by=people["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        third = message_resend(message=fresh(first), by=people["manager"])

    assert again.resend_of == first
    assert (again.to, again.subject, again.body) == (first.to, first.subject, first.body)
    assert len({first.key, again.key, third.key}) == 3
    assert again.key == message_key(first.key, "resend", 1)
    assert (again.state, again.reason) == ("queued", "Resent by Manager")
    assert again.created_by == people["manager"]
    # The worker's look between ticks sees it is due now.
    assert work_waiting()

    assert outbox_deliver() == 2
    ids = smtp.wait_for(3) and smtp.message_ids()
    assert ids == [f"<{m.key}@lumen.example>" for m in (first, again, third)]


def test_a_message_still_waiting_to_go_cannot_be_resent(clock, people, db):
    (message,) = queue("ann@example.com")

    with pytest.raises(DarkroomError, match="has not ended yet"):
        message_resend(message=message, by=people["manager"])

    assert Message.objects.count() == 1


def test_a_waiting_message_can_be_aborted_and_then_never_goes(clock, studio, smtp, people):
    queued, waiting = queue("ann@example.com", "bob@example.com")
    Message.objects.filter(pk=waiting.pk).update(state="retry")

    for message in (queued, waiting):
        aborted = message_abort(message=message, by=people["staff"])
        assert (aborted.state, aborted.reason) == ("aborted", "Aborted by Staff")

    assert outbox_deliver() == 0
    assert smtp.received == []


@pytest.mark.parametrize("state", ["sending", "sent", "failed", "aborted"])
def test_a_message_past_waiting_cannot_be_aborted(clock, people, db, state):
    (message,) = queue("ann@example.com")
    Message.objects.filter(pk=message.pk).update(state=state, reason="as it was")

    with pytest.raises(DarkroomError, match="only a message still queued or waiting"):
        message_abort(message=message, by=people["staff"])

    assert (fresh(message).state, fresh(message).reason) == (state, "as it was")
    assert not MessageAttempt.objects.exists()
