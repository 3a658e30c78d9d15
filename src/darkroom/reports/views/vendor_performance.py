"""The vendor performance report's pages: the report, its Excel file and its PDF.

As the other reports: the filter lives in the address, a refused value is shown beside its
field and the report isn't run (400), and a range with nothing in it says why.
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
from darkroom.reports.charts import PercentChart, percent_lines
from darkroom.reports.documents.vendor_performance import (
    vendor_performance_pdf,
    vendor_performance_xlsx,
)
from darkroom.reports.forms.vendor_performance import (
    VendorPerformanceForm,
    vendor_performance_params,
)
from darkroom.reports.registry import VENDOR_PERFORMANCE
from darkroom.reports.selectors.vendor_performance import (
    VendorPerformanceFilter,
    VendorPerformanceReport,
    vendor_performance,
)
from darkroom.studio.access import check_permission, requires
from darkroom.studio.selectors import studio_preferences

TEMPLATE = "reports/vendor_performance.html"


def described(f: VendorPerformanceFilter, form: VendorPerformanceForm) -> list[str]:
    """The filter in words, for the page and the printed report's heading."""
    vendor = form.cleaned_data.get("vendor")
    return [
        f"{format_date(f.start)} – {format_date(f.end)}",
        f"at {vendor.name}" if vendor else "all vendors",
    ]


def _filtered(
    request: HttpRequest,
) -> tuple[VendorPerformanceForm, VendorPerformanceFilter | None]:
    check_permission(request, VENDOR_PERFORMANCE.permission)
    form = VendorPerformanceForm(request.GET, today=studio_preferences().today())
    return form, form.report_filter() if form.is_valid() else None


def _link(name: str, f: VendorPerformanceFilter) -> str:
    return f"{reverse(name)}?{urlencode(vendor_performance_params(f))}"


def trend_chart(report: VendorPerformanceReport) -> PercentChart:
    several_years = len({m.month.year for m in report.months}) > 1
    return percent_lines(
        "On time, month by month",
        [m.month.strftime("%b %Y" if several_years else "%b") for m in report.months],
        [
            ("Steps on time to their due date", [m.on_time_percent for m in report.months]),
            ("Orders on time to the promise", [m.promise_percent for m in report.months]),
        ],
    )


@require_GET
@requires()
def vendor_performance_report(request: HttpRequest) -> HttpResponse:
    """Each vendor's figures over the range, the trend by month (a chart and its table), the
    reorders' reasons, links to Excel and PDF."""
    form, f = _filtered(request)
    context: dict[str, Any] = {"report": VENDOR_PERFORMANCE, "form": form, "f": f}
    if f is not None:
        figures = vendor_performance(f, today=studio_preferences().today())
        context.update(
            totals=figures,
            described=described(f, form),
            chart=None if figures.is_empty else trend_chart(figures),
            xlsx_url=_link("reports:vendor-performance-xlsx", f),
            pdf_url=_link("reports:vendor-performance-pdf", f),
        )
    return render(request, TEMPLATE, context, status=200 if f is not None else 400)


def _filename(f: VendorPerformanceFilter) -> str:
    return f"vendor-performance-{f.start.isoformat()}-{f.end.isoformat()}"


@require_GET
@requires()
def vendor_performance_report_xlsx(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": VENDOR_PERFORMANCE, "form": form}, status=400)
    figures = vendor_performance(f, today=studio_preferences().today())
    return vendor_performance_xlsx(figures, _filename(f))


@require_GET
@requires()
def vendor_performance_report_pdf(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": VENDOR_PERFORMANCE, "form": form}, status=400)
    studio = studio_preferences()
    figures = vendor_performance(f, today=studio.today())
    pdf = vendor_performance_pdf(figures, described=described(f, form), studio=studio)
    return pdf_response(pdf, _filename(f))
