"""Names in the hub's own SQL (``hub/selectors.py``, ``hub/search.py``, ``hub/summary.py``),
quoted the way the database in use wants them."""

from __future__ import annotations

from typing import Any

from django.db import connection


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: Any) -> str:
    """A model's table."""
    return quoted(model._meta.db_table)
