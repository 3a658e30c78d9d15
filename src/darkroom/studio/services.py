"""Writes of the studio's own records: preferences, people and their roles, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from darkroom.studio.models import ApiToken, StudioPreferences
from darkroom.studio.roles import GROUP_NAMES, Role, sync_role_groups

TOKEN_PREFIX = "drk_"


@transaction.atomic
def studio_preferences_update(**changes: Any) -> StudioPreferences:
    """Change the studio's preferences; unknown or invalid values are refused, nothing saved."""
    from darkroom.studio.calendar import calendar_changed

    StudioPreferences.objects.get_or_create(pk=1)
    prefs = StudioPreferences.objects.select_for_update().get(pk=1)
    before = (prefs.work_days_mask, prefs.due_date_mode)
    for field, value in changes.items():
        if not hasattr(prefs, field) or field in {"id", "pk", "updated_at", "calendar_version"}:
            raise ValidationError({field: "Not a studio preference."})
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
def user_set_role(*, user: AbstractUser, role: Role | str) -> None:
    """Give the user exactly one role (replacing any other)."""
    role = Role(role)
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()))
    user.groups.add(_role_group(role))


# What the password validators of settings.py ask, in the words forms and the API show.
PASSWORD_RULES = (
    "At least 10 characters; not a common password, not only digits, and not like the "
    "person's username, names or email."
)


def password_check(password: str, user: AbstractUser) -> None:
    """Refuse a password the studio's rules (``AUTH_PASSWORD_VALIDATORS``) don't allow for
    this person, with every reason under ``password``; every way of setting one calls this."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def password_change(*, user: AbstractUser, current_password: str, new_password: str) -> None:
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
) -> AbstractUser:
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


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractUser, label: str = "") -> str:
    """A new API token for the user; the secret is returned once and only its hash is kept."""
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key), label=label)
    return key


def api_token_user(key: str) -> AbstractUser | None:
    """The active user a token belongs to, or None; notes when it was last used."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
