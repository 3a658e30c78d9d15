"""The workload report: production (or proof) orders entered and finished per week, and the open
backlog per status at the end of each week.

Entered: orders by ``order_date``; finished: by ``completed_date`` as it stands (an order reopened
and not finished again is not finished; one finished again counts in the week it was finished
last). Both are one grouped query through an index of the orders alone (``po_list_date_idx`` /
``po_list_type_idx`` / ``po_finished_idx``, and the proof orders' own), a row per day.

Backlog: how many orders sat in each status at the end of each week, read from the status history
summed per (status, day) that the database keeps (``reports.models.StatusFlow``): a status's
backlog at the end of a day is every record that entered it minus every record that left it, up
to that day. So a year is two queries of that summary (what sat in each status before the range;
each day's moves in it), never a walk through the history. A final status is not backlog. Statuses
are counted by name across the order types' cycles ("Retouch" of every type is one "Retouch"), the
rule by which an order moved to another type's cycle keeps its step; with an order type, only that
type's cycle. Weeks are the studio's: they start on its first work day after its days off (Monday
for a studio open Monday to Friday).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.reports.models import StatusFlow
from darkroom.reports.selectors.common import day, table
from darkroom.reports.selectors.status_report import PRODUCTION
from darkroom.tracking.models import CycleKind, Status

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DEFAULT_WEEKS = 52  # the default range: the last fifty-two weeks, this one included


def first_weekday(work_days: Iterable[int]) -> int:
    """The day the studio's week starts (Monday = 0): its first work day after its days off —
    Monday for Monday to Friday, Tuesday for Tuesday to Saturday, Sunday for Sunday to Thursday;
    Monday when it works every day. With days off in two places, after the longest of them."""
    working = set(work_days)
    if not working or len(working) == 7:
        return 0
    best, longest = 0, -1
    for weekday in range(7):
        if weekday in working and (weekday - 1) % 7 not in working:
            off, back = 0, (weekday - 1) % 7
            while back not in working:
                off, back = off + 1, (back - 1) % 7
            if off > longest:
                best, longest = weekday, off
    return best


def week_of(d: dt.date, weekday: int) -> dt.date:
    """The first day of the week (starting on ``weekday``) that ``d`` is in."""
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


@dataclass(frozen=True)
class WorkloadFilter:
    """Which orders and weeks the report reads: production or proof orders, one order type or
    all (production only), whole weeks from ``start`` (the first day of the first week) to ``end``
    (the last day of the last), weeks starting on ``weekday``."""

    start: dt.date
    end: dt.date
    stage: str = PRODUCTION
    order_type: int | None = None
    weekday: int = 0

    @property
    def weeks(self) -> list[dt.date]:
        """The first day of each week of the range."""
        return [
            self.start + dt.timedelta(days=7 * i)
            for i in range(((self.end - self.start).days + 1) // 7)
        ]


@dataclass(frozen=True)
class BacklogStatus:
    key: str  # the status's name, spaces and case aside: one across the order types' cycles
    name: str


@dataclass
class WeekFigure:
    week: dt.date  # its first day
    entered: int = 0
    finished: int = 0
    backlog: dict[str, int] = field(default_factory=dict)  # status key → open orders at its end

    @property
    def last_day(self) -> dt.date:
        return self.week + dt.timedelta(days=6)

    @property
    def open(self) -> int:
        return sum(self.backlog.values())


@dataclass
class Workload:
    weeks: list[WeekFigure]
    statuses: list[BacklogStatus]  # in the cycle's order; those with backlog in the range
    opening: int  # open orders in a non-final status the day before the range

    @property
    def entered(self) -> int:
        return sum(w.entered for w in self.weeks)

    @property
    def finished(self) -> int:
        return sum(w.finished for w in self.weeks)

    @property
    def empty(self) -> bool:
        """Nothing entered, finished or open in the whole range."""
        return not (self.entered or self.finished or any(w.open for w in self.weeks))


def _model(f: WorkloadFilter) -> type[ProductionOrder] | type[PreproductionOrder]:
    return ProductionOrder if f.stage == PRODUCTION else PreproductionOrder


def _per_day(f: WorkloadFilter, column: str) -> dict[dt.date, int]:
    """Orders of ``f`` per day of ``column`` (order_date, completed_date) in the range."""
    conditions = [f"o.{column} >= %s", f"o.{column} <= %s"]
    params: list[Any] = [f.start, f.end]
    if column == "completed_date":
        conditions.insert(0, "o.completed_date IS NOT NULL")  # po_finished_idx's condition
    if f.stage == PRODUCTION and f.order_type is not None:
        conditions.append("o.order_type_id = %s")
        params.append(f.order_type)
    sql = (
        f"SELECT o.{column}, COUNT(*) FROM {table(_model(f))} o"
        f" WHERE {' AND '.join(conditions)} GROUP BY o.{column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {day(d): int(n) for d, n in cursor.fetchall()}


def _statuses(f: WorkloadFilter) -> tuple[dict[int, BacklogStatus], list[BacklogStatus]]:
    """The non-final statuses of ``f``'s cycles (each status id → its name's key) and the names
    in the cycles' order (a name first met further down a cycle sorts by that place)."""
    kind = CycleKind.PRODUCTION if f.stage == PRODUCTION else CycleKind.PREPRODUCTION
    rows = Status.objects.filter(cycle__kind=kind, is_final=False)
    if f.stage == PRODUCTION and f.order_type is not None:
        rows = rows.filter(cycle__order_type_id=f.order_type)
    of_id: dict[int, BacklogStatus] = {}
    places: dict[str, tuple[int, int]] = {}
    names: dict[str, BacklogStatus] = {}
    ordered_rows = rows.order_by("cycle_id", "position", "pk")
    for pk, description, position in ordered_rows.values_list("pk", "description", "position"):
        key = " ".join(description.split()).casefold()
        names.setdefault(key, BacklogStatus(key=key, name=" ".join(description.split())))
        place = (position, pk)
        places[key] = min(places.get(key, place), place)
        of_id[pk] = names[key]
    ordered = sorted(names.values(), key=lambda s: (places[s.key], s.key))
    return of_id, ordered


def _flows(
    f: WorkloadFilter, status_ids: list[int]
) -> tuple[dict[int, int], list[tuple[int, dt.date, int]]]:
    """From the summary: each status's open records the day before the range, and each day's
    change of them in it. Two queries of ``reports_status_flow`` over its (status, day) key."""
    if not status_ids:
        return {}, []
    flow = table(StatusFlow)
    marks = ", ".join(["%s"] * len(status_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status_id, SUM(entering - leaving) FROM {flow}"
            f" WHERE status_id IN ({marks}) AND day < %s GROUP BY status_id",
            [*status_ids, f.start],
        )
        before = {int(s): int(n) for s, n in cursor.fetchall()}
        cursor.execute(
            f"SELECT status_id, day, entering - leaving FROM {flow}"
            f" WHERE status_id IN ({marks}) AND day >= %s AND day <= %s",
            [*status_ids, f.start, f.end],
        )
        moves = [(int(s), day(d), int(n)) for s, d, n in cursor.fetchall()]
    return before, moves


def workload(f: WorkloadFilter) -> Workload:
    """The weeks of ``f``: entered, finished and the backlog per status at each week's end."""
    weeks = {w: WeekFigure(week=w) for w in f.weeks}

    def week(d: dt.date) -> WeekFigure:
        return weeks[week_of(d, f.weekday)]

    for d, n in _per_day(f, "order_date").items():
        week(d).entered += n
    for d, n in _per_day(f, "completed_date").items():
        week(d).finished += n
    of_id, ordered = _statuses(f)
    before, moves = _flows(f, list(of_id))
    running: dict[str, int] = defaultdict(int)
    for pk, n in before.items():
        running[of_id[pk].key] += n
    opening = sum(running.values())
    changes: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk, d, n in moves:
        changes[week_of(d, f.weekday)][of_id[pk].key] += n
    for start, figure in weeks.items():
        for key, n in changes.get(start, {}).items():
            running[key] += n
        figure.backlog = {s.key: running[s.key] for s in ordered}
    shown = [s for s in ordered if any(w.backlog[s.key] for w in weeks.values())]
    for figure in weeks.values():
        figure.backlog = {s.key: figure.backlog[s.key] for s in shown}
    return Workload(weeks=list(weeks.values()), statuses=shown, opening=opening)
