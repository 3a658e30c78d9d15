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
from django.db.models import F

from darkroom.errors import Conflict, duplicate_value
from darkroom.messaging.models import MessageTemplate
from darkroom.messaging.template_selectors import triggers_sending
from darkroom.messaging.template_words import message_template_check
from darkroom.record_writes import record_delete

UPDATABLE = frozenset({"name", "channel", "subject", "body", "is_inactive"})


def _name_taken(name: str, *, besides: int | None = None) -> bool:
    others = MessageTemplate.objects.filter(name__iexact=name)
    if besides is not None:
        others = others.exclude(pk=besides)
    return others.exists()


def _refuse_taken(name: str, *, besides: int | None = None) -> None:
    if _name_taken(name, besides=besides):
        raise ValidationError({"name": [duplicate_value(f"There is already a template “{name}”.")]})


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
            used = triggers_sending(template)
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
