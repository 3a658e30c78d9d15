"""One table's rows of a hub page: the query built from the filter, the sort and the cursor,
run once, and its rows read by name.

One query per table whatever the page shows (tests count them); each walks an index of open
orders from the cursor and stops at the page's end.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection

from darkroom.hub.filters import HubFilter
from darkroom.hub.search import Named
from darkroom.hub.selectors.conditions import filter_conditions
from darkroom.hub.selectors.cursors import Position
from darkroom.hub.selectors.keyset import compare, ordering, rows_after, split_page_sql, splits
from darkroom.hub.selectors.order_kinds import PREPRODUCTION, PRODUCTION, order_model
from darkroom.hub.selectors.page_columns import (
    DATES,
    SHOWN,
    Found,
    columns_of,
    selected_columns,
)
from darkroom.hub.selectors.sorts import sort_columns
from darkroom.hub.sql import as_date, table

BY_ID_INDEX = {PRODUCTION: "hub_po_client_ids_idx", PREPRODUCTION: "hub_pre_client_ids_idx"}


def page_rows(
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
    columns, desc = sort_columns(f.sort)
    by_id = named is not None
    if named is not None and not named.get(kind):
        return []  # the name finds none of this kind: nothing to ask
    conditions, params = filter_conditions(kind, f, today, named, walking=True)
    shown = "o.id" if by_id else selected_columns(kind, columns, connection.vendor)
    tables = f"{table(order_model(kind))} o"
    if by_id and connection.vendor == "sqlite":
        tables += f" INDEXED BY {BY_ID_INDEX[kind]}"
    if splits(kind, columns):
        sql, params = split_page_sql(
            kind, columns, desc, conditions, params, at, limit, shown, tables
        )
    else:
        if at is not None:
            after, after_params = rows_after(kind, columns, at, desc)
            conditions.append(after)
            params += after_params
        sql = (
            f"SELECT {shown} FROM {tables} WHERE {' AND '.join(conditions)} "
            f"ORDER BY {ordering(kind, columns, desc)} LIMIT %s"
        )
        params = [*params, limit]
    if by_id:
        # (A split page's two parts are put in order below.)
        order = "" if splits(kind, columns) else f" ORDER BY {ordering(kind, columns, desc)}"
        sql = (
            f"SELECT {selected_columns(kind, columns, connection.vendor)} FROM ({sql}) page "
            f"CROSS JOIN {table(order_model(kind))} o WHERE o.id = page.id{order}"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    # The dates among the values and the sort values (SQLite answers them as text).
    dates = DATES + tuple(SHOWN + n for n, c in enumerate(columns) if c.type == "date")
    rows: list[Found] = []
    for row in found:
        values = list(row)
        for place in dates:
            values[place] = as_date(values[place])
        read = columns_of(values[:SHOWN])
        rows.append((tuple(values[SHOWN:]), read.id, kind, read))
    if splits(kind, columns):
        rows.sort(key=functools.cmp_to_key(functools.partial(compare, desc)))
        rows = rows[:limit]
    return rows
