"""The orders a filter finds, per table, and the next of them in each sort: by a column of the
order, by a vendor, order type or status, by client; the search (an order number, or a
client's name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet
from django.db.models.functions import Collate

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.clients.models import Client, Invoice, Session
from darkroom.clients.name_search import just_after
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_sql
from darkroom.production.order_list.cursors import (
    Found,
    Position,
    id_after,
    in_list_order,
    row_after,
)
from darkroom.production.order_list.filters import (
    CAN_BE_EMPTY,
    COLUMNS,
    PREPRODUCTION,
    PRODUCTION,
    PROOFS_TYPE,
    OrderListFilter,
)
from darkroom.production.selectors import PROOFS
from darkroom.tracking.models import CycleKind, Status

FIRST_BATCH, LAST_BATCH = 100, 3200  # clients read at a time, sorting by client


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
    high = just_after(prefix)
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
                    Q(**{f"sort_value__{beyond}e": value}), row_after(kind, at, desc)
                )
            read = orders.order_by(*ordering).values_list("sort_value", "pk")[:need]
            part += [((value,), pk, kind) for value, pk in read]
        found = in_list_order(part, desc)[:need]
    if key in CAN_BE_EMPTY and len(found) < need:
        part = []
        for kind, orders in tables.items():
            orders = orders.filter(**{f"{COLUMNS[key]}__isnull": True})
            if at is not None and at.values[0] is None:
                orders = orders.filter(id_after(kind, at, desc))
            read = orders.order_by(f"{sign}id").values_list("pk", flat=True)[: need - len(found)]
            part += [((None,), pk, kind) for pk in read]
        found += in_list_order(part, desc)
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
                orders = orders.filter(id_after(kind, at, desc))
            ordering = [f"{sign}{group.by}", f"{sign}id"] if group.by != "id" else [f"{sign}id"]
            read = orders.order_by(*ordering).values_list("pk", flat=True)[: need - len(found)]
            part += [(group.values, pk, kind) for pk in read]
        found += in_list_order(part, desc)[: need - len(found)]
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
            mine = orders.filter(_client_where(kind, [at.values[2]]), id_after(kind, at, desc))
            read = mine.order_by(f"{sign}id").values_list("pk", flat=True)[:need]
            part += [(at.values, pk, kind) for pk in read]
        found = in_list_order(part, desc)[:need]
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
        found += in_list_order(part, desc)[: need - len(found)]
        after, batch = batch_read[-1], min(batch * 2, LAST_BATCH)
    return found


def found_after(
    f: OrderListFilter, named: tuple[int, ...] | None, at: Position | None, need: int
) -> list[Found]:
    """Up to ``need`` of the orders ``f`` finds after ``at`` (None: from the first), in its
    sort, from each table it reads; ``named``: the clients a search by name found
    (``clients_named``)."""
    key, desc = f.sort.removeprefix("-"), f.sort.startswith("-")
    tables = {kind: _queryset(kind, f, named) for kind in f.kinds()}
    if key in COLUMNS:
        return _by_column(tables, key, desc, at, need)
    if key == "client":
        return _by_client(tables, f, named, desc, at, need)
    return _by_group(tables, _groups(key, f, list(tables), desc), desc, at, need)
