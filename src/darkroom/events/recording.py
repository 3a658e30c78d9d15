"""Writing events, in the transaction of what caused them.

The status engine calls :func:`statuses_entered` and :func:`due_dates_moved` as two of its
followers (``tracking.followers``), so every writer of a status or a due date — one change, a
bulk change, a scan, a recompute of ten thousand orders — records its events the same way, and
an event exists exactly when its change committed. Other apps record theirs with
:func:`event_record` (messaging: a message that failed).

Once written, the events are handed to the event followers below, in order and in the same
transaction: webhooks write a delivery for each endpoint that wants them. The events app sits
below webhooks, so it names them by dotted path rather than importing them, as the engine does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Final

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.module_loading import import_string

from darkroom.events.kinds import RECORD_KINDS, RecordKind, kind_of
from darkroom.events.models import Event
from darkroom.tracking.followers import DueDateMoved, StatusEntered
from darkroom.tracking.models import Status, TrackedRecord

# Called with (events=[Event]) once events are written, in this order, in their transaction.
EVENT_FOLLOWERS: Final = (
    # A delivery for each active endpoint subscribed to the event's type.
    "darkroom.webhooks.fanout.events_recorded",
)

# Rows per INSERT: a recompute's events go in a few statements, within every database's limits.
_BATCH = 500


@cache
def _followers() -> tuple[Callable[..., Any], ...]:
    return tuple(import_string(path) for path in EVENT_FOLLOWERS)


def events_write(*, events: Sequence[Event]) -> list[Event]:
    """Write ``events`` and tell the event followers; the events, with their ids."""
    if not events:
        return []
    written = _inserted(list(events))
    for follower in _followers():
        follower(events=written)
    return written


# The columns written; ``tx`` and ``id`` are the database's (``tx``: the column's default).
_COLUMNS = ("type", "occurred_at", "record_kind", "record_id", "data")


@cache
def _fields() -> tuple[Field[Any, Any], ...]:
    by_name = {field.name: field for field in Event._meta.concrete_fields}
    return tuple(by_name[name] for name in _COLUMNS)


@cache
def _insert_sql(rows: int) -> str:
    q = connection.ops.quote_name
    fields = _fields()
    columns = ", ".join(q(str(field.column)) for field in fields)  # concrete: never None
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = ", ".join([row] * rows)
    return f"INSERT INTO {q(Event._meta.db_table)} ({columns}) VALUES {values} RETURNING id"


def _inserted(events: list[Event]) -> list[Event]:
    """The events inserted by prepared SQL, each given its id.

    Every status change writes one, so this is the status engine's hot path, written as its
    history row is (``tracking.status_rows``): ``bulk_create`` compiling the same INSERT each
    time cost a status change about a quarter of its time. A database that can't return the
    ids of inserted rows (SQLite before 3.35) takes ``bulk_create``."""
    if not connection.features.can_return_rows_from_bulk_insert:
        return Event.objects.bulk_create(events, batch_size=_BATCH)
    fields = _fields()
    with connection.cursor() as cursor:
        for start in range(0, len(events), _BATCH):
            chunk = events[start : start + _BATCH]
            params = [
                field.get_db_prep_save(getattr(event, field.attname), connection)
                for event in chunk
                for field in fields
            ]
            cursor.execute(_insert_sql(len(chunk)), params)
            for event, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                event.pk = pk
                event._state.adding = False
                event._state.db = connection.alias
    return events


def record_ref(kind: RecordKind, record_id: int) -> dict[str, object]:
    """How an event names a record: its kind, its id and where the API serves it."""
    return {"kind": kind.name, "id": record_id, "url": kind.url(record_id)}


def record_ref_of(model: type[Model], record_id: int) -> dict[str, object] | None:
    """``record_ref`` for a record of ``model``; None when it is not a tracked kind."""
    kind = RECORD_KINDS.get(model._meta.model_name or "")
    return record_ref(kind, record_id) if kind else None


def _status(status: Status | None) -> dict[str, object] | None:
    return None if status is None else {"id": status.pk, "name": status.description}


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def statuses_entered(*, model: type[TrackedRecord], entries: list[StatusEntered], by: Any) -> None:
    """The status engine's follower: a ``<kind>.created`` event for each record that started,
    a ``<kind>.status_changed`` event for each that moved on."""
    kind = kind_of(model)
    events_write(
        events=[
            Event(
                type=f"{kind.name}.{'created' if entry.from_status is None else 'status_changed'}",
                occurred_at=entry.entered_at,
                record_kind=kind.name,
                record_id=entry.record_id,
                data={
                    "record": record_ref(kind, entry.record_id),
                    "status": _status(entry.to_status),
                    "previous_status": _status(entry.from_status),
                    "entered_on": _day(entry.entered_on),
                    "due_date": _day(entry.due_date),
                },
            )
            for entry in entries
        ]
    )


def due_dates_moved(*, model: type[TrackedRecord], moves: list[DueDateMoved]) -> dict[int, str]:
    """The due-date follower: a ``<kind>.due_date_moved`` event for each record whose current
    step's due date moved (by hand or by a recompute). Adds nothing to the history's words."""
    kind = kind_of(model)
    names = dict(
        Status.objects.filter(pk__in={move.status_id for move in moves}).values_list(
            "pk", "description"
        )
    )
    now = timezone.now()
    events_write(
        events=[
            Event(
                type=f"{kind.name}.due_date_moved",
                occurred_at=now,
                record_kind=kind.name,
                record_id=move.record_id,
                data={
                    "record": record_ref(kind, move.record_id),
                    "status": {"id": move.status_id, "name": names.get(move.status_id, "")},
                    "due_date": _day(move.due_date),
                },
            )
            for move in moves
        ]
    )
    return {}


def event_record(
    *, type: str, data: dict[str, object], record: tuple[str, int] | None = None
) -> Event:
    """Record one event of ``type`` (one of ``kinds.event_types``) about ``record`` (a kind's
    name and an id), in the caller's transaction."""
    kind, record_id = record if record else ("", None)
    [event] = events_write(
        events=[
            Event(
                type=type,
                occurred_at=timezone.now(),
                record_kind=kind,
                record_id=record_id,
                data=data,
            )
        ]
    )
    return event
