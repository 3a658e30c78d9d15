"""The profit analysis's pages: the report, its Excel file and its PDF.

As the reorders report (``views/reorders.py``): the filter lives in the address, a refused value
is shown beside its field and the report isn't run, and a range without invoices says so. The
cost source is the studio's preference, said on the page (a manager changes it in Preferences).
A group's figures link to its sessions (``?group=<key>``), a page at a time.
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
from darkroom.reports.charts import MoneyChart, money_bars
from darkroom.reports.documents.profit import PROFIT_HEADERS, profit_pdf, profit_xlsx
from darkroom.reports.forms.profit import ProfitForm, profit_params
from darkroom.reports.registry import PROFIT
from darkroom.reports.selectors.profit import (
    COST_SOURCES,
    GROUPINGS,
    ProfitFilter,
    ProfitTotals,
    profit_page,
    profit_totals,
)
from darkroom.studio.access import check_permission, requires
from darkroom.studio.models import ProfitCosts
from darkroom.studio.selectors import studio_preferences

TEMPLATE = "reports/profit.html"
MOST_GROUP_CHARACTERS = 80  # a lead source's length


def described(f: ProfitFilter, form: ProfitForm) -> list[str]:
    """The filter in words, for the page's empty state and the printed report's heading."""
    data = form.cleaned_data
    words = [f"Invoiced {format_date(f.start)} – {format_date(f.end)}"]
    words.append(
        f"{data['session_type'].name} sessions" if data.get("session_type") else "all session types"
    )
    words.append(f"client {data['client'].name}" if data.get("client") else "all clients")
    words.append(f"by {GROUPINGS[f.group_by].lower()}")
    words.append(COST_SOURCES[f.costs])
    return words


def _filtered(request: HttpRequest) -> tuple[ProfitForm, ProfitFilter | None]:
    check_permission(request, PROFIT.permission)
    prefs = studio_preferences()
    form = ProfitForm(request.GET, today=prefs.today())
    if not form.is_valid():
        return form, None
    group = request.GET.get("group")
    group = None if group is None else group[:MOST_GROUP_CHARACTERS]
    return form, form.report_filter(costs=prefs.profit_costs, group=group)


def _link(name: str, f: ProfitFilter, **more: str) -> str:
    return f"{reverse(name)}?{urlencode([*profit_params(f), *more.items()])}"


def profit_chart(totals: ProfitTotals) -> MoneyChart:
    return money_bars(
        "Revenue, costs and profit per group",
        [(g.label, g.revenue, g.costs, g.profit) for g in totals.groups],
    )


@require_GET
@requires()
def profit_report(request: HttpRequest) -> HttpResponse:
    """The figures per group (a chart and its table, with the totals), a page of the sessions
    (of one group when one is chosen), links to Excel and PDF."""
    form, f = _filtered(request)
    context: dict[str, Any] = {"report": PROFIT, "form": form, "f": f}
    page = None
    if f is not None:
        try:
            page = profit_page(f, cursor=request.GET.get("cursor") or None)
        except ValidationError as exc:  # a cursor typed or cut short by hand
            context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
    if f is not None and page is not None:
        totals = profit_totals(f)
        for g in totals.groups:  # each group's figures link to its sessions
            g.url = _link("reports:profit", f, group=g.key) + "#sessions"
        more = {"group": f.group} if f.group is not None else {}
        group_label = None
        if f.group is not None:
            group_label = next((g.label for g in totals.groups if g.key == f.group), None)
        context.update(
            totals=totals,
            all=totals.all,
            page=page,
            headers=PROFIT_HEADERS,
            described=described(f, form),
            grouping=GROUPINGS[f.group_by],
            group_label=group_label,
            all_sessions_url=_link("reports:profit", f) if f.group is not None else None,
            chart=profit_chart(totals) if totals.all.invoices else None,
            costs_label=ProfitCosts(f.costs).label,
            xlsx_url=_link("reports:profit-xlsx", f, **more),
            pdf_url=_link("reports:profit-pdf", f),
            next_url=(
                _link("reports:profit", f, cursor=page.next_cursor, **more)
                if page.next_cursor
                else None
            ),
            first_url=_link("reports:profit", f, **more) if request.GET.get("cursor") else None,
        )
    return render(request, TEMPLATE, context, status=200 if page is not None else 400)


@require_GET
@requires()
def profit_report_xlsx(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": PROFIT, "form": form}, status=400)
    return profit_xlsx(f, f"profit-{f.start.isoformat()}-{f.end.isoformat()}")


@require_GET
@requires()
def profit_report_pdf(request: HttpRequest) -> HttpResponse:
    form, f = _filtered(request)
    if f is None:
        return render(request, TEMPLATE, {"report": PROFIT, "form": form}, status=400)
    studio = studio_preferences()
    pdf = profit_pdf(f, profit_totals(f), described=described(f, form), studio=studio)
    return pdf_response(pdf, f"profit-{f.start.isoformat()}-{f.end.isoformat()}")
