"""The hub's forms: the filter bar (how the filter in the URL is shown and changed) and the bulk
status change.

The filter bar never validates: ``hub.filters.parse_hub_filter`` reads the URL, for the page and
the API alike. The bar only shows the choices, with the URL's values selected; a parameter the
URL repeats (``vendor=3&vendor=7``, a bookmark) becomes a multiple choice so nothing is lost.
Its widgets, drawn in Python for speed, are ``quick_widgets.py``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils.safestring import SafeString

from darkroom.hub.filters import FLAGS
from darkroom.hub.quick_widgets import QuickDate, QuickSelect, QuickSelectMultiple, QuickText
from darkroom.order_choices import DEFAULT_HOLDER, NOBODY, OrderChoices
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.studio.models import Department
from darkroom.tracking.forms import DATE_ERRORS, DateInput
from darkroom.tracking.models import Status
from darkroom.tracking.services import DEFAULT

KIND_CHOICES = [
    ("", "All orders"),
    ("production", "Production orders"),
    ("preproduction", "Proof orders"),
]


class HubFilterForm(forms.Form):
    """The filter bar. Field names are the URL's parameter names."""

    q = forms.CharField(label="Search", required=False, widget=QuickText)
    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES, required=False, widget=QuickSelect)
    flag = forms.ChoiceField(
        label="Due", choices=[("", "Any time"), *FLAGS.items()], required=False, widget=QuickSelect
    )
    status = forms.ChoiceField(label="Status", required=False, widget=QuickSelect)
    vendor = forms.ChoiceField(label="Vendor", required=False, widget=QuickSelect)
    order_type = forms.ChoiceField(label="Order type", required=False, widget=QuickSelect)
    department = forms.ChoiceField(label="Department", required=False, widget=QuickSelect)
    user = forms.ChoiceField(label="User", required=False, widget=QuickSelect)
    priority = forms.ChoiceField(label="Priority", required=False, widget=QuickSelect)
    due_before = forms.DateField(label="Due before", required=False, widget=QuickDate())

    def __init__(self, params: QueryDict, choices: OrderChoices) -> None:
        initial: dict[str, Any] = {}
        for name in self.base_fields:
            values = params.getlist(name)
            initial[name] = values if len(values) > 1 else (values[0] if values else "")
        super().__init__(initial=initial)
        self.fields["q"].widget.input_type = "search"
        self.fields["q"].widget.attrs.update(
            placeholder="Client or order no.",
            autocomplete="off",
            **{"data-search": ""},
        )
        for name, (with_any, options) in choices.bar.items():
            field = self.fields[name]
            if isinstance(initial[name], list):  # repeated in the URL: keep every value
                field = self.fields[name] = forms.MultipleChoiceField(
                    label=field.label, required=False, widget=QuickSelectMultiple
                )
                field.widget.attrs["size"] = 4
                field.choices = options  # type: ignore[attr-defined]
            else:
                field.choices = with_any  # type: ignore[attr-defined]

    def list_fields(self) -> list[forms.BoundField]:
        """The hub list's choices (the search box is laid out on its own)."""
        return [KeptChoice(self, self.fields[name], name) for name in self.fields if name != "q"]

    def board_fields(self) -> list[forms.BoundField]:
        """The board's: its columns are the statuses, its cycle says the kind and order type."""
        names = ("flag", "vendor", "department", "user")
        return [KeptChoice(self, self.fields[name], name) for name in names]


class KeptChoice(forms.BoundField):
    """A choice of the filter bar, its markup kept per process for the value the address gives
    it while the studio's lists stay as they are (``studio/kept.py``): the bar never validates,
    so its choices look the same for everyone who opens the same filter, and most open the
    same few."""

    def __str__(self) -> SafeString:
        value = self.initial
        shown = tuple(value) if isinstance(value, list) else value
        return kept_while_lists_unchanged(
            ("hub filter choice", self.name, self.auto_id, shown),
            lambda: SafeString(forms.BoundField.__str__(self)),
        )

    def __html__(self) -> SafeString:
        return self.__str__()


class HubBulkForm(forms.Form):
    """A change for the orders ticked in the hub, with what the bulk API offers.

    *Change status*: "next status" (each order by its own cycle, so production and proof orders
    may be mixed) or a named status of one cycle; a due date overriding the computed ones; the
    department and person (default: each new status's); who did the step (default: me); the
    step left "not complete". *Reassign only*: the department and person alone, the status
    unchanged (left as "default", each order keeps the one it has)."""

    # Which button was pressed: "Change status" or "Reassign only".
    action = forms.ChoiceField(
        choices=[("status", "Change status"), ("reassign", "Reassign only")],
        required=False,
        widget=forms.HiddenInput,
    )
    to_status = forms.TypedChoiceField(
        label="Change to",
        required=False,
        widget=QuickSelect,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose the next status or an active status."},
    )
    date_completed = forms.DateField(
        label="Date completed", widget=DateInput(), error_messages=DATE_ERRORS
    )
    note = forms.CharField(label="Note", required=False, max_length=2000)
    due_date = forms.DateField(
        label="Due date",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERRORS["invalid"]},
    )
    department = forms.ChoiceField(
        label="Assign to department",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose one of the active departments."},
    )
    user = forms.ChoiceField(
        label="Assign to person",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose someone who can sign in."},
    )
    updated_by = forms.ChoiceField(
        label="Status updated by",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose someone who can sign in."},
    )
    current_not_complete = forms.BooleanField(label="Current status not complete", required=False)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, choices: OrderChoices, **kwargs: Any) -> None:
        # Its own ids: the filter bar on the same page has a department and a user too.
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices.bulk_targets  # type: ignore[attr-defined]
        for name, options in choices.bulk_holders.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]

    def _holder(self, name: str, model: Any) -> Any:
        """The department or person chosen: a record, None ("nobody") or DEFAULT."""
        value = self.cleaned_data.get(name) or DEFAULT_HOLDER
        if value == DEFAULT_HOLDER:
            return DEFAULT
        if value == NOBODY:
            return None
        found = model._default_manager.filter(pk=int(value)).first()
        if found is None:  # gone since the page was drawn
            raise forms.ValidationError(self.fields[name].error_messages["invalid_choice"])
        return found

    def holders(self) -> dict[str, Any]:
        """``department`` and ``user`` as the services take them (DEFAULT: not chosen)."""
        return {
            "department": self._holder("department", Department),
            "user": self._holder("user", get_user_model()),
        }

    def doer(self) -> Any:
        """Who did the step, when someone other than the person entering it; else None."""
        chosen = self.cleaned_data.get("updated_by")
        if not chosen:
            return None
        return get_user_model()._default_manager.filter(pk=int(chosen), is_active=True).first()

    def clean_to_status(self) -> Status | None:
        """The status chosen, read now (the page offered it a moment ago: it may have been
        made inactive since); None for "next status of each order"."""
        chosen = self.cleaned_data.get("to_status")
        if chosen is None:
            return None
        status = Status.objects.select_related("cycle").filter(pk=chosen, is_inactive=False).first()
        if status is None:
            raise forms.ValidationError(self.fields["to_status"].error_messages["invalid_choice"])
        return status

    def target(self) -> Status | None:
        return self.cleaned_data.get("to_status")
