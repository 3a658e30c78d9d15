"""Template context every page gets: the studio, and the signed-in person's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from darkroom.studio.roles import request_role
from darkroom.studio.selectors import studio_preferences


def studio(request: HttpRequest) -> dict[str, Any]:
    prefs = getattr(request, "studio", None) or studio_preferences()
    role = request_role(request) if hasattr(request, "user") else None
    return {"studio": prefs, "role": role}
