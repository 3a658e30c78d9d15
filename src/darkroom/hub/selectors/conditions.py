"""What a hub filter asks for, as the WHERE conditions of one table of open orders.

One place for the page, the board and the summary's counts, so the three always find the same
orders. Each condition is spelled as an index of open orders is (``production/models.py``), so
both databases read the open orders the filter finds and never the finished history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from darkroom.hub.filters import HubFilter
from darkroom.hub.search import Named, search_condition
from darkroom.hub.selectors.at_risk import at_risk_condition
from darkroom.hub.selectors.order_kinds import PRODUCTION, order_model
from darkroom.hub.sql import date_param, in_ids


def week_end(today: dt.date) -> dt.date:
    """The last day "due this week" covers: the coming Sunday (weeks run Monday to Sunday)."""
    return today + dt.timedelta(days=6 - today.weekday())


def filter_conditions(
    kind: str,
    f: HubFilter,
    today: dt.date,
    named: Named | None,
    *,
    walking: bool = False,
    at_risk: tuple[str, list[Any]] | None = None,
) -> tuple[list[str], list[Any]]:
    """The WHERE conditions of the open orders of one table that ``f`` asks for (``named``
    and ``walking``: how a search by name is asked, see ``hub/search.py``; ``at_risk``: the
    :func:`at_risk_condition` already read, if it was).

    ``o.completed_date IS NULL`` is spelled as the partial indexes are, so both databases use
    them. An order not started in its cycle yet has no status: it is not shown. An open order
    in a status always has a due date (the status engine writes it); that is not asked about
    again, since finished orders have none and PostgreSQL, taking the two conditions as
    independent, would expect twenty times too few rows and choose plans for a handful.
    """
    # "+" keeps SQLite from taking the status as an index range (it would then read the
    # summary's index, in status order, and sort every open order for one page).
    conditions = ["o.completed_date IS NULL", "(+o.status_id) IS NOT NULL"]
    params: list[Any] = []

    def add(sql: str, values: list[Any]) -> None:
        conditions.append(sql)
        params.extend(values)

    if kind == PRODUCTION:
        if f.order_types:
            add(*in_ids("o.order_type_id", f.order_types))
        if f.priorities:
            add(*in_ids("o.priority_code_id", f.priorities))
    if f.statuses:
        add(*in_ids("o.status_id", f.statuses))
    if f.vendors:
        add(*in_ids("o.vendor_id", f.vendors))
    if f.departments:
        add(*in_ids("o.status_department_id", f.departments))
    if f.users:
        add(*in_ids("o.status_user_id", f.users))
    if f.flag == "overdue":
        add("o.status_due_date < %s", [date_param(today)])
    elif f.flag == "due_today":
        add("o.status_due_date = %s", [date_param(today)])
    elif f.flag == "due_this_week":
        add("o.status_due_date BETWEEN %s AND %s", [date_param(today), date_param(week_end(today))])
    elif f.flag == "at_risk":
        add(*(at_risk or at_risk_condition(today)))
    if f.due_before is not None:
        add("o.status_due_date < %s", [date_param(f.due_before)])
    if f.q:
        found = None if named is None else named.get(kind, 0)
        add(*search_condition(f.q, found, walking=walking, model=order_model(kind)))
    return conditions, params
