"""The words of the hub's own SQL: names quoted the way the database in use wants them, dates
as it stores them, lists of ids, conditions.

The hub writes its own SQL (portable: the same text runs on SQLite and PostgreSQL): building
and compiling the ORM query of a page took several times what the database then spent
answering it through the right index (measured), and the hub must answer in milliseconds.
Its pages (``hub/selectors/``), search (``hub/search.py``) and summary (``hub/summary.py``)
share these."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

TRUE, FALSE = "1 = 1", "1 = 0"
Condition = tuple[str, list[Any]]  # SQL and its parameters


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: Any) -> str:
    """A model's table."""
    return quoted(model._meta.db_table)


def date_param(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def as_date(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def in_ids(column: str, ids: tuple[int, ...]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)
