"""The trigger form and the list's filters.

The form only reads what was typed; every rule is the service's (``trigger_services``), whose
refusals the page shows beside the fields they name. The status choices are the chosen cycle's
active statuses (plus the one the trigger watches now, if it was retired since): choosing
another cycle reloads that one field (htmx), and without JavaScript the page reloads with
"Show its statuses".
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from darkroom.maintenance.forms import choosable
from darkroom.messaging.models import (
    MessageTemplate,
    Processing,
    Recipient,
    Trigger,
    TriggerAction,
    TriggerWhen,
)
from darkroom.messaging.trigger_selectors import trigger_cycles
from darkroom.studio.models import Department
from darkroom.tracking.models import Cycle, Status

# Which fields each action uses: the page hides the others (static/messaging/triggers.js).
A = TriggerAction
TEMPLATE_ACTIONS = [a.value for a in A if a not in (A.TASK, A.CALL)]
FALLBACK_ACTIONS = [A.SMS_ELSE_EMAIL.value, A.EMAIL_ELSE_LETTER.value]
TASK_ACTIONS = [
    A.TASK.value,
    A.CALL.value,
    A.LETTER.value,
    A.EMAIL_ELSE_CALL.value,
    A.SMS_ELSE_CALL.value,
    A.EMAIL_ELSE_LETTER.value,
]
RECIPIENT_ACTIONS = [a.value for a in A if a != A.TASK]

SKIP_MARKET_HELP = (
    "A client marked do-not-market gets no email, SMS or letter from this trigger; "
    "tasks and phone calls are still made."
)
SKIP_CALL_HELP = (
    "A client marked do-not-call gets no phone call and no SMS from this trigger; "
    "emails, letters and tasks are still made."
)


def cycle_label(cycle: Cycle) -> str:
    """ "Album Order · Production orders": a cycle as the choices name it."""
    return f"{cycle.name} · {cycle.get_kind_display()}"


def _template_label(template: MessageTemplate) -> str:
    state = " (inactive)" if template.is_inactive else ""
    return f"{template.name} — {template.get_channel_display()}{state}"


def _status_label(status: Status) -> str:
    return f"{status.description} (inactive)" if status.is_inactive else status.description


def _person_label(user: Any) -> str:
    name = user.get_full_name() or user.get_username()
    return name if user.is_active else f"{name} (inactive)"


class TriggerForm(forms.Form):
    """What a manager sets on a trigger; ``changes()`` gives the service its keyword arguments."""

    name = forms.CharField(max_length=120, help_text="How the review queue and the logs name it.")
    cycle = forms.ModelChoiceField(
        Cycle.objects.none(), label="Status cycle", empty_label="Choose a cycle…"
    )
    status = forms.ModelChoiceField(
        Status.objects.none(),
        label="Status",
        empty_label="Choose a status…",
        help_text="The step of the cycle it watches.",
    )
    when = forms.ChoiceField(choices=TriggerWhen.choices, label="When")
    days = forms.IntegerField(
        required=False,
        initial=0,
        label="Business days",
        help_text="Before or after the status's due date; 0 = on the due date itself.",
    )
    action = forms.ChoiceField(choices=TriggerAction.choices, label="Action")
    recipient = forms.ChoiceField(choices=Recipient.choices, label="To")
    fixed_to = forms.CharField(
        required=False,
        max_length=254,
        label="Fixed address or number",
        help_text="An email address for emails, a mobile number for SMS.",
    )
    template = forms.ModelChoiceField(
        MessageTemplate.objects.none(),
        required=False,
        empty_label="None",
        label="Template",
        help_text="The words it sends: an email template for emails, an SMS one for SMS, "
        "a letter one for letters.",
    )
    fallback_template = forms.ModelChoiceField(
        MessageTemplate.objects.none(),
        required=False,
        empty_label="None",
        label="Fallback template",
        help_text="SMS, else an email: the email's words. Email, else a letter: the letter's.",
    )
    task_subject = forms.CharField(
        required=False,
        max_length=200,
        label="Task title",
        help_text="For the task, call or letter it makes; placeholders such as "
        "{client_name} or {order_number} allowed. Fallbacks get one if left empty.",
    )
    task_department = forms.ModelChoiceField(
        Department.objects.none(), required=False, empty_label="None", label="Task department"
    )
    task_user = forms.ModelChoiceField(
        get_user_model().objects.none(), required=False, empty_label="None", label="Task person"
    )
    task_due_days = forms.IntegerField(
        required=False, initial=0, label="Task due in (business days)"
    )
    processing = forms.ChoiceField(
        choices=Processing.choices,
        initial=Processing.REVIEW,
        label="Processing",
        help_text="Review first: each firing waits in the review queue for a person to "
        "process, skip or delete it. Automatic: it acts by itself.",
    )
    skip_do_not_market = forms.BooleanField(
        required=False, label="Skip do-not-market clients", help_text=SKIP_MARKET_HELP
    )
    skip_do_not_call = forms.BooleanField(
        required=False, label="Skip do-not-call clients", help_text=SKIP_CALL_HELP
    )
    hold_until_business_hours = forms.BooleanField(
        required=False,
        label="Hold until business hours",
        help_text="Emails and SMS that fall outside opening hours wait for the next opening.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, trigger: Trigger | None = None, cycle_id: str = "", **kwargs: Any
    ) -> None:
        if trigger is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{name: getattr(trigger, name) for name in self.base_fields if name != "cycle"},
                "cycle": trigger.cycle_id,
            }
        super().__init__(*args, **kwargs)
        self.trigger = trigger
        if cycle_id and not self.is_bound:
            self.initial["cycle"] = cycle_id  # "Show its statuses" without JavaScript
        fields = self.fields
        cycle_field = fields["cycle"]
        assert isinstance(cycle_field, forms.ModelChoiceField)
        cycles = trigger_cycles()
        cycle_field.queryset = Cycle.objects.filter(pk__in=[c.pk for c in cycles])
        cycle_field.choices = [("", "Choose a cycle…")] + [(c.pk, cycle_label(c)) for c in cycles]
        current = {
            name: getattr(trigger, f"{name}_id") if trigger else None
            for name in ("status", "template", "fallback_template", "task_department", "task_user")
        }
        self.current_status = current["status"]
        self.cycle_id = self.chosen_cycle(cycle_id)
        status_field = fields["status"]
        assert isinstance(status_field, forms.ModelChoiceField)
        status_field.label_from_instance = _status_label  # type: ignore[method-assign]
        if self.is_bound:
            # Any status is read, so that the service says what is wrong with it (another
            # cycle's, or retired) together with every other problem of the form.
            status_field.queryset = Status.objects.all()
        else:
            self.show_cycle_statuses()
        for name in ("template", "fallback_template"):
            field = fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = choosable(
                MessageTemplate.objects.order_by("channel", "name"), [current[name]]
            )
            field.label_from_instance = _template_label  # type: ignore[method-assign]
        department = fields["task_department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = choosable(Department.objects.all(), [current["task_department"]])
        person = fields["task_user"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = choosable(get_user_model().objects.all(), [current["task_user"]])
        person.label_from_instance = _person_label  # type: ignore[method-assign]
        # Which fields the action, recipient and timing use (static/messaging/triggers.js).
        shown_for = {
            "template": TEMPLATE_ACTIONS,
            "fallback_template": FALLBACK_ACTIONS,
            "task_subject": TASK_ACTIONS,
            "task_department": TASK_ACTIONS,
            "task_user": TASK_ACTIONS,
            "task_due_days": TASK_ACTIONS,
            "recipient": RECIPIENT_ACTIONS,
        }
        for name, actions in shown_for.items():
            fields[name].widget.attrs["data-actions"] = " ".join(actions)
        fields["fixed_to"].widget.attrs["data-recipients"] = Recipient.FIXED.value
        fields["days"].widget.attrs["data-timed"] = "1"
        fields["days"].widget.attrs["min"] = 0
        fields["task_due_days"].widget.attrs["min"] = 0

    def show_cycle_statuses(self) -> None:
        """Offer the chosen cycle's active statuses (and the one watched now)."""
        field = self.fields["status"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Status.objects.filter(
            Q(cycle_id=self.cycle_id or 0) & (Q(is_inactive=False) | Q(pk=self.current_status or 0))
        ).order_by("position", "pk")

    def chosen_cycle(self, cycle_id: str = "") -> int | None:
        """The cycle the status choices are for: the one posted, asked for, or stored."""
        value = self.data.get("cycle") if self.is_bound else cycle_id
        if not value and self.trigger is not None:
            return self.trigger.cycle_id
        if not value:
            value = self.initial.get("cycle") or ""
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("days", "task_due_days"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        # What the page hides for the chosen action doesn't count: a template picked before
        # the action changed to a task, say, is not a mistake to refuse.
        action = data.get("action")
        if action not in TEMPLATE_ACTIONS:
            data["template"] = None
        if action not in FALLBACK_ACTIONS:
            data["fallback_template"] = None
        if action not in TASK_ACTIONS:
            data.update(task_subject="", task_department=None, task_user=None, task_due_days=0)
        if action not in RECIPIENT_ACTIONS:
            data["recipient"] = Recipient.CLIENT.value  # a task is about the record's client
        if data.get("recipient") != Recipient.FIXED:
            data["fixed_to"] = ""
        if data.get("when") == TriggerWhen.ENTERED and not self.errors.get("days"):
            data["days"] = 0  # hidden on the page too
        return data

    def changes(self) -> dict[str, Any]:
        """The values for the service (the version aside)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TriggerFilterForm(forms.Form):
    """The list's filters: a cycle, active or not."""

    cycle = forms.ChoiceField(required=False, label="Status cycle")
    state = forms.ChoiceField(
        required=False,
        label="Shown",
        choices=[("", "Active and inactive"), ("active", "Active only"), ("inactive", "Inactive")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cycle"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Every cycle")] + [
            (str(c.pk), cycle_label(c)) for c in trigger_cycles()
        ]

    def criteria(self) -> dict[str, Any]:
        """What the selector is asked: ``cycle_id`` and ``active`` (None: any)."""
        if not self.is_valid():
            return {"cycle_id": None, "active": None}
        cycle = self.cleaned_data.get("cycle") or ""
        state = self.cleaned_data.get("state") or ""
        return {
            "cycle_id": int(cycle) if cycle else None,
            "active": {"active": True, "inactive": False}.get(state),
        }
