"""Status cycles and status changes over the API: ``/api/v1/cycles…`` and ``…/status-changes``.

Managers maintain the cycles (their statuses, order, defaults and flags) through
``tracking/services/cycles.py``; staff change a record's status through the status-change
service, which is the only code that writes a record's status. A change carries the record's
``version`` as the caller saw it: if someone changed the record since, the answer is 409
``conflict`` and nothing is written. ``…/status-due-date`` moves the current status's due date
alone (``tracking/services/due_date_moves.py``); ``…/reassign`` hands an order's step to
another department or person (``tracking/services/reassignment.py``). The status endpoints of
every kind of tracked record (sessions, invoices, orders, tasks) are made from one list
(``records.py``).
"""

from darkroom.tracking.api import cycles, records  # noqa: F401  (their endpoints)
from darkroom.tracking.api.common import router

__all__ = ["router"]
