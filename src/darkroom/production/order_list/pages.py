"""A page of the all-orders list, and every order a filter finds for the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from darkroom.clients.name_search import clients_named
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.order_list.cursors import Found, Position, decode_cursor, encode_cursor
from darkroom.production.order_list.filters import (
    MAX_LIMIT,
    PREPRODUCTION,
    PRODUCTION,
    OrderListFilter,
    check_filter,
)
from darkroom.production.order_list.query import found_after
from darkroom.production.selectors import OrderRow, order_rows

# -- a page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderListPage:
    rows: list[OrderRow]
    next_cursor: str | None


def _named(f: OrderListFilter) -> tuple[int, ...] | None:
    return clients_named(f.q.strip()) if f.q.strip() else None


def order_list_page(
    f: OrderListFilter,
    *,
    cursor: str | None = None,
    limit: int = 50,
    today: dt.date | None = None,
) -> OrderListPage:
    """A page of the orders ``f`` asks for after ``cursor`` (None: the first page).

    A sort by a column: one query per kind of order the filter can find, two when the column
    can be empty and the page reaches its empty ones. By vendor, type or status: one for the
    groups, then one per group and kind until the page is full; by client, one per batch of
    clients and kind. Then one for a search by name, one for the calendar key (the projected
    completions): never one per order, and nothing is counted. A bad sort or cursor (one of
    another sort) is a ValidationError naming it, nothing read.
    """
    check_filter(f)
    if type(limit) is not int or not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": [f"Show from 1 to {MAX_LIMIT} orders a page."]})
    at = decode_cursor(cursor, f.sort)
    found = found_after(f, _named(f), at, limit + 1)
    shown = found[:limit]
    next_cursor = None
    if len(found) > limit:
        values, pk, kind = shown[-1]
        next_cursor = encode_cursor(f.sort, Position(values, pk, kind))
    return OrderListPage(rows=order_rows(_load(shown), today=today), next_cursor=next_cursor)


def _load(shown: list[Found]) -> list[Any]:
    """The page's orders whole, with what a row shows: one query per kind of order on it."""
    loaded: dict[str, dict[int, Any]] = {}
    for kind, model, related in (
        (PRODUCTION, ProductionOrder, ("vendor", "order_type", "status", "client", "invoice")),
        (PREPRODUCTION, PreproductionOrder, ("vendor", "status", "session__client")),
    ):
        ids = [pk for _, pk, k in shown if k == kind]
        if ids:
            loaded[kind] = model.objects.select_related(*related).order_by().in_bulk(ids)
    return [loaded[kind][pk] for _, pk, kind in shown]


def iter_orders(f: OrderListFilter, *, today: dt.date | None = None) -> Iterator[OrderRow]:
    """Every order ``f`` asks for, in the list's order, a chunk of pages at a time (the
    export): memory holds one chunk, whatever the number of orders."""
    cursor = None
    while True:
        page = order_list_page(f, cursor=cursor, limit=MAX_LIMIT, today=today)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
