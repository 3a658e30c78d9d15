"""Due dates for a whole sequence of steps: backward from a promise, or forward from a start.

Why this module exists
----------------------
An order moves through the steps of its status cycle (Retouch, Printing, QA, ... Shipped), each
with a duration in business days. A studio needs two ways
to turn those durations into dates, and both are pure calendar arithmetic, so they live here, next
to :class:`~darkroom.scheduling.calendar.BusinessCalendar`, with no database in sight. Callers (the
status-change service, the recompute-on-closure job, the at-risk report) map their statuses to
:class:`Step` values, call one function, and map the dates back.

* **Backward mode** (:func:`schedule_backward`): the studio promised delivery on date P. The last
  non-final step is due on P (rolled back to a business day if P is not one); each earlier step is
  due ``duration(next step)`` business days before the next step's due date -- that is how long the
  next step needs. The first step's own duration is therefore not used. The final step (Shipped)
  has no due date and is not passed in.
* **Forward mode** / projection (:func:`project_forward`): from a start date, each step is due its
  own duration after the previous due date. The last due date is the *projected completion*; an
  order is *at risk* when that is later than the promised date (:meth:`Projection.at_risk`).

Each step costs one O(log closures) calendar call, so a schedule is O(steps * log closures).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from darkroom.scheduling.calendar import BusinessCalendar, CalendarError

__all__ = ["Projection", "Step", "project_forward", "schedule_backward"]

K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Step(Generic[K]):
    """One non-final step of a cycle: something identifying it, and its duration in business days.

    ``key`` is whatever the caller needs to map the result back (a status id, a status name);
    the scheduling functions never look at it. ``duration`` is an ``int`` >= 0 (0: due the same
    business day as the step before it).
    """

    key: K
    duration: int

    def __post_init__(self) -> None:
        if isinstance(self.duration, bool) or not isinstance(self.duration, int):
            raise TypeError(
                f"step {self.key!r}: duration must be an int number of business days, "
                f"not {type(self.duration).__name__}: {self.duration!r}"
            )
        if self.duration < 0:
            raise CalendarError(
                f"step {self.key!r}: duration must not be negative ({self.duration})"
            )


@dataclass(frozen=True, slots=True)
class Projection:
    """The result of :func:`project_forward`.

    ``due_dates`` are the steps' due dates, in step order. ``completion`` is the projected
    completion date: the last due date, or -- when there are no remaining steps -- the start date
    rolled forward to a business day (``calendar.due(start, 0)``), exactly what a single step of
    duration 0 would give. So ``completion`` is always a business day, and adding zero-length steps
    never changes it.
    """

    due_dates: tuple[date, ...]
    completion: date

    def at_risk(self, promised: date | None) -> bool:
        """True when the projected completion is later than the promised delivery date.

        An order without a promised date is never at risk.
        """
        return promised is not None and self.completion > promised


def schedule_backward(
    calendar: BusinessCalendar, steps: Iterable[Step[K]], promised: date
) -> tuple[date, ...]:
    """Due dates of the non-final ``steps`` (in order), working back from the ``promised`` date.

    The last step is due ``calendar.subtract(promised, 0)`` (the promised date, or the business day
    before it); each earlier step is due ``calendar.subtract(next_due, next_step.duration)``.
    Returns the due dates in step order; no steps -> ``()``.

    Seed example (Mon-Fri): Retouch 3, Printing 2, QA 1, promised Fri 2015-07-31 ->
    Retouch 07-28, Printing 07-30, QA 07-31.
    """
    ordered = _check_steps(steps)
    if not ordered:
        return ()
    subtract = calendar.subtract
    dues = [subtract(promised, 0)]
    for i in range(len(ordered) - 1, 0, -1):
        dues.append(subtract(dues[-1], ordered[i].duration))
    dues.reverse()
    return tuple(dues)


def project_forward(
    calendar: BusinessCalendar, start: date, steps: Iterable[Step[K]]
) -> Projection:
    """Chain the ``steps``' durations forward from ``start``.

    The first step is due ``calendar.due(start, d1)``, each next one ``calendar.due(previous_due,
    d)``. ``start`` is the date the first of these steps began (the date the previous step was
    completed, or the order date). See :class:`Projection` for the completion date when there are no
    steps.
    """
    ordered = _check_steps(steps)
    due = calendar.due
    dues: list[date] = []
    current = start
    for step in ordered:
        current = due(current, step.duration)
        dues.append(current)
    completion = dues[-1] if dues else due(start, 0)
    return Projection(due_dates=tuple(dues), completion=completion)


def _check_steps(steps: Iterable[Step[K]]) -> tuple[Step[K], ...]:
    ordered = tuple(steps)
    for step in ordered:
        if not isinstance(step, Step):
            raise TypeError(f"steps must be Step(key, duration) values, not {step!r}")
    return ordered
