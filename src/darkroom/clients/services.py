"""Writes of clients, sessions, invoices and payments: the one place their rules live.

Invoices are saved whole (header and lines together, in one transaction) so the page editor and
the API give the same answers. A stale ``expected_version`` is refused with a Conflict, so two
people editing one invoice never overwrite each other silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.errors import Conflict
from darkroom.maintenance.services import record_save
from darkroom.studio.selectors import studio_preferences


@dataclass(frozen=True)
class LineInput:
    """One invoice line as a person or integrator gives it; ``id`` keeps an existing line."""

    item_id: int
    quantity: int = 1
    price: Decimal | None = None  # None: the item's current price
    description: str = ""
    vendor_override_id: int | None = None
    id: int | None = None


INVOICE_FIELDS = {
    "client",
    "session",
    "invoice_date",
    "approximate_delivery_date",
    "shipping_address",
    "delivered_date",
    "notes",
}


def client_save(*, client: Client) -> Client:
    """Create or change a client (fields validated, nothing saved on error)."""
    return record_save(record=client)


def session_save(*, session: Session) -> Session:
    """Create or change a session; a new or changed session type must be active."""
    with transaction.atomic():
        stored = Session.objects.filter(pk=session.pk).values("session_type_id").first()
        type_changed = stored is None or stored["session_type_id"] != session.session_type_id
        if session.session_type_id and type_changed and session.session_type.is_inactive:
            raise ValidationError(
                {"session_type": f"“{session.session_type}” is inactive; choose an active type."}
            )
        return record_save(record=session)


def _check_header(invoice: Invoice) -> None:
    if invoice.session_id and invoice.client_id and invoice.session.client_id != invoice.client_id:
        raise ValidationError({"session": "That session belongs to another client."})
    if (
        invoice.delivered_date
        and invoice.invoice_date
        and invoice.delivered_date < invoice.invoice_date
    ):
        raise ValidationError({"delivered_date": "Delivered before the invoice date?"})


def _build_lines(invoice: Invoice, lines: Sequence[LineInput]) -> list[InvoiceLine]:
    """Validate every line and return unsaved InvoiceLine objects; all errors are reported."""
    existing = {line.pk: line for line in invoice.lines.all()} if invoice.pk else {}
    items = PriceListItem.objects.in_bulk({line.item_id for line in lines})
    vendor_ids = {line.vendor_override_id for line in lines if line.vendor_override_id}
    vendors = Vendor.objects.in_bulk(vendor_ids)
    errors: list[str] = []
    built: list[InvoiceLine] = []
    for number, given in enumerate(lines, start=1):
        before = existing.get(given.id) if given.id is not None else None
        if given.id is not None and before is None:
            errors.append(f"Line {number}: it is not a line of this invoice.")
            continue
        item = items.get(given.item_id)
        if item is None:
            errors.append(f"Line {number}: there is no price list item {given.item_id}.")
            continue
        if item.is_inactive and (before is None or before.item_id != item.pk):
            errors.append(f"Line {number}: “{item.identifier}” is inactive; choose an active item.")
        vendor = None
        if given.vendor_override_id:
            vendor = vendors.get(given.vendor_override_id)
            if vendor is None:
                errors.append(f"Line {number}: there is no vendor {given.vendor_override_id}.")
                continue
            unchanged = before is not None and before.vendor_override_id == vendor.pk
            if vendor.is_inactive and not unchanged:
                errors.append(f"Line {number}: vendor “{vendor}” is inactive; choose another.")
        if isinstance(given.quantity, bool) or not isinstance(given.quantity, int):
            errors.append(f"Line {number}: the quantity must be a whole number.")
            continue
        if given.quantity < 1:
            errors.append(f"Line {number}: the quantity must be at least 1.")
        price = item.price if given.price is None else Decimal(given.price)
        if price < 0:
            errors.append(f"Line {number}: the price must not be negative.")
        if price.as_tuple().exponent < -2:  # type: ignore[operator]
            errors.append(f"Line {number}: the price has more than two decimals.")
        line = before or InvoiceLine(invoice=invoice)
        line.item = item
        line.position = number
        line.quantity = given.quantity
        line.price = price
        line.description = given.description or item.description
        line.vendor_override = vendor
        built.append(line)
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _save_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    keep = {line.pk for line in lines if line.pk}
    invoice.lines.exclude(pk__in=keep).delete()
    for line in lines:
        line.invoice = invoice
        line.full_clean(exclude=["invoice"])
        line.save()
    invoice.total = sum((line.amount for line in lines), Decimal("0"))


def invoice_create(
    *,
    client: Client,
    lines: Sequence[LineInput] = (),
    by: AbstractBaseUser | None = None,
    **fields: Any,
) -> Invoice:
    """A new invoice with its lines; the date defaults to the studio's today and the shipping
    address to the client's address."""
    unknown = set(fields) - INVOICE_FIELDS
    if unknown:
        raise ValidationError({f: "Not an invoice field." for f in unknown})
    with transaction.atomic():
        invoice = Invoice(client=client, created_by=by, **fields)
        if invoice.invoice_date is None:
            invoice.invoice_date = studio_preferences().today()
        if not invoice.shipping_address:
            invoice.shipping_address = client.address
        invoice.full_clean(exclude=["total", "paid", "version"])
        _check_header(invoice)
        built = _build_lines(invoice, lines)
        invoice.save()
        _save_lines(invoice, built)
        invoice.save(update_fields=["total"])
    return invoice


def invoice_update(
    *,
    invoice: Invoice,
    expected_version: int,
    lines: Sequence[LineInput] | None = None,
    **fields: Any,
) -> Invoice:
    """Change an invoice's header and (when given) replace its lines, if nobody changed it since
    ``expected_version`` was read; otherwise a Conflict and nothing written."""
    unknown = set(fields) - INVOICE_FIELDS
    if unknown:
        raise ValidationError({f: "Not an invoice field." for f in unknown})
    with transaction.atomic():
        claimed = Invoice.objects.filter(pk=invoice.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise Conflict(
                f"Invoice {invoice.number} was changed by someone else since you opened it. "
                "Reload it to see their changes, then make yours again."
            )
        fresh = Invoice.objects.select_for_update().get(pk=invoice.pk)
        for name, value in fields.items():
            setattr(fresh, name, value)
        fresh.full_clean(exclude=["total", "paid", "version"])
        _check_header(fresh)
        if lines is not None:
            _save_lines(fresh, _build_lines(fresh, lines))
        fresh.save()
    return fresh


def _refresh_paid(invoice: Invoice) -> None:
    paid = invoice.payments.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    Invoice.objects.filter(pk=invoice.pk).update(paid=paid, version=F("version") + 1)
    invoice.refresh_from_db(fields=["paid", "version"])


def payment_add(
    *,
    invoice: Invoice,
    amount: Decimal,
    date: dt.date | None = None,
    method: str = "card",
    reference: str = "",
) -> Payment:
    """Record money the client paid towards the invoice."""
    with transaction.atomic():
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        payment = Payment(
            invoice=invoice,
            amount=amount,
            date=date or studio_preferences().today(),
            method=method,
            reference=reference,
        )
        payment.full_clean()
        payment.save()
        _refresh_paid(invoice)
    return payment


def payment_delete(*, payment: Payment) -> None:
    """Remove a payment recorded by mistake."""
    with transaction.atomic():
        invoice = payment.invoice
        payment.delete()
        _refresh_paid(invoice)
