"""The outbox: every email and SMS is a row here before anything is attempted.

Messages are written in the transaction of what caused them (a firing processed, a resend) and
delivered by the worker (``messaging.ticks``) with pretix's OutgoingMail mechanism: a message is
claimed (``sending``, with the moment it was claimed) in a short transaction, delivered outside
any transaction, and its outcome recorded only if it is still the claim we made. A worker that
dies mid-send leaves the message ``sending``; once the lease has run out it is put back in the
queue, so nothing is lost — and it may go twice.

The key of a message is derived from what it is for — its firing, channel and recipient —
under a unique constraint, so one event can never queue the same message twice; an email's
Message-ID (an SMS's idempotency key) is made from the key, so a repeat after a crash (the
server accepted it, the worker died before marking it sent) is recognisable.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.errors import DarkroomError
from darkroom.events.kinds import MESSAGE_FAILED
from darkroom.events.recording import event_record, record_ref_of
from darkroom.leases import stalled_put_back
from darkroom.messaging.channels import Attempt, DeliveryRound
from darkroom.messaging.models import PENDING_STATES, Message, MessageAttempt, MessageState
from darkroom.messaging.queues import messages_due


def message_key(*parts: object) -> str:
    """A stable key for a message from what it is for (e.g. firing id, channel, recipient)."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def messages_write(*, messages: Iterable[Message]) -> list[Message]:
    """Add messages to the outbox; one whose key is already there is left out (it was queued
    before, by the same event). Returns the messages written."""
    rows = list(messages)
    if not rows:
        return []
    keys = [row.key for row in rows]
    taken: set[str] = set()
    for start in range(0, len(keys), MOST_PARAMETERS):
        taken.update(
            Message.objects.filter(key__in=keys[start : start + MOST_PARAMETERS]).values_list(
                "key", flat=True
            )
        )
    fresh = [row for row in rows if row.key not in taken]
    Message.objects.bulk_create(fresh, batch_size=500)
    return fresh


# The waits between tries, then the longest wait (each with up to a fifth more or less, so the
# messages a server refused together do not come back together).
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
)
PUT_BACK = "Put back after the worker stopped mid-send"


# The messages one call delivers at most: a tick's batch.
BATCH = 200


def outbox_deliver(*, limit: int = BATCH) -> int:
    """Deliver the messages whose time has come (at most ``limit``); the number attempted.

    First the messages a stopped worker left ``sending`` past their lease go back in the
    queue; then a batch is claimed and delivered over one connection per channel."""
    messages_put_back()
    claimed, claimed_at = _claim(limit=limit)
    if not claimed:
        return 0
    ledger = _Ledger(claimed_at=claimed_at)
    # A batch stops at half the lease (a mail server answering each email only at its
    # timeout): past the lease, another worker would put its messages back and send them too.
    budget = timedelta(seconds=settings.DARKROOM_SENDING_LEASE_SECONDS) / 2
    attempted = 0
    with DeliveryRound() as round_:
        try:
            for message in claimed:
                started = timezone.now()
                if started - claimed_at > budget:
                    break
                attempted += 1
                try:
                    attempt = round_.deliver(message)
                except Exception as trouble:  # a bug must not leave it sending for a lease
                    attempt = Attempt("retry", f"Darkroom could not send it: {trouble!r}"[:400])
                ledger.write(message, attempt, started=started)
        finally:
            ledger.flush()
            _release([message.pk for message in claimed[attempted:]], claimed_at=claimed_at)
    return attempted


def messages_put_back() -> int:
    """Put back in the queue the messages left ``sending`` longer than the lease; how many.

    This is where a message can go twice: the server may have taken it before the worker
    stopped. Its Message-ID (and the SMS gateway's idempotency key) is the same both times."""

    def attempt(pk: int, claimed_at: datetime) -> None:
        MessageAttempt.objects.create(
            message_id=pk,
            started_at=claimed_at,
            outcome=MessageState.RETRY,
            detail=f"{PUT_BACK} (it may have gone; a repeat carries the same Message-ID)",
        )

    return stalled_put_back(
        Message,
        lease_seconds=settings.DARKROOM_SENDING_LEASE_SECONDS,
        back_to=MessageState.QUEUED,
        reason=PUT_BACK,
        attempt=attempt,
    )


def _claim(*, limit: int) -> tuple[list[Message], datetime]:
    """Mark up to ``limit`` due messages ``sending`` in one short transaction; they and the
    claim's moment (the token the outcome is recorded against).

    PostgreSQL: the rows are locked and other workers skip them (SKIP LOCKED). SQLite: the
    transaction is IMMEDIATE, so two workers' claims take turns (select_for_update does
    nothing there). Either way the UPDATE checks the state again."""
    now = timezone.now()
    with transaction.atomic():
        due = (
            messages_due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "id")
        )
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return [], now
        Message.objects.filter(pk__in=ids, state__in=PENDING_STATES).update(
            state=MessageState.SENDING, sending_since=now
        )
        claimed = list(
            Message.objects.filter(
                pk__in=ids, state=MessageState.SENDING, sending_since=now
            ).order_by("next_attempt_at", "id")
        )
    return claimed, now


def _release(pks: list[int], *, claimed_at: datetime) -> None:
    """Give back, untried, the claimed messages a batch did not reach."""
    if pks:
        Message.objects.filter(
            pk__in=pks, state=MessageState.SENDING, sending_since=claimed_at
        ).update(
            state=Case(
                When(attempts=0, then=Value(MessageState.QUEUED)), default=Value(MessageState.RETRY)
            ),
            sending_since=None,
        )


# Outcomes are written down together, in one short transaction per group: a commit per
# message would cost PostgreSQL more than the message. A worker that dies before writing a
# group down sends those messages again (same Message-ID) once their lease has run out.
RECORD_EVERY = 25  # messages
RECORD_WITHIN = timedelta(milliseconds=250)


class _Ledger:
    """How the tries of one batch ended, written down every RECORD_EVERY messages or
    RECORD_WITHIN, whichever comes first, and at the end of the batch."""

    def __init__(self, *, claimed_at: datetime) -> None:
        self.claimed_at = claimed_at
        self.pending: list[tuple[int, dict[str, object], MessageAttempt]] = []
        self.oldest: datetime | None = None

    def write(self, message: Message, attempt: Attempt, *, started: datetime) -> None:
        now = timezone.now()
        self.pending.append(
            (
                message.pk,
                _outcome(message, attempt, started=started, now=now),
                MessageAttempt(
                    message=message,
                    started_at=started,
                    outcome=attempt.outcome,
                    detail=attempt.detail[:500],
                ),
            )
        )
        self.oldest = self.oldest or now
        if len(self.pending) >= RECORD_EVERY or now - self.oldest >= RECORD_WITHIN:
            self.flush()

    def flush(self) -> None:
        """Each message's outcome, if the message is still ours (the lease may have run out
        and another worker taken it: then only the try itself is written down)."""
        if not self.pending:
            return
        ours = Message.objects.filter(state=MessageState.SENDING, sending_since=self.claimed_at)
        # The emails a server accepted alike differ only in their moment: one UPDATE for them.
        alike: dict[tuple[object, ...], dict[int, object]] = defaultdict(dict)
        one_by_one = []
        for pk, fields, _ in self.pending:
            if fields["state"] == MessageState.SENT and not fields["provider_reference"]:
                alike[(fields["reason"],)][pk] = fields["sent_at"]
            else:
                one_by_one.append((pk, fields))
        with transaction.atomic():
            for (reason,), moments in alike.items():
                ours.filter(pk__in=list(moments)).update(
                    state=MessageState.SENT,
                    reason=reason,
                    provider_reference="",
                    attempts=F("attempts") + 1,
                    sending_since=None,
                    sent_at=Case(*(When(pk=pk, then=Value(at)) for pk, at in moments.items())),
                )
            messages = {pk: attempt.message for pk, _, attempt in self.pending}
            for pk, fields in one_by_one:
                if ours.filter(pk=pk).update(**fields) and fields["state"] == MessageState.FAILED:
                    _failed_event(messages[pk], reason=str(fields["reason"]))
            MessageAttempt.objects.bulk_create(attempt for _, _, attempt in self.pending)
        self.pending, self.oldest = [], None


def _failed_event(message: Message, *, reason: str) -> None:
    """A ``message.failed`` event, in the transaction that wrote the failure: the studio's
    other systems (webhooks, the events feed) hear of an email or SMS that did not go."""
    record = None
    if message.content_type_id and message.object_id:
        model = ContentType.objects.get_for_id(message.content_type_id).model_class()
        record = record_ref_of(model, message.object_id) if model else None
    event_record(
        type=MESSAGE_FAILED,
        data={
            "message": {
                "id": message.pk,
                "channel": message.channel,
                "url": f"/api/v1/messages/{message.pk}",
            },
            "reason": reason,
            "record": record,
        },
        record=("message", message.pk),
    )


def _outcome(
    message: Message, attempt: Attempt, *, started: datetime, now: datetime
) -> dict[str, object]:
    """The message's fields after a try: sent, failed, or waiting to retry after a back-off
    (failed once it has been trying longer than DARKROOM_MESSAGE_MAX_AGE_HOURS)."""
    attempts = message.attempts + 1
    fields: dict[str, object] = {"attempts": F("attempts") + 1, "sending_since": None}
    if attempt.outcome == "sent":
        fields.update(
            state=MessageState.SENT,
            sent_at=now,
            reason=attempt.detail,
            provider_reference=attempt.provider_reference,
        )
    elif attempt.outcome == "retry":
        # Counted from the first try, not from when it was written: a message held over a
        # long weekend is not given up at its first refusal.
        first_try = (
            MessageAttempt.objects.filter(message=message)
            .order_by("started_at")
            .values_list("started_at", flat=True)
            .first()
            or started
        )
        max_age = timedelta(hours=settings.DARKROOM_MESSAGE_MAX_AGE_HOURS)
        if now - first_try >= max_age:
            fields.update(
                state=MessageState.FAILED,
                reason=f"Gave up after {attempts} attempts over {_duration(now - first_try)}: "
                f"{attempt.detail}",
            )
        else:
            fields.update(
                state=MessageState.RETRY,
                reason=attempt.detail,
                next_attempt_at=now + _wait(attempts, attempt.retry_after),
            )
    else:
        fields.update(state=MessageState.FAILED, reason=attempt.detail)
    return fields


def _wait(attempts: int, retry_after: float | None) -> timedelta:
    """The back-off after ``attempts`` tries, jittered; never shorter than the server asked."""
    step = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    wait = step * random.uniform(0.8, 1.2)  # spreading, not secrecy
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


def _duration(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.0f} days"
    if hours >= 1:
        return f"{hours:.0f} hours" if hours >= 2 else "an hour"
    return f"{span.total_seconds() / 60:.0f} minutes"


def _person(user: object) -> str:
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or str(getattr(user, "username", user))


def message_resend(*, message: Message, by: object) -> Message:
    """Queue the same text to the same recipient again, as a new message linked to the old.

    Its key comes from the old key and the number of resends, so two clicks on one page are
    one resend (the second is refused), and its Message-ID is its own."""
    if message.state in (*PENDING_STATES, MessageState.SENDING):
        raise DarkroomError(
            f"This message is {message.get_state_display().lower()}: it has not ended yet, "
            "so there is nothing to resend.",
            code="message_pending",
        )
    now = timezone.now()
    count = Message.objects.filter(resend_of=message).count() + 1
    copy = Message(
        key=message_key(message.key, "resend", count),
        channel=message.channel,
        to=message.to,
        to_name=message.to_name,
        subject=message.subject,
        body=message.body,
        state=MessageState.QUEUED,
        reason=f"Resent by {_person(by)}",
        next_attempt_at=now,
        created_at=now,
        created_by=by,
        firing=message.firing,
        resend_of=message,
        content_type=message.content_type,
        object_id=message.object_id,
        client=message.client,
        session=message.session,
        invoice=message.invoice,
    )
    try:
        with transaction.atomic():
            copy.save(force_insert=True)
    except IntegrityError:
        raise DarkroomError(
            "This message was just resent; the resend is in the outbox.", code="message_resent"
        ) from None
    return copy


def message_abort(*, message: Message, by: object) -> Message:
    """Stop a message that has not gone yet (queued or waiting to retry)."""
    moved = Message.objects.filter(pk=message.pk, state__in=PENDING_STATES).update(
        state=MessageState.ABORTED, reason=f"Aborted by {_person(by)}", sending_since=None
    )
    message.refresh_from_db()
    if not moved:
        raise DarkroomError(
            f"This message is {message.get_state_display().lower()}; only a message still "
            "queued or waiting to retry can be aborted.",
            code="message_not_pending",
        )
    return message
