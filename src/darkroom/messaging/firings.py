"""Firings acted on: by the worker when their day comes, and by staff in the review queue.

:func:`firings_process_due` is the first half of the worker's tick. It takes every firing that
is waiting and due by the studio's today — whatever day it was due, so a worker that was down
over a weekend catches up on its first tick, and nothing depends on "today is the day" — and
for each one: a timed firing whose record left the stay is cancelled; an inactive trigger's
firing is cancelled; a review trigger's firing goes to the review queue; an automatic one is
carried out (``messaging.actions``) in the same transaction that marks it processed, so its
messages are in the outbox exactly when the firing says so.

Staff decide review items with :func:`firing_decide` (process, skip or delete), one at a time
or all of a trigger's at once; items never expire. A decision is a conditional UPDATE on the
firing's state, so two people deciding the same item at once get one result and a conflict.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from darkroom.errors import Conflict, DarkroomError
from darkroom.messaging.actions import carry_out, plan_action
from darkroom.messaging.models import (
    Firing,
    FiringState,
    Processing,
    Trigger,
    TriggerWhen,
)
from darkroom.messaging.queues import firings_waiting
from darkroom.messaging.records import load_records
from darkroom.studio.selectors import studio_preferences

# Firings claimed per transaction: small, so that on SQLite a tick never holds the write lock
# long enough to keep a person's change waiting.
BATCH = 50

log = logging.getLogger("darkroom.messaging")

Decision = Literal["process", "skip", "delete"]


def _claim(today: dt.date, after_id: int) -> list[Firing]:
    query = firings_waiting(today).filter(pk__gt=after_id).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        query = query.select_for_update(skip_locked=True)
    return list(query[:BATCH])


def _triggers(ids: Iterable[int]) -> dict[int, Trigger]:
    return {
        trigger.pk: trigger
        for trigger in Trigger.objects.filter(pk__in=set(ids)).select_related(
            "template", "fallback_template", "task_user", "task_department", "created_by"
        )
    }


def _records(firings: list[Firing]) -> dict[tuple[int, int], Any]:
    by_kind: dict[int, list[int]] = {}
    for firing in firings:
        by_kind.setdefault(firing.content_type_id, []).append(firing.object_id)
    found: dict[tuple[int, int], Any] = {}
    for content_type_id, ids in by_kind.items():
        for pk, record in load_records(content_type_id, ids).items():
            found[(content_type_id, pk)] = record
    return found


def _still_in_stay(firing: Firing, trigger: Trigger, record: Any) -> bool:
    return record.status_id == trigger.status_id and record.status_changed_at == (
        firing.stay_started_at
    )


def _settle(firing: Firing, state: str, reason: str, by: Any, now: dt.datetime) -> None:
    firing.state, firing.reason, firing.decided_at, firing.decided_by = state, reason, now, by
    firing.save(update_fields=["state", "reason", "decided_at", "decided_by", "task"])


def _act_on(firing: Firing, trigger: Trigger, record: Any, by: Any, now: dt.datetime) -> None:
    """Carry the firing out in a savepoint: an action that fails (a task refused) leaves the
    firing suppressed with the reason instead of stopping the whole tick."""
    try:
        with transaction.atomic():
            plan = plan_action(trigger, record)
            state, reason = carry_out(
                firing=firing, trigger=trigger, record=record, plan=plan, by=by
            )
    except ValidationError as exc:  # a task refused (its person left, its department retired)
        firing.task = None
        words = "; ".join(exc.messages)
        state, reason = FiringState.SUPPRESSED, f"Could not be carried out: {words}"
    except DarkroomError as exc:
        firing.task = None
        state, reason = FiringState.SUPPRESSED, f"Could not be carried out: {exc}"
    except Exception:
        # Never a firing that stops every later one: it ends visibly, and the log has why.
        log.exception("Firing %s of trigger %s failed", firing.pk, trigger.pk)
        firing.task = None
        state, reason = FiringState.SUPPRESSED, "Could not be carried out: an internal error."
    _settle(firing, state, reason, by, now)


def firings_process_due(*, today: dt.date | None = None) -> int:
    """Act on every waiting firing due by ``today`` (the studio's); the number acted on."""
    today = today or studio_preferences().today()
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            batch = _claim(today, last)
            if not batch:
                return done
            last = batch[-1].pk
            triggers = _triggers(firing.trigger_id for firing in batch)
            records = _records(batch)
            now = timezone.now()
            for firing in batch:
                trigger = triggers[firing.trigger_id]
                record = records.get((firing.content_type_id, firing.object_id))
                done += 1
                if record is None:
                    _settle(
                        firing, FiringState.CANCELLED, "The record no longer exists.", None, now
                    )
                elif not trigger.is_active:
                    _settle(
                        firing, FiringState.CANCELLED, "The trigger was made inactive.", None, now
                    )
                elif trigger.when != TriggerWhen.ENTERED and not _still_in_stay(
                    firing, trigger, record
                ):
                    _settle(
                        firing,
                        FiringState.CANCELLED,
                        "The record left the status before the firing day.",
                        None,
                        now,
                    )
                elif trigger.processing == Processing.REVIEW:
                    firing.state, firing.reason = FiringState.IN_REVIEW, "Waiting for review."
                    firing.save(update_fields=["state", "reason"])
                else:
                    _act_on(firing, trigger, record, None, now)


_DECIDED = {
    "skip": (FiringState.SKIPPED, "Skipped by {who}."),
    "delete": (FiringState.DELETED, "Deleted by {who}."),
}


def firing_decide(*, firing: Firing, decision: Decision, by: Any, note: str = "") -> Firing:
    """Process, skip or delete one review item. An item someone else already decided is a
    Conflict; nothing else is written."""
    if decision not in ("process", "skip", "delete"):
        raise DarkroomError("Choose process, skip or delete.", code="bad_decision")
    with transaction.atomic():
        fresh = _locked(firing.pk)
        if fresh.state != FiringState.IN_REVIEW:
            raise Conflict(
                f"This item was already {fresh.get_state_display().lower()}"
                + (f": {fresh.reason}" if fresh.reason else ".")
            )
        now = timezone.now()
        who = by.get_full_name() or by.get_username()
        if decision == "process":
            trigger = _triggers([fresh.trigger_id])[fresh.trigger_id]
            record = _records([fresh]).get((fresh.content_type_id, fresh.object_id))
            if record is None:
                _settle(fresh, FiringState.CANCELLED, "The record no longer exists.", by, now)
            else:
                _act_on(fresh, trigger, record, by, now)
        else:
            state, words = _DECIDED[decision]
            reason = words.format(who=who) + (f" {note.strip()}" if note.strip() else "")
            _settle(fresh, state, reason, by, now)
    return fresh


def firings_decide(*, trigger: Trigger, decision: Decision, by: Any) -> int:
    """The same decision for every item of ``trigger`` in the review queue; how many."""
    ids = list(
        Firing.objects.filter(trigger=trigger, state=FiringState.IN_REVIEW)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    decided = 0
    for pk in ids:
        try:
            firing_decide(firing=Firing(pk=pk), decision=decision, by=by)
        except Conflict:
            continue  # decided by someone else meanwhile
        decided += 1
    return decided


def _locked(pk: int) -> Firing:
    query = Firing.objects.filter(pk=pk)
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    found = query.first()
    if found is None:
        raise Firing.DoesNotExist("This review item no longer exists.")
    return found
