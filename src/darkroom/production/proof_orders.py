"""Changing what the studio records on a proof (preproduction) order after it was sent.

The lab's number arrives by email, its bill a week later: ``preproduction_order_update`` sets the
order number, the preproduction cost (what the vendor charged, ``vendor_invoice_amount``) and
the notes. The status, its due date and who holds it change through the status engine, never
here. The form or API call carries the version it read: a change saved meanwhile by someone
else is a Conflict and nothing is written.

A number is unique per vendor across its proof orders and its production orders: both draw on
the vendor's one counter, and the vendor knows an order only by its number.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.errors import Conflict, duplicate_value
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.services import _amount, _locked_vendors, _number

PROOF_UPDATABLE = frozenset({"number", "vendor_invoice_amount", "notes"})
NOTES_LENGTH = 5000


def _number_in_use(order: PreproductionOrder, number: str) -> bool:
    proofs = PreproductionOrder.objects.filter(vendor_id=order.vendor_id, number=number)
    orders = ProductionOrder.objects.filter(vendor_id=order.vendor_id, number=number)
    return proofs.exclude(pk=order.pk).exists() or orders.exists()


def _notes(value: object) -> str:
    text = "" if value is None else value
    if not isinstance(text, str) or "\x00" in text:
        raise ValidationError({"notes": "Notes are plain text."})
    if len(text) > NOTES_LENGTH:
        raise ValidationError({"notes": f"Notes have at most {NOTES_LENGTH:,} characters."})
    return text.strip()


def preproduction_order_update(
    *, order: PreproductionOrder, expected_version: int, **fields: Any
) -> PreproductionOrder:
    """Set a proof order's ``number``, ``vendor_invoice_amount`` (the preproduction cost, not
    negative, two decimals at most; None: not known yet) and ``notes``; only the fields given.

    ``expected_version`` is the version the person saw; a stale one is a Conflict.
    """
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"expected_version": "The version is a whole number."})
    unknown = sorted(set(fields) - PROOF_UPDATABLE)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    changes: dict[str, Any] = {}
    if "vendor_invoice_amount" in fields:
        changes["vendor_invoice_amount"] = _amount(fields["vendor_invoice_amount"])
    if "notes" in fields:
        changes["notes"] = _notes(fields["notes"])
    with transaction.atomic():
        if "number" in fields:
            number = _number(fields["number"])
            _locked_vendors([order.vendor_id])  # two people giving the same number: one waits
            if number is not None and _number_in_use(order, number):
                taken = f"“{order.vendor}” already has an order numbered {number}."
                raise ValidationError({"number": duplicate_value(taken)})
            changes["number"] = number
        written = PreproductionOrder.objects.filter(pk=order.pk, version=expected_version).update(
            **changes, version=F("version") + 1
        )
        if not written:
            raise Conflict(
                "This proof order was changed by someone else since you opened it. "
                "Reload it to see their change, then make yours again."
            )
    for name, value in changes.items():
        setattr(order, name, value)
    order.version = expected_version + 1
    return order
