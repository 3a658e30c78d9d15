"""A page whose writes met another writer's locks answers "try again", not a server error."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from darkroom.errors import BUSY_MESSAGE, database_busy

log = logging.getLogger("darkroom.web")


class DatabaseBusyMiddleware:
    """Two people changing the same orders at once can meet in the database (a deadlock, or a
    lock not free in time); the database then rolls one back. That one sees a 409 page saying
    so, with nothing saved, instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not database_busy(exc):
            return None
        log.warning("%s %s met another writer: %s", request.method, request.path, exc)
        response = TemplateResponse(request, "409.html", {"message": BUSY_MESSAGE}, status=409)
        return response.render()
