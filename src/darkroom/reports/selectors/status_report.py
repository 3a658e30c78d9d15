"""The status reports: the studio's open records of one kind, per status, with what they are worth.

Three reports share this reader: **orders** (production or preproduction, the product's "Order
status report"), **sessions** and **invoices** — each kind follows a tracking cycle, and the
report shows its open records in one status or all, due by a date, assigned to one person, at
one vendor (orders), sorted by number, due date or client, with the count and the invoice value
in each status above them.

Why it is shaped this way: a studio keeps every record it ever made (a million orders, most of
them finished), and the report must answer as fast on the last day as on the first. So:

* Only *open* records are read (``completed_date IS NULL``, spelled as the partial indexes over
  open records are, ``production/models.py`` and ``TrackedRecord.open_due_date_index``), so the
  finished history is never scanned.
* The totals per status are one grouped query; for production orders it reads the hub's
  covering index of open orders by status and invoice (``hub_po_summary_idx``) and joins each
  distinct invoice once.
* Rows come a page at a time by *keyset* (the last row's sort values and id, in a cursor): the
  sort reads an index of open records in its own order (by due date, number or client's name,
  the hub's indexes) and stops after a page. Exports walk every page the same way, so memory
  stays flat however many rows there are.

*Invoice value in a status* follows the hub's rule (``hub/summary.py``): the sum of the totals
of the distinct invoices with at least one open record of the filter in that status. An invoice
with two orders at the lab counts once there; a proof order has no invoice and adds nothing; a
session is worth its invoices; an invoice is worth its total.

One module on purpose (a little over 400 lines): the totals, a page of rows and the export are
read under the same conditions, tables and sorts, built here once, and checked against one
another by the tests; apart, a change to one could quietly stop matching the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from darkroom.catalog.models import Vendor
from darkroom.clients.models import Client, Invoice, Session, SessionType
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_sql
from darkroom.reports.selectors.common import money, rows_after, table, url_of
from darkroom.tracking.models import CycleKind, Status

ORDERS, SESSIONS, INVOICES = "orders", "sessions", "invoices"
PRODUCTION, PREPRODUCTION = "production", "preproduction"
STAGES = {PRODUCTION: "Production", PREPRODUCTION: "Preproduction (proofs)"}
SORTS = {"number": "Number", "due": "Due date", "client": "Client"}
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class StatusReportFilter:
    """Which open records a status report shows, and in which order (defaults: every open
    production order, by number)."""

    report: str = ORDERS  # ORDERS | SESSIONS | INVOICES
    stage: str = PRODUCTION  # orders only: PRODUCTION | PREPRODUCTION
    order_type: int | None = None  # production orders only
    status: int | None = None
    due_by: dt.date | None = None  # due on or before
    user: int | None = None  # the person the record's current status is assigned to
    vendor: int | None = None  # orders only
    sort: str = "number"

    @property
    def cycle_kind(self) -> str:
        if self.report == ORDERS:
            return CycleKind.PRODUCTION if self.stage == PRODUCTION else CycleKind.PREPRODUCTION
        return CycleKind.SESSION if self.report == SESSIONS else CycleKind.INVOICE

    @property
    def has_value(self) -> bool:
        """Whether its records have an invoice value (proof orders have no invoice)."""
        return not (self.report == ORDERS and self.stage == PREPRODUCTION)


@dataclass(frozen=True)
class StatusTotal:
    """How many open records of the filter are in one status, and the invoice value there."""

    status_id: int
    status: str
    cycle: str
    count: int
    invoice_value: Decimal


@dataclass(frozen=True)
class StatusTotals:
    statuses: list[StatusTotal]  # in cycle order

    @property
    def count(self) -> int:
        return sum(s.count for s in self.statuses)

    @property
    def invoice_value(self) -> Decimal:
        return sum((s.invoice_value for s in self.statuses), Decimal("0.00"))


@dataclass(frozen=True)
class ReportRow:
    """One open record as the report shows it."""

    id: int
    number: str
    url: str
    due_date: dt.date | None
    status_id: int
    status: str
    vendor: str | None
    client: str
    invoice_value: Decimal | None


@dataclass(frozen=True)
class ReportPage:
    rows: list[ReportRow]
    next_cursor: str | None


# -- SQL -----------------------------------------------------------------------------------------


def _text(sql: str) -> str:
    """Text compared byte by byte on both databases, as the hub's indexes hold it."""
    return f'({sql} COLLATE "C")' if connection.vendor == "postgresql" else sql


def _main_table(f: StatusReportFilter) -> Any:
    if f.report == ORDERS:
        return ProductionOrder if f.stage == PRODUCTION else PreproductionOrder
    return Session if f.report == SESSIONS else Invoice


def _conditions(f: StatusReportFilter) -> tuple[list[str], list[Any]]:
    """The WHERE of the filter over ``o``, open records in a status only."""
    conditions = ["o.completed_date IS NULL", "(+o.status_id) IS NOT NULL"]
    params: list[Any] = []
    for column, value in [
        ("o.status_id", f.status),
        ("o.status_user_id", f.user),
        ("o.vendor_id", f.vendor if f.report == ORDERS else None),
        ("o.order_type_id", f.order_type if f.report == ORDERS else None),
    ]:
        if value is not None:
            conditions.append(f"{column} = %s")
            params.append(value)
    if f.due_by is not None:
        conditions.append("o.status_due_date <= %s")
        params.append(f.due_by)
    return conditions, params


def _totals_sql(f: StatusReportFilter) -> tuple[str, list[Any]]:
    conditions, params = _conditions(f)
    where = " AND ".join(conditions)
    main, invoices = table(_main_table(f)), table(Invoice)
    if f.report == ORDERS and f.stage == PRODUCTION:
        # Each invoice once per status: group by (status, invoice) over the covering index,
        # then add each invoice's total.
        return (
            "SELECT d.status_id, SUM(d.n), SUM(i.total) FROM ("
            f"SELECT o.status_id, o.invoice_id, COUNT(*) AS n FROM {main} o WHERE {where}"
            " GROUP BY o.status_id, o.invoice_id"
            f") d INNER JOIN {invoices} i ON i.id = d.invoice_id GROUP BY d.status_id",
            params,
        )
    if f.report == ORDERS:
        return (
            f"SELECT o.status_id, COUNT(*), NULL FROM {main} o WHERE {where} GROUP BY o.status_id",
            params,
        )
    if f.report == SESSIONS:
        return (
            f"SELECT o.status_id, COUNT(*), SUM((SELECT SUM(i.total) FROM {invoices} i"
            f" WHERE i.session_id = o.id)) FROM {main} o WHERE {where} GROUP BY o.status_id",
            params,
        )
    return (
        f"SELECT o.status_id, COUNT(*), SUM(o.total) FROM {main} o WHERE {where}"
        " GROUP BY o.status_id",
        params,
    )


def status_totals(f: StatusReportFilter) -> StatusTotals:
    """The count and invoice value of ``f``'s open records in each status, in cycle order
    (statuses with none left out). Two queries: the totals, then the statuses' names."""
    sql, params = _totals_sql(f)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {row[0]: (int(row[1]), money(row[2])) for row in cursor.fetchall()}
    statuses = Status.objects.filter(pk__in=found).select_related("cycle")
    ordered = sorted(statuses, key=lambda s: (s.cycle.name.lower(), s.cycle_id, s.position, s.pk))
    return StatusTotals(
        statuses=[
            StatusTotal(
                status_id=s.pk,
                status=s.description,
                cycle=s.cycle.name,
                count=found[s.pk][0],
                invoice_value=found[s.pk][1],
            )
            for s in ordered
        ]
    )


# -- rows a page at a time -----------------------------------------------------------------------


@dataclass(frozen=True)
class _SortKey:
    sql: str  # the first sort column
    more: tuple[str, ...]  # any further columns, never empty
    nullable: bool  # whether the first may be empty (those rows come last)
    type: str  # "date" | "str" | "int"


def _sort_key(f: StatusReportFilter) -> _SortKey:
    orders = f.report == ORDERS
    if f.sort == "due":
        # An open record in a status has a due date, unless someone cleared it: those last.
        return _SortKey("o.status_due_date", (), True, "date")
    if f.sort == "client":
        if orders:  # the open order's own copy of its client's names, indexed by the hub
            return _SortKey(
                _text("o.client_last_name"), (_text("o.client_first_name"),), False, "str"
            )
        return _SortKey(_text("c.last_name"), (_text("c.first_name"),), False, "str")
    if orders:  # in numeric order, as the hub and its index of numbers sort them
        return _SortKey(number_order_sql("o.number", connection.vendor), (), True, "str")
    return _SortKey("o.id", (), False, "int")


def _select(f: StatusReportFilter) -> tuple[str, str]:
    """What a row shows, in :class:`ReportRow`'s order (the columns), and where from."""
    main, statuses = table(_main_table(f)), table(Status)
    vendors, invoices, clients = table(Vendor), table(Invoice), table(Client)
    status = f"(SELECT s.description FROM {statuses} s WHERE s.id = o.status_id)"
    if f.report == ORDERS:
        vendor = f"(SELECT v.name FROM {vendors} v WHERE v.id = o.vendor_id)"
        value = (
            f"(SELECT i.total FROM {invoices} i WHERE i.id = o.invoice_id)"
            if f.stage == PRODUCTION
            else "NULL"
        )
        return (
            f"o.id, o.number, o.status_due_date, o.status_id, {status}, {vendor},"
            f" o.client_first_name, o.client_last_name, {value}",
            f"{main} o",
        )
    joined = f"{main} o INNER JOIN {clients} c ON c.id = o.client_id"
    if f.report == SESSIONS:
        kind = f"(SELECT t.name FROM {table(SessionType)} t WHERE t.id = o.session_type_id)"
        value = f"(SELECT SUM(i.total) FROM {invoices} i WHERE i.session_id = o.id)"
        return (
            f"o.id, {kind}, o.status_due_date, o.status_id, {status}, NULL,"
            f" c.first_name, c.last_name, {value}",
            joined,
        )
    return (
        "o.id, NULL, o.status_due_date, o.status_id, "
        f"{status}, NULL, c.first_name, c.last_name, o.total",
        joined,
    )


def _row(f: StatusReportFilter, raw: tuple[Any, ...]) -> ReportRow:
    pk, number, due, status_id, status, vendor, first, last, value = raw[:9]
    if f.report == ORDERS:
        name = (
            "production:order-detail" if f.stage == PRODUCTION else "production:proof-order-detail"
        )
        shown = number or ""
    elif f.report == SESSIONS:
        name, shown = "clients:session-detail", f"{number} #{pk}"
    else:
        name, shown = "clients:invoice-detail", f"{pk:05d}"
    if isinstance(due, str):  # SQLite answers raw SQL's dates as text
        due = dt.date.fromisoformat(due)
    return ReportRow(
        id=pk,
        number=shown,
        url=url_of(name, pk),
        due_date=due,
        status_id=status_id,
        status=status or "",
        vendor=vendor,
        client=f"{first or ''} {last or ''}".strip(),
        invoice_value=money(value) if f.has_value else None,
    )


def _bad_cursor(why: str) -> ValidationError:
    return ValidationError(
        {"cursor": [f"This cursor is not one this report gave ({why}): start from the first page."]}
    )


def _position(cursor: str | None, f: StatusReportFilter, key: _SortKey) -> tuple[Any, ...] | None:
    """The sort values and id a cursor names, checked strictly."""
    data = cursor_envelope(cursor, f.sort, _bad_cursor)
    if data is None:
        return None
    values, pk = data["v"], data["id"]
    if data["k"] != f.report or not isinstance(values, list) or len(values) != 1 + len(key.more):
        raise _bad_cursor("it is malformed")
    if type(pk) is not int or not 0 < pk < 2**62:
        raise _bad_cursor("it is malformed")
    checked: list[Any] = []
    for index, value in enumerate(values):
        if value is None:
            if index or not key.nullable:
                raise _bad_cursor("a value is missing")
            checked.append(None)
        elif key.type == "date" and index == 0:
            try:
                checked.append(dt.date.fromisoformat(value))
            except (TypeError, ValueError):
                raise _bad_cursor("a date is malformed") from None
        elif key.type == "int" and index == 0:
            if type(value) is not int or abs(value) > 2**62:
                raise _bad_cursor("a number is malformed")
            checked.append(value)
        elif not isinstance(value, str) or len(value) > 200 or "\x00" in value:
            raise _bad_cursor("a text is malformed")
        else:
            checked.append(value)
    return (*checked, pk)


def _sort_values(f: StatusReportFilter, raw: tuple[Any, ...], key: _SortKey) -> list[Any]:
    """The sort values of a fetched row, which the query adds after the shown columns."""
    values = list(raw[9:])
    if key.type == "date" and isinstance(values[0], str):
        values[0] = dt.date.fromisoformat(values[0])
    return values


def report_page(
    f: StatusReportFilter, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> ReportPage:
    """One page of ``f``'s open records in its sort, after ``cursor``: rows with a sort value
    first by it (an index range), then those without by id. One query, two when a page crosses
    into the rows without a value."""
    key = _sort_key(f)
    columns = [key.sql, *key.more, "o.id"]
    at = _position(cursor, f, key)
    rows: list[tuple[Any, ...]] = []
    if at is None or at[0] is not None:
        extra = [f"{key.sql} IS NOT NULL"] if key.nullable else []
        params: list[Any] = []
        if at is not None:
            after, params = rows_after(columns, at)
            extra.append(after)
        rows = _fetch_sorted(f, key, extra, params, columns, limit + 1)
    if key.nullable and len(rows) <= limit:
        extra, params = [f"{key.sql} IS NULL"], []
        if at is not None and at[0] is None:
            extra.append("o.id > %s")
            params.append(at[-1])
        rows += _fetch_sorted(f, key, extra, params, ["o.id"], limit + 1 - len(rows))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = cursor_text(f.sort, _sort_values(f, last, key), last[0], f.report)
    return ReportPage(rows=[_row(f, r) for r in rows], next_cursor=next_cursor)


def _fetch_sorted(
    f: StatusReportFilter,
    key: _SortKey,
    extra: list[str],
    params: list[Any],
    order: list[str],
    n: int,
) -> list[tuple[Any, ...]]:
    """Up to ``n`` rows in ``order``, each with its sort values after the shown columns."""
    conditions, where_params = _conditions(f)
    shown, source = _select(f)
    sql = (
        f"SELECT {shown}, {', '.join([key.sql, *key.more])} FROM {source}"
        f" WHERE {' AND '.join([*conditions, *extra])}"
        f" ORDER BY {', '.join(order)} LIMIT {int(n)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*where_params, *params])
        return [tuple(r) for r in cursor.fetchall()]


def report_rows(f: StatusReportFilter, *, batch: int = EXPORT_BATCH) -> Iterator[ReportRow]:
    """Every open record of ``f`` in its sort, read a page of ``batch`` at a time (exports):
    never more than one page in memory."""
    cursor: str | None = None
    while True:
        page = report_page(f, cursor=cursor, limit=batch)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
