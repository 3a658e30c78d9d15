"""Per-request studio context: the preferences row and the studio's time zone; and clean
searches in every page's address."""

from __future__ import annotations

import copy
import zoneinfo
from collections.abc import Callable, Iterator

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone

from darkroom.formats import studio_formats_active
from darkroom.plain_text import search_text, text_problem
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.studio.selectors import studio_preferences

API_PREFIX = "/api/v1/"  # the API refuses what pages clean


class StudioTimeZoneMiddleware:
    """Show every date and time in the studio's own zone (stored values stay UTC), and every
    date and amount in its locale and currency (``darkroom/formats.py``). The request gets the
    preferences (``request.studio``): kept per process while the studio's lists stay the same
    (``studio/kept.py``), each request its own copy to read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefs = copy.copy(kept_while_lists_unchanged("studio preferences", studio_preferences))
        request.studio = prefs  # type: ignore[attr-defined]
        timezone.activate(zoneinfo.ZoneInfo(prefs.time_zone))
        try:
            with studio_formats_active(prefs):
                return self.get_response(request)
        finally:
            timezone.deactivate()


class SearchTextMiddleware:
    """Clean the query string of every page: a control character in a search or filter becomes
    a space (``darkroom/plain_text.py``), so a pasted or crafted address shows the page instead
    of failing — on PostgreSQL a NUL in a search failed the query. The API refuses such text
    instead (422, ``api/bodies.py``), so its callers learn of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX) and any(
            text_problem(value, search=True) for value in _values(request.GET)
        ):
            cleaned = QueryDict(mutable=True)
            for name, values in request.GET.lists():
                cleaned.setlist(search_text(name), [search_text(value) for value in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


def _values(query: QueryDict) -> Iterator[str]:
    for name, values in query.lists():
        yield name
        yield from values
