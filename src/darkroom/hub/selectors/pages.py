"""The production hub's pages: the open orders a filter asks for, a page at a time, and a board's
column, as the rows the hub shows.

Why it is shaped this way: a studio keeps every order it ever made (a million, most of them
finished), and the hub must answer as fast on the last day as on the first. So:

* Only *open* orders are read (``completed_date IS NULL``), through partial indexes that hold
  open orders only (``production/models.py``): the finished history is never scanned, and
  nothing counts it.
* Lists page by *keyset*: a page starts after the last row of the one before (its sort values
  and id, in an opaque cursor), so page 400 costs what page 1 does, and an order that changes
  while someone pages neither repeats nor hides the others. Every sort ends on the order's id.
* Production and preproduction orders live in two tables: each is asked for ``limit + 1``
  rows after the cursor and the two are merged here, by the same order the database used.
* The number of queries of a page, a board column or the summary depends on the filter, never
  on how many orders there are (one per kind of order at most, and one for the open orders a
  search by name finds; tests assert it).
* Sorting and searching by client read the open orders' own copy of their client's names
  (kept by the database, ``hub/migrations/0007_client_names.py``), never the clients.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

from darkroom.hub.filters import HubFilter
from darkroom.hub.search import orders_named
from darkroom.hub.selectors.cursors import Position, decode_cursor, encode_cursor
from darkroom.hub.selectors.keyset import compare
from darkroom.hub.selectors.order_kinds import PRODUCTION, kinds_asked, order_model
from darkroom.hub.selectors.page_columns import Found, OrderColumns
from darkroom.hub.selectors.page_query import page_rows
from darkroom.studio.calendar import CalendarNow, calendars_now
from darkroom.tracking.standing import standing

MAX_LIMIT = 500


@dataclass(frozen=True)
class HubRow:
    """One open order as the hub shows it (preproduction orders have no invoice, order type,
    promised date or priority)."""

    kind: str
    id: int
    version: int
    url: str
    client_id: int
    client_name: str
    invoice_id: int | None
    invoice_number: str | None
    order_type: str | None
    vendor_id: int
    vendor: str
    number: str | None
    status_id: int
    status: str
    cycle_id: int
    status_due_date: dt.date | None
    projected_completion: dt.date | None
    promised_date: dt.date | None
    department: str | None
    user: str | None
    priority: str | None
    overdue: bool
    due_today: bool
    at_risk: bool


@dataclass(frozen=True)
class HubPage:
    rows: list[HubRow]
    next_cursor: str | None  # opaque; None = no more


@functools.cache
def _url_pattern(name: str) -> str:
    """A page's URL with "{}" for the id: reversed once, not once per row."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def _hub_row(kind: str, v: OrderColumns, today: dt.date, clocks: dict[Any, CalendarNow]) -> HubRow:
    # Open orders only: the same rule as every record's page (tracking/standing.py).
    now = standing(
        is_open=True,
        due=v.status_due_date,
        projected=v.projected_completion,
        remaining=v.remaining_days,
        promised=v.promised_date,
        today=today,
        calendar=clocks[v.vendor_id].calendar,
    )
    if kind == PRODUCTION:
        url = _url_pattern("production:order-detail").format(v.id)
    else:
        url = _url_pattern("production:proof-order-detail").format(v.id)
    return HubRow(
        kind=kind,
        id=v.id,
        version=v.version,
        url=url,
        client_id=v.client_id,
        client_name=f"{v.client_first_name} {v.client_last_name}".strip(),
        invoice_id=v.invoice_id,
        invoice_number=None if v.invoice_id is None else f"{v.invoice_id:05d}",
        order_type=v.order_type,
        vendor_id=v.vendor_id,
        vendor=v.vendor,
        number=v.number,
        status_id=v.status_id,
        status=v.status,
        cycle_id=v.cycle_id,
        status_due_date=v.status_due_date,
        projected_completion=now.projected_completion,
        promised_date=v.promised_date,
        department=v.department,
        user=v.user,
        priority=v.priority,
        overdue=now.overdue,
        due_today=now.due_today,
        at_risk=now.at_risk,
    )


def _check_limit(limit: int) -> None:
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Show from 1 to {MAX_LIMIT} orders a page."]})


def hub_page(
    f: HubFilter, *, today: dt.date, cursor: str | None = None, limit: int = 50
) -> HubPage:
    """A page of the open orders ``f`` asks for, after ``cursor`` (None: the first page).

    One query per kind of order the filter can find (two at most), whatever the page shows,
    and one more for a search by name (the open orders it finds: ``orders_named``).
    A malformed cursor, or one of another sort, is ``ValidationError({"cursor": …})``.
    """
    _check_limit(limit)
    at = decode_cursor(cursor, f.sort)
    named = orders_named(f.q, {kind: order_model(kind) for kind in kinds_asked(f)})
    tables = [
        page_rows(kind, f, today=today, at=at, limit=limit + 1, named=named)
        for kind in kinds_asked(f)
    ]
    found: list[Found] = [row for rows in tables if rows for row in rows]
    if sum(1 for rows in tables if rows) > 1:  # each table's rows are in order: merge them
        order = functools.cmp_to_key(functools.partial(compare, f.sort.startswith("-")))
        found = list(heapq.merge(*tables, key=order))
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        keys, pk, kind, _ = shown[-1]
        next_cursor = encode_cursor(f.sort, Position(values=keys, id=pk, kind=kind))
    # The vendors' calendars: the projection of a late order counts from today on them.
    clocks = calendars_now({values.vendor_id for _, _, _, values in shown}) if shown else {}
    return HubPage(
        rows=[_hub_row(kind, values, today, clocks) for _, _, kind, values in shown],
        next_cursor=next_cursor,
    )


def board_column(
    f: HubFilter, *, status_id: int, today: dt.date, cursor: str | None = None, limit: int = 20
) -> HubPage:
    """One column of the board: a page of the filter's orders in one status (each column
    pages on its own cursor). A filter that leaves that status out gives an empty column."""
    if f.statuses and status_id not in f.statuses:
        _check_limit(limit)
        decode_cursor(cursor, f.sort)
        return HubPage(rows=[], next_cursor=None)
    return hub_page(replace(f, statuses=(status_id,)), today=today, cursor=cursor, limit=limit)
