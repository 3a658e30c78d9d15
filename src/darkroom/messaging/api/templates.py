"""Message templates over the API: ``/message-templates``, ``/message-templates/{id}``, the
placeholders a template may use, and a preview filled in from a real record.

Templates carry a ``version``: PATCH sends the one it read; a stale one is 409 ``conflict``. A
template a trigger sends can't be deleted (409 ``in_use``; make it inactive instead). Words the
studio can't send — an unknown placeholder, ``{client.__class__}``, ``{due_date:%Y}``, stray
braces — are 422 ``invalid`` with every problem listed by field (``subject``, ``body``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from darkroom.api.fields import (
    Id,
    Text,
    choice_of,
    left_out,
    sort_choice,
)
from darkroom.api.lists import PageQuery, keyset_page, list_of, whole_list
from darkroom.api.lookups import path_id
from darkroom.database_limits import LARGEST_VERSION
from darkroom.maintenance.selectors import ListQuery
from darkroom.messaging.models import Channel, MessageTemplate
from darkroom.messaging.placeholders import PLACEHOLDERS
from darkroom.messaging.template_selectors import (
    RECORD_KINDS,
    SORTS,
    message_templates,
    preview_record,
    template_preview,
)
from darkroom.messaging.template_services import (
    message_template_create,
    message_template_delete,
    message_template_update,
)
from darkroom.messaging.template_words import BODY_LENGTH, NAME_LENGTH, SUBJECT_LENGTH

router = Router(tags=["message templates"])

VIEW = "messaging.view_messagetemplate"
ADD = "messaging.add_messagetemplate"
CHANGE = "messaging.change_messagetemplate"
DELETE = "messaging.delete_messagetemplate"

ChannelName = choice_of(Channel.values)
KindName = choice_of(RECORD_KINDS)


# Shapes ----------------------------------------------------------------------------------------


class MessageTemplateOut(Schema):
    id: int
    name: str
    channel: ChannelName = Field(..., description="email, sms or letter")
    subject: str = Field(..., description="Empty for an SMS")
    body: str = Field(..., description="The text, with placeholders such as {client_first_name}")
    is_inactive: bool = Field(..., description="Triggers can no longer be set to send it")
    updated_at: dt.datetime
    version: int = Field(..., description="Send this version with the next change")


MessageTemplatePage = list_of(MessageTemplateOut)


class MessageTemplateListQuery(PageQuery):
    search: Text | None = Field(None, description="Words, each found in the name, subject or text")
    channel: ChannelName | None = None
    inactive: Literal["show", "hide", "only"] = Field(
        "show", description="show: every template; hide: active only; only: inactive"
    )
    sort: sort_choice(SORTS) = Field(  # type: ignore[valid-type]
        None, description=f"One of {', '.join(SORTS)}; a leading '-' sorts descending"
    )


class MessageTemplateIn(Schema):
    """A new template. Placeholders are names from ``GET /message-templates/placeholders`` in
    braces; nothing else may be in braces."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(..., max_length=NAME_LENGTH)
    channel: ChannelName
    subject: Text = Field("", max_length=SUBJECT_LENGTH, description="Required for an email")
    body: Text = Field(..., max_length=BODY_LENGTH)


class MessageTemplatePatch(Schema):
    """The fields to change; others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The version read (409 if stale)"
    )
    name: Text = left_out(max_length=NAME_LENGTH)
    channel: ChannelName = left_out()
    subject: Text = left_out(max_length=SUBJECT_LENGTH)
    body: Text = left_out(max_length=BODY_LENGTH)
    is_inactive: bool = left_out()


class PlaceholderOut(Schema):
    name: str = Field(..., description="Write it in braces: {client_first_name}")
    description: str


class RecordRef(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: KindName
    id: Id


class PreviewIn(Schema):
    """Words to try (saved or not) and the record to fill them in from."""

    model_config = ConfigDict(extra="forbid")

    channel: ChannelName
    subject: Text = Field("", max_length=SUBJECT_LENGTH)
    body: Text = Field(..., max_length=BODY_LENGTH)
    record: RecordRef


class SmsOut(Schema):
    length: int = Field(..., description="In the encoding's units")
    parts: int
    encoding: Literal["GSM-7", "UCS-2"]
    per_part: int = Field(..., description="Characters a part holds in this encoding")


class RecordOut(Schema):
    kind: KindName
    id: int
    label: str


class PreviewOut(Schema):
    record: RecordOut
    subject: str
    body: str
    sms: SmsOut | None = Field(..., description="For an SMS: its length and parts, filled in")


# Answers ---------------------------------------------------------------------------------------


def _answer(template: MessageTemplate) -> dict[str, Any]:
    return {
        "id": template.pk,
        "name": template.name,
        "channel": template.channel,
        "subject": template.subject,
        "body": template.body,
        "is_inactive": template.is_inactive,
        "updated_at": template.updated_at,
        "version": template.version,
    }


def _template(template_id: int) -> MessageTemplate:
    return get_object_or_404(MessageTemplate, pk=path_id(template_id))


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/message-templates",
    operation_id="message_templates_list",
    summary="List message templates",
    response={200: MessageTemplatePage, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def list_templates(request: HttpRequest, params: Query[MessageTemplateListQuery]) -> Any:
    query = ListQuery(
        search=(params.search or "").strip(),
        filters={"channel": params.channel} if params.channel else {},
        sort=params.sort or "",
        show_inactive=params.inactive != "hide",
    )
    templates = message_templates(query=query)
    if params.inactive == "only":
        templates = templates.filter(is_inactive=True)
    return keyset_page(templates, cursor=params.cursor, limit=params.limit, answer=_answer)


@router.get(
    "/message-templates/placeholders",
    operation_id="message_templates_placeholders",
    summary="The placeholders a template may use, with what each says",
    response={200: list_of(PlaceholderOut), **LIST_ERRORS},
    auth=permitted(VIEW),
)
def list_placeholders(request: HttpRequest) -> Any:
    return whole_list({"name": name, "description": text} for name, text in PLACEHOLDERS.items())


@router.post(
    "/message-templates/preview",
    operation_id="message_templates_preview",
    summary="Fill words in from a record, as its client would read them",
    description="Nothing is saved. The words are checked as a save checks them (422 with the "
    "problems by field); an SMS answers its length and parts once filled in.",
    response={200: PreviewOut, **error_responses(400, 401, 403, 422)},
    auth=permitted(VIEW),
)
def preview(request: HttpRequest, payload: PreviewIn) -> Any:
    kind = payload.record.kind
    record = preview_record(kind=kind, pk=payload.record.id, user=request.user)
    if record is None:
        label = RECORD_KINDS[kind].label.lower()
        raise ValidationError({"record": f"There is no {label} {payload.record.id}."})
    shown = template_preview(
        channel=payload.channel, subject=payload.subject, body=payload.body, record=record
    )
    sms = shown.sms
    return {
        "record": {"kind": kind, "id": record.pk, "label": str(record)},
        "subject": shown.subject,
        "body": shown.body,
        "sms": None
        if sms is None
        else {
            "length": sms.length,
            "parts": sms.parts,
            "encoding": sms.encoding,
            "per_part": sms.per_part,
        },
    }


@router.post(
    "/message-templates",
    operation_id="message_templates_create",
    summary="Write a message template",
    response={201: MessageTemplateOut, **WRITE_ERRORS},
    auth=permitted(ADD),
)
def create_template(request: HttpRequest, payload: MessageTemplateIn) -> Any:
    template = message_template_create(**payload.model_dump(), by=request.user)  # type: ignore[arg-type]
    return Status(201, _answer(template))


@router.get(
    "/message-templates/{int:id}",
    operation_id="message_templates_get",
    summary="A message template",
    response={200: MessageTemplateOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def get_template(request: HttpRequest, id: int) -> Any:
    return _answer(_template(id))


@router.patch(
    "/message-templates/{int:id}",
    operation_id="message_templates_update",
    summary="Change a message template's name, channel, subject or text, or retire it",
    description="A template triggers send keeps its channel.",
    response={200: MessageTemplateOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def update_template(request: HttpRequest, id: int, payload: MessageTemplatePatch) -> Any:
    template = _template(id)
    given = payload.model_fields_set - {"version"}
    fields = {name: getattr(payload, name) for name in given}
    for name, value in fields.items():
        if value is None:
            raise ValidationError({name: 'This can\'t be null; send text ("" to empty it).'})
    template = message_template_update(
        template=template, expected_version=payload.version, **fields
    )
    return _answer(template)


@router.delete(
    "/message-templates/{int:id}",
    operation_id="message_templates_delete",
    summary="Delete a message template no trigger sends",
    description="One in use is refused (409 in_use): make it inactive instead.",
    response={204: None, **error_responses(401, 403, 404, 409, 422)},
    auth=permitted(DELETE),
)
def delete_template(request: HttpRequest, id: int) -> Any:
    message_template_delete(template=_template(id))
    return Status(204, None)
