"""Reading message templates: the list as a person asks for it, and a template's preview filled
in from a real record of the studio. Pages and the API read through here, so they agree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from darkroom.clients.models import Invoice, Session
from darkroom.database_limits import LARGEST_ID
from darkroom.maintenance.selectors import ListQuery
from darkroom.messaging.models import Channel, MessageTemplate, Trigger
from darkroom.messaging.placeholders import SmsLength, render, sms_length, values_for
from darkroom.messaging.records import RELATED
from darkroom.messaging.template_words import message_template_check
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.todos.models import Task
from darkroom.todos.selectors import visible_tasks

# The columns a list sorts by, and what each sorts on.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "channel": ("channel", "name"),
    "subject": ("subject", "name"),
    "updated_at": ("updated_at",),
}
SEARCHED = ("name", "subject", "body")


def message_templates(*, query: ListQuery) -> QuerySet[MessageTemplate]:
    """The templates as asked: words found in name, subject or text; a channel; inactive
    ones hidden unless asked for; sorted by a column (``-name`` descending)."""
    templates = MessageTemplate.objects.all()
    if not query.show_inactive:
        templates = templates.filter(is_inactive=False)
    for word in query.search.split():
        match = Q()
        for name in SEARCHED:
            match |= Q(**{f"{name}__icontains": word})
        templates = templates.filter(match)
    channel = query.filters.get("channel")
    if channel:
        templates = templates.filter(channel=channel)
    sort = query.sort if query.sort.lstrip("-") in SORTS and query.sort.count("-") <= 1 else ""
    fields = SORTS.get(sort.lstrip("-"), ("name",))
    descending = sort.startswith("-")
    return templates.order_by(*(f"-{f}" if descending else f for f in fields), "id")


def triggers_sending(template: MessageTemplate) -> int:
    """How many triggers send this template (as their message or their fallback)."""
    return Trigger.objects.filter(Q(template=template) | Q(fallback_template=template)).count()


# Records a preview can be filled from ---------------------------------------------------------


@dataclass(frozen=True)
class RecordKind:
    """A kind of record triggers act on, as a person picks it for a preview."""

    name: str
    label: str
    model: type[Model]
    number_hint: str


RECORD_KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind("session", "Session", Session, "the session's id"),
        RecordKind("invoice", "Invoice", Invoice, "the invoice number, e.g. 00012"),
        RecordKind(
            "production_order", "Production order", ProductionOrder, "the order number, e.g. 1001"
        ),
        RecordKind(
            "preproduction_order", "Proof order", PreproductionOrder, "the proof order's number"
        ),
        RecordKind("task", "Task", Task, "the task's id"),
    )
}


def _records(kind: RecordKind, user: AbstractBaseUser | AnonymousUser) -> QuerySet[Any]:
    records = kind.model._default_manager.all()
    if kind.model is Task:
        records = visible_tasks(user)  # another person's private task is not there for you
    return records.select_related(*RELATED.get(kind.model, ()))


def preview_record(*, kind: str, pk: int, user: AbstractBaseUser | AnonymousUser) -> Any | None:
    """The record of that kind and id the person may see, with what placeholders read; None
    when there is none."""
    found = RECORD_KINDS.get(kind)
    if found is None or not 0 < pk <= LARGEST_ID:
        return None
    return _records(found, user).filter(pk=pk).first()


def preview_record_by_number(
    *, kind: str, number: str, user: AbstractBaseUser | AnonymousUser
) -> Any | None:
    """The record a person names by its number (an invoice's 00012, an order's 1001, a
    session's or task's id); the latest of that kind when no number is given."""
    found = RECORD_KINDS.get(kind)
    if found is None:
        return None
    records = _records(found, user)
    number = number.strip().lstrip("#")
    if not number:
        return records.order_by("-pk").first()
    if found.model in (ProductionOrder, PreproductionOrder):
        by_number = records.filter(number__iexact=number).order_by("-pk").first()
        if by_number is not None or not number.isdigit():
            return by_number
    if not number.isdigit() or len(number) > 18:
        return None
    return records.filter(pk=int(number)).first()


def record_number(record: Any) -> str:
    """What a person types to name the record: an invoice's or order's number, else its id."""
    if isinstance(record, Invoice):
        return record.number
    return str(getattr(record, "number", None) or record.pk)


def recent_records(
    *, user: AbstractBaseUser | AnonymousUser, limit: int = 10
) -> dict[str, list[tuple[str, str]]]:
    """The latest records of each kind, as (number, name): suggestions for the preview."""
    return {
        name: [
            (record_number(record), str(record))
            for record in _records(kind, user).order_by("-pk")[:limit]
        ]
        for name, kind in RECORD_KINDS.items()
    }


@dataclass(frozen=True)
class SmsEstimate:
    """How a template's SMS travels before any record fills it in: its own words counted, each
    placeholder adding its value later."""

    fixed: SmsLength
    placeholders: int


def sms_estimate(body: str) -> SmsEstimate:
    """The SMS length of the words a template always says (its placeholders left out: their
    braces are never sent, and their values differ by record)."""
    placeholders = len(re.findall(r"\{[^{}]*\}", body))
    return SmsEstimate(fixed=sms_length(render(body, {})), placeholders=placeholders)


@dataclass(frozen=True)
class Preview:
    """A template's words filled in for one record, and how its text travels as an SMS."""

    record: Any
    subject: str
    body: str
    sms: SmsLength | None


def template_preview(*, channel: str, subject: str, body: str, record: Any) -> Preview:
    """The words as the record's client would read them. The words are checked as a save
    checks them (ValidationError by field), so a preview never shows what can't be sent."""
    message_template_check(name="Preview", channel=channel, subject=subject, body=body)
    values = values_for(record)
    text = render(body, values)
    return Preview(
        record=record,
        subject=render(subject, values),
        body=text,
        sms=sms_length(text) if channel == Channel.SMS else None,
    )
