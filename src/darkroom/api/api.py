"""The NinjaAPI root: ``/api/v1/``, OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``.

Each app adds its router here, in no order that matters: wherever a fixed path stands beside an
id (``/sessions/bulk-status-changes``, ``/sessions/{id}``), the id is ``{int:…}``, so no router
can take the other's path. Conventions (paths, errors, auth) are in docs/api.md.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from darkroom.api.auth import API_AUTH
from darkroom.api.bodies import RequestReader
from darkroom.api.errors import document_common_refusals, install_error_handlers


class DarkroomAPI(NinjaAPI):
    """The API root; its OpenAPI schema also names the refusals every operation may answer."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return document_common_refusals(super().get_openapi_schema(**kwargs))


api = DarkroomAPI(
    title="Darkroom API",
    version="1",
    description=(
        "Production tracking for photography studios. Authenticate with a browser session or "
        "`Authorization: Bearer <token>` (`darkroom token USERNAME` prints one). Errors are "
        '`{"detail": ..., "code": ...}`.'
    ),
    auth=API_AUTH,
    parser=RequestReader(),
    urls_namespace="api",
)
install_error_handlers(api)

api.add_router("/", "darkroom.studio.api.router")
api.add_router("/", "darkroom.tracking.api.router")
api.add_router("/", "darkroom.hub.api.router")
api.add_router("/", "darkroom.reports.api.router")
api.add_router("/", "darkroom.production.api.router")
api.add_router("/", "darkroom.clients.api.router")
api.add_router("/", "darkroom.maintenance.api.router")
api.add_router("/", "darkroom.todos.api.router")
api.add_router("/", "darkroom.messaging.api.router")
api.add_router("/", "darkroom.feeds.api.router")
api.add_router("/", "darkroom.events.api.router")
api.add_router("/", "darkroom.client_pages.api.router")
api.add_router("/", "darkroom.webhooks.api.router")
