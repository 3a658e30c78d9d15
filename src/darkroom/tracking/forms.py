"""The forms of the status pages (a cycle's steps, the status-change dialog, bulk changes), and
how their input becomes a service call.

What the dialog proposes (the due date, the department and user of the target) is remembered in
hidden fields, so input a person left as proposed is sent as "the service's default" rather than
as a choice: the service, not the page, computes the real due date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest

from darkroom.database_limits import LARGEST_PAGE_NUMBER, LARGEST_VERSION
from darkroom.studio.models import Department
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import MOST_BUSINESS_DAYS, Cycle, Status, TrackedRecord
from darkroom.tracking.selectors import cycle_statuses
from darkroom.tracking.services import DEFAULT, BulkItem, proposed_due_date

CHANGE_STATUS = "tracking.add_statusnote"
DATE_ERRORS = {"invalid": "Give a date (YYYY-MM-DD).", "required": "Give a date (YYYY-MM-DD)."}


def studio_today(request: HttpRequest) -> dt.date:
    """The studio's today (the preferences row the request already read)."""
    prefs = getattr(request, "studio", None) or studio_preferences()
    return prefs.today()


def person_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def proposed_due(
    record: TrackedRecord, status: Status | None, date_completed: dt.date | None
) -> dt.date | None:
    """The due date the dialog proposes, by the engine's own rules; none when final."""
    if status is None or date_completed is None:
        return None
    return proposed_due_date(record=record, status=status, entered_on=date_completed)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = person_name(obj)
        return name if obj.is_active else f"{name} (can't sign in)"


def active_people() -> Any:
    """Who may be named as having done a step or be given work: those who can sign in."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} (inactive)" if obj.is_inactive else str(obj)


VERSION_ERRORS = {
    key: "This form did not say which version of the record it changes: reload the page."
    for key in ("required", "invalid", "min_value", "max_value")
}


class GeneralErrors:
    """Messages no visible field shows: the form's own and its hidden fields' (a bad version)."""

    def general_errors(self: Any) -> list[str]:
        hidden = [message for field in self.hidden_fields() for message in field.errors]
        return [*self.non_field_errors(), *hidden]


class StatusChangeForm(GeneralErrors, forms.Form):
    """The status-change dialog. ``computed_due`` and ``proposed_for`` remember what the page
    proposed, so that fields the person left as proposed are sent as "the default"."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=LARGEST_VERSION,
        error_messages=VERSION_ERRORS,
    )
    to_status = forms.ModelChoiceField(
        queryset=Status.objects.none(),
        label="Change to",
        empty_label="Choose a status",
        error_messages={
            "required": "Choose the status to change to.",
            "invalid_choice": "Choose one of the active statuses of this cycle.",
        },
    )
    date_completed = forms.DateField(
        label="Date completed",
        widget=DateInput(),
        error_messages=DATE_ERRORS,
        help_text="When the current step ended.",
    )
    due_date = forms.DateField(
        label="Due date",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERRORS["invalid"]},
    )
    computed_due = forms.DateField(required=False, widget=forms.HiddenInput)
    proposed_for = forms.ModelChoiceField(
        queryset=Status.objects.none(), required=False, widget=forms.HiddenInput
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        label="Assign to department",
        required=False,
        empty_label="No department",
        error_messages={"invalid_choice": "Choose one of the active departments."},
    )
    user = PersonChoice(
        queryset=get_user_model().objects.none(),
        label="Assign to user",
        required=False,
        empty_label="Nobody",
        error_messages={"invalid_choice": "Choose someone who can sign in."},
    )
    updated_by = PersonChoice(
        queryset=get_user_model().objects.none(),
        label="Status updated by",
        required=False,
        empty_label="Me",
        help_text="Who did the step, if not you: the history keeps you as who entered it.",
        error_messages={"invalid_choice": "Choose someone who can sign in."},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    current_not_complete = forms.BooleanField(
        label="Current status not complete",
        required=False,
        help_text="Leave the current step without completing it (e.g. to put the work on hold).",
    )

    def __init__(
        self,
        *args: Any,
        cycle: Cycle,
        current: Status | None,
        proposal_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if proposal_url:  # a new target or date re-proposes the due date (and assignees)
            reproposes = {
                "hx-get": proposal_url,
                "hx-trigger": "change",
                "hx-target": "#status-proposal",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
                "hx-sync": "closest form:abort",
            }
            self.fields["to_status"].widget.attrs.update(reproposes, autofocus=True)
            self.fields["date_completed"].widget.attrs.update(reproposes)
        steps = Status.objects.filter(cycle=cycle)
        targets = cycle_statuses(cycle=cycle, include_inactive=False)
        if current is not None:
            targets = targets.exclude(pk=current.pk)
        self.fields["to_status"].queryset = targets  # type: ignore[attr-defined]
        self.fields["proposed_for"].queryset = steps  # type: ignore[attr-defined]
        # Active ones, and any a status of this cycle proposes (it may have retired since).
        self.fields["department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            Q(is_inactive=False) | Q(pk__in=steps.values("default_department"))
        ).order_by("name")
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(Q(is_active=True) | Q(pk__in=steps.values("default_user")))
            .order_by("first_name", "last_name", "username")
        )
        self.fields["updated_by"].queryset = active_people()  # type: ignore[attr-defined]

    def proposal(self) -> dict[str, Any]:
        """What the page proposed: the target and the due date it computed for it."""
        values = {}
        for name in ("proposed_for", "computed_due"):
            raw = self[name].data if self.is_bound else self[name].initial
            try:
                values[name] = self.fields[name].clean(raw)
            except forms.ValidationError:
                values[name] = None
        return {"target": values["proposed_for"], "due": values["computed_due"]}


class StartForm(GeneralErrors, forms.Form):
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=LARGEST_VERSION,
        error_messages=VERSION_ERRORS,
    )
    started_on = forms.DateField(label="Started on", widget=DateInput(), error_messages=DATE_ERRORS)


class BulkChangeForm(GeneralErrors, forms.Form):
    """A status change for the records chosen in a list (each checkbox is "id:version")."""

    to_status = forms.TypedChoiceField(
        label="Change to",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the next status or an active status."},
    )
    date_completed = forms.DateField(
        label="Date completed", widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label="Note", required=False, max_length=2000)
    current_not_complete = forms.BooleanField(label="Current status not complete", required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, kind: str, noun: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = Status.objects.filter(cycle__kind=kind, is_inactive=False).select_related(
            "cycle"
        )
        groups: dict[Cycle, list[tuple[int, str]]] = {}
        for status in statuses.order_by("cycle__name", "cycle_id", "position", "id"):
            groups.setdefault(status.cycle, []).append((status.pk, status.description))
        self.statuses = {s.pk: s for s in statuses}
        named: list[Any] = (
            [(str(cycle), choices) for cycle, choices in groups.items()]
            if len(groups) > 1
            else [choice for choices in groups.values() for choice in choices]
        )
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            ("", f"Next status (each {noun} by its cycle)"),
            *named,
        ]
        self.has_cycle = bool(groups)

    def target(self) -> Status | None:
        """The named status chosen; None means "the next status of each record"."""
        chosen = self.cleaned_data.get("to_status")
        return self.statuses.get(chosen) if chosen is not None else None


def assignee_to_send(
    data: dict[str, Any], name: str, target: Status, proposed: Status | None
) -> Any:
    """The department or user to send: as chosen, unless the page proposed it for another
    target (no JavaScript re-proposed it) and it was left as proposed: then the target's own."""
    value = data[name]
    if proposed is None or proposed == target:
        return value
    if getattr(value, "pk", None) == getattr(proposed, f"default_{name}_id"):
        return DEFAULT
    return value


def chosen_records(values: list[str]) -> tuple[list[BulkItem], str | None]:
    """The records ticked in a list: ``id:version`` each, as the row showed them."""
    items: dict[int, BulkItem] = {}
    for value in values:
        pk, _, version = value.partition(":")
        if not (pk.isdigit() and version.isdigit()):
            return [], "The records chosen could not be read: reload the list and choose again."
        if not (0 < int(pk) <= LARGEST_PAGE_NUMBER and 0 < int(version) <= LARGEST_PAGE_NUMBER):
            return [], "The records chosen could not be read: reload the list and choose again."
        items[int(pk)] = BulkItem(id=int(pk), expected_version=int(version))
    return list(items.values()), None


# A cycle's steps -----------------------------------------------------------------------------


class StatusForm(forms.Form):
    """A status's fields; the rules between statuses are the service's to check."""

    description = forms.CharField(
        max_length=80,
        error_messages={"required": "Give the status a description, e.g. “Retouch”."},
    )
    default_duration = forms.IntegerField(
        label="Default duration (business days)",
        min_value=0,
        max_value=MOST_BUSINESS_DAYS,
        initial=0,
        help_text="How long the step usually takes; 0 = due the day it starts.",
        error_messages={
            "required": "Enter a number of business days (0 if it is due the day it starts).",
            "invalid": "Enter a whole number of business days.",
            "min_value": "The duration can't be negative.",
            "max_value": f"At most {MOST_BUSINESS_DAYS} business days.",
        },
    )
    default_department = DepartmentChoiceField(
        queryset=Department.objects.none(),
        required=False,
        empty_label="No department",
        help_text="Who the work goes to when a record enters this status.",
    )
    default_user = PersonChoice(
        queryset=get_user_model()._default_manager.none(),
        required=False,
        empty_label="Nobody",
        help_text="The person the work goes to, if one usually does it.",
    )
    is_initial = forms.BooleanField(
        label="Initial",
        required=False,
        help_text="Where records start. Ticking it here takes it from the current initial status.",
    )
    is_final = forms.BooleanField(
        label="Final",
        required=False,
        help_text="Where records end. Ticking it here takes it from the current final status.",
    )
    is_inactive = forms.BooleanField(
        label="Inactive",
        required=False,
        help_text="Can't be chosen for new changes; its history stays.",
    )

    client_visible = forms.BooleanField(
        label="Show to clients",
        required=False,
        help_text="On the client's status page. A hidden step shows as the last shown step "
        "the order reached, or “In progress”.",
    )
    client_name = forms.CharField(
        label="Name for clients",
        max_length=80,
        required=False,
        help_text="What the client reads, e.g. “Being retouched”. Empty: the description.",
    )

    def __init__(self, *args: Any, status: Status | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = status.default_department_id if status else None
        user = status.default_user_id if status else None
        # New work goes to current departments and people; a status keeps what it has.
        self.fields["default_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            Q(is_inactive=False) | Q(pk=department)
        ).order_by("name")
        self.fields["default_user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            ._default_manager.filter(Q(is_active=True) | Q(pk=user))
            .order_by("first_name", "last_name", "username")
        )
        self.fields["description"].widget.attrs["autocomplete"] = "off"

    @classmethod
    def for_status(cls, status: Status, data: Any = None) -> StatusForm:
        initial = {
            "description": status.description,
            "default_duration": status.default_duration,
            "default_department": status.default_department_id,
            "default_user": status.default_user_id,
            "is_initial": status.is_initial,
            "is_final": status.is_final,
            "is_inactive": status.is_inactive,
            "client_visible": status.client_visible,
            "client_name": status.client_name,
        }
        return cls(data, initial=initial, status=status)


class NewStatusForm(StatusForm):
    """A new status also says where in the cycle it goes."""

    position = forms.TypedChoiceField(
        label="Place in the cycle",
        coerce=int,
        error_messages={"invalid_choice": "Choose where in the cycle the status goes."},
    )

    field_order = ["description", "position", "default_duration"]

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = list(cycle_statuses(cycle=cycle))
        choices = [
            (place, f"{place}. Before “{s.description}”") for place, s in enumerate(steps, start=1)
        ]
        choices.append((len(steps) + 1, f"{len(steps) + 1}. At the end"))
        self.fields["position"].choices = choices  # type: ignore[attr-defined]
