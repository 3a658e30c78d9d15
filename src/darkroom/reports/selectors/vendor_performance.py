"""The vendor performance report: how each vendor kept its dates over a range of days.

What it counts, per vendor (and per month of the range, for the trend):

* **Steps on time against their due date.** Every step of a production order left in the range
  (a "change" row of its history, dated the day it was left) counts once; a step left, entered
  again and left again (rework) counts each time it was left, each against the due date it had
  then. A step is *on time* when it was left on or before that due date; *late* otherwise, by
  ``business_days_late`` business days on the vendor's calendar (its closures too), as the
  status service wrote it on the change (``tracking.standing.business_days_late``). Steps
  without a due date (moved from the final status when an order is reopened; history written
  before due dates) are counted as steps but in neither. The percentage is on time over steps
  with a due date. **Average lateness** is over the *late* steps only: how late a vendor is
  when it is late (0 late steps: no average, not zero).
* **Orders on time against the promised date.** Production orders *finished* in the range
  (``completed_date``, the day they reached their final status) that have a promised date:
  on time when finished on or before it. An order reopened is no longer finished.
* **Turnaround**: from the order date to the day it was finished, in *calendar* days (the
  business days would need each vendor's calendar in the SQL), averaged over the orders
  finished in the range. "Orders" in this report are the orders finished in the range.
* **Reorders** placed in the range at the vendor, and of those the vendor's fault (a
  non-chargeable reason), read by the reorders report's own query (``reorders.reorder_totals``,
  by the reorder's order date) with its reasons.

Why it is shaped this way: twelve months at a studio of a million orders hold some 400,000
steps and 100,000 finished orders. The steps are read from a summary per vendor and day that
the database keeps on every history insert (``reports/vendor_steps.py``): a year is a few
thousand rows of it, one grouped query. The finished orders are one grouped query over a range
of ``po_finished_idx``, a partial index of finished orders by the day they were finished that
holds every column read, so SQLite answers from the index alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from darkroom.catalog.models import Vendor
from darkroom.production.models import ProductionOrder
from darkroom.reports.models import VendorStepDay
from darkroom.reports.selectors.common import table
from darkroom.reports.selectors.reorders import (
    ReasonFigure,
    ReordersFilter,
    months_of,
    reorder_totals,
)


@dataclass(frozen=True)
class VendorPerformanceFilter:
    """Steps left and orders finished from ``start`` to ``end`` (both included), at one vendor
    or all."""

    start: dt.date
    end: dt.date
    vendor: int | None = None


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent to one decimal; None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None


def average(total: int, count: int) -> float | None:
    """``total`` over ``count`` to one decimal; None when there is nothing to average."""
    return round(total / count, 1) if count else None


@dataclass
class Performance:
    """One vendor's (or month's, or everyone's) counts; the rates are computed from them."""

    steps: int = 0  # steps left
    due_steps: int = 0  # of those, with a due date
    on_time: int = 0  # left on or before it
    late: int = 0  # left after it
    late_days: int = 0  # the late steps' business days late, added up
    finished: int = 0  # orders finished
    promised: int = 0  # of those, with a promised date
    kept_promise: int = 0  # finished on or before it
    turnaround_days: int = 0  # calendar days from order to finished, added up
    reorders: int = 0  # reorders placed
    vendors_fault: int = 0  # of those, for a non-chargeable reason

    @property
    def on_time_percent(self) -> float | None:
        return percent(self.on_time, self.due_steps)

    @property
    def average_lateness(self) -> float | None:
        """Business days late, over the late steps."""
        return average(self.late_days, self.late)

    @property
    def promise_percent(self) -> float | None:
        return percent(self.kept_promise, self.promised)

    @property
    def average_turnaround(self) -> float | None:
        """Calendar days from order to finished, over the orders finished."""
        return average(self.turnaround_days, self.finished)

    @property
    def is_empty(self) -> bool:
        return not (self.steps or self.finished or self.reorders)

    def add(self, other: Performance) -> None:
        # Spelled out: a range of years adds a figure per vendor and month (thousands).
        self.steps += other.steps
        self.due_steps += other.due_steps
        self.on_time += other.on_time
        self.late += other.late
        self.late_days += other.late_days
        self.finished += other.finished
        self.promised += other.promised
        self.kept_promise += other.kept_promise
        self.turnaround_days += other.turnaround_days
        self.reorders += other.reorders
        self.vendors_fault += other.vendors_fault


NUMBERS = [name for name in Performance.__dataclass_fields__]
STEP_NUMBERS = NUMBERS[:5]
ORDER_NUMBERS = NUMBERS[5:9]


@dataclass
class MonthPerformance(Performance):
    month: dt.date = dt.date.min  # its first day


@dataclass
class VendorPerformance(Performance):
    vendor_id: int = 0
    vendor: str = ""
    months: list[MonthPerformance] = field(default_factory=list)  # every month of the range


@dataclass
class VendorPerformanceReport:
    vendors: list[VendorPerformance]  # by name; those with anything in the range
    months: list[MonthPerformance]  # every month of the range, all the vendors listed
    all: Performance
    reasons: list[ReasonFigure]  # the reorders' reasons (the vendor's, when one is chosen)
    empty_reason: str | None  # why there is nothing to show, when there is nothing

    @property
    def is_empty(self) -> bool:
        return self.empty_reason is not None


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def _days_sql() -> str:
    if connection.vendor == "postgresql":
        return "o.completed_date - o.order_date"
    return "CAST(julianday(o.completed_date) - julianday(o.order_date) AS INTEGER)"


def _step_groups(f: VendorPerformanceFilter) -> list[tuple[int, str, list[int]]]:
    """(vendor, YYYY-MM, step numbers) from the summary kept per vendor and day."""
    month = _month_sql("s.day")
    conditions = ["s.day >= %s", "s.day <= %s"]
    params: list[dt.date | int] = [f.start, f.end]
    if f.vendor is not None:
        conditions.append("s.vendor_id = %s")
        params.append(f.vendor)
    sql = (
        f"SELECT s.vendor_id, {month}, SUM(s.steps), SUM(s.due_steps), SUM(s.on_time),"
        f" SUM(s.late), SUM(s.late_days) FROM {table(VendorStepDay)} s"
        f" WHERE {' AND '.join(conditions)} GROUP BY s.vendor_id, {month}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(v, str(m), [int(x or 0) for x in rest]) for v, m, *rest in cursor.fetchall()]


def _order_groups(f: VendorPerformanceFilter) -> list[tuple[int, str, list[int]]]:
    """(vendor, YYYY-MM, order numbers) of the orders finished in the range, spelled as
    ``po_finished_idx``'s condition."""
    month = _month_sql("o.completed_date")
    conditions = [
        "o.completed_date IS NOT NULL",
        "o.completed_date >= %s",
        "o.completed_date <= %s",
    ]
    params: list[dt.date | int] = [f.start, f.end]
    if f.vendor is not None:
        # "+": not a column for an index, so no planner reads all the vendor's orders ever
        # through the vendor's key (measured: SQLite did) rather than the range of days.
        conditions.append("+o.vendor_id = %s")
        params.append(f.vendor)
    sql = (
        f"SELECT o.vendor_id, {month}, COUNT(*), COUNT(o.promised_date),"
        " SUM(CASE WHEN o.completed_date <= o.promised_date THEN 1 ELSE 0 END),"
        f" SUM({_days_sql()}) FROM {table(ProductionOrder)} o"
        f" WHERE {' AND '.join(conditions)} GROUP BY o.vendor_id, {month}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(v, str(m), [int(x or 0) for x in rest]) for v, m, *rest in cursor.fetchall()]


def _empty_reason(f: VendorPerformanceFilter, today: dt.date, vendor_name: str | None) -> str:
    if f.start > today:
        return (
            f"The range starts after today ({today.isoformat()}): nothing has happened in it yet."
        )
    at = f"at {vendor_name}" if vendor_name else "at any vendor"
    return (
        f"No step of a production order was left, no order finished and no reorder placed {at} "
        f"from {f.start.isoformat()} to {f.end.isoformat()}."
    )


def vendor_performance(f: VendorPerformanceFilter, *, today: dt.date) -> VendorPerformanceReport:
    """The figures of ``f``, per vendor and per month (the trend), and everyone's together.

    Six queries, however many orders: the steps (summary), the finished orders (index), the
    reorders (``reorder_totals``: its groups, its reasons' and vendors' names), the vendors'
    names. A range of years costs more in Python than in SQL (a figure per vendor and month):
    twelve months of a studio of 200 vendors answer in about a quarter of a second.
    """
    months = months_of(f.start, f.end)
    rows: dict[int, dict[str, MonthPerformance]] = {}

    def cell(vendor_id: int, key: str) -> MonthPerformance:
        return rows.setdefault(vendor_id, {}).setdefault(
            key, MonthPerformance(month=dt.date.fromisoformat(f"{key}-01"))
        )

    for vendor_id, key, numbers in _step_groups(f):
        target = cell(vendor_id, key)
        for name, value in zip(STEP_NUMBERS, numbers, strict=True):
            setattr(target, name, value)
    for vendor_id, key, numbers in _order_groups(f):
        target = cell(vendor_id, key)
        for name, value in zip(ORDER_NUMBERS, numbers, strict=True):
            setattr(target, name, value)
    reorders = reorder_totals(ReordersFilter(start=f.start, end=f.end, vendor=f.vendor))
    redone = {v.vendor_id: v for v in reorders.vendors}
    names = dict(
        Vendor.objects.filter(
            pk__in={*rows, *redone, *([f.vendor] if f.vendor else [])}
        ).values_list("pk", "name")
    )
    vendors: list[VendorPerformance] = []
    for vendor_id in {*rows, *redone}:
        figure = VendorPerformance(vendor_id=vendor_id, vendor=names.get(vendor_id, "?"))
        by_month = rows.get(vendor_id, {})
        for first in months:
            one = by_month.get(f"{first:%Y-%m}") or MonthPerformance(month=first)
            figure.months.append(one)
            figure.add(one)
        # The reorders' groups are per vendor and per month, not both: a vendor's months
        # carry its steps and orders, the report's months (and a vendor's total) its reorders.
        if vendor_id in redone:
            figure.reorders = redone[vendor_id].count
            figure.vendors_fault = redone[vendor_id].vendors_fault
        vendors.append(figure)
    vendors.sort(key=lambda v: (v.vendor.lower(), v.vendor_id))
    trend = [MonthPerformance(month=first) for first in months]
    for v in vendors:
        for total, one in zip(trend, v.months, strict=True):
            total.add(one)
    for total, redone_month in zip(trend, reorders.months, strict=True):
        total.reorders = redone_month.count
        total.vendors_fault = redone_month.non_chargeable.count
    everything = Performance()
    for v in vendors:
        everything.add(v)
    empty = None
    if everything.is_empty:
        empty = _empty_reason(f, today, names.get(f.vendor) if f.vendor else None)
    return VendorPerformanceReport(
        vendors=vendors,
        months=trend,
        all=everything,
        reasons=reorders.reasons,
        empty_reason=empty,
    )
