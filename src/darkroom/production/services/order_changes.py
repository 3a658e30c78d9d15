"""Changing what the studio records on a production order after it was made: the vendor's
number (the "#" action gives the next one), the vendor's invoice amount, priority code and
notes, and — kept in the order's history — its type, date and people (``production/order_edits.py``
plans those).

Every change carries the version the person read: a change saved meanwhile by someone else is
a Conflict and nothing is written. Status, department and user change through the status
engine, never here; the studio's number never changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.catalog.models import PriorityCode
from darkroom.errors import Conflict, DarkroomError
from darkroom.production import order_edits
from darkroom.production.models import ProductionOrder
from darkroom.production.services.checks import _amount, _check_cycles
from darkroom.production.services.vendor_numbers import (
    _locked_vendors,
    _take_numbers,
    vendor_number_change,
)

UPDATABLE = {
    "vendor_invoice_amount",
    "priority_code",
    "studio_notes",
    "vendor_notes",
    "vendor_number",
}


def _bump(order: ProductionOrder, expected_version: int, fields: dict[str, Any]) -> None:
    """Write ``fields`` if the order is still at ``expected_version`` (else a Conflict)."""
    written = ProductionOrder.objects.filter(pk=order.pk, version=expected_version).update(
        **fields, version=F("version") + 1
    )
    if not written:
        raise Conflict(
            "This production order was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    for name, value in fields.items():
        setattr(order, name, value)
    order.version = expected_version + 1


def order_number_assign(*, order: ProductionOrder) -> ProductionOrder:
    """The "#" action: give the order its vendor's next number now (``vendor_number``, from the
    vendor's own count). The studio's number it has had since it was made."""
    with transaction.atomic():
        vendor = _locked_vendors([order.vendor_id])[order.vendor_id]
        fresh = ProductionOrder.objects.select_for_update().get(pk=order.pk)
        if fresh.vendor_number:
            raise DarkroomError(
                f"This order already has the vendor's number {fresh.vendor_number}.",
                code="has_number",
            )
        _bump(order, fresh.version, {"vendor_number": _take_numbers(vendor, 1)[0]})
    return order


def production_order_update(
    *,
    order: ProductionOrder,
    expected_version: int,
    updated_by: AbstractBaseUser | None = None,
    **fields: Any,
) -> ProductionOrder:
    """Change what the studio records on an order: the vendor's invoice amount, priority code,
    notes and the vendor's order number (unique per vendor; the studio's number never changes);
    and, kept in its history with ``updated_by``, its order type, order date, entered by and
    completed by (``production.order_edits``: the rules, and what a new type does to the status).
    Status, department and user change through the status engine. A stale ``expected_version``
    is a Conflict; nothing is written."""
    unknown = sorted(set(fields) - UPDATABLE - order_edits.EDITABLE)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    changes: dict[str, Any] = {}
    if "vendor_invoice_amount" in fields:
        changes["vendor_invoice_amount"] = _amount(fields["vendor_invoice_amount"])
    if "priority_code" in fields:
        code = fields["priority_code"]
        if code is not None and not isinstance(code, PriorityCode):
            raise ValidationError({"priority_code": "Choose a priority code."})
        if code is not None and code.is_inactive and code.pk != order.priority_code_id:
            raise ValidationError({"priority_code": f"“{code}” is inactive; choose another."})
        changes["priority_code"] = code
    for name in ("studio_notes", "vendor_notes"):
        if name in fields:
            value = fields[name] if fields[name] is not None else ""
            if not isinstance(value, str) or "\x00" in value:
                raise ValidationError({name: "Notes are plain text."})
            changes[name] = value
    with transaction.atomic():
        if "vendor_number" in fields:
            changes["vendor_number"] = vendor_number_change(order, fields["vendor_number"])
        if _edit_order(order, expected_version, fields, changes, updated_by):
            return order
        _bump(order, expected_version, changes)
    return order


def _edit_order(
    order: ProductionOrder,
    expected_version: int,
    fields: dict[str, Any],
    other: dict[str, Any],
    updated_by: AbstractBaseUser | None,
) -> bool:
    """The order's type, date and people, when given and changed: checked against the order as
    stored, written with ``other`` and kept in its history. False when there is nothing of
    theirs to write (the caller writes ``other`` alone)."""
    given = {name: fields[name] for name in order_edits.EDITABLE & set(fields)}
    if not given:
        return False
    fresh = (
        ProductionOrder.objects.select_for_update(of=("self",))
        .select_related("order_type", "entered_by", "completed_by")
        .get(pk=order.pk)
    )
    if fresh.version != expected_version:
        raise Conflict(
            "This production order was changed by someone else since you opened it. "
            "Reload it to see their change, then make yours again."
        )
    edits = order_edits.plan_order_edits(order=fresh, fields=given)
    if not edits:
        return False
    if edits.order_type is not None:
        try:
            _check_cycles([edits.order_type])
        except DarkroomError as exc:  # the new type's cycle can't take the order yet
            raise ValidationError({"order_type": exc.message}) from None
    if updated_by is None:
        raise ValidationError("Say who made the edit: it is kept in the order's history.")
    order_edits.write_order_edits(
        order=fresh,
        expected_version=expected_version,
        other=other,
        edits=edits,
        updated_by=updated_by,
    )
    for model_field in ProductionOrder._meta.concrete_fields:
        setattr(order, model_field.attname, getattr(fresh, model_field.attname))
    return True
