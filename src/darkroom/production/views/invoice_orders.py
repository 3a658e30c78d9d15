"""Making an invoice's production orders, and the invoice page's "Production orders" section
(its orders, and what the last "Create production orders" made there).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from darkroom.clients.models import Invoice
from darkroom.errors import DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.production import services
from darkroom.production.forms import OrdersCreateForm
from darkroom.production.views.order_list import orders_section
from darkroom.studio.access import may, requires
from darkroom.studio.selectors import studio_preferences

VIEW_ORDERS = "production.view_productionorder"
ADD_ORDERS = "production.add_productionorder"
CREATED_KEY = "production-orders-created"  # what the last "Create production orders" made


def invoice_orders_section(request: HttpRequest, invoice: Invoice) -> dict[str, Any]:
    """What the invoice page's "Production orders" section shows: its orders, and what the
    last "Create production orders" made there (shown once, after the redirect)."""
    created = request.session.get(CREATED_KEY)
    if created and created.get("invoice") == invoice.pk:
        del request.session[CREATED_KEY]
    else:
        created = None
    section = orders_section(request, invoice=invoice, print_form="print-invoice-orders")
    if created:
        made = set(created["orders"])
        found = invoice.production_orders.select_related("vendor", "order_type")
        created = {**created, "orders": list(found.filter(pk__in=made).order_by("id"))}
    return {
        **section,
        "production_created": created,
        "can_create_orders": may(request, ADD_ORDERS),
    }


def _created_summary(invoice: Invoice, created: services.OrdersCreated) -> dict[str, Any]:
    """What was made and what was left out, as plain values the login session can keep."""
    return {
        "invoice": invoice.pk,
        "orders": [order.pk for order in created.orders],
        "skipped": [
            {
                "line": skipped.line.position,
                "item": f"{skipped.line.item.identifier} {skipped.line.description}".strip(),
                "reason": skipped.reason,
            }
            for skipped in created.skipped_lines
        ],
    }


@requires(VIEW_ORDERS, ADD_ORDERS)
def invoice_orders_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: how to make the invoice's production orders. POST: make them (all or none).

    An invoice that already has an order at one of the vendors answers with a warning and a
    "Create anyway" button, which posts the same choices with ``confirm_duplicate``. A vendor
    the lines need that has no default order type gets a field for its order type; left empty,
    its lines are skipped (the invoice page then lists them with that reason).
    """
    invoice = get_object_or_404(Invoice.objects.select_related("client"), pk=pk)
    today = studio_preferences().today()
    form = OrdersCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"order_date": today, "details": "automatic"},
        untyped=services.vendors_without_order_type(invoice),
    )
    duplicate = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.production_orders_create(
                invoice=invoice,
                by=request.user,
                vendor=data["vendor"],
                details=data["details"],
                order_type=data["order_type"],
                order_types=form.order_types(),
                confirm_duplicate=data["confirm_duplicate"],
                order_date=data["order_date"],
            )
        except services.DuplicateOrder as exc:
            duplicate = exc.message
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DarkroomError as exc:
            form.add_error(None, exc.message)
        else:
            # Shown once by the invoice page's section, beside the orders it lists.
            request.session[CREATED_KEY] = _created_summary(invoice, created)
            return redirect(f"{invoice.get_absolute_url()}#production-orders")
    lines = invoice.lines.select_related("item__preferred_vendor", "vendor_override")
    context = {"invoice": invoice, "form": form, "lines": lines, "duplicate": duplicate}
    status = 200 if request.method != "POST" else (409 if duplicate else 422)
    return render(request, "production/orders_create.html", context, status=status)
