"""The reorders report: production orders that redo another, over a range of order dates.

A reorder is a production order with ``reorder_of`` set (``production/services/reorders.py``
makes them, always with a reason). Its reason says whether the studio can charge for it: a
*non-chargeable* reason (``ReorderReason.is_non_chargeable``) means the vendor was at fault. The
reason's flag is read as it stands today, as the order's page shows it. A reorder with no reason
(one written by an import) is shown as "No reason recorded" and counted as chargeable: nobody
said it was the vendor's fault. Its cost is what the vendor charged (``vendor_invoice_amount``);
a reorder whose bill hasn't come is counted *without a cost*, never as zero.

Why it is shaped this way: a studio keeps every order it ever made (a million of them), and
reorders are a few in a hundred. Every read goes through ``po_reorder_date_idx``, a partial index
of reorders alone by order date, holding every column the report reads (so SQLite answers from
the index alone), so a year of reorders is one range of a small index:

* The figures are one grouped query — (reason, vendor, month) with the count, the cost and how
  many have a cost — added up per reason, per vendor and per month here: at most reasons ×
  vendors × months groups, however many orders.
* Rows come a page at a time by keyset on (order date, id) in the same index; exports walk every
  page the same way, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

from darkroom.catalog.models import ReorderReason, Vendor
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.production.models import ProductionOrder
from darkroom.reports.selectors.common import day, money, rows_after, table, url_of

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
EXPORT_BATCH = 1000
NO_REASON = "No reason recorded"
SORT = "date"  # the rows' one order: by order date, then id
KIND = "reorders"


@dataclass(frozen=True)
class ReordersFilter:
    """Which reorders the report reads: ordered from ``start`` to ``end`` (both included), at one
    vendor or all, for one reason or all."""

    start: dt.date
    end: dt.date
    vendor: int | None = None
    reason: int | None = None


@dataclass
class Figure:
    """Reorders of one group: how many, how many of those have a cost, and the cost of those."""

    count: int = 0
    costed: int = 0
    cost: Decimal = field(default_factory=lambda: Decimal("0.00"))

    @property
    def uncosted(self) -> int:
        """Reorders without a cost: their bill hasn't come (not free)."""
        return self.count - self.costed

    def add(self, count: int, costed: int, cost: Decimal) -> None:
        self.count += count
        self.costed += costed
        self.cost += cost


@dataclass
class ReasonFigure(Figure):
    reason_id: int | None = None
    reason: str = NO_REASON
    chargeable: bool = True


@dataclass
class VendorFigure(Figure):
    vendor_id: int = 0
    vendor: str = ""
    vendors_fault: int = 0  # of ``count``: for a non-chargeable reason (vendor performance)


@dataclass
class MonthFigure:
    month: dt.date  # its first day
    chargeable: Figure = field(default_factory=Figure)
    non_chargeable: Figure = field(default_factory=Figure)

    @property
    def count(self) -> int:
        return self.chargeable.count + self.non_chargeable.count


@dataclass
class ReorderTotals:
    reasons: list[ReasonFigure]  # by description, "No reason recorded" last
    vendors: list[VendorFigure]  # by name
    months: list[MonthFigure]  # every month of the range, those without reorders too
    chargeable: Figure
    non_chargeable: Figure

    @property
    def all(self) -> Figure:
        both = Figure()
        for part in (self.chargeable, self.non_chargeable):
            both.add(part.count, part.costed, part.cost)
        return both


@dataclass(frozen=True)
class ReorderRow:
    id: int
    number: str
    url: str
    order_date: dt.date
    vendor: str
    reason: str
    chargeable: bool
    cost: Decimal | None  # None: no cost recorded yet
    original_id: int
    original_number: str
    original_url: str


@dataclass(frozen=True)
class ReorderPage:
    rows: list[ReorderRow]
    next_cursor: str | None


def months_of(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first day of every month from ``start``'s to ``end``'s."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _conditions(f: ReordersFilter) -> tuple[list[str], list[Any]]:
    """The WHERE over ``o``, spelled as ``po_reorder_date_idx``'s condition."""
    conditions = ["o.reorder_of_id IS NOT NULL", "o.order_date >= %s", "o.order_date <= %s"]
    params: list[Any] = [f.start, f.end]
    if f.vendor is not None:
        conditions.append("o.vendor_id = %s")
        params.append(f.vendor)
    if f.reason is not None:
        conditions.append("o.reorder_reason_id = %s")
        params.append(f.reason)
    return conditions, params


def _month_sql() -> str:
    if connection.vendor == "postgresql":
        return "to_char(o.order_date, 'YYYY-MM')"
    return "substr(o.order_date, 1, 7)"


def reorder_totals(f: ReordersFilter) -> ReorderTotals:
    """The count and cost of ``f``'s reorders per reason, per vendor and per month, split
    chargeable / not. Three queries: the groups, then the reasons' and vendors' names."""
    conditions, params = _conditions(f)
    month = _month_sql()
    sql = (
        f"SELECT o.reorder_reason_id, o.vendor_id, {month}, COUNT(*),"
        " COUNT(o.vendor_invoice_amount), SUM(o.vendor_invoice_amount)"
        f" FROM {table(ProductionOrder)} o WHERE {' AND '.join(conditions)}"
        f" GROUP BY o.reorder_reason_id, o.vendor_id, {month}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        groups = [
            (reason, vendor, str(m), int(n), int(costed), money(cost))
            for reason, vendor, m, n, costed, cost in cursor.fetchall()
        ]
    reasons = {
        r.pk: r
        for r in ReorderReason.objects.filter(pk__in={g[0] for g in groups if g[0] is not None})
    }
    vendors = dict(Vendor.objects.filter(pk__in={g[1] for g in groups}).values_list("pk", "name"))
    by_reason: dict[int | None, ReasonFigure] = {}
    by_vendor: dict[int, VendorFigure] = {}
    by_month = {m: MonthFigure(month=m) for m in months_of(f.start, f.end)}
    chargeable, non_chargeable = Figure(), Figure()
    for reason_id, vendor_id, m, n, costed, cost in groups:
        reason = reasons.get(reason_id) if reason_id is not None else None
        charged = reason is None or not reason.is_non_chargeable
        if reason_id not in by_reason:
            by_reason[reason_id] = ReasonFigure(
                reason_id=reason_id,
                reason=reason.description if reason is not None else NO_REASON,
                chargeable=charged,
            )
        by_reason[reason_id].add(n, costed, cost)
        if vendor_id not in by_vendor:
            by_vendor[vendor_id] = VendorFigure(vendor_id=vendor_id, vendor=vendors[vendor_id])
        by_vendor[vendor_id].add(n, costed, cost)
        if not charged:
            by_vendor[vendor_id].vendors_fault += n
        month_figure = by_month[dt.date.fromisoformat(f"{m}-01")]
        (month_figure.chargeable if charged else month_figure.non_chargeable).add(n, costed, cost)
        (chargeable if charged else non_chargeable).add(n, costed, cost)
    return ReorderTotals(
        reasons=sorted(
            by_reason.values(),
            key=lambda r: (r.reason_id is None, r.reason.lower(), r.reason_id or 0),
        ),
        vendors=sorted(by_vendor.values(), key=lambda v: (v.vendor.lower(), v.vendor_id)),
        months=list(by_month.values()),
        chargeable=chargeable,
        non_chargeable=non_chargeable,
    )


# -- rows a page at a time -----------------------------------------------------------------------


def _bad_cursor(why: str) -> ValidationError:
    return ValidationError(
        {"cursor": [f"This cursor is not one this report gave ({why}): start from the first page."]}
    )


def _position(cursor: str | None) -> tuple[dt.date, int] | None:
    data = cursor_envelope(cursor, SORT, _bad_cursor)
    if data is None:
        return None
    values, pk = data["v"], data["id"]
    if data["k"] != KIND or not isinstance(values, list) or len(values) != 1:
        raise _bad_cursor("it is malformed")
    if type(pk) is not int or not 0 < pk < 2**62:
        raise _bad_cursor("it is malformed")
    try:
        return dt.date.fromisoformat(values[0]), pk
    except (TypeError, ValueError):
        raise _bad_cursor("a date is malformed") from None


def reorder_page(
    f: ReordersFilter, *, cursor: str | None = None, limit: int = PAGE_SIZE
) -> ReorderPage:
    """One page of ``f``'s reorders by order date then id, after ``cursor``: one query."""
    conditions, params = _conditions(f)
    at = _position(cursor)
    if at is not None:
        after, more_params = rows_after(["o.order_date", "o.id"], at)
        conditions.append(after)
        params += more_params
    orders, reasons, vendors = table(ProductionOrder), table(ReorderReason), table(Vendor)
    sql = (
        "SELECT o.id, o.number, o.order_date, v.name, r.description, r.is_non_chargeable,"
        " o.vendor_invoice_amount, p.id, p.number"
        f" FROM {orders} o INNER JOIN {vendors} v ON v.id = o.vendor_id"
        f" INNER JOIN {orders} p ON p.id = o.reorder_of_id"
        f" LEFT JOIN {reasons} r ON r.id = o.reorder_reason_id"
        f" WHERE {' AND '.join(conditions)} ORDER BY o.order_date, o.id LIMIT {int(limit) + 1}"
    )
    with connection.cursor() as cursor_:
        cursor_.execute(sql, params)
        raw = cursor_.fetchall()
    more, raw = len(raw) > limit, raw[:limit]
    rows = [
        ReorderRow(
            id=pk,
            number=number or "",
            url=url_of("production:order-detail", pk),
            order_date=day(placed),
            vendor=vendor,
            reason=reason if reason is not None else NO_REASON,
            chargeable=not free,
            cost=None if cost is None else money(cost),
            original_id=original,
            original_number=original_number or "",
            original_url=url_of("production:order-detail", original),
        )
        for pk, number, placed, vendor, reason, free, cost, original, original_number in raw
    ]
    next_cursor = None
    if more and rows:
        next_cursor = cursor_text(SORT, [rows[-1].order_date], rows[-1].id, KIND)
    return ReorderPage(rows=rows, next_cursor=next_cursor)


def reorder_rows(f: ReordersFilter, *, batch: int = EXPORT_BATCH) -> Iterator[ReorderRow]:
    """Every reorder of ``f`` in order, a page of ``batch`` at a time (exports): never more
    than one page in memory."""
    cursor: str | None = None
    while True:
        page = reorder_page(f, cursor=cursor, limit=batch)
        yield from page.rows
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
