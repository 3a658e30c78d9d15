"""The sorts the hub offers (due date, client, number, vendor, promised, projected, order date,
priority) as the SQL of each kind of order.

Every value sorts the same way on both databases: text compared byte by byte (the order
Python's ``<`` gives), so the two tables' pages merge in the order each returned, and a value
of another list (the vendor's name, the priority's position) read by a subquery of its own.
Empty values sort last in either direction; every sort ends on the order's id (``keyset.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model

from darkroom.catalog.models import PriorityCode, Vendor
from darkroom.hub.selectors.order_kinds import PRODUCTION
from darkroom.hub.sql import quoted, table
from darkroom.production.numbers import number_order_sql


def text_order(expression: str) -> str:
    """Text compared byte by byte on both databases (SQLite's BINARY, PostgreSQL's "C"): the
    order Python's ``<`` gives, so the two tables' pages merge in the order each returned."""
    return f'{expression} COLLATE "C"' if connection.vendor == "postgresql" else expression


def looked_up(model: Any, column: str, key: str) -> str:
    """A value of the row an order's foreign key names, as a subquery of its own.

    Not a join: PostgreSQL plans every order of eight joined tables before running a query
    (84 ms measured on the hub's page, which then runs in 3 ms); a subquery per looked-up
    value is planned on its own, and both databases run it only for the rows returned.
    """
    return f"(SELECT x.{quoted(column)} FROM {table(model)} x WHERE x.id = o.{quoted(key)})"


# A sort column named "@…": the list, its ordering column, and the order's foreign key to it.
LOOKUPS: dict[str, Callable[[], tuple[type[Model], str, str]]] = {
    "@vendor": lambda: (Vendor, "name", "vendor_id"),
    "@priority": lambda: (PriorityCode, "position", "priority_code_id"),
}


@dataclass(frozen=True)
class SortColumn:
    """One sort value: its SQL in each table (None: that kind never has one)."""

    production: str
    preproduction: str | None
    type: str  # "date" | "str" | "int"
    nullable: bool  # empty values sort last, whichever the direction

    def sql(self, kind: str) -> str | None:
        expression = self.production if kind == PRODUCTION else self.preproduction
        if expression == NUMBER:  # in numeric order, compared byte by byte already
            return number_order_sql("o.number", connection.vendor)
        if expression is not None and expression.startswith("@"):
            expression = looked_up(*LOOKUPS[expression]())
        if expression is not None and self.type == "str":
            return text_order(expression)
        return expression


NUMBER = "#number"  # the order number, as a number: "9" before "10" (``number_order_sql``)
DUE = SortColumn("o.status_due_date", "o.status_due_date", "date", False)  # open orders have one
SORT_COLUMNS: dict[str, tuple[SortColumn, ...]] = {
    "due": (DUE,),
    # The order's own copy of its client's names (``production/models.py``), which an index of
    # open orders holds in this order (``hub/migrations/0007_client_names.py``).
    "client": (
        SortColumn("o.client_last_name", "o.client_last_name", "str", False),
        SortColumn("o.client_first_name", "o.client_first_name", "str", False),
    ),
    "number": (SortColumn(NUMBER, NUMBER, "str", True),),
    "vendor": (SortColumn("@vendor", "@vendor", "str", False),),
    "promised": (SortColumn("o.promised_date", None, "date", True),),
    "projected": (SortColumn("o.projected_completion", "o.projected_completion", "date", True),),
    "order_date": (SortColumn("o.order_date", "o.order_date", "date", False),),
    "priority": (SortColumn("@priority", None, "int", True), DUE),
}


def sort_columns(sort: str) -> tuple[tuple[SortColumn, ...], bool]:
    """The columns of a sort key and whether it is descending."""
    return SORT_COLUMNS[sort.removeprefix("-")], sort.startswith("-")
