"""The Reports section's pages: the index, and each status report with its Excel file and PDF.

The filter lives in the address (a GET form), so a report can be bookmarked, and its export
links carry the same filter. A refused value is shown beside its field and the report isn't
run (no 500, nothing guessed); a filter that matches nothing says so.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from darkroom.formats import format_date, format_money
from darkroom.pdf_files import pdf_response
from darkroom.reports.charts import bar_chart
from darkroom.reports.documents.status import headers, report_pdf, report_xlsx
from darkroom.reports.forms.status import StatusReportForm, report_params
from darkroom.reports.registry import REPORTS, STATUS_REPORTS, Report
from darkroom.reports.selectors.status_report import (
    ORDERS,
    SORTS,
    STAGES,
    StatusReportFilter,
    StatusTotals,
    report_page,
    status_totals,
)
from darkroom.studio.access import check_permission, may, requires
from darkroom.studio.selectors import studio_preferences


def _report(request: HttpRequest, slug: str) -> Report:
    report = STATUS_REPORTS.get(slug)
    if report is None:
        raise Http404("No such report.")
    check_permission(request, report.permission)
    return report


@require_GET
@requires()
def report_index(request: HttpRequest) -> HttpResponse:
    """Every report the person's role may see."""
    reports = [r for r in REPORTS.values() if may(request, r.permission)]
    return render(request, "reports/index.html", {"reports": reports})


def described(report: Report, f: StatusReportFilter, form: StatusReportForm) -> list[str]:
    """The filter in words, for the page's empty state and the printed report's heading."""
    data = form.cleaned_data
    words = [f"{STAGES[f.stage]} orders"] if f.report == ORDERS else [f"Open {f.report}"]
    if data.get("order_type") is not None:
        words.append(f"order type {data['order_type'].name}")
    if data.get("status") is not None:
        words.append(f"in {data['status'].description}")
    else:
        words.append("all statuses")
    words.append(f"due by {format_date(f.due_by)}" if f.due_by else "all open")
    if data.get("user") is not None:
        user = data["user"]
        words.append(f"assigned to {user.get_full_name() or user.get_username()}")
    if data.get("vendor") is not None:
        words.append(f"at {data['vendor'].name}")
    words.append(f"sorted by {SORTS[f.sort].lower()}")
    return words


def _filtered(
    request: HttpRequest, slug: str
) -> tuple[Report, StatusReportForm, StatusReportFilter | None]:
    report = _report(request, slug)
    form = StatusReportForm(request.GET, report=report.kind, today=studio_preferences().today())
    f = form.report_filter() if form.is_valid() else None
    return report, form, f


def _link(name: str, slug: str, f: StatusReportFilter, **more: str) -> str:
    query = urlencode([*report_params(f), *more.items()])
    url = reverse(name, args=[slug])
    return f"{url}?{query}" if query else url


def _chart(report: Report, f: StatusReportFilter, totals: StatusTotals) -> Any:
    what = "Invoice value and count" if f.has_value else "Count"
    # The cycle is named only when statuses of several cycles (order types) are shown.
    several = len({s.cycle for s in totals.statuses}) > 1
    return bar_chart(
        f"{what} of open records per status",
        [
            (f"{s.status} ({s.cycle})" if several else s.status, s.count, s.invoice_value)
            for s in totals.statuses
        ],
        by_value=f.has_value,
    )


@require_GET
@requires()
def status_report(request: HttpRequest, slug: str) -> HttpResponse:
    """A status report: the filter, the totals per status (words, chart and table), a page of
    rows, and links to the same report in Excel and PDF."""
    report, form, f = _filtered(request, slug)
    context: dict[str, Any] = {"report": report, "form": form, "f": f}
    page = None
    if f is not None:
        try:
            page = report_page(f, cursor=request.GET.get("cursor") or None)
        except ValidationError as exc:  # a cursor typed or cut short by hand
            context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
    if f is not None and page is not None:
        totals = status_totals(f)
        context.update(
            totals=totals,
            page=page,
            headers=headers(report, f),
            described=described(report, f, form),
            chart=_chart(report, f, totals) if totals.statuses else None,
            xlsx_url=_link("reports:report-xlsx", slug, f),
            pdf_url=_link("reports:report-pdf", slug, f),
            next_url=(
                _link("reports:report", slug, f, cursor=page.next_cursor)
                if page.next_cursor
                else None
            ),
            first_url=_link("reports:report", slug, f) if request.GET.get("cursor") else None,
            headline=_headline(f, totals),
        )
    status = 200 if page is not None else 400
    return render(request, "reports/status_report.html", context, status=status)


def _headline(f: StatusReportFilter, totals: StatusTotals) -> str:
    """ "$2,592 of orders sitting on your shelf" (the product's words), for the whole filter."""
    records = {"orders": "orders", "sessions": "sessions", "invoices": "invoices"}[f.report]
    count = f"{totals.count:,} open {records if totals.count != 1 else records[:-1]}"
    if not f.has_value:
        return count
    return f"{format_money(totals.invoice_value)} of {records} sitting on your shelf ({count})"


@require_GET
@requires()
def status_report_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    report, form, f = _filtered(request, slug)
    if f is None:
        return render(
            request, "reports/status_report.html", {"report": report, "form": form}, status=400
        )
    return report_xlsx(report, f, f"{slug}-{studio_preferences().today().isoformat()}")


@require_GET
@requires()
def status_report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    report, form, f = _filtered(request, slug)
    if f is None:
        return render(
            request, "reports/status_report.html", {"report": report, "form": form}, status=400
        )
    studio = studio_preferences()
    pdf = report_pdf(
        report, f, status_totals(f), described=described(report, f, form), studio=studio
    )
    return pdf_response(pdf, f"{slug}-{studio.today().isoformat()}")
