"""Writes about the studio's people: who they are, their role, their departments, whether they
may log in. Creating a login and setting a role are ``user_create`` / ``user_set_role`` in
studio/services.py; this module adds what a manager does on the People page around them."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.studio.models import Department
from darkroom.studio.roles import Role, role_of
from darkroom.studio.services import (
    api_tokens_revoke_all,
    password_check,
    user_create,
    user_set_role,
)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise ValidationError({"role": "Role must be manager, staff or read-only."}) from None


def person_create(
    *,
    username: str,
    password: str,
    role: Role | str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    departments: Iterable[Department] = (),
) -> AbstractUser:
    """A new person who can log in, with a role and the departments they work in.

    Usernames differing only in capitals are refused: "Anna" and "anna" would be two logins
    nobody can tell apart on a list.
    """
    User = get_user_model()
    role = _role(role)
    with transaction.atomic():
        if User._default_manager.filter(username__iexact=username).exists():
            raise ValidationError({"username": "Someone already has this username."})
        probe = User(username=username, first_name=first_name, last_name=last_name, email=email)
        probe.full_clean(exclude=["password"])
        password_check(password, probe)
        user = user_create(
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        user.departments.set(departments)  # type: ignore[attr-defined]
    return user


def person_update(
    *,
    user: AbstractUser,
    changed_by: AbstractUser,
    first_name: str,
    last_name: str,
    email: str,
    role: Role | str,
    departments: Iterable[Department],
    is_active: bool,
    password: str = "",
) -> AbstractUser:
    """Change a person's details, role, departments, login (active or not) and password.

    Managers can't lock themselves out: deactivating yourself or giving up your own manager
    role is refused, so the studio always keeps the manager who is making changes.
    Deactivating someone revokes their API tokens for good: reactivating them later gives them
    back their login, not their old tokens.
    """
    role = _role(role)
    if user.pk == changed_by.pk:
        refused = {}
        if not is_active:
            refused["is_active"] = "You can't deactivate yourself; another manager can."
        if role_of(changed_by) == Role.MANAGER and role != Role.MANAGER:
            refused["role"] = "You can't remove your own manager role; another manager can."
        if refused:
            raise ValidationError(refused)
    with transaction.atomic():
        person = type(user)._default_manager.select_for_update().get(pk=user.pk)
        person.first_name = first_name
        person.last_name = last_name
        person.email = email
        person.is_active = is_active
        person.full_clean(exclude=["password"])
        if password:
            password_check(password, person)
            person.set_password(password)
        person.save()
        user_set_role(user=person, role=role)
        person.departments.set(departments)  # type: ignore[attr-defined]
        if not is_active:
            api_tokens_revoke_all(user=person, by=changed_by)
    return person
