"""API endpoints for webhooks, a manager's: the endpoints (list, make, read, change, make a new
secret, disable, enable, delete), their deliveries with every attempt, replaying deliveries,
and the event types an endpoint may want.

A new endpoint's answer carries its signing secret, as does a new secret's; ``GET …/secret``
reads it again (managers see it on the endpoint's page too). Deliveries page newest first by
keyset. Refusals are ``{"detail", "code"}``: 422 for a bad value, 409 for a stale version.

One module, as the other apps' API modules are: one router, one permission (a manager's), one
set of answer shapes shared by the endpoints and their deliveries; most of its length is the
operations' declarations, each a few lines.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from darkroom.api.fields import Id, Text, choice_of, left_out
from darkroom.api.lists import PageQuery, keyset_page, list_of, whole_list
from darkroom.database_limits import LARGEST_ID, LARGEST_VERSION
from darkroom.events.kinds import event_types
from darkroom.webhooks import selectors, services
from darkroom.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Endpoint

router = Router(tags=["webhooks"])
MANAGE = permitted(selectors.MANAGE)
EVENT_TYPES_HELP = "Event types it wants (GET /webhooks/event-types); empty: every event"


class WebhookOut(Schema):
    """A webhook endpoint: where deliveries go and how they stand. Never its secret."""

    id: int
    name: str
    url: str
    event_types: list[str] = Field(..., description=EVENT_TYPES_HELP)
    is_active: bool
    disabled_reason: str = Field(..., description="Why it is disabled; empty while active")
    disabled_at: dt.datetime | None
    failing_since: dt.datetime | None = Field(
        ..., description="Its first failure since its last success; null while it works"
    )
    last_success_at: dt.datetime | None
    previous_secret_until: dt.datetime | None = Field(
        ..., description="While a new secret is rotated in, the old one signs too until then"
    )
    created_at: dt.datetime
    created_by: NamedRef | None
    version: int = Field(..., description="Send this version with the next change (409 if stale)")


class WebhookSecretOut(WebhookOut):
    """A webhook with its signing secret (``whsec_…``): give it to the receiving system."""

    secret: str = Field(..., description="The Standard Webhooks signing secret, whsec_…")


WebhookList = list_of(WebhookOut)


class WebhookIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(..., max_length=services.NAME_LONGEST)
    url: Text = Field(..., max_length=services.URL_LONGEST, description="https://… (or http://)")
    event_types: list[Text] = Field(
        default_factory=list, max_length=100, description=EVENT_TYPES_HELP
    )


class WebhookPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(..., ge=1, le=LARGEST_VERSION, description="The version read")
    name: Text = left_out(max_length=services.NAME_LONGEST)
    url: Text = left_out(max_length=services.URL_LONGEST)
    event_types: list[Text] = left_out(max_length=100, description=EVENT_TYPES_HELP)


class RotateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    overlap_hours: int = Field(
        24,
        ge=0,
        le=services.OVERLAP_LONGEST_HOURS,
        description="How long the old secret keeps signing beside the new one; 0: stop it now",
    )


class DisableIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field("", max_length=services.REASON_LONGEST)


class AttemptOut(Schema):
    started_at: dt.datetime
    duration_ms: int
    status_code: int | None = Field(..., description="Null when no answer came")
    outcome: str = Field(..., description="delivered, retry or failed")
    excerpt: str = Field(..., description="The start of what the receiver answered")


class DeliveryOut(Schema):
    """One event for one endpoint."""

    id: int
    webhook: int = Field(..., description="The endpoint's id")
    event_id: str = Field(..., description="The event's id: the webhook-id header")
    event_type: str
    state: choice_of(DeliveryState.values)  # type: ignore[valid-type]
    attempts: int = Field(..., description="Tries since it was made or last replayed")
    next_attempt_at: dt.datetime | None = Field(..., description="While it waits: when it goes")
    delivered_at: dt.datetime | None
    last_status_code: int | None
    reason: str
    created_at: dt.datetime


class DeliveryDetailOut(DeliveryOut):
    """A delivery with every attempt, oldest first, and the body it sends."""

    tries: list[AttemptOut]
    payload: dict[str, Any] = Field(..., description="The JSON body each attempt sends")


DeliveryList = list_of(DeliveryOut)


class DeliveriesQuery(PageQuery):
    state: choice_of(DeliveryState.values) | None = Field(  # type: ignore[valid-type]
        None, description="Only deliveries in this state"
    )


class ReplayIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ids: list[Id] = Field(
        ..., min_length=1, max_length=services.REPLAY_MOST, description="Delivery ids"
    )


class ReplayFailedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    since: dt.datetime = Field(..., description="Replay what failed from then on (ISO 8601)")


class ReplayedOut(Schema):
    replayed: int = Field(
        ..., description="How many went back in the queue (those waiting or sending are left)"
    )


class EventTypeOut(Schema):
    type: str
    description: str


EventTypeList = list_of(EventTypeOut)


def webhook_answer(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "id": endpoint.pk,
        "name": endpoint.name,
        "url": endpoint.url,
        "event_types": list(endpoint.event_types),
        "is_active": endpoint.is_active,
        "disabled_reason": endpoint.disabled_reason,
        "disabled_at": endpoint.disabled_at,
        "failing_since": endpoint.failing_since,
        "last_success_at": endpoint.last_success_at,
        "previous_secret_until": endpoint.previous_secret_until
        if endpoint.previous_secret
        else None,
        "created_at": endpoint.created_at,
        "created_by": person_ref(endpoint.created_by),
        "version": endpoint.version,
    }


def _with_secret(endpoint: Endpoint) -> dict[str, Any]:
    return {**webhook_answer(endpoint), "secret": endpoint.secret}


def delivery_answer(delivery: Delivery) -> dict[str, Any]:
    waiting = delivery.state in (DeliveryState.PENDING, DeliveryState.RETRY)
    return {
        "id": delivery.pk,
        "webhook": delivery.endpoint_id,
        "event_id": delivery.event.public_id,
        "event_type": delivery.event.type,
        "state": delivery.state,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at if waiting else None,
        "delivered_at": delivery.delivered_at,
        "last_status_code": delivery.last_status_code,
        "reason": delivery.reason,
        "created_at": delivery.created_at,
    }


def _attempt(attempt: DeliveryAttempt) -> dict[str, Any]:
    return {
        "started_at": attempt.started_at,
        "duration_ms": attempt.duration_ms,
        "status_code": attempt.status_code,
        "outcome": attempt.outcome,
        "excerpt": attempt.excerpt,
    }


def _endpoint(id: int) -> Endpoint:
    if not 0 < id <= LARGEST_ID:
        raise Http404
    endpoint = selectors.endpoints().filter(pk=id).first()
    if endpoint is None:
        raise Http404
    return endpoint


@router.get(
    "/webhooks",
    operation_id="webhooks_list",
    summary="Webhook endpoints, by name (managers)",
    response={200: WebhookList, **LIST_ERRORS},
    auth=MANAGE,
)
def webhooks_list(request: HttpRequest, params: Query[PageQuery]) -> Any:
    return keyset_page(
        selectors.endpoints(), cursor=params.cursor, limit=params.limit, answer=webhook_answer
    )


@router.post(
    "/webhooks",
    operation_id="webhooks_create",
    summary="Make a webhook endpoint (managers); the answer carries its signing secret",
    description="422 beside `url` for an address that is not http(s), or whose host is or "
    "resolves to a private, loopback or link-local address (unless the studio allows them).",
    response={201: WebhookSecretOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_create(request: HttpRequest, payload: WebhookIn) -> Any:
    endpoint = services.endpoint_create(
        name=payload.name,
        url=payload.url,
        event_types=payload.event_types,
        by=request.user,  # type: ignore[arg-type]
    )
    return Status(201, _with_secret(_endpoint(endpoint.pk)))


@router.get(
    "/webhooks/event-types",
    operation_id="webhooks_event_types",
    summary="The event types a webhook endpoint may want",
    response={200: EventTypeList, **LIST_ERRORS},
    auth=MANAGE,
)
def webhooks_event_types(request: HttpRequest) -> Any:
    return whole_list({"type": t, "description": d} for t, d in event_types().items())


@router.get(
    "/webhooks/{int:id}",
    operation_id="webhooks_get",
    summary="A webhook endpoint",
    response={200: WebhookOut, **READ_ERRORS},
    auth=MANAGE,
)
def webhooks_get(request: HttpRequest, id: int) -> Any:
    return webhook_answer(_endpoint(id))


@router.get(
    "/webhooks/{int:id}/secret",
    operation_id="webhooks_secret",
    summary="A webhook endpoint with its signing secret",
    response={200: WebhookSecretOut, **READ_ERRORS},
    auth=MANAGE,
)
def webhooks_secret(request: HttpRequest, id: int) -> Any:
    return _with_secret(_endpoint(id))


@router.patch(
    "/webhooks/{int:id}",
    operation_id="webhooks_update",
    summary="Change a webhook endpoint's name, address or event types",
    description="Send the `version` you read: 409 `conflict` if it changed since.",
    response={200: WebhookOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_update(request: HttpRequest, id: int, payload: WebhookPatch) -> Any:
    endpoint = _endpoint(id)
    given = payload.model_fields_set - {"version"}
    services.endpoint_update(
        endpoint=endpoint,
        expected_version=payload.version,
        by=request.user,  # type: ignore[arg-type]
        **{name: getattr(payload, name) for name in given},
    )
    return webhook_answer(_endpoint(id))


@router.post(
    "/webhooks/{int:id}/rotate-secret",
    operation_id="webhooks_rotate_secret",
    summary="Make a new signing secret; the old one signs beside it for a while",
    response={200: WebhookSecretOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_rotate_secret(request: HttpRequest, id: int, payload: RotateIn) -> Any:
    endpoint = services.endpoint_secret_rotate(
        endpoint=_endpoint(id),
        overlap_hours=payload.overlap_hours,
        by=request.user,  # type: ignore[arg-type]
    )
    return _with_secret(_endpoint(endpoint.pk))


@router.post(
    "/webhooks/{int:id}/disable",
    operation_id="webhooks_disable",
    summary="Stop sending to a webhook endpoint; deliveries waiting wait",
    response={200: WebhookOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_disable(request: HttpRequest, id: int, payload: DisableIn) -> Any:
    services.endpoint_disable(endpoint=_endpoint(id), reason=payload.reason, by=request.user)  # type: ignore[arg-type]
    return webhook_answer(_endpoint(id))


@router.post(
    "/webhooks/{int:id}/enable",
    operation_id="webhooks_enable",
    summary="Send to a webhook endpoint again; deliveries waiting go at once",
    response={200: WebhookOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_enable(request: HttpRequest, id: int) -> Any:
    services.endpoint_enable(endpoint=_endpoint(id), by=request.user)  # type: ignore[arg-type]
    return webhook_answer(_endpoint(id))


@router.delete(
    "/webhooks/{int:id}",
    operation_id="webhooks_delete",
    summary="Delete a webhook endpoint with its deliveries (the events stay)",
    response={204: None, **error_responses(401, 403, 404, 422)},
    auth=MANAGE,
)
def webhooks_delete(request: HttpRequest, id: int) -> Any:
    services.endpoint_delete(endpoint=_endpoint(id), by=request.user)  # type: ignore[arg-type]
    return Status(204, None)


@router.get(
    "/webhooks/{int:id}/deliveries",
    operation_id="webhooks_deliveries",
    summary="A webhook endpoint's deliveries, newest first",
    response={200: DeliveryList, **READ_ERRORS},
    auth=MANAGE,
)
def webhooks_deliveries(request: HttpRequest, id: int, params: Query[DeliveriesQuery]) -> Any:
    deliveries = selectors.endpoint_deliveries(endpoint=_endpoint(id), state=params.state or "")
    return keyset_page(deliveries, cursor=params.cursor, limit=params.limit, answer=delivery_answer)


@router.get(
    "/webhooks/deliveries/{int:delivery_id}",
    operation_id="webhooks_delivery",
    summary="A delivery with every attempt and the body it sends",
    response={200: DeliveryDetailOut, **READ_ERRORS},
    auth=MANAGE,
)
def webhooks_delivery(request: HttpRequest, delivery_id: int) -> Any:
    delivery = selectors.delivery_detail(delivery_id) if 0 < delivery_id <= LARGEST_ID else None
    if delivery is None:
        raise Http404
    return {
        **delivery_answer(delivery),
        "tries": [_attempt(a) for a in delivery.tries.all()],
        "payload": delivery.event.payload(),
    }


@router.post(
    "/webhooks/deliveries/replay",
    operation_id="webhooks_deliveries_replay",
    summary="Send deliveries that ended (delivered or failed) again, with the same webhook-id",
    description="422 if an id names no delivery (nothing is replayed then).",
    response={200: ReplayedOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_deliveries_replay(request: HttpRequest, payload: ReplayIn) -> Any:
    count = services.deliveries_replay(delivery_ids=payload.ids, by=request.user)  # type: ignore[arg-type]
    return {"replayed": count}


@router.post(
    "/webhooks/{int:id}/replay-failed",
    operation_id="webhooks_replay_failed",
    summary="Send again every delivery of a webhook endpoint that failed since a moment",
    response={200: ReplayedOut, **WRITE_ERRORS},
    auth=MANAGE,
)
def webhooks_replay_failed(request: HttpRequest, id: int, payload: ReplayFailedIn) -> Any:
    count = services.deliveries_replay_failed(
        endpoint=_endpoint(id),
        since=payload.since,
        by=request.user,  # type: ignore[arg-type]
    )
    return {"replayed": count}
