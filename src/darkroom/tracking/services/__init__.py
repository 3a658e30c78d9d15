"""The tracking engine's writes: every write of a record's status columns or of its history.

Reads live beside the package (``selectors``, ``standing``, ``remaining``); the prepared SQL
of the hot path in ``status_rows``. Each module holds one kind of write, named as the studio
says it:

* ``start``: a new record enters its cycle's initial status (one, or many made together);
* ``change``: a record moves to another status (rule 2), by the rules of ``change_rules``;
* ``bulk_change``: many records moved at once, all or nothing, by the same rules;
* ``cycle_move``: a record follows another cycle (an order whose type changed);
* ``due_date_moves``: a person moves the current step's due date;
* ``reassignment``: a step handed to another department or person, the status kept;
* ``recompute``: due dates recomputed after the calendar or a promised date changed;
* ``cycles``: the studio's cycles and their steps (the maintenance lists);
* ``schedule`` and ``plan``: the due dates and the planned write every writer shares.

The names below are the package's interface: callers outside the engine import them from here.
"""

from darkroom.tracking.services.bulk_change import (
    MOST_RECORDS,
    BulkItem,
    BulkOutcome,
    BulkRefused,
    status_change_bulk,
)
from darkroom.tracking.services.change import status_change
from darkroom.tracking.services.cycle_move import record_cycle_move
from darkroom.tracking.services.cycles import (
    cycle_create,
    cycle_set_up,
    cycle_touch,
    status_add,
    status_delete,
    status_move,
    status_update,
)
from darkroom.tracking.services.due_date_moves import due_move_words, status_due_date_set
from darkroom.tracking.services.plan import DEFAULT, STATUS_COLUMNS
from darkroom.tracking.services.reassignment import (
    assignee_words,
    person_words,
    reassign_words,
    record_reassign,
    records_reassign,
)
from darkroom.tracking.services.recompute import (
    CALENDAR_CHANGED,
    PROMISE_CHANGED,
    due_dates_recompute,
)
from darkroom.tracking.services.schedule import (
    projected_completion,
    proposed_due_date,
    scheduled_due_date,
)
from darkroom.tracking.services.start import record_start, records_create_started

__all__ = [
    "CALENDAR_CHANGED",
    "DEFAULT",
    "MOST_RECORDS",
    "PROMISE_CHANGED",
    "STATUS_COLUMNS",
    "BulkItem",
    "BulkOutcome",
    "BulkRefused",
    "assignee_words",
    "cycle_create",
    "cycle_set_up",
    "cycle_touch",
    "due_dates_recompute",
    "due_move_words",
    "person_words",
    "projected_completion",
    "proposed_due_date",
    "reassign_words",
    "record_cycle_move",
    "record_reassign",
    "record_start",
    "records_create_started",
    "records_reassign",
    "scheduled_due_date",
    "status_add",
    "status_change",
    "status_change_bulk",
    "status_delete",
    "status_due_date_set",
    "status_move",
    "status_update",
]
