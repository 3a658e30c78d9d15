"""The events feed: every event, in commit order, a page at a time after a cursor.

An integrator polls ``GET /api/v1/events?after=<cursor>`` and keeps the cursor of the last page.
The promise is that polling this way never skips and never repeats an event, even while many
changes commit at once. Ids alone can't keep it on PostgreSQL (events/models.py says why), so
the feed reads in ``(tx, id)`` order and shows only events whose transaction is older than the
oldest one still running: one that could still commit is held back until it has, and then comes
after everything the reader has seen. On SQLite ``tx`` is 0 and writers take turns, so ids are
already in commit order and nothing is held back.

A page reads ``limit`` rows of one index from the cursor on: ``event_commit_order`` on
PostgreSQL, the primary key on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from darkroom.events.models import Event
from darkroom.page_cursors import cursor_envelope, cursor_text

_SORT = "events"
_KIND = "event"
# The transactions still running start at the snapshot's xmin; the reader's own transaction
# counts among them, but its own events are its to see (a test writes and reads in one).
_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_OWN = "pg_current_xact_id_if_assigned()::text::bigint"

BAD_CURSOR = (
    "This is not a cursor of the events feed: start again without it, or after an event id."
)


@dataclass(frozen=True)
class Position:
    """Where a reader of the feed is: after the event ``event_id`` of transaction ``tx``."""

    tx: int
    event_id: int

    def cursor(self) -> str:
        return cursor_text(_SORT, [self.tx], self.event_id, _KIND)


START = Position(tx=-1, event_id=0)


def _refused(why: str) -> ValidationError:
    return ValidationError({"after": f"{BAD_CURSOR} ({why})"})


def position_of(after: str | None) -> Position:
    """The position an ``after`` names: a cursor the feed gave, an event's id (``evt_123``:
    resume after an event a webhook brought), or nothing (the start)."""
    if not after:
        return START
    if after.startswith("evt_"):
        digits = after.removeprefix("evt_")
        event = (
            Event.objects.filter(pk=int(digits)).values_list("tx", "pk").first()
            if digits.isdigit() and len(digits) < 19
            else None
        )
        if event is None:
            raise ValidationError({"after": f"There is no event {after}."})
        return Position(tx=event[0], event_id=event[1])
    envelope = cursor_envelope(after, _SORT, _refused)
    assert envelope is not None
    values, pk = envelope["v"], envelope["id"]
    if (
        envelope["k"] != _KIND
        or not isinstance(values, list)
        or len(values) != 1
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in (*values, pk))
    ):
        raise _refused("it is malformed")
    return Position(tx=values[0], event_id=pk)


def _settled() -> QuerySet[Event]:
    """The events no transaction still running can come before."""
    events = Event.objects.all()
    if connection.vendor == "postgresql":
        events = events.filter(Q(tx__lt=RawSQL(_HORIZON, [])) | Q(tx=RawSQL(_OWN, [])))
    return events


def _order() -> tuple[str, ...]:
    """Commit order: ``(tx, id)`` on PostgreSQL; on SQLite, where ``tx`` is always 0, the id."""
    return ("tx", "id") if connection.vendor == "postgresql" else ("id",)


def _after(position: Position) -> Q | RawSQL:
    """The events after ``position``, as a range the database seeks to: on PostgreSQL one
    row-value comparison over the ``(tx, id)`` index (spelt "tx > a OR (tx = a AND id > b)" it
    is not read as a range); on SQLite a range of ids (SQLite seeks the row value by ``tx``
    alone, and every ``tx`` there is 0: a page in the middle of six million events took half a
    second)."""
    if connection.vendor != "postgresql":
        return Q(pk__gt=position.event_id)
    table = connection.ops.quote_name(Event._meta.db_table)
    return RawSQL(
        f"({table}.tx, {table}.id) > (%s, %s)",
        [position.tx, position.event_id],
        output_field=BooleanField(),
    )


@dataclass(frozen=True)
class FeedPage:
    events: list[Event]
    next_position: Position  # where to poll from next: after the last event, or where it was
    has_more: bool  # another page is there now


def events_after(position: Position, *, limit: int) -> FeedPage:
    """Up to ``limit`` events after ``position``, in commit order."""
    rows = list(_settled().filter(_after(position)).order_by(*_order())[: limit + 1])
    events = rows[:limit]
    last = events[-1] if events else None
    return FeedPage(
        events=events,
        next_position=Position(tx=last.tx, event_id=last.pk) if last else position,
        has_more=len(rows) > limit,
    )


def latest_position() -> Position:
    """The position after the newest settled event: where a new integrator starts to hear
    only what happens from now on."""
    newest = _settled().order_by(*(f"-{name}" for name in _order())).values_list("tx", "pk").first()
    return Position(tx=newest[0], event_id=newest[1]) if newest else START
