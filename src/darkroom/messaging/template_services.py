"""Writing message templates: create, change (version-checked), retire, delete.

A template is words a manager types and a client reads, so everything a template says is
checked here before it is stored, whoever sends it (a page or the API): every placeholder must
be one of the fixed list (refused by name otherwise), an email has a subject on one line, an SMS
has none and fits in a bounded number of parts. A template a trigger uses is never deleted (the
triggers refer to it with PROTECT) and never changes channel under them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from darkroom.errors import Conflict, duplicate_value
from darkroom.maintenance.services import record_delete
from darkroom.messaging.models import Channel, MessageTemplate, Trigger
from darkroom.messaging.placeholders import check_text, sms_length
from darkroom.plain_text import text_problem

NAME_LENGTH = MessageTemplate._meta.get_field("name").max_length or 80
SUBJECT_LENGTH = MessageTemplate._meta.get_field("subject").max_length or 200
# A letter or an email longer than this is a mistake (a pasted file), not a message.
BODY_LENGTH = 20_000
# An SMS split into more parts than this costs the studio more than it tells the client.
MOST_SMS_PARTS = 10

UPDATABLE = frozenset({"name", "channel", "subject", "body", "is_inactive"})


def _problems(*, name: str, channel: str, subject: str, body: str) -> dict[str, list[str]]:
    """Everything wrong with the template's words, by field; empty when it can be stored."""
    problems: dict[str, list[str]] = {}

    def refuse(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field, text in (("name", name), ("subject", subject), ("body", body)):
        problem = text_problem(text)
        if problem:
            refuse(field, problem)
    if problems:
        return problems  # text that is not text: nothing else about it is worth saying
    if not name.strip():
        refuse("name", "Give the template a name, e.g. “Album ready”.")
    elif len(name) > NAME_LENGTH:
        refuse("name", f"A name is at most {NAME_LENGTH} characters (this one has {len(name)}).")
    if channel not in Channel.values:
        refuse("channel", "Choose email, SMS or letter.")
    if channel == Channel.SMS and subject:
        refuse("subject", "An SMS has no subject: leave it empty and put everything in the text.")
    elif channel == Channel.EMAIL and not subject.strip():
        refuse("subject", "An email needs a subject, e.g. “Your album is ready”.")
    if "\n" in subject or "\r" in subject:
        refuse("subject", "A subject is one line: remove the line breaks.")
    if len(subject) > SUBJECT_LENGTH:
        refuse(
            "subject",
            f"A subject is at most {SUBJECT_LENGTH} characters (this one has {len(subject)}).",
        )
    for problem in check_text(subject):
        refuse("subject", problem)
    if not body.strip():
        refuse("body", "Write the text of the message.")
    elif len(body) > BODY_LENGTH:
        refuse("body", f"The text is at most {BODY_LENGTH:,} characters (this has {len(body):,}).")
    elif channel == Channel.SMS:
        length = sms_length(body)
        if length.parts > MOST_SMS_PARTS:
            refuse(
                "body",
                f"This SMS would go in {length.parts} parts; the most is {MOST_SMS_PARTS}. "
                "Shorten it.",
            )
    for problem in check_text(body):
        refuse("body", problem)
    return problems


def message_template_check(*, name: str, channel: str, subject: str, body: str) -> None:
    """Refuse (ValidationError by field, every problem listed) words that can't be stored."""
    problems = _problems(name=name, channel=channel, subject=subject, body=body)
    if problems:
        raise ValidationError(problems)


def _name_taken(name: str, *, besides: int | None = None) -> bool:
    others = MessageTemplate.objects.filter(name__iexact=name)
    if besides is not None:
        others = others.exclude(pk=besides)
    return others.exists()


def _refuse_taken(name: str, *, besides: int | None = None) -> None:
    if _name_taken(name, besides=besides):
        raise ValidationError({"name": [duplicate_value(f"There is already a template “{name}”.")]})


def templates_users(template: MessageTemplate) -> int:
    """How many triggers send this template (as their message or their fallback)."""
    return Trigger.objects.filter(Q(template=template) | Q(fallback_template=template)).count()


def message_template_create(
    *, name: str, channel: str, subject: str = "", body: str, by: AbstractBaseUser | None = None
) -> MessageTemplate:
    """A new template, checked. ``by`` is the person writing it (templates keep no author yet:
    it is taken so every write of the app is called the same way)."""
    name = name.strip()
    subject = subject.strip()
    message_template_check(name=name, channel=channel, subject=subject, body=body)
    _refuse_taken(name)
    template = MessageTemplate(name=name, channel=channel, subject=subject, body=body)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as exc:
        # Two managers saving the same name at once: the loser hears what the check would say.
        raise ValidationError(
            {"name": [duplicate_value(f"There is already a template “{name}”.")]}
        ) from exc
    return template


def message_template_update(
    *, template: MessageTemplate, expected_version: int, **fields: Any
) -> MessageTemplate:
    """Change a template's name, channel, subject, text or ``is_inactive``. A stale
    ``expected_version`` is a Conflict; bad input changes nothing; a template in use keeps its
    channel."""
    unknown = sorted(set(fields) - UPDATABLE)
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    if type(expected_version) is not int:
        raise ValidationError({"expected_version": "Give the version you read."})
    values = {
        name: fields.get(name, getattr(template, name)) for name in ("name", "channel", "subject")
    }
    values["body"] = fields.get("body", template.body)
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValidationError({name: "Send text."})
    values["name"] = values["name"].strip()
    values["subject"] = values["subject"].strip()
    message_template_check(**values)
    _refuse_taken(values["name"], besides=template.pk)
    written_values: dict[str, Any] = dict(values)
    if "is_inactive" in fields:
        if type(fields["is_inactive"]) is not bool:
            raise ValidationError({"is_inactive": "Send true or false."})
        written_values["is_inactive"] = fields["is_inactive"]
    with transaction.atomic():
        if values["channel"] != template.channel:
            used = templates_users(template)
            if used:
                noun = "trigger" if used == 1 else "triggers"
                raise ValidationError(
                    {
                        "channel": f"{used} {noun} send this template as "
                        f"{template.get_channel_display()}: make a new template for the "
                        "other channel instead."
                    }
                )
        try:
            with transaction.atomic():
                written = MessageTemplate.objects.filter(
                    pk=template.pk, version=expected_version
                ).update(**written_values, version=F("version") + 1)
        except IntegrityError as exc:
            raise ValidationError(
                {"name": [duplicate_value(f"There is already a template “{values['name']}”.")]}
            ) from exc
        if not written:
            raise Conflict(
                "This template was changed by someone else since you opened it. "
                "Reload it to see their change, then make yours again."
            )
    template.refresh_from_db()
    return template


def message_template_set_inactive(
    *, template: MessageTemplate, inactive: bool = True
) -> MessageTemplate:
    """Retire a template (or bring it back): triggers can no longer be set to send it, and
    those that do keep their choice and their history."""
    with transaction.atomic():
        MessageTemplate.objects.filter(pk=template.pk).update(
            is_inactive=inactive, version=F("version") + 1
        )
    template.refresh_from_db()
    return template


def message_template_delete(*, template: MessageTemplate) -> None:
    """Delete a template no trigger sends; one in use is refused (RecordInUse), naming what
    uses it and offering "make inactive"."""
    record_delete(record=template)
