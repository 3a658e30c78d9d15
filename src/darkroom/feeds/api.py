"""API endpoints for calendar feeds: list, make and revoke them.

Everyone with a role may make a feed of their own work (``scope`` "person"); a department's and
the whole studio's are a manager's to make. Managers see and revoke every feed; anyone else sees
only their own, and someone else's feed answers 404 to them, as if it did not exist. The feed's
address (with its secret) is in the answer that made it, and never again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.errors import error_responses
from darkroom.api.fields import Id
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.database_limits import LARGEST_ID
from darkroom.feeds.models import CalendarFeed, FeedScope
from darkroom.feeds.selectors import calendar_feeds_for, may_make_feed, may_revoke_feed
from darkroom.feeds.services import calendar_feed_issue, calendar_feed_revoke
from darkroom.feeds.views import feed_address
from darkroom.studio.models import Department
from darkroom.studio.roles import request_role

router = Router(tags=["calendar feeds"])

ScopeName = Literal["person", "department", "studio"]


class CalendarFeedOut(Schema):
    """A calendar feed as its owner and managers see it: never its address, only how the
    secret in it starts."""

    id: int
    scope: ScopeName = Field(..., description="Whose work it shows")
    name: str = Field(..., description="Whose work, in words: a person, a department, the studio")
    user: NamedRef | None = Field(..., description="Person feeds: whose work")
    department: NamedRef | None = Field(..., description="Department feeds: which department")
    key_prefix: str = Field(..., description="The secret's first characters")
    created_at: dt.datetime
    created_by: NamedRef | None
    last_read_at: dt.datetime | None = Field(
        ..., description="When a calendar app last read it (noted at most once an hour)"
    )
    revoked_at: dt.datetime | None
    revoked_by: NamedRef | None


class CalendarFeedCreated(CalendarFeedOut):
    """A new feed, with its address: shown this once, Darkroom keeps only a hash of it."""

    url: str = Field(..., description="The feed's address (https://…/feeds/drcal_….ics)")
    webcal_url: str = Field(..., description="The same address as webcal://, for Apple Calendar")


CalendarFeedsPage = list_of(CalendarFeedOut)


class CalendarFeedsParams(PageQuery):
    scope: ScopeName | None = Field(None, description="Only feeds of this kind")
    revoked: bool = Field(False, description="Revoked feeds instead of working ones")


class CalendarFeedIn(Schema):
    """A new feed: your own (the default), a department's or the studio's (managers). A
    working feed of the same person, department or studio is revoked: this replaces it."""

    model_config = ConfigDict(extra="forbid")

    scope: ScopeName = Field("person", description="person: your own work")
    department: Id | None = Field(None, description="With scope 'department': which one")


def feed_answer(feed: CalendarFeed) -> dict[str, Any]:
    return {
        "id": feed.pk,
        "scope": feed.scope,
        "name": feed.owner_name,
        "user": person_ref(feed.user),
        "department": named_ref(feed.department),
        "key_prefix": feed.key_prefix,
        "created_at": feed.created_at,
        "created_by": person_ref(feed.created_by),
        "last_read_at": feed.last_read_at,
        "revoked_at": feed.revoked_at,
        "revoked_by": person_ref(feed.revoked_by),
    }


def _has_a_role(request: HttpRequest) -> None:
    if request_role(request) is None:
        raise PermissionDenied("Your role does not allow this.")


@router.get(
    "/calendar-feeds",
    operation_id="calendar_feeds_list",
    summary="Calendar feeds: your own; every feed for managers",
    response={200: CalendarFeedsPage, **error_responses(401, 403, 422)},
)
def calendar_feeds_list(request: HttpRequest, params: Query[CalendarFeedsParams]) -> Any:
    _has_a_role(request)
    feeds = calendar_feeds_for(actor=request.user, scope=params.scope, revoked=params.revoked)
    return keyset_page(feeds, cursor=params.cursor, limit=params.limit, answer=feed_answer)


@router.post(
    "/calendar-feeds",
    operation_id="calendar_feeds_create",
    summary="Make a calendar feed: yours, or a department's or the studio's (managers)",
    description="The answer carries the feed's address (`url`), shown this once. A working "
    "feed of the same person, department or studio is revoked: this replaces it.",
    response={201: CalendarFeedCreated, **error_responses(401, 403, 422)},
)
def calendar_feeds_create(request: HttpRequest, payload: CalendarFeedIn) -> Any:
    _has_a_role(request)
    if not may_make_feed(actor=request.user, scope=payload.scope):
        raise PermissionDenied("Only a manager can make a department's or the studio's feed.")
    department = None
    if payload.scope == FeedScope.DEPARTMENT:
        if payload.department is None:
            raise _invalid("department", "Choose the department whose work the feed shows.")
        department = Department.objects.filter(pk=payload.department).first()
        if department is None:
            raise _invalid("department", f"There is no department {payload.department}.")
    elif payload.department is not None:
        raise _invalid("department", "Only a department's feed names a department.")
    feed, key = calendar_feed_issue(
        by=request.user,  # type: ignore[arg-type]
        scope=payload.scope,
        user=request.user if payload.scope == FeedScope.PERSON else None,  # type: ignore[arg-type]
        department=department,
    )
    url = feed_address(request, key)
    return Status(
        201,
        {**feed_answer(feed), "url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]},
    )


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


@router.delete(
    "/calendar-feeds/{id}",
    operation_id="calendar_feeds_revoke",
    summary="Revoke a calendar feed: yours, or any (managers)",
    description="Its address answers 404 at once and for good; revoking it again changes nothing.",
    response={204: None, **error_responses(401, 403, 404, 422)},
)
def calendar_feeds_revoke(request: HttpRequest, id: int) -> Any:
    _has_a_role(request)
    if not 0 < id <= LARGEST_ID:
        raise Http404
    feed = CalendarFeed.objects.select_related("user", "department").filter(pk=id).first()
    if feed is None or not may_revoke_feed(actor=request.user, feed=feed):
        raise Http404  # someone else's feed is none of a non-manager's business
    calendar_feed_revoke(feed=feed, by=request.user)  # type: ignore[arg-type]
    return Status(204, None)
