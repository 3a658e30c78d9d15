"""Where a page of the hub ends, as an opaque cursor the next page starts after.

A cursor holds the last row's sort values, id and kind, so page 400 costs what page 1 does and
an order that changes while someone pages neither repeats nor hides the others. It comes back
from the browser or an API client, so it is read strictly: a cursor the hub didn't give, or one
of another sort, is a ``ValidationError`` on ``cursor``, never a query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.hub.selectors.order_kinds import KIND_RANK
from darkroom.hub.selectors.sorts import SortColumn, sort_columns
from darkroom.page_cursors import cursor_envelope, cursor_text


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last row's sort values, id and kind."""

    values: tuple[Any, ...]
    id: int
    kind: str


def encode_cursor(sort: str, position: Position) -> str:
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
    columns, _ = sort_columns(sort)
    values, pk, kind = data["v"], data["id"], data["k"]
    if not isinstance(values, list) or len(values) != len(columns):
        raise _bad_cursor("it is malformed")
    if type(pk) is not int or not 0 < pk < 2**62 or kind not in KIND_RANK:
        raise _bad_cursor("it is malformed")
    decoded = tuple(_decode_value(v, c) for v, c in zip(values, columns, strict=True))
    return Position(values=decoded, id=pk, kind=kind)
