"""Business-day arithmetic and due-date schedules for Darkroom (pure Python, standard library only).

Why a separate package
----------------------
Due dates are the heart of Darkroom: every status
change computes one, every closure added recomputes many, every report projects completion dates.
The rules are pure date arithmetic, so they live here, apart from Django: this package imports
nothing outside the standard library (a test enforces it), can be used and tested without settings
or a database, and is checked with ``mypy --strict``. The Django side builds a
:class:`BusinessCalendar` from the studio's work week and closures and calls into it.

What is in it
-------------
* :mod:`darkroom.scheduling.calendar` -- :class:`BusinessCalendar` (``due``, ``subtract``,
  ``business_days_between``, ...), computed with ordinal arithmetic in O(log closures), never by
  walking day by day; :func:`closure_range` to expand a vacation into closure dates.
* :mod:`darkroom.scheduling.schedules` -- :func:`schedule_backward` (due dates back from a promised
  delivery date) and :func:`project_forward` (chained due dates and the projected completion).

Quick tour::

    >>> from datetime import date
    >>> from darkroom.scheduling import BusinessCalendar, Step, schedule_backward
    >>> studio = BusinessCalendar(range(5))  # Monday..Friday
    >>> studio.due(date(2015, 7, 31), 1)  # Friday + 1
    datetime.date(2015, 8, 3)
    >>> steps = [Step("Retouch", 3), Step("Printing", 2), Step("QA", 1)]
    >>> [d.isoformat() for d in schedule_backward(studio, steps, date(2015, 7, 31))]
    ['2015-07-28', '2015-07-30', '2015-07-31']
"""

from darkroom.scheduling.calendar import (
    BusinessCalendar,
    CalendarError,
    CalendarRangeError,
    closure_range,
)
from darkroom.scheduling.schedules import Projection, Step, project_forward, schedule_backward

__all__ = [
    "BusinessCalendar",
    "CalendarError",
    "CalendarRangeError",
    "Projection",
    "Step",
    "closure_range",
    "project_forward",
    "schedule_backward",
]
