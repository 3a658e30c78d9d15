"""The time-in-status report: for one cycle, how long each of its steps took when it was left.

For each status of the cycle, over the months of a range: how many steps of it were left
(``passed``: a record that leaves a status, comes back and leaves it again counts twice — a
rework is another pass), the business days they took (median and 90th percentile), the share of
them over the duration planned then, and the open records in that status now whose step is
overdue.

Why it is shaped this way: a studio keeps ten years of history (5.6 million status notes at a
million orders), and twelve months of it are a million notes. The report never reads them: it
reads the summary the database keeps beside them (``reports.models.StepsLeft``, kept by the
triggers of ``reports/steps_left.py`` whoever writes a note), a histogram per status, month,
order type, vendor and number of days. Twelve months of a cycle are a few thousand rows of it,
read by its unique key (status first, then month) in one grouped query. The summary counts by
month, so the range is read in whole months: the first day of the start's month to the last day
of the end's (the page, the files and the API say which).

Percentiles are exact, from the integer-day histogram, by *nearest rank*: the p-th percentile of
N steps, ordered by their days, is the days of the step at rank ⌈p × N / 100⌉ (counting from 1).
The median is the 50th: for an even number of steps, the lower of the two middle ones.

"Open over plan" is the hub's overdue (``tracking/standing.py``: an open record, in a status
that is not final, whose step was due before today), counted per status over the open records
of the cycle's kind (an index of open records' due dates; never the finished ones).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from darkroom.clients.models import Invoice, Session
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.reports.models import StepsLeft
from darkroom.reports.selectors.common import table
from darkroom.todos.models import Task
from darkroom.tracking.models import Cycle, CycleKind, Status, TrackedRecord

# The records that follow each kind of cycle.
TRACKED: dict[str, type[TrackedRecord]] = {
    CycleKind.PRODUCTION: ProductionOrder,
    CycleKind.PREPRODUCTION: PreproductionOrder,
    CycleKind.SESSION: Session,
    CycleKind.INVOICE: Invoice,
    CycleKind.TASK: Task,
}
HAS_VENDOR = {CycleKind.PRODUCTION, CycleKind.PREPRODUCTION}
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TimeInStatusFilter:
    """Which steps the report reads: those of ``cycle``'s statuses left in the months from
    ``start``'s to ``end``'s (both whole), of one order type or all, at one vendor or all."""

    cycle: int
    start: dt.date
    end: dt.date
    order_type: int | None = None
    vendor: int | None = None

    @property
    def first_day(self) -> dt.date:
        """The first day read: the start's month's first."""
        return self.start.replace(day=1)

    @property
    def last_day(self) -> dt.date:
        """The last day read: the end's month's last."""
        return self.end.replace(day=calendar.monthrange(self.end.year, self.end.month)[1])


def nearest_rank(histogram: list[tuple[int, int]], percent: int) -> int | None:
    """The ``percent``-th percentile by nearest rank of the steps in ``histogram`` — (days,
    steps) pairs in rising days: the days of the step at rank ⌈percent × N / 100⌉; None when
    there are no steps."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    rank = max(1, -(-percent * total // 100))
    seen = 0
    for days, count in histogram:
        seen += count
        if seen >= rank:
            return days
    raise AssertionError("a rank past the last step")  # pragma: no cover


@dataclass
class StatusFigure:
    """One status of the cycle: its steps left in the range and its open records over plan."""

    status_id: int
    status: str
    planned: int  # the status's duration as planned today, in business days
    is_final: bool
    histogram: list[tuple[int, int]] = field(default_factory=list)  # (days, steps), rising
    over_plan: int = 0
    open_over_plan: int = 0

    @property
    def passed(self) -> int:
        return sum(count for _, count in self.histogram)

    @property
    def median(self) -> int | None:
        return nearest_rank(self.histogram, 50)

    @property
    def p90(self) -> int | None:
        return nearest_rank(self.histogram, 90)

    @property
    def share_over_plan(self) -> Decimal | None:
        """The percentage of the steps left that took longer than planned (None: none left)."""
        passed = self.passed
        if not passed:
            return None
        return (HUNDRED * self.over_plan / passed).quantize(Decimal("0.1"))


@dataclass
class TimeInStatus:
    statuses: list[StatusFigure]  # in the cycle's order

    @property
    def passed(self) -> int:
        return sum(s.passed for s in self.statuses)

    @property
    def open_over_plan(self) -> int:
        return sum(s.open_over_plan for s in self.statuses)

    @property
    def empty(self) -> bool:
        return not self.passed and not self.open_over_plan


def _steps(f: TimeInStatusFilter, statuses: list[int]) -> list[tuple[int, int, int, int]]:
    marks = ", ".join(["%s"] * len(statuses))
    conditions = [f"s.status_id IN ({marks})", "s.month >= %s", "s.month <= %s"]
    params: list[Any] = [*statuses, f.first_day, f.last_day.replace(day=1)]
    if f.order_type is not None:
        conditions.append("s.order_type_id = %s")
        params.append(f.order_type)
    if f.vendor is not None:
        conditions.append("s.vendor_id = %s")
        params.append(f.vendor)
    sql = (
        "SELECT s.status_id, s.days, SUM(s.passed), SUM(s.over_plan)"
        f" FROM {table(StepsLeft)} s WHERE {' AND '.join(conditions)}"
        " GROUP BY s.status_id, s.days"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(a), int(b), int(c), int(d)) for a, b, c, d in cursor.fetchall()]


def _open_over_plan(
    f: TimeInStatusFilter, kind: str, statuses: list[int], today: dt.date
) -> dict[int, int]:
    """The open records of the cycle's kind per status whose step was due before today (the
    hub's overdue: ``hub.selectors.conditions``, ``tracking.standing.standing``)."""
    if not statuses:
        return {}
    model = TRACKED[kind]
    marks = ", ".join(["%s"] * len(statuses))
    conditions = ["o.completed_date IS NULL", f"o.status_id IN ({marks})"]
    conditions.append("o.status_due_date < %s")
    params: list[Any] = [*statuses, today]
    if f.order_type is not None:
        conditions.append("o.order_type_id = %s")
        params.append(f.order_type)
    if f.vendor is not None:
        conditions.append("o.vendor_id = %s")
        params.append(f.vendor)
    sql = (
        f"SELECT o.status_id, COUNT(*) FROM {table(model)} o"
        f" WHERE {' AND '.join(conditions)} GROUP BY o.status_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {int(status): int(n) for status, n in cursor.fetchall()}


def time_in_status(f: TimeInStatusFilter, *, today: dt.date) -> TimeInStatus:
    """The figures of ``f``, per status of its cycle in the cycle's order: three queries (the
    statuses, the steps left, the open records over plan). A status made inactive or a final
    one shows only when steps of it were left in the range."""
    rows = list(
        Status.objects.filter(cycle_id=f.cycle)
        .order_by("position", "pk")
        .values_list("pk", "description", "default_duration", "is_final", "is_inactive")
    )
    kind = Cycle.objects.filter(pk=f.cycle).values_list("kind", flat=True).first()
    ids = [pk for pk, *_ in rows]
    steps = _steps(f, ids) if ids else []
    open_ids = [pk for pk, _, _, final, _ in rows if not final]
    late = _open_over_plan(f, kind, open_ids, today) if kind is not None else {}
    histograms: dict[int, list[tuple[int, int]]] = defaultdict(list)
    over: dict[int, int] = defaultdict(int)
    for status, days, passed, over_plan in sorted(steps):
        if passed:
            histograms[status].append((days, passed))
        over[status] += over_plan
    figures = [
        StatusFigure(
            status_id=pk,
            status=description,
            planned=int(planned),
            is_final=bool(final),
            histogram=histograms.get(pk, []),
            over_plan=over.get(pk, 0),
            open_over_plan=late.get(pk, 0),
        )
        for pk, description, planned, final, inactive in rows
        if (not final and not inactive) or histograms.get(pk) or late.get(pk)
    ]
    return TimeInStatus(statuses=figures)
