"""/invoices with their lines, and /invoices/{id}/payments.

Invoices carry a ``version``: PUT and PATCH must send the one they read; a stale one is refused
with 409 ``conflict``. Lines sent back with their ``id`` keep it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Schema, Status

from darkroom.api.auth import require
from darkroom.clients import selectors, services
from darkroom.clients.api.conventions import (
    EXCEL,
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    ListQuery,
    checked_sort,
    page_answer,
    resolved,
    router,
)
from darkroom.clients.exports import list_export
from darkroom.clients.models import Invoice, Payment
from darkroom.clients.schemas import (
    InvoiceIn,
    InvoiceLineIn,
    InvoiceOut,
    InvoicePage,
    InvoicePatch,
    InvoicePut,
    PaymentIn,
    PaymentOut,
    PaymentPage,
)
from darkroom.clients.services import LineInput


class InvoiceQuery(ListQuery):
    client: int | None = None
    session: int | None = None
    date_from: dt.date | None = Field(None, description="Invoice date on or after.")
    date_to: dt.date | None = Field(None, description="Invoice date on or before.")
    paid: Literal["paid", "unpaid"] | None = Field(None, description="unpaid: a balance is due.")
    delivered: bool | None = None
    promised_within: int | None = Field(
        None, ge=0, le=366, description="Approximate delivery date within this many days."
    )


class PaymentQuery(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)


def _line_inputs(lines: list[InvoiceLineIn]) -> list[LineInput]:
    return [
        LineInput(
            item_id=line.item,
            quantity=line.quantity,
            price=line.price,
            description=line.description,
            vendor_override_id=line.vendor_override,
            id=line.id,
        )
        for line in lines
    ]


@router.get(
    "/invoices",
    response={200: InvoicePage, **LIST_ERRORS},
    summary="List invoices",
    description="Search looks in the client's name and the invoice number. Items carry no lines.",
    openapi_extra=EXCEL,
    operation_id="invoices_list",
)
def list_invoices(request: HttpRequest, filters: Query[InvoiceQuery]) -> Any:
    require(request, "clients.view_invoice")
    sort = checked_sort(filters.sort, selectors.INVOICE_SORTS, selectors.INVOICE_DEFAULT_SORT)
    invoices = selectors.invoice_list(
        search=filters.search,
        client=filters.client,
        session=filters.session,
        date_from=filters.date_from,
        date_to=filters.date_to,
        paid=filters.paid,
        delivered=filters.delivered,
        promised_within=filters.promised_within,
        sort=sort,
    )
    if filters.format == "xlsx":
        return list_export(invoices, filename="invoices", title="Invoices")
    return page_answer(invoices, limit=filters.limit, offset=filters.offset)


@router.post(
    "/invoices",
    response={201: InvoiceOut, **WRITE_ERRORS},
    summary="Add an invoice with its lines",
    operation_id="invoices_create",
)
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Any:
    require(request, "clients.add_invoice")
    fields = resolved(payload.dict(exclude={"lines"}))
    invoice = services.invoice_create(
        client=fields.pop("client"),
        lines=_line_inputs(payload.lines),
        by=request.user,
        **fields,
    )
    return Status(201, selectors.invoice_detail(pk=invoice.pk))


@router.get(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, **READ_ERRORS},
    summary="An invoice with its lines",
    operation_id="invoices_get",
)
def get_invoice(request: HttpRequest, invoice_id: int) -> Any:
    require(request, "clients.view_invoice")
    return selectors.invoice_detail(pk=invoice_id)


def _change_invoice(
    invoice_id: int, changes: dict[str, Any], lines: list[InvoiceLineIn] | None
) -> Invoice:
    invoice = Invoice.objects.get(pk=invoice_id)
    version = changes.pop("version")
    services.invoice_update(
        invoice=invoice,
        expected_version=version,
        lines=None if lines is None else _line_inputs(lines),
        **resolved(changes),
    )
    return selectors.invoice_detail(pk=invoice_id)


@router.put(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, **WRITE_ERRORS},
    summary="Replace an invoice and its lines",
    description="Lines sent with their id keep it; lines left out are deleted.",
    operation_id="invoices_replace",
)
def replace_invoice(request: HttpRequest, invoice_id: int, payload: InvoicePut) -> Any:
    require(request, "clients.change_invoice")
    return _change_invoice(invoice_id, payload.dict(exclude={"lines"}), payload.lines)


@router.patch(
    "/invoices/{invoice_id}",
    response={200: InvoiceOut, **WRITE_ERRORS},
    summary="Change an invoice",
    description="Only the fields sent change; `lines`, when sent, replaces every line.",
    operation_id="invoices_update",
)
def update_invoice(request: HttpRequest, invoice_id: int, payload: InvoicePatch) -> Any:
    require(request, "clients.change_invoice")
    changes = payload.dict(exclude_unset=True, exclude={"lines"})
    return _change_invoice(invoice_id, changes, payload.lines)


@router.delete(
    "/invoices/{invoice_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete an invoice",
    description="Refused (409 in_use) while it has payments or production orders.",
    operation_id="invoices_delete",
)
def delete_invoice(request: HttpRequest, invoice_id: int) -> Any:
    require(request, "clients.delete_invoice")
    services.invoice_delete(invoice=Invoice.objects.get(pk=invoice_id))
    return Status(204, None)


# Payments --------------------------------------------------------------------------------------


@router.get(
    "/invoices/{invoice_id}/payments",
    response={200: PaymentPage, **READ_ERRORS},
    summary="An invoice's payments",
    operation_id="invoice_payments_list",
)
def list_payments(request: HttpRequest, invoice_id: int, paging: Query[PaymentQuery]) -> Any:
    require(request, "clients.view_payment")
    invoice = Invoice.objects.get(pk=invoice_id)
    payments = invoice.payments.order_by("date", "id")
    return page_answer(payments, limit=paging.limit, offset=paging.offset)


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: PaymentOut, **WRITE_ERRORS},
    summary="Record a payment",
    operation_id="invoice_payments_create",
)
def create_payment(request: HttpRequest, invoice_id: int, payload: PaymentIn) -> Any:
    require(request, "clients.add_payment")
    invoice = Invoice.objects.get(pk=invoice_id)
    payment = services.payment_add(
        invoice=invoice,
        amount=payload.amount,
        date=payload.date,
        method=payload.method,
        reference=payload.reference,
    )
    return Status(201, payment)


@router.delete(
    "/invoices/{invoice_id}/payments/{payment_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a payment",
    operation_id="invoice_payments_delete",
)
def delete_payment(request: HttpRequest, invoice_id: int, payment_id: int) -> Any:
    require(request, "clients.delete_payment")
    payment = Payment.objects.select_related("invoice").get(pk=payment_id, invoice_id=invoice_id)
    services.payment_delete(payment=payment)
    return Status(204, None)
