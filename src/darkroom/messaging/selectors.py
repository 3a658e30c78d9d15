"""What the messaging pages and API read: the review queue, the dry run, the communication log,
the failed messages. The review queue and the dry run show each firing's action as
``messaging.actions.plan_action`` plans it — the same code the worker and Process run — so what
a person sees is what will happen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from darkroom.clients.models import Client, Invoice, Session
from darkroom.messaging.actions import ActionPlan, Planning, plan_action
from darkroom.messaging.models import (
    WAITING_STATES,
    Firing,
    FiringState,
    Message,
    MessageState,
    Processing,
    Trigger,
    TriggerWhen,
)
from darkroom.messaging.records import load_records, record_parts

# The most items of one trigger the review page renders at once (the rest are counted).
REVIEW_PAGE = 100


@dataclass(frozen=True)
class PlannedItem:
    """A firing with its record and what acting on it would do now."""

    firing: Firing
    trigger: Trigger
    record: Any  # None when the record is gone
    plan: ActionPlan | None
    note: str = ""  # why it would not act, when it would not

    @property
    def record_label(self) -> str:
        return str(self.record) if self.record is not None else "(a record that no longer exists)"

    @property
    def record_url(self) -> str:
        return self.record.get_absolute_url() if self.record is not None else ""

    @property
    def client_name(self) -> str:
        if self.record is None:
            return ""
        client = record_parts(self.record).client
        return client.name if client is not None else ""


@dataclass(frozen=True)
class ReviewGroup:
    trigger: Trigger
    items: list[PlannedItem]
    total: int


def _trigger_query() -> QuerySet[Trigger]:
    return Trigger.objects.select_related(
        "cycle", "status", "template", "fallback_template", "task_user", "task_department"
    )


def _planned(firings: list[Firing], triggers: dict[int, Trigger]) -> list[PlannedItem]:
    planning = Planning.now()
    by_kind: dict[int, list[int]] = {}
    for firing in firings:
        by_kind.setdefault(firing.content_type_id, []).append(firing.object_id)
    records: dict[tuple[int, int], Any] = {}
    for content_type_id, ids in by_kind.items():
        for pk, record in load_records(content_type_id, ids).items():
            records[(content_type_id, pk)] = record
    items = []
    for firing in firings:
        trigger = triggers[firing.trigger_id]
        record = records.get((firing.content_type_id, firing.object_id))
        plan = plan_action(trigger, record, planning=planning) if record is not None else None
        items.append(PlannedItem(firing, trigger, record, plan))
    return items


def review_count() -> int:
    """How many items wait in the review queue (the navigation's badge)."""
    return Firing.objects.filter(state=FiringState.IN_REVIEW).count()


def review_queue(*, trigger_id: int | None = None) -> list[ReviewGroup]:
    """The items waiting for review, grouped by trigger, oldest first within each group."""
    waiting = Firing.objects.filter(state=FiringState.IN_REVIEW)
    if trigger_id is not None:
        waiting = waiting.filter(trigger_id=trigger_id)
    counts: dict[int, int] = {}
    for pk in waiting.values_list("trigger_id", flat=True):
        counts[pk] = counts.get(pk, 0) + 1
    triggers = {t.pk: t for t in _trigger_query().filter(pk__in=list(counts))}
    groups = []
    for trigger in sorted(triggers.values(), key=lambda t: (t.name.lower(), t.pk)):
        firings = list(waiting.filter(trigger=trigger).order_by("due_on", "pk")[:REVIEW_PAGE])
        groups.append(ReviewGroup(trigger, _planned(firings, triggers), counts[trigger.pk]))
    return groups


def review_item(firing_id: int) -> PlannedItem | None:
    """One firing with its plan (any state), or None."""
    firing = Firing.objects.filter(pk=firing_id).first()
    if firing is None:
        return None
    triggers = {t.pk: t for t in _trigger_query().filter(pk=firing.trigger_id)}
    return _planned([firing], triggers)[0]


def dry_run(*, day: dt.date) -> list[PlannedItem]:
    """What the worker will do by the end of ``day``: every waiting firing due by then, with
    its recipient and words, or why it will not act. Writes nothing."""
    firings = list(
        Firing.objects.filter(state__in=WAITING_STATES, due_on__lte=day).order_by("due_on", "pk")
    )
    triggers = {t.pk: t for t in _trigger_query().filter(pk__in={f.trigger_id for f in firings})}
    items = []
    for item in _planned(firings, triggers):
        note = _would_not_act(item)
        if note:
            item = PlannedItem(item.firing, item.trigger, item.record, None, note)
        elif item.trigger.processing == Processing.REVIEW:
            item = PlannedItem(item.firing, item.trigger, item.record, item.plan, "Goes to review.")
        items.append(item)
    return items


def _would_not_act(item: PlannedItem) -> str:
    if item.record is None:
        return "Cancelled: the record no longer exists."
    if not item.trigger.is_active:
        return "Cancelled: the trigger is inactive."
    if item.trigger.when != TriggerWhen.ENTERED and (
        item.record.status_id != item.trigger.status_id
        or item.record.status_changed_at != item.firing.stay_started_at
    ):
        return "Cancelled: the record left the status."
    return ""


# -- the communication log -----------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One thing a trigger did (or a person resent): a message, or a firing's task or outcome."""

    at: dt.datetime
    kind: str  # "email", "sms", "task", "call", "letter" or "firing"
    what: str
    to: str
    state: str
    state_label: str
    reason: str
    message: Message | None = None
    firing: Firing | None = None

    @property
    def can_resend(self) -> bool:
        return self.message is not None and self.message.state in (
            MessageState.SENT,
            MessageState.FAILED,
            MessageState.ABORTED,
        )


def _message_entries(messages: Iterable[Message]) -> list[LogEntry]:
    return [
        LogEntry(
            at=m.created_at,
            kind=m.channel,
            what=m.subject or m.body[:80],
            to=f"{m.to_name} <{m.to}>" if m.to_name else m.to,
            state=m.state,
            state_label=m.get_state_display(),
            reason=m.reason,
            message=m,
            firing=m.firing,
        )
        for m in messages
    ]


def _firing_entries(firings: Iterable[Firing]) -> list[LogEntry]:
    entries = []
    for f in firings:
        task = f.task
        entries.append(
            LogEntry(
                at=f.decided_at or f.created_at,
                kind=task.kind if task is not None else "firing",
                what=task.subject if task is not None else f.trigger.name,
                to=str(task.assigned_user or task.assigned_department or "")
                if task is not None
                else "",
                state=f.state,
                state_label=f.get_state_display(),
                reason=f.reason,
                firing=f,
            )
        )
    return entries


def _log_sources(record: Any) -> tuple[QuerySet[Message], QuerySet[Firing]]:
    """The messages and the firings (without a message) the log of ``record`` shows."""
    content_type = ContentType.objects.get_for_model(record)
    if isinstance(record, Client):
        messages = Message.objects.filter(client=record)
        firings = Firing.objects.filter(task__client=record)
    else:
        about = Q(content_type=content_type, object_id=record.pk)
        if isinstance(record, Session):
            about |= Q(session=record)
        elif isinstance(record, Invoice):
            about |= Q(invoice=record)
        messages = Message.objects.filter(about)
        firings = Firing.objects.filter(content_type=content_type, object_id=record.pk)
    firings = (
        firings.exclude(messages__isnull=False)
        .exclude(state__in=[*WAITING_STATES, FiringState.IN_REVIEW])
        .select_related("trigger", "task", "task__assigned_user", "task__assigned_department")
    )
    return messages.select_related("firing"), firings


def communication_log(record: Any, *, limit: int = 200) -> list[LogEntry]:
    """Everything triggers did about ``record`` (a client, session, invoice or order), newest
    first: messages with their state and reason, tasks and calls made, firings skipped or
    suppressed (a message's firing is shown by the message itself)."""
    messages, firings = _log_sources(record)
    messages = messages.order_by("-created_at", "-pk")[:limit]
    firings = firings.order_by("-created_at", "-pk")[:limit]
    entries = _message_entries(messages) + _firing_entries(firings)
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


# Where an entry stands in the log read a page at a time: newest first, a message before a firing
# of the same moment, then the newest record first.
LogKey = tuple[dt.datetime, int, int]
_MESSAGE, _FIRING = 0, 1


def _log_key(entry: LogEntry) -> LogKey:
    if entry.message is not None:
        return (entry.at, _MESSAGE, entry.message.pk)
    assert entry.firing is not None
    return (entry.at, _FIRING, entry.firing.pk)


def _log_order(key: LogKey) -> tuple[float, int, int]:
    at, source, pk = key
    return (-at.timestamp(), source, -pk)


def _after(at: str, source: int, key: LogKey | None) -> Q:
    """The rows of one source (message or firing) after ``key`` in the log's order."""
    if key is None:
        return Q()
    last_at, last_source, last_pk = key
    earlier = Q(**{f"{at}__lt": last_at})
    if source > last_source:
        return earlier | Q(**{at: last_at})
    if source == last_source:
        return earlier | Q(**{at: last_at, "pk__lt": last_pk})
    return earlier


def communication_page(
    record: Any, *, after: LogKey | None, limit: int
) -> tuple[list[LogEntry], LogKey | None]:
    """One page of the log of ``record`` after ``after`` (None: from the newest), and the key to
    ask for the next page with (None: no more). Both sources read one row more than a page."""
    messages, firings = _log_sources(record)
    messages = messages.annotate(log_at=F("created_at")).filter(_after("log_at", _MESSAGE, after))
    firings = firings.annotate(log_at=Coalesce("decided_at", "created_at")).filter(
        _after("log_at", _FIRING, after)
    )
    entries = _message_entries(messages.order_by("-log_at", "-pk")[: limit + 1])
    entries += _firing_entries(firings.order_by("-log_at", "-pk")[: limit + 1])
    entries.sort(key=lambda e: _log_order(_log_key(e)))
    page = entries[:limit]
    return page, (_log_key(page[-1]) if len(entries) > limit else None)


def failed_messages() -> QuerySet[Message]:
    """Messages that ended failed, newest first (the managers' "Failed messages" list)."""
    return Message.objects.filter(state=MessageState.FAILED).order_by("-created_at", "-pk")


# -- the outbox ----------------------------------------------------------------------------------

# The page of each kind of record a message is about, by its content type's model name.
RECORD_PAGES = {
    "client": "clients:client-detail",
    "session": "clients:session-detail",
    "invoice": "clients:invoice-detail",
    "productionorder": "production:order-detail",
    "preproductionorder": "production:proof-order-detail",
    "task": "todos:task-detail",
}

# The outbox's sort orders: newest first (the default) or oldest first.
OUTBOX_SORTS = {"-created": ("-created_at", "-pk"), "created": ("created_at", "pk")}


def outbox_messages(
    *, state: str = "", channel: str = "", client_id: int | None = None, sort: str = "-created"
) -> QuerySet[Message]:
    """Messages of every state, newest first unless ``sort`` says "created"; the caller takes
    one page (and one row more, to know whether there are more), never a count of them all."""
    messages = Message.objects.select_related("client", "created_by")
    if state:
        messages = messages.filter(state=state)
    if channel:
        messages = messages.filter(channel=channel)
    if client_id is not None:
        messages = messages.filter(client_id=client_id)
    return messages.order_by(*OUTBOX_SORTS.get(sort, OUTBOX_SORTS["-created"]))


def message_record_url(message: Message) -> str:
    """The page of the record a message is about (its client's when it names no record)."""
    from django.urls import reverse

    if message.content_type_id is not None and message.object_id is not None:
        model = ContentType.objects.get_for_id(message.content_type_id).model
        if model in RECORD_PAGES:
            return reverse(RECORD_PAGES[model], args=[message.object_id])
    if message.client_id is not None:
        return reverse(RECORD_PAGES["client"], args=[message.client_id])
    return ""


def message_detail(pk: int) -> Message:
    """One message with what its page and answer show; Message.DoesNotExist if none."""
    return Message.objects.select_related("client", "created_by", "firing", "resend_of").get(pk=pk)
