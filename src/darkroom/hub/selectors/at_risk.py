"""Which open production orders are at risk, as SQL: for the hub's "at risk" filter and count.

At risk is the rule every order's row shows (``tracking/standing.py``): the projection is past
the promised date. For a late order the projection counts its remaining business days from
today on its vendor's calendar, which SQL can't count; so the day each number of days would
end is worked out here and the SQL compares the promise with it. A few dozen such thresholds
a calendar, read from two indexes: never a pass over every open order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from darkroom.hub.sql import FALSE, as_date, date_param, in_ids, table
from darkroom.production.models import ProductionOrder
from darkroom.scheduling import BusinessCalendar
from darkroom.studio.calendar import VendorCalendars, calendars_of_vendors
from darkroom.tracking.standing import finish_from_today


def at_risk_condition(
    today: dt.date, calendars: VendorCalendars | None = None
) -> tuple[str, list[Any]]:
    """Production orders at risk, as SQL: exactly the orders whose row says so (the standing
    rule, ``tracking/standing.py``). Either the stored projection is past the promised date,
    or the order is late and its promise comes before the day its stored remaining days end
    when they start today (:func:`late_at_risk_condition`). One place for the filter and the
    summary's count. ``calendars``: as :func:`calendars_of_vendors` gives them (read if not
    given); two small queries besides (the calendar key, the bounds of the thresholds)."""
    late, params = late_at_risk_condition(today, calendars)
    return f"(o.projected_completion > o.promised_date OR {late})", params


@dataclass(frozen=True)
class LateThresholds:
    """The thresholds of late orders' remaining days (see :func:`late_at_risk_condition`):
    the studio's, and those of groups of vendors whose own closures move one."""

    studio: tuple[dt.date | None, ...]
    groups: dict[tuple[dt.date | None, ...], list[int]]


def late_thresholds(today: dt.date, calendars: VendorCalendars | None = None) -> LateThresholds:
    """The day 0, 1, 2… remaining days end when they start ``today``, on each calendar an
    order can count on: one query for the calendar key (unless ``calendars`` are given) and
    one for the bounds (:func:`_threshold_bounds`)."""
    if calendars is None:
        calendars = calendars_of_vendors()
    most, furthest = _threshold_bounds()
    if most is None or furthest is None:
        return LateThresholds(studio=(), groups={})
    studio = _thresholds(calendars.studio.calendar, today, most, furthest)
    groups: dict[tuple[dt.date | None, ...], list[int]] = {}
    for vendor, calendar in calendars.own.items():
        days = _thresholds(calendar, today, most, furthest)
        if days != studio:
            groups.setdefault(days, []).append(vendor)
    return LateThresholds(studio=studio, groups=groups)


def late_at_risk_condition(
    today: dt.date, calendars: VendorCalendars | None = None
) -> tuple[str, list[Any]]:
    """Late production orders whose live projection is past their promise, as SQL.

    The live projection of a late order is its stored remaining business days counted from
    today (``finish_from_today``), which SQL can't count; but it only depends on that number
    and the order's calendar. So the day each number of days would end is worked out here, one
    threshold per number, and the SQL compares the promise with the threshold of the order's
    remaining days: ``o.promised_date < CASE o.remaining_days WHEN 0 THEN … END`` (a tree of
    CASEs, a few comparisons an order), on the studio's calendar, and on their own for the
    vendors with closures of their own that move a threshold. Thresholds are needed up to the
    most remaining days an open order has, and no further than the first one past the
    furthest promise of an open order (every later one is past every promise too): both read
    from indexes, so a few dozen thresholds a calendar. (A late order whose projection is past
    its promise anyway is counted by both parts of ``at_risk_condition``; it is the one rule.)

    For a page, which tests the orders it walks one by one. The summary counts the same orders
    as :func:`late_at_risk_parts`, ranges of an index rather than a test of every late order.
    """
    found = late_thresholds(today, calendars)
    if not found.studio:
        return FALSE, []
    threshold, params = _threshold_sql(found.studio)
    if found.groups:
        whens, when_params = [], []
        for days, vendors in found.groups.items():
            sql, values = _threshold_sql(days)
            whens.append(f"WHEN o.vendor_id IN ({', '.join(['%s'] * len(vendors))}) THEN {sql}")
            when_params += [*vendors, *values]
        threshold = f"CASE {' '.join(whens)} ELSE {threshold} END"
        params = [*when_params, *params]
    return (
        f"(o.status_due_date < %s AND o.promised_date < {threshold})",
        [date_param(today), *params],
    )


def late_at_risk_parts(today: dt.date, found: LateThresholds) -> list[tuple[str, list[Any]]]:
    """:func:`late_at_risk_condition` as conditions that never hold for the same order, one
    per calendar and number of remaining days (``o.remaining_days = 3 AND o.promised_date <
    %s``), so their counts add up to its count. Each is a range of the index of open orders by
    remaining days and promise (``hub_po_remaining_idx``): the count reads the orders whose
    promise comes before their threshold (a few thousand of fifty thousand open) instead of
    testing every late one."""
    if not found.studio:
        return []
    grouped = [vendor for vendors in found.groups.values() for vendor in vendors]
    calendars: list[tuple[tuple[dt.date | None, ...], tuple[str, list[Any]] | None]] = [
        (days, in_ids("o.vendor_id", tuple(vendors))) for days, vendors in found.groups.items()
    ]
    if grouped:
        sql, values = in_ids("o.vendor_id", tuple(grouped))
        calendars.append((found.studio, (f"NOT {sql}", values)))
    else:
        calendars.append((found.studio, None))
    parts = []
    late = ("o.status_due_date < %s", [date_param(today)])
    for days, vendors in calendars:
        last = len(days) - 1
        for remaining, day in enumerate(days):
            if day is None:
                continue  # beyond the calendar's years: the stored projection stands
            many = "=" if remaining < last else ">="
            part = [
                (f"o.remaining_days {many} {remaining} AND o.promised_date < %s", [date_param(day)])
            ]
            part += [late, *([vendors] if vendors else [])]
            parts.append(
                (" AND ".join(sql for sql, _ in part), [v for _, values in part for v in values])
            )
    return parts


def _threshold_bounds() -> tuple[int | None, dt.date | None]:
    """The most remaining days of an open production order and its furthest promise (each the
    last entry of an index of open orders): one query."""
    orders = table(ProductionOrder)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT o.remaining_days FROM {orders} o WHERE o.completed_date IS NULL"
            " AND o.remaining_days IS NOT NULL ORDER BY o.remaining_days DESC LIMIT 1),"
            f" (SELECT o.promised_date FROM {orders} o WHERE o.completed_date IS NULL"
            " AND o.promised_date IS NOT NULL ORDER BY o.promised_date DESC LIMIT 1)"
        )
        most, furthest = cursor.fetchone()
    return most, as_date(furthest)


def _thresholds(
    calendar: BusinessCalendar, today: dt.date, most: int, furthest: dt.date
) -> tuple[dt.date | None, ...]:
    """The day 0, 1, 2… remaining days end when they start today: up to ``most`` days, and
    no further than the first day past ``furthest`` (or the first beyond the calendar's years,
    None: a projection that can't move). The last threshold stands for any more days too."""
    days: list[dt.date | None] = []
    for remaining in range(most + 1):
        day = finish_from_today(remaining, today=today, calendar=calendar)
        days.append(day)
        if day is None or day > furthest:
            break
    return tuple(days)


LEAF = 4  # thresholds a CASE compares one after the other; more are split in halves


def _threshold_sql(days: tuple[dt.date | None, ...]) -> tuple[str, list[Any]]:
    """The threshold of an order's remaining days as SQL: ``days[r]`` for ``r`` days, the last
    one for as many or more, NULL (nothing is below it) for an order without remaining days."""

    def value(day: dt.date | None) -> tuple[str, list[Any]]:
        return ("NULL", []) if day is None else ("%s", [date_param(day)])

    def between(low: int, high: int) -> tuple[str, list[Any]]:  # remaining days low .. high-1
        if high - low <= LEAF:
            whens, params = [], []
            for remaining in range(low, high):
                sql, values = value(days[remaining])
                whens.append(f"WHEN {remaining} THEN {sql}")
                params += values
            return f"CASE o.remaining_days {' '.join(whens)} END", params
        middle = (low + high) // 2
        below, below_params = between(low, middle)
        above, above_params = between(middle, high)
        return (
            f"CASE WHEN o.remaining_days < {middle} THEN {below} ELSE {above} END",
            below_params + above_params,
        )

    last = len(days) - 1
    sql, params = value(days[last])
    if last == 0:
        return f"CASE WHEN o.remaining_days >= 0 THEN {sql} END", params
    rest, rest_params = between(0, last)
    return f"CASE WHEN o.remaining_days >= {last} THEN {sql} ELSE {rest} END", params + rest_params
