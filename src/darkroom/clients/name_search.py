"""A search by a client's name: each word of the text starts the client's first or last name,
case ignored, answered from indexes of the upper-cased names, never by reading every client.

The all-orders list (``production/order_list/``) reads the ids of the clients a name finds first
(``clients_named``, through the clients' indexes of names, ``hub/migrations/0004_name_search.py``);
the hub looks the same words up in the open orders' own copy of their client's names
(``hub/search.py``, with ``names_start``). Text with a digit is an order number, not a name
(``is_order_number``).

Below both production and the hub, so that each reads names the same way and neither imports
the other.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from darkroom.clients.models import Client


def like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def is_order_number(q: str) -> bool:
    return any(c.isdigit() for c in q)


# How the list of all orders (``production/order_list/``) answers a search by name: the ids of
# the clients it finds are read first, through indexes of their upper-cased names
# (``hub/migrations/0004_name_search.py``), up to FEW_CLIENTS of them.
FEW_CLIENTS = 2_000


def _sqlite_upper(text: str) -> str:
    """SQLite's ``UPPER``: ASCII letters only (its ``LIKE`` ignores the case of those alone)."""
    return "".join(chr(ord(c) - 32) if "a" <= c <= "z" else c for c in text)


def just_after(prefix: str) -> str | None:
    """The least text after every text that starts with ``prefix``, in code point order (how
    SQLite compares UTF-8 text); None when nothing is (a prefix of U+10FFFF only)."""
    chars = list(prefix)
    while chars:
        point = ord(chars.pop()) + 1
        if point <= 0x10FFFF:
            return "".join(chars) + chr(0xE000 if 0xD800 <= point <= 0xDFFF else point)
    return None


def name_starts(column: str, word: str) -> tuple[str, list[Any]]:
    """``column`` starts with ``word``, case ignored.

    On PostgreSQL ``UPPER(column) LIKE UPPER('word%')``, whose prefix its planner turns into a
    range of the ``text_pattern_ops`` index of ``UPPER(column)``. SQLite does not do that for
    an upper-cased column, so it is given the range itself: the upper-cased names from the
    word to just after it. That is the same test (its ``UPPER`` and case-blind ``LIKE`` both
    know ASCII letters only), and it is answered from the index alone.
    """
    if connection.vendor != "sqlite":
        return f"(UPPER({column}) LIKE UPPER(%s) ESCAPE '\\')", [like_prefix(word)]
    low = _sqlite_upper(word)
    high = just_after(low)
    if high is None:
        return f"(UPPER({column}) >= %s)", [low]
    return f"(UPPER({column}) >= %s AND UPPER({column}) < %s)", [low, high]


def names_start(q: str, last: str, first: str, *, indexed: bool = True) -> tuple[str, list[Any]]:
    """Each word of ``q`` starts the ``last`` or the ``first`` name. ``indexed``: as ranges of
    the indexes of the upper-cased names; else spelled so that no index is taken for them (a
    test on each row that a walk of another index reads: ``+`` on SQLite, ``|| ''`` on
    PostgreSQL)."""
    if not indexed:
        plain = "+{}" if connection.vendor == "sqlite" else "({} || '')"
        last, first = plain.format(last), plain.format(first)
    parts, params = [], []
    for word in q.split():
        last_sql, last_params = name_starts(last, word)
        first_sql, first_params = name_starts(first, word)
        parts.append(f"({last_sql} OR {first_sql})")
        params += last_params + first_params
    return " AND ".join(parts), params


def _clients_named(q: str, alias: str = "c") -> tuple[str, list[Any]]:
    """Conditions on the client ``alias``: each word of ``q`` starts their first or last name."""
    return names_start(q, f"{alias}.last_name", f"{alias}.first_name")


def lead_and_rest(q: str) -> tuple[str, str]:
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
    lead, rest = lead_and_rest(q)
    others, other_params = _clients_named(rest) if rest else ("", [])
    clients = connection.ops.quote_name(Client._meta.db_table)
    parts, params = [], []
    for column in ("c.last_name", "c.first_name"):
        seek, seek_params = name_starts(column, lead)
        where = f"{seek} AND {others}" if others else seek
        parts.append(f"SELECT c.id FROM {clients} c WHERE {where}")
        params += seek_params + other_params
    return " UNION ALL ".join(parts), params  # both names may match: ids can repeat


def clients_named(q: str) -> tuple[int, ...] | None:
    """The ids of the clients a search by name finds (in order), when there are at most
    ``FEW_CLIENTS``: one query. None when there are more, or ``q`` is an order number (no
    query). Read once, the ids serve every table a list asks."""
    if not q or is_order_number(q):
        return None
    ids, params = _named_ids_sql(q)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT named.id FROM ({ids}) named LIMIT %s", [*params, FEW_CLIENTS + 1])
        rows = cursor.fetchall()
    if len(rows) > FEW_CLIENTS:  # (rows, not clients: reading stopped, the rest is unknown)
        return None
    return tuple(sorted({pk for (pk,) in rows}))
