"""Where an open record stands today: overdue, due today, at risk, and when it should be done.

Why this module exists
----------------------
The status engine stores ``projected_completion`` when a record changes status: the remaining
steps chained on the record's calendar from the current step's due date. Beside it, it stores
``remaining_days``: how many business days that chain is (:func:`remaining_days`, on the same
calendar). A stored date can't know "today": once the step is late, the next steps can't start
before today, so the stored date drifts into the past ("17 days overdue, projected Nov 23").
Rewriting every late record every night would touch most open records daily; instead the
projection is corrected when it is read, by :func:`standing`, the one rule the hub, the record
pages, the order lists and the API all show:

* **projected completion** is the stored projection, or, when the current step is already
  late, the stored remaining business days counted from today (rolled to a business day,
  :func:`finish_from_today`): whichever is later. So it is never before today for an open
  record.
* **overdue**: the current step was due before today; **due today**: it is due today.
* **at risk**: the projected completion (as above) is after the date promised to the client.
  An open record whose promise has passed is therefore always at risk.

Finished records (or records not started in a cycle) have no standing: nothing is late.
The hub's *filter* and *count* of "at risk" are SQL over indexes (``hub.selectors.at_risk.
at_risk_condition``) and say exactly what this rule says of each open production order: the
stored projection past the promise, or late with the promise before the day its stored
remaining days end when counted from today (:func:`finish_from_today` of each number of days,
computed here and handed to the SQL). That is why the remaining days are stored rather than
counted again from the two dates at each read: the SQL can't count business days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from darkroom.scheduling import BusinessCalendar, CalendarError
from darkroom.studio.calendar import calendars_now


@dataclass(frozen=True)
class Standing:
    """What a page or an answer says of one record's schedule today."""

    projected_completion: dt.date | None
    overdue: bool = False
    due_today: bool = False
    at_risk: bool = False


FINISHED = Standing(projected_completion=None)


def business_days_late(
    *, due: dt.date | None, left: dt.date, calendar: BusinessCalendar
) -> int | None:
    """How late a step was left: signed business days from its due date to the day it was left
    (None: the step had no due date). The vendor performance report reads it off each change.

    Positive exactly when the step was left after its due date (the same test as *overdue*):
    the business days in (due, left], at least one, so a step due Friday and left on Saturday
    is one day late although no business day passed. Zero or negative when left on or before
    the due date: minus the business days in (left, due], the room the step had to spare.
    """
    if due is None:
        return None
    if left > due:
        return max(1, calendar.business_days_between(due, left))
    return calendar.business_days_between(due, left)


def remaining_days(
    *, due: dt.date | None, projected: dt.date | None, calendar: BusinessCalendar
) -> int | None:
    """The business days from the current step's due date to the projected completion, as the
    status engine stores them beside the projection (None: no projection)."""
    if due is None or projected is None:
        return None
    try:
        return max(calendar.business_days_between(due, projected), 0)
    except CalendarError:
        return None


def finish_from_today(
    remaining: int, *, today: dt.date, calendar: BusinessCalendar
) -> dt.date | None:
    """When ``remaining`` business days end if they start today (rolled to a business day);
    None beyond the calendar's years."""
    try:
        return calendar.due(calendar.due(today, 0), remaining)
    except CalendarError:
        return None


def live_projection(
    *,
    due: dt.date | None,
    projected: dt.date | None,
    remaining: int | None,
    today: dt.date,
    calendar: BusinessCalendar,
) -> dt.date | None:
    """The stored projection, moved on when the current step is late (see the module)."""
    if projected is None or due is None or due >= today or remaining is None:
        return projected
    from_today = finish_from_today(remaining, today=today, calendar=calendar)
    if from_today is None:
        return projected  # beyond the calendar's years: the stored date rather than none
    return max(projected, from_today)


def standing(
    *,
    is_open: bool,
    due: dt.date | None,
    projected: dt.date | None,
    remaining: int | None,
    promised: dt.date | None,
    today: dt.date,
    calendar: BusinessCalendar,
) -> Standing:
    """The standing of a record in a non-final step (``is_open``) due ``due``, with the stored
    ``projected`` completion and ``remaining`` days, and the ``promised`` date (None: nothing
    promised)."""
    if not is_open:
        return FINISHED
    live = live_projection(
        due=due, projected=projected, remaining=remaining, today=today, calendar=calendar
    )
    return Standing(
        projected_completion=live,
        overdue=due is not None and due < today,
        due_today=due == today,
        at_risk=live is not None and promised is not None and live > promised,
    )


def record_is_open(record: Any) -> bool:
    """Whether a tracked record is in a step that is not final (its status row loaded)."""
    status = record.status if record.status_id is not None else None
    return status is not None and not status.is_final and record.completed_date is None


def standings(records: Iterable[Any], *, today: dt.date | None = None) -> list[Standing]:
    """:func:`standing` of tracked records (of any kinds, status rows loaded), in their order.

    One query (the calendar key) whatever the number of records, and one more the first time
    a process meets vendors with closures of their own (``studio.calendar``).
    """
    records = list(records)
    if not records:
        return []
    clocks = calendars_now({record.tracking_vendor_id() for record in records})
    found = []
    for record in records:
        clock = clocks[record.tracking_vendor_id()]
        found.append(
            standing(
                is_open=record_is_open(record),
                due=record.status_due_date,
                projected=record.projected_completion,
                remaining=record.remaining_days,
                promised=record.promised_delivery(),
                today=today or clock.today,
                calendar=clock.calendar,
            )
        )
    return found
