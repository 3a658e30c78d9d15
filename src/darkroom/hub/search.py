"""The hub's search: by order number, or by client name, fast whatever the studio's size.

Text with a digit is an order number: the studio's (equal, or as a prefix; a leading "#" is
ignored) or the vendor's own number for the order (equal, through its index); other text is a
name, each word starting the client's first or last name, case ignored. Only open orders are
looked at, as everywhere in the hub (``hub/selectors/``, which puts the condition made here in
its queries: ``o`` is the order).

The hub finds a name in the open orders' own copy of their client's names, which the database
keeps (``hub/migrations/0007_client_names.py``), through indexes that hold open orders only: no
client is read, and the history is never looked at. The list of all orders, finished ones too,
finds the clients first (``clients_named``, in ``clients/name_search.py``, where the test of a
name that both share lives).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from darkroom.clients.name_search import (
    is_order_number,
    lead_and_rest,
    like_prefix,
    name_starts,
    names_start,
)
from darkroom.hub.sql import table

NOTHING = "1 = 0"

# How the hub answers a search by name. The open orders the name finds are counted first, in
# the indexes of the orders' copy of the names (each entry holds both names, so the other words
# are tested on it too), up to FEW_ORDERS + 1. Up to FEW_ORDERS of them, a page reads those
# orders by id from the same indexes and sorts them. A name more orders share is on one open
# order in a few dozen: a page walks its own index instead, testing the names on each order it
# reads, and fills quickly. The two cost the same at about 2,000 orders (measured at 50,000
# open: some 5 ms of processor time either way).
FEW_ORDERS = 2_000


Named = dict[str, int]  # how many open orders of each kind a name finds


def _open_named_sql(q: str, model: Any, select: str) -> tuple[str, list[Any]]:
    """``select`` for each open order of ``model`` (as ``n``) whose copy of its client's names
    the name ``q`` finds, read from the indexes of those names alone.

    As for the clients (``_named_ids_sql``): the longest word is looked up as a last name and
    as a first name (two parts of a union, read one after the other), the others tested on the
    entries found: each holds both names (``hub/migrations/0007_client_names.py``)."""
    lead, rest = lead_and_rest(q)
    others, other_params = (
        names_start(rest, "n.client_last_name", "n.client_first_name") if rest else ("", [])
    )
    parts, params = [], []
    for column in ("n.client_last_name", "n.client_first_name"):
        seek, seek_params = name_starts(column, lead)
        where = f"n.completed_date IS NULL AND {seek}" + (f" AND {others}" if others else "")
        parts.append(f"SELECT {select} FROM {table(model)} n WHERE {where}")
        params += seek_params + other_params
    return " UNION ALL ".join(parts), params  # both names may match: orders can repeat


def orders_named(q: str, tables: dict[str, Any]) -> Named | None:
    """How many open orders of each kind (``tables``: its model) the search ``q`` finds by
    their client's name, when there are at most ``FEW_ORDERS`` in all: one query, which reads
    the indexes of the orders' copy of the names and nothing else, and stops past
    ``FEW_ORDERS``. None when there are more, or ``q`` is an order number (no query)."""
    if not q or is_order_number(q) or not tables:
        return None
    parts, params = [], []
    for rank, model in enumerate(tables.values()):
        sql, sql_params = _open_named_sql(q, model, f"{rank} AS kind")
        parts.append(sql)
        params += sql_params
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT found.kind, COUNT(*) FROM (SELECT named.kind AS kind FROM "
            f"({' UNION ALL '.join(parts)}) named LIMIT %s) found GROUP BY found.kind",
            [*params, FEW_ORDERS + 1],
        )
        counts = dict(cursor.fetchall())
    # (Orders whose both names match count twice: the reading stops sooner, nothing more.)
    if sum(counts.values()) > FEW_ORDERS:
        return None
    return {kind: counts.get(rank, 0) for rank, kind in enumerate(tables)}


def search_condition(
    q: str, named: int | None, *, walking: bool, model: Any
) -> tuple[str, list[Any]]:
    """The client's first or last name starts with each word, or the order number is ``q`` or
    starts with it.

    Text with a digit is an order number; other text is a name, looked for among open orders
    only (in their copy of the client's names): the history is never read. Case is ignored in
    names. ``named``: how many open orders of this table (``model``) the name finds
    (``orders_named``; None: too many to count), which the condition then reads by id from the
    indexes of names. ``walking``: the query walks an index of open orders in its page's
    order, and so, for a name many orders share, tests the names of each order it reads
    rather than reading the indexes of names (a summary counts every order found there). See
    FEW_ORDERS.
    """
    if is_order_number(q):
        number = q.strip().removeprefix("#").strip()
        return (
            "(o.number = %s OR o.number LIKE %s ESCAPE '\\' OR o.vendor_number = %s)",
            [number, like_prefix(number), number],
        )
    if named is not None:
        if not named:
            return NOTHING, []
        found, params = _open_named_sql(q, model, "n.id")
        return f"o.id IN ({found})", params
    return names_start(q, "o.client_last_name", "o.client_first_name", indexed=not walking)
