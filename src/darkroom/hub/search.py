"""The hub's search: by order number, or by client name, fast whatever the studio's size.

Text with a digit is an order number: the studio's (equal, or as a prefix; a leading "#" is
ignored) or the vendor's own number for the order (equal, through its index); other text is a
name, each word starting the client's first or last name, case ignored. Only open orders are
looked at, as everywhere in the hub (``hub/selectors.py``, which puts the condition made here in
its queries: ``o`` is the order, ``c`` its client and, for a proof order, ``ss`` its session).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from darkroom.clients.models import Client, Session
from darkroom.hub.sql import table

NOTHING = "1 = 0"


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _is_number(q: str) -> bool:
    return any(c.isdigit() for c in q)


# How a search by name is answered. The ids of the clients it finds are read first, through
# indexes of their upper-cased names (``hub/migrations/0004_name_search.py``). Up to
# FEW_CLIENTS of them, their open orders are found by client (a probe each) and the page is
# sorted from those. A name more clients share is on one open order in a few dozen: a page
# walks its own index instead, looking each order's client up and testing the name, and
# fills quickly. (The two ways cost the same at about sqrt(51 × clients) clients.)
FEW_CLIENTS = 2_000


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


def _clients_named(q: str, alias: str = "c") -> tuple[str, list[Any]]:
    """Conditions on the client ``alias``: each word of ``q`` starts their first or last name."""
    parts, params = [], []
    for word in q.split():
        last, last_params = _name_starts(f"{alias}.last_name", word)
        first, first_params = _name_starts(f"{alias}.first_name", word)
        parts.append(f"({last} OR {first})")
        params += last_params + first_params
    return " AND ".join(parts), params


def _named_ids_sql(q: str) -> tuple[str, list[Any]]:
    """The ids of the clients whose first or last name starts with each word of ``q``.

    The longest word is looked up in each index of names, as a last name and as a first name
    (two parts of a union, read one after the other so that a ``LIMIT`` stops the reading);
    the other words are tested on the entries found, from the index alone: each holds both
    names (``hub/migrations/0004_name_search.py``)."""
    words = q.split()
    lead = max(words, key=len)
    rest = list(words)
    rest.remove(lead)
    others, other_params = _clients_named(" ".join(rest)) if rest else ("", [])
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
    query). Read once, the ids serve every table a page or a summary asks."""
    if not q or _is_number(q):
        return None
    ids, params = _named_ids_sql(q)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT named.id FROM ({ids}) named LIMIT %s", [*params, FEW_CLIENTS + 1])
        rows = cursor.fetchall()
    if len(rows) > FEW_CLIENTS:  # (rows, not clients: reading stopped, the rest is unknown)
        return None
    return tuple(sorted({pk for (pk,) in rows}))


def search_condition(
    q: str, named: tuple[int, ...] | None, *, production: bool, walking: bool
) -> tuple[str, list[Any]]:
    """The client's first or last name starts with each word, or the order number is ``q`` or
    starts with it.

    Text with a digit is an order number; other text is a name, looked for among open orders
    only: the history is never read. Case is ignored in names. ``production``: for production
    orders (a proof order's client is its session's). ``named``: the clients the name finds
    (``clients_named``; None: too many to list). ``walking``: the query walks an
    index of open orders in its page's order, and so, for a name many clients share, tests
    the name of each order's client as it goes (a summary counts every order of those
    clients, found by client). See FEW_CLIENTS.
    """
    if _is_number(q):
        number = q.strip().removeprefix("#").strip()
        return (
            "(o.number = %s OR o.number LIKE %s ESCAPE '\\' OR o.vendor_number = %s)",
            [number, _like_prefix(number), number],
        )
    if named is None and walking:
        # A subquery per order, which no planner turns into a join that starts from the
        # clients (PostgreSQL would, then sort thousands of orders for a page).
        where, params = _clients_named(q, alias="cn")
        client = "o.client_id" if production else "ss.client_id"  # a page joins the session
        return f"(SELECT 1 FROM {table(Client)} cn WHERE cn.id = {client} AND {where}) = 1", params
    if named is None:
        clients, params = _named_ids_sql(q)
    elif not named:
        return NOTHING, []
    else:
        clients, params = ", ".join(str(int(pk)) for pk in named), []  # ids from the database
    if production:
        return f"o.client_id IN ({clients})", params
    sessions = f"SELECT ss.id FROM {table(Session)} ss WHERE ss.client_id IN ({clients})"
    return f"o.session_id IN ({sessions})", params
