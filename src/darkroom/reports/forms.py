"""The reports' filters, read from the address (a GET form) the same way by the pages,
the exports and the API, so a bookmarked report, its Excel file, its PDF and an integrator's
request mean the same records. A bad value is refused beside its field (the page) or as a 422
naming the parameter (the API), never silently dropped: a filter that named nothing would show
every record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from darkroom.catalog.models import ProductionOrderType, ReorderReason, Vendor
from darkroom.clients.models import Client, SessionType
from darkroom.reports.selectors.profit import GROUPINGS, SESSION_TYPE, ProfitFilter
from darkroom.reports.selectors.reorders import ReordersFilter
from darkroom.reports.selectors.status_report import (
    ORDERS,
    PREPRODUCTION,
    PRODUCTION,
    SORTS,
    STAGES,
    StatusReportFilter,
)
from darkroom.tracking.models import Status

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


# A range longer than this is a typing slip too: the chart would have a column per month of it.
LONGEST_RANGE_YEARS = 25


def default_start(today: dt.date) -> dt.date:
    """The first day of the twelve months up to today: the month eleven before this one."""
    month = today.year * 12 + today.month - 1 - 11
    return dt.date(month // 12, month % 12 + 1, 1)


def _range_day(label: str, help_text: str = "") -> forms.DateField:
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

    start = _range_day("From")
    end = _range_day("To", "Both days included.")

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


class ReordersForm(DateRangeForm):
    """The reorders report's filter: a range of order dates (default: the last twelve months, the
    current one up to today), one vendor or all, one reason or all."""

    start = _range_day("Ordered from")
    end = _range_day("Ordered to", "Both days included.")
    vendor = RecordChoice(
        Vendor.objects.order_by("name", "pk"), "vendor", empty_label="All vendors"
    )
    reason = RecordChoice(
        ReorderReason.objects.order_by("description", "pk"),
        "reorder reason",
        label="Reason",
        empty_label="All reasons",
    )

    def report_filter(self) -> ReordersFilter:
        """The filter of a valid form."""
        data = self.cleaned_data
        vendor, reason = data.get("vendor"), data.get("reason")
        return ReordersFilter(
            start=data["start"],
            end=data["end"],
            vendor=None if vendor is None else int(vendor.pk),
            reason=None if reason is None else int(reason.pk),
        )


def parse_reorders(params: Mapping[str, Any], *, today: dt.date) -> ReordersFilter:
    """The reorders filter a query string asks for; ``ValidationError({parameter: [message]})``
    if any value is refused (the API answers it with 422)."""
    form = ReordersForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter()


def reorders_params(f: ReordersFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always (a link keeps its meaning
    tomorrow), vendor and reason when chosen."""
    params = [("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.vendor is not None:
        params.append(("vendor", str(f.vendor)))
    if f.reason is not None:
        params.append(("reason", str(f.reason)))
    return params


class ProfitForm(DateRangeForm):
    """The profit analysis's filter: a range of invoice dates (default: the last twelve months),
    sessions of one type or all, one client or all, and the grouping. The client is chosen by
    id (a studio has too many for a list): the client's page links here with it filled in."""

    start = _range_day("Invoiced from")
    end = _range_day("Invoiced to", "Both days included.")
    group_by = forms.ChoiceField(
        label="Group by", choices=list(GROUPINGS.items()), required=False, initial=SESSION_TYPE
    )
    session_type = RecordChoice(
        SessionType.objects.order_by("position", "name", "pk"),
        "session type",
        label="Session type",
        empty_label="All session types",
    )
    client = RecordChoice(
        Client.objects.order_by("pk"),
        "client",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8}),
        help_text="A client's number; empty: every client.",
    )

    def clean_group_by(self) -> str:
        return self.cleaned_data.get("group_by") or SESSION_TYPE

    def report_filter(self, *, costs: str, group: str | None = None) -> ProfitFilter:
        """The filter of a valid form, with the studio's cost source (and the rows' group)."""
        data = self.cleaned_data
        session_type, client = data.get("session_type"), data.get("client")
        return ProfitFilter(
            start=data["start"],
            end=data["end"],
            group_by=data.get("group_by") or SESSION_TYPE,
            costs=costs,
            session_type=None if session_type is None else int(session_type.pk),
            client=None if client is None else int(client.pk),
            group=group,
        )


def parse_profit(
    params: Mapping[str, Any], *, today: dt.date, costs: str, group: str | None = None
) -> ProfitFilter:
    """The profit filter a query string asks for; ``ValidationError({parameter: [message]})``
    if any value is refused (the API answers it with 422)."""
    form = ProfitForm(params, today=today)
    if not form.is_valid():
        raise ValidationError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.report_filter(costs=costs, group=group)


def profit_params(f: ProfitFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f``: the range always, the rest when chosen."""
    params = [("start", f.start.isoformat()), ("end", f.end.isoformat())]
    if f.group_by != SESSION_TYPE:
        params.append(("group_by", f.group_by))
    if f.session_type is not None:
        params.append(("session_type", str(f.session_type)))
    if f.client is not None:
        params.append(("client", str(f.client)))
    return params
