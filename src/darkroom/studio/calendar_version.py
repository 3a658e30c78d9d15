"""The calendar's version, and who is told when the studio's calendar changes.

Every calendar write (the work week, the due-date mode, closures) gives the calendar a new
version, so that every process rebuilds the calendar it cached (``calendar/cache.py``), and
then tells the calendar's followers, inside the write's transaction: if the change rolls back,
so does what they did. The tracking engine, which recomputes the open records' due dates, sits
above the studio's records, so it is named here by dotted path (as the engine names its own
followers in ``tracking/followers.py``) rather than imported.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import cache
from typing import Final

from django.utils.module_loading import import_string

from darkroom.studio.models import StudioPreferences

# Called with no arguments, in this order, after every calendar write.
CALENDAR_FOLLOWERS: Final = (
    # The open records' due dates are recomputed by the worker (a job enqueued in the write's
    # transaction).
    "darkroom.tracking.tasks.calendar_changed",
)


@cache
def _followers() -> tuple[Callable[[], None], ...]:
    return tuple(import_string(path) for path in CALENDAR_FOLLOWERS)


def calendar_changed() -> None:
    """Note that the studio's calendar changed: its work week, due-date mode or closures.

    Every calendar write calls this, inside its transaction. It gives the calendar a new
    version, so that every process rebuilds its cached calendar, and tells the followers (the
    recomputation of the open records' due dates is enqueued in the same transaction: if the
    change rolls back, so does the job).
    """
    version = secrets.randbelow(2**62) + 1
    if not StudioPreferences.objects.filter(pk=1).update(calendar_version=version):
        # A studio that never saved preferences: store the defaults.
        StudioPreferences.objects.get_or_create(pk=1)
        StudioPreferences.objects.filter(pk=1).update(calendar_version=version)
    for follower in _followers():
        follower()
