"""The task form and the filters of the task list. The form only reads input; every rule
(current assignees, links about one client, who a private task may be for) is the service's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from darkroom.studio.models import Department
from darkroom.todos.models import LINKS, Task, TaskKind
from darkroom.tracking.forms import DATE_ERRORS, DateInput, DepartmentChoiceField, PersonChoice


class TaskForm(forms.Form):
    """Write or change a task. Links come from the page it was started on (hidden)."""

    subject = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autofocus": True}))
    kind = forms.ChoiceField(choices=TaskKind.choices, initial=TaskKind.TODO)
    due_on = forms.DateField(
        label="Due", required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    assigned_user = PersonChoice(
        label="For", queryset=get_user_model().objects.none(), required=False, empty_label="—"
    )
    assigned_department = DepartmentChoiceField(
        label="Department", queryset=Department.objects.none(), required=False, empty_label="—"
    )
    urgent = forms.BooleanField(required=False)
    private = forms.BooleanField(
        required=False, help_text="Only you and the person it is for can see it."
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, task: Task | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Current people and departments, plus the ones the task already names.
        user_id = task.assigned_user_id if task else None
        department_id = task.assigned_department_id if task else None
        self.fields["assigned_user"].queryset = (  # type: ignore[attr-defined]
            get_user_model()
            .objects.filter(Q(is_active=True) | Q(pk=user_id))
            .order_by("first_name", "last_name", "username")
        )
        self.fields["assigned_department"].queryset = Department.objects.filter(  # type: ignore[attr-defined]
            Q(is_inactive=False) | Q(pk=department_id)
        )


class LinkForm(forms.Form):
    """The records a new task is about, from the address (``?invoice=12``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in LINKS:
            model = Task._meta.get_field(name).related_model
            self.fields[name] = forms.ModelChoiceField(
                queryset=model._default_manager.all(),  # type: ignore[union-attr]
                required=False,
                widget=forms.HiddenInput,
                error_messages={"invalid_choice": f"That {LINKS[name]} no longer exists."},
            )


STATES = [("open", "Open"), ("done", "Done"), ("all", "All")]
SCOPES = [("mine", "Mine and my departments"), ("all", "Everyone's")]


class TaskFilterForm(forms.Form):
    """The list's filters; anything unreadable falls back to the default view."""

    scope = forms.ChoiceField(label="Whose", choices=SCOPES, required=False)
    state = forms.ChoiceField(label="Show", choices=STATES, required=False)
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "Any kind"), *TaskKind.choices], required=False
    )

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "mine": (data.get("scope") or "mine") == "mine",
            "state": data.get("state") or "open",
            "kind": data.get("kind") or "",
        }
