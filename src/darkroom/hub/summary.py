"""The hub's summary strip: open orders per status, the invoice value sitting in each, and how
many are overdue, due today, due this week and at risk.

Two ways to the same figures, chosen by the filter:

* **From the running totals** (``hub/tally.py``), when the filter asks only for a kind of order
  and/or some statuses — the strip everyone sees first. The per-status figures are read from
  the totals the database keeps (a few hundred rows), and the four flags are counted over the
  partial indexes of open orders by due date (``production/models.py``), which hold only the
  orders that are due in the range. Nothing reads all the open orders, and the two are kept
  per process until the stamp below moves.
* **Counted from the orders**, for any other filter (a vendor, a person, a search…): one pass
  over the open orders the filter finds, grouping by status and invoice. Those figures are
  kept, per process, until something the hub shows changes (the running totals' stamp,
  ``tally.changes_stamp``): many people looking at "overdue" between two changes count it once.
  A search isn't kept (a client's name can change without the stamp knowing), nor anything
  read inside a transaction (it could see changes that are then undone).

Either way the figures are kept by the calendar's key too: at risk counts a late order's
remaining days from today on its calendar (``hub.selectors.at_risk.at_risk_condition``, the rule of
each row, ``tracking/standing.py``), so a closure added changes it even when no order changed.

Tests compare both with an independent count of the orders. One query per kind of order (or
one for the totals and one for the flags), one for the bounds of the at-risk thresholds, one
for the calendar's key and one for the statuses' names: never more with more orders.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import connection

from darkroom.clients.models import Invoice
from darkroom.hub.filters import HubFilter
from darkroom.hub.search import Named, orders_named
from darkroom.hub.selectors.at_risk import at_risk_condition, late_at_risk_parts, late_thresholds
from darkroom.hub.selectors.conditions import filter_conditions, week_end
from darkroom.hub.selectors.order_kinds import PREPRODUCTION, PRODUCTION, kinds_asked, order_model
from darkroom.hub.sql import date_param, in_ids, quoted, table
from darkroom.hub.tally import changes_stamp, status_totals
from darkroom.studio.calendar import VendorCalendars, calendars_of_vendors
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.tracking.models import CycleKind, Status

CENT = Decimal("0.01")
KEPT = 256  # counted figures kept per process (the most recently used)
CYCLE_KINDS = {PRODUCTION: CycleKind.PRODUCTION, PREPRODUCTION: CycleKind.PREPRODUCTION}


@dataclass(frozen=True)
class StatusCount:
    """How many open orders of the filter are in one status, and the invoice value there."""

    status_id: int
    status: str
    cycle: str
    count: int
    invoice_value: Decimal


@dataclass(frozen=True)
class HubSummary:
    statuses: list[StatusCount]  # in cycle order
    open: int
    overdue: int
    due_today: int
    due_this_week: int
    at_risk: int


def hub_summary(f: HubFilter, *, today: dt.date) -> HubSummary:
    """The summary strip for ``f``: open orders per status (in cycle order) with the value of
    the invoices sitting there, and how many are overdue, due today, due this week, at risk.

    *Invoice value in a status* is the sum of the totals of the distinct invoices that have at
    least one open order (of the filter) in that status: an invoice with two orders in "At lab"
    counts once there, and an invoice with orders in two statuses counts in both. Preproduction
    orders have no invoice and add nothing to it.
    """
    if uses_running_totals(f):
        return _from_running_totals(f, today)
    return summary_counted(f, today=today)


def uses_running_totals(f: HubFilter) -> bool:
    """Whether the running totals can answer ``f``: they are kept per status, so a filter of
    kind and statuses (and sort, which changes nothing here) is all they know about."""
    return not f.narrows_within_statuses()


# -- from the running totals ---------------------------------------------------------------------


def _flags_sql(
    kinds: list[str], f: HubFilter, today: dt.date, calendars: VendorCalendars
) -> tuple[str, list[Any]]:
    """How many open orders are overdue, due today, this week (and, for production orders, at
    risk): one scalar subquery each, in one statement.

    Each is a range of one partial index of open orders by due date (or of the statuses' own,
    with a status filter); the status isn't asked about, since an open order has a due date
    exactly when it is in a status. At risk reads the index that holds only at-risk orders,
    then ranges of the index of open orders by remaining days and promise
    (``hub_po_remaining_idx``, ``late_at_risk_parts``).
    """
    selects: list[str] = []
    params: list[Any] = []
    for kind in kinds:
        base, base_params = "o.completed_date IS NULL", []
        if f.statuses:
            sql, base_params = in_ids("o.status_id", f.statuses)
            base += f" AND {sql}"
        flags: list[tuple[str, list[Any]]] = [
            ("o.status_due_date < %s", [date_param(today)]),
            ("o.status_due_date = %s", [date_param(today)]),
            (
                "o.status_due_date BETWEEN %s AND %s",
                [date_param(today), date_param(week_end(today))],
            ),
        ]
        for condition, values in flags:
            selects.append(
                f"(SELECT COUNT(*) FROM {table(order_model(kind))} o WHERE {base} AND {condition})"
            )
            params += [*base_params, *values]
        if kind == PRODUCTION:
            # At risk (``at_risk_condition``) in counts over indexes: projected past the
            # promise (the index of at-risk orders), then the late ones whose stored projection
            # was within it but whose remaining days, counted from today, are not: one range of
            # the index of open orders by remaining days and promise per number of days.
            counts = [
                f"(SELECT COUNT(*) FROM {table(order_model(kind))} o WHERE {base}"
                " AND o.projected_completion > o.promised_date AND o.status_due_date IS NOT NULL)"
            ]
            params += base_params
            thresholds = late_thresholds(today, calendars)
            for late, late_params in late_at_risk_parts(today, thresholds):
                counts.append(
                    f"(SELECT COUNT(*) FROM {table(order_model(kind))} o WHERE {base}"
                    f" AND o.projected_completion <= o.promised_date AND {late})"
                )
                params += [*base_params, *late_params]
            selects.append(f"({' + '.join(counts)})")
    return f"SELECT {', '.join(selects)}", params


def _totals_and_flags(
    kinds: list[str], f: HubFilter, today: dt.date, calendars: VendorCalendars
) -> tuple[dict[int, tuple[int, Decimal]], list[int]]:
    """The running totals of ``f``'s statuses and its flag counts: three queries (the totals,
    the bounds of the at-risk thresholds, the flags)."""
    totals = status_totals(f.statuses)
    counts: list[int] = []
    if kinds:
        sql, params = _flags_sql(kinds, f, today, calendars)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            counts = [int(n or 0) for n in cursor.fetchone()]
    return totals, counts


def _from_running_totals(f: HubFilter, today: dt.date) -> HubSummary:
    kinds = kinds_asked(f)
    # Kept until the stamp or the calendar moves: a page then asks a query for each instead of
    # those that count tens of thousands of index entries for the flags.
    calendars = calendars_of_vendors()
    totals, counts = KEPT_FIGURES.kept(
        ("running totals", tuple(kinds), f.statuses, today, calendars.key),
        lambda: _totals_and_flags(kinds, f, today, calendars),
    )
    statuses = _statuses(totals, kinds=[CYCLE_KINDS[k] for k in kinds])
    overdue = due_today = this_week = at_risk = 0
    if kinds:
        at = 0
        for kind in kinds:
            overdue, due_today, this_week = (
                overdue + counts[at],
                due_today + counts[at + 1],
                this_week + counts[at + 2],
            )
            if kind == PRODUCTION:
                at_risk += counts[at + 3]
            at += 4 if kind == PRODUCTION else 3
    counts_by_status = [
        StatusCount(
            status_id=s.pk,
            status=s.description,
            cycle=s.cycle.name,
            count=totals[s.pk][0],
            invoice_value=totals[s.pk][1],
        )
        for s in statuses
    ]
    return HubSummary(
        statuses=counts_by_status,
        open=sum(c.count for c in counts_by_status),
        overdue=overdue,
        due_today=due_today,
        due_this_week=this_week,
        at_risk=at_risk,
    )


STATUS_ORDER = ("cycle__kind", "cycle__name", "cycle_id", "position", "id")


def _statuses(found: dict[int, Any], *, kinds: list[str] | None = None) -> list[Status]:
    """The statuses of ``found`` (of these cycle kinds, if given), in cycle order.

    Taken from the statuses of the hub's cycles, kept per process while the studio's lists
    stay the same (``studio/kept.py``); read from the database only for a status no hub cycle
    has (an order in another cycle's status: not expected, but not hidden either)."""
    every = kept_while_lists_unchanged("hub statuses", _hub_statuses)
    known = {s.pk for s in every}
    if not set(found) <= known:
        statuses = Status.objects.filter(pk__in=found).select_related("cycle")
        if kinds is not None:
            statuses = statuses.filter(cycle__kind__in=kinds)
        return list(statuses.order_by(*STATUS_ORDER))
    return [s for s in every if s.pk in found and (kinds is None or s.cycle.kind in kinds)]


def _hub_statuses() -> list[Status]:
    """Every status of the production and proof-order cycles, with its cycle, in cycle order."""
    statuses = Status.objects.filter(cycle__kind__in=list(CYCLE_KINDS.values()))
    return list(statuses.select_related("cycle").order_by(*STATUS_ORDER))


# -- counted from the orders ---------------------------------------------------------------------


def _counts_sql(
    kind: str,
    f: HubFilter,
    today: dt.date,
    named: Named | None,
    at_risk: tuple[str, list[Any]] | None = None,
) -> tuple[str, list[Any]]:
    """Per status: the orders, how many are overdue, due today, this week, at risk, and the
    value of the invoices with an order there — one pass over an index of open orders.

    For production orders the inner query groups by (status, invoice), so each invoice counts
    once per status however many of its orders are there; the outer one adds the invoices'
    totals (one lookup per distinct invoice). Without a search no table but the index is read;
    a search by name counts the open orders it finds (``named``: by id), or, when they are too
    many to list, those the indexes of the orders' copy of the names find.
    """
    conditions, where_params = filter_conditions(kind, f, today, named, at_risk=at_risk)
    source = f"{table(order_model(kind))} o"
    flags = [
        "SUM(CASE WHEN o.status_due_date < %s THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN o.status_due_date = %s THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN o.status_due_date BETWEEN %s AND %s THEN 1 ELSE 0 END)",
    ]
    flag_params = [
        date_param(today),
        date_param(today),
        date_param(today),
        date_param(week_end(today)),
    ]
    where = " AND ".join(conditions)
    if kind == PREPRODUCTION:
        sql = (
            f"SELECT o.status_id, COUNT(*), {', '.join(flags)}, 0, NULL FROM {source} "
            f"WHERE {where} GROUP BY o.status_id"
        )
        return sql, [*flag_params, *where_params]
    flag_columns = ", ".join(f"{flag} AS f{n}" for n, flag in enumerate(flags, start=1))
    risk, risk_params = at_risk if at_risk is not None else at_risk_condition(today)
    inner = (
        "SELECT o.status_id AS status_id, o.invoice_id AS invoice_id, COUNT(*) AS n, "
        f"{flag_columns}, SUM(CASE WHEN {risk} THEN 1 ELSE 0 END) AS risk "
        f"FROM {source} WHERE {where} GROUP BY o.status_id, o.invoice_id"
    )
    # The invoice's total as a subquery of its own, not a join: a narrow filter has a few
    # hundred (status, invoice) pairs, and PostgreSQL, unsure how many, would rather read every
    # invoice there is than look each one up.
    total = f"(SELECT i.{quoted('total')} FROM {table(Invoice)} i WHERE i.id = g.invoice_id)"
    sql = (
        "SELECT g.status_id, SUM(g.n), SUM(g.f1), SUM(g.f2), SUM(g.f3), SUM(g.risk), "
        f"SUM({total}) FROM ({inner}) g GROUP BY g.status_id"
    )
    return sql, [*flag_params, *risk_params, *where_params]


def _money(value: Any) -> Decimal:
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT)


def summary_counted(f: HubFilter, *, today: dt.date) -> HubSummary:
    """The summary strip for ``f`` counted from the open orders themselves (see
    :func:`hub_summary`): one query per kind of order and one for the statuses' names (and
    one for the open orders a search by name finds), or,
    when nothing changed since the same filter was counted, one for the stamp and the names."""
    found = _kept_figures(f, today)
    counts = [
        StatusCount(
            status_id=s.pk,
            status=s.description,
            cycle=s.cycle.name,
            count=found[s.pk][0],
            invoice_value=found[s.pk][5],
        )
        for s in _statuses(found)
    ]
    totals = [sum(v[i] for v in found.values()) for i in range(5)]
    return HubSummary(
        statuses=counts,
        open=totals[0],
        overdue=totals[1],
        due_today=totals[2],
        due_this_week=totals[3],
        at_risk=totals[4],
    )


def _count(
    f: HubFilter, today: dt.date, calendars: VendorCalendars | None = None
) -> dict[int, list[Any]]:
    """Per status: [orders, overdue, due today, this week, at risk, invoice value]."""
    found: dict[int, list[Any]] = {}
    named = orders_named(f.q, {kind: order_model(kind) for kind in kinds_asked(f)})
    kinds = kinds_asked(f)
    at_risk = at_risk_condition(today, calendars) if PRODUCTION in kinds else None
    for kind in kinds:
        sql, params = _counts_sql(kind, f, today, named, at_risk)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for status_id, *figures, value in cursor.fetchall():
                found[status_id] = [*(int(n or 0) for n in figures), _money(value)]
    return found


class _Kept:
    """Figures by (what they are, filter, day, database, stamp), the most recently used first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.figures: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> Any:
        with self.lock:
            found = self.figures.get(key)
            if found is not None:
                self.figures.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], found: Any) -> None:
        with self.lock:
            self.figures[key] = found
            self.figures.move_to_end(key)
            while len(self.figures) > KEPT:
                self.figures.popitem(last=False)

    def kept(self, what: tuple[Any, ...], count: Callable[[], Any]) -> Any:
        """What ``count()`` gave for ``what`` on this database at the running totals' present
        stamp, counted now if it wasn't yet. Inside a transaction it is always counted: that
        could see changes that are then undone."""
        if connection.in_atomic_block:
            return count()
        key = (
            *what,
            connection.vendor,
            str(connection.settings_dict["NAME"]),
            changes_stamp(),
        )
        found = self.get(key)
        if found is None:
            found = count()
            self.put(key, found)
        return found


KEPT_FIGURES = _Kept()


def _kept_figures(f: HubFilter, today: dt.date) -> dict[int, list[Any]]:
    if f.q:
        return _count(f, today)
    # The order of the rows changes nothing here; the calendar does (at risk).
    calendars = calendars_of_vendors()
    figures: dict[int, list[Any]] = KEPT_FIGURES.kept(
        ("counted", replace(f, sort="due"), today, calendars.key),
        lambda: _count(f, today, calendars),
    )
    return figures
