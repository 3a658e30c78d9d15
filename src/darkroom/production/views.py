"""Production pages: the scan station, a production order's page and its actions, making an
invoice's production orders, printing orders picked from a list, and proof orders (a session's
section and each proof order's page).

The scan station is built for a USB barcode scanner, which types the number and Enter: each
scan is one POST answered with one result row (htmx) or the whole page (without JavaScript),
and no result, good or bad, stops the next scan. The running list lives in the person's login
session, so it survives a reload and a page without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from darkroom.clients.models import Invoice, Session
from darkroom.database_limits import LARGEST_PAGE_NUMBER
from darkroom.errors import Conflict, DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.formats import format_date
from darkroom.production import services
from darkroom.production.details_pages import details_section
from darkroom.production.documents import Document, orders_for_printing, orders_pdf
from darkroom.production.forms import (
    OrderEditForm,
    OrdersCreateForm,
    ProofOrderEditForm,
    ProofOrderForm,
    ReorderForm,
)
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.order_pages import orders_section
from darkroom.production.proof_orders import preproduction_order_update
from darkroom.production.scans import ScanOutcome, client_of, scan_advance, scan_look_up
from darkroom.studio.access import may, requires
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.forms import studio_today
from darkroom.tracking.models import CycleKind, Status
from darkroom.tracking.views.changes import INVOICES, status_section
from darkroom.tracking.views.leading_back import came_from, urls_leading_back
from darkroom.tracking.views.status_panel import due_state

VIEW_ORDERS = "production.view_productionorder"
CHANGE_STATUS = "tracking.add_statusnote"
ADD_ORDERS = "production.add_productionorder"
CHANGE_ORDERS = "production.change_productionorder"
VIEW_PROOF_ORDERS = "production.view_preproductionorder"
ADD_PROOF_ORDERS = "production.add_preproductionorder"
CHANGE_PROOF_ORDERS = "production.change_preproductionorder"
VIEW_INVOICES = "clients.view_invoice"
MOST_PRINTED = 2_000  # as the API's batch print: one request builds the whole file
CREATED_KEY = "production-orders-created"  # what the last "Create production orders" made
MODES = {"lookup": "Look up", "advance": "Batch advance"}
RESULTS_KEPT = 50  # the running list of one person's scans
RESULTS_KEY = "production-scan-results"


def _targets() -> list[tuple[str, list[Status]]]:
    """The statuses a batch may move orders to, by cycle (one per order type, and the proof
    orders' cycle)."""
    kinds = [CycleKind.PRODUCTION, CycleKind.PREPRODUCTION]
    statuses = (
        Status.objects.filter(cycle__kind__in=kinds, is_inactive=False)
        .select_related("cycle")
        .order_by("cycle__name", "cycle_id", "position", "id")
    )
    groups: dict[int, tuple[str, list[Status]]] = {}
    for status in statuses:
        groups.setdefault(status.cycle_id, (status.cycle.name, []))[1].append(status)
    return list(groups.values())


def _row(outcome: ScanOutcome, mode: str) -> dict[str, Any]:
    """A result line as the session keeps it (plain values only)."""
    order = outcome.order
    return {
        "ok": outcome.ok,
        "mode": mode,
        "message": outcome.message,
        "code": outcome.code,
        "number": order.number if order else "",
        "client": client_of(order).name if order else "",
        "url": order.get_absolute_url() if order else "",
        "from_status": str(outcome.from_status) if outcome.from_status else "",
        "to_status": str(outcome.to_status) if outcome.to_status else "",
        "due": format_date(outcome.due_date),
        "at": timezone.localtime().strftime("%H:%M:%S"),
    }


def _scan(request: HttpRequest, mode: str, can_advance: bool) -> ScanOutcome:
    raw = request.POST.get("code", "")
    if mode == "lookup":
        return scan_look_up(raw=raw)
    if not can_advance:
        raise PermissionDenied("Your role does not allow changing statuses.")
    wanted = request.POST.get("to_status", "")
    target = None
    if wanted:
        choices = {str(s.pk): s for _, statuses in _targets() for s in statuses}
        target = choices.get(wanted)
        if target is None:
            return ScanOutcome(
                code=raw.strip()[:24],
                ok=False,
                message="That “advance to” status no longer exists: choose another.",
            )
    return scan_advance(raw=raw, by=request.user, to_status=target)


@requires(VIEW_ORDERS)
def scan_station(request: HttpRequest) -> HttpResponse:
    """GET: the station. POST: one scan; Look up opens the order, Batch advance moves it on."""
    can_advance = may(request, CHANGE_STATUS)
    results: list[dict[str, Any]] = request.session.get(RESULTS_KEY, [])
    mode = request.POST.get("mode", "lookup") if request.method == "POST" else "lookup"
    mode = mode if mode in MODES else "lookup"
    if request.method == "POST":
        if request.POST.get("clear"):
            request.session[RESULTS_KEY] = []
            return redirect("production:scan")
        outcome = _scan(request, mode, can_advance)
        if mode == "lookup" and outcome.ok and outcome.order is not None:
            url = outcome.order.get_absolute_url()
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        row = _row(outcome, mode)
        results = [row, *results][:RESULTS_KEPT]
        request.session[RESULTS_KEY] = results
        if request.htmx:
            return render(request, "production/scan_result.html", {"result": row})
    context = {
        "modes": MODES,
        "mode": mode,
        "can_advance": can_advance,
        "targets": _targets() if can_advance else [],
        "to_status": request.POST.get("to_status", ""),
        "results": results,
    }
    return render(request, "production/scan_station.html", context)


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


# Production orders from an invoice ------------------------------------------------------------


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


# A session's proof orders ----------------------------------------------------------------------


def proof_orders_section(request: HttpRequest, session: Session) -> dict[str, Any]:
    """What the session page's "Proof orders" section shows: the form for a new one (the
    orders themselves are in its "Production" section, ``order_pages.orders_section``)."""
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
    answer = HttpResponse(orders_pdf(orders, document), content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{document}s.pdf"'
    return answer
