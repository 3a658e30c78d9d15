"""A query's condition written out word for word, so that SQLite uses a partial index.

The worker's queues are read through partial indexes: ``CREATE INDEX … WHERE "state" IN
('pending', 'retry')`` holds only the rows still waiting, however long the history grows.
SQLite uses such an index only when the query's WHERE carries the same term with the same
values; a bound parameter is unknown when the plan is made, and Django binds every value of a
filter, so ``filter(state__in=…)`` never matches and the queue is read through another index
or the whole table (tens of milliseconds beside a hundred thousand delivered rows, every round).
:func:`one_of` writes the term out instead, for the few queries the worker runs all the time.
PostgreSQL plans the same either way (its driver sends the values in the statement).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Field, Model
from django.db.models.expressions import RawSQL

# Only the code's own state names are written into SQL: never a value a person typed.
_PLAIN = re.compile(r"[a-z_]+")


def one_of(model: type[Model], field: str, values: Iterable[str]) -> RawSQL:
    """``"<table>"."<column>" IN ('a', 'b')`` for :meth:`QuerySet.filter`, the values written
    out as the partial index's condition writes them (in the same order)."""
    listed = [str(value) for value in values]  # a TextChoices member says its value
    if not listed or not all(_PLAIN.fullmatch(value) for value in listed):
        raise ValueError(f"one_of takes plain lowercase state names, not {listed!r}")
    named = model._meta.get_field(field)
    if not isinstance(named, Field) or named.column is None:
        raise ValueError(f"one_of takes a column of {model.__name__}, not {field!r}")
    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(named.column)}"
    words = ", ".join(f"'{value}'" for value in listed)
    return RawSQL(f"{column} IN ({words})", [], output_field=BooleanField())
