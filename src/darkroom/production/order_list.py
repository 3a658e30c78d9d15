"""The all-orders list: every production and proof order, open and finished, a page at a time.

Why it is shaped this way: the hub (``hub/selectors/``) reads open orders only, through
partial indexes; this list reads the history too (a million orders, most finished), so every
sort reads an index in its own order, from the page's cursor, and stops when the page is full
(``production/migrations/0009_order_list_indexes.py`` and ``0011_order_list_sorts.py``).
Page 400 costs what page 1 does, and nothing counts the orders.

* Pages are by *keyset*: a page starts after the last row of the one before (its sort values,
  id and kind, in an opaque cursor). Every sort ends on the id, so ties neither repeat nor
  skip an order; orders with no value (a finished order's due date, an open order's completed
  date, an order not started in its cycle) come last whichever the direction.
* By a column of the order (number, order date, due date, completed date): the orders with a
  value, read through the index of (column, id), then the empty ones through the same index.
  The number sorts as a number ("9" before "10": ``production.numbers.number_order_sql``).
* By a vendor, order type or status: their names are few, so they are put in order here, and
  each one's orders are read in id order (an index of the reference and the id) until the
  page is full. Proof orders are one type, "Proofs", among the order types' names.
* By client: the clients are read in name order a batch at a time (their index of names), and
  the batch's orders through the index of orders by client.
* Production and proof orders live in two tables: each is asked for what the page still needs
  and the two are merged here, by kind on a tie (production first).
* A search with a digit is an order number: the studio's, as a prefix ("48" finds 48, 480,
  4812; a leading "#" is ignored), or the vendor's own number, equal. Other text is a client's
  name (``hub.search.clients_named``: each word starts the first or last name).
* The export walks the same query in chunks (``iter_orders``): memory stays flat however many.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)
from django.db.models.functions import Collate

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.clients.models import Client, Invoice, Session
from darkroom.hub.search import _just_after, clients_named
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_sql
from darkroom.production.selectors import PROOFS, OrderRow, order_rows
from darkroom.tracking.models import CycleKind, Status

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
CHUNK = 2000
FIRST_BATCH, LAST_BATCH = 100, 3200  # clients read at a time, sorting by client


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


# -- the search ----------------------------------------------------------------------------------


def _is_number(q: str) -> bool:
    return any(c.isdigit() for c in q)


def _bytewise(expression: Any) -> Any:
    """Text compared byte by byte on both databases (SQLite's BINARY, PostgreSQL's "C"), as the
    hub compares it: the order Python's ``<`` gives."""
    return Collate(expression, "C") if connection.vendor == "postgresql" else expression


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


def _number_starts(prefix: str) -> Q:
    """The studio's number starts with ``prefix``: a range of the numbers compared byte by
    byte (which an index answers on both databases: SQLite's unique index of numbers,
    PostgreSQL's of the numbers "C"), and the test itself."""
    condition = Q(number_bytes__gte=prefix, number__startswith=prefix)
    high = _just_after(prefix)
    return condition & Q(number_bytes__lt=high) if high is not None else condition


def _search(q: str, named: tuple[int, ...] | None, client_field: str) -> Q:
    """A text with a digit is an order number: the studio's, by its start, or the vendor's,
    whole (each through an index); other text is a name."""
    if _is_number(q):
        number = q.strip().removeprefix("#").strip()
        return _number_starts(number) | Q(vendor_number=number)
    return _name_condition(q, named, client_field)


# -- the orders a filter finds, per table --------------------------------------------------------


class NumberOrder(Func):
    """The order number's sort key (``production.numbers.number_order_sql``)."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        return number_order_sql(column, connection.vendor), params


class Unindexed(Func):
    """A column SQLite is to test row by row, not look up in an index (its unary "+"): SQLite,
    without statistics, takes "completed_date IS NULL" for a handful of rows and would read
    every open order through that index, then sort them, rather than walk the sort's index."""

    arity = 1

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        return (f"(+{column})" if connection.vendor == "sqlite" else column), params


def _queryset(kind: str, f: OrderListFilter, named: tuple[int, ...] | None) -> QuerySet[Any]:
    """The orders of one table ``f`` finds, in no order yet. Their ids only are read in the
    sort's order (``_load`` reads the page's orders whole): a query of one table, with no join
    to lead a planner without statistics (SQLite's) away from the index of the sort."""
    production = kind == PRODUCTION
    client_field = "client_id" if production else "session__client_id"
    if production:
        orders: QuerySet[Any] = ProductionOrder.objects.all()
        types = [t for t in f.order_types if t != PROOFS_TYPE]
        if types:
            orders = orders.filter(order_type_id__in=types)
        if f.invoice is not None:
            orders = orders.filter(invoice_id=f.invoice)
        if f.session is not None:
            orders = orders.filter(invoice__session_id=f.session)
    else:
        orders = PreproductionOrder.objects.all()
        if f.session is not None:
            orders = orders.filter(session_id=f.session)
    if f.state != "all":
        orders = orders.alias(done=Unindexed(F("completed_date")))
        orders = orders.filter(done__isnull=f.state == "open")
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
        if _is_number(f.q):
            orders = orders.alias(number_bytes=_bytewise(F("number")))
        orders = orders.filter(_search(f.q.strip(), named, client_field.removesuffix("_id")))
    key = f.sort.removeprefix("-")
    if key in COLUMNS:
        value = NumberOrder("number") if key == "number" else F(COLUMNS[key])
        orders = orders.annotate(sort_value=value)
    return orders.order_by()


# -- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last row's sort values, id and kind. The values: the column's
    (None: empty) for a sort by a column; the name and id of the vendor, order type or status
    (none: no status yet); the client's last and first names and id."""

    values: tuple[Any, ...]
    id: int
    kind: str


def _encode(sort: str, at: Position) -> str:
    return cursor_text(sort, at.values, at.id, at.kind)


def _bad_cursor(why: str) -> ValidationError:
    return ValidationError(
        {"cursor": [f"This cursor is not one the list gave ({why}): start from the first page."]}
    )


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 200 or "\x00" in value:
        raise ValueError
    return value


def _pk(value: Any) -> int:
    if type(value) is not int or not 0 <= value < 2**62:
        raise ValueError
    return value


def _values(key: str, values: list[Any]) -> tuple[Any, ...]:
    """A cursor's sort values, checked against the sort's shape (ValueError if not)."""
    if key in COLUMNS:
        (value,) = values
        if value is None:
            if key not in CAN_BE_EMPTY:
                raise ValueError
            return (None,)
        if key in DATES:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return (dt.date.fromisoformat(value),)
        return (_text(value),)
    if key == "client":
        last, first, pk = values
        return (_text(last), _text(first), _pk(pk))
    if key == "status" and values == []:
        return ()
    name, pk = values
    return (_text(name), _pk(pk))


def decode_cursor(cursor: str | None, sort: str) -> Position | None:
    """The position a cursor names, checked strictly (ValidationError {"cursor": …})."""
    data = cursor_envelope(cursor, sort, _bad_cursor)
    if data is None:
        return None
    if type(data["id"]) is not int or not 0 < data["id"] < 2**62 or data["k"] not in KIND_RANK:
        raise _bad_cursor("it is malformed")
    if not isinstance(data["v"], list):
        raise _bad_cursor("it is malformed")
    try:
        values = _values(sort.removeprefix("-"), data["v"])
    except (ValueError, TypeError):
        raise _bad_cursor("it is malformed") from None
    return Position(values, data["id"], data["k"])


def _id_after(kind: str, at: Position, desc: bool) -> Q:
    """Orders of ``kind`` after ``at`` among those with its sort values: by id, and on the
    same id the table that comes later (production first)."""
    rank, at_rank = KIND_RANK[kind], KIND_RANK[at.kind]
    inclusive = rank < at_rank if desc else rank > at_rank
    return Q(**{f"id__{'lt' if desc else 'gt'}{'e' if inclusive else ''}": at.id})


def _row_after(kind: str, at: Position, desc: bool) -> Any:
    """(sort value, id) beyond the cursor's, as one row comparison: PostgreSQL starts its index
    range exactly there (an OR of the two had it read every order from the value on and sort
    them); SQLite is given the same test spelled out (Django writes it so)."""
    rank, at_rank = KIND_RANK[kind], KIND_RANK[at.kind]
    inclusive = rank < at_rank if desc else rank > at_rank
    lookup = {
        (False, False): TupleGreaterThan,
        (False, True): TupleGreaterThanOrEqual,
        (True, False): TupleLessThan,
        (True, True): TupleLessThanOrEqual,
    }[desc, inclusive]
    return lookup(Tuple(F("sort_value"), F("id")), (at.values[0], at.id))


Found = tuple[tuple[Any, ...], int, str]  # (an order's sort values, its id, its kind)


def _ordered(rows: list[Found], desc: bool) -> list[Found]:
    """Rows in the list's order: by their sort values, then id, then kind (production first);
    all of it the other way when ``desc``. (Only rows with values alike, or empty alike, are
    compared: empty values never are.)"""

    def compare(a: Found, b: Found) -> int:
        x, y = (a[0], a[1], KIND_RANK[a[2]]), (b[0], b[1], KIND_RANK[b[2]])
        order = 0 if x == y else 1 if x > y else -1
        return -order if desc else order

    return sorted(rows, key=functools.cmp_to_key(compare))


# -- by a column of the order --------------------------------------------------------------------


def _by_column(
    tables: dict[str, QuerySet[Any]], key: str, desc: bool, at: Position | None, need: int
) -> list[Found]:
    """The orders with a value, in its order (a walk of the index of (column, id) of the orders
    with one, per table), then, if the column can be empty, the empty ones by id."""
    sign, beyond = ("-", "lt") if desc else ("", "gt")
    ordering = (f"{sign}sort_value", f"{sign}id")
    found: list[Found] = []
    if at is None or at.values[0] is not None:
        part: list[Found] = []
        for kind, orders in tables.items():
            if key in CAN_BE_EMPTY:  # the column itself: its index holds those with one
                orders = orders.filter(**{f"{COLUMNS[key]}__isnull": False})
            if at is not None:
                value = at.values[0]
                # The plain bound beside the exact condition: both databases start the index
                # range at it.
                orders = orders.filter(
                    Q(**{f"sort_value__{beyond}e": value}), _row_after(kind, at, desc)
                )
            read = orders.order_by(*ordering).values_list("sort_value", "pk")[:need]
            part += [((value,), pk, kind) for value, pk in read]
        found = _ordered(part, desc)[:need]
    if key in CAN_BE_EMPTY and len(found) < need:
        part = []
        for kind, orders in tables.items():
            orders = orders.filter(**{f"{COLUMNS[key]}__isnull": True})
            if at is not None and at.values[0] is None:
                orders = orders.filter(_id_after(kind, at, desc))
            read = orders.order_by(f"{sign}id").values_list("pk", flat=True)[: need - len(found)]
            part += [((None,), pk, kind) for pk in read]
        found += _ordered(part, desc)
    return found[:need]


# -- by a vendor, an order type or a status ------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """The orders of one vendor, order type or status: ``values`` (name and id; none for the
    orders not started in a cycle) place it, ``where`` finds its orders in each table (a
    table with none has no entry) and ``by`` is their reference, to order them as the index
    of (reference, id) is."""

    values: tuple[Any, ...]
    where: dict[str, Q]
    by: str


def _groups(key: str, f: OrderListFilter, kinds: list[str], desc: bool) -> list[Group]:
    """The groups a sort goes through, in its order (the empty one last either way), only the
    ones the filter keeps: one query, of a table of a few dozen rows."""
    groups: list[Group] = []
    empty: list[Group] = []
    if key == "vendor":
        vendors = Vendor.objects.order_by()
        if f.vendors:
            vendors = vendors.filter(pk__in=f.vendors)
        for pk, name in vendors.values_list("pk", "name"):
            groups.append(Group((name, pk), {k: Q(vendor_id=pk) for k in kinds}, "vendor_id"))
    elif key == "type":
        if PRODUCTION in kinds:
            types = ProductionOrderType.objects.order_by()
            chosen = [t for t in f.order_types if t != PROOFS_TYPE]
            if chosen:
                types = types.filter(pk__in=chosen)
            for pk, name in types.values_list("pk", "name"):
                groups.append(Group((name, pk), {PRODUCTION: Q(order_type_id=pk)}, "order_type_id"))
        if PREPRODUCTION in kinds:  # proof orders: one type, "Proofs"
            groups.append(Group((PROOFS, 0), {PREPRODUCTION: Q()}, "id"))
    else:
        statuses = Status.objects.order_by()
        if f.statuses:
            statuses = statuses.filter(pk__in=f.statuses)
        cycles = {CycleKind.PRODUCTION: PRODUCTION, CycleKind.PREPRODUCTION: PREPRODUCTION}
        for pk, name, cycle in statuses.values_list("pk", "description", "cycle__kind"):
            kind = cycles.get(cycle)
            if kind in kinds:
                groups.append(Group((name, pk), {kind: Q(status_id=pk)}, "status_id"))
        if not f.statuses:
            where = {k: Q(status_id__isnull=True) for k in kinds}
            empty.append(Group((), where, "status_id"))
    groups.sort(key=lambda group: group.values, reverse=desc)
    return groups + empty


def _by_group(
    tables: dict[str, QuerySet[Any]],
    groups: list[Group],
    desc: bool,
    at: Position | None,
    need: int,
) -> list[Found]:
    """Each group's orders in id order, group after group from the cursor's, until the page is
    full: a walk of the index of (reference, id) per group and table."""
    sign = "-" if desc else ""
    if at is not None:
        if at.values == ():
            groups = groups[-1:] if groups and groups[-1].values == () else []
        else:
            groups = [
                g
                for g in groups
                if g.values == () or (g.values <= at.values if desc else g.values >= at.values)
            ]
    found: list[Found] = []
    for group in groups:
        part: list[Found] = []
        for kind, where in group.where.items():
            if kind not in tables:
                continue
            orders = tables[kind].filter(where)
            if at is not None and group.values == at.values:
                orders = orders.filter(_id_after(kind, at, desc))
            ordering = [f"{sign}{group.by}", f"{sign}id"] if group.by != "id" else [f"{sign}id"]
            read = orders.order_by(*ordering).values_list("pk", flat=True)[: need - len(found)]
            part += [(group.values, pk, kind) for pk in read]
        found += _ordered(part, desc)[: need - len(found)]
        if len(found) >= need:
            break
    return found


# -- by client -----------------------------------------------------------------------------------


def _clients(f: OrderListFilter, named: tuple[int, ...] | None) -> QuerySet[Any]:
    """The clients whose orders the filter can find (by name, or the one client of its
    scope), with their names to compare byte by byte."""
    clients = Client.objects.order_by()
    q = f.q.strip()
    if q and not _is_number(q):
        if named is not None:
            clients = clients.filter(pk__in=named)
        else:
            for word in q.split():
                clients = clients.filter(
                    Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
                )
    one = f.client
    if f.session is not None:
        one = Session.objects.filter(pk=f.session).values_list("client_id", flat=True).first()
    elif f.invoice is not None:
        one = Invoice.objects.filter(pk=f.invoice).values_list("client_id", flat=True).first()
    if one is not None or f.session is not None or f.invoice is not None:
        clients = clients.filter(pk=one)
    return clients.annotate(last=_bytewise(F("last_name")), first=_bytewise(F("first_name")))


def _client_after(values: tuple[Any, ...], desc: bool) -> Q:
    last, first, pk = values
    beyond = "lt" if desc else "gt"
    return Q(**{f"last__{beyond}e": last}) & (
        Q(**{f"last__{beyond}": last})
        | Q(last=last, **{f"first__{beyond}": first})
        | Q(last=last, first=first, **{f"pk__{beyond}": pk})
    )


def _client_field(kind: str) -> str:
    return "client_id" if kind == PRODUCTION else "session__client_id"


def _client_where(kind: str, ids: list[int]) -> Q:
    return Q(**{f"{_client_field(kind)}__in": ids})


def _by_client(
    tables: dict[str, QuerySet[Any]],
    f: OrderListFilter,
    named: tuple[int, ...] | None,
    desc: bool,
    at: Position | None,
    need: int,
) -> list[Found]:
    """The rest of the cursor's client's orders, then the clients after it in name order, a
    batch at a time (growing, for a filter that finds few of their orders), and each batch's
    orders through the index of orders by client."""
    sign = "-" if desc else ""
    found: list[Found] = []
    if at is not None:
        part: list[Found] = []
        for kind, orders in tables.items():
            mine = orders.filter(_client_where(kind, [at.values[2]]), _id_after(kind, at, desc))
            read = mine.order_by(f"{sign}id").values_list("pk", flat=True)[:need]
            part += [(at.values, pk, kind) for pk in read]
        found = _ordered(part, desc)[:need]
    clients = _clients(f, named).order_by(f"{sign}last", f"{sign}first", f"{sign}pk")
    after = at.values if at is not None else None
    batch = FIRST_BATCH
    while len(found) < need:
        chosen = clients.filter(_client_after(after, desc)) if after is not None else clients
        batch_read = list(chosen.values_list("last_name", "first_name", "pk")[:batch])
        if not batch_read:
            break
        place = {pk: (last, first, pk) for last, first, pk in batch_read}
        part = []
        for kind, orders in tables.items():
            mine = orders.filter(_client_where(kind, list(place)))
            part += [(place[c], pk, kind) for pk, c in mine.values_list("pk", _client_field(kind))]
        found += _ordered(part, desc)[: need - len(found)]
        after, batch = batch_read[-1], min(batch * 2, LAST_BATCH)
    return found


# -- a page --------------------------------------------------------------------------------------


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

    A sort by a column: one query per kind of order the filter can find, two when the column
    can be empty and the page reaches its empty ones. By vendor, type or status: one for the
    groups, then one per group and kind until the page is full; by client, one per batch of
    clients and kind. Then one for a search by name, one for the calendar key (the projected
    completions): never one per order, and nothing is counted. A bad sort or cursor (one of
    another sort) is a ValidationError naming it, nothing read.
    """
    check_filter(f)
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Show from 1 to {MAX_LIMIT} orders a page."]})
    at = decode_cursor(cursor, f.sort)
    key, desc = f.sort.removeprefix("-"), f.sort.startswith("-")
    named = _named(f)
    tables = {kind: _queryset(kind, f, named) for kind in f.kinds()}
    need = limit + 1
    if key in COLUMNS:
        found = _by_column(tables, key, desc, at, need)
    elif key == "client":
        found = _by_client(tables, f, named, desc, at, need)
    else:
        found = _by_group(tables, _groups(key, f, list(tables), desc), desc, at, need)
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        values, pk, kind = shown[-1]
        next_cursor = _encode(f.sort, Position(values, pk, kind))
    return OrderListPage(rows=order_rows(_load(shown), today=today), next_cursor=next_cursor)


def _load(shown: list[Found]) -> list[Any]:
    """The page's orders whole, with what a row shows: one query per kind of order on it."""
    loaded: dict[str, dict[int, Any]] = {}
    for kind, model, related in (
        (PRODUCTION, ProductionOrder, ("vendor", "order_type", "status", "client", "invoice")),
        (PREPRODUCTION, PreproductionOrder, ("vendor", "status", "session__client")),
    ):
        ids = [pk for _, pk, k in shown if k == kind]
        if ids:
            loaded[kind] = model.objects.select_related(*related).order_by().in_bulk(ids)
    return [loaded[kind][pk] for _, pk, kind in shown]


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
