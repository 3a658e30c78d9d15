"""The time-in-status report's pages: the report, its Excel file and its PDF.

As the other reports (``views/reorders.py``): the filter lives in the address, a refused value
is shown beside its field and the report isn't run, and a range without steps says so.
"""

from __future__ import annotations

import calendar
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from darkroom.pdf_files import pdf_response
from darkroom.reports.charts import DurationChart, duration_bars
from darkroom.reports.documents.time_in_status import (
    HEADERS,
    PERCENTILES,
    figure_words,
    time_in_status_pdf,
    time_in_status_xlsx,
)
from darkroom.reports.forms.time_in_status import TimeInStatusForm, time_in_status_params
from darkroom.reports.registry import TIME_IN_STATUS
from darkroom.reports.selectors.time_in_status import (
    TimeInStatus,
    TimeInStatusFilter,
    time_in_status,
)
from darkroom.studio.access import check_permission, requires
from darkroom.studio.selectors import studio_preferences

TEMPLATE = "reports/time_in_status.html"


def months_words(f: TimeInStatusFilter) -> str:
    """The whole months read, in words: "January 2026 – December 2026"."""
    first, last = f.first_day, f.last_day
    if (first.year, first.month) == (last.year, last.month):
        return f"{calendar.month_name[first.month]} {first.year}"
    return (
        f"{calendar.month_name[first.month]} {first.year} – "
        f"{calendar.month_name[last.month]} {last.year}"
    )


def described(f: TimeInStatusFilter, form: TimeInStatusForm) -> list[str]:
    """The filter in words, for the page's empty state and the printed report's heading."""
    data = form.cleaned_data
    words = [f"{data['cycle'].name} cycle", f"steps left {months_words(f)} (whole months)"]
    if data.get("order_type") is not None:
        words.append(f"order type {data['order_type'].name}")
    words.append(f"at {data['vendor'].name}" if data.get("vendor") else "all vendors")
    return words


def _filtered(request: HttpRequest) -> tuple[TimeInStatusForm, TimeInStatusFilter | None]:
    check_permission(request, TIME_IN_STATUS.permission)
    form = TimeInStatusForm(request.GET, today=studio_preferences().today())
    return form, form.report_filter() if form.is_valid() else None


def _link(name: str, f: TimeInStatusFilter) -> str:
    return f"{reverse(name)}?{urlencode(time_in_status_params(f))}"


def status_chart(report: TimeInStatus) -> DurationChart:
    return duration_bars(
        "Business days per status: median and 90th percentile against the plan",
        [(s.status, s.median, s.p90, s.planned) for s in report.statuses],
    )


@require_GET
@requires()
def time_in_status_report(request: HttpRequest) -> HttpResponse:
    """The cycle's statuses with their figures (a chart and its table), links to Excel and
    PDF."""
    form, f = _filtered(request)
    context: dict[str, Any] = {"report": TIME_IN_STATUS, "form": form, "f": f}
    if f is None:
        return render(request, TEMPLATE, context, status=400)
    figures = time_in_status(f, today=studio_preferences().today())
    context.update(
        totals=figures,
        headers=HEADERS,
        rows=[(s, figure_words(s)) for s in figures.statuses],
        described=described(f, form),
        explained=PERCENTILES,
        chart=status_chart(figures) if figures.passed else None,
        xlsx_url=_link("reports:time-in-status-xlsx", f),
        pdf_url=_link("reports:time-in-status-pdf", f),
    )
    return render(request, TEMPLATE, context)


def _filename(f: TimeInStatusFilter) -> str:
    return f"time-in-status-{f.first_day:%Y-%m}-{f.last_day:%Y-%m}"


@require_GET
@requires()
def time_in_status_xlsx_view(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": TIME_IN_STATUS, "form": form}, status=400)
    figures = time_in_status(f, today=studio_preferences().today())
    return time_in_status_xlsx(figures, _filename(f))


@require_GET
@requires()
def time_in_status_pdf_view(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": TIME_IN_STATUS, "form": form}, status=400)
    studio = studio_preferences()
    figures = time_in_status(f, today=studio.today())
    pdf = time_in_status_pdf(
        figures,
        described=described(f, form),
        studio=studio,
        chart=status_chart(figures) if figures.passed else None,
    )
    return pdf_response(pdf, _filename(f))
