"""What the status-change service tells the rest of Darkroom: records entered a status.

Other apps act on status changes without the engine knowing them: the production app creates an
invoice's orders when it enters a chosen status, and closes the invoice when its last order
becomes final. The engine sends :data:`statuses_entered` once per write (a single change, a
start, or a whole bulk change), inside the write's transaction, so what a receiver writes lands
or rolls back with the change itself. A receiver that must not undo the change on failure
guards its own work with a savepoint.

Receivers get ``sender`` (the record's model), ``entries`` (a list of :class:`StatusEntered`)
and ``by`` (the person who made the change, or None for the system).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from darkroom.tracking.models import Status, TrackedRecord

statuses_entered = Signal()


@dataclass(frozen=True)
class StatusEntered:
    """One record's move: into ``to_status`` from ``from_status`` (None when it started)."""

    record_id: int
    to_status: Status
    from_status: Status | None


def send_entered(model: type[TrackedRecord], moves: Iterable[tuple[int, Any]], by: Any) -> None:
    """Tell the receivers that records of ``model`` entered statuses; ``moves`` pairs a record id
    with the history row just written for it. Nothing is built when nobody listens."""
    if not statuses_entered.has_listeners(model):
        return
    entries = [
        StatusEntered(record_id=record_id, to_status=note.to_status, from_status=note.from_status)
        for record_id, note in moves
    ]
    if entries:
        statuses_entered.send(sender=model, entries=entries, by=by)
