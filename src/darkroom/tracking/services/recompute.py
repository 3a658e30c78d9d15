"""Recomputing open records' due dates when what they were computed from changes.

A due date is computed once, when a record enters a status. Two things can make it wrong later:
the studio's calendar (a closure added, the work week changed) and, for production orders in
the studio's backward mode, the date promised to the client. Then every open record whose due
date depends on it gets it recomputed from the same rules (``scheduled_due_date``), except
overridden ones, which keep the date a person gave; the projected completion (and the
remaining business days to it, ``tracking/standing.py``) is recomputed for all of them. Each
changed due date is written to the record's history as a "recompute" note ("calendar changed:
due 03-12 → 03-13").

It runs in the background (``tasks.recompute_due_dates``), enqueued in the same transaction as
its cause, and works in batches: each batch is one transaction that locks its records, so a
status change made meanwhile is never overwritten (it waits, or it already computed its own due
date on the new calendar).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from darkroom.studio.calendar.cache import CalendarNow, calendar_now
from darkroom.tracking import events
from darkroom.tracking.followers import DueDateMoved, tell_due_date_followers
from darkroom.tracking.models import Cycle, Status, TrackedRecord, tracked_models
from darkroom.tracking.services.schedule import projection, scheduled_due_date
from darkroom.tracking.status_rows import NoteRows, steps_of, write_statuses

BATCH = 2_000
COLUMNS = ("status_due_date", "projected_completion", "remaining_days")

CALENDAR_CHANGED = "calendar changed"
PROMISE_CHANGED = "promised date changed"


def due_dates_recompute(*, reason: str, invoice_id: int | None = None) -> int:
    """Recompute the open records' due dates and projections; the number of due dates changed.

    With ``invoice_id`` only the records of that invoice whose due dates hang on its promised
    date (backward-scheduled ones, i.e. its production orders) are looked at.
    """
    changed = 0
    for model in tracked_models():
        # Any: each kind of record has its own fields (backward-scheduled ones an invoice).
        records: QuerySet[Any] = model._default_manager.filter(
            completed_date__isnull=True, status__isnull=False
        )
        if invoice_id is not None:
            if not model.BACKWARD_SCHEDULED:
                continue
            records = records.filter(invoice_id=invoice_id)
        changed += _recompute(model, records, reason)
    return changed


def _recompute(model: type[TrackedRecord], records: QuerySet[Any], reason: str) -> int:
    changed = 0
    last = 0
    content_type = ContentType.objects.get_for_model(model)
    fields = model.schedule_fields()
    while True:
        with transaction.atomic():
            batch = list(
                records.filter(pk__gt=last)
                .only(*fields)
                .order_by("pk")
                .select_for_update(of=("self",))[:BATCH]
            )
            if not batch:
                return changed
            last = batch[-1].pk
            changed += _recompute_batch(model, batch, content_type.pk, reason)


def _recompute_batch(
    model: type[TrackedRecord], batch: list[TrackedRecord], content_type_id: int, reason: str
) -> int:
    versions = dict(Cycle.objects.values_list("pk", "version"))
    cycle_of = dict(Status.objects.values_list("pk", "cycle_id"))
    clocks: dict[int | None, CalendarNow] = {}
    now = timezone.now()
    rows: list[list[Any]] = []
    moved: list[tuple[TrackedRecord, Status, dt.date | None]] = []
    for record in batch:
        assert record.status_id is not None  # open records are in a status
        cycle_id = cycle_of[record.status_id]
        steps = steps_of(cycle_id, versions[cycle_id])
        status = next(step for step in steps if step.pk == record.status_id)
        vendor = record.tracking_vendor_id()
        if vendor not in clocks:
            clocks[vendor] = calendar_now(vendor)
        clock = clocks[vendor]
        due = record.status_due_date
        if not record.status_due_overridden:
            due = scheduled_due_date(
                record=record,
                steps=steps,
                status=status,
                entered_on=cast(dt.date, record.status_entered_on),  # set when it started
                calendar=clock.calendar,
                backward=clock.backward,
            )
        columns = projection(steps=steps, status=status, due=due, calendar=clock.calendar)
        projected, remaining = columns["projected_completion"], columns["remaining_days"]
        stored = (record.status_due_date, record.projected_completion, record.remaining_days)
        if (due, projected, remaining) == stored:
            continue
        rows.append([due, projected, remaining, record.pk, record.version])
        if due != record.status_due_date:
            moved.append((record, status, due))
    replanned = tell_due_date_followers(
        model,
        [
            DueDateMoved(
                record_id=record.pk,
                status_id=status.pk,
                stay_started_at=record.status_changed_at,
                vendor_id=record.tracking_vendor_id(),
                due_date=due,
            )
            for record, status, due in moved
        ],
    )
    notes = NoteRows()
    for record, status, due in moved:
        notes.add(
            **events.recomputed(
                content_type_id=content_type_id,
                record=record,
                status=status,
                due=due,
                on=clocks[record.tracking_vendor_id()].today,
                reason=reason,
                follower_words=replanned.get(record.pk),
                now=now,
            )
        )
    written = len(notes.rows)
    if len(write_statuses(model, COLUMNS, _prepared_rows(model, rows))) != len(rows):
        raise RuntimeError("a locked record changed while its due date was recomputed")
    notes.insert()
    return written


def _prepared_rows(model: type[TrackedRecord], rows: list[list[Any]]) -> list[list[Any]]:
    """The update rows with their dates prepared once per distinct date."""
    field = model._meta.get_field("status_due_date")
    prepared: dict[Any, Any] = {}
    for row in rows:
        for index in (0, 1):
            value = row[index]
            if value not in prepared:
                prepared[value] = field.get_db_prep_save(value, connection)
            row[index] = prepared[value]
    return rows
