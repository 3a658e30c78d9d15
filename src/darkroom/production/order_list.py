"""The all-orders list: every production and proof order, open and finished, a page at a time.

Why it is shaped this way: the hub (``hub/selectors.py``) reads open orders only, through
partial indexes; this list reads the history too (a million orders, most finished), so:

* Pages are by *keyset* on the order date and id (newest first, or oldest first): a page
  starts after the last row of the one before (an opaque cursor), read through the indexes
  of orders by (order date, id) (``production/migrations/0009_order_list_indexes.py``), by
  vendor, by status, by client. Page 400 costs what page 1 does. Nothing counts the orders.
* Production and proof orders live in two tables: each is asked for ``limit + 1`` rows after
  the cursor and the two are merged here (by kind on a tie).
* A search with a digit is an order number (equal); other text is a client's
  name (``hub.search.clients_named``: each word starts the first or last name).
* The export walks the same query in chunks (``iter_orders``): memory stays flat however many.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import heapq
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from darkroom.hub.search import clients_named
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.selectors import OrderRow, order_rows

PRODUCTION, PREPRODUCTION = "production", "preproduction"
KIND_RANK = {PRODUCTION: 0, PREPRODUCTION: 1}
STATES = ("all", "open", "finished")
KINDS = ("all", PRODUCTION, PREPRODUCTION)
SORTS = ("-order_date", "order_date")
PROOFS_TYPE = "proofs"  # the order "type" of proof orders in the filter
MAX_LIMIT = 500
CHUNK = 2000


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
        raise ValidationError({"sort": ["Sort by order_date or -order_date."]})
    if f.ordered_from and f.ordered_to and f.ordered_from > f.ordered_to:
        raise ValidationError({"ordered_to": ["The last day is before the first."]})
    if len(f.q) > 100:
        raise ValidationError({"q": ["Search for at most 100 characters."]})


def _name_condition(q: str, named: tuple[int, ...] | None, client_field: str) -> Q:
    if named is not None:
        return Q(**{f"{client_field}__in": named})
    # More clients than a list of ids holds: each word starts the first or last name.
    condition = Q()
    for word in q.split():
        condition &= Q(**{f"{client_field}__first_name__istartswith": word}) | Q(
            **{f"{client_field}__last_name__istartswith": word}
        )
    return condition


def _search(q: str, named: tuple[int, ...] | None, client_field: str) -> Q:
    """A text with a digit is an order number, found whole through the index of numbers (a
    prefix would read the history in date order looking for it); other text is a name."""
    if any(c.isdigit() for c in q):
        return Q(number=q)
    return _name_condition(q, named, client_field)


def _queryset(kind: str, f: OrderListFilter, named: tuple[int, ...] | None) -> QuerySet[Any]:
    production = kind == PRODUCTION
    client_field = "client_id" if production else "session__client_id"
    if production:
        orders: QuerySet[Any] = ProductionOrder.objects.select_related(
            "vendor", "order_type", "status", "client", "invoice"
        )
        types = [t for t in f.order_types if t != PROOFS_TYPE]
        if types:
            orders = orders.filter(order_type_id__in=types)
        if f.invoice is not None:
            orders = orders.filter(invoice_id=f.invoice)
        if f.session is not None:
            orders = orders.filter(invoice__session_id=f.session)
    else:
        orders = PreproductionOrder.objects.select_related("vendor", "status", "session__client")
        if f.session is not None:
            orders = orders.filter(session_id=f.session)
    if f.state == "open":
        orders = orders.filter(completed_date__isnull=True)
    elif f.state == "finished":
        orders = orders.filter(completed_date__isnull=False)
    if f.statuses:
        orders = orders.filter(status_id__in=f.statuses)
    if f.vendors:
        orders = orders.filter(vendor_id__in=f.vendors)
    if f.ordered_from:
        orders = orders.filter(order_date__gte=f.ordered_from)
    if f.ordered_to:
        orders = orders.filter(order_date__lte=f.ordered_to)
    if f.client is not None:
        orders = orders.filter(**{client_field: f.client})
    if f.q.strip():
        orders = orders.filter(_search(f.q.strip(), named, client_field.removesuffix("_id")))
    desc = f.sort.startswith("-")
    return orders.order_by(*(("-order_date", "-id") if desc else ("order_date", "id")))


# -- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    order_date: dt.date
    id: int
    kind: str


def _encode(sort: str, at: Position) -> str:
    text = json.dumps({"s": sort, "d": at.order_date.isoformat(), "id": at.id, "k": at.kind})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _bad_cursor() -> ValidationError:
    return ValidationError(
        {"cursor": ["This cursor is not one the list gave: start from the first page."]}
    )


def decode_cursor(cursor: str | None, sort: str) -> Position | None:
    if not cursor:
        return None
    if len(cursor) > 500 or not cursor.isascii():
        raise _bad_cursor()
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not isinstance(data, dict) or set(data) != {"s", "d", "id", "k"}:
            raise ValueError
        if data["s"] != sort or data["k"] not in KIND_RANK:
            raise ValueError
        if type(data["id"]) is not int or not 0 < data["id"] < 2**62:
            raise ValueError
        if not isinstance(data["d"], str) or len(data["d"]) != 10:
            raise ValueError
        return Position(dt.date.fromisoformat(data["d"]), data["id"], data["k"])
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError):
        raise _bad_cursor() from None


def _after(kind: str, at: Position, desc: bool) -> Q:
    """Rows after ``at``: (order date, id) beyond it; on the same date and id the table that
    comes later (production first)."""
    beyond = "lt" if desc else "gt"
    same_id_too = (
        KIND_RANK[kind] > KIND_RANK[at.kind] if not desc else KIND_RANK[kind] < KIND_RANK[at.kind]
    )
    on_day = Q(order_date=at.order_date) & (
        Q(**{f"id__{beyond}{'e' if same_id_too else ''}": at.id})
    )
    # The plain bound beside the exact condition: both databases start the index range at it.
    start = Q(**{f"order_date__{beyond}e": at.order_date})
    return start & (Q(**{f"order_date__{beyond}": at.order_date}) | on_day)


def _key(desc: bool) -> Any:
    def key(order: Any) -> tuple[Any, ...]:
        rank = KIND_RANK[PRODUCTION if isinstance(order, ProductionOrder) else PREPRODUCTION]
        ordinal, pk = order.order_date.toordinal(), order.pk
        return (-ordinal, -pk, -rank) if desc else (ordinal, pk, rank)

    return key


@dataclass(frozen=True)
class OrderListPage:
    rows: list[OrderRow]
    next_cursor: str | None


def _named(f: OrderListFilter) -> tuple[int, ...] | None:
    return clients_named(f.q.strip()) if f.q.strip() else None


def order_list_page(
    f: OrderListFilter,
    *,
    cursor: str | None = None,
    limit: int = 50,
    today: dt.date | None = None,
) -> OrderListPage:
    """A page of the orders ``f`` asks for after ``cursor`` (None: the first page).

    One query per kind of order the filter can find, one for a search by name, one for the
    calendar key (the projected completions): never one per order, and nothing is counted.
    """
    check_filter(f)
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Show from 1 to {MAX_LIMIT} orders a page."]})
    at = decode_cursor(cursor, f.sort)
    desc = f.sort.startswith("-")
    named = _named(f)
    tables = []
    for kind in f.kinds():
        orders = _queryset(kind, f, named)
        if at is not None:
            orders = orders.filter(_after(kind, at, desc))
        tables.append(list(orders[: limit + 1]))
    found = list(heapq.merge(*tables, key=_key(desc)))
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = shown[-1]
        kind = PRODUCTION if isinstance(last, ProductionOrder) else PREPRODUCTION
        next_cursor = _encode(f.sort, Position(last.order_date, last.pk, kind))
    return OrderListPage(rows=order_rows(shown, today=today), next_cursor=next_cursor)


def iter_orders(f: OrderListFilter, *, today: dt.date | None = None) -> Iterator[OrderRow]:
    """Every order ``f`` asks for, in the list's order, a chunk of pages at a time (the
    export): memory holds one chunk, whatever the number of orders."""
    cursor = None
    while True:
        page = order_list_page(f, cursor=cursor, limit=MAX_LIMIT, today=today)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
