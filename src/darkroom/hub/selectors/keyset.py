"""Keyset pages: the rows after a cursor, in the sort's order, as SQL an index can start at.

A page starts after the last row of the one before (its sort values, then id, then kind), never
at an offset, so every page costs what the first does. The conditions are spelled so each
database walks the sort's index of open orders from the cursor and stops at the page's end;
a sort whose values can be empty is read in two parts, the empty ones last. The same order is
written once more in Python (:func:`compare`), to merge the two tables' pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from darkroom.hub.selectors.cursors import Position
from darkroom.hub.selectors.order_kinds import KIND_RANK, PRODUCTION
from darkroom.hub.selectors.page_columns import Found
from darkroom.hub.selectors.sorts import NUMBER, SortColumn
from darkroom.hub.sql import FALSE, TRUE, Condition, date_param

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


def rows_after(kind: str, columns: tuple[SortColumn, ...], at: Position, desc: bool) -> Condition:
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
        values = [date_param(v) if isinstance(v, dt.date) else v for v in at.values]
        row = ", ".join([*(str(e) for e in expressions), "o.id"])
        marks = ", ".join(["%s"] * (len(values) + 1))
        return f"({row}) {beyond}{'=' if inclusive else ''} ({marks})", [*values, at.id]
    condition: Condition = (f"o.id {beyond}{'=' if inclusive else ''} %s", [at.id])
    for column, value in reversed(list(zip(columns, at.values, strict=True))):
        sql = column.sql(kind)
        value = date_param(value) if isinstance(value, dt.date) else value
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
        start = (
            f"{sql} {beyond}= %s",
            [date_param(value) if isinstance(value, dt.date) else value],
        )
        condition = _and(start, condition)
    return condition


def ordering(kind: str, columns: tuple[SortColumn, ...], desc: bool) -> str:
    order = []
    for column in columns:
        sql = column.sql(kind)
        if sql is None:
            continue
        direction = "DESC" if desc else "ASC"
        order.append(f"{sql} {direction}{' NULLS LAST' if column.nullable else ''}")
    order.append(f"o.id {'DESC' if desc else 'ASC'}")
    return ", ".join(order)


def splits(kind: str, columns: tuple[SortColumn, ...]) -> bool:
    """Whether a sort is one column of the order's own that can be empty (its number, promised
    date, projected completion): its page is then read in two parts (see below)."""
    if len(columns) != 1 or not columns[0].nullable:
        return False
    own = columns[0].production if kind == PRODUCTION else columns[0].preproduction
    return own is not None and (own.startswith("o.") or own == NUMBER)


def split_page_sql(
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
            after, after_params = rows_after(kind, (replace(column, nullable=False),), at, desc)
            with_value.append(after)
            value_params += after_params
        if at.values[0] is None:
            after, after_params = rows_after(kind, (), replace(at, values=()), desc)
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


def compare(desc: bool, a: Found, b: Found) -> int:
    """The databases' order, in Python: values (empty last), then id, then kind."""
    sign = -1 if desc else 1
    (a_keys, a_id, a_kind, _), (b_keys, b_id, b_kind, _) = a, b
    for x, y in zip(a_keys, b_keys, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            return 1 if x is None else -1  # empty last either way
        return sign if x > y else -sign
    x, y = (a_id, KIND_RANK[a_kind]), (b_id, KIND_RANK[b_kind])
    return 0 if x == y else sign if x > y else -sign
