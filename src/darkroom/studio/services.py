"""Writes of the studio's own records: preferences, people and their roles, API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import zoneinfo
from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.studio.calendar_version import calendar_changed
from darkroom.studio.models import ApiToken, StudioPreferences, TokenState
from darkroom.studio.roles import GROUP_NAMES, Role, sync_role_groups
from darkroom.studio.selectors import studio_preferences

TOKEN_PREFIX = "drk_"
TOKEN_PREFIX_SHOWN = 12  # "drk_" and 8 random characters, kept in clear
TOKEN_NAME_LENGTH = 80
UNNAMED_TOKEN = "Made on the command line"  # the name of a token made without one


@transaction.atomic
def studio_preferences_update(**changes: Any) -> StudioPreferences:
    """Change the studio's preferences; unknown or invalid values are refused, nothing saved."""
    StudioPreferences.objects.get_or_create(pk=1)
    prefs = StudioPreferences.objects.select_for_update().get(pk=1)
    before = (prefs.work_days_mask, prefs.due_date_mode)
    for field, value in changes.items():
        if not hasattr(prefs, field) or field in {"id", "pk", "updated_at", "calendar_version"}:
            raise ValidationError({field: "Not a studio preference."})
        if field in {"country", "currency"} and isinstance(value, str):
            value = value.strip().upper()
        setattr(prefs, field, value)
    prefs.full_clean()
    prefs.save(update_fields=[*changes, "updated_at"])
    if (prefs.work_days_mask, prefs.due_date_mode) != before:
        calendar_changed()
        prefs.refresh_from_db(fields=["calendar_version"])
    return prefs


def _role_group(role: Role) -> Group:
    group = Group.objects.filter(name=GROUP_NAMES[role]).first()
    if group is None:
        sync_role_groups()
        group = Group.objects.get(name=GROUP_NAMES[role])
    return group


@transaction.atomic
def user_set_role(*, user: User, role: Role | str) -> None:
    """Give the user exactly one role (replacing any other)."""
    role = Role(role)
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()))
    user.groups.add(_role_group(role))


# What the password validators of settings.py ask, in the words forms and the API show.
PASSWORD_RULES = (
    "At least 10 characters; not a common password, not only digits, and not like the "
    "person's username, names or email."
)


def password_check(password: str, user: User) -> None:
    """Refuse a password the studio's rules (``AUTH_PASSWORD_VALIDATORS``) don't allow for
    this person, with every reason under ``password``; every way of setting one calls this."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> None:
    """A person changes their own password: the current one proves it is them, the new one
    meets the studio's rules. Other roles' passwords are a manager's (``person_update``)."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": "That is not your current password."})
    if new_password == current_password:
        raise ValidationError({"new_password": "The new password is the same as the current one."})
    try:
        password_check(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.message_dict["password"]}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A new person who can log in with the given role."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    try:
        role = Role(role)
    except ValueError:
        raise ValidationError({"role": "Role must be manager, staff or readonly."}) from None
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.full_clean(exclude=["password"])
    password_check(password, user)
    user.set_password(password)
    user.save()
    user_set_role(user=user, role=role)
    return user


def secret_hash(key: str) -> str:
    """What Darkroom keeps of a secret it hands out (an API token, a calendar feed's address):
    its SHA-256, enough to recognise it when it comes back, never to show it again."""
    return hashlib.sha256(key.encode()).hexdigest()


def secret_new(prefix: str) -> str:
    """A new secret to hand out once: ``prefix`` (says what it opens) and about 256 random
    bits, URL-safe so it can stand in an address."""
    return prefix + secrets.token_urlsafe(32)


def api_token_expiry(day: dt.date) -> dt.datetime:
    """When a token "expiring on" ``day`` stops working: the start of that day, studio time."""
    zone = zoneinfo.ZoneInfo(studio_preferences().time_zone)
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


@transaction.atomic
def api_token_issue(
    *, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new named API token for the user, and its secret: shown once, only its hash is kept.

    The first characters of the secret are kept in clear (``key_prefix``) so a person can tell
    their tokens apart; the rest (about 200 random bits) stays secret.
    """
    name = name.strip()
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Give the token a name that says what it is for."
    elif len(name) > TOKEN_NAME_LENGTH:
        problems["name"] = f"A token's name has at most {TOKEN_NAME_LENGTH} characters."
    if expires_at is not None:
        if timezone.is_naive(expires_at):
            raise ValueError("expires_at must be an aware datetime")
        if expires_at <= timezone.now():
            problems["expires_at"] = "The expiry must be in the future."
        expires_at = expires_at.astimezone(dt.UTC)  # as the database gives it back
    if not user.is_active:
        raise ValidationError(f"{user.get_username()} is inactive, so a token would not work.")
    if problems:
        raise ValidationError(problems)
    key = secret_new(TOKEN_PREFIX)
    token = ApiToken.objects.create(
        user=user,
        key_hash=secret_hash(key),
        key_prefix=key[:TOKEN_PREFIX_SHOWN],
        name=name,
        expires_at=expires_at,
    )
    return token, key


def api_token_create(
    *,
    user: User,
    name: str = UNNAMED_TOKEN,
    expires_at: dt.datetime | None = None,
) -> str:
    """A new API token's secret alone (for scripts and tests): see ``api_token_issue``."""
    return api_token_issue(user=user, name=name, expires_at=expires_at)[1]


def api_token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    """Revoke one token at once and for good; the row stays, saying who revoked it and when.

    Revoking a revoked token changes nothing (its first revocation is the one on record).
    """
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_by"])
    return token


def api_tokens_revoke_all(*, user: User, by: User | None, name: str | None = None) -> int:
    """Revoke every token of the person not yet revoked (or only those with this name); how many.

    Deactivating a person calls this, so their tokens stay dead if they are ever reactivated.
    """
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if name is not None:
        tokens = tokens.filter(name=name)
    return tokens.update(revoked_at=timezone.now(), revoked_by=by)


def api_token_user(key: str) -> User | None:
    """The active user a token belongs to, or None (unknown, revoked or expired: the caller
    can't tell which); notes when it was last used, at most once a minute."""
    token = ApiToken.objects.select_related("user").filter(key_hash=secret_hash(key)).first()
    now = timezone.now()
    if token is None or token.state(now) != TokenState.ACTIVE or not token.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
