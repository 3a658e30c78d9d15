"""Writes of clients, sessions, invoices and payments: the one place their rules live.

Invoices are saved whole (header and lines together, in one transaction) so the page editor and
the API give the same answers. A stale ``expected_version`` is refused with a Conflict, so two
people editing one invoice never overwrite each other silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.module_loading import import_string

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.database_limits import LARGEST_ID
from darkroom.errors import Conflict, DarkroomError, RecordInUse
from darkroom.record_writes import record_delete, record_save
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.recompute import PROMISE_CHANGED
from darkroom.tracking.selectors import status_history
from darkroom.tracking.status_change import STATUS_COLUMNS, record_start
from darkroom.tracking.tasks import recompute_due_dates

# What production automation makes of a saved invoice and of a payment (production orders from
# the invoice's lines, production/automation.py), called inside the write's transaction. Named by
# dotted path, as the tracking engine names its followers: production builds on the clients'
# records, so clients doesn't import it.
ON_INVOICE_SAVED = "darkroom.production.automation.production_orders_on_invoice_saved"
ON_PAYMENT = "darkroom.production.automation.production_orders_on_payment"


@dataclass(frozen=True)
class LineInput:
    """One invoice line as a person or integrator gives it; ``id`` keeps an existing line."""

    item_id: int
    quantity: int = 1
    price: Decimal | None = None  # None: the item's current price
    description: str = ""
    vendor_override_id: int | None = None
    id: int | None = None


# Money columns hold 12 digits with 2 decimals; beyond that the database would refuse the row.
MONEY_LIMIT = Decimal("10000000000")
MOST_PER_LINE = 100_000
CENT = Decimal("0.01")

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


def client_delete(*, client: Client) -> None:
    """Delete a client entered by mistake; one with sessions or invoices is refused (in use)."""
    record_delete(record=client)


def session_save(*, session: Session, by: AbstractBaseUser | None = None) -> Session:
    """Create or change a session; a new or changed session type must be active, and a session
    that already has invoices keeps its client (the invoices would point at someone else's shoot).

    A new session enters its status cycle today (see :func:`_enter_cycle`).
    """
    with transaction.atomic():
        stored = (
            Session.objects.filter(pk=session.pk).values("session_type_id", "client_id").first()
        )
        type_changed = stored is None or stored["session_type_id"] != session.session_type_id
        if session.session_type_id and type_changed and session.session_type.is_inactive:
            raise ValidationError(
                {"session_type": f"“{session.session_type}” is inactive; choose an active type."}
            )
        if (
            stored is not None
            and stored["client_id"] != session.client_id
            and Invoice.objects.filter(session_id=session.pk).exists()
        ):
            raise ValidationError(
                {"client": "This session has invoices, so it stays with its client."}
            )
        saved = record_save(record=session, leave=[*STATUS_COLUMNS, "version"])
        if stored is None:
            _enter_cycle(saved, started_on=studio_preferences().today(), by=by)
        return saved


def _enter_cycle(record: Session | Invoice, *, started_on: dt.date, by: Any) -> None:
    """Start a new record in its cycle's initial status, when the studio has set the cycle up.

    A studio that has no cycle for these records yet keeps them unstarted: they can be started
    later from their page ("Start") once it has one.
    """
    try:
        record_start(record=record, started_on=started_on, by=by)
    except DarkroomError as exc:
        if exc.code not in ("no_cycle", "no_initial"):
            raise


def _refuse_if_tracked(record: Session | Invoice, name: str) -> None:
    if status_history(record=record).exists():
        raise RecordInUse(
            f"{name} can't be deleted: its status history would be lost. "
            "Leave it in its final status instead."
        )


def session_delete(*, session: Session) -> None:
    """Delete a session entered by mistake; one with invoices or status history is refused."""
    with transaction.atomic():
        _refuse_if_tracked(session, "This session")
        record_delete(record=session)


def _header_errors(invoice: Invoice) -> dict[str, list[str]]:
    """The header's field errors and its relational rules, collected rather than raised."""
    errors: dict[str, list[str]] = {}
    try:
        invoice.full_clean(exclude=["total", "paid", "version"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        "session" not in errors
        and "client" not in errors
        and invoice.session_id
        and invoice.client_id
        and invoice.session.client_id != invoice.client_id
    ):
        errors["session"] = ["That session belongs to another client."]
    if (
        invoice.delivered_date
        and invoice.invoice_date
        and invoice.delivered_date < invoice.invoice_date
        and "delivered_date" not in errors
    ):
        errors["delivered_date"] = ["The delivered date is before the invoice date."]
    return errors


def _validated(invoice: Invoice, lines: Sequence[LineInput] | None) -> list[InvoiceLine] | None:
    """Check header and lines together so a person sees every problem at once."""
    errors: dict[str, Any] = _header_errors(invoice)
    built = None
    if lines is not None:
        try:
            built = _build_lines(invoice, lines)
        except ValidationError as exc:
            errors["lines"] = exc.error_dict["lines"]
    if errors:
        raise ValidationError(errors)
    return built


def _storable_id(value: object) -> bool:
    """An id the database could hold (a lookup of a larger one fails rather than finding none)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= LARGEST_ID


def _line_error(number: int, text: str) -> ValidationError:
    """A message about one line; ``params["line"]`` lets a page show it beside that line."""
    message = f"Line {number}: {text}"
    return ValidationError(message.replace("%", "%%"), code="line", params={"line": number})


def _line_price(given: LineInput, item: PriceListItem) -> Decimal | str:
    """The line's price as a Decimal with two places, or the reason it can't be one."""
    if given.price is None:
        return item.price
    try:
        price = given.price if isinstance(given.price, Decimal) else Decimal(str(given.price))
    except (InvalidOperation, ValueError, TypeError):
        return "the price must be an amount like 12.50."
    if not price.is_finite():
        return "the price must be an amount like 12.50."
    if price < 0:
        return "the price must not be negative."
    if price >= MONEY_LIMIT:
        return "the price is too large."
    if price != price.quantize(CENT, rounding="ROUND_DOWN"):
        return "the price has more than two decimals."
    return price.quantize(CENT)


def _build_lines(invoice: Invoice, lines: Sequence[LineInput]) -> list[InvoiceLine]:
    """Validate every line and return unsaved InvoiceLine objects; all errors are reported.

    A line that keeps its ``id`` keeps its row, so anything that refers to the line (production
    order details) still does. An item or vendor that was retired may stay on a line that already
    had it, but can't be chosen anew.
    """
    existing = {line.pk: line for line in invoice.lines.all()} if invoice.pk else {}
    item_ids = {line.item_id for line in lines if _storable_id(line.item_id)}
    items = PriceListItem.objects.select_related("preferred_vendor").in_bulk(item_ids)
    vendors = Vendor.objects.in_bulk(
        {line.vendor_override_id for line in lines if _storable_id(line.vendor_override_id)}
    )
    errors: list[ValidationError] = []
    built: list[InvoiceLine] = []
    seen_ids: set[int] = set()
    for number, given in enumerate(lines, start=1):
        before = existing.get(given.id) if given.id is not None else None
        if given.id is not None and before is None:
            errors.append(_line_error(number, "it is not a line of this invoice."))
            continue
        if given.id is not None:
            if given.id in seen_ids:
                errors.append(_line_error(number, "the same line is given twice."))
                continue
            seen_ids.add(given.id)
        item = items.get(given.item_id)
        if item is None:
            errors.append(_line_error(number, f"there is no price list item {given.item_id}."))
            continue
        if item.is_inactive and (before is None or before.item_id != item.pk):
            errors.append(
                _line_error(number, f"“{item.identifier}” is inactive; choose an active item.")
            )
        vendor = None
        if given.vendor_override_id:
            vendor = vendors.get(given.vendor_override_id)
            if vendor is None:
                missing = f"there is no vendor {given.vendor_override_id}."
                errors.append(_line_error(number, missing))
                continue
            unchanged = before is not None and before.vendor_override_id == vendor.pk
            if vendor.is_inactive and not unchanged:
                errors.append(
                    _line_error(number, f"vendor “{vendor}” is inactive; choose another.")
                )
        if isinstance(given.quantity, bool) or not isinstance(given.quantity, int):
            errors.append(_line_error(number, "the quantity must be a whole number."))
            continue
        if given.quantity < 1:
            errors.append(_line_error(number, "the quantity must be at least 1."))
        elif given.quantity > MOST_PER_LINE:
            errors.append(_line_error(number, f"the quantity must be at most {MOST_PER_LINE:,}."))
        price = _line_price(given, item)
        if isinstance(price, str):
            errors.append(_line_error(number, price))
            continue
        description = given.description or item.description
        if "\x00" in description:
            errors.append(_line_error(number, "the description has a character it can't keep."))
        elif len(description) > InvoiceLine._meta.get_field("description").max_length:  # type: ignore[operator]
            errors.append(_line_error(number, "the description is longer than 200 characters."))
        line = before or InvoiceLine(invoice=invoice)
        line.item = item
        line.position = number
        line.quantity = given.quantity
        line.price = price
        line.description = description
        line.vendor_override = vendor
        built.append(line)
    if not errors and sum((line.amount for line in built), Decimal("0")) >= MONEY_LIMIT:
        errors.append(ValidationError("The invoice total is too large."))
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _save_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    keep = {line.pk for line in lines if line.pk}
    invoice.lines.exclude(pk__in=keep).delete()
    for number, line in enumerate(lines, start=1):
        line.invoice = invoice
        try:
            line.full_clean(exclude=["invoice"])
        except ValidationError as exc:
            messages = " ".join(exc.messages)
            raise ValidationError({"lines": [_line_error(number, messages)]}) from exc
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
        built = _validated(invoice, lines) or []
        invoice.save()
        _save_lines(invoice, built)
        invoice.save(update_fields=["total"])
        today = studio_preferences().today()
        _enter_cycle(invoice, started_on=min(invoice.invoice_date, today), by=by)
        # What production automation did (None: nothing), for the page or answer to show.
        invoice.production_automation = import_string(ON_INVOICE_SAVED)(  # type: ignore[attr-defined]
            invoice=invoice, by=by
        )
    return invoice


def invoice_update(
    *,
    invoice: Invoice,
    expected_version: int,
    lines: Sequence[LineInput] | None = None,
    **fields: Any,
) -> Invoice:
    """Change an invoice's header and (when given) replace its lines, if nobody changed it since
    ``expected_version`` was read; otherwise a Conflict and nothing written.

    Lines given with their ``id`` keep their rows; lines left out are deleted; new ones added.
    """
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
        promised = fresh.approximate_delivery_date
        for name, value in fields.items():
            setattr(fresh, name, value)
        built = _validated(fresh, lines)
        if built is not None:
            _save_lines(fresh, built)
        fresh.save()
        if fresh.approximate_delivery_date != promised:
            _promise_changed(fresh)
    return fresh


def _promise_changed(invoice: Invoice) -> None:
    """The date promised to the client moved: its production orders carry it and, in the
    studio's backward mode, their due dates hang on it (recomputed in the background)."""
    if invoice.production_orders.update(promised_date=invoice.approximate_delivery_date):
        recompute_due_dates.enqueue(reason=PROMISE_CHANGED, invoice_id=invoice.pk)


def invoice_delete(*, invoice: Invoice) -> None:
    """Delete an invoice entered by mistake, with its lines. One with payments is refused: the
    money was received, so the payments are removed first, deliberately."""
    with transaction.atomic():
        payments = invoice.payments.count()
        if payments:
            plural = "payment" if payments == 1 else "payments"
            raise RecordInUse(
                f"Invoice {invoice.number} can't be deleted: it has {payments} {plural}. "
                "Delete the payments first."
            )
        _refuse_if_tracked(invoice, f"Invoice {invoice.number}")
        record_delete(record=invoice)


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
    by: AbstractBaseUser | None = None,
) -> Payment:
    """Record money the client paid towards the invoice (the invoice's ``paid`` follows).

    ``by`` is who recorded it: production automation may make the invoice's orders in their
    name; ``payment.production_automation`` says what it did (None: nothing).
    """
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        payment = Payment(
            invoice=invoice,
            amount=amount,
            date=date or studio_preferences().today(),
            method=method,
            reference=reference,
        )
        payment.full_clean()
        if locked is not None and locked.paid + payment.amount >= MONEY_LIMIT:
            raise ValidationError({"amount": "The payments would exceed what an invoice can hold."})
        payment.save()
        _refresh_paid(invoice)
        outcome = None
        if locked is not None:
            paid_before = locked.paid  # payments are positive: nothing paid means none before
            locked.paid, locked.version = invoice.paid, invoice.version
            outcome = import_string(ON_PAYMENT)(
                invoice=locked, by=by, paid_before=paid_before, first=paid_before == 0
            )
        payment.production_automation = outcome  # type: ignore[attr-defined]
    return payment


def payment_delete(*, payment: Payment) -> None:
    """Remove a payment recorded by mistake (the invoice's ``paid`` follows)."""
    with transaction.atomic():
        invoice = payment.invoice
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        payment.delete()
        _refresh_paid(invoice)
