"""/invoices with their lines, and /invoices/{id}/payments.

Invoices carry a ``version``: PUT and PATCH must send the one they read; a stale one is refused
with 409 ``conflict``. Lines sent back with their ``id`` keep it.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Status

from darkroom.api.auth import permitted
from darkroom.api.fields import Day, sort_choice
from darkroom.api.lists import PageQuery, keyset_page
from darkroom.clients import selectors, services
from darkroom.clients.api.conventions import (
    SORT_HELP,
    ListQuery,
    create_endpoint,
    delete_endpoint,
    get_endpoint,
    list_answer,
    list_endpoint,
    replace_endpoint,
    resolved,
    update_endpoint,
)
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Invoice, Payment
from darkroom.clients.schemas import (
    InvoiceIn,
    InvoiceLineIn,
    InvoiceOut,
    InvoicePage,
    InvoicePatch,
    InvoicePut,
    PaymentCreatedOut,
    PaymentIn,
    PaymentPage,
)

InvoiceSort = sort_choice(selectors.INVOICE_SORTING.columns)


class InvoiceQuery(ListQuery):
    sort: InvoiceSort = Field(None, description=SORT_HELP)
    client: int | None = None
    session: int | None = None
    date_from: Day | None = Field(None, description="Invoice date on or after.")
    date_to: Day | None = Field(None, description="Invoice date on or before.")
    paid: Literal["paid", "unpaid"] | None = Field(None, description="unpaid: a balance is due.")
    delivered: bool | None = None
    promised_within: int | None = Field(
        None, ge=0, le=366, description="Approximate delivery date within this many days."
    )


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


@list_endpoint(
    "/invoices",
    InvoicePage,
    summary="List invoices",
    description="Search looks in the client's name and the invoice number. Items carry no lines.",
    operation_id="invoices_list",
    auth=permitted("clients.view_invoice"),
)
def list_invoices(request: HttpRequest, filters: Query[InvoiceQuery]) -> Any:
    return list_answer(filters, selectors.invoice_list, selectors.INVOICE_SORTING, title="Invoices")


@create_endpoint(
    "/invoices",
    InvoiceOut,
    summary="Add an invoice with its lines",
    operation_id="invoices_create",
    auth=permitted("clients.add_invoice"),
)
def create_invoice(request: HttpRequest, payload: InvoiceIn) -> Any:
    fields = resolved(payload.dict(exclude={"lines"}))
    invoice = services.invoice_create(
        client=fields.pop("client"),
        lines=_line_inputs(payload.lines),
        by=request.user,
        **fields,
    )
    answer = selectors.invoice_detail(pk=invoice.pk)
    answer.production_automation = invoice.production_automation  # type: ignore[attr-defined]
    return Status(201, answer)


@get_endpoint(
    "/invoices/{int:invoice_id}",
    InvoiceOut,
    summary="An invoice with its lines",
    operation_id="invoices_get",
    auth=permitted("clients.view_invoice"),
)
def get_invoice(request: HttpRequest, invoice_id: int) -> Any:
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


@replace_endpoint(
    "/invoices/{int:invoice_id}",
    InvoiceOut,
    summary="Replace an invoice and its lines",
    description="Lines sent with their id keep it; lines left out are deleted.",
    operation_id="invoices_replace",
    auth=permitted("clients.change_invoice"),
)
def replace_invoice(request: HttpRequest, invoice_id: int, payload: InvoicePut) -> Any:
    return _change_invoice(invoice_id, payload.dict(exclude={"lines"}), payload.lines)


@update_endpoint(
    "/invoices/{int:invoice_id}",
    InvoiceOut,
    summary="Change an invoice",
    description="Only the fields sent change; `lines`, when sent, replaces every line.",
    operation_id="invoices_update",
    auth=permitted("clients.change_invoice"),
)
def update_invoice(request: HttpRequest, invoice_id: int, payload: InvoicePatch) -> Any:
    changes = payload.dict(exclude_unset=True, exclude={"lines"})
    return _change_invoice(invoice_id, changes, payload.lines)


@delete_endpoint(
    "/invoices/{int:invoice_id}",
    summary="Delete an invoice",
    description="Refused (409 in_use) while it has payments or production orders.",
    operation_id="invoices_delete",
    auth=permitted("clients.delete_invoice"),
)
def delete_invoice(request: HttpRequest, invoice_id: int) -> Any:
    services.invoice_delete(invoice=Invoice.objects.get(pk=invoice_id))
    return Status(204, None)


# Payments --------------------------------------------------------------------------------------


@get_endpoint(
    "/invoices/{invoice_id}/payments",
    PaymentPage,
    summary="An invoice's payments",
    operation_id="invoice_payments_list",
    auth=permitted("clients.view_payment"),
)
def list_payments(request: HttpRequest, invoice_id: int, paging: Query[PageQuery]) -> Any:
    invoice = Invoice.objects.get(pk=invoice_id)
    payments = invoice.payments.order_by("date", "id")
    return keyset_page(payments, cursor=paging.cursor, limit=paging.limit)


@create_endpoint(
    "/invoices/{invoice_id}/payments",
    PaymentCreatedOut,
    summary="Record a payment",
    operation_id="invoice_payments_create",
    auth=permitted("clients.add_payment"),
)
def create_payment(request: HttpRequest, invoice_id: int, payload: PaymentIn) -> Any:
    invoice = Invoice.objects.get(pk=invoice_id)
    payment = services.payment_add(
        invoice=invoice,
        amount=payload.amount,
        date=payload.date,
        method=payload.method,
        reference=payload.reference,
        by=request.user,
    )
    return Status(201, payment)


@delete_endpoint(
    "/invoices/{invoice_id}/payments/{payment_id}",
    summary="Delete a payment",
    operation_id="invoice_payments_delete",
    auth=permitted("clients.delete_payment"),
)
def delete_payment(request: HttpRequest, invoice_id: int, payment_id: int) -> Any:
    payment = Payment.objects.select_related("invoice").get(pk=payment_id, invoice_id=invoice_id)
    services.payment_delete(payment=payment)
    return Status(204, None)
