"""Who is calling, and may they: a browser session (with CSRF) or an integrator's ``Bearer`` token.

Each endpoint declares the permission it needs with ``auth=permitted("app.action_model")``. The
permission is checked right after the caller is known and before the request body is read, so a
caller without it gets 403 and learns nothing about what a valid body would be.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from darkroom.errors import DarkroomError
from darkroom.studio.roles import request_role
from darkroom.studio.services import api_token_user


class CsrfRefused(DarkroomError):
    """A session's unsafe request without the page's CSRF token: possibly forged by another site."""

    code = "csrf_failed"
    status = 403


CSRF_REFUSAL = (
    "This request comes from a logged-in browser session but lacks its CSRF token "
    "(the X-CSRFToken header); reload the page and try again. Integrators: send "
    "'Authorization: Bearer <token>' instead of a session cookie."
)


def require(request: HttpRequest, permission: str) -> None:
    """Refuse (403) unless the caller holds the permission, e.g. ``"catalog.change_vendor"``."""
    user = request.user
    if request_role(request) is None or not user.has_perm(permission):
        raise PermissionDenied("Your role does not allow this.")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``darkroom token USERNAME``."""

    def __init__(self, permission: str | None = None) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        if self.permission:
            require(request, self.permission)
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's login session; unsafe methods need the CSRF token.

    CSRF guards a session someone has: a request that carries no logged-in session has nothing
    to forge, so it is not checked here and goes on to answer 401 ``not_authenticated`` like
    any other caller without credentials (django-ninja would check CSRF first and answer 403).
    """

    def __init__(self, permission: str | None = None) -> None:
        super().__init__(csrf=True)
        self.permission = permission

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfRefused(CSRF_REFUSAL)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is not None and self.permission:
            require(request, self.permission)
        return user


API_AUTH = [BearerToken(), SessionAuth()]


def permitted(permission: str) -> list[BearerToken | SessionAuth]:
    """``@router.post(..., auth=permitted("catalog.add_vendor"))``: log in, then hold this."""
    return [BearerToken(permission), SessionAuth(permission)]
