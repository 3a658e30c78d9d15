"""Reads of the production hub: open orders a page at a time, the counts per status, a board.

Why it is shaped this way: a studio keeps every order it ever made (a million, most of them
finished), and the hub must answer as fast on the last day as on the first. So:

* Only *open* orders are read (``completed_date IS NULL``), through partial indexes that hold
  open orders only (``production/models.py``): the finished history is never scanned, and
  nothing counts it.
* Lists page by *keyset*: a page starts after the last row of the one before (its sort values
  and id, in an opaque cursor), so page 400 costs what page 1 does, and an order that changes
  while someone pages neither repeats nor hides the others. Every sort ends on the order's id.
* Production and preproduction orders live in two tables: each is asked for ``limit + 1``
  rows after the cursor and the two are merged here, by the same order the database used.
* The number of queries of a page, a board column or the summary depends on the filter, never
  on how many orders there are (one per kind of order at most, and one for the open orders a
  search by name finds; tests assert it).
* Sorting and searching by client read the open orders' own copy of their client's names
  (kept by the database, ``hub/migrations/0007_client_names.py``), never the clients.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.urls import reverse

from darkroom.catalog.models import PriorityCode, ProductionOrderType, Vendor
from darkroom.clients.models import Session
from darkroom.hub.filters import HubFilter
from darkroom.hub.search import Named, orders_named, search_condition
from darkroom.hub.sql import quoted, table
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_sql
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar import (
    CalendarNow,
    VendorCalendars,
    calendars_now,
    calendars_of_vendors,
)
from darkroom.studio.models import Department
from darkroom.tracking.models import Status
from darkroom.tracking.standing import finish_from_today, standing

PRODUCTION = "production"
PREPRODUCTION = "preproduction"
KIND_RANK = {PRODUCTION: 0, PREPRODUCTION: 1}  # ties between the two tables: production first
MAX_LIMIT = 500
CENT = Decimal("0.01")


@dataclass(frozen=True)
class HubRow:
    """One open order as the hub shows it (preproduction orders have no invoice, order type,
    promised date or priority)."""

    kind: str
    id: int
    version: int
    url: str
    client_id: int
    client_name: str
    invoice_id: int | None
    invoice_number: str | None
    order_type: str | None
    vendor_id: int
    vendor: str
    number: str | None
    status_id: int
    status: str
    cycle_id: int
    status_due_date: dt.date | None
    projected_completion: dt.date | None
    promised_date: dt.date | None
    department: str | None
    user: str | None
    priority: str | None
    overdue: bool
    due_today: bool
    at_risk: bool


@dataclass(frozen=True)
class HubPage:
    rows: list[HubRow]
    next_cursor: str | None  # opaque; None = no more


# -- the SQL -------------------------------------------------------------------------------------
#
# The hub writes its own SQL (portable: the same text runs on SQLite and PostgreSQL): building
# and compiling the ORM query of a page took several times what the database then spent
# answering it through the right index (measured), and the hub must answer in milliseconds.


def _day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def _text(expression: str) -> str:
    """Text compared byte by byte on both databases (SQLite's BINARY, PostgreSQL's "C"): the
    order Python's ``<`` gives, so the two tables' pages merge in the order each returned."""
    return f'{expression} COLLATE "C"' if connection.vendor == "postgresql" else expression


def _lookup(model: Any, column: str, key: str) -> str:
    """A value of the row an order's foreign key names, as a subquery of its own.

    Not a join: PostgreSQL plans every order of eight joined tables before running a query
    (84 ms measured on the hub's page, which then runs in 3 ms); a subquery per looked-up
    value is planned on its own, and both databases run it only for the rows returned.
    """
    return f"(SELECT x.{quoted(column)} FROM {table(model)} x WHERE x.id = o.{quoted(key)})"


# A sort column named "@…": the list, its ordering column, and the order's foreign key to it.
LOOKUPS: dict[str, Callable[[], tuple[type[Model], str, str]]] = {
    "@vendor": lambda: (Vendor, "name", "vendor_id"),
    "@priority": lambda: (PriorityCode, "position", "priority_code_id"),
}


@dataclass(frozen=True)
class SortColumn:
    """One sort value: its SQL in each table (None: that kind never has one)."""

    production: str
    preproduction: str | None
    type: str  # "date" | "str" | "int"
    nullable: bool  # empty values sort last, whichever the direction

    def sql(self, kind: str) -> str | None:
        expression = self.production if kind == PRODUCTION else self.preproduction
        if expression == NUMBER:  # in numeric order, compared byte by byte already
            return number_order_sql("o.number", connection.vendor)
        if expression is not None and expression.startswith("@"):
            expression = _lookup(*LOOKUPS[expression]())
        if expression is not None and self.type == "str":
            return _text(expression)
        return expression


NUMBER = "#number"  # the order number, as a number: "9" before "10" (``number_order_sql``)
DUE = SortColumn("o.status_due_date", "o.status_due_date", "date", False)  # open orders have one
SORT_COLUMNS: dict[str, tuple[SortColumn, ...]] = {
    "due": (DUE,),
    # The order's own copy of its client's names (``production/models.py``), which an index of
    # open orders holds in this order (``hub/migrations/0007_client_names.py``).
    "client": (
        SortColumn("o.client_last_name", "o.client_last_name", "str", False),
        SortColumn("o.client_first_name", "o.client_first_name", "str", False),
    ),
    "number": (SortColumn(NUMBER, NUMBER, "str", True),),
    "vendor": (SortColumn("@vendor", "@vendor", "str", False),),
    "promised": (SortColumn("o.promised_date", None, "date", True),),
    "projected": (SortColumn("o.projected_completion", "o.projected_completion", "date", True),),
    "order_date": (SortColumn("o.order_date", "o.order_date", "date", False),),
    "priority": (SortColumn("@priority", None, "int", True), DUE),
}


def _sort(sort: str) -> tuple[tuple[SortColumn, ...], bool]:
    """The columns of a sort key and whether it is descending."""
    return SORT_COLUMNS[sort.removeprefix("-")], sort.startswith("-")


# -- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last row's sort values, id and kind."""

    values: tuple[Any, ...]
    id: int
    kind: str


def _encode_cursor(sort: str, position: Position) -> str:
    return cursor_text(sort, position.values, position.id, position.kind)


def _bad_cursor(why: str) -> ValidationError:
    return ValidationError(
        {"cursor": [f"This cursor is not one the hub gave ({why}): start from the first page."]}
    )


def _decode_value(value: Any, column: SortColumn) -> Any:
    if value is None:
        if not column.nullable:
            raise _bad_cursor("a value is missing")
        return None
    if column.type == "date":
        if not isinstance(value, str) or len(value) != 10:
            raise _bad_cursor("a date is malformed")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _bad_cursor("a date is malformed") from None
    if column.type == "int":
        if type(value) is not int or abs(value) > 2**62:
            raise _bad_cursor("a number is malformed")
        return value
    if not isinstance(value, str) or len(value) > 200 or "\x00" in value:
        raise _bad_cursor("a text is malformed")
    return value


def decode_cursor(cursor: str | None, sort: str) -> Position | None:
    """The position a cursor names, checked strictly (ValidationError {"cursor": …})."""
    data = cursor_envelope(cursor, sort, _bad_cursor)
    if data is None:
        return None
    columns, _ = _sort(sort)
    values, pk, kind = data["v"], data["id"], data["k"]
    if not isinstance(values, list) or len(values) != len(columns):
        raise _bad_cursor("it is malformed")
    if type(pk) is not int or not 0 < pk < 2**62 or kind not in KIND_RANK:
        raise _bad_cursor("it is malformed")
    decoded = tuple(_decode_value(v, c) for v, c in zip(values, columns, strict=True))
    return Position(values=decoded, id=pk, kind=kind)


# -- the filter, per table -----------------------------------------------------------------------

TRUE, FALSE = "1 = 1", "1 = 0"


def week_end(today: dt.date) -> dt.date:
    """The last day "due this week" covers: the coming Sunday (weeks run Monday to Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def _kinds(f: HubFilter) -> list[str]:
    """The tables a filter can find anything in (no query for the other one)."""
    kinds = [PRODUCTION, PREPRODUCTION] if f.kind == "all" else [f.kind]
    # Preproduction orders have no order type, priority or promised date.
    if f.order_types or f.priorities or f.flag == "at_risk":
        kinds = [k for k in kinds if k == PRODUCTION]
    return kinds


def _in(column: str, ids: tuple[int, ...]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def at_risk_condition(
    today: dt.date, calendars: VendorCalendars | None = None
) -> tuple[str, list[Any]]:
    """Production orders at risk, as SQL: exactly the orders whose row says so (the standing
    rule, ``tracking/standing.py``). Either the stored projection is past the promised date,
    or the order is late and its promise comes before the day its stored remaining days end
    when they start today (:func:`late_at_risk_condition`). One place for the filter and the
    summary's count. ``calendars``: as :func:`calendars_of_vendors` gives them (read if not
    given); two small queries besides (the calendar key, the bounds of the thresholds)."""
    late, params = late_at_risk_condition(today, calendars)
    return f"(o.projected_completion > o.promised_date OR {late})", params


@dataclass(frozen=True)
class LateThresholds:
    """The thresholds of late orders' remaining days (see :func:`late_at_risk_condition`):
    the studio's, and those of groups of vendors whose own closures move one."""

    studio: tuple[dt.date | None, ...]
    groups: dict[tuple[dt.date | None, ...], list[int]]


def late_thresholds(today: dt.date, calendars: VendorCalendars | None = None) -> LateThresholds:
    """The day 0, 1, 2… remaining days end when they start ``today``, on each calendar an
    order can count on: one query for the calendar key (unless ``calendars`` are given) and
    one for the bounds (:func:`_threshold_bounds`)."""
    if calendars is None:
        calendars = calendars_of_vendors()
    most, furthest = _threshold_bounds()
    if most is None or furthest is None:
        return LateThresholds(studio=(), groups={})
    studio = _thresholds(calendars.studio.calendar, today, most, furthest)
    groups: dict[tuple[dt.date | None, ...], list[int]] = {}
    for vendor, calendar in calendars.own.items():
        days = _thresholds(calendar, today, most, furthest)
        if days != studio:
            groups.setdefault(days, []).append(vendor)
    return LateThresholds(studio=studio, groups=groups)


def late_at_risk_condition(
    today: dt.date, calendars: VendorCalendars | None = None
) -> tuple[str, list[Any]]:
    """Late production orders whose live projection is past their promise, as SQL.

    The live projection of a late order is its stored remaining business days counted from
    today (``finish_from_today``), which SQL can't count; but it only depends on that number
    and the order's calendar. So the day each number of days would end is worked out here, one
    threshold per number, and the SQL compares the promise with the threshold of the order's
    remaining days: ``o.promised_date < CASE o.remaining_days WHEN 0 THEN … END`` (a tree of
    CASEs, a few comparisons an order), on the studio's calendar, and on their own for the
    vendors with closures of their own that move a threshold. Thresholds are needed up to the
    most remaining days an open order has, and no further than the first one past the
    furthest promise of an open order (every later one is past every promise too): both read
    from indexes, so a few dozen thresholds a calendar. (A late order whose projection is past
    its promise anyway is counted by both parts of ``at_risk_condition``; it is the one rule.)

    For a page, which tests the orders it walks one by one. The summary counts the same orders
    as :func:`late_at_risk_parts`, ranges of an index rather than a test of every late order.
    """
    found = late_thresholds(today, calendars)
    if not found.studio:
        return FALSE, []
    threshold, params = _threshold_sql(found.studio)
    if found.groups:
        whens, when_params = [], []
        for days, vendors in found.groups.items():
            sql, values = _threshold_sql(days)
            whens.append(f"WHEN o.vendor_id IN ({', '.join(['%s'] * len(vendors))}) THEN {sql}")
            when_params += [*vendors, *values]
        threshold = f"CASE {' '.join(whens)} ELSE {threshold} END"
        params = [*when_params, *params]
    return (
        f"(o.status_due_date < %s AND o.promised_date < {threshold})",
        [_day(today), *params],
    )


def late_at_risk_parts(today: dt.date, found: LateThresholds) -> list[tuple[str, list[Any]]]:
    """:func:`late_at_risk_condition` as conditions that never hold for the same order, one
    per calendar and number of remaining days (``o.remaining_days = 3 AND o.promised_date <
    %s``), so their counts add up to its count. Each is a range of the index of open orders by
    remaining days and promise (``hub_po_remaining_idx``): the count reads the orders whose
    promise comes before their threshold (a few thousand of fifty thousand open) instead of
    testing every late one."""
    if not found.studio:
        return []
    grouped = [vendor for vendors in found.groups.values() for vendor in vendors]
    calendars: list[tuple[tuple[dt.date | None, ...], tuple[str, list[Any]] | None]] = [
        (days, _in("o.vendor_id", tuple(vendors))) for days, vendors in found.groups.items()
    ]
    if grouped:
        sql, values = _in("o.vendor_id", tuple(grouped))
        calendars.append((found.studio, (f"NOT {sql}", values)))
    else:
        calendars.append((found.studio, None))
    parts = []
    late = ("o.status_due_date < %s", [_day(today)])
    for days, vendors in calendars:
        last = len(days) - 1
        for remaining, day in enumerate(days):
            if day is None:
                continue  # beyond the calendar's years: the stored projection stands
            many = "=" if remaining < last else ">="
            part = [(f"o.remaining_days {many} {remaining} AND o.promised_date < %s", [_day(day)])]
            part += [late, *([vendors] if vendors else [])]
            parts.append(
                (" AND ".join(sql for sql, _ in part), [v for _, values in part for v in values])
            )
    return parts


def _threshold_bounds() -> tuple[int | None, dt.date | None]:
    """The most remaining days of an open production order and its furthest promise (each the
    last entry of an index of open orders): one query."""
    orders = table(ProductionOrder)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT o.remaining_days FROM {orders} o WHERE o.completed_date IS NULL"
            " AND o.remaining_days IS NOT NULL ORDER BY o.remaining_days DESC LIMIT 1),"
            f" (SELECT o.promised_date FROM {orders} o WHERE o.completed_date IS NULL"
            " AND o.promised_date IS NOT NULL ORDER BY o.promised_date DESC LIMIT 1)"
        )
        most, furthest = cursor.fetchone()
    return most, _as_date(furthest)


def _thresholds(
    calendar: BusinessCalendar, today: dt.date, most: int, furthest: dt.date
) -> tuple[dt.date | None, ...]:
    """The day 0, 1, 2… remaining days end when they start today: up to ``most`` days, and
    no further than the first day past ``furthest`` (or the first beyond the calendar's years,
    None: a projection that can't move). The last threshold stands for any more days too."""
    days: list[dt.date | None] = []
    for remaining in range(most + 1):
        day = finish_from_today(remaining, today=today, calendar=calendar)
        days.append(day)
        if day is None or day > furthest:
            break
    return tuple(days)


LEAF = 4  # thresholds a CASE compares one after the other; more are split in halves


def _threshold_sql(days: tuple[dt.date | None, ...]) -> tuple[str, list[Any]]:
    """The threshold of an order's remaining days as SQL: ``days[r]`` for ``r`` days, the last
    one for as many or more, NULL (nothing is below it) for an order without remaining days."""

    def value(day: dt.date | None) -> tuple[str, list[Any]]:
        return ("NULL", []) if day is None else ("%s", [_day(day)])

    def between(low: int, high: int) -> tuple[str, list[Any]]:  # remaining days low .. high-1
        if high - low <= LEAF:
            whens, params = [], []
            for remaining in range(low, high):
                sql, values = value(days[remaining])
                whens.append(f"WHEN {remaining} THEN {sql}")
                params += values
            return f"CASE o.remaining_days {' '.join(whens)} END", params
        middle = (low + high) // 2
        below, below_params = between(low, middle)
        above, above_params = between(middle, high)
        return (
            f"CASE WHEN o.remaining_days < {middle} THEN {below} ELSE {above} END",
            below_params + above_params,
        )

    last = len(days) - 1
    sql, params = value(days[last])
    if last == 0:
        return f"CASE WHEN o.remaining_days >= 0 THEN {sql} END", params
    rest, rest_params = between(0, last)
    return f"CASE WHEN o.remaining_days >= {last} THEN {sql} ELSE {rest} END", params + rest_params


def _conditions(
    kind: str,
    f: HubFilter,
    today: dt.date,
    named: Named | None,
    *,
    walking: bool = False,
    at_risk: tuple[str, list[Any]] | None = None,
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions of the open orders of one table that ``f`` asks for (``named``
    and ``walking``: how a search by name is asked, see ``hub/search.py``; ``at_risk``: the
    :func:`at_risk_condition` already read, if it was).

    ``o.completed_date IS NULL`` is spelled as the partial indexes are, so both databases use
    them. An order not started in its cycle yet has no status: it is not shown. An open order
    in a status always has a due date (the status engine writes it); that is not asked about
    again, since finished orders have none and PostgreSQL, taking the two conditions as
    independent, would expect twenty times too few rows and choose plans for a handful.
    """
    # "+" keeps SQLite from taking the status as an index range (it would then read the
    # summary's index, in status order, and sort every open order for one page).
    conditions = ["o.completed_date IS NULL", "(+o.status_id) IS NOT NULL"]
    params: list[Any] = []

    def add(sql: str, values: list[Any]) -> None:
        conditions.append(sql)
        params.extend(values)

    if kind == PRODUCTION:
        if f.order_types:
            add(*_in("o.order_type_id", f.order_types))
        if f.priorities:
            add(*_in("o.priority_code_id", f.priorities))
    if f.statuses:
        add(*_in("o.status_id", f.statuses))
    if f.vendors:
        add(*_in("o.vendor_id", f.vendors))
    if f.departments:
        add(*_in("o.status_department_id", f.departments))
    if f.users:
        add(*_in("o.status_user_id", f.users))
    if f.flag == "overdue":
        add("o.status_due_date < %s", [_day(today)])
    elif f.flag == "due_today":
        add("o.status_due_date = %s", [_day(today)])
    elif f.flag == "due_this_week":
        add("o.status_due_date BETWEEN %s AND %s", [_day(today), _day(week_end(today))])
    elif f.flag == "at_risk":
        add(*(at_risk or at_risk_condition(today)))
    if f.due_before is not None:
        add("o.status_due_date < %s", [_day(f.due_before)])
    if f.q:
        found = None if named is None else named.get(kind, 0)
        add(*search_condition(f.q, found, walking=walking, model=_model(kind)))
    return conditions, params


def _model(kind: str) -> Any:
    return ProductionOrder if kind == PRODUCTION else PreproductionOrder


# -- keyset --------------------------------------------------------------------------------------


Condition = tuple[str, list[Any]]  # SQL and its parameters
ALWAYS: Condition = (TRUE, [])
NEVER: Condition = (FALSE, [])


def _or(a: Condition, b: Condition) -> Condition:
    if ALWAYS in (a, b):
        return ALWAYS
    if a == NEVER or b == NEVER:
        return b if a == NEVER else a
    return f"({a[0]} OR {b[0]})", a[1] + b[1]


def _and(a: Condition, b: Condition) -> Condition:
    if NEVER in (a, b):
        return NEVER
    if a == ALWAYS or b == ALWAYS:
        return b if a == ALWAYS else a
    return f"({a[0]} AND {b[0]})", a[1] + b[1]


def _after(kind: str, columns: tuple[SortColumn, ...], at: Position, desc: bool) -> Condition:
    """Rows that come after ``at`` in the sort (empty values last, then id, then kind).

    Spelled so the database can start an index range at the cursor: a sort without empty
    values is one row comparison, ``(due, id) > (%s, %s)``; with them, the first value gets a
    plain ``>=`` (``<=`` descending) beside the exact condition when it can't be empty.
    """
    rank, at_rank = KIND_RANK[kind], KIND_RANK[at.kind]
    inclusive = rank < at_rank if desc else rank > at_rank
    beyond = "<" if desc else ">"
    expressions = [column.sql(kind) for column in columns]
    if all(e is not None and not c.nullable for e, c in zip(expressions, columns, strict=True)):
        # No empty values: one row comparison, which both databases start an index range at.
        values = [_day(v) if isinstance(v, dt.date) else v for v in at.values]
        row = ", ".join([*(str(e) for e in expressions), "o.id"])
        marks = ", ".join(["%s"] * (len(values) + 1))
        return f"({row}) {beyond}{'=' if inclusive else ''} ({marks})", [*values, at.id]
    condition: Condition = (f"o.id {beyond}{'=' if inclusive else ''} %s", [at.id])
    for column, value in reversed(list(zip(columns, at.values, strict=True))):
        sql = column.sql(kind)
        value = _day(value) if isinstance(value, dt.date) else value
        if value is None:  # empty sorts last: only other empty ones come after it
            later, same = NEVER, ALWAYS if sql is None else (f"{sql} IS NULL", [])
        elif sql is None:  # this table never has the value: all its rows come after
            later, same = ALWAYS, NEVER
        else:
            later = (f"{sql} {beyond} %s", [value])
            if column.nullable:
                later = _or(later, (f"{sql} IS NULL", []))
            same = (f"{sql} = %s", [value])
        condition = _or(later, _and(same, condition))
    first, value = columns[0], at.values[0]
    sql = first.sql(kind)
    if value is not None and not first.nullable and sql is not None:
        start = (f"{sql} {beyond}= %s", [_day(value) if isinstance(value, dt.date) else value])
        condition = _and(start, condition)
    return condition


def _ordering(kind: str, columns: tuple[SortColumn, ...], desc: bool) -> str:
    order = []
    for column in columns:
        sql = column.sql(kind)
        if sql is None:
            continue
        direction = "DESC" if desc else "ASC"
        order.append(f"{sql} {direction}{' NULLS LAST' if column.nullable else ''}")
    order.append(f"o.id {'DESC' if desc else 'ASC'}")
    return ", ".join(order)


def _person() -> str:
    """The assigned user's full name, else their login (as ``person_ref`` names people)."""
    full = "TRIM(x.first_name || ' ' || x.last_name)"
    return (
        f"(SELECT CASE WHEN {full} = '' THEN x.{quoted('username')} ELSE {full} END "
        f"FROM {table(get_user_model())} x WHERE x.id = o.status_user_id)"
    )


class OrderColumns(NamedTuple):
    """The values a page reads of each open order, named: the SELECT list is made from these
    names, in this order (:func:`_select`), and its sort values follow them. A column added
    here is added there by name, so no other moves."""

    id: int
    version: int
    client_id: int
    client_first_name: str
    client_last_name: str
    invoice_id: int | None
    order_type: str | None
    vendor_id: int
    vendor: str
    number: str | None
    status_id: int
    status: str
    cycle_id: int
    status_due_date: dt.date
    projected_completion: dt.date | None
    promised_date: dt.date | None
    department: str | None
    user: str | None
    priority: str | None
    session_id: int | None
    remaining_days: int | None


SHOWN = len(OrderColumns._fields)  # values before the sort values
# The places of the dates in a row (SQLite answers them as text).
DATES = tuple(
    OrderColumns._fields.index(name)
    for name in ("status_due_date", "projected_completion", "promised_date")
)


@functools.cache
def _select(kind: str, columns: tuple[SortColumn, ...], vendor: str) -> str:
    """Every value a row shows, by the names of :class:`OrderColumns` and in their order, for
    both tables (NULL where a kind has none), then the sort values (by database vendor: names
    are quoted its way)."""
    del vendor
    production = kind == PRODUCTION
    shown = {
        "id": "o.id",
        "version": "o.version",
        # The client: a proof order's is its session's. The names are the order's own copy.
        "client_id": "o.client_id" if production else _lookup(Session, "client_id", "session_id"),
        "client_first_name": "o.client_first_name",
        "client_last_name": "o.client_last_name",
        "invoice_id": "o.invoice_id" if production else "NULL",
        "order_type": (
            _lookup(ProductionOrderType, "name", "order_type_id") if production else "NULL"
        ),
        "vendor_id": "o.vendor_id",
        "vendor": _lookup(Vendor, "name", "vendor_id"),
        "number": "o.number",
        "status_id": "o.status_id",
        "status": _lookup(Status, "description", "status_id"),
        "cycle_id": _lookup(Status, "cycle_id", "status_id"),
        "status_due_date": "o.status_due_date",
        "projected_completion": "o.projected_completion",
        "promised_date": "o.promised_date" if production else "NULL",
        "department": _lookup(Department, "name", "status_department_id"),
        "user": _person(),
        "priority": _lookup(PriorityCode, "code", "priority_code_id") if production else "NULL",
        "session_id": "NULL" if production else "o.session_id",
        "remaining_days": "o.remaining_days",
    }
    if shown.keys() != set(OrderColumns._fields):
        raise RuntimeError(f"The hub's page names other columns: {sorted(shown)}")
    selected = [shown[name] for name in OrderColumns._fields]
    selected += [column.sql(kind) or "NULL" for column in columns]
    return ", ".join(selected)


class Found(NamedTuple):
    """A row read of one table: its sort values, id and kind (where it sorts), its values."""

    keys: tuple[Any, ...]
    id: int
    kind: str
    order: OrderColumns


BY_ID_INDEX = {PRODUCTION: "hub_po_client_ids_idx", PREPRODUCTION: "hub_pre_client_ids_idx"}


def _as_date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _page_rows(
    kind: str,
    f: HubFilter,
    *,
    today: dt.date,
    at: Position | None,
    limit: int,
    named: Named | None,
) -> list[Found]:
    """Up to ``limit`` rows of one table after ``at``: one query.

    A page of the orders a name finds, read by id (``named``: few enough), is read in two
    steps of one statement: the ids of the page's orders, in its order, then the values shown
    for those alone. SQLite works every value of a row out before it sorts the rows, and would
    look up the vendor, status, person… of each of the orders found (10 ms for 1,200 of them,
    measured; 1.5 ms this way). A page that walks an index stops at the page's end anyway.
    On SQLite the first step reads the orders from the index of open orders by id, which
    holds what a page sorted by due date needs (``hub/migrations/0007_client_names.py``).
    """
    columns, desc = _sort(f.sort)
    by_id = named is not None
    if named is not None and not named.get(kind):
        return []  # the name finds none of this kind: nothing to ask
    conditions, params = _conditions(kind, f, today, named, walking=True)
    shown = "o.id" if by_id else _select(kind, columns, connection.vendor)
    tables = f"{table(_model(kind))} o"
    if by_id and connection.vendor == "sqlite":
        tables += f" INDEXED BY {BY_ID_INDEX[kind]}"
    if _splits(kind, columns):
        sql, params = _split_page_sql(
            kind, columns, desc, conditions, params, at, limit, shown, tables
        )
    else:
        if at is not None:
            after, after_params = _after(kind, columns, at, desc)
            conditions.append(after)
            params += after_params
        sql = (
            f"SELECT {shown} FROM {tables} WHERE {' AND '.join(conditions)} "
            f"ORDER BY {_ordering(kind, columns, desc)} LIMIT %s"
        )
        params = [*params, limit]
    if by_id:
        # (A split page's two parts are put in order below.)
        order = "" if _splits(kind, columns) else f" ORDER BY {_ordering(kind, columns, desc)}"
        sql = (
            f"SELECT {_select(kind, columns, connection.vendor)} FROM ({sql}) page "
            f"CROSS JOIN {table(_model(kind))} o WHERE o.id = page.id{order}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = []
    for row in found:
        values = list(row)
        for place in DATES:
            values[place] = _as_date(values[place])
        keys = tuple(
            _as_date(v) if c.type == "date" else v
            for v, c in zip(values[SHOWN:], columns, strict=True)
        )
        read = OrderColumns._make(values[:SHOWN])
        rows.append(Found(keys, read.id, kind, read))
    if _splits(kind, columns):
        rows.sort(key=functools.cmp_to_key(functools.partial(_compare, desc)))
        rows = rows[:limit]
    return rows


def _splits(kind: str, columns: tuple[SortColumn, ...]) -> bool:
    """Whether a sort is one column of the order's own that can be empty (its number, promised
    date, projected completion): its page is then read in two parts (see below)."""
    if len(columns) != 1 or not columns[0].nullable:
        return False
    own = columns[0].production if kind == PRODUCTION else columns[0].preproduction
    return own is not None and (own.startswith("o.") or own == NUMBER)


def _split_page_sql(
    kind: str,
    columns: tuple[SortColumn, ...],
    desc: bool,
    conditions: list[str],
    params: list[Any],
    at: Position | None,
    limit: int,
    shown: str,
    tables: str,
) -> tuple[str, list[Any]]:
    """A page sorted by a column that can be empty, as two parts in one statement: the orders
    with a value, in its order, then the empty ones, by id.

    Empty values sort last in either direction, which no index gives in one walk (SQLite keeps
    them first; a descending walk would put them first on PostgreSQL). Each part is one walk
    of the index of open orders by (column, id) (``hub/migrations/0002_sort_indexes.py``),
    stopping after ``limit`` rows; the two are put in order here (at most twice the page).
    """
    (column,) = columns
    value_sql = column.sql(kind)
    direction = "DESC" if desc else "ASC"
    with_value = [*conditions, f"{value_sql} IS NOT NULL"]
    empty = [*conditions, f"{value_sql} IS NULL"]
    value_params, empty_params = list(params), list(params)
    if at is not None:
        if at.values[0] is None:  # past every value: only empty ones after the cursor's id
            with_value.append(FALSE)
        else:
            after, after_params = _after(kind, (replace(column, nullable=False),), at, desc)
            with_value.append(after)
            value_params += after_params
        if at.values[0] is None:
            after, after_params = _after(kind, (), replace(at, values=()), desc)
            empty.append(after)
            empty_params += after_params
    parts = (
        f"SELECT {shown} FROM {tables} WHERE {' AND '.join(with_value)} "
        f"ORDER BY {value_sql} {direction}, o.id {direction} LIMIT %s",
        # All empty: ordered by id, spelled as the index is so it is walked, not the table.
        f"SELECT {shown} FROM {tables} WHERE {' AND '.join(empty)} "
        f"ORDER BY {value_sql} {direction}, o.id {direction} LIMIT %s",
    )
    sql = f"SELECT * FROM ({parts[0]}) a UNION ALL SELECT * FROM ({parts[1]}) b"
    return sql, [*value_params, limit, *empty_params, limit]


def _compare(desc: bool, a: Found, b: Found) -> int:
    """The databases' order, in Python: values (empty last), then id, then kind."""
    sign = -1 if desc else 1
    for x, y in zip(a.keys, b.keys, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            return 1 if x is None else -1  # empty last either way
        return sign if x > y else -sign
    x, y = (a.id, KIND_RANK[a.kind]), (b.id, KIND_RANK[b.kind])
    return 0 if x == y else sign if x > y else -sign


@functools.cache
def _url_pattern(name: str) -> str:
    """A page's URL with "{}" for the id: reversed once, not once per row."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _hub_row(kind: str, v: OrderColumns, today: dt.date, clocks: dict[Any, CalendarNow]) -> HubRow:
    # Open orders only: the same rule as every record's page (tracking/standing.py).
    now = standing(
        is_open=True,
        due=v.status_due_date,
        projected=v.projected_completion,
        remaining=v.remaining_days,
        promised=v.promised_date,
        today=today,
        calendar=clocks[v.vendor_id].calendar,
    )
    if kind == PRODUCTION:
        url = _url_pattern("production:order-detail").format(v.id)
    else:
        url = _url_pattern("production:proof-order-detail").format(v.id)
    return HubRow(
        kind=kind,
        id=v.id,
        version=v.version,
        url=url,
        client_id=v.client_id,
        client_name=f"{v.client_first_name} {v.client_last_name}".strip(),
        invoice_id=v.invoice_id,
        invoice_number=None if v.invoice_id is None else f"{v.invoice_id:05d}",
        order_type=v.order_type,
        vendor_id=v.vendor_id,
        vendor=v.vendor,
        number=v.number,
        status_id=v.status_id,
        status=v.status,
        cycle_id=v.cycle_id,
        status_due_date=v.status_due_date,
        projected_completion=now.projected_completion,
        promised_date=v.promised_date,
        department=v.department,
        user=v.user,
        priority=v.priority,
        overdue=now.overdue,
        due_today=now.due_today,
        at_risk=now.at_risk,
    )


def _check_limit(limit: int) -> None:
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Show from 1 to {MAX_LIMIT} orders a page."]})


def hub_page(
    f: HubFilter, *, today: dt.date, cursor: str | None = None, limit: int = 50
) -> HubPage:
    """A page of the open orders ``f`` asks for, after ``cursor`` (None: the first page).

    One query per kind of order the filter can find (two at most), whatever the page shows,
    and one more for a search by name (the open orders it finds: ``orders_named``).
    A malformed cursor, or one of another sort, is ``ValidationError({"cursor": …})``.
    """
    _check_limit(limit)
    at = decode_cursor(cursor, f.sort)
    named = orders_named(f.q, {kind: _model(kind) for kind in _kinds(f)})
    tables = [
        _page_rows(kind, f, today=today, at=at, limit=limit + 1, named=named) for kind in _kinds(f)
    ]
    found: list[Found] = [row for rows in tables if rows for row in rows]
    if sum(1 for rows in tables if rows) > 1:  # each table's rows are in order: merge them
        order = functools.cmp_to_key(functools.partial(_compare, f.sort.startswith("-")))
        found = list(heapq.merge(*tables, key=order))
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = shown[-1]
        next_cursor = _encode_cursor(f.sort, Position(values=last.keys, id=last.id, kind=last.kind))
    # The vendors' calendars: the projection of a late order counts from today on them.
    clocks = calendars_now({row.order.vendor_id for row in shown}) if shown else {}
    return HubPage(
        rows=[_hub_row(row.kind, row.order, today, clocks) for row in shown],
        next_cursor=next_cursor,
    )


def board_column(
    f: HubFilter, *, status_id: int, today: dt.date, cursor: str | None = None, limit: int = 20
) -> HubPage:
    """One column of the board: a page of the filter's orders in one status (each column
    pages on its own cursor). A filter that leaves that status out gives an empty column."""
    if f.statuses and status_id not in f.statuses:
        _check_limit(limit)
        decode_cursor(cursor, f.sort)
        return HubPage(rows=[], next_cursor=None)
    return hub_page(replace(f, statuses=(status_id,)), today=today, cursor=cursor, limit=limit)
