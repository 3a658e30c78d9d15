"""``GET /api/v1/events``: the events feed, for integrators who poll rather than listen.

Everyone with a role may read it: it says what the hub already shows (records, statuses, dates),
by id. The events are the webhooks' own: an event's ``id`` is the ``webhook-id`` of every
delivery of it, so a system that listens and polls can tell the two apart from a repeat.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from darkroom.api.errors import error_responses
from darkroom.api.fields import MAX_PAGE_SIZE
from darkroom.events.feed import events_after, latest_position, position_of
from darkroom.studio.roles import request_role

router = Router(tags=["events"])

AFTER_HELP = (
    "Where to start: the next_cursor of your last poll, an event's id (evt_123: the events "
    "after it), or `latest` (only what happens from now on). Leave out to start at the first "
    "event."
)


class EventOut(Schema):
    """One event, as the feed answers it and a webhook's body carries it."""

    id: str = Field(..., description="evt_…: also the webhook-id of its deliveries")
    type: str = Field(..., description="What happened, e.g. production_order.status_changed")
    timestamp: dt.datetime
    data: dict[str, Any] = Field(
        ..., description="The record (kind, id, API url), statuses and dates; thin by design"
    )


class EventsPage(Schema):
    """A page of the feed and where to poll from next."""

    results: list[EventOut]
    next_cursor: str = Field(
        ...,
        description="Send as `after` next time. Given even when the page is empty: keep it and "
        "poll again later.",
    )
    has_more: bool = Field(..., description="More events are waiting: ask again at once")


class EventsParams(Schema):
    after: str | None = Field(None, max_length=1000, description=AFTER_HELP)
    limit: int = Field(
        100, ge=1, le=MAX_PAGE_SIZE, description=f"Events per page, 1–{MAX_PAGE_SIZE}"
    )


@router.get(
    "/events",
    operation_id="events_list",
    summary="The events feed: every start, status change and due-date move, in commit order",
    description="Keyset-paged by `after`: polling with each answer's `next_cursor` never skips "
    "and never repeats an event, however many changes commit at once. An event still being "
    "written by a running change appears once that change commits, after those already read.",
    response={200: EventsPage, **error_responses(401, 403, 422)},
)
def events_list(request: HttpRequest, params: Query[EventsParams]) -> Any:
    if request_role(request) is None:
        raise PermissionDenied("Your role does not allow this.")
    position = latest_position() if params.after == "latest" else position_of(params.after)
    page = events_after(position, limit=params.limit)
    return {
        "results": [event.payload() for event in page.events],
        "next_cursor": page.next_position.cursor(),
        "has_more": page.has_more,
    }
