"""Production automation: orders made (or asked for) at the studio's moment, once per invoice,
never half-made; invoices closed when their last order is final; the preferences' rules."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.catalog.models import Vendor
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.models import Invoice
from darkroom.clients.services import invoice_create, payment_add
from darkroom.production.automation import _finished_invoices, production_orders_prompt_dismiss
from darkroom.production.automation_preferences import (
    production_automation,
    production_automation_update,
)
from darkroom.production.models import ProductionAutomation, ProductionOrder, ProductionOrderDetail
from darkroom.production.services.creation import production_orders_create
from darkroom.studio.selectors import studio_preferences
from darkroom.todos.models import Task
from darkroom.tracking.models import CycleKind, StatusNote
from darkroom.tracking.services import BulkItem, status_change, status_change_bulk, status_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def make_shop(people: dict[str, Any]) -> SimpleNamespace:
    """Prints go to a lab, albums to an album maker (each type with its cycle); one item has no
    vendor; invoices follow Entered → Ready → Packed → Delivered."""
    prints, albums = f.OrderTypeFactory(name="Prints"), f.OrderTypeFactory(name="Albums")
    steps = {
        kind.name: f.cycle_with_statuses(
            order_type=kind,
            steps=[(f"{kind} ordered", 1), (f"{kind} at vendor", 2)],
            final=f"{kind} received",
        ).statuses
        for kind in (prints, albums)
    }
    lab = f.VendorFactory(
        name="Bay Lab", auto_assigns_numbers=True, next_order_number=500, default_order_type=prints
    )
    maker = f.VendorFactory(name="Album Co", default_order_type=albums)
    invoices = f.cycle_with_statuses(
        kind=CycleKind.INVOICE,
        steps=[("Entered", 1), ("Ready", 1), ("Packed", 1)],
        final="Delivered",
    )
    return SimpleNamespace(
        prints=prints,
        albums=albums,
        print_steps=steps["Prints"],
        album_steps=steps["Albums"],
        lab=lab,
        maker=maker,
        print_item=f.PriceListItemFactory(identifier="P810", preferred_vendor=lab),
        album_item=f.PriceListItemFactory(identifier="ALB", preferred_vendor=maker),
        digital=f.PriceListItemFactory(identifier="DIG", preferred_vendor=None),
        entered=invoices["Entered"],
        ready=invoices["Ready"],
        packed=invoices["Packed"],
        delivered=invoices.final,
        client=f.ClientFactory(first_name="Ann", last_name="Lee"),
        staff=people["staff"],
        manager=people["manager"],
    )


@pytest.fixture
def shop(people) -> SimpleNamespace:
    return make_shop(people)


def new_invoice(shop: SimpleNamespace, *items: Any, price: str = "50.00") -> Invoice:
    """An invoice of ``items`` (default a print and an album: 100.00) saved by the staff member."""
    chosen = items or (shop.print_item, shop.album_item)
    lines = [LineInput(item_id=item.pk, price=Decimal(price)) for item in chosen]
    return invoice_create(client=shop.client, lines=lines, by=shop.staff)


def pay(shop: SimpleNamespace, invoice: Invoice, amount: str) -> Any:
    return payment_add(invoice=invoice, amount=Decimal(amount), by=shop.staff)


def orders_of(invoice: Invoice) -> list[ProductionOrder]:
    return list(ProductionOrder.objects.filter(invoice=invoice).order_by("id"))


def prompt_of(invoice: Invoice) -> str:
    return Invoice.objects.get(pk=invoice.pk).production_orders_prompt


def fresh(record: Any) -> Any:
    return type(record).objects.get(pk=record.pk)


# -- the preferences ------------------------------------------------------------------------------


def test_a_studio_that_never_chose_gets_never_and_nothing_happens(shop):
    assert production_automation().moment == "never"
    assert not ProductionAutomation.objects.exists()
    invoice = new_invoice(shop)
    payment = pay(shop, invoice, "100.00")
    assert invoice.production_automation is None
    assert payment.production_automation is None
    assert orders_of(invoice) == [] and prompt_of(invoice) == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"moment": "paid_percent"}, "paid_percent"),
        ({"moment": "paid_percent", "paid_percent": 0}, "paid_percent"),
        ({"moment": "paid_percent", "paid_percent": 101}, "paid_percent"),
        ({"moment": "paid_percent", "paid_percent": True}, "paid_percent"),
        ({"moment": "invoice_status"}, "invoice_status"),
        ({"moment": "sometimes"}, "moment"),
        ({"action": "maybe"}, "action"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_preferences_that_do_not_fit_are_refused_and_nothing_is_saved(shop, changes, field):
    production_automation_update(moment="first_payment", action="prompt")
    with pytest.raises(ValidationError) as refused:
        production_automation_update(**changes)
    assert field in refused.value.message_dict
    kept = production_automation()
    assert (kept.moment, kept.action, kept.paid_percent) == ("first_payment", "prompt", None)


def test_statuses_must_be_of_the_invoice_cycle_and_the_person_able_to_sign_in(shop):
    gone = f.UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationError) as refused:
        production_automation_update(
            moment="invoice_status",
            invoice_status=shop.print_steps[1],
            finished_invoice_status=shop.album_steps[2],
            finished_task_user=gone,
        )
    errors = refused.value.message_dict
    assert errors["invoice_status"] == [
        "“Prints at vendor” is a status of another cycle: choose one of the invoice cycle."
    ]
    assert "another cycle" in errors["finished_invoice_status"][0]
    assert errors["finished_task_user"] == ["“gone” can no longer sign in: choose someone else."]
    status_update(status=shop.packed, is_inactive=True)
    with pytest.raises(ValidationError) as refused:
        production_automation_update(moment="invoice_status", invoice_status=shop.packed)
    assert refused.value.message_dict["invoice_status"] == [
        "“Packed” is inactive: choose an active status."
    ]
    assert production_automation().moment == "never"


# -- creating: each moment -----------------------------------------------------------------------


def test_orders_made_when_the_invoice_is_first_saved(shop):
    production_automation_update(moment="invoice_saved", action="create")
    invoice = new_invoice(shop)
    made = orders_of(invoice)
    assert [(o.vendor, o.order_type) for o in made] == [
        (shop.lab, shop.prints),
        (shop.maker, shop.albums),
    ]
    assert all(o.entered_by == shop.staff and o.status.is_initial for o in made)
    assert made[0].vendor_number == "500" and made[0].number != made[1].number
    assert ProductionOrderDetail.objects.filter(order__invoice=invoice).count() == 2
    outcome = invoice.production_automation
    assert outcome.result == "created"
    assert outcome.message == (
        f"Created 2 production orders: Prints order #{made[0].number} (Bay Lab), "
        f"Albums order #{made[1].number} (Album Co)."
    )
    # A payment later is not "first saved": nothing more.
    assert pay(shop, invoice, "100.00").production_automation is None
    assert len(orders_of(invoice)) == 2


def test_asked_instead_when_the_studio_prefers_to_decide(shop):
    production_automation_update(moment="invoice_saved", action="prompt")
    invoice = new_invoice(shop)
    assert orders_of(invoice) == []
    assert prompt_of(invoice) == "invoice_saved"
    assert invoice.production_automation.message == (
        "Saved: create this invoice's production orders now?"
    )


def test_the_first_payment_and_only_the_first(shop):
    production_automation_update(moment="first_payment", action="prompt")
    invoice = new_invoice(shop)
    assert prompt_of(invoice) == ""
    first = pay(shop, invoice, "10.00")
    assert first.production_automation.result == "prompted"
    assert prompt_of(invoice) == "first_payment"
    production_orders_prompt_dismiss(invoice=invoice)
    assert prompt_of(invoice) == ""
    assert pay(shop, invoice, "10.00").production_automation is None
    assert prompt_of(invoice) == ""


def test_paid_at_least_a_share_fires_when_the_payment_crosses_it_and_not_again(shop):
    production_automation_update(moment="paid_percent", paid_percent=50, action="create")
    invoice = new_invoice(shop)  # 100.00
    assert pay(shop, invoice, "20.00").production_automation is None
    assert pay(shop, invoice, "29.99").production_automation is None  # 49.99 %
    assert orders_of(invoice) == []
    crossing = pay(shop, invoice, "0.01")  # exactly 50 %
    assert crossing.production_automation.result == "created"
    assert len(orders_of(invoice)) == 2
    assert pay(shop, invoice, "30.00").production_automation is None


def test_paid_at_least_a_share_when_asking_is_asked_once(shop):
    production_automation_update(moment="paid_percent", paid_percent=75, action="prompt")
    invoice = new_invoice(shop)
    pay(shop, invoice, "80.00")
    assert prompt_of(invoice) == "paid_percent"
    production_orders_prompt_dismiss(invoice=invoice)
    pay(shop, invoice, "10.00")  # still above the line: not crossed again
    assert prompt_of(invoice) == ""


def test_paid_in_full(shop):
    production_automation_update(moment="paid_in_full", action="create")
    invoice = new_invoice(shop)
    assert pay(shop, invoice, "99.99").production_automation is None
    assert orders_of(invoice) == []
    full = pay(shop, invoice, "5.00")  # overpaid counts as paid in full
    assert full.production_automation.result == "created"
    assert len(orders_of(invoice)) == 2
    assert Invoice.objects.get(pk=invoice.pk).paid == Decimal("104.99")


def test_entering_the_chosen_status_by_a_single_change(shop):
    production_automation_update(moment="invoice_status", invoice_status=shop.ready)
    invoice = fresh(new_invoice(shop))
    assert orders_of(invoice) == []
    status_change(
        record=invoice,
        expected_version=invoice.version,
        updated_by=shop.staff,
        to_status=shop.packed,
    )
    assert orders_of(invoice) == []  # another status
    invoice = fresh(invoice)
    status_change(
        record=invoice,
        expected_version=invoice.version,
        updated_by=shop.staff,
        to_status=shop.ready,
    )
    made = orders_of(invoice)
    assert len(made) == 2 and {o.entered_by for o in made} == {shop.staff}


def test_entering_the_chosen_status_by_a_bulk_change_and_a_refusal_is_told(shop):
    production_automation_update(moment="invoice_status", invoice_status=shop.ready)
    good = [new_invoice(shop) for _ in range(3)]
    no_vendor = new_invoice(shop, shop.digital)
    ordered = new_invoice(shop)
    production_orders_create(invoice=ordered, by=shop.manager)
    chosen = [*good, no_vendor, ordered]
    status_change_bulk(
        model=Invoice,
        items=[BulkItem(id=i.pk) for i in chosen],
        updated_by=shop.staff,
        to_status=shop.ready,
    )
    assert Invoice.objects.filter(pk__in=[i.pk for i in chosen], status=shop.ready).count() == 5
    assert [len(orders_of(i)) for i in good] == [2, 2, 2]
    assert len(orders_of(ordered)) == 2  # had its orders already: none added
    assert orders_of(no_vendor) == []
    told = Task.objects.get(invoice=no_vendor)
    assert told.assigned_user == shop.staff
    assert told.subject == f"Create the production orders of invoice {no_vendor.number}"
    assert "Production orders were not created: No line of this invoice has a vendor" in (
        told.notes
    )
    assert not Task.objects.exclude(pk=told.pk).exists()


def test_an_invoice_that_has_orders_already_is_left_alone(shop):
    production_automation_update(moment="paid_in_full", action="prompt")
    invoice = new_invoice(shop)
    production_orders_create(invoice=invoice, by=shop.manager)
    outcome = pay(shop, invoice, "100.00").production_automation
    assert outcome is None
    assert prompt_of(invoice) == "" and len(orders_of(invoice)) == 2


def test_a_refusal_saves_the_invoice_makes_nothing_and_says_why(shop):
    production_automation_update(moment="invoice_saved", action="create")
    notes = StatusNote.objects.count()
    invoice = new_invoice(shop, shop.digital)
    assert Invoice.objects.filter(pk=invoice.pk).exists()
    assert invoice.production_automation.result == "not_created"
    assert invoice.production_automation.message == (
        "Production orders were not created: No line of this invoice has a vendor: give its "
        "items a preferred vendor, or choose one vendor and manual details."
    )
    assert StatusNote.objects.count() == notes + 1  # the invoice's own start
    assert ProductionOrder.objects.count() == 0
    assert Vendor.objects.get(pk=shop.lab.pk).next_order_number == 500


def test_a_refusal_half_way_leaves_no_order_and_the_payment_stands(shop):
    """The lab's order could be made but the framer's type has no cycle: no order at all (not
    even the lab's, whose counter stays), and the payment is still recorded."""
    production_automation_update(moment="paid_in_full", action="create")
    frames = f.OrderTypeFactory(name="Frames")  # no status cycle
    framer = f.VendorFactory(name="Frame Shop", default_order_type=frames)
    frame = f.PriceListItemFactory(identifier="FR", preferred_vendor=framer)
    invoice = new_invoice(shop, shop.print_item, frame)
    payment = pay(shop, invoice, "100.00")
    assert payment.pk is not None and fresh(invoice).paid == Decimal("100.00")
    outcome = payment.production_automation
    assert outcome.message == (
        "Production orders were not created: The order type “Frames” has no status cycle yet: "
        "add its statuses first."
    )
    assert ProductionOrder.objects.count() == 0
    assert ProductionOrderDetail.objects.count() == 0
    assert Vendor.objects.get(pk=shop.lab.pk).next_order_number == 500


def test_making_the_orders_answers_the_question(shop):
    production_automation_update(moment="invoice_saved", action="prompt")
    invoice = new_invoice(shop)
    assert prompt_of(invoice) == "invoice_saved"
    production_orders_create(invoice=invoice, by=shop.staff)
    assert prompt_of(invoice) == ""


# -- finishing -----------------------------------------------------------------------------------


def finishing(shop: SimpleNamespace, **changes: Any) -> None:
    chosen = {
        "finished_invoice_status": shop.delivered,
        "finished_sets_delivered_date": True,
        "finished_task_user": shop.manager,
    }
    production_automation_update(**{**chosen, **changes})


def to_final(orders: list[ProductionOrder], by: Any) -> None:
    for order in orders:
        order = fresh(order)
        final = order.status.cycle.statuses.get(is_final=True)
        status_change(record=order, expected_version=order.version, updated_by=by, to_status=final)


def test_an_invoice_is_finished_when_its_last_order_is_final(studio_today, shop):
    finishing(shop)
    invoice = new_invoice(shop)
    lab_order, album_order = production_orders_create(invoice=invoice, by=shop.staff).orders
    version = fresh(invoice).version
    to_final([lab_order], shop.staff)
    partial = fresh(invoice)
    assert (partial.status, partial.delivered_date, partial.version) == (
        shop.entered,
        None,
        version,
    )
    assert not Task.objects.exists()

    to_final([album_order], shop.staff)
    done = fresh(invoice)
    assert done.status == shop.delivered
    assert done.delivered_date == studio_today
    assert done.version > version
    note = StatusNote.objects.filter(object_id=invoice.pk, to_status=shop.delivered).get()
    assert note.updated_by == shop.staff and note.note == "All production orders are final."
    task = Task.objects.get()
    assert task.subject == f"Deliver invoice {invoice.number} to Ann Lee"
    assert (task.assigned_user, task.invoice, task.created_by) == (
        shop.manager,
        done,
        shop.staff,
    )


def test_the_delivery_task_is_not_given_twice_while_it_is_open(shop):
    finishing(shop)
    invoice = new_invoice(shop)
    orders = production_orders_create(invoice=invoice, by=shop.staff).orders
    to_final(orders, shop.staff)
    # An order is reopened (back to the vendor) and comes back final again.
    order = fresh(orders[0])
    status_change(
        record=order,
        expected_version=order.version,
        updated_by=shop.staff,
        to_status=shop.print_steps[1],
    )
    to_final([orders[0]], shop.staff)
    assert Task.objects.count() == 1
    assert StatusNote.objects.filter(object_id=invoice.pk, to_status=shop.delivered).count() == 1


def test_a_bulk_change_of_many_orders_finishes_only_the_invoices_it_completes(shop):
    finishing(shop)
    invoices = [new_invoice(shop, shop.print_item) for _ in range(20)]
    orders = [production_orders_create(invoice=i, by=shop.staff).orders[0] for i in invoices]
    # One more invoice with a print and an album: only its print is in the bulk change.
    mixed = new_invoice(shop)
    mixed_print, _album = production_orders_create(invoice=mixed, by=shop.staff).orders
    moved = [*orders, mixed_print]
    outcomes = status_change_bulk(
        model=ProductionOrder,
        items=[BulkItem(id=o.pk) for o in moved],
        updated_by=shop.staff,
        to_status=shop.print_steps[2],
    )
    assert all(o.ok for o in outcomes) and len(outcomes) == 21
    finished = Invoice.objects.filter(pk__in=[i.pk for i in invoices])
    assert set(finished.values_list("status", flat=True)) == {shop.delivered.pk}
    assert not finished.filter(delivered_date__isnull=True).exists()
    assert Task.objects.filter(invoice__in=invoices).count() == 20
    still = fresh(mixed)
    assert (still.status, still.delivered_date) == (shop.entered, None)
    assert not Task.objects.filter(invoice=mixed).exists()


def test_finding_the_finished_invoices_does_not_take_a_query_per_order(shop):
    invoices = [new_invoice(shop) for _ in range(20)]
    ids = []
    for invoice in invoices:
        ids += [o.pk for o in production_orders_create(invoice=invoice, by=shop.staff).orders]
    ProductionOrder.objects.filter(pk__in=ids[:-1]).update(status=shop.print_steps[2])
    with CaptureQueriesContext(connection) as queries:
        found = _finished_invoices(ids)
    # PostgreSQL first locks the invoices (see _finished_invoices); SQLite writes one at a time.
    assert len(queries) == (2 if connection.features.has_select_for_update else 1)
    assert [i.pk for i in found] == [i.pk for i in invoices[:-1]]  # the last has an open order


def test_a_refused_invoice_move_keeps_the_orders_change_and_leaves_a_task(shop):
    finishing(shop, finished_task_user=None)
    production_automation_update(finished_invoice_status=shop.packed)
    invoice = new_invoice(shop, shop.print_item)
    (order,) = production_orders_create(invoice=invoice, by=shop.staff).orders
    status_update(status=shop.packed, is_inactive=True)  # retired after it was chosen
    to_final([order], shop.staff)
    assert fresh(order).status == shop.print_steps[2]
    after = fresh(invoice)
    assert after.status == shop.entered
    assert after.delivered_date == studio_preferences().today()
    task = Task.objects.get()
    assert task.subject == f"Move invoice {invoice.number} to “Packed” by hand"
    assert task.assigned_user == shop.staff
    assert "could not be moved" in task.notes and "inactive" in task.notes


def test_an_invoice_already_there_or_not_started_is_not_moved(shop):
    finishing(shop)
    unstarted = f.InvoiceFactory(client=shop.client)  # saved before the studio had a cycle
    f.InvoiceLineFactory(invoice=unstarted, item=shop.print_item)
    (order,) = production_orders_create(invoice=unstarted, by=shop.staff).orders
    to_final([order], shop.staff)
    after = fresh(unstarted)
    assert after.status is None
    assert after.delivered_date == studio_preferences().today()
    assert Task.objects.filter(invoice=unstarted).count() == 1


def test_nothing_is_done_when_the_studio_chose_no_finishing(shop):
    invoice = new_invoice(shop, shop.print_item)
    (order,) = production_orders_create(invoice=invoice, by=shop.staff).orders
    before = fresh(invoice)
    to_final([order], shop.staff)
    after = fresh(invoice)
    assert (after.status, after.delivered_date, after.version) == (
        before.status,
        None,
        before.version,
    )
    assert not Task.objects.exists()
