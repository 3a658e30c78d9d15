"""What a client's status page says: their order (the invoice), each production order made for
it and the proofs still out for its session, each with the step it is at, the date the client
may expect it and the steps done — in the words the studio chose for clients, and nothing else.

What a client never reads here: a status's own description unless the studio showed that step
(``Status.client_visible``), status notes, who did a step or holds it, departments, vendors,
costs and prices, order numbers (the vendor's or the studio's work-order numbers mean nothing
to a client), studio notes. The page reads named columns only (``values``-style ``only``), so
a new field on a record does not reach it by accident.

A few queries whatever the invoice's size: the invoice with its client, the studio's
preferences, the orders, the proof orders, their detail lines, their history, and the calendar
key for the expected dates (tests/client_pages asserts the count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from darkroom.clients.models import Invoice, StatusLink
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import NoteKind, Status, StatusNote
from darkroom.tracking.standing import record_is_open, standings

IN_PROGRESS = "In progress"
FINISHED = "Finished"
_STATUS_COLUMNS = ("id", "description", "client_name", "client_visible", "is_final")


@dataclass(frozen=True)
class DoneStep:
    """A step the client may see, and the day the record reached it."""

    name: str
    on: dt.date


@dataclass(frozen=True)
class Progress:
    """One thing the client is waiting for: their order, an album, their proofs."""

    title: str
    items: list[str]
    step: str
    finished: bool
    finished_on: dt.date | None
    expected: dt.date | None
    expected_is_promise: bool
    steps: list[DoneStep]


@dataclass(frozen=True)
class StatusPage:
    studio_name: str
    studio_phone: str
    studio_email: str
    first_name: str
    invoice_number: str
    order: Progress
    parts: list[Progress]


def expected_date(
    *, promised: dt.date | None, projected: dt.date | None, today: dt.date
) -> tuple[dt.date | None, bool]:
    """The date a client is told to expect an open record, and whether it is a promise.

    The date promised (the invoice's approximate delivery date, which its orders carry) comes
    first: it is what the studio told the client, and it doesn't move each time a step inside
    the studio is done a day early or late. Without a promise, or once the promise has passed,
    the projected completion (the remaining steps chained on the calendar, counted from today
    when the current step is late: ``tracking.standing``) is the honest estimate. A date in the
    past is never shown: without a date to give, the page says the studio will be in touch."""
    if promised is not None and promised >= today:
        return promised, True
    if projected is not None and projected >= today:
        return projected, False
    return None, False


def _statuses(ids: set[int]) -> dict[int, Status]:
    return {s.pk: s for s in Status.objects.filter(pk__in=ids).order_by().only(*_STATUS_COLUMNS)}


def _history(records: list[Any]) -> dict[tuple[int, int], list[tuple[int, dt.date]]]:
    """The steps each record entered, in order: (status id, date), from its status notes
    (starts and changes only: a recomputed date or a reassignment is no step)."""
    by_type: dict[int, list[int]] = {}
    for record in records:
        by_type.setdefault(ContentType.objects.get_for_model(record).pk, []).append(record.pk)
    if not by_type:
        return {}
    which = Q()
    for type_id, ids in by_type.items():
        which |= Q(content_type_id=type_id, object_id__in=ids)
    notes = (
        StatusNote.objects.filter(which, kind__in=(NoteKind.START, NoteKind.CHANGE))
        .order_by("changed_at", "id")
        .values_list("content_type_id", "object_id", "to_status_id", "date_completed")
    )
    history: dict[tuple[int, int], list[tuple[int, dt.date]]] = {}
    for type_id, object_id, status_id, day in notes:
        history.setdefault((type_id, object_id), []).append((status_id, day))
    return history


def _progress(
    record: Any,
    *,
    title: str,
    items: list[str],
    entered: list[tuple[int, dt.date]],
    statuses: dict[int, Status],
    projected: dt.date | None,
    promised: dt.date | None,
    today: dt.date,
) -> Progress:
    """A record as its client reads it. The step shown is the current step if the studio shows
    it; else the last shown step the record reached (a hidden step is work inside the studio
    between two things the client cares about); else "In progress" — or "Finished" once the
    record is in its final step, whatever that step is called inside the studio."""
    steps: list[DoneStep] = []
    for status_id, day in entered:
        status = statuses.get(status_id)
        if status is None or not status.client_visible:
            continue
        if steps and steps[-1].name == status.client_label:
            continue  # the same words twice in a row (a hidden step between) read as one
        steps.append(DoneStep(status.client_label, day))
    current = statuses.get(record.status_id) if record.status_id else None
    finished = current is not None and current.is_final
    if current is not None and current.client_visible:
        step = current.client_label
    elif finished:
        step = FINISHED
    elif steps:
        step = steps[-1].name
    else:
        step = IN_PROGRESS
    expected, is_promise = (None, False)
    if not finished:
        expected, is_promise = expected_date(promised=promised, projected=projected, today=today)
    return Progress(
        title=title,
        items=items,
        step=step,
        finished=finished,
        finished_on=record.completed_date if finished else None,
        expected=expected,
        expected_is_promise=is_promise,
        steps=steps,
    )


def _items(orders: list[ProductionOrder]) -> dict[int, list[str]]:
    """What each order makes, as the invoice names it: "2 × 8x10 print"."""
    lines = (
        ProductionOrderDetail.objects.filter(order__in=orders)
        .order_by("order_id", "position", "id")
        .values_list("order_id", "quantity", "description", "item__description")
    )
    found: dict[int, list[str]] = {}
    for order_id, quantity, description, item in lines:
        words = description or item
        found.setdefault(order_id, []).append(f"{quantity} × {words}" if quantity != 1 else words)
    return found


_TRACKED = ("status_id", "status_due_date", "projected_completion", "remaining_days")


def status_page(link: StatusLink, prefs: StudioPreferences | None = None) -> StatusPage:
    """Everything the page of ``link`` shows (the link is known to work)."""
    invoice = (
        Invoice.objects.select_related("client")
        .only(
            "id",
            "session_id",
            "approximate_delivery_date",
            "completed_date",
            *_TRACKED,
            "client__first_name",
        )
        .get(pk=link.invoice_id)
    )
    prefs = prefs or studio_preferences()
    orders = list(
        ProductionOrder.objects.filter(invoice_id=invoice.pk)
        .select_related("order_type")
        .only("id", "vendor_id", "promised_date", "completed_date", *_TRACKED, "order_type__name")
        .order_by("order_date", "id")
    )
    proofs: list[PreproductionOrder] = []
    if invoice.session_id is not None:
        # Proofs still out matter to the client; returned ones are behind them.
        proofs = list(
            PreproductionOrder.objects.filter(
                session_id=invoice.session_id, completed_date__isnull=True
            )
            .only("id", "vendor_id", "completed_date", *_TRACKED)
            .order_by("order_date", "id")
        )
    records: list[Any] = [invoice, *orders, *proofs]
    history = _history(records)
    status_ids = {r.status_id for r in records if r.status_id}
    status_ids |= {s for entered in history.values() for s, _ in entered}
    statuses = _statuses(status_ids)
    for record in records:  # what ``standings`` reads, without a query per record
        record.status = statuses.get(record.status_id) if record.status_id else None
    open_records = [r for r in records if record_is_open(r)]
    projected = {
        (type(r), r.pk): s.projected_completion
        for r, s in zip(open_records, standings(open_records), strict=True)
    }
    today = prefs.today()
    items = _items(orders)

    def progress(record: Any, title: str, lines: list[str]) -> Progress:
        return _progress(
            record,
            title=title,
            items=lines,
            entered=history.get((ContentType.objects.get_for_model(record).pk, record.pk), []),
            statuses=statuses,
            projected=projected.get((type(record), record.pk)),
            promised=record.promised_delivery(),
            today=today,
        )

    return StatusPage(
        studio_name=prefs.name,
        studio_phone=prefs.phone,
        studio_email=prefs.email,
        first_name=invoice.client.first_name,
        invoice_number=invoice.number,
        order=progress(invoice, "Your order", []),
        parts=[progress(o, o.order_type.name, items.get(o.pk, [])) for o in orders]
        + [progress(p, "Your proofs", []) for p in proofs],
    )
