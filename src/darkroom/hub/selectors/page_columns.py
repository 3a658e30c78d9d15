"""What a page of the hub reads of each open order: its columns, by name, and their SQL.

The columns are named once (:class:`OrderColumns`) and the SELECT list is made from the names,
so a column added can't shift the others. A value of another table (the vendor's name, the
status, the person…) is a subquery of its own, not a join: PostgreSQL plans every order of
eight joined tables before running a query (84 ms measured on the hub's page, which then runs
in 3 ms); a subquery is planned on its own and both databases run it only for the rows returned.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model

from darkroom.catalog.models import PriorityCode, ProductionOrderType, Vendor
from darkroom.clients.models import Session
from darkroom.hub.selectors.order_kinds import PRODUCTION
from darkroom.hub.selectors.sorts import SortColumn, looked_up
from darkroom.hub.sql import quoted, table
from darkroom.studio.models import Department
from darkroom.tracking.models import Status


def _person() -> str:
    """The assigned user's full name, else their login (as ``person_ref`` names people)."""
    full = "TRIM(x.first_name || ' ' || x.last_name)"
    return (
        f"(SELECT CASE WHEN {full} = '' THEN x.{quoted('username')} ELSE {full} END "
        f"FROM {table(get_user_model())} x WHERE x.id = o.status_user_id)"
    )


class OrderColumns(NamedTuple):
    """The values a page reads of each open order, named: the SELECT list is made from these
    names, in this order (:func:`selected_columns`), and its sort values follow them. A column added
    here is added there by name, so no other moves."""

    id: int
    version: int
    client_id: int
    client_first_name: str
    client_last_name: str
    invoice_id: int | None
    order_type: str | None
    vendor_id: int
    vendor: str
    number: str | None
    status_id: int
    status: str
    cycle_id: int
    status_due_date: dt.date
    projected_completion: dt.date | None
    promised_date: dt.date | None
    department: str | None
    user: str | None
    priority: str | None
    session_id: int | None
    remaining_days: int | None


SHOWN = len(OrderColumns._fields)  # values before the sort values
# The places of the dates in a row (SQLite answers them as text).
DATES = tuple(
    OrderColumns._fields.index(name)
    for name in ("status_due_date", "projected_completion", "promised_date")
)


@functools.cache
def selected_columns(kind: str, columns: tuple[SortColumn, ...], vendor: str) -> str:
    """Every value a row shows, by the names of :class:`OrderColumns` and in their order, for
    both tables (NULL where a kind has none), then the sort values (by database vendor: names
    are quoted its way)."""
    del vendor
    production = kind == PRODUCTION
    shown = {
        "id": "o.id",
        "version": "o.version",
        # The client: a proof order's is its session's. The names are the order's own copy.
        "client_id": "o.client_id" if production else looked_up(Session, "client_id", "session_id"),
        "client_first_name": "o.client_first_name",
        "client_last_name": "o.client_last_name",
        "invoice_id": "o.invoice_id" if production else "NULL",
        "order_type": (
            looked_up(ProductionOrderType, "name", "order_type_id") if production else "NULL"
        ),
        "vendor_id": "o.vendor_id",
        "vendor": looked_up(Vendor, "name", "vendor_id"),
        "number": "o.number",
        "status_id": "o.status_id",
        "status": looked_up(Status, "description", "status_id"),
        "cycle_id": looked_up(Status, "cycle_id", "status_id"),
        "status_due_date": "o.status_due_date",
        "projected_completion": "o.projected_completion",
        "promised_date": "o.promised_date" if production else "NULL",
        "department": looked_up(Department, "name", "status_department_id"),
        "user": _person(),
        "priority": looked_up(PriorityCode, "code", "priority_code_id") if production else "NULL",
        "session_id": "NULL" if production else "o.session_id",
        "remaining_days": "o.remaining_days",
    }
    if shown.keys() != set(OrderColumns._fields):
        raise RuntimeError(f"The hub's page names other columns: {sorted(shown)}")
    selected = [shown[name] for name in OrderColumns._fields]
    selected += [column.sql(kind) or "NULL" for column in columns]
    return ", ".join(selected)


# A row read of one table: its sort values, id and kind (where it sorts), then its values. A
# plain tuple, unpacked by these names where it is read: a page makes and merges a hundred of
# them, and a NamedTuple's constructor made the page measurably slower.
Found = tuple[tuple[Any, ...], int, str, OrderColumns]

# An OrderColumns made from the values read, without NamedTuple's Python-level constructor:
# the SELECT list is made from its names, so the number of values is right by construction.
columns_of: Callable[[Iterable[Any]], OrderColumns] = functools.partial(tuple.__new__, OrderColumns)
