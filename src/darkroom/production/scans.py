"""The scan station: an order number read by a barcode scanner, looked up or moved on.

A scanner types the number and Enter, dozens of times in a row, so a scan never stops the batch:
every scan ends in a :class:`ScanOutcome` (found, moved on, or why not, in plain words), never in
an exception. Moving an order on goes through the bulk status service with one record, so a scan
obeys exactly the rules of the status-change dialog and writes the same history.

A number is the studio's, unique across production and proof orders (one count gives both,
``production/numbers.py``), so a scan names one order of either kind; a proof order moves on
through its own cycle like a production order through its type's. A leading "#" is ignored (a
number typed from a screen). A vendor's own number is not looked up: it is unique per vendor
only, and no barcode carries it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.models import Status
from darkroom.tracking.services import BulkItem, BulkRefused, status_change_bulk

LONGEST_NUMBER = ProductionOrder._meta.get_field("number").max_length or 20
# What a Code 128 order number can hold: letters, digits and a few separators.
NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*")
SHOWN = 24  # characters of an unreadable scan repeated back in a message


@dataclass(frozen=True)
class ScanOutcome:
    """What one scan did: the order it found (if one) and, when it moved on, from → to."""

    code: str  # the scan as read, trimmed (shortened when it is not a number at all)
    ok: bool
    message: str
    order: ProductionOrder | PreproductionOrder | None = None
    from_status: Status | None = None
    to_status: Status | None = None
    due_date: dt.date | None = None


class Unreadable(Exception):
    """A scan that can't be an order number; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}…"


def scan_read(raw: str | None) -> str:
    """The order number in a scan (surrounding whitespace dropped), or :class:`Unreadable`."""
    code = (raw or "").strip().removeprefix("#").strip()
    if not code:
        raise Unreadable("Nothing was scanned: scan or type an order number.")
    if not NUMBER_PATTERN.fullmatch(code):
        raise Unreadable(
            f"“{_shown(code)}” is not an order number: "
            "order numbers have only letters, digits and - . / _"
        )
    if len(code) > LONGEST_NUMBER:
        raise Unreadable(
            f"“{_shown(code)}” is too long for an order number "
            f"(at most {LONGEST_NUMBER} characters)."
        )
    return code


def client_of(order: ProductionOrder | PreproductionOrder) -> Any:
    """The order's client (a proof order's is its session's)."""
    return order.session.client if isinstance(order, PreproductionOrder) else order.client


def kind_of(order: ProductionOrder | PreproductionOrder) -> str:
    """What the station calls the order: "Order 1042" or "Proof order 1043"."""
    return "Proof order" if isinstance(order, PreproductionOrder) else "Order"


def _find(code: str) -> ProductionOrder | PreproductionOrder | ScanOutcome:
    """The one order with this number (each table's unique index answers), or the outcome
    saying there is none."""
    found: list[ProductionOrder | PreproductionOrder] = [
        *ProductionOrder.objects.select_related(
            "client", "vendor", "order_type", "status", "invoice"
        ).filter(number=code),
        *PreproductionOrder.objects.select_related("session__client", "vendor", "status").filter(
            number=code
        ),
    ]
    if not found:
        return ScanOutcome(code=code, ok=False, message=f"No order has number {code}.")
    if len(found) > 1:  # only numbers typed into the database by hand could do this
        message = f"{len(found)} orders have number {code}: open them from the list."
        return ScanOutcome(code=code, ok=False, message=message)
    return found[0]


def _read_and_find(raw: str | None) -> ProductionOrder | PreproductionOrder | ScanOutcome:
    try:
        code = scan_read(raw)
    except Unreadable as exc:
        return ScanOutcome(code=_shown((raw or "").strip()), ok=False, message=exc.message)
    return _find(code)


def scan_look_up(*, raw: str | None) -> ScanOutcome:
    """Find the order a scan names (the station then opens its page)."""
    found = _read_and_find(raw)
    if isinstance(found, ScanOutcome):
        return found
    status = f" — {found.status}" if found.status_id else " — not started"
    return ScanOutcome(
        code=found.number or "",
        ok=True,
        message=(
            f"{kind_of(found)} {found.number}: {client_of(found).name}, {found.vendor}{status}."
        ),
        order=found,
        from_status=found.status,
    )


def scan_advance(
    *, raw: str | None, by: AbstractBaseUser, to_status: Status | None = None
) -> ScanOutcome:
    """Move the scanned order to its next status (or to ``to_status``); nothing changes when
    the scan is refused, and the outcome says why."""
    found = _read_and_find(raw)
    if isinstance(found, ScanOutcome):
        return found
    order, code = found, found.number or ""
    noun = kind_of(order)

    def refused(message: str) -> ScanOutcome:
        return ScanOutcome(
            code=code, ok=False, message=message, order=order, from_status=order.status
        )

    if order.status_id is None:
        return refused(f"{noun} {code} has not started its status cycle yet: open it to start it.")
    if order.status.is_final:
        # Reopening a finished order is a decision for the status dialog, not a conveyor belt.
        return refused(f"{noun} {code} is already final (“{order.status}”).")
    if to_status is not None and to_status.cycle_id != order.status.cycle_id:
        cycle = order.order_type if isinstance(order, ProductionOrder) else "proofs"
        return refused(
            f"{noun} {code} follows another cycle ({cycle}): "
            f"“{to_status}” is not one of its statuses."
        )
    try:
        [outcome] = status_change_bulk(
            model=type(order),
            items=[BulkItem(order.pk, None)],
            updated_by=by,
            to_status=to_status,
        )
    except BulkRefused as exc:
        return refused(f"{noun} {code}: {exc.outcomes[0].message}")
    except ValidationError as exc:  # input wrong for any record; none is sent from here
        return refused(f"{noun} {code}: {' '.join(exc.messages)}")
    return ScanOutcome(
        code=code,
        ok=True,
        message=f"{noun} {code}: {outcome.message}.",
        order=order,
        from_status=outcome.from_status,
        to_status=outcome.to_status,
        due_date=outcome.due_date,
    )
