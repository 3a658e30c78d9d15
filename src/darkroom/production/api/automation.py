"""/production-automation: the studio's production automation, read by everyone, replaced by
managers (the same service and rules as Maintenance › Production automation)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from darkroom.api.answers import NamedRef, named_ref, person_ref
from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import Id
from darkroom.api.lookups import named_record
from darkroom.production.automation_preferences import (
    production_automation,
    production_automation_update,
)
from darkroom.production.models import AutomationAction, AutomationMoment, ProductionAutomation
from darkroom.tracking.models import Status

router = Router(tags=["production"])

MomentName = Literal[tuple(AutomationMoment.values)]  # type: ignore[valid-type]
ActionName = Literal[tuple(AutomationAction.values)]  # type: ignore[valid-type]


class AutomationOutcomeOut(Schema):
    """What production automation did when this request saved an invoice or a payment."""

    moment: MomentName
    result: Literal["created", "prompted", "not_created"] = Field(
        ..., description="prompted: the invoice now asks (production_orders_prompt)"
    )
    message: str = Field(..., description="What a person would be told, in a sentence")
    orders: list[int] = Field(..., description="The production orders made (ids)")


class ProductionAutomationOut(Schema):
    """When an invoice's production orders are made, and what happens when all are final."""

    moment: MomentName
    action: ActionName
    paid_percent: int | None = Field(..., description="For paid_percent: 1 to 100")
    invoice_status: NamedRef | None = Field(..., description="For invoice_status")
    finished_invoice_status: NamedRef | None = Field(
        ..., description="When every order is final, the invoice moves here (null: it stays)"
    )
    finished_sets_delivered_date: bool
    finished_task_user: NamedRef | None = Field(
        ..., description="When every order is final, this person gets a task to deliver it"
    )
    updated_at: dt.datetime | None


class ProductionAutomationIn(Schema):
    """All the preferences at once (PUT); those left out take their default."""

    model_config = ConfigDict(extra="forbid")

    moment: MomentName = AutomationMoment.NEVER.value
    action: ActionName = AutomationAction.CREATE.value
    paid_percent: int | None = Field(None, description="Needed for paid_percent: 1 to 100")
    invoice_status: Id | None = Field(
        None, description="Needed for invoice_status: an active status of the invoice cycle (id)"
    )
    finished_invoice_status: Id | None = Field(
        None, description="A status of the invoice cycle (id); null: leave the invoice's status"
    )
    finished_sets_delivered_date: bool = False
    finished_task_user: Id | None = Field(None, description="A person who can sign in (id)")


# The records the body names by id, and their models (every unknown id is told at once).
REFERENCES = {
    "invoice_status": lambda: Status,
    "finished_invoice_status": lambda: Status,
    "finished_task_user": get_user_model,
}


def _answer(automation: ProductionAutomation) -> dict[str, Any]:
    def named(name: str) -> Any:
        return getattr(automation, name) if getattr(automation, f"{name}_id") else None

    return {
        "moment": automation.moment,
        "action": automation.action,
        "paid_percent": automation.paid_percent,
        "invoice_status": named_ref(named("invoice_status")),
        "finished_invoice_status": named_ref(named("finished_invoice_status")),
        "finished_sets_delivered_date": automation.finished_sets_delivered_date,
        "finished_task_user": person_ref(named("finished_task_user")),
        "updated_at": automation.updated_at,
    }


@router.get(
    "/production-automation",
    operation_id="production_automation_get",
    summary="The studio's production automation",
    response={200: ProductionAutomationOut, **error_responses(401, 403, 422)},
    auth=permitted("production.view_productionautomation"),
)
def automation_get(request: HttpRequest) -> Any:
    return _answer(production_automation())


@router.put(
    "/production-automation",
    operation_id="production_automation_replace",
    summary="Replace the studio's production automation (managers)",
    description="Refused (422, with `fields`) when the choices don't fit together: a percentage "
    "is needed for paid_percent, a status for invoice_status; statuses must be of the invoice "
    "cycle. Nothing is saved then.",
    response={200: ProductionAutomationOut, **error_responses(400, 401, 403, 422)},
    auth=permitted("production.change_productionautomation"),
)
def automation_replace(request: HttpRequest, payload: ProductionAutomationIn) -> Any:
    given = payload.model_dump()
    errors: dict[str, list[str]] = {}
    for name, model in REFERENCES.items():
        try:
            given[name] = named_record(model(), name, given[name])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return _answer(production_automation_update(**given))
