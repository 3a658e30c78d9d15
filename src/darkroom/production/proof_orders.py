"""Changing what the studio records on a proof (preproduction) order after it was sent.

The lab's number arrives by email, its bill a week later: ``preproduction_order_update`` sets
the vendor's order number, the preproduction cost (what the vendor charged,
``vendor_invoice_amount``) and the notes. The status, its due date and who holds it change
through the status engine, never here. The form or API call carries the version it read: a
change saved meanwhile by someone else is a Conflict and nothing is written.

The vendor's number is unique per vendor across its proof orders and its production orders:
both draw on the vendor's one counter, and the vendor knows an order only by its number. The
studio's own number (``number``, studio-wide) is given when the order is made and never changes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.errors import Conflict
from darkroom.production.models import PreproductionOrder
from darkroom.production.services import _amount, vendor_number_change

PROOF_UPDATABLE = frozenset({"vendor_number", "vendor_invoice_amount", "notes"})
NOTES_LENGTH = 5000


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
    """Set a proof order's ``vendor_number``, ``vendor_invoice_amount`` (the preproduction cost, not
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
        if "vendor_number" in fields:
            changes["vendor_number"] = vendor_number_change(order, fields["vendor_number"])
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
