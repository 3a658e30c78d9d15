"""The fields of a production order that say what it is and who handled it: its order type, order
date, who entered it and who completed it -- edited by hand, each edit kept in the order's history.

The front desk corrects what was entered wrong: the order was an Album Order, not a Lab Print
Order; it was placed yesterday; Ana entered it, not the person logged in; Ben finished it. These
are part of ``production_order_update`` (the order's edit form and ``PATCH``), checked against the
order as stored now, and written with its other fields in the same version-checked UPDATE.

* **Order type.** An order follows its type's status cycle, so a new type moves it to the new
  cycle by the engine's rule (``tracking.services.record_cycle_move``): it keeps its step
  when the new cycle has an active step of the same name, else it starts again at the new
  cycle's first status today. A final order's type can't be changed (it is finished as it was);
  an inactive type, or one whose cycle has no initial status yet, can't be chosen.
* **Order date.** Not after the studio's today. Due dates are not moved: they count from the
  day each step began (move a due date by hand if the lab's dates changed).
* **Entered by.** Any person who can sign in (or the one already there).
* **Completed by.** Only for an order in its final status (the status change sets it; this
  corrects it): any person who can sign in, or the one already there.

One "edit" history row per save lists what changed ("order date 2026-11-02 → 2026-11-01").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from darkroom.catalog.models import ProductionOrderType
from darkroom.errors import Conflict
from darkroom.production.models import ProductionOrder
from darkroom.studio.calendar.cache import calendar_now
from darkroom.tracking import events
from darkroom.tracking.selectors import cycle_for
from darkroom.tracking.services import person_words, record_cycle_move
from darkroom.tracking.status_rows import insert_note, write_status

EDITABLE = {"order_type", "order_date", "entered_by", "completed_by"}


@dataclass
class OrderEdits:
    """What an edit of the order's own fields writes, and the words its history row says."""

    changes: dict[str, Any] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)
    order_type: ProductionOrderType | None = None  # a new type: the order moves to its cycle

    def __bool__(self) -> bool:
        return bool(self.changes)


def _person(value: object, current_id: int | None, name: str) -> AbstractBaseUser:
    if not isinstance(value, AbstractBaseUser):
        raise ValidationError({name: "Choose a person."})
    if not value.is_active and value.pk != current_id:
        raise ValidationError(
            {name: f"“{person_words(value)}” can no longer sign in; choose someone else."}
        )
    return value


def plan_order_edits(*, order: ProductionOrder, fields: dict[str, Any]) -> OrderEdits:
    """Check the order's type, date and people given in ``fields`` against ``order`` as stored
    (read by the caller in its transaction); what changes and how to say it."""
    edits = OrderEdits()
    if "order_type" in fields:
        kind = fields["order_type"]
        if not isinstance(kind, ProductionOrderType):
            raise ValidationError({"order_type": "Choose an order type."})
        if kind.pk != order.order_type_id:
            if kind.is_inactive:
                raise ValidationError({"order_type": f"“{kind}” is inactive; choose another."})
            if order.completed_date is not None:
                raise ValidationError({"order_type": "A finished order's type can't be changed."})
            edits.changes["order_type"] = kind
            edits.order_type = kind
            edits.words.append(f"order type {order.order_type} → {kind}")
    if "order_date" in fields:
        placed = fields["order_date"]
        if type(placed) is not dt.date:
            raise ValidationError({"order_date": "Give a date (YYYY-MM-DD)."})
        today = calendar_now().today
        if placed > today:
            raise ValidationError(
                {"order_date": f"The order date can't be after today ({today:%Y-%m-%d})."}
            )
        if placed != order.order_date:
            edits.changes["order_date"] = placed
            edits.words.append(f"order date {order.order_date:%Y-%m-%d} → {placed:%Y-%m-%d}")
    if "entered_by" in fields:
        person = _person(fields["entered_by"], order.entered_by_id, "entered_by")
        if person.pk != order.entered_by_id:
            edits.changes["entered_by"] = person
            edits.words.append(
                f"entered by {person_words(order.entered_by)} → {person_words(person)}"
            )
    if "completed_by" in fields:
        person = fields["completed_by"]
        if order.completed_date is None:
            if person is not None and getattr(person, "pk", None) != order.completed_by_id:
                raise ValidationError(
                    {
                        "completed_by": "Only a finished order (in its final status) was completed "
                        "by someone."
                    }
                )
        elif person is None:
            raise ValidationError({"completed_by": "A finished order was completed by someone."})
        else:
            person = _person(person, order.completed_by_id, "completed_by")
            if person.pk != order.completed_by_id:
                edits.changes["completed_by"] = person
                before = person_words(order.completed_by) if order.completed_by_id else "—"
                edits.words.append(f"completed by {before} → {person_words(person)}")
    return edits


def write_order_edits(
    *,
    order: ProductionOrder,
    expected_version: int,
    other: dict[str, Any],
    edits: OrderEdits,
    updated_by: AbstractBaseUser,
) -> None:
    """Write ``edits`` with the order's ``other`` changes in one version-checked UPDATE and the
    history row; a new type goes through the status engine (it moves the status too)."""
    words = "Edited: " + "; ".join(edits.words)
    if edits.order_type is not None:
        probe = ProductionOrder(pk=order.pk, order_type=edits.order_type)
        cycle = cycle_for(probe)
        record_cycle_move(
            record=order,
            expected_version=expected_version,
            cycle=cycle,
            also={**other, **edits.changes},
            updated_by=updated_by,
            words=words,
        )
        return
    changes = {**other, **edits.changes}
    if not write_status(ProductionOrder, changes, order.pk, expected_version):
        raise Conflict(
            "This production order was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    for name, value in changes.items():
        setattr(order, name, value)
    order.version = expected_version + 1
    if order.status_id is None:
        return  # not in its cycle yet: no history to add to (orders start when made)
    insert_note(
        events.edited(
            record=order,
            by=updated_by,
            words=words,
            on=calendar_now(order.vendor_id).today,
            now=timezone.now(),
        )
    )
