"""The forms of the webhooks pages: an endpoint (name, address, the events it wants), disabling
one with a reason, rotating its secret, and replaying the failed deliveries since a day."""

from __future__ import annotations

from typing import Any

from django import forms

from darkroom.events.kinds import event_types
from darkroom.webhooks.models import DeliveryState
from darkroom.webhooks.services import NAME_LONGEST, OVERLAP_LONGEST_HOURS, REASON_LONGEST


class EndpointForm(forms.Form):
    """A new endpoint or a change to one. The addresses' rules are the service's; this form
    only takes what the page sends."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_LONGEST,
        help_text="What the other system is, for people: “Website order tracker”.",
    )
    url = forms.CharField(
        label="Address (URL)",
        max_length=500,
        help_text="Where the other system listens for webhooks: https://…",
    )
    all_events = forms.BooleanField(
        label="All events, including kinds added later",
        required=False,
        initial=True,
    )
    event_types = forms.MultipleChoiceField(
        label="Only these events", required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = list(event_types().items())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("all_events"):
            data["event_types"] = []
        elif not data.get("event_types") and "event_types" not in self.errors:
            self.add_error(
                "event_types", "Choose the events the other system wants, or all events."
            )
        return data


class DisableForm(forms.Form):
    reason = forms.CharField(
        label="Why (shown on the webhook's page)",
        max_length=REASON_LONGEST,
        required=False,
    )


class RotateForm(forms.Form):
    overlap_hours = forms.IntegerField(
        label="Keep the old secret signing for (hours)",
        min_value=0,
        max_value=OVERLAP_LONGEST_HOURS,
        initial=24,
        help_text="Time for the other system to switch to the new secret; 0 if the old one leaked.",
    )


class ReplayFailedForm(forms.Form):
    since = forms.DateField(label="Failed since", widget=forms.DateInput(attrs={"type": "date"}))


STATE_CHOICES = [("", "Every state"), *DeliveryState.choices]
