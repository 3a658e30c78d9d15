"""What a record's page shows of its status: the panel, how its due date stands, its history.

Every kind of tracked record's page (a session's, an invoice's, an order's, a task's) shows the
same panel, so it is built once here from the record and its kind's pages (``record_kinds``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from darkroom.errors import DarkroomError
from darkroom.tracking.forms import StartForm
from darkroom.tracking.models import Status, StatusNote, TrackedRecord
from darkroom.tracking.selectors import cycle_for
from darkroom.tracking.standing import FINISHED, Standing
from darkroom.tracking.views.record_kinds import RecordKind


@dataclass(frozen=True)
class DueState:
    """A due date in words, so "late" is never shown by colour alone."""

    kind: str  # "overdue", "today" or "upcoming"
    words: str


def due_state(record: TrackedRecord, today: dt.date) -> DueState | None:
    """How the record's current due date stands today; None when nothing is due (final)."""
    due = record.status_due_date
    status = record.status
    if status is None or due is None or status.is_final:
        return None
    days = (due - today).days
    plural = "s" if abs(days) != 1 else ""
    if days < 0:
        return DueState("overdue", f"Overdue by {-days} day{plural}")
    if days == 0:
        return DueState("today", "Due today")
    return DueState("upcoming", f"Due in {days} day{plural}")


@dataclass
class Tracking:
    """The status panel and history section of one record's page."""

    pages: RecordKind
    record: TrackedRecord
    today: dt.date
    can_change: bool
    problem: str = ""  # why the record can't change status yet ("no cycle for sessions")
    initial: Status | None = None  # where "Start" puts a record not yet in its cycle
    start_form: StartForm | None = None
    history: list[StatusNote] = field(default_factory=list)
    more_history: bool = False
    standing: Standing = FINISHED  # projected completion and "at risk", as the hub says them

    @property
    def due(self) -> DueState | None:
        return due_state(self.record, self.today)

    @property
    def urls(self) -> dict[str, str]:
        return self.pages.record_urls(self.record)


def not_started(record: TrackedRecord, tracking: Tracking) -> None:
    """Fill in what starting the record needs (its initial status), or why it can't start."""
    try:
        cycle = cycle_for(record)
    except DarkroomError as exc:
        tracking.problem = exc.message
        return
    tracking.initial = Status.objects.filter(cycle=cycle, is_initial=True).first()
    if tracking.initial is None:
        tracking.problem = f"The cycle {cycle} has no initial status yet."
