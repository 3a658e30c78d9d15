"""The three roles of the studio and the permissions each one holds.

A role is a Django group whose permissions are computed here, so code checks ordinary Django
permissions (``user.has_perm("catalog.change_vendor")``) and this module is the one place that says
who may do what: managers maintain everything, staff change work records, read-only sees.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, Permission
from django.db import models, transaction
from django.http import HttpRequest

from darkroom.studio.kept import kept_while_lists_unchanged

DARKROOM_APPS = (
    "studio",
    "catalog",
    "clients",
    "tracking",
    "production",
    "todos",
    "messaging",
    "feeds",
    "webhooks",
)

# Work records: what staff create and change in the course of a day.
WORK_RECORDS: dict[str, tuple[str, ...]] = {
    "clients.client": ("add", "change"),
    "clients.session": ("add", "change"),
    "clients.invoice": ("add", "change"),
    "clients.invoiceline": ("add", "change", "delete"),
    # A payment is money received: staff record it, but removing one (a payment entered by
    # mistake) leaves no trace in history, so it is a manager's decision.
    "clients.payment": ("add", "change"),
    "tracking.statusnote": ("add",),  # changing a status writes its history row
    "production.productionorder": ("add", "change"),
    "production.productionorderdetail": ("add", "change", "delete"),
    "production.preproductionorder": ("add", "change"),
    "todos.task": ("add", "change"),
    # Deciding a review item (process, skip, delete) is part of the day's work.
    "messaging.firing": ("change",),
}


class Role(models.TextChoices):
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"
    READONLY = "readonly", "Read-only"


GROUP_NAMES = {Role.MANAGER: "Managers", Role.STAFF: "Staff", Role.READONLY: "Read-only"}


def role_of(user: AbstractBaseUser | AnonymousUser) -> Role | None:
    """The user's role (superusers are managers); None for anonymous or role-less users."""
    if not user.is_authenticated or not user.is_active:
        return None
    if getattr(user, "is_superuser", False):
        return Role.MANAGER
    names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
    for role in (Role.MANAGER, Role.STAFF, Role.READONLY):
        if GROUP_NAMES[role] in names:
            return role
    return None


def request_role(request: HttpRequest) -> Role | None:
    """The role of the person making this request, looked up once per request.

    The role and the person's permissions are kept per process while the studio's lists
    (people, roles, permissions among them) stay the same (``studio/kept.py``): a page asks one
    small query instead of three. The permissions are handed to Django's ``ModelBackend``
    through the caches it reads before asking the database, so ``has_perm`` asks nothing.
    """
    if not hasattr(request, "_darkroom_role"):
        user = request.user
        role = None
        if user.is_authenticated and user.is_active:
            role, own, groups = kept_while_lists_unchanged(
                ("grants", user.pk, bool(getattr(user, "is_superuser", False))),
                lambda: _grants(user),
            )
            user._user_perm_cache = set(own)  # type: ignore[union-attr]
            user._group_perm_cache = set(groups)  # type: ignore[union-attr]
            user._perm_cache = set(own | groups)  # type: ignore[union-attr]
        request._darkroom_role = role  # type: ignore[attr-defined]
    return request._darkroom_role  # type: ignore[attr-defined,no-any-return]


def _grants(user: Any) -> tuple[Role | None, frozenset[str], frozenset[str]]:
    """A person's role, own permissions and their groups' (as ``ModelBackend`` reads them)."""
    backend = ModelBackend()
    return (
        role_of(user),
        frozenset(backend.get_user_permissions(user)),
        frozenset(backend.get_group_permissions(user)),
    )


def _role_permissions() -> dict[Role, list[Permission]]:
    ours = list(
        Permission.objects.filter(content_type__app_label__in=DARKROOM_APPS).select_related(
            "content_type"
        )
    )
    people = list(
        Permission.objects.filter(
            content_type__app_label="auth", content_type__model="user"
        ).select_related("content_type")
    )

    def key(p: Permission) -> tuple[str, str]:
        action = p.codename.split("_", 1)[0]
        return f"{p.content_type.app_label}.{p.content_type.model}", action

    views = [p for p in ours + people if key(p)[1] == "view"]
    work = [p for p in ours if key(p)[1] in WORK_RECORDS.get(key(p)[0], ())]
    return {
        Role.MANAGER: ours + people,
        Role.STAFF: views + work,
        Role.READONLY: views,
    }


@transaction.atomic
def sync_role_groups() -> None:
    """Create the role groups and give each exactly the permissions this module says."""
    for role, permissions in _role_permissions().items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        group.permissions.set(permissions)


def sync_role_groups_after_migrate(sender: Any, **kwargs: Any) -> None:
    """post_migrate hook: runs once, after the last app migrated, when all permissions exist."""
    if sender.label != "studio" or not global_apps.is_installed("django.contrib.auth"):
        return
    from django.contrib.auth.management import create_permissions

    using = kwargs.get("using", "default")
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    sync_role_groups()
