"""Dates as the database takes them, and the studio calendar's answers, remembered.

Why: the large studio asks for the same few thousand dates, due dates and durations millions of
times; computing each once is most of what keeps a million orders to minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection

from darkroom.sample_data.scale.small_records import CycleSteps, Step
from darkroom.studio.calendar import calendar_now
from darkroom.tracking.services import projected_completion
from darkroom.tracking.standing import business_days_late


class _Memo(dict):  # type: ignore[type-arg]
    """A dict that computes a value the first time its key is asked for."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.compute(key)
        return value


class Dates:
    """Dates as the database takes them, and the calendar's answers, remembered: the same few
    thousand dates and durations come back millions of times. Dates are ordinals here, and the
    keys are packed in one number: ``due[o << 10 | days]``, ``between[a << 20 | b]``,
    ``late[due << 20 | left]``, ``stamp[o << 5 | hour]``."""

    def __init__(self, today: dt.date) -> None:
        calendar = self.calendar = calendar_now(None).calendar
        day = dt.date.fromordinal
        offset = "+00:00" if connection.vendor == "postgresql" else ""
        self.today = today.toordinal()
        self.iso = iso = _Memo(lambda o: day(o).isoformat())
        self.stamp = _Memo(
            lambda k: f"{iso[k >> 5]} {k & 31:02d}:{(k >> 5) * 7 % 60:02d}:00{offset}"
        )
        self.due = _Memo(lambda k: calendar.due(day(k >> 10), k & 1023).toordinal())
        self.between = _Memo(
            lambda k: calendar.business_days_between(day(k >> 20), day(k & 0xFFFFF))
        )
        # How late a step due on one day was left on another (``late[due << 20 | left]``).
        self.late = _Memo(
            lambda k: business_days_late(due=day(k >> 20), left=day(k & 0xFFFFF), calendar=calendar)
        )
        self._projected: dict[tuple[int, int], str | None] = {}

    def projected(self, cycle: CycleSteps, step: Step, due: int) -> str | None:
        """What ``projected_completion`` says of a record in ``step`` due on ``due``."""
        key = (step.pk, due)
        if key not in self._projected:
            done = projected_completion(
                steps=cycle.rows,
                status=step.status,
                due=dt.date.fromordinal(due),
                calendar=self.calendar,
            )
            self._projected[key] = None if done is None else done.isoformat()
        return self._projected[key]
