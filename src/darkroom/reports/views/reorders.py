"""The reorders report's pages: the report, its Excel file and its PDF.

As the status reports (``views/status.py``): the filter lives in the address, a refused value
is shown beside its field and the report isn't run, and a range without reorders says so.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from darkroom.formats import format_date
from darkroom.pdf_files import pdf_response
from darkroom.reports.charts import ColumnChart, stacked_columns
from darkroom.reports.documents.reorders import REORDER_HEADERS, reorders_pdf, reorders_xlsx
from darkroom.reports.forms.reorders import ReordersForm, reorders_params
from darkroom.reports.registry import REORDERS
from darkroom.reports.selectors.reorders import (
    ReordersFilter,
    ReorderTotals,
    reorder_page,
    reorder_totals,
)
from darkroom.studio.access import check_permission, requires
from darkroom.studio.selectors import studio_preferences

TEMPLATE = "reports/reorders.html"


def described(f: ReordersFilter, form: ReordersForm) -> list[str]:
    """The filter in words, for the page's empty state and the printed report's heading."""
    data = form.cleaned_data
    words = [f"Ordered {format_date(f.start)} – {format_date(f.end)}"]
    words.append(f"at {data['vendor'].name}" if data.get("vendor") else "all vendors")
    words.append(f"reason {data['reason'].description}" if data.get("reason") else "all reasons")
    return words


def _filtered(request: HttpRequest) -> tuple[ReordersForm, ReordersFilter | None]:
    check_permission(request, REORDERS.permission)
    form = ReordersForm(request.GET, today=studio_preferences().today())
    return form, form.report_filter() if form.is_valid() else None


def _link(name: str, f: ReordersFilter, **more: str) -> str:
    return f"{reverse(name)}?{urlencode([*reorders_params(f), *more.items()])}"


def month_chart(totals: ReorderTotals) -> ColumnChart:
    several_years = len({m.month.year for m in totals.months}) > 1
    return stacked_columns(
        "Reorders per month, chargeable and the vendor's fault",
        [
            (
                m.month.strftime("%b %Y" if several_years else "%b"),
                m.chargeable.count,
                m.non_chargeable.count,
            )
            for m in totals.months
        ],
        ("Chargeable", "Vendor's fault"),
    )


@require_GET
@requires()
def reorders_report(request: HttpRequest) -> HttpResponse:
    """The reorders of the range: figures per reason (chargeable or not), per vendor and per
    month (a chart and its table), a page of rows, links to Excel and PDF."""
    form, f = _filtered(request)
    context: dict[str, Any] = {"report": REORDERS, "form": form, "f": f}
    page = None
    if f is not None:
        try:
            page = reorder_page(f, cursor=request.GET.get("cursor") or None)
        except ValidationError as exc:  # a cursor typed or cut short by hand
            context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
    if f is not None and page is not None:
        totals = reorder_totals(f)
        context.update(
            totals=totals,
            all=totals.all,
            page=page,
            headers=REORDER_HEADERS,
            described=described(f, form),
            chart=month_chart(totals) if totals.all.count else None,
            xlsx_url=_link("reports:reorders-xlsx", f),
            pdf_url=_link("reports:reorders-pdf", f),
            next_url=(
                _link("reports:reorders", f, cursor=page.next_cursor) if page.next_cursor else None
            ),
            first_url=_link("reports:reorders", f) if request.GET.get("cursor") else None,
        )
    return render(request, TEMPLATE, context, status=200 if page is not None else 400)


@require_GET
@requires()
def reorders_report_xlsx(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": REORDERS, "form": form}, status=400)
    return reorders_xlsx(f, f"reorders-{f.start.isoformat()}-{f.end.isoformat()}")


@require_GET
@requires()
def reorders_report_pdf(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": REORDERS, "form": form}, status=400)
    studio = studio_preferences()
    pdf = reorders_pdf(f, reorder_totals(f), described=described(f, form), studio=studio)
    return pdf_response(pdf, f"reorders-{f.start.isoformat()}-{f.end.isoformat()}")
