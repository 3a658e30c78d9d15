"""What the all-orders list is asked for: the filter and its checks, the sorts and the kinds of
order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

PRODUCTION, PREPRODUCTION = "production", "preproduction"
KIND_RANK = {PRODUCTION: 0, PREPRODUCTION: 1}
STATES = ("all", "open", "finished")
KINDS = ("all", PRODUCTION, PREPRODUCTION)
# key -> what it sorts by, in words; "-key" sorts the other way.
SORT_KEYS = {
    "number": "order number",
    "client": "client",
    "type": "order type",
    "vendor": "vendor",
    "order_date": "order date",
    "status": "status",
    "due": "due date",
    "completed": "date finished",
}
SORTS = tuple(sort for key in SORT_KEYS for sort in (key, f"-{key}"))
COLUMNS = {  # the sorts by a column of the order's own
    "number": "number",
    "order_date": "order_date",
    "due": "status_due_date",
    "completed": "completed_date",
}
CAN_BE_EMPTY = {"number", "due", "completed"}
DATES = {"order_date", "due", "completed"}
PROOFS_TYPE = "proofs"  # the order "type" of proof orders in the filter
MAX_LIMIT = 500


@dataclass(frozen=True)
class OrderListFilter:
    """What the list shows. Empty tuples: no narrowing. ``order_types`` may hold
    ``PROOFS_TYPE`` for proof orders; with only production types, no proof order is shown."""

    state: str = "all"
    kind: str = "all"  # "all" | "production" | "preproduction"
    statuses: tuple[int, ...] = ()
    order_types: tuple[int | str, ...] = ()
    vendors: tuple[int, ...] = ()
    ordered_from: dt.date | None = None
    ordered_to: dt.date | None = None
    q: str = ""
    client: int | None = None
    session: int | None = None
    invoice: int | None = None
    sort: str = "-order_date"
    _named: tuple[int, ...] | None = field(default=None, compare=False, repr=False)

    def kinds(self) -> list[str]:
        kinds = [PRODUCTION, PREPRODUCTION] if self.kind == "all" else [self.kind]
        types = [t for t in self.order_types if t != PROOFS_TYPE]
        if self.order_types and PROOFS_TYPE not in self.order_types:
            kinds = [k for k in kinds if k != PREPRODUCTION]
        if self.order_types and not types:
            kinds = [k for k in kinds if k != PRODUCTION]
        if self.invoice is not None:
            kinds = [k for k in kinds if k != PREPRODUCTION]  # an invoice's are production
        return kinds


def check_filter(f: OrderListFilter) -> None:
    """Bad values are a ValidationError keyed by the parameter, nothing read."""
    if f.state not in STATES:
        raise ValidationError({"state": ["Choose open, finished or all."]})
    if f.kind not in KINDS:
        raise ValidationError({"kind": ["Choose production, preproduction or all."]})
    if f.sort not in SORTS:
        shown = f.sort[:40]
        raise ValidationError(
            {
                "sort": [
                    f"Unknown sort “{shown}”: sort by {', '.join(SORT_KEYS)} (“-” before one "
                    "sorts the other way)."
                ]
            }
        )
    if f.ordered_from and f.ordered_to and f.ordered_from > f.ordered_to:
        raise ValidationError({"ordered_to": ["The last day is before the first."]})
    if len(f.q) > 100:
        raise ValidationError({"q": ["Search for at most 100 characters."]})
