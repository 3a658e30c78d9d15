"""The hub's search: by order number, or by client name, fast whatever the studio's size.

Text with a digit is an order number: the studio's (equal, or as a prefix; a leading "#" is
ignored) or the vendor's own number for the order (equal, through its index); other text is a
name, each word starting the client's first or last name, case ignored. Only open orders are
looked at, as everywhere in the hub (``hub/selectors.py``, which puts the condition made here in
its queries: ``o`` is the order).

The hub finds a name in the open orders' own copy of their client's names, which the database
keeps (``hub/migrations/0007_client_names.py``), through indexes that hold open orders only: no
client is read, and the history is never looked at. The list of all orders, finished ones too,
finds the clients first (``clients_named``: ``production/order_list.py``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from darkroom.clients.models import Client
from darkroom.hub.sql import table

NOTHING = "1 = 0"


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _is_number(q: str) -> bool:
    return any(c.isdigit() for c in q)


# How the list of all orders (``production/order_list.py``) answers a search by name: the ids of
# the clients it finds are read first, through indexes of their upper-cased names
# (``hub/migrations/0004_name_search.py``), up to FEW_CLIENTS of them.
FEW_CLIENTS = 2_000

# How the hub answers one. The open orders the name finds are counted first, in the indexes of
# the orders' copy of the names (each entry holds both names, so the other words are tested on
# it too), up to FEW_ORDERS + 1. Up to FEW_ORDERS of them, a page reads those orders by id from
# the same indexes and sorts them. A name more orders share is on one open order in a few
# dozen: a page walks its own index instead, testing the names on each order it reads, and
# fills quickly. The two cost the same at about 2,000 orders (measured at 50,000 open: some
# 5 ms of processor time either way).
FEW_ORDERS = 2_000


def _sqlite_upper(text: str) -> str:
    """SQLite's ``UPPER``: ASCII letters only (its ``LIKE`` ignores the case of those alone)."""
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in text)


def _just_after(prefix: str) -> str | None:
    """The least text after every text that starts with ``prefix``, in code point order (how
    SQLite compares UTF-8 text); None when nothing is (a prefix of U+10FFFF only)."""
    chars = list(prefix)
    while chars:
        point = ord(chars.pop()) + 1
        if point <= 0x10FFFF:
            return "".join(chars) + chr(0xE000 if 0xD800 <= point <= 0xDFFF else point)
    return None


def _name_starts(column: str, word: str) -> tuple[str, list[Any]]:
    """``column`` starts with ``word``, case ignored.

    On PostgreSQL ``UPPER(column) LIKE UPPER('word%')``, whose prefix its planner turns into a
    range of the ``text_pattern_ops`` index of ``UPPER(column)``. SQLite does not do that for
    an upper-cased column, so it is given the range itself: the upper-cased names from the
    word to just after it. That is the same test (its ``UPPER`` and case-blind ``LIKE`` both
    know ASCII letters only), and it is answered from the index alone.
    """
    if connection.vendor != "sqlite":
        return f"(UPPER({column}) LIKE UPPER(%s) ESCAPE '\\')", [_like_prefix(word)]
    low = _sqlite_upper(word)
    high = _just_after(low)
    if high is None:
        return f"(UPPER({column}) >= %s)", [low]
    return f"(UPPER({column}) >= %s AND UPPER({column}) < %s)", [low, high]


def _names_start(q: str, last: str, first: str, *, indexed: bool = True) -> tuple[str, list[Any]]:
    """Each word of ``q`` starts the ``last`` or the ``first`` name. ``indexed``: as ranges of
    the indexes of the upper-cased names; else spelled so that no index is taken for them (a
    test on each row that a walk of another index reads: ``+`` on SQLite, ``|| ''`` on
    PostgreSQL)."""
    if not indexed:
        plain = "+{}" if connection.vendor == "sqlite" else "({} || '')"
        last, first = plain.format(last), plain.format(first)
    parts, params = [], []
    for word in q.split():
        last_sql, last_params = _name_starts(last, word)
        first_sql, first_params = _name_starts(first, word)
        parts.append(f"({last_sql} OR {first_sql})")
        params += last_params + first_params
    return " AND ".join(parts), params


def _clients_named(q: str, alias: str = "c") -> tuple[str, list[Any]]:
    """Conditions on the client ``alias``: each word of ``q`` starts their first or last name."""
    return _names_start(q, f"{alias}.last_name", f"{alias}.first_name")


def _lead_and_rest(q: str) -> tuple[str, str]:
    """The longest word of ``q`` (looked up in an index) and the others (tested on its entries)."""
    words = q.split()
    lead = max(words, key=len)
    rest = list(words)
    rest.remove(lead)
    return lead, " ".join(rest)


def _named_ids_sql(q: str) -> tuple[str, list[Any]]:
    """The ids of the clients whose first or last name starts with each word of ``q``.

    The longest word is looked up in each index of names, as a last name and as a first name
    (two parts of a union, read one after the other so that a ``LIMIT`` stops the reading);
    the other words are tested on the entries found, from the index alone: each holds both
    names (``hub/migrations/0004_name_search.py``)."""
    lead, rest = _lead_and_rest(q)
    others, other_params = _clients_named(rest) if rest else ("", [])
    parts, params = [], []
    for column in ("c.last_name", "c.first_name"):
        seek, seek_params = _name_starts(column, lead)
        where = f"{seek} AND {others}" if others else seek
        parts.append(f"SELECT c.id FROM {table(Client)} c WHERE {where}")
        params += seek_params + other_params
    return " UNION ALL ".join(parts), params  # both names may match: ids can repeat


def clients_named(q: str) -> tuple[int, ...] | None:
    """The ids of the clients a search by name finds (in order), when there are at most
    ``FEW_CLIENTS``: one query. None when there are more, or ``q`` is an order number (no
    query). Read once, the ids serve every table a list asks."""
    if not q or _is_number(q):
        return None
    ids, params = _named_ids_sql(q)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT named.id FROM ({ids}) named LIMIT %s", [*params, FEW_CLIENTS + 1])
        rows = cursor.fetchall()
    if len(rows) > FEW_CLIENTS:  # (rows, not clients: reading stopped, the rest is unknown)
        return None
    return tuple(sorted({pk for (pk,) in rows}))


Named = dict[str, int]  # how many open orders of each kind a name finds


def _open_named_sql(q: str, model: Any, select: str) -> tuple[str, list[Any]]:
    """``select`` for each open order of ``model`` (as ``n``) whose copy of its client's names
    the name ``q`` finds, read from the indexes of those names alone.

    As for the clients (``_named_ids_sql``): the longest word is looked up as a last name and
    as a first name (two parts of a union, read one after the other), the others tested on the
    entries found: each holds both names (``hub/migrations/0007_client_names.py``)."""
    lead, rest = _lead_and_rest(q)
    others, other_params = (
        _names_start(rest, "n.client_last_name", "n.client_first_name") if rest else ("", [])
    )
    parts, params = [], []
    for column in ("n.client_last_name", "n.client_first_name"):
        seek, seek_params = _name_starts(column, lead)
        where = f"n.completed_date IS NULL AND {seek}" + (f" AND {others}" if others else "")
        parts.append(f"SELECT {select} FROM {table(model)} n WHERE {where}")
        params += seek_params + other_params
    return " UNION ALL ".join(parts), params  # both names may match: orders can repeat


def orders_named(q: str, tables: dict[str, Any]) -> Named | None:
    """How many open orders of each kind (``tables``: its model) the search ``q`` finds by
    their client's name, when there are at most ``FEW_ORDERS`` in all: one query, which reads
    the indexes of the orders' copy of the names and nothing else, and stops past
    ``FEW_ORDERS``. None when there are more, or ``q`` is an order number (no query)."""
    if not q or _is_number(q) or not tables:
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
    if _is_number(q):
        number = q.strip().removeprefix("#").strip()
        return (
            "(o.number = %s OR o.number LIKE %s ESCAPE '\\' OR o.vendor_number = %s)",
            [number, _like_prefix(number), number],
        )
    if named is not None:
        if not named:
            return NOTHING, []
        found, params = _open_named_sql(q, model, "n.id")
        return f"o.id IN ({found})", params
    return _names_start(q, "o.client_last_name", "o.client_first_name", indexed=not walking)
