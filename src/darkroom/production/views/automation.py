"""Pages of production automation: Maintenance › Production automation (managers), the invoice
page's question ("Paid in full: create this invoice's production orders now?") and its "Not now",
and the message a person sees after a save or a payment set automation off."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from darkroom.clients.models import Invoice
from darkroom.form_errors import add_service_errors
from darkroom.maintenance.forms import choosable
from darkroom.production.automation import (
    AutomationOutcome,
    moment_words,
    production_orders_prompt_dismiss,
)
from darkroom.production.automation_preferences import (
    invoice_statuses,
    production_automation,
    production_automation_update,
)
from darkroom.production.models import AutomationAction, AutomationMoment, ProductionAutomation
from darkroom.studio.access import requires

CHANGE_AUTOMATION = "production.change_productionautomation"
ADD_ORDERS = "production.add_productionorder"


def tell(request: HttpRequest, outcome: AutomationOutcome | None) -> None:
    """What automation did, as a message on the next page. A question needs none: the invoice
    page shows it until it is answered."""
    if outcome is None or outcome.prompted:
        return
    if outcome.created is not None:
        messages.success(request, outcome.message)
    else:
        messages.warning(request, outcome.message)


def prompt_question(invoice: Invoice) -> str:
    """The invoice page's question, or "" when none is waiting."""
    if not invoice.production_orders_prompt:
        return ""
    moment = moment_words(invoice.production_orders_prompt)
    return f"{moment}: create this invoice's production orders now?"


@requires(ADD_ORDERS)
@require_POST
def prompt_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Not now": put the question away; the orders can still be made from the invoice."""
    invoice = get_object_or_404(Invoice, pk=pk)
    production_orders_prompt_dismiss(invoice=invoice)
    return redirect(f"{invoice.get_absolute_url()}#production-orders")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return name if obj.is_active else f"{name} (can no longer sign in)"


class StatusChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} (inactive)" if obj.is_inactive else str(obj)


class AutomationForm(forms.Form):
    """The preferences in the studio's words; the service checks how they fit together."""

    moment = forms.ChoiceField(
        label="Create production orders",
        choices=AutomationMoment.choices,
        widget=forms.RadioSelect,
        help_text="Only invoices that have no production orders yet are touched.",
    )
    paid_percent = forms.IntegerField(
        label="Share of the total paid (%)",
        required=False,
        help_text="For “paid at least a share”: 1 to 100. Later payments above it change nothing.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    invoice_status = StatusChoice(
        label="Invoice status",
        queryset=invoice_statuses(),
        required=False,
        empty_label="Choose a status",
        help_text="For “enters a chosen status”: a status of the invoice cycle.",
    )
    action = forms.ChoiceField(
        label="At that moment",
        choices=AutomationAction.choices,
        widget=forms.RadioSelect,
        help_text="Orders are made for every vendor the lines need, with a detail line per "
        "invoice line. If they can't be made, the invoice is still saved and you are told why.",
    )
    finished_invoice_status = StatusChoice(
        label="Move the invoice to",
        queryset=invoice_statuses(),
        required=False,
        empty_label="Leave its status as it is",
        help_text="Skipped when the invoice is already there or has not started its cycle.",
    )
    finished_sets_delivered_date = forms.BooleanField(
        label="Set the invoice's delivered date (when it has none)", required=False
    )
    finished_task_user = PersonChoice(
        label="Give a task to deliver it to",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="“Deliver invoice 00012 to Ann Lee”, linked to the invoice; not given again "
        "while one is still open.",
    )

    def __init__(self, *args: Any, automation: ProductionAutomation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = invoice_statuses().select_related("cycle")
        chosen = [automation.invoice_status_id, automation.finished_invoice_status_id]
        for name in ("invoice_status", "finished_invoice_status"):
            self.fields[name].queryset = choosable(statuses, [pk for pk in chosen if pk])  # type: ignore[attr-defined]
        person = [automation.finished_task_user_id] if automation.finished_task_user_id else []
        self.fields["finished_task_user"].queryset = choosable(  # type: ignore[attr-defined]
            get_user_model().objects.all(), person
        )


def _initial(automation: ProductionAutomation) -> dict[str, Any]:
    return {
        "moment": automation.moment,
        "action": automation.action,
        "paid_percent": automation.paid_percent,
        "invoice_status": automation.invoice_status_id,
        "finished_invoice_status": automation.finished_invoice_status_id,
        "finished_sets_delivered_date": automation.finished_sets_delivered_date,
        "finished_task_user": automation.finished_task_user_id,
    }


@requires(CHANGE_AUTOMATION)
def automation_preferences(request: HttpRequest) -> HttpResponse:
    """Maintenance › Production automation: when orders are made, and what happens when an
    invoice's orders are all final."""
    automation = production_automation()
    if request.method == "POST":
        form = AutomationForm(request.POST, automation=automation)
        if form.is_valid():
            try:
                production_automation_update(**form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Saved the production automation.")
                return redirect("production:automation")
        status = 422
    else:
        form = AutomationForm(initial=_initial(automation), automation=automation)
        status = 200
    has_statuses = invoice_statuses().exists()
    context = {"form": form, "has_statuses": has_statuses}
    return render(request, "production/automation.html", context, status=status)
