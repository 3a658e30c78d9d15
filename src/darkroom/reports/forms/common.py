"""What the reports' filters share: a record picked by its id (refused when unknown, as a 422 in
the API), how far a day may be from today, and a range of days with its default of the last
twelve months."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# A due date further than this from today is a typing slip (year 0202, 20266), not a question.
FURTHEST_YEARS = 100


class RecordChoice(forms.ModelChoiceField):
    """A record chosen by id, refused with the record's name in words ("There is no vendor 9.")."""

    def __init__(self, queryset: Any, words: str, **kwargs: Any) -> None:
        super().__init__(
            queryset,
            required=False,
            error_messages={"invalid_choice": f"There is no {words} “%(value)s”."},
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        # An id no column could hold would be an overflow in the database, not "no such record".
        text = str(value).strip() if value is not None else ""
        if text and (not text.isascii() or not text.isdigit() or len(text) > 18):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": text[:40]},
            )
        return super().to_python(value)


# A range longer than this is a typing slip too: the chart would have a column per month of it.
LONGEST_RANGE_YEARS = 25


def default_start(today: dt.date) -> dt.date:
    """The first day of the twelve months up to today: the month eleven before this one."""
    month = today.year * 12 + today.month - 1 - 11
    return dt.date(month // 12, month % 12 + 1, 1)


def range_day(label: str, help_text: str = "") -> forms.DateField:
    """A day of a report's range, typed or picked (YYYY-MM-DD), empty for the default."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
        error_messages={"invalid": "Write the date as YYYY-MM-DD."},
    )


class DateRangeForm(forms.Form):
    """A report's range of days, ``start`` to ``end`` (both included; default: the last twelve
    months, the current one up to today): a day a century away or a range that ends before it
    starts or spans more than ``LONGEST_RANGE_YEARS`` is refused beside its field."""

    start = range_day("From")
    end = range_day("To", "Both days included.")

    def __init__(self, data: Mapping[str, Any], *, today: dt.date) -> None:
        # The default range is written into the fields, so the page shows what it reports on.
        filled = dict(data.items())
        for name, value in [("start", default_start(today)), ("end", today)]:
            if not str(filled.get(name) or "").strip():
                filled[name] = value.isoformat()
        super().__init__(filled)
        self.today = today

    def _day(self, name: str) -> dt.date:
        value = self.cleaned_data[name]
        if abs(value.year - self.today.year) > FURTHEST_YEARS:
            raise ValidationError(
                f"{value.isoformat()} is more than {FURTHEST_YEARS} years from today: "
                "check the year.",
                code="absurd_date",
            )
        return value

    def clean_start(self) -> dt.date:
        return self._day("start")

    def clean_end(self) -> dt.date:
        return self._day("end")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None:
            if end < start:
                self.add_error(
                    "end",
                    f"The range ends ({end.isoformat()}) before it starts ({start.isoformat()}): "
                    "swap the dates.",
                )
            elif end.year - start.year > LONGEST_RANGE_YEARS:
                self.add_error(
                    "start",
                    f"A range of more than {LONGEST_RANGE_YEARS} years is too long for one "
                    "report: check the years.",
                )
        return data
