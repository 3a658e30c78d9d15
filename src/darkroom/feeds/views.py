"""The calendar feeds' pages: the feed itself (``/feeds/<secret>.ics``, read by calendar apps
without a login) and the person's page under their account, /account/calendar-feeds/, where
they make, see and revoke their own feed and managers those of departments and the studio.

A new feed's address is shown once, on the answer to the form that made it, and stored only
as a hash: as with API tokens, a lost address is replaced, not shown again.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST, require_safe

from darkroom.feeds.ics import calendar_text
from darkroom.feeds.models import CalendarFeed, FeedScope
from darkroom.feeds.selectors import (
    calendar_feed_of_key,
    calendar_feeds_for,
    departments_for_feeds,
    feed_entries,
    feed_name,
    may_make_feed,
    may_revoke_feed,
)
from darkroom.feeds.services import (
    calendar_feed_issue,
    calendar_feed_read_noted,
    calendar_feed_revoke,
)
from darkroom.studio.access import requires
from darkroom.studio.roles import request_role
from darkroom.studio.selectors import studio_preferences

CALENDAR_TYPE = "text/calendar; charset=utf-8"


def feed_address(request: HttpRequest, key: str) -> str:
    """The absolute address of a feed, as a calendar app is given it."""
    return request.build_absolute_uri(reverse("feeds:feed", args=[key]))


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    """If-None-Match's weak comparison: a gzip'd answer's tag comes back as W/"…"."""
    given = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in given.split(",")}
    return etag in tags or "*" in tags


@require_safe
@gzip_page
def feed_calendar(request: HttpRequest, key: str) -> HttpResponse:
    """The feed a calendar app reads. No login (calendar apps can't), so the address is the
    secret: an unknown or revoked one answers 404 and nothing else. The ETag is the text's
    hash, so a poll while nothing changed gets 304 without the body."""
    feed = calendar_feed_of_key(key)
    if feed is None:
        return HttpResponseNotFound(b"", content_type="text/plain")
    base_url = f"{request.scheme}://{request.get_host()}"
    body = calendar_text(
        feed_entries(feed, base_url=base_url),
        name=feed_name(feed, (getattr(request, "studio", None) or studio_preferences()).name),
        domain=request.get_host().rsplit(":", 1)[0].lower(),
        base_url=base_url,
    ).encode()
    calendar_feed_read_noted(feed=feed, now=timezone.now())
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=CALENDAR_TYPE)
        response["Content-Disposition"] = 'inline; filename="darkroom.ics"'
    response["ETag"] = etag
    # Only the holder of the address may keep it; ask again each time (the ETag makes it cheap).
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


class FeedForm(forms.Form):
    """What a manager makes a feed of: a department's work, or the whole studio's."""

    scope = forms.ChoiceField(
        label="Feed of",
        choices=[(FeedScope.DEPARTMENT, "A department"), (FeedScope.STUDIO, "The whole studio")],
        widget=forms.RadioSelect,
        initial=FeedScope.DEPARTMENT,
    )
    department = forms.ModelChoiceField(
        label="Department",
        queryset=departments_for_feeds(),
        required=False,
        empty_label="Choose a department",
        help_text="Its open work: what is assigned to the department.",
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("scope") == FeedScope.DEPARTMENT and data.get("department") is None:
            self.add_error("department", "Choose the department whose work the feed shows.")
        return data


def _has_a_role(request: HttpRequest) -> None:
    if request_role(request) is None:
        raise PermissionDenied("Your role does not allow this.")


@requires()
def feeds_page(request: HttpRequest) -> HttpResponse:
    """Your calendar feed (make, replace, revoke) and, for managers, the departments' and the
    studio's. A POST with ``scope=person`` makes (or replaces) your own; any other scope is a
    manager's, through the form."""
    _has_a_role(request)
    user = request.user
    manager = may_make_feed(actor=user, scope=FeedScope.STUDIO)
    form = FeedForm(prefix="other") if manager else None
    made: CalendarFeed | None = None
    secret = ""
    if request.method == "POST" and request.POST.get("scope") == FeedScope.PERSON:
        made, secret = calendar_feed_issue(by=user, scope=FeedScope.PERSON, user=user)  # type: ignore[arg-type]
    elif request.method == "POST" and ("other-scope" in request.POST or manager):
        if form is None:
            raise PermissionDenied("Only a manager can make a department's or the studio's feed.")
        form = FeedForm(request.POST, prefix="other")
        if form.is_valid():
            try:
                made, secret = calendar_feed_issue(
                    by=user,  # type: ignore[arg-type]
                    scope=form.cleaned_data["scope"],
                    department=form.cleaned_data["department"],
                )
            except ValidationError as exc:
                for field, problems in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                form = FeedForm(prefix="other")
    elif request.method == "POST":
        return HttpResponseBadRequest("Nothing to make: the form sends scope=person.")
    feeds = list(calendar_feeds_for(actor=user))
    context = {
        "own_feed": next(
            (f for f in feeds if f.scope == FeedScope.PERSON and f.user_id == user.pk), None
        ),
        "other_feeds": [f for f in feeds if f.scope != FeedScope.PERSON],
        "people_feeds": [f for f in feeds if f.scope == FeedScope.PERSON and f.user_id != user.pk],
        "manager": manager,
        "form": form,
        "made": made,
        "address": feed_address(request, secret) if secret else "",
    }
    if secret:
        context["webcal"] = "webcal://" + context["address"].split("://", 1)[1]
    response = render(request, "feeds/calendar_feeds.html", context)
    response["Cache-Control"] = "no-store"  # the address must not stay in a cache
    return response


@requires()
@require_POST
def feed_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one feed (your own; anyone's for a manager): its address answers 404 at once."""
    _has_a_role(request)
    feed = CalendarFeed.objects.select_related("user", "department").filter(pk=pk).first()
    if feed is None or not may_revoke_feed(actor=request.user, feed=feed):
        raise Http404
    calendar_feed_revoke(feed=feed, by=request.user)  # type: ignore[arg-type]
    whose = "your" if feed.user_id == request.user.pk else f"{feed.owner_name}’s"
    if feed.scope == FeedScope.STUDIO:
        whose = "the whole studio’s"
    messages.success(request, f"Revoked {whose} calendar feed: its address no longer works.")
    return redirect(reverse("feeds:calendar-feeds"))
