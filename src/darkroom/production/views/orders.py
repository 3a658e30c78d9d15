"""A production order's page and its actions (its number, a reorder, editing it), and printing
orders picked from any list of orders in one PDF.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from darkroom.database_limits import LARGEST_PAGE_NUMBER
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.pdf_files import pdf_response
from darkroom.production import services
from darkroom.production.documents import Document, orders_for_printing, orders_pdf
from darkroom.production.forms import OrderEditForm, ReorderForm
from darkroom.production.models import ProductionOrder
from darkroom.production.views.details import details_section
from darkroom.studio.access import may, requires
from darkroom.tracking.forms import studio_today
from darkroom.tracking.views.changes import INVOICES, status_section
from darkroom.tracking.views.leading_back import came_from, urls_leading_back
from darkroom.tracking.views.status_panel import due_state

VIEW_ORDERS = "production.view_productionorder"
CHANGE_STATUS = "tracking.add_statusnote"
ADD_ORDERS = "production.add_productionorder"
CHANGE_ORDERS = "production.change_productionorder"
VIEW_INVOICES = "clients.view_invoice"
MOST_PRINTED = 2_000  # as the API's batch print: one request builds the whole file


# A production order's page and its actions ------------------------------------------------------


def _order_page(
    request: HttpRequest,
    pk: int,
    *,
    reorder_form: ReorderForm | None = None,
    status: int = 200,
) -> HttpResponse:
    orders = ProductionOrder.objects.select_related(
        "client",
        "status",
        "invoice__status",
        "vendor",
        "order_type",
        "entered_by",
        "priority_code",
        "reorder_of",
        "reorder_of__vendor",
        "reorder_of__order_type",
        "reorder_reason",
    )
    order = get_object_or_404(orders, pk=pk)
    context = {
        "order": order,
        **details_section(request, order),
        "reorders": list(order.reorders.select_related("vendor", "order_type", "reorder_reason")),
        "can_edit": may(request, CHANGE_ORDERS),
        "can_reorder": may(request, ADD_ORDERS),
        "reorder_form": reorder_form or ReorderForm(),
        **status_section(request, order),
        **_invoice_status(request, order),
    }
    return render(request, "production/order_detail.html", context, status=status)


def _invoice_status(request: HttpRequest, order: ProductionOrder) -> dict[str, Any]:
    """The invoice's status and due date on the order's page, changed with the invoice's own
    status pages (dialog and due date), which lead back to this page."""
    invoice = order.invoice  # with its status
    return {
        "invoice_status": {
            "record": invoice,
            "due": due_state(invoice, studio_today(request)),
            "can_change": may(request, VIEW_INVOICES) and may(request, CHANGE_STATUS),
            "urls": urls_leading_back(INVOICES.record_urls(invoice), order.get_absolute_url()),
        }
    }


@requires(VIEW_ORDERS)
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One production order: what it is, what it holds, and its status with its history."""
    return _order_page(request, pk)


@require_POST
@requires(VIEW_ORDERS, CHANGE_ORDERS)
def order_number(request: HttpRequest, pk: int) -> HttpResponse:
    """The "#" action: the order takes its vendor's next number (the vendor's order number)."""
    order = get_object_or_404(ProductionOrder, pk=pk)
    try:
        services.order_number_assign(order=order)
    except DarkroomError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"The vendor's number of this order is now {order.vendor_number}."
        )
    return redirect(order)


@require_POST
@requires(VIEW_ORDERS, ADD_ORDERS)
def order_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Redo the order for a reason: the new, linked order opens."""
    order = get_object_or_404(ProductionOrder, pk=pk)
    form = ReorderForm(request.POST)
    if form.is_valid():
        try:
            again = services.production_order_reorder(
                order=order, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DarkroomError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Reordered ({again.reorder_reason}): this is the new order.")
            return redirect(again)
    return _order_page(request, pk, reorder_form=form, status=422)


@requires(VIEW_ORDERS, CHANGE_ORDERS)
def order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the order's type, date, who entered and completed it, the vendor's number of the
    order, the vendor invoice amount, priority and notes (the type, date and people are kept in
    its history).

    The form carries the version it was opened at: a change saved by someone else meanwhile
    comes back as a conflict with the person's input kept, and saving again replaces it.
    """
    order = get_object_or_404(ProductionOrder.objects.select_related("vendor", "order_type"), pk=pk)
    if request.method != "POST":
        return _edit_page(request, order, OrderEditForm.of(order))
    form = OrderEditForm(request.POST, order=order)
    if form.is_valid():
        try:
            services.production_order_update(
                order=order,
                expected_version=form.cleaned_data["version"],
                updated_by=request.user,
                **form.changes(),
                **form.order_edits(),
            )
        except Conflict as exc:
            current = ProductionOrder.objects.get(pk=pk)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = OrderEditForm(data, order=current)
            form.is_valid()
            return _edit_page(request, order, form, conflict=exc.message, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved the order.")
            return redirect(order)
    return _edit_page(request, order, form, status=422)


def _edit_page(
    request: HttpRequest,
    order: ProductionOrder,
    form: OrderEditForm,
    *,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"order": order, "form": form, "conflict": conflict}
    return render(request, "production/order_edit.html", context, status=status)


# Printing orders picked from a list -------------------------------------------------------------


def _print_refused(request: HttpRequest, message: str) -> HttpResponse:
    context = {"message": message, "back": came_from(request)}
    return render(request, "production/print_refused.html", context, status=422)


@require_POST
@requires(VIEW_ORDERS)
def print_orders(request: HttpRequest) -> HttpResponse:
    """One PDF of the ticked orders' work orders or purchase orders (``ids``, ``document``),
    each order on its own pages, in the list's order. Used by every list of orders
    (``production/includes/print_orders.html``)."""
    try:
        document = Document(request.POST.get("document", ""))
    except ValueError:
        return _print_refused(request, "Choose work orders or purchase orders to print.")
    given = request.POST.getlist("ids")
    if not given:
        return _print_refused(request, "Nothing to print: tick at least one order in the list.")
    if len(given) > MOST_PRINTED:
        return _print_refused(request, f"Print at most {MOST_PRINTED:,} orders at a time.")
    if not all(text.isdigit() and 0 < int(text) <= LARGEST_PAGE_NUMBER for text in given):
        return _print_refused(request, "The list named an order that does not exist.")
    ids = [int(text) for text in given]
    orders = orders_for_printing(ids)
    if len(orders) != len(set(ids)):
        return _print_refused(
            request, "One of the ticked orders no longer exists: reload the list and try again."
        )
    return pdf_response(orders_pdf(orders, document), f"{document}s")
