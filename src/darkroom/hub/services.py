"""The hub's one write: a bulk status change over production and proof orders together.

The engine's bulk change (``tracking.bulk.status_change_bulk``) moves records of one model; a
hub selection may hold both kinds of order. Each kind goes through the engine in turn, in one
transaction: if the engine refuses any order of either kind, nothing of either is written and
the outcome of every order (refused, or "would change") comes back together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.errors import DarkroomError
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.bulk import BulkItem, BulkOutcome, BulkRefused, status_change_bulk
from darkroom.tracking.models import Status, TrackedRecord

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
    to_status: Status | None = None,
    date_completed: dt.date | None = None,
    note: str = "",
) -> list[HubOutcome]:
    """Change the status of every order in ``items``, all or nothing, through the engine's bulk
    change (one call per kind of order, so the rules and the batching are the engine's)."""
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
                done = status_change_bulk(
                    model=ORDER_MODELS[kind],
                    items=group,
                    updated_by=updated_by,
                    to_status=to_status,
                    date_completed=date_completed,
                    note=note,
                )
            except BulkRefused as exc:  # its own part is rolled back; look at the other kind too
                refused = True
                done = exc.outcomes
            outcomes += [HubOutcome(kind, o) for o in done]
        if refused:
            raise HubBulkRefused(outcomes)  # leaving the block rolls back the kind that passed
    return outcomes
