"""What every write of an order checks before it writes: the order date, that the vendor is
active, that an order type's status cycle can start an order, an amount of money as typed.

Apart because creation, changes, reorders and proof orders all ask the same questions and must
answer them in the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.errors import DarkroomError
from darkroom.studio.calendar.cache import calendar_now
from darkroom.tracking.models import Cycle, CycleKind, cycle_scope
from darkroom.tracking.status_rows import steps_of


def _order_date(value: dt.date | None) -> dt.date:
    """The order date (default the studio's today); an order isn't placed in the future.

    Today comes from the calendar key (one small query the status engine makes anyway)."""
    today = calendar_now().today
    if value is None:
        return today
    if type(value) is not dt.date:
        raise ValidationError({"order_date": "Give a date (YYYY-MM-DD)."})
    if value > today:
        raise ValidationError(
            {"order_date": f"The order date can't be after today ({today:%Y-%m-%d})."}
        )
    return value


def _active_vendor(vendor: Vendor, field: str = "vendor") -> None:
    if vendor.is_inactive:
        raise ValidationError({field: f"“{vendor}” is inactive; choose an active vendor."})


def _cycle_problems(order_types: Iterable[ProductionOrderType]) -> dict[int, DarkroomError]:
    """The order types (by id) whose cycle can't start an order yet, and why.

    One query for the cycles; their steps come from the status engine's per-process cache, read
    again only when a cycle's version moved.
    """
    kinds = {kind.pk: kind for kind in order_types}
    scopes = {cycle_scope(CycleKind.PRODUCTION, pk, None): pk for pk in kinds}
    cycles = {cycle.scope: cycle for cycle in Cycle.objects.filter(scope__in=scopes)}
    problems: dict[int, DarkroomError] = {}
    for scope, pk in scopes.items():
        cycle = cycles.get(scope)
        if cycle is None:
            what, code = "no status cycle", "no_cycle"
        elif any(s.is_initial and not s.is_inactive for s in steps_of(cycle.pk, cycle.version)):
            continue
        else:
            what, code = "no initial status", "no_initial"
        problems[pk] = DarkroomError(
            f"The order type “{kinds[pk]}” has {what} yet: add its statuses first.", code=code
        )
    return problems


def _check_cycles(order_types: Iterable[ProductionOrderType]) -> None:
    """Every order type must have a cycle with an initial status, or no order is made."""
    for problem in _cycle_problems(order_types).values():
        raise problem


def _amount(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
        raise ValidationError(
            {"vendor_invoice_amount": "Give an amount like 12.50 (two decimals at most)."}
        )
    if amount < 0:
        raise ValidationError({"vendor_invoice_amount": "The amount must not be negative."})
    if amount >= Decimal("10000000000"):
        raise ValidationError({"vendor_invoice_amount": "The amount is too large."})
    return amount
