"""The workload report's pages: the report, its Excel file and its PDF.

As the other reports: the filter lives in the address, a refused value is shown beside its field
and the report isn't run, and a range with nothing in it says so.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from darkroom.formats import format_date
from darkroom.pdf_files import pdf_response
from darkroom.reports.charts import LineChart, StackedChart, stacked_parts, week_lines
from darkroom.reports.documents.workload import NOTHING, workload_pdf, workload_xlsx
from darkroom.reports.forms.workload import WorkloadForm, workload_params
from darkroom.reports.registry import WORKLOAD
from darkroom.reports.selectors.status_report import STAGES
from darkroom.reports.selectors.workload import (
    WEEKDAYS,
    Workload,
    WorkloadFilter,
    first_weekday,
    workload,
)
from darkroom.studio.access import check_permission, requires
from darkroom.studio.selectors import studio_preferences

TEMPLATE = "reports/workload.html"


def described(f: WorkloadFilter, form: WorkloadForm) -> list[str]:
    """The filter in words, for the page's empty state and the printed report's heading."""
    order_type = form.cleaned_data.get("order_type")
    return [
        f"{STAGES[f.stage]} orders",
        f"order type {order_type.name}" if order_type is not None else "all order types",
        f"weeks from {format_date(f.start)} to {format_date(f.end)}",
        f"weeks start on {WEEKDAYS[f.weekday]}",
    ]


def _filtered(request: HttpRequest) -> tuple[WorkloadForm, WorkloadFilter | None]:
    check_permission(request, WORKLOAD.permission)
    studio = studio_preferences()
    form = WorkloadForm(request.GET, today=studio.today(), weekday=first_weekday(studio.work_days))
    return form, form.report_filter() if form.is_valid() else None


def _link(name: str, f: WorkloadFilter) -> str:
    return f"{reverse(name)}?{urlencode(workload_params(f))}"


def _label(totals: Workload) -> Any:
    several_years = len({w.week.year for w in totals.weeks}) > 1
    return lambda d: f"{d.day} {d:%b %y}" if several_years else f"{d.day} {d:%b}"


def flow_chart(totals: Workload) -> LineChart:
    label = _label(totals)
    return week_lines(
        "Orders entered and finished per week",
        [label(w.week) for w in totals.weeks],
        [
            ("Entered", "entered", [w.entered for w in totals.weeks]),
            ("Finished", "finished", [w.finished for w in totals.weeks]),
        ],
    )


def backlog_chart(totals: Workload) -> StackedChart:
    label = _label(totals)
    return stacked_parts(
        "Open orders per status at each week's end",
        [(label(w.week), [w.backlog[s.key] for s in totals.statuses]) for w in totals.weeks],
        [s.name for s in totals.statuses],
    )


@require_GET
@requires()
def workload_report(request: HttpRequest) -> HttpResponse:
    """The weeks of the range: entered against finished (a chart and its table), the backlog
    per status at each week's end (a chart and its table), links to Excel and PDF."""
    form, f = _filtered(request)
    context: dict[str, Any] = {"report": WORKLOAD, "form": form, "f": f}
    if f is not None:
        totals = workload(f)
        context.update(
            totals=totals,
            described=described(f, form),
            nothing=NOTHING,
            last=totals.weeks[-1] if totals.weeks else None,
            flow_chart=None if totals.empty else flow_chart(totals),
            backlog_chart=backlog_chart(totals) if totals.statuses else None,
            xlsx_url=_link("reports:workload-xlsx", f),
            pdf_url=_link("reports:workload-pdf", f),
        )
    return render(request, TEMPLATE, context, status=200 if f is not None else 400)


@require_GET
@requires()
def workload_report_xlsx(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": WORKLOAD, "form": form}, status=400)
    return workload_xlsx(workload(f), f"workload-{f.start.isoformat()}-{f.end.isoformat()}")


@require_GET
@requires()
def workload_report_pdf(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": WORKLOAD, "form": form}, status=400)
    pdf = workload_pdf(workload(f), described=described(f, form), studio=studio_preferences())
    return pdf_response(pdf, f"workload-{f.start.isoformat()}-{f.end.isoformat()}")
