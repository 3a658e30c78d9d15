"""What every report's reader shares: raw SQL's names, sums to the cent, keyset ranges and the
records' addresses.

The reports read with raw SQL (each query is shaped for one index, and an ORM queryset would hide
that shape); these are the small pieces every such query needs, spelled once.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django.db import connection
from django.urls import reverse

CENT = Decimal("0.01")


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: Any) -> str:
    return quoted(model._meta.db_table)


def money(value: Any) -> Decimal:
    """A sum as the database gives it (SQLite: a float) to the cent."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def day(value: Any) -> dt.date:
    """A date column as the database gives it (SQLite answers raw SQL's dates as text)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    assert isinstance(value, dt.date)
    return value


def rows_after(columns: list[str], values: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """Rows after ``values`` in the order of ``columns`` (row-value comparison spelled out,
    which both databases read as a range of the index)."""
    parts: list[str] = []
    params: list[Any] = []
    for i, column in enumerate(columns):
        same = [f"{c} = %s" for c in columns[:i]]
        parts.append("(" + " AND ".join([*same, f"{column} > %s"]) + ")")
        params += [*values[:i], values[i]]
    return "(" + " OR ".join(parts) + ")", params


# reverse() costs more than the rest of a row together (measured: 85 % of a page): each kind
# of record's address is made once, for an id no record has, and the id put in its place.
_NO_ID = 987_654_321_987


@functools.cache
def _url_pattern(name: str) -> tuple[str, str]:
    before, after = reverse(name, args=[_NO_ID]).split(str(_NO_ID))
    return before, after


def url_of(name: str, pk: int) -> str:
    before, after = _url_pattern(name)
    return f"{before}{pk}{after}"
