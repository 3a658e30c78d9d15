"""Production automation: an invoice's production orders made (or asked for) at a chosen moment,
and the invoice closed when its last order is final. The preferences are one row
(:class:`~darkroom.production.models.ProductionAutomation`).

*Creating* (:func:`_reach`, the one place of that rule): at the studio's moment (the invoice is
first saved, gets its first payment, is paid at least X %, is paid in full, or enters a chosen
status) an invoice that has no production orders yet gets one per vendor its lines need, with
automatic details, entered by the person who caused the moment; or the person is asked
(``Invoice.production_orders_prompt`` keeps the question until it is answered). The invoice
services call it explicitly when they save an invoice or a payment; status changes reach it
through :func:`statuses_entered`, the first of the status engine's followers
(``tracking.followers``), which it calls on every write path. Making the orders runs in a
savepoint: when it is refused (no vendor on any line, no cycle for the order type…) the invoice
or payment is still saved and the person is told why.

*Finishing* (:func:`_invoices_finished`): when the orders that just became final leave no open
order on their invoice, the invoice may move to a chosen status, get its delivered date, and a
person a task to deliver it. It runs in the orders' own transaction; what it can't do never
undoes the orders' change, but leaves a task saying so.

The preferences themselves, and their rules, are ``automation_preferences.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from darkroom.clients.models import Invoice
from darkroom.database_limits import MOST_PARAMETERS
from darkroom.errors import DarkroomError
from darkroom.production.automation_preferences import production_automation
from darkroom.production.models import (
    AutomationAction,
    AutomationMoment,
    ProductionAutomation,
    ProductionOrder,
)
from darkroom.production.services.creation import OrdersCreated, production_orders_create
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task
from darkroom.todos.services import task_create
from darkroom.tracking.followers import StatusEntered
from darkroom.tracking.models import Status
from darkroom.tracking.services import BulkItem, BulkRefused, status_change_bulk

log = logging.getLogger("darkroom.production")

CHUNK = MOST_PARAMETERS  # ids per statement
DELIVER = "Deliver invoice"  # the finishing task's subject starts so; one open per invoice


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


# -- creating: the outcome a person is shown -----------------------------------------------------


@dataclass(frozen=True)
class AutomationOutcome:
    """What production automation did at a moment: made orders, asked, or could not make them."""

    moment: str
    created: OrdersCreated | None = None
    prompted: bool = False
    refused: str = ""  # why no order was made (the service's own words)
    orders: list[ProductionOrder] = field(default_factory=list)

    @property
    def result(self) -> str:
        if self.created is not None:
            return "created"
        return "prompted" if self.prompted else "not_created"

    @property
    def message(self) -> str:
        """One plain sentence for the page or the API answer."""
        if self.created is not None:
            count = len(self.orders)
            names = ", ".join(str(order) for order in self.orders)
            text = f"Created {count} production order{'s' if count != 1 else ''}: {names}."
            skipped = self.created.skipped_lines
            if skipped:
                lines = ", ".join(str(s.line.position) for s in skipped)
                text += f" Line{'s' if len(skipped) != 1 else ''} {lines} got no order: " + (
                    skipped[0].reason + "."
                )
            return text
        if self.prompted:
            return f"{moment_words(self.moment)}: create this invoice's production orders now?"
        return f"Production orders were not created: {self.refused}"

    def answer(self) -> dict[str, Any]:
        """The outcome as the API shows it."""
        return {
            "moment": self.moment,
            "result": self.result,
            "message": self.message,
            "orders": [order.pk for order in self.orders],
        }


def moment_words(moment: str, automation: ProductionAutomation | None = None) -> str:
    """ "Paid in full": how the invoice page names the moment it asks about."""
    automation = automation or production_automation()
    if moment == AutomationMoment.PAID_PERCENT:
        return f"Paid {automation.paid_percent or 0} %"
    if moment == AutomationMoment.INVOICE_STATUS:
        status = automation.invoice_status if automation.invoice_status_id else None
        return f"Entered “{status}”" if status else "Entered the chosen status"
    return {
        AutomationMoment.INVOICE_SAVED: "Saved",
        AutomationMoment.FIRST_PAYMENT: "First payment received",
        AutomationMoment.PAID_IN_FULL: "Paid in full",
    }.get(moment, "Production automation")


def _reasons(exc: ValidationError | DarkroomError) -> str:
    if isinstance(exc, DarkroomError):
        return exc.message
    return " ".join(exc.messages)


def _reach(
    invoice: Invoice, automation: ProductionAutomation, moment: str, by: Any
) -> AutomationOutcome | None:
    """The invoice reached the studio's moment: make its orders or ask (the creating rule).

    Nothing happens to an invoice that already has production orders. The orders are made in a
    savepoint, so a refusal leaves nothing half-made and the caller's own write stands; the
    outcome says why. Asking stores the moment on the invoice until someone answers.
    """
    if ProductionOrder.objects.filter(invoice_id=invoice.pk).exists():
        return None
    if automation.action == AutomationAction.PROMPT:
        Invoice.objects.filter(pk=invoice.pk).update(production_orders_prompt=moment)
        invoice.production_orders_prompt = moment
        return AutomationOutcome(moment=moment, prompted=True)
    person = by if by is not None else invoice.created_by
    if person is None:
        return AutomationOutcome(
            moment=moment, refused="nobody is named to enter them; create them from the invoice."
        )
    try:
        with transaction.atomic():
            created = production_orders_create(invoice=invoice, by=person)
    except (ValidationError, DarkroomError) as exc:
        return AutomationOutcome(moment=moment, refused=_reasons(exc))
    return AutomationOutcome(moment=moment, created=created, orders=list(created.orders))


def production_orders_on_invoice_saved(*, invoice: Invoice, by: Any) -> AutomationOutcome | None:
    """``invoice_create`` saved a new invoice (its lines included): the "first saved" moment."""
    automation = production_automation()
    if automation.moment != AutomationMoment.INVOICE_SAVED:
        return None
    return _reach(invoice, automation, AutomationMoment.INVOICE_SAVED, by)


def _payment_reached(
    automation: ProductionAutomation,
    *,
    total: Decimal,
    before: Decimal,
    after: Decimal,
    first: bool,
) -> bool:
    """Whether this payment is the moment: the first one, or the one that crosses the share or
    the total (a later payment above the line is not the moment again)."""
    moment = automation.moment
    if moment == AutomationMoment.FIRST_PAYMENT:
        return first
    if moment == AutomationMoment.PAID_IN_FULL:
        return total > 0 and before < total <= after
    if moment == AutomationMoment.PAID_PERCENT and automation.paid_percent:
        line = total * automation.paid_percent
        return total > 0 and before * 100 < line <= after * 100
    return False


def production_orders_on_payment(
    *, invoice: Invoice, by: Any, paid_before: Decimal, first: bool
) -> AutomationOutcome | None:
    """``payment_add`` recorded a payment (the invoice row locked, ``invoice.paid`` now counting
    it): the "first payment", "paid at least X %" and "paid in full" moments."""
    automation = production_automation()
    if not _payment_reached(
        automation, total=invoice.total, before=paid_before, after=invoice.paid, first=first
    ):
        return None
    return _reach(invoice, automation, automation.moment, by)


def _invoices_entered(entries: list[StatusEntered], by: Any) -> None:
    """Invoices entered statuses: the "enters a chosen status" moment, for single and bulk
    changes alike. A refusal has no page to be shown on, so the person who changed the status
    gets a task saying why."""
    automation = production_automation()
    chosen = automation.invoice_status_id
    if automation.moment != AutomationMoment.INVOICE_STATUS or chosen is None:
        return
    ids = [entry.record_id for entry in entries if entry.to_status.pk == chosen]
    no_orders = ~Exists(ProductionOrder.objects.filter(invoice_id=OuterRef("pk")))
    for part in _chunks(ids):
        for invoice in Invoice.objects.filter(no_orders, pk__in=part).select_related("client"):
            outcome = _reach(invoice, automation, AutomationMoment.INVOICE_STATUS, by)
            if outcome is not None and outcome.result == "not_created":
                _leave_task(
                    invoice,
                    by,
                    subject=f"Create the production orders of invoice {invoice.number}",
                    notes=f"{moment_words(outcome.moment, automation)}: {outcome.message}",
                )


def production_orders_prompt_dismiss(*, invoice: Invoice) -> None:
    """ "Not now": the question about this invoice's production orders is put away."""
    Invoice.objects.filter(pk=invoice.pk).update(production_orders_prompt="")
    invoice.production_orders_prompt = ""


def _orders_started(order_ids: Sequence[int]) -> None:
    """Orders were made for invoices: the question about making them is answered."""
    for part in _chunks(order_ids):
        Invoice.objects.filter(production_orders__in=part).exclude(
            production_orders_prompt=""
        ).update(production_orders_prompt="")


# -- finishing -----------------------------------------------------------------------------------


def _leave_task(invoice: Invoice, by: Any, *, subject: str, notes: str, user: Any = None) -> None:
    """A task about the invoice for ``user`` (else ``by``): what automation could not do is not
    left unsaid. Written in a savepoint; if even that is refused, the log keeps it."""
    person = user or by
    if person is None:
        log.warning("Invoice %s: %s (%s)", invoice.number, subject, notes)
        return
    try:
        with transaction.atomic():
            task_create(
                by=by or person,
                subject=subject[:200],
                notes=notes,
                due_on=studio_preferences().today(),
                assigned_user=person,
                links={"invoice": invoice},
            )
    except (ValidationError, DarkroomError) as exc:
        log.warning("Invoice %s: %s (%s; no task: %s)", invoice.number, subject, notes, exc)


def _finished_invoices(order_ids: Sequence[int]) -> list[Invoice]:
    """The invoices of these orders whose every production order is now final: one query per
    MOST_PARAMETERS orders, however many orders a bulk change moved.

    Where rows can be locked (PostgreSQL) the invoices are locked first, in id order: two people
    finishing an invoice's last two orders at once would otherwise each see the other's order
    still open, and neither would finish it. The second now waits and sees the first's change.
    """
    open_order = ProductionOrder.objects.filter(invoice_id=OuterRef("pk")).filter(
        Q(status__isnull=True) | Q(status__is_final=False)
    )
    found: dict[int, Invoice] = {}
    for part in _chunks(order_ids):
        of_orders = Invoice.objects.filter(
            pk__in=ProductionOrder.objects.filter(pk__in=part).values("invoice_id")
        )
        if connection.features.has_select_for_update:
            list(of_orders.select_for_update().order_by("pk").values_list("pk", flat=True))
        invoices = of_orders.filter(~Exists(open_order)).select_related("client", "status")
        found.update((invoice.pk, invoice) for invoice in invoices)
    return [found[pk] for pk in sorted(found)]


def _move_invoices(
    invoices: list[Invoice], target: Status, by: Any, automation: ProductionAutomation
) -> None:
    """Move the invoices to ``target`` in one bulk change; those it refuses stay where they are
    (the orders' change stands) and get a task saying why."""
    movable = [i for i in invoices if i.status_id is not None and i.status_id != target.pk]
    note = "All production orders are final."
    while movable:
        try:
            with transaction.atomic():
                status_change_bulk(
                    model=Invoice,
                    items=[BulkItem(id=i.pk, expected_version=i.version) for i in movable],
                    updated_by=by,
                    to_status=target,
                    note=note,
                )
            return
        except BulkRefused as refusal:
            refused = {o.id: o.message for o in refusal.outcomes if not o.ok}
        except (ValidationError, DarkroomError) as exc:
            refused = dict.fromkeys((i.pk for i in movable), _reasons(exc))
        for invoice in movable:
            if invoice.pk in refused:
                _leave_task(
                    invoice,
                    by,
                    subject=f"Move invoice {invoice.number} to “{target}” by hand",
                    notes="All its production orders are final, but the invoice could not be "
                    f"moved: {refused[invoice.pk]}",
                    user=automation.finished_task_user
                    if automation.finished_task_user_id
                    else None,
                )
        if not refused:
            return
        movable = [i for i in movable if i.pk not in refused]


def _invoices_finished(order_ids: Sequence[int], by: Any) -> None:
    """Orders became final: close the invoices whose every order is now final (the finishing
    rule). The invoice moves to the chosen status (unless it is there or not started), gets the
    studio's today as delivered date when it has none (raising its version, so an editor open
    on it gets a conflict rather than overwriting it), and the chosen person a task to deliver
    it, unless such a task is still open."""
    automation = production_automation()
    target = automation.finished_invoice_status if automation.finished_invoice_status_id else None
    person = automation.finished_task_user if automation.finished_task_user_id else None
    if target is None and person is None and not automation.finished_sets_delivered_date:
        return
    invoices = _finished_invoices(order_ids)
    if not invoices:
        return
    ids = [invoice.pk for invoice in invoices]
    if target is not None:
        _move_invoices(invoices, target, by, automation)
    if automation.finished_sets_delivered_date:
        today = studio_preferences().today()
        for part in _chunks(ids):
            Invoice.objects.filter(pk__in=part, delivered_date__isnull=True).update(
                delivered_date=today, version=F("version") + 1
            )
    if person is not None:
        open_tasks: set[int] = set()
        for part in _chunks(ids):
            open_tasks.update(
                Task.objects.filter(
                    invoice_id__in=part, completed_date__isnull=True, subject__startswith=DELIVER
                ).values_list("invoice_id", flat=True)
            )
        for invoice in invoices:
            if invoice.pk not in open_tasks:
                _leave_task(
                    invoice,
                    by,
                    subject=f"{DELIVER} {invoice.number} to {invoice.client.name}",
                    notes="All its production orders are final.",
                    user=person,
                )


def _orders_entered(entries: list[StatusEntered], by: Any) -> None:
    """Production orders entered statuses: new orders answer their invoice's question; final
    ones may finish their invoice."""
    started = [entry.record_id for entry in entries if entry.from_status is None]
    if started:
        _orders_started(started)
    finished = [entry.record_id for entry in entries if entry.to_status.is_final]
    if finished:
        _invoices_finished(finished, by)


def statuses_entered(*, model: type[Any], entries: list[StatusEntered], by: Any) -> None:
    """The status engine's follower (``tracking.followers``): invoices and production orders
    that entered statuses may make or finish orders; other records are not automation's."""
    if model is Invoice:
        _invoices_entered(entries, by)
    elif model is ProductionOrder:
        _orders_entered(entries, by)
