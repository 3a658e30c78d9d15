"""Forms of the maintenance pages: a record's edit form, the list's search-and-filter bar, the
studio's preferences and the people forms. Forms parse and check input; services write."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet

from darkroom.formats import currency_choices, locale_choices
from darkroom.maintenance.registry import MaintenanceList
from darkroom.record_writes import record_save
from darkroom.studio.models import (
    WEEKDAY_NAMES,
    Department,
    DueDateMode,
    ProfitCosts,
    StudioPreferences,
    validate_time_zone,
)
from darkroom.studio.roles import Role
from darkroom.studio.services import PASSWORD_RULES

ALL = ""


def _label_with_state(record: models.Model) -> str:
    """How a choice reads: people by their names, retired records marked as such."""
    name = str(record)
    if isinstance(record, AbstractBaseUser):
        name = getattr(record, "get_full_name", lambda: "")() or record.get_username()
    inactive = getattr(record, "is_inactive", False) or getattr(record, "is_active", True) is False
    return f"{name} (inactive)" if inactive else name


def choosable(queryset: QuerySet[Any], current: list[Any]) -> QuerySet[Any]:
    """Records a person may pick for new work: the active ones, plus whatever is chosen now."""
    model = queryset.model
    names = {f.name for f in model._meta.get_fields()}
    if "is_inactive" in names:
        return queryset.filter(Q(is_inactive=False) | Q(pk__in=current))
    if "is_active" in names:  # people
        queryset = queryset.filter(Q(is_active=True) | Q(pk__in=current))
        return queryset.order_by("first_name", "last_name", "username")
    return queryset


def _single_field(constraint: models.BaseConstraint) -> str | None:
    """The one field a constraint is about, if it is about one field only."""
    names = set(getattr(constraint, "fields", ()) or ())
    for expression in getattr(constraint, "expressions", ()) or ():
        names |= {e.name for e in expression.flatten() if isinstance(e, F)}
    return names.pop() if len(names) == 1 else None


class MaintenanceForm(forms.ModelForm):
    """The edit form of any maintenance record; built per list by ``maintenance_form``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                current = (
                    list(getattr(self.instance, name).values_list("pk", flat=True))
                    if (self.instance.pk)
                    else []
                )
                field.queryset = choosable(field.queryset, current)
                field.widget = forms.CheckboxSelectMultiple(choices=field.choices)
                field.label_from_instance = _label_with_state
            elif isinstance(field, forms.ModelChoiceField):
                current_pk = getattr(self.instance, f"{name}_id", None)
                field.queryset = choosable(field.queryset, [current_pk] if current_pk else [])
                field.label_from_instance = _label_with_state
                field.empty_label = "Choose…" if field.required else "None"
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3

    def _post_clean(self) -> None:
        super()._post_clean()
        self._place_constraint_errors()

    def _place_constraint_errors(self) -> None:
        """A rule about one field (an identifier unique whatever its capitals) is shown beside
        that field, not above the form: Django reports expression constraints as general."""
        general = self._errors.get(NON_FIELD_ERRORS) if self._errors else None
        if not general:
            return
        for constraint in self._meta.model._meta.constraints:
            name = _single_field(constraint)
            if name not in self.fields or name in self._errors:
                continue
            message = constraint.get_violation_error_message()
            for error in list(general.data):
                if isinstance(error, ValidationError) and message in error.messages:
                    general.data.remove(error)
                    self.add_error(name, error)
        if not general:
            del self._errors[NON_FIELD_ERRORS]

    def save_record(self) -> models.Model:
        """Save through the maintenance service, many-to-many choices included."""
        many = {
            field.name: self.cleaned_data[field.name]
            for field in self._meta.model._meta.many_to_many
            if field.name in self.cleaned_data
        }
        return record_save(record=self.save(commit=False), many=many)


def maintenance_form(entry: MaintenanceList) -> type[MaintenanceForm]:
    return forms.modelform_factory(entry.model, form=MaintenanceForm, fields=list(entry.fields))


def disable_all(form: forms.BaseForm) -> None:
    """Show the form to someone who may look but not change."""
    for field in form.fields.values():
        field.disabled = True


class ListQueryForm(forms.Form):
    """The search box and filter selects above a list (values in the URL)."""

    q = forms.CharField(required=False, label="Search")

    def filters(self) -> dict[str, Any]:
        """The filters that were given and valid; a mistyped URL value is simply ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in data.items()
            if name != "q" and name not in self.errors and value not in (None, ALL)
        }


class MaintenanceListQueryForm(ListQueryForm):
    def __init__(self, *args: Any, entry: MaintenanceList, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in entry.filters:
            model_field = entry.model._meta.get_field(name)
            label = str(getattr(model_field, "verbose_name", name)).capitalize()
            if model_field.is_relation:
                field: forms.Field = forms.ModelChoiceField(
                    queryset=model_field.related_model._default_manager.all(),
                    required=False,
                    empty_label="All",
                    label=label,
                )
                field.label_from_instance = _label_with_state  # type: ignore[attr-defined]
            elif isinstance(model_field, models.BooleanField):
                field = forms.TypedChoiceField(
                    choices=[(ALL, "All"), ("yes", "Yes"), ("no", "No")],
                    coerce=lambda v: v == "yes",
                    empty_value=ALL,
                    required=False,
                    label=label,
                )
            else:
                field = forms.ChoiceField(
                    choices=[(ALL, "All"), *model_field.choices], required=False, label=label
                )
            self.fields[name] = field


class PeopleQueryForm(ListQueryForm):
    role = forms.ChoiceField(choices=[(ALL, "All"), *Role.choices], required=False)
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="All"
    )


# Studio preferences ---------------------------------------------------------------------------

WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]


class StudioPreferencesForm(forms.Form):
    name = forms.CharField(label="Studio name", max_length=120)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    phone = forms.CharField(max_length=40, required=False)
    email = forms.EmailField(required=False)
    time_zone = forms.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="Start typing a city, e.g. Europe/London or America/New_York.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    work_days = forms.MultipleChoiceField(
        label="Days of the work week",
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one day of the work week."},
        help_text="Due dates count only these days (and skip closures).",
    )
    due_date_mode = forms.ChoiceField(
        label="Due dates of production orders",
        choices=DueDateMode.choices,
        widget=forms.RadioSelect,
    )
    opens_at = forms.TimeField(
        label="Opens at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Messages held until business hours wait for this time on a business day.",
    )
    closes_at = forms.TimeField(
        label="Closes at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Held messages written after this time wait for the next business day.",
    )
    country = forms.CharField(
        max_length=2,
        min_length=2,
        help_text="Two letters (US, GB, DE…): phone numbers without a country code are read "
        "as this country's.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 3}),
    )
    locale = forms.ChoiceField(
        label="Dates and amounts written as in",
        choices=locale_choices,
        help_text="How every page, document, export and message writes a date and an amount.",
    )
    currency = forms.ChoiceField(
        choices=currency_choices,
        help_text="The currency of every amount: prices, invoices, payments.",
    )
    statuses_by_session_type = forms.BooleanField(
        label="Each session type may have its own status cycle",
        required=False,
        help_text="New sessions of a type with its own cycle follow it; others the shared one.",
    )
    profit_costs = forms.ChoiceField(
        label="Product costs in the profit analysis",
        choices=ProfitCosts.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Preproduction orders' costs are added either way; a line or an order without "
        "a cost is counted, never taken as free.",
    )

    def clean_profit_costs(self) -> str:
        # A form sent without it (a script, an older page) keeps the studio's choice.
        chosen = self.cleaned_data.get("profit_costs")
        return str(chosen or self.initial.get("profit_costs") or ProfitCosts.PRICE_LIST)

    @classmethod
    def for_preferences(cls, prefs: StudioPreferences, data: Any = None) -> StudioPreferencesForm:
        initial = {
            "name": prefs.name,
            "address": prefs.address,
            "phone": prefs.phone,
            "email": prefs.email,
            "time_zone": prefs.time_zone,
            "work_days": [str(i) for i in sorted(prefs.work_days)],
            "due_date_mode": prefs.due_date_mode,
            "opens_at": prefs.opens_at,
            "closes_at": prefs.closes_at,
            "country": prefs.country,
            "locale": prefs.locale,
            "currency": prefs.currency,
            "statuses_by_session_type": prefs.statuses_by_session_type,
            "profit_costs": prefs.profit_costs,
        }
        return cls(data, initial=initial)

    def changes(self) -> dict[str, Any]:
        """The cleaned values as ``studio_preferences_update`` takes them."""
        data = dict(self.cleaned_data)
        data["work_days_mask"] = sum(1 << int(day) for day in data.pop("work_days"))
        return data

    def add_error(self, field: str | None, error: Any) -> None:
        # The service speaks of the stored mask; the person ticked days.
        super().add_error("work_days" if field == "work_days_mask" else field, error)

    @staticmethod
    def time_zone_names() -> list[str]:
        return sorted(zoneinfo.available_timezones())


# People ---------------------------------------------------------------------------------------


class DepartmentsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return _label_with_state(obj)


class PersonForm(forms.Form):
    """What a manager edits about a person; the create form adds username and password."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    # No role chosen for you: a blank first choice, so nobody becomes a manager by default.
    role = forms.ChoiceField(choices=[(ALL, "Choose a role…"), *Role.choices])
    departments = DepartmentsField(queryset=Department.objects.all(), required=False)
    is_active = forms.BooleanField(label="Active (can log in)", required=False, initial=True)
    password = forms.CharField(
        label="New password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=f"Leave empty to keep the current password. {PASSWORD_RULES}",
    )
    password_confirm = forms.CharField(
        label="New password again",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, person: AbstractUser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = list(person.departments.values_list("pk", flat=True)) if person else []
        departments = self.fields["departments"]
        departments.queryset = choosable(Department.objects.all(), current)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password", "") != data.get("password_confirm", ""):
            self.add_error("password_confirm", "The two passwords are not the same.")
        return data


class PersonCreateForm(PersonForm):
    username = forms.CharField(
        max_length=150,
        help_text="What the person types to log in: letters, digits and @ . + - _ only.",
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "departments"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]
        self.fields["password"].label = "Password"
        self.fields["password"].required = True
        self.fields["password"].help_text = PASSWORD_RULES
        self.fields["password_confirm"].label = "Password again"
        self.fields["password_confirm"].required = True


def person_initial(person: AbstractUser, role: Role | None) -> dict[str, Any]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": role.value if role else "",
        "departments": list(person.departments.all()),
        "is_active": person.is_active,
    }
