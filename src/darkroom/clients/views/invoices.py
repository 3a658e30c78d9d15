"""Invoice pages: the list, the invoice with its lines and payments, and the invoice editor.

The editor posts the header and every line together (``line_item``, ``line_quantity`` … arrays,
in the order shown) with the version it was opened at; the services decide, and a change made
by someone else in the meantime comes back as a conflict with the person's input kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.client_pages.views import status_link_section
from darkroom.clients import selectors, services
from darkroom.clients.forms import (
    InvoiceFilters,
    InvoiceHeaderForm,
    LineRow,
    PaymentForm,
    line_inputs,
    line_rows,
    place_line_errors,
)
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Client, Invoice, Payment, Session
from darkroom.clients.views.clients import choose_client, client_from_query
from darkroom.clients.views.editing import delete_page
from darkroom.clients.views.listing import Col, ListPage
from darkroom.errors import Conflict
from darkroom.form_errors import add_service_errors
from darkroom.formats import format_money
from darkroom.production.views import automation
from darkroom.production.views.invoice_orders import invoice_orders_section
from darkroom.studio.access import may, requires
from darkroom.tracking.views import changes as status_pages

INVOICES = ListPage(
    title="Invoices",
    noun="invoice",
    filters=InvoiceFilters,
    select=lambda **given: selectors.invoice_list(**given).select_related("status"),
    sorting=selectors.INVOICE_SORTING,
    columns=(
        Col("number", "Invoice"),
        Col("date", "Date"),
        Col("client", "Client"),
        Col("promised", "Promised", narrow=False),
        Col("delivered", "Delivered", narrow=False),
        Col("total", "Total", numeric=True),
        Col("paid", "Paid", numeric=True, narrow=False),
        Col("balance", "Balance", numeric=True),
        Col("status", "Status"),
        Col("due", "Due"),
    ),
    template="clients/invoice_list.html",
    rows_template="clients/invoice_rows.html",
    add_permission="clients.add_invoice",
    add_view="clients:invoice-create",
    scope=("client", "session"),
    more_context=status_pages.INVOICES.list_context,
)


@requires("clients.view_invoice")
def invoice_list(request: HttpRequest) -> HttpResponse:
    return INVOICES.response(request)


def _invoice_page(
    request: HttpRequest, pk: int, *, payment_form: PaymentForm | None = None, status: int = 200
) -> HttpResponse:
    try:
        invoice = selectors.invoice_detail(pk=pk)
    except Invoice.DoesNotExist:
        raise Http404("No such invoice.") from None
    if payment_form is None:
        initial: dict[str, Any] = {"date": selectors.studio_preferences().today()}
        if invoice.balance > 0:
            initial["amount"] = f"{invoice.balance:.2f}"
        payment_form = PaymentForm(initial=initial)
    return render(
        request,
        "clients/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": list(invoice.lines.all()),
            "payments": list(invoice.payments.all()),
            "payment_form": payment_form,
            "can_edit": may(request, "clients.change_invoice"),
            "can_delete": may(request, "clients.delete_invoice"),
            "can_add_payment": may(request, "clients.add_payment"),
            "can_delete_payment": may(request, "clients.delete_payment"),
            **status_pages.status_section(request, invoice),
            **invoice_orders_section(request, invoice),
            **status_link_section(request, invoice),
            "production_prompt": automation.prompt_question(invoice),
        },
        status=status,
    )


@requires("clients.view_invoice")
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _invoice_page(request, pk)


# The editor ------------------------------------------------------------------------------------


def _editor(
    request: HttpRequest,
    *,
    client: Client,
    invoice: Invoice | None,
    form: InvoiceHeaderForm,
    rows: list[LineRow],
    general: list[str] | None = None,
    conflict: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    on_invoice = list(invoice.lines.values_list("item_id", "vendor_override_id")) if invoice else []
    items = list(selectors.items_for_lines(keep=[item for item, _ in on_invoice]))
    vendors = list(selectors.vendors_for_lines(keep=[v for _, v in on_invoice if v]))
    by_id = {str(item.pk): item for item in items}
    for row in rows:
        chosen = by_id.get(row.item)
        row.preferred_vendor = str(chosen.preferred_vendor or "") if chosen else ""
        row.item_description = chosen.description if chosen else ""
    total = sum(
        (row.amount for row in rows if not row.is_blank and row.amount is not None), Decimal(0)
    )
    problems = len(general or []) + sum(len(row.errors) for row in rows)
    problems += sum(len(errors) for errors in form.errors.values()) if form.is_bound else 0
    return render(
        request,
        "clients/invoice_form.html",
        {
            "client": client,
            "invoice": invoice,
            "form": form,
            "rows": rows,
            "blank_row": LineRow(),
            "items": items,
            "vendors": vendors,
            "total": total,
            "general_errors": general or [],
            "problems": problems,
            "conflict": conflict,
            "cancel_url": invoice.get_absolute_url() if invoice else client.get_absolute_url(),
        },
        status=status,
    )


def _place_errors(form: InvoiceHeaderForm, rows: list[LineRow], exc: ValidationError) -> list[str]:
    """A service's refusal beside the header fields and the lines it is about."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    general: list[str] = []
    for name, errors in exc.error_dict.items():
        if name == "lines":
            general += place_line_errors(rows, errors)
        else:
            texts = [m for e in errors for m in e.messages]
            form.add_error(name if name in form.fields else None, texts)
    return general


def _posted(
    request: HttpRequest, client: Client
) -> tuple[InvoiceHeaderForm, list[LineRow], list[LineInput] | None]:
    """The editor's header and lines as posted, and the lines as the services take them (None
    while a line can't be read; its messages are then on the row)."""
    form = InvoiceHeaderForm(request.POST, client=client)
    rows = line_rows(request.POST)
    return form, rows, line_inputs(rows)


@requires("clients.add_invoice")
def invoice_create(request: HttpRequest) -> HttpResponse:
    client = client_from_query(request)
    session = None
    text = request.GET.get("session", "")
    if text.isdigit():
        session = get_object_or_404(Session.objects.select_related("client"), pk=int(text))
        client = client or session.client
    if client is None:
        return choose_client(
            request, purpose="a new invoice", next_url=reverse("clients:invoice-create")
        )
    if request.method != "POST":
        today = selectors.studio_preferences().today()
        form = InvoiceHeaderForm(
            client=client,
            initial={
                "invoice_date": today,
                "shipping_address": client.address,
                "session": session if session and session.client_id == client.pk else None,
            },
        )
        return _editor(request, client=client, invoice=None, form=form, rows=[LineRow()])
    form, rows, inputs = _posted(request, client)
    general: list[str] = []
    if form.is_valid() and inputs is not None:
        try:
            invoice = services.invoice_create(
                client=client, lines=inputs, by=request.user, **form.invoice_fields()
            )
        except ValidationError as exc:
            general = _place_errors(form, rows, exc)
        else:
            messages.success(request, f"Saved invoice {invoice.number} for {client.name}.")
            automation.tell(request, invoice.production_automation)
            return redirect(invoice)
    return _editor(
        request, client=client, invoice=None, form=form, rows=rows, general=general, status=422
    )


@requires("clients.change_invoice")
def invoice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("client"), pk=pk)
    client = invoice.client
    if request.method != "POST":
        form = InvoiceHeaderForm(
            client=client,
            initial={
                "version": invoice.version,
                "session": invoice.session_id,
                "invoice_date": invoice.invoice_date,
                "approximate_delivery_date": invoice.approximate_delivery_date,
                "delivered_date": invoice.delivered_date,
                "shipping_address": invoice.shipping_address,
                "notes": invoice.notes,
            },
        )
        rows = [LineRow.of(line) for line in selectors.invoice_lines(invoice=invoice)]
        return _editor(request, client=client, invoice=invoice, form=form, rows=rows or [LineRow()])
    form, rows, inputs = _posted(request, client)
    general: list[str] = []
    if form.is_valid() and inputs is not None:
        version = form.cleaned_data["version"]
        try:
            if version is None:
                raise Conflict("This page did not say which version of the invoice it edits.")
            services.invoice_update(
                invoice=invoice, expected_version=version, lines=inputs, **form.invoice_fields()
            )
        except Conflict as exc:
            return _conflict(request, invoice=invoice, rows=rows, message=exc.message)
        except ValidationError as exc:
            general = _place_errors(form, rows, exc)
        else:
            messages.success(request, f"Saved invoice {invoice.number}.")
            return redirect(invoice)
    return _editor(
        request, client=client, invoice=invoice, form=form, rows=rows, general=general, status=422
    )


def _conflict(
    request: HttpRequest, *, invoice: Invoice, rows: list[LineRow], message: str
) -> HttpResponse:
    """Someone saved the invoice while this person edited it: keep what they typed, show what
    is stored now, and let a second save replace it knowingly."""
    current = Invoice.objects.select_related("client").get(pk=invoice.pk)
    live = {str(pk) for pk in current.lines.values_list("pk", flat=True)}
    for row in rows:
        if row.id and row.id not in live:
            row.id = ""  # that line was removed meanwhile: saving again adds it back
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = InvoiceHeaderForm(data, client=current.client)
    form.is_valid()
    return _editor(
        request,
        client=current.client,
        invoice=current,
        form=form,
        rows=rows,
        conflict={"message": message, "current": current},
        status=409,
    )


@requires("clients.delete_invoice")
@require_POST
def invoice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice.objects.select_related("client"), pk=pk)
    return delete_page(
        request,
        invoice,
        delete=lambda: services.invoice_delete(invoice=invoice),
        deleted=f"Deleted invoice {invoice.number}.",
        then=invoice.client,
    )


# Payments --------------------------------------------------------------------------------------


@requires("clients.add_payment")
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_object_or_404(Invoice, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_add(
                invoice=invoice,
                amount=data["amount"],
                date=data["date"],
                method=data["method"],
                reference=data["reference"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Recorded a payment of {format_money(payment.amount)}.")
            automation.tell(request, payment.production_automation)
            return redirect(invoice)
    return _invoice_page(request, pk, payment_form=form, status=422)


@requires("clients.delete_payment")
@require_POST
def payment_delete(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("invoice"), pk=payment_pk, invoice_id=pk
    )
    services.payment_delete(payment=payment)
    messages.success(request, f"Deleted the payment of {format_money(payment.amount)}.")
    return redirect(payment.invoice)
