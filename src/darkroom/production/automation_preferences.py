"""The studio's production automation preferences (one row,
:class:`~darkroom.production.models.ProductionAutomation`): the moment an invoice's orders are
made or asked for, and what happens when its last order is final.

Every rule of the preferences is checked at once and refused beside its field; nothing is saved
then. Apart from what automation does at those moments (``automation.py``), which reads them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from darkroom.production.models import AutomationMoment, ProductionAutomation
from darkroom.tracking.models import CycleKind, Status

FIELDS = {
    "moment",
    "action",
    "paid_percent",
    "invoice_status",
    "finished_invoice_status",
    "finished_sets_delivered_date",
    "finished_task_user",
}


def production_automation() -> ProductionAutomation:
    """The automation row; a studio that never saved one gets the defaults (never), unsaved."""
    automation = ProductionAutomation.objects.filter(pk=1).first()
    return automation if automation is not None else ProductionAutomation(pk=1)


def invoice_statuses() -> Any:
    """The statuses an invoice may be in, in cycle order: what the automation may name."""
    return Status.objects.filter(cycle__kind=CycleKind.INVOICE).order_by("position", "id")


def _check_status(status: Any, was: int | None) -> str | None:
    """Why ``status`` can't be chosen for ``name`` (None when it can)."""
    if status is None:
        return None
    if not isinstance(status, Status):
        return "Choose a status of the invoice cycle."
    if status.cycle.kind != CycleKind.INVOICE:
        return f"“{status}” is a status of another cycle: choose one of the invoice cycle."
    if status.is_inactive and status.pk != was:
        return f"“{status}” is inactive: choose an active status."
    return None


def _errors(automation: ProductionAutomation, was: ProductionAutomation) -> dict[str, list[str]]:
    """Every rule of the preferences at once, beside its field."""
    errors: dict[str, list[str]] = {}
    try:
        automation.clean_fields(
            exclude=[
                "paid_percent",
                "invoice_status",
                "finished_invoice_status",
                "finished_task_user",
            ]
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    percent = automation.paid_percent
    if percent is not None and (
        isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100
    ):
        errors["paid_percent"] = ["Give a whole percentage from 1 to 100."]
    elif percent is None and automation.moment == AutomationMoment.PAID_PERCENT:
        errors["paid_percent"] = [
            "Give the share of the total (1 to 100 %) that starts the orders."
        ]
    for name in ("invoice_status", "finished_invoice_status"):
        chosen = getattr(automation, name) if getattr(automation, f"{name}_id") else None
        problem = _check_status(chosen, getattr(was, f"{name}_id"))
        if problem:
            errors[name] = [problem]
    if (
        automation.moment == AutomationMoment.INVOICE_STATUS
        and automation.invoice_status_id is None
        and "invoice_status" not in errors
    ):
        errors["invoice_status"] = ["Choose the status that starts the orders."]
    person = automation.finished_task_user if automation.finished_task_user_id else None
    if person is not None:
        if not isinstance(person, get_user_model()):
            errors["finished_task_user"] = ["Choose a person."]
        elif not person.is_active and person.pk != was.finished_task_user_id:
            errors["finished_task_user"] = [
                f"“{person}” can no longer sign in: choose someone else."
            ]
    return errors


def production_automation_update(**changes: Any) -> ProductionAutomation:
    """Change the studio's production automation; every problem is refused beside its field and
    nothing is saved.

    A percentage (1–100) is needed for "paid at least a share", a status for "enters a chosen
    status"; both statuses must be of the invoice cycle (a newly chosen one active), and the
    person who gets the delivery task must still sign in.
    """
    unknown = sorted(set(changes) - FIELDS)
    if unknown:
        raise ValidationError({name: "Not a production automation preference." for name in unknown})
    with transaction.atomic():
        ProductionAutomation.objects.get_or_create(pk=1)
        automation = ProductionAutomation.objects.select_for_update().get(pk=1)
        was = ProductionAutomation(
            invoice_status_id=automation.invoice_status_id,
            finished_invoice_status_id=automation.finished_invoice_status_id,
            finished_task_user_id=automation.finished_task_user_id,
        )
        for name, value in changes.items():
            try:
                setattr(automation, name, value)
            except (ValueError, TypeError):
                raise ValidationError({name: "Choose one from the list."}) from None
        errors = _errors(automation, was)
        if errors:
            raise ValidationError(errors)
        automation.save()
    return automation
