"""The all-orders list's keyset cursors: where a page starts, after the last row of the one
before (its sort values, id and kind), and the condition that reads on from there.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThan,
    TupleGreaterThanOrEqual,
    TupleLessThan,
    TupleLessThanOrEqual,
)

from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.order_list.filters import CAN_BE_EMPTY, COLUMNS, DATES, KIND_RANK

# -- cursors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last row's sort values, id and kind. The values: the column's
    (None: empty) for a sort by a column; the name and id of the vendor, order type or status
    (none: no status yet); the client's last and first names and id."""

    values: tuple[Any, ...]
    id: int
    kind: str


def encode_cursor(sort: str, at: Position) -> str:
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


def id_after(kind: str, at: Position, desc: bool) -> Q:
    """Orders of ``kind`` after ``at`` among those with its sort values: by id, and on the
    same id the table that comes later (production first)."""
    rank, at_rank = KIND_RANK[kind], KIND_RANK[at.kind]
    inclusive = rank < at_rank if desc else rank > at_rank
    return Q(**{f"id__{'lt' if desc else 'gt'}{'e' if inclusive else ''}": at.id})


def row_after(kind: str, at: Position, desc: bool) -> Any:
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


def in_list_order(rows: list[Found], desc: bool) -> list[Found]:
    """Rows in the list's order: by their sort values, then id, then kind (production first);
    all of it the other way when ``desc``. (Only rows with values alike, or empty alike, are
    compared: empty values never are.)"""

    def compare(a: Found, b: Found) -> int:
        x, y = (a[0], a[1], KIND_RANK[a[2]]), (b[0], b[1], KIND_RANK[b[2]])
        order = 0 if x == y else 1 if x > y else -1
        return -order if desc else order

    return sorted(rows, key=functools.cmp_to_key(compare))
