"""Who the status engine tells what it did, in order: its followers.

The status-change service (single, bulk, start, many started at once) and the due-date writers
(a date moved by hand, a recompute after the calendar or a promised date changed) end by
calling the followers named below, in this order, inside their own transaction: what a follower
writes lands or rolls back with the change itself. A follower that must not undo the change on
failure guards its own work with a savepoint.

The engine sits below the features that follow it, so it names them by their dotted paths
rather than importing them (ARCHITECTURE: "the engine never imports the features"); the list is
read once per process. Adding a follower means adding a line here, where a reader of the
service sees it: there is no signal to connect and nothing runs that is not on this list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from django.utils.module_loading import import_string

from darkroom.tracking.models import Status, StatusNote, TrackedRecord

# Called with (model=, entries=[StatusEntered], by=) after records entered statuses.
STATUS_FOLLOWERS: Final = (
    # Each start and change is an event for the outside world (the events feed, webhooks),
    # recorded first so that a change comes before what it sets off.
    "darkroom.events.recording.statuses_entered",
    # An invoice entering a chosen status gets its production orders; an invoice whose orders
    # are all final moves on. May itself change statuses (and so call this list again).
    "darkroom.production.automation.statuses_entered",
    # Triggers on the statuses entered plan their firings; those on the statuses left stop.
    "darkroom.messaging.planner.statuses_entered",
)

# Called with (model=, moves=[DueDateMoved]) before the history rows of moved due dates are
# written; each returns {record id: words} that are added to that record's history row.
DUE_DATE_FOLLOWERS: Final = (
    # Each moved due date is an event for the outside world (the events feed, webhooks).
    "darkroom.events.recording.due_dates_moved",
    # Firings planned N business days before or after the due date move with it.
    "darkroom.messaging.planner.due_dates_moved",
)


@dataclass(frozen=True)
class StatusEntered:
    """One record's move into ``to_status`` from ``from_status`` (None when it started)."""

    record_id: int
    to_status: Status
    from_status: Status | None
    entered_on: dt.date  # the studio day the step began (the note's date completed)
    entered_at: dt.datetime  # the record's ``status_changed_at`` from now on
    due_date: dt.date | None
    # The record's version right after it entered: it names this stay (a version is never
    # reused, where two changes in one instant of a stopped clock share a timestamp).
    stay: int
    # The vendor whose closures count for the record's due dates (None: the studio's only).
    vendor_id: int | None = None


@dataclass(frozen=True)
class DueDateMoved:
    """A record whose current status's due date moved (by a person or a recompute)."""

    record_id: int
    status_id: int
    stay_started_at: dt.datetime | None
    vendor_id: int | None
    due_date: dt.date | None


@cache
def _resolved(paths: tuple[str, ...]) -> tuple[Callable[..., Any], ...]:
    return tuple(import_string(path) for path in paths)


def tell_status_followers(
    model: type[TrackedRecord], moves: Iterable[tuple[TrackedRecord, StatusNote, int]], by: Any
) -> None:
    """Records of ``model`` entered statuses: ``moves`` gives each record (as just written),
    the history row written for it and its new version. Every follower is called, in order,
    with all the entries at once."""
    entries = [
        StatusEntered(
            record_id=record.pk,
            to_status=note.to_status,
            from_status=note.from_status,
            entered_on=note.date_completed,
            entered_at=note.changed_at,
            due_date=note.due_date,
            stay=version,
            vendor_id=record.tracking_vendor_id(),
        )
        for record, note, version in moves
    ]
    if not entries:
        return
    for follower in _resolved(STATUS_FOLLOWERS):
        follower(model=model, entries=entries, by=by)


def tell_due_date_followers(
    model: type[TrackedRecord], moves: list[DueDateMoved]
) -> dict[int, list[str]]:
    """Due dates of records of ``model`` moved; the words each follower adds to the history."""
    words: dict[int, list[str]] = {}
    if not moves:
        return words
    for follower in _resolved(DUE_DATE_FOLLOWERS):
        for record_id, text in follower(model=model, moves=moves).items():
            words.setdefault(record_id, []).append(text)
    return words


def with_follower_words(text: str, words: list[str] | None) -> str:
    """A history row's text with what the followers did added, one line each."""
    return "\n".join([text, *words]) if words else text
