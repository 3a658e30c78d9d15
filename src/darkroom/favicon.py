"""``/favicon.ico``: browsers ask for it by that name whatever the page links (a bookmark, a tab
restored, a feed reader), so it answers with the same aperture as the pages' linked
``darkroom/favicon.svg`` instead of a "not found" on every visit."""

from __future__ import annotations

import functools
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = Path(__file__).resolve().parent / "static" / "darkroom" / "favicon.svg"


@functools.cache
def _icon() -> bytes:
    return ICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_icon(), content_type="image/svg+xml")
