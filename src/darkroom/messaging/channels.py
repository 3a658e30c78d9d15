"""How a message leaves: email by SMTP, SMS by one HTTP gateway, or kept in Darkroom.

Every delivery ends in an :class:`Attempt` saying what the outbox should do next: ``sent``,
``retry`` (the server or the network may do better later: SMTP 4xx, no connection, a timeout,
HTTP 429 and 5xx) or ``failed`` (it never will: SMTP 5xx, a refused request, no gateway), with
the other side's own words, so the studio reads why. Nothing here raises for a delivery that
went wrong, and nothing here writes to the database: the outbox records the attempt.

A :class:`DeliveryRound` keeps one SMTP connection and one HTTP client open for a batch, as a
postman's round: opening a connection per email would cost more than sending it.

``keep:`` (``DARKROOM_EMAIL_URL=keep:``, ``DARKROOM_SMS_URL=keep:``) is for a laptop with no
mail server or gateway: nothing leaves, and the message is marked sent with a detail that
says so, visible in the app. ``console:`` prints each message on the worker's output.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import smtplib
import sys
from dataclasses import dataclass
from datetime import UTC
from types import TracebackType
from typing import Literal
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone

from darkroom.messaging.models import Channel, Message
from darkroom.studio.selectors import studio_preferences

Outcome = Literal["sent", "retry", "failed"]

# How much of a server's answer an attempt keeps (MessageAttempt.detail holds 500).
EXCERPT = 200


@dataclass(frozen=True)
class Attempt:
    """How one try at delivering a message ended."""

    outcome: Outcome
    detail: str
    retry_after: float | None = None  # seconds the other side asked us to wait
    provider_reference: str = ""


def deliver(message: Message) -> Attempt:
    """Try to deliver one message now (a round of one)."""
    with DeliveryRound() as round_:
        return round_.deliver(message)


def message_id(message: Message, from_address: str) -> str:
    """The email's Message-ID, made from the message's key: a repeat after a crash carries the
    same one, so the receiving side (and a person reading headers) can tell it is a repeat. The
    domain is the sender's, as RFC 5322 suggests; a sender without one gets ``darkroom``."""
    domain = from_address.rpartition("@")[2].strip(" >") or "darkroom"
    return f"<{message.key}@{domain}>"


def kept_detail(setting: str) -> str:
    return f"Kept in Darkroom: not delivered ({setting}=keep:)"


class DeliveryRound:
    """Delivers messages one after another over connections opened once for the round."""

    def __init__(self) -> None:
        self._smtp: EmailBackend | None = None
        self._http: httpx.Client | None = None
        self._from: str | None = None

    def __enter__(self) -> DeliveryRound:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._close_smtp()
        if self._http is not None:
            self._http.close()
            self._http = None

    def deliver(self, message: Message) -> Attempt:
        if message.channel == Channel.EMAIL:
            return self._email(message)
        if message.channel == Channel.SMS:
            return self._sms(message)
        return Attempt("failed", f"A {message.get_channel_display()} message cannot be sent.")

    # -- email ---------------------------------------------------------------------------------

    def _from_address(self) -> str:
        """The studio's name and address (Studio preferences), else DEFAULT_FROM_EMAIL."""
        if self._from is None:
            prefs = studio_preferences()
            if prefs.email:
                self._from = email.utils.formataddr((prefs.name, prefs.email))
            else:
                self._from = settings.DEFAULT_FROM_EMAIL
        return self._from

    def _email(self, message: Message) -> Attempt:
        url = urlsplit(settings.DARKROOM_EMAIL_URL)
        sender = self._from_address()
        mail = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=sender,
            to=[email.utils.formataddr((message.to_name, message.to))],
            headers={
                "Message-ID": message_id(message, email.utils.parseaddr(sender)[1]),
                # RFC 3834: an automatic message; well-behaved auto-responders stay quiet.
                "Auto-Submitted": "auto-generated",
            },
        )
        if url.scheme == "keep":
            return Attempt("sent", kept_detail("DARKROOM_EMAIL_URL"))
        if url.scheme == "console":
            _print(mail.message().as_string())
            return Attempt("sent", "Printed on the worker's output (DARKROOM_EMAIL_URL=console:)")
        server = f"{url.hostname or '127.0.0.1'}:{url.port or settings.EMAIL_PORT}"
        try:
            backend = self._smtp_backend()
            if not backend.send_messages([mail]):
                return Attempt("failed", f"No address to send to ({message.to!r}).")
        except smtplib.SMTPRecipientsRefused as refused:
            code, words = next(iter(refused.recipients.values()))
            self._close_smtp_after(code)
            return _smtp_answer(code, words, f"{server} refused {message.to}")
        except smtplib.SMTPResponseException as answer:
            self._close_smtp_after(answer.smtp_code)
            if isinstance(answer, smtplib.SMTPAuthenticationError):
                # The studio's password is wrong: its messages wait for the setting to be fixed.
                return Attempt("retry", f"{server} refused Darkroom's login: {_words(answer)}")
            return _smtp_answer(answer.smtp_code, answer.smtp_error, server)
        except smtplib.SMTPServerDisconnected as gone:
            self._close_smtp()
            if isinstance(gone.__context__, TimeoutError):  # smtplib's word for a silent server
                return Attempt(
                    "retry", f"{server} did not answer within {settings.EMAIL_TIMEOUT} seconds"
                )
            return Attempt("retry", f"{server} closed the connection: {gone or 'no reason given'}")
        except TimeoutError:
            self._close_smtp()
            return Attempt(
                "retry", f"{server} did not answer within {settings.EMAIL_TIMEOUT} seconds"
            )
        except ConnectionRefusedError:
            self._close_smtp()
            return Attempt("retry", f"{server} refused the connection (no mail server there?)")
        except (OSError, smtplib.SMTPException) as trouble:
            self._close_smtp()
            return Attempt("retry", f"{server}: {trouble or type(trouble).__name__}")
        return Attempt("sent", f"Accepted by {server}")

    def _smtp_backend(self) -> EmailBackend:
        if self._smtp is None:
            parts = urlsplit(settings.DARKROOM_EMAIL_URL)
            self._smtp = EmailBackend(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or (465 if parts.scheme == "smtps" else 25),
                username=unquote(parts.username or ""),
                password=unquote(parts.password or ""),
                use_tls=parts.scheme == "smtp+tls",
                use_ssl=parts.scheme == "smtps",
                timeout=settings.EMAIL_TIMEOUT,
                fail_silently=False,
            )
            # Opened here, kept open for the round: send_messages() then leaves it open.
            try:
                self._smtp.open()
            except BaseException:
                self._smtp = None
                raise
        return self._smtp

    def _close_smtp_after(self, code: int) -> None:
        """After a refusal the SMTP conversation goes on (smtplib resets it), except when the
        server said it is closing (421)."""
        if code == 421:
            self._close_smtp()

    def _close_smtp(self) -> None:
        if self._smtp is not None:
            backend, self._smtp = self._smtp, None
            with contextlib.suppress(OSError, smtplib.SMTPException):
                backend.close()  # the connection is gone either way

    # -- SMS -----------------------------------------------------------------------------------

    def _sms(self, message: Message) -> Attempt:
        configured = settings.DARKROOM_SMS_URL
        url = urlsplit(configured)
        if not configured:
            return Attempt("failed", "No SMS gateway is configured (DARKROOM_SMS_URL).")
        if url.scheme == "keep":
            return Attempt("sent", kept_detail("DARKROOM_SMS_URL"))
        if url.scheme == "console":
            _print(f"SMS to {message.to} (key {message.key}):\n{message.body}\n")
            return Attempt("sent", "Printed on the worker's output (DARKROOM_SMS_URL=console:)")
        if self._http is None:
            self._http = httpx.Client(
                timeout=settings.DARKROOM_SMS_TIMEOUT_SECONDS, follow_redirects=False
            )
        # The credentials travel as Basic auth, never in the address (nor in a log of it).
        address = urlunsplit(url._replace(netloc=url.netloc.rpartition("@")[2]))
        auth = (unquote(url.username or ""), unquote(url.password or "")) if url.username else None
        gateway = url.hostname
        try:
            answer = self._http.post(
                address,
                json={
                    "to": message.to,
                    "from": settings.DARKROOM_SMS_FROM,
                    "body": message.body,
                    "reference": message.key,
                },
                headers={"Idempotency-Key": message.key},
                auth=auth,
            )
        except httpx.TimeoutException:
            return Attempt(
                "retry",
                f"The SMS gateway ({gateway}) did not answer within "
                f"{settings.DARKROOM_SMS_TIMEOUT_SECONDS} seconds",
            )
        except httpx.HTTPError as trouble:
            return Attempt("retry", f"The SMS gateway ({gateway}) could not be reached: {trouble}")
        return _gateway_answer(answer, gateway or "")


def _gateway_answer(answer: httpx.Response, gateway: str) -> Attempt:
    """What a gateway's HTTP answer means (docs/messages.md shows the request and replies)."""
    status = answer.status_code
    excerpt = _excerpt(answer.text)
    if 200 <= status < 300:
        try:
            reply = answer.json()
        except ValueError:
            reply = None
        reference = reply.get("id") if isinstance(reply, dict) else None
        if isinstance(reference, str | int) and not isinstance(reference, bool) and str(reference):
            return Attempt(
                "sent",
                f"Accepted by the SMS gateway ({gateway}) as {reference}",
                provider_reference=str(reference)[:200],
            )
        return Attempt(
            "failed",
            f"The SMS gateway ({gateway}) answered {status} with {excerpt or 'nothing'}, which "
            'is not its documented reply ({"id": …}); the SMS may or may not have gone.',
        )
    if status == 429 or status == 408 or status >= 500:
        return Attempt(
            "retry",
            f"The SMS gateway ({gateway}) answered {status}: {excerpt or answer.reason_phrase}",
            retry_after=retry_after_seconds(answer.headers.get("Retry-After")),
        )
    if 300 <= status < 400:
        where = answer.headers.get("Location", "somewhere else")
        return Attempt(
            "failed",
            f"The SMS gateway ({gateway}) answered {status}, sending Darkroom to {where}; "
            "redirects are not followed: correct DARKROOM_SMS_URL",
        )
    return Attempt(
        "failed",
        f"The SMS gateway ({gateway}) refused it with {status}: {excerpt or answer.reason_phrase}",
    )


def retry_after_seconds(value: str | None) -> float | None:
    """An HTTP Retry-After header's wait in seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - timezone.now()).total_seconds())


def _smtp_answer(code: int, words: bytes | str, server: str) -> Attempt:
    """An SMTP reply code's meaning: 4xx try again later, 5xx never."""
    text = f"{server} answered {code} {_decode(words)}".strip()
    if 400 <= code < 500:
        return Attempt("retry", text)
    return Attempt("failed", text)


def _words(answer: smtplib.SMTPResponseException) -> str:
    return f"{answer.smtp_code} {_decode(answer.smtp_error)}"


def _decode(words: bytes | str) -> str:
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
    return " ".join(text.split())


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > EXCERPT:
        text = text[:EXCERPT] + "…"
    return json.dumps(text, ensure_ascii=False) if text else ""


def _print(text: str) -> None:
    """For ``console:``: the worker's standard output, looked up now (tests capture it)."""
    sys.stdout.write(text.rstrip("\n") + "\n\n")
    sys.stdout.flush()
