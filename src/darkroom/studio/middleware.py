"""Per-request studio context: the preferences row and the studio's time zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from darkroom.studio.selectors import studio_preferences


class StudioTimeZoneMiddleware:
    """Show every date and time in the studio's own zone (stored values stay UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefs = studio_preferences()
        request.studio = prefs  # type: ignore[attr-defined]
        timezone.activate(zoneinfo.ZoneInfo(prefs.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
