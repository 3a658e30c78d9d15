"""The trigger planner: the status engine's follower that writes firings.

When records enter a status, each active trigger on that status gets one firing per record's
stay, written in the change's own transaction: due the day the record entered (on entering) or
N business days before or after the status's due date on the record's calendar (the studio's,
with its vendor's closures for orders). Firings still scheduled for a stay the record just left
are cancelled with that reason. When a due date moves (a person, or a recompute after the
calendar or a promised date changed), the scheduled firings of the stay move with it, and the
history row says so.

A change of a record whose status no trigger watches costs nothing here: the triggers are read
once per cycle version and kept per process (saving a trigger gives its cycle a new version,
``tracking.services.cycle_touch``), and the calendar is the one the change itself just read
(``studio.calendar.cache``). So a change into a watched status adds one INSERT of
all its firings, whatever their number (a bulk change: one per hundred firings); leaving a
status with timed triggers adds one UPDATE that cancels their firings. Nothing wakes the worker:
it looks for firings due now every couple of seconds (``messaging.ticks.work_waiting``).
``bench/bench_triggers.py`` measures what the planner costs a change.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, DateField, Value, When
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.messaging.models import (
    Firing,
    FiringState,
    Processing,
    Trigger,
    TriggerWhen,
)
from darkroom.scheduling import BusinessCalendar, CalendarError
from darkroom.studio.calendar.cache import calendars_as_read, calendars_now
from darkroom.tracking.followers import DueDateMoved, StatusEntered
from darkroom.tracking.models import Cycle, Status, TrackedRecord
from darkroom.tracking.status_rows import steps_version


@dataclass(frozen=True)
class Watch:
    """What the planner needs of one active trigger."""

    trigger_id: int
    name: str
    status_id: int
    when: str
    days: int
    processing: str
    active_since: dt.datetime

    @property
    def timed(self) -> bool:
        return self.when != TriggerWhen.ENTERED


@dataclass(frozen=True)
class Watches:
    """The active triggers of one cycle, by status."""

    by_status: dict[int, tuple[Watch, ...]]

    def on(self, status_id: int) -> tuple[Watch, ...]:
        return self.by_status.get(status_id, ())

    def timed_on(self, status_id: int) -> tuple[Watch, ...]:
        return tuple(watch for watch in self.on(status_id) if watch.timed)


_watches: dict[int, tuple[int, Watches]] = {}
_watches_lock = threading.Lock()


def watches_of(cycle_id: int) -> Watches:
    """The cycle's active triggers, read again only when the cycle's version moved."""
    version = steps_version(cycle_id)
    if version is None:
        version = Cycle.objects.values_list("version", flat=True).get(pk=cycle_id)
    cached = _watches.get(cycle_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    by_status: dict[int, list[Watch]] = {}
    rows = Trigger.objects.filter(cycle_id=cycle_id, is_active=True).values_list(
        "pk", "name", "status_id", "when", "days", "processing", "active_since"
    )
    for pk, name, status_id, when, days, processing, since in rows:
        by_status.setdefault(status_id, []).append(
            Watch(pk, name, status_id, when, days, processing, since)
        )
    watches = Watches({key: tuple(value) for key, value in by_status.items()})
    with _watches_lock:
        _watches[cycle_id] = (version, watches)
    return watches


def offset_day(calendar: BusinessCalendar, due: dt.date, when: str, days: int) -> dt.date:
    """The day a timed trigger fires: ``days`` business days after (or before) ``due``.

    Zero days means the due date itself. The count is on the record's calendar: a closure or
    a weekend between the due date and the firing pushes the firing out.
    """
    if when == TriggerWhen.AFTER_DUE:
        return calendar.due(due, days) if days else due
    return calendar.subtract(due, days) if days else due


def _timed_day(
    watch: Watch, due: dt.date | None, calendar: BusinessCalendar
) -> tuple[dt.date | None, str]:
    if due is None:
        return None, "The record has no due date in this status."
    try:
        return offset_day(calendar, due, watch.when, watch.days), ""
    except CalendarError as exc:
        return None, f"No firing day can be computed: {exc}"


def statuses_entered(*, model: type[TrackedRecord], entries: list[StatusEntered], by: Any) -> None:
    """The status engine's follower: plan the firings of the stays that just began, and cancel
    the scheduled firings of the stays that just ended."""
    planned: list[tuple[StatusEntered, Watch]] = []
    left: list[int] = []
    cycles: dict[int, Watches] = {}  # a bulk change's records share a few cycles
    for entry in entries:
        cycle_id = entry.to_status.cycle_id
        watches = cycles.get(cycle_id)
        if watches is None:
            watches = cycles[cycle_id] = watches_of(cycle_id)
        if not watches.by_status:
            continue
        if entry.from_status is not None and watches.timed_on(entry.from_status.pk):
            left.append(entry.record_id)
        for watch in watches.on(entry.to_status.pk):
            if entry.entered_at >= watch.active_since:
                planned.append((entry, watch))
    if not planned and not left:
        return
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    if left:
        _cancel_left(content_type.pk, left, now)
    if planned:
        _plan(model, content_type.pk, planned, now)


def _cancel_left(content_type_id: int, record_ids: list[int], now: dt.datetime) -> None:
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    for start in range(0, len(record_ids), MOST_PARAMETERS):
        part = record_ids[start : start + MOST_PARAMETERS]
        with connection.cursor() as cursor:
            cursor.execute(
                _cancel_sql(len(part)),
                [FiringState.CANCELLED.value, LEFT, stamp, content_type_id,
                 FiringState.SCHEDULED.value, *part],
            )  # fmt: skip


LEFT = "The record left the status before the firing day."


@lru_cache(maxsize=64)
def _cancel_sql(count: int) -> str:
    q = connection.ops.quote_name
    return (
        f"UPDATE {q(Firing._meta.db_table)} SET state = %s, reason = %s, decided_at = %s "
        f"WHERE content_type_id = %s AND state = %s AND object_id IN ({', '.join(['%s'] * count)})"
    )


_FIRING_COLUMNS = (
    "trigger_id", "content_type_id", "object_id", "stay", "stay_started_at", "due_on", "state",
    "reason", "created_at",
)  # fmt: skip
_ROWS_PER_INSERT = 100  # 900 values: well under MOST_PARAMETERS


@lru_cache(maxsize=256)
def _insert_sql(count: int) -> str:
    q = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(_FIRING_COLUMNS))})"
    return (
        f"INSERT INTO {q(Firing._meta.db_table)} ({', '.join(map(q, _FIRING_COLUMNS))}) "
        f"VALUES {', '.join([row] * count)}"
    )


def _insert_firings(rows: list[tuple[Any, ...]]) -> None:
    """Insert firings given as rows of :data:`_FIRING_COLUMNS`, values ready for the driver.

    Why not ``bulk_create``: the planner runs in every status change, and building five model
    instances and compiling their INSERT cost more than the change's own writes. The SQL is
    built once per row count; the rows are plain values (ids, adapted dates, texts).
    """
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        part = rows[start : start + _ROWS_PER_INSERT]
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(len(part)), [value for row in part for value in row])


def _plan(
    model: type[TrackedRecord],
    content_type_id: int,
    planned: list[tuple[StatusEntered, Watch]],
    now: dt.datetime,
) -> None:
    timed = {entry.vendor_id for entry, watch in planned if watch.timed}
    calendars = calendars_as_read(timed) if timed else {}
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    # A bulk change's records share a few days, instants and due dates: each is worked out once.
    adapted: dict[Any, Any] = {}
    days: dict[tuple[int, int | None, dt.date | None], tuple[dt.date | None, str]] = {}
    rows: list[tuple[Any, ...]] = []

    for entry, watch in planned:
        state, reason = FiringState.SCHEDULED, ""
        day: dt.date | None = entry.entered_on
        if watch.timed:
            key = (watch.trigger_id, entry.vendor_id, entry.due_date)
            if key not in days:
                calendar = calendars[entry.vendor_id]
                days[key] = _timed_day(watch, entry.due_date, calendar)
            day, reason = days[key]
            if day is None:
                state, day = FiringState.SUPPRESSED, entry.entered_on
        elif watch.processing == Processing.REVIEW:
            state = FiringState.IN_REVIEW
        else:
            state = FiringState.DUE
        if entry.entered_at not in adapted:
            adapted[entry.entered_at] = ops.adapt_datetimefield_value(entry.entered_at)
        if day not in adapted:
            adapted[day] = ops.adapt_datefield_value(day)
        rows.append(
            (
                watch.trigger_id,
                content_type_id,
                entry.record_id,
                entry.stay,
                adapted[entry.entered_at],
                adapted[day],
                state.value,
                reason,
                stamp,
            )
        )
    _insert_firings(rows)


def due_dates_moved(*, model: type[TrackedRecord], moves: list[DueDateMoved]) -> dict[int, str]:
    """The status engine's follower for moved due dates: the stay's scheduled firings move
    with the date. Returns, per record, the words its history row gets."""
    affected: dict[int, tuple[DueDateMoved, tuple[Watch, ...]]] = {}
    for move in moves:
        cycle_id = _cycle_of_status(move.status_id)
        timed = watches_of(cycle_id).timed_on(move.status_id)
        if timed and move.stay_started_at is not None:
            affected[move.record_id] = (move, timed)
    if not affected:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    ids = list(affected)
    firings: list[Firing] = []
    for start in range(0, len(ids), MOST_PARAMETERS):
        firings += Firing.objects.filter(
            content_type_id=content_type.pk,
            object_id__in=ids[start : start + MOST_PARAMETERS],
            state=FiringState.SCHEDULED,
        ).only("pk", "trigger_id", "object_id", "stay_started_at", "due_on")
    clocks = calendars_now(move.vendor_id for move, _ in affected.values())
    words: dict[int, list[str]] = {}
    changed: dict[int, dt.date] = {}
    for firing in firings:
        move, timed = affected[firing.object_id]
        watch = next((w for w in timed if w.trigger_id == firing.trigger_id), None)
        if watch is None or firing.stay_started_at != move.stay_started_at:
            continue
        day, _ = _timed_day(watch, move.due_date, clocks[move.vendor_id].calendar)
        if day is None or day == firing.due_on:
            continue
        changed[firing.pk] = day
        words.setdefault(firing.object_id, []).append(
            f"Trigger “{watch.name}” now fires {day:%Y-%m-%d} (was {firing.due_on:%Y-%m-%d})."
        )
    pairs = list(changed.items())
    for start in range(0, len(pairs), 300):
        part = pairs[start : start + 300]
        Firing.objects.filter(pk__in=[pk for pk, _ in part]).update(
            due_on=Case(
                *(When(pk=pk, then=Value(day)) for pk, day in part), output_field=DateField()
            )
        )
    return {record_id: " ".join(texts) for record_id, texts in words.items()}


_status_cycles: dict[int, int] = {}


def _cycle_of_status(status_id: int) -> int:
    """A status never changes cycle, so the answer is kept for the process's life."""
    if status_id not in _status_cycles:
        _status_cycles[status_id] = Status.objects.values_list("cycle_id", flat=True).get(
            pk=status_id
        )
    return _status_cycles[status_id]
