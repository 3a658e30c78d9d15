"""The review queue and the dry run over the API: ``/review-queue`` and ``/triggers/preview``.

Everyone may read the queue; staff and managers decide (``messaging.change_firing``). An item
someone already decided is 409 ``conflict`` with what became of it. Items show what processing
would do now — the same plan as the page and the worker (``messaging.actions.plan_action``).

``/triggers/preview`` is registered before the triggers' own router, so the fixed path is
matched before ``/triggers/{id}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from darkroom.api.auth import permitted
from darkroom.api.errors import LIST_ERRORS, WRITE_ERRORS
from darkroom.api.fields import Day, Id, Text
from darkroom.api.lists import list_of, whole_list
from darkroom.api.lookups import path_id
from darkroom.messaging import selectors
from darkroom.messaging.firings import firing_decide, firings_decide
from darkroom.messaging.models import Firing, Trigger
from darkroom.studio.selectors import studio_preferences

router = Router(tags=["review queue"])

VIEW = "messaging.view_firing"
DECIDE = "messaging.change_firing"

DecisionName = Literal["process", "skip", "delete"]


class PlannedRecordRef(Schema):
    kind: str = Field(..., description="session, invoice, productionorder, …")
    id: int
    label: str
    url: str = Field(..., description="The record's page")


class PlannedOut(Schema):
    firing_id: int
    trigger: int
    due_on: dt.date = Field(..., description="The studio day the firing acts")
    state: str
    record: PlannedRecordRef | None = Field(..., description="Null when the record is gone")
    client_name: str
    action: str = Field(
        ..., description="What processing does: email, sms, task, call, letter; empty: nothing"
    )
    recipient: str = Field(..., description="Who it reaches, after any fallback")
    fallback: str = Field(..., description="Why the fallback was taken, if it was")
    subject: str = Field(..., description="The rendered subject (or the task's title)")
    body: str = Field(..., description="The rendered words")
    suppressed: str = Field(..., description="Why nothing would happen, if nothing would")
    note: str = Field(..., description="Dry run: why it would not act, or that it goes to review")


class GroupOut(Schema):
    trigger: int
    trigger_name: str
    total: int = Field(..., description="Items waiting; at most 100 are listed")
    items: list[PlannedOut]


QueueOut = list_of(GroupOut, "ReviewQueue")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: DecisionName
    note: Text = Field("", max_length=500, description="Kept with a skip or delete")


class DecisionOut(Schema):
    firing_id: int
    state: str
    reason: str


class GroupDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    trigger_id: Id
    decision: DecisionName


class GroupDecisionOut(Schema):
    trigger_id: int
    decided: int = Field(..., description="Items decided (others were decided meanwhile)")


class TriggerPreviewQuery(Schema):
    date: Day | None = Field(None, description="YYYY-MM-DD; default: the studio's tomorrow")


class TriggerPreviewOut(Schema):
    date: dt.date
    items: list[PlannedOut]


def planned_answer(item: selectors.PlannedItem) -> dict[str, Any]:
    plan = item.plan
    record = item.record
    return {
        "firing_id": item.firing.pk,
        "trigger": item.trigger.pk,
        "due_on": item.firing.due_on,
        "state": item.firing.state,
        "record": {
            "kind": type(record).__name__.lower(),
            "id": record.pk,
            "label": item.record_label,
            "url": item.record_url,
        }
        if record is not None
        else None,
        "client_name": item.client_name,
        "action": plan.action if plan else "",
        "recipient": plan.recipient_words if plan else "",
        "fallback": plan.fallback if plan else "",
        "subject": plan.subject if plan else "",
        "body": plan.body if plan else "",
        "suppressed": plan.suppressed if plan else "",
        "note": item.note,
    }


@router.get(
    "/review-queue",
    operation_id="review_queue_list",
    summary="The review queue: items waiting for a decision, grouped by trigger",
    description="Each item carries the words and recipient processing would give it now. "
    "Items never expire.",
    response={200: QueueOut, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def review_queue(request: HttpRequest) -> Any:
    return whole_list(
        {
            "trigger": group.trigger.pk,
            "trigger_name": group.trigger.name,
            "total": group.total,
            "items": [planned_answer(item) for item in group.items],
        }
        for group in selectors.review_queue()
    )


@router.post(
    "/review-queue/{int:firing_id}/decision",
    operation_id="review_queue_decide",
    summary="Process, skip or delete one review item (staff and managers)",
    description="409 `conflict` when the item was already decided (the detail says how).",
    response={200: DecisionOut, **WRITE_ERRORS},
    auth=permitted(DECIDE),
)
def decide(request: HttpRequest, firing_id: int, payload: DecisionIn) -> Any:
    firing = Firing.objects.get(pk=path_id(firing_id))
    firing = firing_decide(
        firing=firing, decision=payload.decision, by=request.user, note=payload.note
    )
    return {"firing_id": firing.pk, "state": firing.state, "reason": firing.reason}


@router.post(
    "/review-queue/decisions",
    operation_id="review_queue_decide_all",
    summary="The same decision for every waiting item of one trigger (staff and managers)",
    response={200: GroupDecisionOut, **WRITE_ERRORS},
    auth=permitted(DECIDE),
)
def decide_all(request: HttpRequest, payload: GroupDecisionIn) -> Any:
    trigger = Trigger.objects.filter(pk=payload.trigger_id).first()
    if trigger is None:
        raise ValidationError({"trigger_id": f"There is no trigger {payload.trigger_id}."})
    done = firings_decide(trigger=trigger, decision=payload.decision, by=request.user)
    return {"trigger_id": trigger.pk, "decided": done}


@router.get(
    "/triggers/preview",
    operation_id="triggers_preview",
    summary="Dry run: what fires by the end of a day, to whom, with which words",
    description="Every waiting firing due by the day (earlier ones too: the worker catches "
    "up), or why it would not act. Writes nothing.",
    response={200: TriggerPreviewOut, **LIST_ERRORS},
    auth=permitted(VIEW),
)
def preview(request: HttpRequest, params: Query[TriggerPreviewQuery]) -> Any:
    day = params.date or studio_preferences().today() + dt.timedelta(days=1)
    return {"date": day, "items": [planned_answer(i) for i in selectors.dry_run(day=day)]}
