"""Writes of clients, sessions, invoices and payments: the one place their rules live.

Invoices are saved whole (header and lines together, in one transaction) so the page editor and
the API give the same answers. A stale ``expected_version`` is refused with a Conflict, so two
people editing one invoice never overwrite each other silently. An invoice's lines and their
rules: ``invoice_lines.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils.module_loading import import_string

from darkroom.clients.invoice_lines import MONEY_LIMIT, LineInput, _build_lines, _save_lines
from darkroom.clients.models import Client, Invoice, InvoiceLine, Payment, Session
from darkroom.errors import Conflict, DarkroomError, RecordInUse
from darkroom.record_writes import record_delete, record_save
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import PROMISE_CHANGED, STATUS_COLUMNS, record_start
from darkroom.tracking.tasks import recompute_due_dates

# What production automation makes of a saved invoice and of a payment (production orders from
# the invoice's lines, production/automation.py), called inside the write's transaction. Named by
# dotted path, as the tracking engine names its followers: production builds on the clients'
# records, so clients doesn't import it.
ON_INVOICE_SAVED = "darkroom.production.automation.production_orders_on_invoice_saved"
ON_PAYMENT = "darkroom.production.automation.production_orders_on_payment"


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
        and invoice.session is not None
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


def invoice_create(
    *,
    client: Client,
    lines: Sequence[LineInput] = (),
    by: User | None = None,
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
