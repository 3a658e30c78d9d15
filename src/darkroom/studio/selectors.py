"""Reads of the studio's own records."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone

from darkroom.studio.models import ApiToken, Department, StudioPreferences, TokenState
from darkroom.studio.roles import role_of


def studio_preferences() -> StudioPreferences:
    """The preferences row; a studio that never saved any gets the defaults (not yet stored)."""
    prefs = StudioPreferences.objects.filter(pk=1).first()
    return prefs if prefs is not None else StudioPreferences(pk=1)


def active_departments() -> QuerySet[Department]:
    return Department.objects.filter(is_inactive=False)


# The permission that lets someone manage other people's API tokens: whoever may change people.
TOKENS_OF_OTHERS = "auth.change_user"


def may_manage_tokens(*, actor: User | AnonymousUser, owner: User) -> bool:
    """Anyone with a role manages their own tokens (read-only too: an integrator's read-only
    token is what that role is most often for); managers manage everyone's."""
    if role_of(actor) is None:
        return False
    return actor.pk == owner.pk or actor.has_perm(TOKENS_OF_OTHERS)


def api_tokens_of(*, user: User, state: TokenState | str | None = None) -> QuerySet[ApiToken]:
    """A person's tokens, newest first; ``state`` keeps only active, expired or revoked ones."""
    tokens = ApiToken.objects.filter(user=user).select_related("user", "revoked_by")
    now = timezone.now()
    not_expired = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    if state == TokenState.ACTIVE:
        tokens = tokens.filter(not_expired, revoked_at__isnull=True)
    elif state == TokenState.EXPIRED:
        tokens = tokens.filter(revoked_at__isnull=True, expires_at__lte=now)
    elif state == TokenState.REVOKED:
        tokens = tokens.filter(revoked_at__isnull=False)
    return tokens.order_by("-created_at", "-id")


PAST_TOKENS_SHOWN = 20


def api_token_lists(*, user: User) -> dict[str, list[ApiToken]]:
    """What the token pages show of a person: their active tokens (``active_tokens``) and their
    most recent revoked or expired ones (``past_tokens``), each with ``state_now``."""
    now = timezone.now()
    active = list(api_tokens_of(user=user, state=TokenState.ACTIVE))
    ended = Q(revoked_at__isnull=False) | Q(expires_at__lte=now)
    past = list(api_tokens_of(user=user).filter(ended)[:PAST_TOKENS_SHOWN])
    for token in active + past:
        token.state_now = token.state(now)  # type: ignore[attr-defined]
    return {"active_tokens": active, "past_tokens": past}
