"""Reads of webhooks for the pages and the API: the endpoints with how their deliveries stand,
one endpoint's deliveries newest first, a delivery with its attempts, and the recent events.

Lists read a page at a time, newest first by id, through the indexes the worker keeps
(``delivery_endpoint_newest``, and ``delivery_failed`` for the failed ones); the counts beside
an endpoint read only its waiting or failed deliveries (partial indexes) and stop at
:data:`COUNT_MOST`, so an endpoint with years of deliveries never makes the list count them
all.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, QuerySet

from darkroom.events.kinds import RECORD_KINDS, event_types
from darkroom.events.models import Event
from darkroom.partial_indexes import one_of
from darkroom.studio.roles import role_of
from darkroom.webhooks.models import (
    WAITING_STATES,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Endpoint,
)

# Webhooks are a manager's: the secrets sign what the studio tells other systems.
MANAGE = "webhooks.change_endpoint"
# Counts beside an endpoint stop here ("999+").
COUNT_MOST = 999
# The deliveries being sent at once are a worker's batch or two; read no more than this.
SENDING_MOST = 10_000


def may_manage_webhooks(*, actor: User | AnonymousUser) -> bool:
    return role_of(actor) is not None and actor.has_perm(MANAGE)


@dataclass(frozen=True)
class Count:
    """A count that stops at :data:`COUNT_MOST`: ``shown`` is "999+" past it."""

    value: int

    @property
    def shown(self) -> str:
        return f"{COUNT_MOST}+" if self.value > COUNT_MOST else str(self.value)


@dataclass(frozen=True)
class EndpointRow:
    """An endpoint on the list, with its deliveries waiting and failed."""

    endpoint: Endpoint
    waiting: Count
    failed: Count


def _counted(deliveries: QuerySet[Delivery]) -> int:
    return deliveries[: COUNT_MOST + 1].count()


def endpoints() -> QuerySet[Endpoint]:
    """Every endpoint, by name."""
    return Endpoint.objects.select_related("created_by").order_by("name", "id")


def endpoint_rows() -> list[EndpointRow]:
    """Every endpoint with its counts: two small queries per endpoint (a studio has a few)
    and one for all, each over a partial index, so a long history of delivered ones is never
    read. "Waiting" on the pages is in the queue or being sent now."""
    # Being sent now: a worker's batch or two, read for every endpoint at once through their
    # partial index (by endpoint, SQLite may walk an endpoint's whole history instead).
    in_flight = Delivery.objects.filter(state=DeliveryState.SENDING).order_by("sending_since")
    sending = collections.Counter(in_flight.values_list("endpoint_id", flat=True)[:SENDING_MOST])
    rows = []
    for endpoint in endpoints():
        mine = Delivery.objects.filter(endpoint_id=endpoint.pk)
        # In the partial index's order: SQLite then reads that index, not the endpoint's
        # history by (endpoint, -id), which without statistics may look as cheap to it.
        waiting = mine.filter(one_of(Delivery, "state", WAITING_STATES))
        queued = _counted(waiting.order_by("next_attempt_at"))
        failed = _counted(mine.filter(state=DeliveryState.FAILED).order_by("-id"))
        rows.append(
            EndpointRow(
                endpoint=endpoint,
                waiting=Count(queued + sending[endpoint.pk]),
                failed=Count(failed),
            )
        )
    return rows


def endpoint_deliveries(*, endpoint: Endpoint, state: str = "") -> QuerySet[Delivery]:
    """An endpoint's deliveries, newest first, with their events; only ``state`` if given."""
    deliveries = Delivery.objects.filter(endpoint_id=endpoint.pk).select_related("event")
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries.order_by("-id")


def with_attempts(deliveries: QuerySet[Delivery]) -> QuerySet[Delivery]:
    """The same deliveries, each with its attempts (``tries``) in one more query."""
    return deliveries.prefetch_related(
        Prefetch("tries", queryset=DeliveryAttempt.objects.order_by("started_at", "id"))
    )


def delivery_detail(pk: int) -> Delivery | None:
    """One delivery with its event, endpoint and attempts; None when there is none."""
    return (
        with_attempts(Delivery.objects.select_related("event", "endpoint").filter(pk=pk))
        .order_by()
        .first()
    )


def events_recent(*, type: str = "") -> QuerySet[Event]:
    """Recorded events, newest first; only of ``type`` if given."""
    events = Event.objects.all()
    if type:
        events = events.filter(type=type)
    return events.order_by("-id")


@dataclass(frozen=True)
class EventTypeGroup:
    """Event types about one kind of record ("Production orders"), for the form's checkboxes."""

    label: str
    types: list[tuple[str, str]]  # (type, what it means)


def event_type_groups() -> list[EventTypeGroup]:
    """The event types grouped by what they are about, in the order people list them."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels = {kind.name: f"{kind.words.capitalize()}s" for kind in RECORD_KINDS.values()}
    for name, words in event_types().items():
        prefix = name.split(".", 1)[0]
        groups.setdefault(labels.get(prefix, "Messages"), []).append((name, words))
    return [EventTypeGroup(label, types) for label, types in groups.items()]
