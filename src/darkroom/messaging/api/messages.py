"""The outbox over the API: ``/messages`` (staff and managers read, managers resend and abort)
and each record's communication log: ``/clients/{id}/communications`` and likewise for
sessions, invoices, production and preproduction orders (everyone reads).

Lists never count all rows: they come a page at a time by cursor (api/lists.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from darkroom.api.answers import NamedRef, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Id
from darkroom.api.lists import (
    BAD_CURSOR,
    PageQuery,
    cursor_after,
    cursor_values,
    keyset_page,
    list_of,
)
from darkroom.api.lookups import path_id
from darkroom.clients.models import Client, Invoice, Session
from darkroom.database_limits import LARGEST_ID
from darkroom.messaging import selectors
from darkroom.messaging.models import Channel, Message, MessageState
from darkroom.messaging.outbox import message_abort, message_resend
from darkroom.production.models import PreproductionOrder, ProductionOrder

router = Router(tags=["messages"])

# Reading the outbox is for the people who work the queue (staff, managers); see views.py.
READ = "messaging.change_firing"
RESEND = "messaging.change_message"  # managers
LOG = "messaging.view_message"

StateName = Literal[tuple(MessageState.values)]  # type: ignore[valid-type]
ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]


class MessageOut(Schema):
    id: int
    channel: ChannelName
    to: str
    to_name: str
    subject: str
    body: str
    state: StateName
    reason: str = Field(..., description="Why it is in its state (the last server answer)")
    attempts: int
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    created_by: NamedRef | None = Field(..., description="Who resent it; null for triggers")
    firing: int | None
    resend_of: int | None = Field(..., description="The message this one resends")
    client: int | None
    session: int | None
    invoice: int | None
    record_url: str = Field(..., description="The page of the record it is about")


MessagePage = list_of(MessageOut)


class MessageListQuery(PageQuery):
    state: StateName | None = None
    channel: ChannelName | None = None
    client_id: Id | None = None
    sort: Literal["-created", "created"] = Field("-created", description="Newest first by default")


class LogEntryOut(Schema):
    at: dt.datetime
    kind: str = Field(..., description="email, sms, task, call, letter, or firing")
    what: str = Field(..., description="The subject, or the task's title, or the trigger")
    to: str
    state: str
    state_label: str
    reason: str
    message: int | None = Field(..., description="The message's id, for …/resend")
    task: int | None
    firing: int | None


LogOut = list_of(LogEntryOut, "CommunicationLog")
LOG_ORDER = "communication-log"  # the only order the log has: newest first


def message_answer(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "channel": message.channel,
        "to": message.to,
        "to_name": message.to_name,
        "subject": message.subject,
        "body": message.body,
        "state": message.state,
        "reason": message.reason,
        "attempts": message.attempts,
        "created_at": message.created_at,
        "next_attempt_at": message.next_attempt_at,
        "sent_at": message.sent_at,
        "created_by": person_ref(message.created_by) if message.created_by_id else None,
        "firing": message.firing_id,
        "resend_of": message.resend_of_id,
        "client": message.client_id,
        "session": message.session_id,
        "invoice": message.invoice_id,
        "record_url": selectors.message_record_url(message),
    }


def _message(id: int) -> Message:
    return selectors.message_detail(path_id(id))


@router.get(
    "/messages",
    operation_id="messages_list",
    summary="The outbox: messages of every state, newest first (staff and managers)",
    response={200: MessagePage, **LIST_ERRORS},
    auth=permitted(READ),
)
def list_messages(request: HttpRequest, params: Query[MessageListQuery]) -> Any:
    messages = selectors.outbox_messages(
        state=params.state or "",
        channel=params.channel or "",
        client_id=params.client_id,
        sort=params.sort,
    )
    return keyset_page(messages, cursor=params.cursor, limit=params.limit, answer=message_answer)


@router.get(
    "/messages/{int:id}",
    operation_id="messages_get",
    summary="A message, with its frozen words and its state",
    response={200: MessageOut, **READ_ERRORS},
    auth=permitted(READ),
)
def get_message(request: HttpRequest, id: int) -> Any:
    return message_answer(_message(id))


@router.post(
    "/messages/{int:id}/resend",
    operation_id="messages_resend",
    summary="Send an ended message again, as a new message linked to it (managers)",
    description="400 `message_pending` while the message has not ended (queued, sending, "
    "waiting to retry).",
    response={201: MessageOut, **WRITE_ERRORS},
    auth=permitted(RESEND),
)
def resend(request: HttpRequest, id: int) -> Any:
    copy = message_resend(message=_message(id), by=request.user)
    return Status(201, message_answer(selectors.message_detail(copy.pk)))


@router.post(
    "/messages/{int:id}/abort",
    operation_id="messages_abort",
    summary="Stop a message that is queued or waiting to retry (managers)",
    description="400 `message_not_pending` for a message that is sending or has ended.",
    response={200: MessageOut, **WRITE_ERRORS},
    auth=permitted(RESEND),
)
def abort(request: HttpRequest, id: int) -> Any:
    message = message_abort(message=_message(id), by=request.user)
    return message_answer(selectors.message_detail(message.pk))


def _log(record: Any, params: PageQuery) -> dict[str, Any]:
    after = None
    if params.cursor:
        at, source, pk = cursor_values(params.cursor, LOG_ORDER, 3)
        if not (
            isinstance(at, dt.datetime)
            and at.tzinfo is not None
            and source in (0, 1)
            and isinstance(pk, int)
            and 0 < pk <= LARGEST_ID
        ):
            raise ValidationError({"cursor": BAD_CURSOR})
        after = (at, source, pk)
    entries, last = selectors.communication_page(record, after=after, limit=params.limit)
    return {
        "results": [
            {
                "at": e.at,
                "kind": e.kind,
                "what": e.what,
                "to": e.to,
                "state": e.state,
                "state_label": e.state_label,
                "reason": e.reason,
                "message": e.message.pk if e.message is not None else None,
                "task": e.firing.task_id if e.firing is not None else None,
                "firing": e.firing.pk if e.firing is not None else None,
            }
            for e in entries
        ],
        "next_cursor": cursor_after(list(last), LOG_ORDER) if last else None,
    }


def _log_read(noun: str) -> dict[str, Any]:
    return {
        "operation_id": f"{noun.replace(' ', '_')}_communications_list",
        "summary": f"What triggers and people sent or did about a {noun}, newest first",
        "description": "Messages with their state and reason, tasks and calls made, firings "
        "skipped or suppressed; a page at a time.",
        "response": {200: LogOut, **READ_ERRORS},
        "auth": permitted(LOG),
    }


@router.get("/clients/{int:client_id}/communications", **_log_read("client"))
def client_communications(request: HttpRequest, client_id: int, params: Query[PageQuery]) -> Any:
    return _log(Client.objects.get(pk=path_id(client_id)), params)


@router.get("/sessions/{int:session_id}/communications", **_log_read("session"))
def session_communications(request: HttpRequest, session_id: int, params: Query[PageQuery]) -> Any:
    return _log(Session.objects.get(pk=path_id(session_id)), params)


@router.get("/invoices/{int:invoice_id}/communications", **_log_read("invoice"))
def invoice_communications(request: HttpRequest, invoice_id: int, params: Query[PageQuery]) -> Any:
    return _log(Invoice.objects.get(pk=path_id(invoice_id)), params)


@router.get("/production-orders/{int:id}/communications", **_log_read("production order"))
def production_order_communications(request: HttpRequest, id: int, params: Query[PageQuery]) -> Any:
    return _log(ProductionOrder.objects.get(pk=path_id(id)), params)


@router.get("/preproduction-orders/{int:id}/communications", **_log_read("preproduction order"))
def preproduction_order_communications(
    request: HttpRequest, id: int, params: Query[PageQuery]
) -> Any:
    return _log(PreproductionOrder.objects.get(pk=path_id(id)), params)
