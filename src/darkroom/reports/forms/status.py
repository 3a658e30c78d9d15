"""The status reports' filter: orders (production or proof), sessions or invoices by status, type,
person, vendor and due date, and its sort."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from darkroom.catalog.models import ProductionOrderType, Vendor
from darkroom.reports.forms.common import (
    FURTHEST_YEARS,
    RecordChoice,
)
from darkroom.reports.selectors.status_report import (
    ORDERS,
    PREPRODUCTION,
    PRODUCTION,
    SORTS,
    STAGES,
    StatusReportFilter,
)
from darkroom.tracking.models import Status


class _UserChoice(RecordChoice):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class _StatusChoice(RecordChoice):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cycle.name}: {obj.description}"


class _OfferedStatuses(ModelChoiceIterator):
    """The statuses a report's list offers, read only when the list is drawn."""

    def __init__(self, field: forms.ModelChoiceField, queryset: Any) -> None:
        super().__init__(field)
        self.queryset = queryset


class StatusReportForm(forms.Form):
    """The filter of one status report (``report``: orders, sessions or invoices)."""

    stage = forms.ChoiceField(
        label="Orders", choices=list(STAGES.items()), required=False, initial=PRODUCTION
    )
    order_type = RecordChoice(
        ProductionOrderType.objects.order_by("name", "pk"),
        "order type",
        label="Order type",
        empty_label="All order types",
    )
    status = _StatusChoice(
        Status.objects.select_related("cycle").order_by("cycle__name", "cycle_id", "position"),
        "status",
        empty_label="All statuses",
    )
    due_by = forms.DateField(
        label="Due by",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Open records due on or before this day; empty: all open records.",
        error_messages={"invalid": "Write the date as YYYY-MM-DD."},
    )
    user = _UserChoice(
        get_user_model().objects.order_by("first_name", "last_name", "username"),
        "person",
        label="Person",
        empty_label="Everyone",
    )
    vendor = RecordChoice(
        Vendor.objects.order_by("name", "pk"), "vendor", empty_label="All vendors"
    )
    sort = forms.ChoiceField(
        label="Sort by", choices=list(SORTS.items()), required=False, initial="number"
    )

    def __init__(self, data: Mapping[str, Any] | None, *, report: str, today: dt.date) -> None:
        super().__init__(data)
        self.report = report
        self.today = today
        # Any status is read (one of another cycle gets a message that says so); the list
        # offers the report's own.
        status_field = self.fields["status"]
        assert isinstance(status_field, _StatusChoice)
        offered = status_field.queryset.filter(cycle__kind__in=self._cycle_kinds())  # type: ignore[union-attr]
        status_field.widget.choices = _OfferedStatuses(status_field, offered)  # type: ignore[attr-defined]
        if report != ORDERS:
            for name in ("stage", "order_type", "vendor"):
                del self.fields[name]

    def _cycle_kinds(self) -> list[str]:
        if self.report == ORDERS:
            return [PRODUCTION, PREPRODUCTION]
        return ["session" if self.report == "sessions" else "invoice"]

    def clean_stage(self) -> str:
        return self.cleaned_data.get("stage") or PRODUCTION

    def clean_sort(self) -> str:
        return self.cleaned_data.get("sort") or "number"

    def clean_due_by(self) -> dt.date | None:
        day = self.cleaned_data.get("due_by")
        if day is not None and abs(day.year - self.today.year) > FURTHEST_YEARS:
            raise ValidationError(
                f"{day.isoformat()} is more than {FURTHEST_YEARS} years from today: "
                "check the year.",
                code="absurd_date",
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage = data.get("stage") or PRODUCTION
        status, order_type = data.get("status"), data.get("order_type")
        if self.report == ORDERS and stage == PREPRODUCTION and order_type is not None:
            self.add_error(
                "order_type", "Preproduction orders have no order type: choose all order types."
            )
        if status is not None:
            wanted = stage if self.report == ORDERS else self._cycle_kinds()[0]
            if status.cycle.kind != wanted:
                self.add_error(
                    "status",
                    f"“{status.description}” is a status of the {status.cycle.name} cycle, not "
                    f"of {self._records(stage)}: choose one of theirs.",
                )
            elif (
                order_type is not None
                and status.cycle.order_type_id is not None
                and status.cycle.order_type_id != order_type.pk
            ):
                self.add_error(
                    "status",
                    f"“{status.description}” belongs to the {status.cycle.name} cycle, not to "
                    f"{order_type.name} orders.",
                )
        return data

    def _records(self, stage: str) -> str:
        if self.report == ORDERS:
            return f"{STAGES[stage].lower()} orders"
        return self.report

    def report_filter(self) -> StatusReportFilter:
        """The filter of a valid form."""
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            record = data.get(name)
            return None if record is None else int(record.pk)

        return StatusReportFilter(
            report=self.report,
            stage=data.get("stage", PRODUCTION) if self.report == ORDERS else PRODUCTION,
            order_type=pk("order_type"),
            status=pk("status"),
            due_by=data.get("due_by"),
            user=pk("user"),
            vendor=pk("vendor"),
            sort=data.get("sort") or "number",
        )


def parse_status_report(
    params: Mapping[str, Any], *, report: str, today: dt.date
) -> StatusReportFilter:
    """The filter a query string asks for; ``ValidationError({parameter: [message]})`` if any
    value is refused (the API answers it with 422)."""
    form = StatusReportForm(params, report=report, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def report_params(f: StatusReportFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f`` (defaults left out): exports and next pages."""
    params: list[tuple[str, str]] = []
    if f.report == ORDERS and f.stage != PRODUCTION:
        params.append(("stage", f.stage))
    for name in ("order_type", "status", "user", "vendor"):
        value = getattr(f, name)
        if value is not None:
            params.append((name, str(value)))
    if f.due_by is not None:
        params.append(("due_by", f.due_by.isoformat()))
    if f.sort != "number":
        params.append(("sort", f.sort))
    return params
