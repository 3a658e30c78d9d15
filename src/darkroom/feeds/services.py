"""Writes of calendar feeds: make one (replacing the one before for the same owner) and
revoke one. Who may do which is the caller's to check (``selectors.may_make_feed``); these
check only that the feed names the right owner.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.feeds.models import CalendarFeed, FeedScope
from darkroom.studio.models import Department
from darkroom.studio.services import secret_hash, secret_new

FEED_PREFIX = "drcal_"  # says what the secret opens, wherever it turns up
FEED_PREFIX_SHOWN = 12  # "drcal_" and 6 random characters, kept in clear
READ_NOTED_EVERY = dt.timedelta(hours=1)


@transaction.atomic
def calendar_feed_issue(
    *,
    by: User,
    scope: FeedScope | str,
    user: User | None = None,
    department: Department | None = None,
) -> tuple[CalendarFeed, str]:
    """A new feed for a person, a department or the studio, and its secret (shown once, only
    its hash is kept). The owner's working feed, if any, is revoked in the same transaction:
    making a new address is how a person replaces one that may have been seen."""
    try:
        scope = FeedScope(scope)
    except ValueError:
        raise ValidationError({"scope": "Choose person, department or studio."}) from None
    if scope == FeedScope.PERSON:
        if user is None:
            raise ValidationError({"user": "A person's feed needs the person."})
        if not user.is_active:
            raise ValidationError(
                {"user": f"{user.get_username()} is inactive, so a feed would not work."}
            )
        department = None
    elif scope == FeedScope.DEPARTMENT:
        if department is None:
            raise ValidationError({"department": "Choose the department whose work it shows."})
        user = None
    else:
        user = department = None
    calendar_feeds_revoke(by=by, scope=scope, user=user, department=department)
    key = secret_new(FEED_PREFIX)
    feed = CalendarFeed.objects.create(
        scope=scope,
        user=user,
        department=department,
        key_hash=secret_hash(key),
        key_prefix=key[:FEED_PREFIX_SHOWN],
        created_by=by,
    )
    return feed, key


def calendar_feeds_revoke(
    *,
    by: User | None,
    scope: FeedScope | str,
    user: User | None = None,
    department: Department | None = None,
) -> int:
    """Revoke the working feed of one owner (a person, a department, or the studio); how
    many were revoked (0 or 1)."""
    feeds = CalendarFeed.objects.filter(scope=scope, revoked_at__isnull=True)
    if scope == FeedScope.PERSON:
        feeds = feeds.filter(user=user)
    elif scope == FeedScope.DEPARTMENT:
        feeds = feeds.filter(department=department)
    return feeds.update(revoked_at=timezone.now(), revoked_by=by)


def calendar_feed_revoke(*, feed: CalendarFeed, by: User | None) -> CalendarFeed:
    """Revoke one feed at once and for good: its address answers 404 from now on. Revoking a
    revoked feed changes nothing (its first revocation is the one on record)."""
    CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    feed.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return feed


def calendar_feed_read_noted(*, feed: CalendarFeed, now: dt.datetime) -> None:
    """Note that a calendar app read the feed, at most once an hour: apps poll, and the page
    only needs to say whether anything reads it."""
    if feed.last_read_at is None or now - feed.last_read_at > READ_NOTED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
