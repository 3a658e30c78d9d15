"""The status pages of every kind of tracked record, their URLs, and the status section of a
record's own page.

One implementation serves every kind: a :class:`StatusPages` (``status_pages.py``: the dialog,
"Start", the history) names the model, its URLs and who may see it (sessions, invoices,
production and proof orders, tasks), by app label and dotted path (``record_kinds.py``), since
the engine sits below the apps that hold them. The panel on a record's page is
``status_panel.py``.

* ``<records>/<pk>/status/``: the dialog (GET, also a page of its own without JavaScript) and
  the change (POST). A record not yet in its cycle is offered "Start" instead
  (``…/status/start/``). ``…/status/due/`` re-proposes the due date and the assignees when the
  target or the date completed changes.
* ``<records>/<pk>/history/``: every change, newest first (the record's page shows the latest).
* ``<records>/bulk-status/``: many records from a list at once, all or nothing, with a report
  (bulk_changes.py).
* ``<records>/<pk>/status/due-date/``: move the current status's due date alone (due_dates.py).
* ``<records>/<pk>/reassign/``: hand the current step to another department or person, the
  status unchanged (reassign.py).

Opened from another record's page (an order's page changes its invoice's status), the pages
take ``?next=`` and lead back there.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from darkroom.studio.access import may
from darkroom.tracking.forms import CHANGE_STATUS, StartForm, studio_today
from darkroom.tracking.models import CycleKind, TrackedRecord
from darkroom.tracking.selectors import status_history
from darkroom.tracking.standing import standings
from darkroom.tracking.views.status_pages import StatusPages
from darkroom.tracking.views.status_panel import Tracking, not_started

HISTORY_SHOWN = 20  # changes on the record's own page; the history page shows the rest


SESSIONS = StatusPages(
    label="clients.Session",
    noun="session",
    plural="sessions",
    prefix="sessions",
    kind=CycleKind.SESSION,
    view_permission="clients.view_session",
    list_view="clients:session-list",
    related=("client", "session_type"),
)
INVOICES = StatusPages(
    label="clients.Invoice",
    noun="invoice",
    plural="invoices",
    prefix="invoices",
    kind=CycleKind.INVOICE,
    view_permission="clients.view_invoice",
    list_view="clients:invoice-list",
    related=("client",),
)
PRODUCTION_ORDERS = StatusPages(
    label="production.ProductionOrder",
    noun="order",
    plural="orders",
    prefix="production/orders",
    kind=CycleKind.PRODUCTION,
    view_permission="production.view_productionorder",
    list_view="hub:list",
    related=("client", "vendor", "order_type"),
)
PREPRODUCTION_ORDERS = StatusPages(
    label="production.PreproductionOrder",
    noun="proof-order",
    plural="proof orders",
    prefix="production/proof-orders",
    kind=CycleKind.PREPRODUCTION,
    view_permission="production.view_preproductionorder",
    list_view="hub:list",
    related=("session__client", "session__session_type", "vendor"),
)
# A private task's status pages are guarded in darkroom/todos/urls.py, which is served first.
TASKS = StatusPages(
    label="todos.Task",
    noun="task",
    plural="tasks",
    prefix="tasks",
    kind=CycleKind.TASK,
    view_permission="todos.view_task",
    list_view="todos:task-list",
    visible="darkroom.todos.selectors.visible_tasks",
)
PAGES_BY_MODEL: dict[str, StatusPages] = {
    pages.label: pages
    for pages in (SESSIONS, INVOICES, PRODUCTION_ORDERS, PREPRODUCTION_ORDERS, TASKS)
}


def status_section(request: HttpRequest, record: TrackedRecord) -> dict[str, Any]:
    """What a record's page needs for its status panel and history (``{"tracking": …}``)."""
    pages = PAGES_BY_MODEL[record._meta.label]
    fresh = pages.record(request, record.pk)
    today = studio_today(request)
    tracking = Tracking(
        pages=pages, record=fresh, today=today, can_change=may(request, CHANGE_STATUS)
    )
    tracking.standing = standings([fresh], today=today)[0]
    if fresh.status_id is None:
        not_started(fresh, tracking)
        tracking.start_form = StartForm(initial={"version": fresh.version, "started_on": today})
    notes = list(status_history(record=fresh).reverse()[: HISTORY_SHOWN + 1])
    tracking.history, tracking.more_history = notes[:HISTORY_SHOWN], len(notes) > HISTORY_SHOWN
    return {"tracking": tracking}


urlpatterns = [url for pages in PAGES_BY_MODEL.values() for url in pages.urls()]
