"""Triggers over the API: ``/triggers`` and ``/triggers/{id}``.

Everyone with a role reads them; managers write them. References (cycle, status, templates,
department, person) are ids in a body and ``{"id", "name"}`` in an answer. A change (PATCH)
sends the ``expected_version`` it read: a trigger changed since is 409 ``conflict``. A trigger
that has fired can't be deleted (409 ``in_use``): PATCH ``is_active`` to false instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Id, Text, left_out, sort_choice
from darkroom.api.lists import PageQuery, keyset_page, list_of
from darkroom.api.lookups import named_record, path_id
from darkroom.database_limits import LARGEST_VERSION
from darkroom.messaging.models import (
    MOST_OFFSET_DAYS,
    MessageTemplate,
    Processing,
    Recipient,
    Trigger,
    TriggerAction,
    TriggerWhen,
)
from darkroom.messaging.trigger_selectors import SORTS, trigger_detail, trigger_list, when_words
from darkroom.messaging.trigger_services import (
    trigger_create,
    trigger_delete,
    trigger_update,
    trigger_warnings,
)
from darkroom.studio.models import Department
from darkroom.tracking.models import Cycle
from darkroom.tracking.models import Status as CycleStatus

router = Router(tags=["triggers"])

VIEW = "messaging.view_trigger"
ADD = "messaging.add_trigger"
CHANGE = "messaging.change_trigger"
DELETE = "messaging.delete_trigger"

WhenName = Literal[tuple(TriggerWhen.values)]  # type: ignore[valid-type]
ActionName = Literal[tuple(TriggerAction.values)]  # type: ignore[valid-type]
RecipientName = Literal[tuple(Recipient.values)]  # type: ignore[valid-type]
ProcessingName = Literal[tuple(Processing.values)]  # type: ignore[valid-type]

SKIP_MARKET = (
    "Clients marked do-not-market get no email, SMS or letter from this trigger "
    "(tasks and calls are still made)"
)
SKIP_CALL = "Clients marked do-not-call get no phone call or SMS from this trigger"


# Shapes ----------------------------------------------------------------------------------------


class TriggerOut(Schema):
    """A trigger: what it watches, when it fires, what it does and for whom."""

    id: int
    name: str
    cycle: NamedRef
    status: NamedRef
    when: WhenName
    days: int = Field(..., description="Business days before or after the due date")
    timing: str = Field(..., description='In words: "3 business days after the due date"')
    action: ActionName
    recipient: RecipientName
    fixed_to: str = Field(..., description="The fixed recipient's address or number (E.164)")
    template: NamedRef | None
    fallback_template: NamedRef | None
    task_subject: str = Field(..., description="The title of the task, call or letter it makes")
    task_department: NamedRef | None
    task_user: NamedRef | None
    task_due_days: int = Field(..., description="The task is due this many business days on")
    skip_do_not_market: bool = Field(..., description=SKIP_MARKET)
    skip_do_not_call: bool = Field(..., description=SKIP_CALL)
    processing: ProcessingName = Field(
        ..., description="automatic: acts by itself; review: waits in the review queue"
    )
    hold_until_business_hours: bool
    is_active: bool
    active_since: dt.datetime = Field(..., description="Events before this moment never fire it")
    fired: int = Field(..., description="How many firings it has planned, in any state")
    warnings: list[str] = Field(..., description="What is allowed but may surprise")
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = Field(..., description="Send it as expected_version with a change")


TriggerPage = list_of(TriggerOut)


class TriggerQuery(PageQuery):
    cycle: Id | None = Field(None, description="Only this cycle's triggers")
    active: bool | None = Field(None, description="true: active only; false: inactive only")
    sort: sort_choice(SORTS) = Field(  # type: ignore[valid-type]
        None, description=f"One of {', '.join(SORTS)}; a leading '-' sorts descending"
    )


class TriggerIn(Schema):
    """A new trigger; it acts on events from the moment it is saved."""

    model_config = ConfigDict(extra="forbid")

    name: Text = Field(..., min_length=1, max_length=120, examples=["Album ready email"])
    cycle: Id = Field(..., description="A cycle's id")
    status: Id = Field(..., description="The id of one of the cycle's active statuses")
    when: WhenName = TriggerWhen.ENTERED.value
    days: int = Field(0, ge=0, le=MOST_OFFSET_DAYS, description="0 when `when` is entered")
    action: ActionName
    recipient: RecipientName = Recipient.CLIENT.value
    fixed_to: Text = Field("", max_length=254, description="For the fixed recipient only")
    template: Id | None = Field(None, description="The message template's id")
    fallback_template: Id | None = Field(
        None, description="sms_else_email: an email template; email_else_letter: a letter one"
    )
    task_subject: Text = Field("", max_length=200, description="Placeholders allowed")
    task_department: Id | None = None
    task_user: Id | None = None
    task_due_days: int = Field(0, ge=0, le=MOST_OFFSET_DAYS)
    skip_do_not_market: bool = Field(False, description=SKIP_MARKET)
    skip_do_not_call: bool = Field(False, description=SKIP_CALL)
    processing: ProcessingName = Processing.REVIEW.value
    hold_until_business_hours: bool = False
    is_active: bool = True


class TriggerPatch(Schema):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(
        ..., ge=1, le=LARGEST_VERSION, description="The version read (409 if stale)"
    )
    name: Text = left_out(min_length=1, max_length=120)
    cycle: Id = left_out()
    status: Id = left_out()
    when: WhenName = left_out()
    days: int = left_out(ge=0, le=MOST_OFFSET_DAYS)
    action: ActionName = left_out()
    recipient: RecipientName = left_out()
    fixed_to: Text = left_out(max_length=254)
    template: Id | None = left_out()
    fallback_template: Id | None = left_out()
    task_subject: Text = left_out(max_length=200)
    task_department: Id | None = left_out()
    task_user: Id | None = left_out()
    task_due_days: int = left_out(ge=0, le=MOST_OFFSET_DAYS)
    skip_do_not_market: bool = left_out(description=SKIP_MARKET)
    skip_do_not_call: bool = left_out(description=SKIP_CALL)
    processing: ProcessingName = left_out()
    hold_until_business_hours: bool = left_out()
    is_active: bool = left_out(
        description="false stops it (its scheduled firings are cancelled); true restarts it "
        "for events from now on"
    )


# Answers ---------------------------------------------------------------------------------------


def _answer(trigger: Trigger) -> dict[str, Any]:
    return {
        "id": trigger.pk,
        "name": trigger.name,
        "cycle": named_ref(trigger.cycle),
        "status": named_ref(trigger.status),
        "when": trigger.when,
        "days": trigger.days,
        "timing": when_words(trigger),
        "action": trigger.action,
        "recipient": trigger.recipient,
        "fixed_to": trigger.fixed_to,
        "template": named_ref(trigger.template),
        "fallback_template": named_ref(trigger.fallback_template),
        "task_subject": trigger.task_subject,
        "task_department": named_ref(trigger.task_department),
        "task_user": person_ref(trigger.task_user),
        "task_due_days": trigger.task_due_days,
        "skip_do_not_market": trigger.skip_do_not_market,
        "skip_do_not_call": trigger.skip_do_not_call,
        "processing": trigger.processing,
        "hold_until_business_hours": trigger.hold_until_business_hours,
        "is_active": trigger.is_active,
        "active_since": trigger.active_since,
        "fired": getattr(trigger, "fired", 0),
        "warnings": trigger_warnings(trigger),
        "created_at": trigger.created_at,
        "updated_at": trigger.updated_at,
        "version": trigger.version,
    }


REFERENCES: dict[str, type[Model]] = {
    "cycle": Cycle,
    "status": CycleStatus,
    "template": MessageTemplate,
    "fallback_template": MessageTemplate,
    "task_department": Department,
}


def _references(values: dict[str, Any]) -> dict[str, Any]:
    """The ids in a body, as records; every unknown id refused at once, beside its field."""
    models = {**REFERENCES, "task_user": get_user_model()}
    found: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            found[name] = named_record(models[name], name, value) if name in models else value
        except ValidationError as exc:
            problems.update(exc.message_dict)
    if problems:
        raise ValidationError(problems)
    return found


def _trigger(trigger_id: int) -> Trigger:
    return trigger_detail(pk=path_id(trigger_id))


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/triggers",
    operation_id="triggers_list",
    summary="List the triggers, by cycle and status unless sorted",
    response={200: TriggerPage, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def list_triggers(request: HttpRequest, params: Query[TriggerQuery]) -> Any:
    triggers = trigger_list(cycle_id=params.cycle, active=params.active, sort=params.sort or "")
    return keyset_page(triggers, cursor=params.cursor, limit=params.limit, answer=_answer)


@router.post(
    "/triggers",
    operation_id="triggers_create",
    summary="Add a trigger (managers)",
    description="It acts on events from now on, never on what happened before it was saved.",
    response={201: TriggerOut, **WRITE_ERRORS},
    auth=permitted(ADD),
)
def create_trigger(request: HttpRequest, payload: TriggerIn) -> Any:
    trigger = trigger_create(by=request.user, **_references(payload.model_dump()))
    return Status(201, _answer(trigger_detail(pk=trigger.pk)))


@router.get(
    "/triggers/{int:id}",
    operation_id="triggers_get",
    summary="A trigger",
    response={200: TriggerOut, **READ_ERRORS},
    auth=permitted(VIEW),
)
def get_trigger(request: HttpRequest, id: int) -> Any:
    return _answer(_trigger(id))


@router.patch(
    "/triggers/{int:id}",
    operation_id="triggers_update",
    summary="Change a trigger (managers)",
    description="Moving it to another status or cycle, or changing when it fires, cancels its "
    "scheduled firings; so does `is_active: false`. Firings waiting for review stay.",
    response={200: TriggerOut, **WRITE_ERRORS},
    auth=permitted(CHANGE),
)
def update_trigger(request: HttpRequest, id: int, payload: TriggerPatch) -> Any:
    trigger = _trigger(id)
    given = payload.model_fields_set - {"expected_version"}
    fields = _references({name: getattr(payload, name) for name in given})
    nullable = {"template", "fallback_template", "task_department", "task_user"}
    for name, value in fields.items():
        if value is None and name not in nullable:
            raise ValidationError({name: "This can't be null."})
    trigger_update(
        trigger=trigger, expected_version=payload.expected_version, by=request.user, **fields
    )
    return _answer(_trigger(id))


@router.delete(
    "/triggers/{int:id}",
    operation_id="triggers_delete",
    summary="Delete a trigger that never fired (managers)",
    description="One that has fired keeps its history: 409 `in_use`; PATCH `is_active` "
    "to false instead.",
    response={204: None, **WRITE_ERRORS},
    auth=permitted(DELETE),
)
def delete_trigger(request: HttpRequest, id: int) -> Any:
    trigger_delete(trigger=_trigger(id))
    return Status(204, None)
