"""The hub's writes: a bulk status change, or a bulk reassignment, over production and proof
orders together.

The engine's bulk change (``tracking.services.status_change_bulk``) moves records of one model; a
hub selection may hold both kinds of order. Each kind goes through the engine in turn, in one
transaction: if the engine refuses any order of either kind, nothing of either is written and
the outcome of every order (refused, or "would change") comes back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.errors import DarkroomError
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.studio.models import Department
from darkroom.tracking.models import Status, TrackedRecord
from darkroom.tracking.services import (
    DEFAULT,
    BulkItem,
    BulkOutcome,
    BulkRefused,
    records_reassign,
    status_change_bulk,
)

ORDER_MODELS: dict[str, type[TrackedRecord]] = {
    "production": ProductionOrder,
    "preproduction": PreproductionOrder,
}


@dataclass(frozen=True)
class HubItem:
    """One order ticked in the hub: its kind, id and the version the hub showed."""

    kind: str  # "production" | "preproduction"
    item: BulkItem


@dataclass(frozen=True)
class HubOutcome:
    kind: str
    outcome: BulkOutcome


class HubBulkRefused(DarkroomError):
    """At least one order was refused; nothing was written, of either kind."""

    status = 422

    def __init__(self, outcomes: list[HubOutcome]) -> None:
        refused = sum(1 for o in outcomes if not o.outcome.ok)
        super().__init__(
            f"{refused} of {len(outcomes)} orders can't be changed; nothing was changed.",
            code="bulk_refused",
        )
        self.outcomes = outcomes


def orders_status_change_bulk(
    *,
    items: Sequence[HubItem],
    updated_by: AbstractBaseUser,
    entered_by: AbstractBaseUser | None = None,
    to_status: Status | None = None,
    date_completed: dt.date | None = None,
    due_date: dt.date | None = None,
    department: Department | None = DEFAULT,
    user: AbstractBaseUser | None = DEFAULT,
    note: str = "",
    current_not_complete: bool = False,
) -> list[HubOutcome]:
    """Change the status of every order in ``items``, all or nothing, through the engine's bulk
    change (one call per kind of order, so the rules and the batching are the engine's); the
    options are the engine's (and the bulk API's)."""
    return _each_kind(
        items,
        lambda model, group: status_change_bulk(
            model=model,
            items=group,
            updated_by=updated_by,
            entered_by=entered_by,
            to_status=to_status,
            date_completed=date_completed,
            due_date=due_date,
            department=department,
            user=user,
            note=note,
            current_not_complete=current_not_complete,
        ),
    )


def orders_reassign(
    *,
    items: Sequence[HubItem],
    updated_by: AbstractBaseUser,
    department: Department | None = DEFAULT,
    user: AbstractBaseUser | None = DEFAULT,
    note: str = "",
) -> list[HubOutcome]:
    """Hand every order in ``items`` to ``department`` and ``user`` (``DEFAULT``: each keeps
    its own), their statuses unchanged, all or nothing (``tracking/services/reassignment.py``)."""
    return _each_kind(
        items,
        lambda model, group: records_reassign(
            model=model,
            items=group,
            department=department,
            user=user,
            updated_by=updated_by,
            note=note,
        ),
    )


def _each_kind(
    items: Sequence[HubItem],
    change: Callable[[type[TrackedRecord], list[BulkItem]], list[BulkOutcome]],
) -> list[HubOutcome]:
    """Run ``change`` on each kind of order in turn, in one transaction, all or nothing."""
    if not items:
        raise ValidationError({"items": "Choose at least one order."})
    groups: dict[str, list[BulkItem]] = {}
    for entry in items:
        if entry.kind not in ORDER_MODELS:
            raise ValidationError({"items": f"“{entry.kind}” is not a kind of order."})
        groups.setdefault(entry.kind, []).append(entry.item)
    outcomes: list[HubOutcome] = []
    refused = False
    with transaction.atomic():
        for kind, group in groups.items():
            try:
                done = change(ORDER_MODELS[kind], group)
            except BulkRefused as exc:  # its own part is rolled back; look at the other kind too
                refused = True
                done = exc.outcomes
            outcomes += [HubOutcome(kind, o) for o in done]
        if refused:
            raise HubBulkRefused(outcomes)  # leaving the block rolls back the kind that passed
    return outcomes
