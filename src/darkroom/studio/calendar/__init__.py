"""The studio's business calendar: its work week and closures, as a ``BusinessCalendar``.

Every due date is computed on the studio's business calendar: the days of its work week
(``StudioPreferences.work_days``) minus its closures (holidays, vacations). A vendor may have
closures of its own, which add to the studio's for that vendor's orders. The date arithmetic
lives in :mod:`darkroom.scheduling`; this package reads the studio's records into a
:class:`~darkroom.scheduling.BusinessCalendar` and is the one place that writes closures and the
work week, so the UI and the API agree:

* ``cache.py``: the calendar every due date reads, cached per process (``calendar_now``);
* ``reads.py``: the days and closures the calendar pages and the API show;
* ``writes.py``: the work week and closures, each write invalidating every process's cache;
* ``holidays.py``: public holidays imported as closures.

Code imports from those modules. The names below are kept here too because the status
engine, the hub and the large studio generator of the benchmarks read the calendar by this path
(``from darkroom.studio.calendar import calendar_now``).
"""

from darkroom.studio.calendar.cache import (
    CalendarNow,
    VendorCalendars,
    calendar_now,
    calendars_now,
    calendars_of_vendors,
)

__all__ = [
    "CalendarNow",
    "VendorCalendars",
    "calendar_now",
    "calendars_now",
    "calendars_of_vendors",
]
