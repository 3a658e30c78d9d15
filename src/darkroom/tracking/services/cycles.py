"""Writes of status cycles and their statuses: the rules that keep every cycle usable.

A cycle has exactly one initial and one final status once it is set up. Making another status
initial (or final) moves the flag, in one transaction; nothing may take the flag away without
giving it to another status (unsetting it, deleting the status, making it inactive), so a cycle
that had an initial and a final keeps them. The initial status is never final and neither is
ever inactive (the database checks that too). A status that any record is in, or that any
history row names, is never deleted: it can be made inactive instead.
"""

from __future__ import annotations

import secrets
from typing import Any, Literal, cast

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model

from darkroom.catalog.models import ProductionOrderType
from darkroom.errors import RecordInUse, duplicate_value
from darkroom.record_writes import record_delete, record_move
from darkroom.studio.models import Department
from darkroom.tracking.models import Cycle, CycleKind, Status, cycle_scope
from darkroom.tracking.selectors import cycles_to_set_up

STATUS_FIELDS = {
    "description",
    "client_visible",
    "client_name",
    "default_duration",
    "default_department",
    "default_user",
    "is_initial",
    "is_final",
    "is_inactive",
}


def cycle_create(
    *,
    kind: CycleKind | str,
    name: str,
    order_type: ProductionOrderType | None = None,
    session_type: Model | None = None,
) -> Cycle:
    """A new, empty cycle; production cycles name their order type. One cycle per scope."""
    if kind not in CycleKind.values:
        raise ValidationError({"kind": f"A cycle's kind is one of {', '.join(CycleKind.values)}."})
    if kind == CycleKind.PRODUCTION and order_type is None:
        raise ValidationError({"order_type": "A production cycle belongs to an order type."})
    if kind != CycleKind.PRODUCTION and order_type is not None:
        raise ValidationError({"order_type": "Only production cycles belong to an order type."})
    if kind != CycleKind.SESSION and session_type is not None:
        raise ValidationError({"session_type": "Only session cycles belong to a session type."})
    cycle = Cycle(
        kind=str(kind),
        name=(name or "").strip(),
        order_type=order_type,
        # A clients.SessionType: the engine names the model, never imports it.
        session_type=cast(Any, session_type),
        version=secrets.randbelow(2**62) + 1,
        scope=cycle_scope(
            str(kind),
            order_type.pk if order_type else None,
            session_type.pk if session_type else None,
        ),
    )
    with transaction.atomic():
        if Cycle.objects.filter(scope=cycle.scope).exists():
            raise duplicate_value("That cycle already exists.")
        cycle.full_clean(exclude=["scope"])
        cycle.save()
    return cycle


def cycle_set_up(*, scope: str) -> Cycle:
    """Create one of :func:`cycles_to_set_up` by its scope ("invoice", "production:3", …)."""
    chosen = next((c for c in cycles_to_set_up() if c.scope == scope), None)
    if chosen is None:
        raise ValidationError({"scope": "Choose one of the cycles still to set up."})
    return cycle_create(
        kind=chosen.kind,
        name=chosen.name,
        order_type=chosen.order_type,
        session_type=chosen.session_type,
    )


def cycle_touch(*, cycle_id: int) -> None:
    """Give the cycle a new version: every process re-reads its steps (and the triggers that
    watch them, ``messaging.planner``) before the next change of one of its records."""
    Cycle.objects.filter(pk=cycle_id).update(version=secrets.randbelow(2**62) + 1)


def _check_choices(status: Status) -> None:
    """Relational rules a form can't see: the department and the user must be current."""
    errors: dict[str, str] = {}
    department, user = status.default_department, status.default_user
    if department is not None and department.is_inactive:
        errors["default_department"] = f"“{department}” is inactive."
    if user is not None and not user.is_active:
        errors["default_user"] = f"“{user}” can no longer sign in."
    if errors:
        raise ValidationError(errors)


def _take_flags(status: Status) -> None:
    """Give ``status`` the initial/final flags it asks for, taking them from the others."""
    others = Status.objects.filter(cycle_id=status.cycle_id).exclude(pk=status.pk)
    if status.is_initial:
        others.filter(is_initial=True).update(is_initial=False)
    if status.is_final:
        others.filter(is_final=True).update(is_final=False)


def _check_flags(status: Status) -> None:
    errors: dict[str, str] = {}
    if status.is_initial and status.is_final:
        errors["is_final"] = "The initial status can't also be the final one."
    if status.is_inactive and status.is_initial:
        errors["is_inactive"] = "The initial status can't be inactive: make another one initial."
    elif status.is_inactive and status.is_final:
        errors["is_inactive"] = "The final status can't be inactive: make another one final."
    if errors:
        raise ValidationError(errors)


def status_add(
    *,
    cycle: Cycle,
    description: str,
    default_duration: int = 0,
    default_department: Department | None = None,
    default_user: AbstractBaseUser | None = None,
    is_initial: bool = False,
    is_final: bool = False,
    is_inactive: bool = False,
    position: int | None = None,
    client_visible: bool = False,
    client_name: str = "",
) -> Status:
    """Add a step to a cycle, at the end or at ``position`` (1 = first; later steps move down).

    The first status of a cycle without an initial one becomes initial unless it is final.
    Making it initial or final takes the flag from the status that had it.
    """
    with transaction.atomic():
        siblings = Status.objects.select_for_update().filter(cycle=cycle)
        count = len(list(siblings.order_by("pk")))
        if not (is_final or is_inactive) and not siblings.filter(is_initial=True).exists():
            is_initial = True
        status = Status(
            cycle=cycle,
            description=(description or "").strip(),
            default_duration=default_duration,
            default_department=default_department,
            default_user=cast(Any, default_user),  # the studio's people: AUTH_USER_MODEL
            is_initial=is_initial,
            is_final=is_final,
            is_inactive=is_inactive,
            position=count + 1,
            client_visible=client_visible,
            client_name=(client_name or "").strip(),
        )
        if position is not None:
            if isinstance(position, bool) or not isinstance(position, int):
                raise ValidationError({"position": "The position is a whole number."})
            if not 1 <= position <= count + 1:
                raise ValidationError({"position": f"The position is between 1 and {count + 1}."})
            status.position = position
        _check_flags(status)
        status.full_clean(exclude=["cycle"])
        _check_choices(status)
        _renumber(cycle)
        siblings.filter(position__gte=status.position).update(position=F("position") + 1)
        _take_flags(status)
        status.save()
        cycle_touch(cycle_id=cycle.pk)
    return status


def status_update(*, status: Status, **fields: Any) -> Status:
    """Change a step's description, duration, defaults, flags, or what clients see of it.

    Setting ``is_initial`` or ``is_final`` moves the flag here from the status that had it;
    clearing it is refused (give it to another status instead), and so is making the initial
    or final status inactive.
    """
    unknown = set(fields) - STATUS_FIELDS
    if unknown:
        raise ValidationError({name: "Not a field of a status." for name in sorted(unknown)})
    with transaction.atomic():
        fresh = Status.objects.select_for_update().get(pk=status.pk)
        if fields.get("is_initial") is False and fresh.is_initial:
            raise ValidationError(
                {"is_initial": "A cycle needs an initial status: make another one initial."}
            )
        if fields.get("is_final") is False and fresh.is_final:
            raise ValidationError(
                {"is_final": "A cycle needs a final status: make another one final."}
            )
        if fields.get("is_inactive") and not fresh.is_inactive:
            _check_unwatched(fresh)
        for name, value in fields.items():
            setattr(fresh, name, value.strip() if name == "client_name" else value)
        if (
            fresh.is_initial
            and fresh.is_final
            and fields.get("is_initial") != fields.get("is_final")
        ):
            # Taking one flag would strip the other from this status, and the cycle with it.
            taken, kept = (
                ("is_initial", "final") if fields.get("is_initial") else ("is_final", "initial")
            )
            raise ValidationError(
                {taken: f"This is the cycle's {kept} status: make another one {kept} first."}
            )
        _check_flags(fresh)
        fresh.full_clean(exclude=["cycle"])
        _check_choices(fresh)
        _take_flags(fresh)
        fresh.save()
        cycle_touch(cycle_id=fresh.cycle_id)
    for name in fields:
        setattr(status, name, getattr(fresh, name))
    return fresh


def _check_unwatched(status: Status) -> None:
    """A status that active triggers watch can't be made inactive: its triggers would never
    fire again without anyone noticing. (Deleting it is refused by the triggers' PROTECT.)"""
    names = list(
        status.triggers.filter(is_active=True).order_by("name").values_list("name", flat=True)
    )
    if names:
        listed = ", ".join(f"“{name}”" for name in names[:5])
        more = f" and {len(names) - 5} more" if len(names) > 5 else ""
        raise ValidationError(
            {
                "is_inactive": f"Triggers watch “{status}”: {listed}{more}. Make them inactive "
                "(or move them to another status) first."
            }
        )


def status_move(*, status: Status, direction: Literal["up", "down"]) -> None:
    """Move a step one place up or down in its cycle."""
    with transaction.atomic():
        record_move(
            record=status,
            direction=direction,
            siblings=Status.objects.filter(cycle_id=status.cycle_id),
        )
        cycle_touch(cycle_id=status.cycle_id)


def status_delete(*, status: Status) -> None:
    """Delete a step nothing uses; one a record is in, or that history names, is refused.

    The initial and the final status can't be deleted: make another one initial (or final)
    first. The steps after it move up one place.
    """
    with transaction.atomic():
        fresh = Status.objects.select_for_update().get(pk=status.pk)
        if fresh.is_initial or fresh.is_final:
            which = "initial" if fresh.is_initial else "final"
            raise RecordInUse(
                f"“{fresh}” is the cycle's {which} status: make another one {which} before "
                "deleting it."
            )
        record_delete(record=fresh)
        _renumber(fresh.cycle)
        cycle_touch(cycle_id=fresh.cycle_id)


def _renumber(cycle: Cycle) -> None:
    """Positions 1..n in the cycle's order, so "insert at 3" means the third place."""
    rows = list(Status.objects.filter(cycle=cycle).order_by("position", "id"))
    changed = []
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            changed.append(row)
    Status.objects.bulk_update(changed, ["position"])
