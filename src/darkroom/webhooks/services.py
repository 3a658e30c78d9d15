"""Writes of webhook endpoints and of their deliveries by hand: make, change, rotate the secret,
disable, enable, delete an endpoint; put deliveries back in the queue (a replay).

Who may do these is the caller's to check (managers only: ``selectors.MANAGE``). Every change of
an endpoint raises its ``version``; a change made from an old copy is refused (Conflict).
Sending is the worker's (``webhooks.sending``): these only set what it reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.events.kinds import event_types
from darkroom.webhooks.addresses import address_problem
from darkroom.webhooks.models import WAITING_STATES, Delivery, DeliveryState, Endpoint
from darkroom.webhooks.signing import webhook_secret_new

NAME_LONGEST = Endpoint._meta.get_field("name").max_length or 80
URL_LONGEST = Endpoint._meta.get_field("url").max_length or 500
REASON_LONGEST = Endpoint._meta.get_field("disabled_reason").max_length or 300
# A rotation's overlap: how long the previous secret keeps signing, at most a week.
OVERLAP_LONGEST_HOURS = 168
# Deliveries replayed by id in one request.
REPLAY_MOST = 500
# A delivery that ended may be replayed; one still waiting or sending is already in the queue.
REPLAYABLE = (DeliveryState.DELIVERED, DeliveryState.FAILED)

CHANGED_ELSEWHERE = (
    "This webhook was changed by someone else since you opened it. "
    "Reload it to see their change, then make yours again."
)


def person_name(user: Any) -> str:
    """How a person is named in a reason: their full name, else their login."""
    if user is None:
        return "someone"
    return str(user.get_full_name() or user.get_username())


def _clean_name(name: Any) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        raise ValidationError({"name": "Give the webhook a name, such as “Website order tracker”."})
    if len(text) > NAME_LONGEST:
        raise ValidationError({"name": f"At most {NAME_LONGEST} characters."})
    return text


def _clean_url(url: Any) -> str:
    text = url.strip() if isinstance(url, str) else ""
    if not text:
        raise ValidationError({"url": "Give the address the other system listens on."})
    if len(text) > URL_LONGEST:
        raise ValidationError({"url": f"At most {URL_LONGEST} characters."})
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise ValidationError(
            {"url": "This is not a web address: it starts https:// (or http://)."}
        ) from None
    problem = address_problem(text)
    if problem:
        raise ValidationError({"url": problem})
    return text


def _clean_event_types(chosen: Any) -> list[str]:
    """The event types, in the order ``event_types()`` lists them; empty means every type."""
    if chosen is None:
        return []
    if isinstance(chosen, str) or not isinstance(chosen, Iterable):
        raise ValidationError({"event_types": "Give a list of event types."})
    given = list(chosen)
    known = event_types()
    unknown = [str(t) for t in given if t not in known]
    if unknown:
        raise ValidationError(
            {"event_types": f"Unknown event type: {', '.join(sorted(unknown)[:5])}."}
        )
    return [t for t in known if t in given]


def endpoint_create(
    *, name: str, url: str, event_types: Sequence[str] | None, by: User
) -> Endpoint:
    """A new endpoint, active at once, with a fresh secret: it gets a delivery of every event
    of the types it wants (``event_types``; empty for all) recorded from now on. The address is
    checked (a name lookup, maybe slow) before anything is written."""
    return Endpoint.objects.create(
        name=_clean_name(name),
        url=_clean_url(url),
        event_types=_clean_event_types(event_types),
        secret=webhook_secret_new(),
        created_by=by,
    )


def endpoint_update(
    *, endpoint: Endpoint, expected_version: int, by: User, **fields: Any
) -> Endpoint:
    """Change an endpoint's ``name``, ``url`` or ``event_types`` (those given). A new address
    is checked as a new endpoint's is; deliveries already made keep going to the endpoint."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "Give the version you read."})
    unknown = set(fields) - {"name", "url", "event_types"}
    if unknown:
        raise ValidationError(f"These can't be changed here: {', '.join(sorted(unknown))}.")
    columns: dict[str, Any] = {}
    if "name" in fields:
        columns["name"] = _clean_name(fields["name"])
    if "url" in fields:
        columns["url"] = _clean_url(fields["url"])
    if "event_types" in fields:
        columns["event_types"] = _clean_event_types(fields["event_types"])
    with transaction.atomic():
        written = Endpoint.objects.filter(pk=endpoint.pk, version=expected_version).update(
            **columns, version=F("version") + 1
        )
        if not written:
            raise Conflict(CHANGED_ELSEWHERE)
    endpoint.refresh_from_db()
    return endpoint


def endpoint_secret_rotate(
    *, endpoint: Endpoint, overlap_hours: int = 24, by: User, now: dt.datetime | None = None
) -> Endpoint:
    """A new secret, from the next delivery on. For ``overlap_hours`` the secret before keeps
    signing beside it (a second signature), so the receiver can switch without missing a
    delivery; 0 stops the old one at once (it leaked)."""
    if (
        isinstance(overlap_hours, bool)
        or not isinstance(overlap_hours, int)
        or not 0 <= overlap_hours <= OVERLAP_LONGEST_HOURS
    ):
        raise ValidationError(
            {"overlap_hours": f"A whole number of hours from 0 to {OVERLAP_LONGEST_HOURS}."}
        )
    now = now or timezone.now()
    with transaction.atomic():
        fresh = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        Endpoint.objects.filter(pk=fresh.pk).update(
            secret=webhook_secret_new(),
            previous_secret=fresh.secret if overlap_hours else "",
            previous_secret_until=now + dt.timedelta(hours=overlap_hours)
            if overlap_hours
            else None,
            version=F("version") + 1,
        )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_disable(*, endpoint: Endpoint, reason: str = "", by: User) -> Endpoint:
    """Stop sending to an endpoint: no new deliveries are made for it, and those waiting wait
    until it is enabled again. ``reason`` is what the endpoint's page shows."""
    text = reason.strip() if isinstance(reason, str) else ""
    text = text or f"Disabled by {person_name(by)}."
    if len(text) > REASON_LONGEST:
        raise ValidationError({"reason": f"At most {REASON_LONGEST} characters."})
    Endpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False,
        disabled_reason=text,
        disabled_at=timezone.now(),
        version=F("version") + 1,
    )
    endpoint.refresh_from_db()
    return endpoint


def endpoint_enable(*, endpoint: Endpoint, by: User) -> Endpoint:
    """Send to an endpoint again: it forgets why it was disabled and when it began failing
    (a day of failures counts afresh), and the deliveries left waiting go at once."""
    now = timezone.now()
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            is_active=True,
            disabled_reason="",
            disabled_at=None,
            failing_since=None,
            version=F("version") + 1,
        )
        Delivery.objects.filter(
            endpoint_id=endpoint.pk, state__in=WAITING_STATES, next_attempt_at__gt=now
        ).update(next_attempt_at=now)
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: Endpoint, by: User) -> None:
    """Delete an endpoint with its deliveries and their attempts. The events stay: the
    events feed and other endpoints still have them."""
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).delete()


def _replayed(deliveries: Any, by: User) -> int:
    return int(
        deliveries.update(
            state=DeliveryState.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            sending_since=None,
            delivered_at=None,
            reason=f"Replayed by {person_name(by)}"[:REASON_LONGEST],
        )
    )


def deliveries_replay(*, delivery_ids: Sequence[int], by: User) -> int:
    """Put deliveries that ended (delivered or failed) back in the queue, to be sent at once
    with the same event, so the same ``webhook-id``: a receiver that kept the first copy can
    tell. Their attempts so far stay listed; the retry schedule starts afresh. Deliveries
    still waiting or sending are left as they are. How many were replayed."""
    if isinstance(delivery_ids, str | bytes) or not isinstance(delivery_ids, Iterable):
        raise ValidationError({"delivery_ids": "Give a list of delivery ids."})
    ids = list(dict.fromkeys(delivery_ids))
    if not ids:
        raise ValidationError({"delivery_ids": "Choose the deliveries to replay."})
    if len(ids) > REPLAY_MOST:
        raise ValidationError({"delivery_ids": f"At most {REPLAY_MOST} deliveries at a time."})
    if any(isinstance(i, bool) or not isinstance(i, int) for i in ids):
        raise ValidationError({"delivery_ids": "Delivery ids are whole numbers."})
    with transaction.atomic():
        found = set(
            Delivery.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True)
        )
        missing = [str(i) for i in ids if i not in found]
        if missing:
            raise ValidationError(
                {"delivery_ids": f"There is no delivery {', '.join(missing[:5])}."}
            )
        return _replayed(Delivery.objects.filter(pk__in=ids, state__in=REPLAYABLE), by)


def deliveries_replay_failed(*, endpoint: Endpoint, since: dt.datetime, by: User) -> int:
    """Replay every failed delivery of ``endpoint`` made since ``since`` (the receiver was
    down; it is back). How many were replayed."""
    if not isinstance(since, dt.datetime) or timezone.is_naive(since):
        raise ValidationError({"since": "Give the moment to replay from."})
    if since > timezone.now():
        raise DarkroomError(
            "That moment is still to come: no delivery failed since.", code="future"
        )
    with transaction.atomic():
        return _replayed(
            Delivery.objects.filter(
                endpoint_id=endpoint.pk, state=DeliveryState.FAILED, created_at__gte=since
            ),
            by,
        )
