"""Logins paused after too many wrong passwords, and unlocking them.

django-axes counts the login form's failures in its ``AccessAttempt`` table, one row per
username, address and browser. Either count reaching ``AXES_FAILURE_LIMIT`` within the cool-off
(``AXES_COOLOFF_TIME``) pauses logging in: per username, so a password can't be guessed from many
addresses; per address, so many usernames can't be tried from one. A failure while paused does
not extend the pause, so the person who mistyped learns a time that holds.

What is counted is the login form only (Django's ``authenticate()``). API tokens are checked by
``api_token_user`` and never pass through it: a token is a long random secret that can't be
guessed like a password, a bad token answers 401 without counting, and a paused login keeps its
tokens working. Deactivating a person (Maintenance › People) is how to stop those.

Reads (``login_locks``, ``login_lock``) and the one write (``login_unlock``) live here; the
pages are in maintenance/views/studio.py, the command in ``darkroom unlock``.
"""

from __future__ import annotations

import ipaddress
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger(__name__)

LOCKED_STATUS = 429  # Too Many Requests: the page still shows the login form and why


@dataclass(frozen=True)
class LoginLock:
    """One paused login: a username (from anywhere) or an address (for every username)."""

    kind: Literal["username", "address"]
    value: str
    failures: int
    ends_at: datetime


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted against (``AXES_CLIENT_IP_CALLABLE``).

    The connection's own address, unless ``DARKROOM_TRUSTED_PROXIES`` says how many reverse
    proxies stand in front: each appends the address it saw to X-Forwarded-For, so the client
    is that many entries from the right. Entries further left were written by the client and
    could be anything; a header with too few entries, or not an address, is ignored.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.DARKROOM_TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [a for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        return remote
    return _valid_address(forwarded[-proxies]) or remote


def _locks_by(kind: Literal["username", "address"], rows: list[Any]) -> list[LoginLock]:
    """Group the recent failures by username or address; those at the limit are locks.

    A lock ends when enough of its oldest failures are older than the cool-off for the rest
    to fall below the limit (with one row, its last failure plus the cool-off), as axes counts.
    """
    limit, cool_off = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    field = "username" if kind == "username" else "ip_address"
    groups: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for row in rows:
        value = getattr(row, field)
        if value:
            groups[value].append((row.attempt_time, row.failures_since_start))
    locks = []
    for value, failures in groups.items():
        total = sum(count for _, count in failures)
        if total < limit:
            continue
        remaining = total
        for when, count in sorted(failures):
            remaining -= count
            if remaining < limit:
                locks.append(LoginLock(kind, value, total, when + cool_off))
                break
    return locks


def _recent_failures(**filters: Any) -> list[Any]:
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return list(
        AccessAttempt.objects.filter(attempt_time__gte=since, **filters).only(
            "username", "ip_address", "attempt_time", "failures_since_start"
        )
    )


def login_locks() -> list[LoginLock]:
    """Every login paused now: usernames first, then addresses, the latest to end first."""
    rows = _recent_failures()
    locks = _locks_by("username", rows) + _locks_by("address", rows)
    return sorted(locks, key=lambda lock: (lock.kind != "username", -lock.ends_at.timestamp()))


def login_lock(*, username: str = "", address: str | None = None) -> LoginLock | None:
    """The pause that keeps this username (or anyone at this address) out, the longer if both."""
    locks = []
    if username:
        locks += _locks_by("username", _recent_failures(username=username))
    address = _valid_address(address) if address else None  # PostgreSQL's inet refuses others
    if address:
        locks += _locks_by("address", _recent_failures(ip_address=address))
    return max(locks, key=lambda lock: lock.ends_at, default=None)


@transaction.atomic
def login_unlock(
    *, unlocked_by: AbstractBaseUser | AnonymousUser | None, username: str = "", address: str = ""
) -> int:
    """Forget the failed logins of a username (from every address) or of an address (for
    every username), so logging in works again at once; returns how many records went.

    ``unlocked_by`` is the manager (None from the command line), kept in the log.
    """
    username, address = username.strip(), address.strip()
    if bool(username) == bool(address):
        raise ValidationError("Name either a username or an address to unlock, not both.")
    if address and _valid_address(address) is None:
        raise ValidationError({"address": f"“{address}” is not an IP address."})
    if username:
        cleared = AxesProxyHandler.reset_attempts(username=username)
    else:
        cleared = AxesProxyHandler.reset_attempts(ip_address=_valid_address(address))
    who = getattr(unlocked_by, "username", None) or "the command line"
    log.warning(
        "Login unlocked by %s: %s (%d failure records forgotten)", who, username or address, cleared
    )
    return cleared


def lockout_page(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The login page again, saying the login is paused, until when, and who can unlock it
    (``AXES_LOCKOUT_CALLABLE``). The password is never put back in the form."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    lock = login_lock(username=username, address=address)
    ends_at = lock.ends_at if lock else timezone.now() + settings.AXES_COOLOFF_TIME
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked": {
            "by_address": lock is not None and lock.kind == "address",
            "username": username,
            "ends_at": ends_at,
        },
    }
    return render(request, "registration/login.html", context, status=LOCKED_STATUS)
