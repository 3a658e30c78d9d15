"""Who is calling: a browser session (with CSRF) or an integrator's ``Bearer`` token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from darkroom.studio.roles import request_role
from darkroom.studio.services import api_token_user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``darkroom token USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


API_AUTH = [BearerToken(), django_auth]


def require(request: HttpRequest, permission: str) -> None:
    """Refuse (403) unless the caller holds the permission, e.g. ``"catalog.change_vendor"``."""
    user = request.user
    if request_role(request) is None or not user.has_perm(permission):
        raise PermissionDenied("Your role does not allow this.")
