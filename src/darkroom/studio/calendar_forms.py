"""The forms of Maintenance › Calendar: the work week and due-date mode, a closure (the
studio's or one vendor's), and a holiday import (its countries from the holidays package).

Apart from the page's views (``views/calendar.py``) so the views read as what each request does;
the forms only check what was typed, the services of ``studio/calendar/`` the rules.
"""

from __future__ import annotations

from typing import Any

from django import forms

from darkroom.catalog.models import Vendor
from darkroom.studio.calendar.holidays import HOLIDAY_YEARS, MAX_IMPORT_YEARS, holiday_countries
from darkroom.studio.models import WEEKDAY_NAMES, DueDateMode


class WorkWeekForm(forms.Form):
    work_days = forms.TypedMultipleChoiceField(
        label="Days of the work week",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one day: the studio must work some day."},
    )
    due_date_mode = forms.ChoiceField(
        label="Due dates of production orders",
        choices=DueDateMode.choices,
        widget=forms.RadioSelect,
    )


class VendorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} (inactive)" if obj.is_inactive else str(obj)


def _vendor_field() -> VendorChoiceField:
    return VendorChoiceField(
        queryset=Vendor.objects.order_by("is_inactive", "name"),
        required=False,
        empty_label="The studio",
        label="Who is closed",
        help_text="The studio itself, or only one vendor.",
    )


class ClosureForm(forms.Form):
    first_date = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    last_date = forms.DateField(
        label="Last day",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for a single day.",
    )
    label = forms.CharField(
        label="What it is",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Studio vacation"}),
    )
    vendor = _vendor_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_date"), data.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", "The closure ends before it starts.")
        return data


class HolidayImportForm(forms.Form):
    country = forms.ChoiceField(label="Country")
    subdivision = forms.CharField(
        label="Region (optional)",
        required=False,
        max_length=40,
        help_text="A state or region code, e.g. CA for California or SCT for Scotland.",
    )
    from_year = forms.IntegerField(label="From year", min_value=HOLIDAY_YEARS[0])
    to_year = forms.IntegerField(label="To year", max_value=HOLIDAY_YEARS[1])
    vendor = _vendor_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = [(code, f"{name} ({code})") for code, name, _regions in holiday_countries()]
        self.fields["country"].choices = [("", "Choose a country…"), *countries]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("from_year"), data.get("to_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("to_year", "The last year is before the first.")
            elif last - first + 1 > MAX_IMPORT_YEARS:
                self.add_error("to_year", f"Import at most {MAX_IMPORT_YEARS} years at a time.")
        return data
