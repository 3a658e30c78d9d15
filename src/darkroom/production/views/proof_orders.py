"""A session's proof orders: the session page's "Proof orders" section, making one, and each
proof order's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from darkroom.clients.models import Session
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.production import services
from darkroom.production.forms import ProofOrderEditForm, ProofOrderForm
from darkroom.production.models import PreproductionOrder
from darkroom.production.proof_orders import preproduction_order_update
from darkroom.studio.access import may, requires
from darkroom.tracking.views.changes import status_section

VIEW_PROOF_ORDERS = "production.view_preproductionorder"
ADD_PROOF_ORDERS = "production.add_preproductionorder"
CHANGE_PROOF_ORDERS = "production.change_preproductionorder"


def proof_orders_section(request: HttpRequest, session: Session) -> dict[str, Any]:
    """What the session page's "Proof orders" section shows: the form for a new one (the
    orders themselves are in its "Production" section, ``views.order_list.orders_section``)."""
    del session
    return {
        "can_add_proof_order": may(request, ADD_PROOF_ORDERS),
        "proof_order_form": ProofOrderForm(),
    }


@requires(VIEW_PROOF_ORDERS, ADD_PROOF_ORDERS)
def proof_order_create(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form alone. POST: send the session's proofs to a vendor; a refusal comes back
    on this page with the input kept."""
    session = get_object_or_404(Session.objects.select_related("client", "session_type"), pk=pk)
    form = ProofOrderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.preproduction_order_create(
                session=session,
                vendor=data["vendor"],
                by=request.user,
                vendor_number=data["vendor_number"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except DarkroomError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Created proof order #{order.number} at {order.vendor}.")
            return redirect(f"{session.get_absolute_url()}#proof-orders")
    status = 422 if request.method == "POST" else 200
    context = {"session": session, "form": form}
    return render(request, "production/proof_order_form.html", context, status=status)


@requires(VIEW_PROOF_ORDERS)
def proof_order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proof order: what was sent where, its notes, its status with history, its tasks."""
    orders = PreproductionOrder.objects.select_related(
        "session__client", "session__session_type", "vendor", "entered_by"
    )
    order = get_object_or_404(orders, pk=pk)
    context = {
        "order": order,
        "can_edit": may(request, CHANGE_PROOF_ORDERS),
        **status_section(request, order),
    }
    return render(request, "production/proof_order_detail.html", context)


@requires(VIEW_PROOF_ORDERS, CHANGE_PROOF_ORDERS)
def proof_order_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a proof order's vendor's number, preproduction cost and notes (version-checked, as an
    order's edit: a change saved meanwhile comes back as a conflict with the input kept)."""
    orders = PreproductionOrder.objects.select_related(
        "vendor", "session__client", "session__session_type"
    )
    order = get_object_or_404(orders, pk=pk)
    if request.method != "POST":
        return _proof_edit_page(request, order, ProofOrderEditForm.of(order))
    form = ProofOrderEditForm(request.POST)
    if form.is_valid():
        try:
            preproduction_order_update(
                order=order, expected_version=form.cleaned_data["version"], **form.changes()
            )
        except Conflict as exc:
            data = request.POST.copy()
            data["version"] = str(PreproductionOrder.objects.get(pk=pk).version)
            form = ProofOrderEditForm(data)
            form.is_valid()
            return _proof_edit_page(request, order, form, conflict=exc.message, status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved the proof order.")
            return redirect(order)
    return _proof_edit_page(request, order, form, status=422)


def _proof_edit_page(
    request: HttpRequest,
    order: PreproductionOrder,
    form: ProofOrderEditForm,
    *,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"order": order, "form": form, "conflict": conflict}
    return render(request, "production/proof_order_edit.html", context, status=status)
