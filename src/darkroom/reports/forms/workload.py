"""The workload report's filter: production or proof orders, an order type, a range of weeks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from darkroom.catalog.models import ProductionOrderType
from darkroom.reports.forms.common import DateRangeForm, RecordChoice, range_day
from darkroom.reports.selectors.status_report import PREPRODUCTION, PRODUCTION, STAGES
from darkroom.reports.selectors.workload import (
    DEFAULT_WEEKS,
    WEEKDAYS,
    WorkloadFilter,
    week_of,
)

# More weeks than this is a typing slip: the chart has a column per week.
MOST_WEEKS = 5 * 53


class WorkloadForm(DateRangeForm):
    """The workload report's filter. The range is made whole weeks (the studio's: ``weekday``
    is its first day): a first day inside a week reads from that week's start, a last day to
    that week's end. Default: the last fifty-two weeks, this one included."""

    stage = forms.ChoiceField(
        label="Orders", choices=list(STAGES.items()), required=False, initial=PRODUCTION
    )
    order_type = RecordChoice(
        ProductionOrderType.objects.order_by("name", "pk"),
        "order type",
        label="Order type",
        empty_label="All order types",
    )
    start = range_day("Weeks from")
    end = range_day("Weeks to", "Whole weeks: both days' weeks included.")

    def __init__(self, data: Mapping[str, Any], *, today: dt.date, weekday: int) -> None:
        filled = dict(data.items())
        this_week = week_of(today, weekday)
        for name, value in [
            ("start", this_week - dt.timedelta(weeks=DEFAULT_WEEKS - 1)),
            ("end", this_week + dt.timedelta(days=6)),
        ]:
            if not str(filled.get(name) or "").strip():
                filled[name] = value.isoformat()
        super().__init__(filled, today=today)
        self.weekday = weekday
        self.fields[
            "end"
        ].help_text = f"Whole weeks, starting on {WEEKDAYS[weekday]}: both days' weeks included."

    def clean_stage(self) -> str:
        return self.cleaned_data.get("stage") or PRODUCTION

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end >= start:
            weeks = ((end - week_of(start, self.weekday)).days) // 7 + 1
            if weeks > MOST_WEEKS:
                self.add_error(
                    "start",
                    f"{weeks:,} weeks are too many for one chart (at most {MOST_WEEKS}, about "
                    "five years): choose a shorter range.",
                )
        if data.get("stage") == PREPRODUCTION and data.get("order_type") is not None:
            self.add_error(
                "order_type",
                "Proof orders have no order type: choose all order types, or production orders.",
            )
        return data

    def report_filter(self) -> WorkloadFilter:
        """The filter of a valid form, its range made whole weeks."""
        data = self.cleaned_data
        order_type = data.get("order_type")
        return WorkloadFilter(
            start=week_of(data["start"], self.weekday),
            end=week_of(data["end"], self.weekday) + dt.timedelta(days=6),
            stage=data["stage"],
            order_type=None if order_type is None else int(order_type.pk),
            weekday=self.weekday,
        )


def parse_workload(params: Mapping[str, Any], *, today: dt.date, weekday: int) -> WorkloadFilter:
    """The workload filter a query string asks for; ``ValidationError({parameter: [message]})``
    if any value is refused (the API answers it with 422)."""
    form = WorkloadForm(params, today=today, weekday=weekday)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def workload_params(f: WorkloadFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always (a link keeps its meaning
    tomorrow), the orders, and the order type when chosen."""
    params = [("stage", f.stage), ("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.order_type is not None:
        params.append(("order_type", str(f.order_type)))
    return params
