"""The worker's half of webhooks: the deliveries whose time has come, sent, and what came of it.

The messaging outbox's mechanism (``messaging/outbox.py``, from pretix): a batch is claimed
(``sending``, with the moment of the claim) in a short transaction, sent outside any
transaction, and each outcome written down only if the delivery is still the claim we made. A
worker that dies mid-send leaves its deliveries ``sending``; once the lease
(``DARKROOM_WEBHOOK_LEASE_SECONDS``) has run out the next round puts them back in the queue, so
nothing is lost — and a receiver may get an event twice, with the same ``webhook-id``.

**Concurrently.** A receiver can take its time (up to the timeout, each step of a try), so a
batch is sent by a pool of threads: each endpoint's deliveries form a queue worked by a few
lanes (``LANES_PER_ENDPOINT``) and the pool has room for several endpoints at once, so one slow
receiver holds at most its own lanes, never the others'. An endpoint that answers "later" (or
not at all) is sent nothing more this round: the rest of its batch is given back untried, to
wait as long as it asked (at least the first back-off) before its first try. The
threads only speak HTTP; this thread writes down what they report, in groups.

**Each try** is ``posting``'s (signed, POSTed to the checked address, no redirects followed);
what the answer means is ``answers``; what it means for the endpoint (failing since, disabled)
is ``health``. This module is the round itself — claim, lanes, writing down, giving back —
kept in one piece because each step hands the next the same claim (its moment is the token
every write checks).

**Retries** follow Standard Webhooks' schedule, each wait a little jittered: 5 seconds,
5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours — the first try and six more, over about
18 hours — then the delivery has failed.
"""

from __future__ import annotations

import json
import queue
import random
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.leases import stalled_put_back
from darkroom.partial_indexes import one_of
from darkroom.webhooks.health import Tally, endpoints_tally, managers_tell
from darkroom.webhooks.models import (
    WAITING_STATES,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Endpoint,
)
from darkroom.webhooks.posting import (
    THREADS,
    Parcel,
    Resolver,
    Tried,
    client_for_round,
    try_once,
)

# The deliveries one round sends at most, and how many of the round's threads (``THREADS``)
# one endpoint may have at once.
BATCH = 200
LANES_PER_ENDPOINT = 4

# The waits after the first try, the second, … (Standard Webhooks); after the last, failed.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
TRIES = len(BACKOFF) + 1
JITTER = 0.1  # each wait up to a tenth longer or shorter: refused together, not back together

PUT_BACK = "Put back after the worker stopped mid-delivery"
WAITING_ON_ENDPOINT = "Not tried yet: the endpoint asked to wait (or was not answering)."


# -- claiming ---------------------------------------------------------------------------------


def _enabled_endpoints() -> list[int]:
    """The ids of the endpoints deliveries go to now (a studio has a few)."""
    return list(Endpoint.objects.filter(is_active=True).values_list("pk", flat=True))


def _due(now: datetime) -> QuerySet[Delivery]:
    """The deliveries whose time has come (of any endpoint: the callers say which)."""
    waiting = one_of(Delivery, "state", WAITING_STATES)  # the index delivery_waiting's words
    return Delivery.objects.filter(waiting, next_attempt_at__lte=now)


def endpoint_due(endpoint_id: int, now: datetime) -> QuerySet[Delivery]:
    """One endpoint's deliveries whose time has come, the longest due first: a range of the
    index delivery_waiting (endpoint, next_attempt_at, id), read in its order."""
    return _due(now).filter(endpoint_id=endpoint_id).order_by("next_attempt_at", "id")


def _due_first(now: datetime, *, limit: int) -> list[int]:
    """The ids of up to ``limit`` due deliveries of enabled endpoints, the longest due first,
    locked for this transaction (PostgreSQL: rows another worker holds are skipped).

    Each enabled endpoint's are read in turn (:func:`endpoint_due`), ``limit`` at most: so
    the backlog held for a disabled endpoint is never read, and an endpoint back after a day
    away, with thousands due at once, costs a range of ``limit`` rows, not a sort of all of
    them."""
    due: list[tuple[datetime, int]] = []
    for endpoint_id in _enabled_endpoints():
        theirs = (
            endpoint_due(endpoint_id, now)
            .select_for_update(skip_locked=True)
            .values_list("next_attempt_at", "pk")
        )
        due += theirs[:limit]
    return [pk for _, pk in sorted(due)[:limit]]


def _claim(*, limit: int) -> tuple[list[Delivery], datetime]:
    """Mark up to ``limit`` due deliveries of active endpoints ``sending`` in one short
    transaction; they (with their event and endpoint) and the claim's moment.

    PostgreSQL: the rows are locked and other workers skip them (SKIP LOCKED). SQLite: the
    transaction is IMMEDIATE, so claims take turns. Either way the UPDATE checks the state."""
    now = timezone.now()
    with transaction.atomic():
        ids = _due_first(now, limit=limit)
        if not ids:
            return [], now
        Delivery.objects.filter(pk__in=ids, state__in=WAITING_STATES).update(
            state=DeliveryState.SENDING, sending_since=now
        )
        claimed = list(
            Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING, sending_since=now)
            .select_related("event", "endpoint")
            .order_by("next_attempt_at", "id")
        )
    return claimed, now


def _release(pks: list[int], *, claimed_at: datetime, until: datetime | None = None) -> None:
    """Give back, untried, the claimed deliveries a round did not reach (due ``until`` then,
    when given: their endpoint asked to wait, which their reason says unless the endpoint has
    been disabled meanwhile: then they keep the reason that says they are held)."""
    for start in range(0, len(pks), MOST_PARAMETERS):
        ours = Delivery.objects.filter(
            pk__in=pks[start : start + MOST_PARAMETERS],
            state=DeliveryState.SENDING,
            sending_since=claimed_at,
        )
        given_back = {
            "state": Case(
                When(attempts=0, then=Value(DeliveryState.PENDING)),
                default=Value(DeliveryState.RETRY),
            ),
            "sending_since": None,
        }
        if until is None:
            ours.update(**given_back)
            continue
        ours.filter(endpoint__is_active=True).update(
            **given_back, next_attempt_at=until, reason=WAITING_ON_ENDPOINT
        )
        ours.update(**given_back, next_attempt_at=until)  # the held ones: disabled meanwhile


def deliveries_put_back() -> int:
    """Put back in the queue the deliveries left ``sending`` longer than the lease; how many.

    This is where a receiver can get an event twice: it may have taken it before the worker
    stopped. The repeat carries the same ``webhook-id``."""

    def attempt(pk: int, claimed_at: datetime) -> None:
        DeliveryAttempt.objects.create(
            delivery_id=pk,
            started_at=claimed_at,
            duration_ms=0,
            outcome=DeliveryState.RETRY,
            excerpt=f"{PUT_BACK} (the endpoint may have had it; the repeat carries "
            "the same webhook-id).",
        )

    return stalled_put_back(
        Delivery,
        lease_seconds=settings.DARKROOM_WEBHOOK_LEASE_SECONDS,
        back_to=DeliveryState.RETRY,
        reason=PUT_BACK,
        attempt=attempt,
    )


def deliveries_waiting() -> bool:
    """Whether a round has something to do now: a delivery of an active endpoint whose time
    has come, or one a stopped worker left past its lease. Reads over the partial indexes of
    waiting and sending deliveries, cheap enough for the worker to ask every couple of
    seconds."""
    now = timezone.now()
    if _due(now).filter(endpoint_id__in=_enabled_endpoints()).exists():
        return True
    lease = timedelta(seconds=settings.DARKROOM_WEBHOOK_LEASE_SECONDS)
    return Delivery.objects.filter(
        state=DeliveryState.SENDING, sending_since__lt=now - lease
    ).exists()


# -- sending ----------------------------------------------------------------------------------


@dataclass
class _Lane:
    """One endpoint's deliveries of this round, and whether to stop sending it more."""

    parcels: deque[Parcel]
    stop: threading.Event = field(default_factory=threading.Event)
    # Set when the endpoint said "later": how long the rest of its batch waits before a try.
    pause: timedelta | None = None


def _parcel(delivery: Delivery) -> Parcel:
    body = json.dumps(delivery.event.payload(), separators=(",", ":")).encode()
    return Parcel(
        delivery_id=delivery.pk,
        endpoint_id=delivery.endpoint_id,
        attempts=delivery.attempts,
        url=delivery.endpoint.url,
        endpoint=delivery.endpoint,
        msg_id=delivery.event.public_id,
        body=body,
    )


_DONE = None  # what a lane puts on the results queue when it ends


def _drive(
    lane: _Lane,
    client: httpx.Client,
    resolve: Resolver,
    results: queue.Queue[Tried | None],
    stop_starting_at: float,
) -> None:
    """A thread's work: the lane's deliveries one after another, until none are left, the
    endpoint said "later", or the round's time is up."""
    try:
        while not lane.stop.is_set() and time.monotonic() < stop_starting_at:
            try:
                parcel = lane.parcels.popleft()
            except IndexError:
                return
            tried = try_once(client, parcel, resolve)
            if tried.verdict.outcome in ("retry", "gone"):
                asked = tried.verdict.retry_after
                lane.pause = max(BACKOFF[0], asked) if asked else BACKOFF[0]
                lane.stop.set()
            results.put(tried)
    finally:
        results.put(_DONE)


def _lanes(parcels: list[Parcel]) -> Iterator[_Lane]:
    """Each endpoint's lane, once per thread it may have: each endpoint's first thread before
    any endpoint's second, so every endpoint starts at once."""
    by_endpoint: dict[int, list[Parcel]] = defaultdict(list)
    for parcel in parcels:
        by_endpoint[parcel.endpoint_id].append(parcel)
    lanes = [(_Lane(deque(found)), len(found)) for found in by_endpoint.values()]
    for turn in range(LANES_PER_ENDPOINT):
        for lane, size in lanes:
            if turn < size:
                yield lane


def _budget() -> float:
    """Seconds a round may start tries for: the lease, less the four timeouts a try may take
    (connecting, sending, the answer, its body), so no try outlasts the claim."""
    lease = settings.DARKROOM_WEBHOOK_LEASE_SECONDS
    return max(lease - 4 * settings.DARKROOM_WEBHOOK_TIMEOUT_SECONDS, lease / 5)


def deliveries_send(*, limit: int = BATCH) -> int:
    """Send the deliveries whose time has come (at most ``limit``); the number tried.

    First the deliveries a stopped worker left ``sending`` past their lease go back in the
    queue; then a batch is claimed and sent concurrently."""
    deliveries_put_back()
    claimed, claimed_at = _claim(limit=limit)
    if not claimed:
        return 0
    parcels = [_parcel(delivery) for delivery in claimed]
    lanes = list(_lanes(parcels))
    ledger = _Ledger(claimed_at=claimed_at)
    results: queue.Queue[Tried | None] = queue.Queue()
    stop_starting_at = time.monotonic() + _budget()
    tried = 0
    resolve = Resolver()
    with client_for_round() as client:
        pool = ThreadPoolExecutor(
            max_workers=min(THREADS, len(lanes)), thread_name_prefix="webhook"
        )
        try:
            for lane in lanes:
                pool.submit(_drive, lane, client, resolve, results, stop_starting_at)
            running = len(lanes)
            while running:
                try:
                    done = results.get(timeout=RECORD_WITHIN.total_seconds())
                except queue.Empty:
                    ledger.flush_if_due()
                    continue
                if done is _DONE:
                    running -= 1
                    continue
                tried += 1
                ledger.write(done)
        finally:
            for lane in lanes:
                lane.stop.set()
            pool.shutdown(wait=True)
            while not results.empty():  # what ended while this thread was stopping
                done = results.get_nowait()
                if done is not _DONE:
                    tried += 1
                    ledger.write(done)
            ledger.flush()
            _release_untried(lanes, claimed_at=claimed_at)
    return tried


def _release_untried(lanes: list[_Lane], *, claimed_at: datetime) -> None:
    """Give back what the round did not reach: due again at once, except the deliveries of an
    endpoint that said "later", which wait as long as it asked (at least the first back-off).
    Untried, they keep their count of tries; without the wait, a receiver that is down would
    be tried a few deliveries at a time every round until each had had its first try."""
    now = timezone.now()
    waits: dict[timedelta | None, set[int]] = defaultdict(set)
    for lane in lanes:
        waits[lane.pause].update(parcel.delivery_id for parcel in lane.parcels)
    for pause, pks in waits.items():
        _release(sorted(pks), claimed_at=claimed_at, until=now + pause if pause else None)


# -- writing down -----------------------------------------------------------------------------

# Outcomes are written down together, in one short transaction per group (as the outbox's):
# a commit per delivery would cost PostgreSQL more than the delivery. A worker that dies before
# writing a group down sends those deliveries again (same webhook-id) once the lease runs out.
RECORD_EVERY = 50  # deliveries
RECORD_WITHIN = timedelta(milliseconds=250)


def _wait(tries: int, asked: timedelta | None) -> timedelta:
    """The back-off after ``tries`` tries, jittered; never shorter than the receiver asked."""
    step = BACKOFF[min(tries, len(BACKOFF)) - 1]
    wait = step * random.uniform(1 - JITTER, 1 + JITTER)  # spreading, not secrecy
    return max(wait, asked) if asked is not None else wait


def _outcome(tried: Tried, *, now: datetime) -> dict[str, object]:
    """The delivery's fields after a try."""
    tries = tried.parcel.attempts + 1
    said = tried.verdict
    fields: dict[str, object] = {
        "attempts": F("attempts") + 1,
        "sending_since": None,
        "last_status_code": tried.status_code,
    }
    if said.outcome == "delivered":
        fields.update(state=DeliveryState.DELIVERED, delivered_at=now, reason="")
    elif said.outcome == "retry" and tries < TRIES:
        fields.update(
            state=DeliveryState.RETRY,
            reason=said.words[:300],
            next_attempt_at=now + _wait(tries, said.retry_after),
        )
    elif said.outcome == "retry":
        fields.update(
            state=DeliveryState.FAILED, reason=f"Gave up after {tries} tries. {said.words}"[:300]
        )
    else:
        fields.update(state=DeliveryState.FAILED, reason=said.words[:300])
    return fields


class _Ledger:
    """How the tries of one round ended, written down every RECORD_EVERY deliveries or
    RECORD_WITHIN, whichever comes first, and at the end of the round."""

    def __init__(self, *, claimed_at: datetime) -> None:
        self.claimed_at = claimed_at
        self.pending: list[tuple[Tried, dict[str, object]]] = []
        self.oldest: datetime | None = None

    def write(self, tried: Tried) -> None:
        now = timezone.now()
        self.pending.append((tried, _outcome(tried, now=now)))
        self.oldest = self.oldest or now
        if len(self.pending) >= RECORD_EVERY:
            self.flush()
        else:
            self.flush_if_due()

    def flush_if_due(self) -> None:
        if self.oldest is not None and timezone.now() - self.oldest >= RECORD_WITHIN:
            self.flush()

    def flush(self) -> None:
        """Each delivery's outcome, if it is still ours (the lease may have run out and
        another worker taken it: then only the try itself is written down), and what the
        tries said of their endpoints."""
        if not self.pending:
            return
        now = timezone.now()
        ours = Delivery.objects.filter(state=DeliveryState.SENDING, sending_since=self.claimed_at)
        delivered: dict[int, tuple[object, object]] = {}
        one_by_one = []
        tally = Tally()
        for tried, fields in self.pending:
            parcel = tried.parcel
            if fields["state"] == DeliveryState.DELIVERED:
                delivered[parcel.delivery_id] = (fields["delivered_at"], tried.status_code)
                tally.delivered(parcel.endpoint_id, at=tried.started_at)
            else:
                one_by_one.append((parcel.delivery_id, fields))
                tally.failed(
                    parcel.endpoint_id,
                    at=tried.started_at,
                    words=tried.verdict.words,
                    gone=tried.verdict.outcome == "gone",
                )
        with transaction.atomic():
            if delivered:  # the deliveries alike differ only in their moment and code
                ours.filter(pk__in=list(delivered)).update(
                    state=DeliveryState.DELIVERED,
                    reason="",
                    attempts=F("attempts") + 1,
                    sending_since=None,
                    delivered_at=Case(
                        *(When(pk=pk, then=Value(at)) for pk, (at, _) in delivered.items())
                    ),
                    last_status_code=Case(
                        *(When(pk=pk, then=Value(code)) for pk, (_, code) in delivered.items())
                    ),
                )
            for pk, fields in one_by_one:
                ours.filter(pk=pk).update(**fields)
            DeliveryAttempt.objects.bulk_create(
                DeliveryAttempt(
                    delivery_id=tried.parcel.delivery_id,
                    started_at=tried.started_at,
                    duration_ms=tried.duration_ms,
                    status_code=tried.status_code,
                    outcome=_attempt_outcome(fields),
                    excerpt=tried.excerpt,
                )
                for tried, fields in self.pending
            )
            disabled = endpoints_tally(tally=tally, now=now)
        self.pending, self.oldest = [], None
        for endpoint, reason in disabled:
            managers_tell(endpoint=endpoint, reason=reason)


def _attempt_outcome(fields: dict[str, object]) -> str:
    return str(fields["state"])
