"""Where the studio looks at orders beyond the hub: the "Production" section of a client's,
a session's and an invoice's page, and the all-orders list (open and finished) with its
Excel export.

The section and the list read through ``production.selectors.orders_of`` and
``production.order_list``; overdue, due today and at risk are the hub's rule
(``tracking/standing.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from darkroom.clients.models import Client, Invoice, Session
from darkroom.order_choices import order_choices
from darkroom.production.order_list.filters import PROOFS_TYPE, SORT_KEYS, OrderListFilter
from darkroom.production.order_list.pages import iter_orders, order_list_page
from darkroom.production.selectors import OrderRow, OrdersOf, orders_of
from darkroom.spreadsheets import xlsx_file_response
from darkroom.studio.access import may, requires
from darkroom.tracking.forms import studio_today

VIEW_ORDERS = "production.view_productionorder"
VIEW_PROOF_ORDERS = "production.view_preproductionorder"
PAGE_SIZE = 50


# The section on a client's, session's or invoice's page ---------------------------------------


def orders_section(
    request: HttpRequest,
    *,
    client: Client | None = None,
    session: Session | None = None,
    invoice: Invoice | None = None,
    print_form: str = "",
) -> dict[str, Any]:
    """``{"production": …}`` for ``production/orders_section.html`` (None: the person may not
    see orders). Proof orders are left out for someone who may not see them."""
    see_orders, see_proofs = may(request, VIEW_ORDERS), may(request, VIEW_PROOF_ORDERS)
    if not (see_orders or see_proofs):
        return {"production": None}
    found = orders_of(
        client=client.pk if client else None,
        session=session.pk if session else None,
        invoice=invoice,
        today=studio_today(request),
    )
    if not (see_orders and see_proofs):
        keep = "production" if see_orders else "preproduction"
        found = OrdersOf(
            open=[r for r in found.open if r.kind == keep],
            finished=[r for r in found.finished if r.kind == keep],
            more_finished=found.more_finished,
        )
    scope = (
        {"client": client.pk}
        if client
        else {"session": session.pk}
        if session
        else {"invoice": invoice.pk}
        if invoice
        else {}
    )
    list_url = f"{reverse('production:order-list')}?{urlencode(scope)}"
    return {"production": {"orders": found, "list_url": list_url, "print_form": print_form}}


# The all-orders list ---------------------------------------------------------------------------

STATE_CHOICES = [("all", "Both"), ("open", "Open"), ("finished", "Finished")]


class OrderListForm(forms.Form):
    """The list's filter bar (the query string); the API takes the same names."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    state = forms.ChoiceField(label="Open or finished", choices=STATE_CHOICES, required=False)
    status = forms.TypedChoiceField(label="Status", required=False, coerce=int, empty_value=None)
    type = forms.ChoiceField(label="Type", required=False)
    vendor = forms.TypedChoiceField(label="Vendor", required=False, coerce=int, empty_value=None)
    ordered_from = forms.DateField(
        label="Ordered from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ordered_to = forms.DateField(
        label="Ordered to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    client = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    session = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    invoice = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, params: QueryDict) -> None:
        super().__init__(params)
        choices = order_choices()
        statuses: list[Any] = [("", "Any status")]
        statuses += [(cycle, steps) for cycle, steps in choices.status_groups()]
        self.fields["status"].choices = statuses
        self.fields["type"].choices = [
            ("", "Any type"),
            *((str(pk), name) for pk, name in choices.order_types),
            (PROOFS_TYPE, "Proof orders"),
        ]
        self.fields["vendor"].choices = [("", "Any vendor"), *choices.vendors]

    def order_filter(self) -> OrderListFilter:
        data = self.cleaned_data
        kind = data.get("type") or ""
        return OrderListFilter(
            state=data.get("state") or "all",
            statuses=(data["status"],) if data.get("status") else (),
            order_types=((kind if kind == PROOFS_TYPE else int(kind)),) if kind else (),
            vendors=(data["vendor"],) if data.get("vendor") else (),
            ordered_from=data.get("ordered_from"),
            ordered_to=data.get("ordered_to"),
            q=(data.get("q") or "").strip(),
            client=data.get("client"),
            session=data.get("session"),
            invoice=data.get("invoice"),
            sort=data.get("sort") or "-order_date",
        )


def _sort_url(request: HttpRequest, sort: str) -> str:
    params = request.GET.copy()
    params.pop("cursor", None)
    params.pop("format", None)
    params["sort"] = sort
    return f"?{params.urlencode()}"


@dataclass(frozen=True)
class Heading:
    """A column's heading: a link that sorts by it (a second click, the other way)."""

    label: str
    url: str | None  # None: the list doesn't sort by this column
    sorted: str | None  # "ascending" / "descending" (``aria-sort``)
    action: str  # what a click does, for its title
    css: str = ""


# (sort key or None, label, css): the table's columns, left to right
COLUMNS = (
    ("number", "Order", "nowrap"),
    ("client", "Client", ""),
    ("type", "Type", ""),
    ("vendor", "Vendor", "hide-narrow"),
    ("order_date", "Ordered", "nowrap"),
    ("status", "Status", ""),
    ("due", "Due", "nowrap"),
    ("completed", "Finished", "nowrap"),
    (None, "Projected", "nowrap hide-narrow"),
)


def headings(request: HttpRequest, sort: str) -> list[Heading]:
    result = []
    for key, label, css in COLUMNS:
        if key is None:
            result.append(Heading(label, None, None, "", css))
            continue
        state, target = None, key
        if sort == key:
            state, target = "ascending", f"-{key}"
        elif sort == f"-{key}":
            state = "descending"
        way = "the other way" if target.startswith("-") else "first to last"
        action = f"Sort by {SORT_KEYS[key]}, {way}"
        result.append(Heading(label, _sort_url(request, target), state, action, css))
    return result


def _scope_words(f: OrderListFilter) -> str:
    """ "of Ann Lee" when the list is narrowed to one client, session or invoice."""
    if f.client is not None:
        client = Client.objects.filter(pk=f.client).first()
        return f"of {client.name}" if client else ""
    if f.session is not None:
        session = Session.objects.select_related("client", "session_type").filter(pk=f.session)
        found = session.first()
        return f"of the {found.session_type} session of {found.client.name}" if found else ""
    if f.invoice is not None:
        invoice = Invoice.objects.filter(pk=f.invoice).first()
        return f"of invoice {invoice.number}" if invoice else ""
    return ""


@requires(VIEW_ORDERS, VIEW_PROOF_ORDERS)
def order_list(request: HttpRequest) -> HttpResponse:
    """Every order, open and finished, newest first unless a heading sorts it otherwise, a page
    at a time ("Next page" carries a cursor); "Download Excel" exports everything the filter
    finds, in the list's order."""
    form = OrderListForm(request.GET)
    problems: dict[str, Any] = {}
    rows: list[OrderRow] = []
    next_cursor = None
    f = OrderListFilter()
    if form.is_valid():
        f = form.order_filter()
        try:
            page = order_list_page(
                f,
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
                today=studio_today(request),
            )
        except ValidationError as exc:
            problems = exc.message_dict
        else:
            rows, next_cursor = page.rows, page.next_cursor
    else:
        problems = {name: list(errors) for name, errors in form.errors.items()}
    if request.GET.get("format") == "xlsx" and not problems:
        return _export(f, studio_today(request))
    params = request.GET.copy()
    params.pop("cursor", None)
    params.pop("format", None)
    next_params = params.copy()
    if next_cursor:
        next_params["cursor"] = next_cursor
    export_params = params.copy()
    export_params["format"] = "xlsx"
    context = {
        "form": form,
        "rows": rows,
        "problems": problems,
        "scope": _scope_words(f),
        "next_url": f"?{next_params.urlencode()}" if next_cursor else "",
        "first_url": f"?{params.urlencode()}",
        "after_cursor": bool(request.GET.get("cursor")),
        "export_url": f"?{export_params.urlencode()}",
        "sort": f.sort,
        "headings": headings(request, f.sort),
        "filtered": any(v for k, v in request.GET.items() if k not in ("sort", "cursor")),
    }
    return render(request, "production/order_list.html", context)


EXPORT_HEADERS = (
    "Order",
    "Kind",
    "Type",
    "Vendor",
    "Client",
    "Invoice",
    "Ordered",
    "Status",
    "Due",
    "Projected completion",
    "Finished",
    "Overdue",
    "At risk",
)


def export_row(row: OrderRow) -> tuple[Any, ...]:
    """One order as a spreadsheet row (dates as dates)."""
    o: Any = row.order
    client = o.client if row.kind == "production" else o.session.client
    invoice = o.invoice.number if row.kind == "production" else ""
    now = row.standing
    return (
        o.number or "",
        "Production order" if row.kind == "production" else "Proof order",
        row.order_type,
        o.vendor.name,
        client.name,
        invoice,
        o.order_date,
        str(o.status) if o.status_id else "Not started",
        o.status_due_date if not row.finished else None,
        now.projected_completion,
        o.completed_date,
        "yes" if now.overdue else "",
        "yes" if now.at_risk else "",
    )


def _export(f: OrderListFilter, today: dt.date) -> HttpResponse:
    rows = (export_row(row) for row in iter_orders(f, today=today))
    return xlsx_file_response(f"orders-{today:%Y-%m-%d}", "Orders", EXPORT_HEADERS, rows)
