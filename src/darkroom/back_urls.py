"""Where a form page returns to once it is done: the list as the person left it.

A page passes the list's address along as ``next``; only an address of this site is followed, so
a link from elsewhere can't send someone off the site after a save.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_url(request: HttpRequest, default: str) -> str:
    """Where to return after a form: the list as it was (``next``), if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
