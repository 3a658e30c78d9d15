"""Who may open a page: anonymous people are sent to log in, people whose role lacks the
permission get a plain 403 page. API endpoints use ``darkroom.api.auth.require`` instead."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from darkroom.studio.roles import request_role

View = Callable[..., HttpResponse]


def may(request: HttpRequest, permission: str) -> bool:
    return request_role(request) is not None and request.user.has_perm(permission)


def check_permission(request: HttpRequest, permission: str) -> None:
    """Refuse (403) whatever the page showed: hidden buttons are not a permission check."""
    if not may(request, permission):
        raise PermissionDenied("Your role does not allow this.")


def requires(*permissions: str) -> Callable[[View], View]:
    """A view that needs a login and every permission named (e.g. "clients.view_client")."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not all(may(request, p) for p in permissions):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return guarded

    return decorate
