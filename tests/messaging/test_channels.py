"""Delivery backends against real servers on loopback: what each answer means for the outbox."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils

import pytest
from django.utils import timezone

from darkroom.messaging.channels import DeliveryRound, deliver, retry_after_seconds
from darkroom.messaging.models import Message
from darkroom.messaging.outbox import message_key
from darkroom.studio.models import StudioPreferences
from tests.messaging import loopback
from tests.messaging.loopback import Reply, free_loopback_port

# The loopback servers, as fixtures of this module.
gateway = loopback.gateway
mail_server = loopback.mail_server
silent_server = loopback.silent_server


def a_message(channel: str = "email", to: str = "ann@example.com", **fields) -> Message:
    now = timezone.now()
    values = {
        "key": message_key("test", channel, to, fields.get("subject", "")),
        "channel": channel,
        "to": to,
        "to_name": "Ann Lee" if channel == "email" else "",
        "subject": "Your album is ready" if channel == "email" else "",
        "body": "Hello Ann, your album is ready.",
        "next_attempt_at": now,
        "created_at": now,
    } | fields
    return Message.objects.create(**values)


@pytest.fixture
def studio(db) -> StudioPreferences:
    return StudioPreferences.objects.create(
        pk=1, name="Lumen Studio", email="hello@lumen.example", country="US"
    )


# -- email ------------------------------------------------------------------------------------


def test_an_email_goes_from_the_studio_with_a_message_id_from_its_key(
    settings, mail_server, studio
):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    message = a_message()

    attempt = deliver(message)

    assert attempt.outcome == "sent"
    assert attempt.detail == f"Accepted by 127.0.0.1:{mail_server.port}"
    (mail,) = mail_server.wait_for(1)
    assert mail["From"] == "Lumen Studio <hello@lumen.example>"
    assert mail["To"] == "Ann Lee <ann@example.com>"
    assert mail["Subject"] == "Your album is ready"
    assert mail["Message-ID"] == f"<{message.key}@lumen.example>"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail.get_content().strip() == "Hello Ann, your album is ready."


def test_without_a_studio_address_the_email_comes_from_the_default(settings, mail_server, db):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    settings.DEFAULT_FROM_EMAIL = "darkroom@lab.example"

    assert deliver(a_message()).outcome == "sent"

    (mail,) = mail_server.wait_for(1)
    assert mail["From"] == "darkroom@lab.example"
    assert mail["Message-ID"].endswith("@lab.example>")


def test_one_round_sends_over_one_connection(settings, mail_server, studio):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    messages = [a_message(to=f"client{n}@example.com") for n in range(5)]

    with DeliveryRound() as round_:
        outcomes = [round_.deliver(message).outcome for message in messages]

    assert outcomes == ["sent"] * 5
    mail_server.wait_for(5)
    assert mail_server.connections == 1


def test_a_temporary_refusal_is_retried_and_a_permanent_one_fails_with_the_servers_words(
    settings, mail_server, studio
):
    settings.DARKROOM_EMAIL_URL = mail_server.url
    mail_server.answers = {
        "busy@example.com": "451 4.7.1 Greylisted, try again later",
        "gone@example.com": "550 5.1.1 No such mailbox here",
    }

    with DeliveryRound() as round_:
        busy = round_.deliver(a_message(to="busy@example.com"))
        gone = round_.deliver(a_message(to="gone@example.com"))
        fine = round_.deliver(a_message(to="ann@example.com"))

    assert busy.outcome == "retry"
    assert "451 4.7.1 Greylisted, try again later" in busy.detail
    assert gone.outcome == "failed"
    assert "550 5.1.1 No such mailbox here" in gone.detail
    assert "gone@example.com" in gone.detail
    # The conversation went on after the refusals: the next email took the same connection.
    assert fine.outcome == "sent"
    assert mail_server.connections == 1


def test_no_mail_server_is_a_retry(settings, db):
    port = free_loopback_port()
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{port}"

    attempt = deliver(a_message())

    assert attempt.outcome == "retry"
    assert attempt.detail == f"127.0.0.1:{port} refused the connection (no mail server there?)"


def test_a_mail_server_that_never_answers_is_a_retry_after_the_timeout(settings, silent_server, db):
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{silent_server}"
    settings.EMAIL_TIMEOUT = 1

    attempt = deliver(a_message())

    assert attempt.outcome == "retry"
    assert attempt.detail == f"127.0.0.1:{silent_server} did not answer within 1 seconds"


def test_an_email_without_an_address_fails(settings, mail_server, studio):
    settings.DARKROOM_EMAIL_URL = mail_server.url

    attempt = deliver(a_message(to="", to_name=""))

    assert (attempt.outcome, attempt.detail) == ("failed", "No address to send to ('').")
    assert mail_server.received == []


def test_keep_marks_an_email_sent_without_sending_it(settings, db):
    settings.DARKROOM_EMAIL_URL = "keep:"

    attempt = deliver(a_message())

    assert attempt.outcome == "sent"
    assert attempt.detail == "Kept in Darkroom: not delivered (DARKROOM_EMAIL_URL=keep:)"


def test_console_prints_the_email(settings, studio, capsys):
    settings.DARKROOM_EMAIL_URL = "console:"
    message = a_message()

    attempt = deliver(message)

    assert attempt.outcome == "sent"
    printed = capsys.readouterr().out
    assert "Subject: Your album is ready" in printed
    assert f"Message-ID: <{message.key}@lumen.example>" in printed
    assert "Hello Ann, your album is ready." in printed


# -- SMS --------------------------------------------------------------------------------------


@pytest.fixture
def sms_gateway(settings, gateway):
    settings.DARKROOM_SMS_URL = gateway.url()
    settings.DARKROOM_SMS_FROM = "+15550000000"
    return gateway


def an_sms(**fields) -> Message:
    return a_message(channel="sms", to="+12015550123", **fields)


def test_an_sms_is_posted_to_the_gateway_as_documented(sms_gateway, db):
    sms_gateway.answer(Reply(200, {"id": "gw-42", "status": "queued"}))
    message = an_sms()

    attempt = deliver(message)

    assert attempt.outcome == "sent"
    assert attempt.provider_reference == "gw-42"
    assert attempt.detail == "Accepted by the SMS gateway (127.0.0.1) as gw-42"
    (request,) = sms_gateway.requests
    assert request["path"] == "/sms"
    assert request["json"] == {
        "to": "+12015550123",
        "from": "+15550000000",
        "body": "Hello Ann, your album is ready.",
        "reference": message.key,
    }
    assert request["headers"]["Idempotency-Key"] == message.key
    assert request["headers"]["Content-Type"] == "application/json"
    expected = base64.b64encode(b"studio:s3cret").decode()
    assert request["headers"]["Authorization"] == f"Basic {expected}"


def test_a_reply_without_an_id_fails_saying_the_gateway_did_not_answer_as_documented(
    sms_gateway, db
):
    sms_gateway.answer(Reply(200, "<html>Welcome to our portal</html>"))

    attempt = deliver(an_sms())

    assert attempt.outcome == "failed"
    assert "answered 200 with" in attempt.detail
    assert "Welcome to our portal" in attempt.detail
    assert "which is not its documented reply" in attempt.detail


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_client_error_fails_with_its_status_and_words(sms_gateway, db, status):
    sms_gateway.answer(Reply(status, {"error": "invalid number +12015550123"}))

    attempt = deliver(an_sms())

    assert attempt.outcome == "failed"
    assert f"refused it with {status}" in attempt.detail
    assert "invalid number" in attempt.detail


def test_too_many_requests_is_retried_after_the_wait_the_gateway_asks(sms_gateway, db):
    sms_gateway.answer(Reply(429, "slow down", {"Retry-After": "120"}))

    attempt = deliver(an_sms())

    assert attempt.outcome == "retry"
    assert attempt.retry_after == 120
    assert "answered 429" in attempt.detail


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried(sms_gateway, db, status, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC), tick=False)
    later = email.utils.format_datetime(dt.datetime(2026, 12, 2, 12, 5, tzinfo=dt.UTC), True)
    sms_gateway.answer(Reply(status, "maintenance", {"Retry-After": later}))

    attempt = deliver(an_sms())

    assert attempt.outcome == "retry"
    assert attempt.retry_after == 300


def test_a_gateway_that_hangs_is_a_retry_after_the_timeout(settings, sms_gateway, db):
    settings.DARKROOM_SMS_TIMEOUT_SECONDS = 1
    sms_gateway.answer(Reply(200, {"id": "late"}, hang=True))

    attempt = deliver(an_sms())
    sms_gateway.release.set()

    assert attempt.outcome == "retry"
    assert "did not answer within 1 seconds" in attempt.detail


def test_no_gateway_listening_is_a_retry(settings, db):
    settings.DARKROOM_SMS_URL = f"http://127.0.0.1:{free_loopback_port()}/sms"

    attempt = deliver(an_sms())

    assert attempt.outcome == "retry"
    assert "could not be reached" in attempt.detail


def test_a_redirect_is_not_followed(sms_gateway, db):
    sms_gateway.answer(Reply(302, "", {"Location": "http://elsewhere.example/sms"}))

    attempt = deliver(an_sms())

    assert attempt.outcome == "failed"
    assert "http://elsewhere.example/sms" in attempt.detail
    assert len(sms_gateway.requests) == 1


def test_no_gateway_configured_fails_saying_so(settings, db):
    settings.DARKROOM_SMS_URL = ""

    attempt = deliver(an_sms())

    assert attempt.outcome == "failed"
    assert attempt.detail == "No SMS gateway is configured (DARKROOM_SMS_URL)."


def test_keep_marks_an_sms_sent_without_sending_it(settings, db):
    settings.DARKROOM_SMS_URL = "keep:"

    attempt = deliver(an_sms())

    assert (attempt.outcome, attempt.detail) == (
        "sent",
        "Kept in Darkroom: not delivered (DARKROOM_SMS_URL=keep:)",
    )


def test_console_prints_the_sms(settings, db, capsys):
    settings.DARKROOM_SMS_URL = "console:"

    assert deliver(an_sms()).outcome == "sent"

    assert "SMS to +12015550123" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("30", 30),
        ("Wed, 02 Dec 2026 12:01:00 GMT", 60),
        ("Wed, 02 Dec 2026 11:00:00 GMT", 0),  # already past: no wait
        ("soon", None),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC), tick=False)
    assert retry_after_seconds(header) == seconds
