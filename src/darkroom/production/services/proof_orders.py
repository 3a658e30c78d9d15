"""Proof (preproduction) orders: sending a session's proofs out to a vendor, and changing what
the studio records on the order after it was sent.

``preproduction_order_create`` makes the order at the vendor, started in the preproduction
cycle, with the studio's next order number and the vendor's own number (typed, or the next one
of a vendor that auto-assigns them).

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

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.catalog.models import Vendor
from darkroom.clients.models import Session
from darkroom.errors import Conflict, duplicate_value
from darkroom.production.models import PreproductionOrder
from darkroom.production.numbers import order_numbers_take
from darkroom.production.services.checks import _active_vendor, _amount, _order_date
from darkroom.production.services.vendor_numbers import (
    _locked_vendors,
    _number,
    _take_numbers,
    vendor_number_change,
    vendor_number_taken,
)
from darkroom.tracking.services import record_start

PROOF_UPDATABLE = frozenset({"vendor_number", "vendor_invoice_amount", "notes"})
NOTES_LENGTH = 5000


def preproduction_order_create(
    *,
    session: Session,
    vendor: Vendor,
    by: User,
    vendor_number: str | None = None,
    order_date: dt.date | None = None,
    notes: str = "",
) -> PreproductionOrder:
    """Send a session's proofs out: an order at ``vendor``, started in the preproduction cycle.

    The order takes the studio's next order number. ``vendor_number`` is the vendor's own number
    (unique per vendor); without one, a vendor that auto-assigns numbers gives its next one.
    """
    _active_vendor(vendor)
    placed = _order_date(order_date)
    given = _number(vendor_number)
    if not isinstance(notes, str) or "\x00" in notes:
        raise ValidationError({"notes": "Notes are plain text."})
    with transaction.atomic():
        locked = _locked_vendors([vendor.pk])[vendor.pk]
        if given is None and locked.auto_assigns_numbers:
            given = _take_numbers(locked, 1)[0]
        elif given is not None and vendor_number_taken(locked.pk, given):
            taken = f"“{locked}” already has an order with its number {given}."
            raise ValidationError({"vendor_number": duplicate_value(taken)})
        order = PreproductionOrder(
            session=session,
            vendor=locked,
            number=order_numbers_take(1)[0],
            vendor_number=given,
            order_date=placed,
            entered_by=by,
            notes=notes.strip(),
        )
        order.save(force_insert=True)
        record_start(record=order, started_on=placed, by=by)
    return order


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
