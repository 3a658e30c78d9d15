"""Production orders made from an invoice: one per vendor, numbered, all or none; reorders and
preproduction orders from a session (detail lines: test_order_details.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from darkroom.catalog.models import Vendor
from darkroom.errors import Conflict, DarkroomError, is_duplicate
from darkroom.production.models import PreproductionOrder, ProductionOrder, ProductionOrderDetail
from darkroom.production.services import (
    creation,
    invoice_plans,
    order_changes,
    proof_orders,
    reorders,
)
from darkroom.scheduling import BusinessCalendar
from darkroom.tracking.models import CycleKind, NoteKind, StatusNote
from darkroom.tracking.services import cycle_create, status_add
from tests import factories as f

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)
WEEK = BusinessCalendar(range(5), [])


def production_cycle(order_type: Any, durations: list[int]) -> list[Any]:
    """A cycle for the order type: one status per duration, the last final."""
    steps = [(f"{order_type} step {n}", days) for n, days in enumerate(durations, start=1)]
    (last, days), final = steps.pop(), {"is_final": True}
    return f.cycle_with_statuses(
        order_type=order_type, steps=[*steps, (last, days, final)], final=None
    ).statuses


def make_studio() -> SimpleNamespace:
    """Two order types with cycles; a lab that numbers its orders, an album maker, a framer with
    no default type; items of each, one with no vendor; an invoice ordering all of them, one
    line sent to the album maker instead of the lab."""
    prints, albums = f.OrderTypeFactory(name="Lab prints"), f.OrderTypeFactory(name="Albums")
    print_steps = production_cycle(prints, [2, 1, 0])
    album_steps = production_cycle(albums, [3, 5, 0])
    lab = f.VendorFactory(
        name="Bay Lab", auto_assigns_numbers=True, next_order_number=100, default_order_type=prints
    )
    maker = f.VendorFactory(name="Album Co", default_order_type=albums)
    framer = f.VendorFactory(name="Frame Shop")
    profile = f.RenderProfileFactory(name="8x10 lustre")
    print_item = f.PriceListItemFactory(
        identifier="P810", description="8x10 print", preferred_vendor=lab, render_profile=profile
    )
    album_item = f.PriceListItemFactory(identifier="ALB10", preferred_vendor=maker)
    digital = f.PriceListItemFactory(identifier="DIG", preferred_vendor=None)
    moved = f.PriceListItemFactory(identifier="P57", preferred_vendor=lab)
    frame_item = f.PriceListItemFactory(identifier="FR1", preferred_vendor=framer)
    f.VendorProductFactory(vendor=lab, item=print_item, product_code="BAY-810")
    f.VendorProductFactory(vendor=maker, item=moved, product_code="AC-57")
    client = f.ClientFactory()
    invoice = f.InvoiceFactory(
        client=client,
        invoice_date=MONDAY,
        approximate_delivery_date=dt.date(2026, 3, 31),
        shipping_address="1 Main St",
    )
    lines = [
        f.InvoiceLineFactory(invoice=invoice, position=1, item=print_item, quantity=3),
        f.InvoiceLineFactory(invoice=invoice, position=2, item=album_item, description="Wedding"),
        f.InvoiceLineFactory(invoice=invoice, position=3, item=digital),
        f.InvoiceLineFactory(invoice=invoice, position=4, item=moved, vendor_override=maker),
    ]
    return SimpleNamespace(
        prints=prints,
        albums=albums,
        print_steps=print_steps,
        album_steps=album_steps,
        lab=lab,
        maker=maker,
        framer=framer,
        profile=profile,
        items=SimpleNamespace(
            prints=print_item, album=album_item, digital=digital, moved=moved, frame=frame_item
        ),
        client=client,
        invoice=invoice,
        lines=lines,
        person=f.UserFactory(username="frontdesk"),
    )


@pytest.fixture
def studio(db) -> SimpleNamespace:
    return make_studio()


def counts() -> dict[str, int]:
    """The rows a refused creation must not have added to (or the vendors' counters)."""
    return {
        "orders": ProductionOrder.objects.count(),
        "details": ProductionOrderDetail.objects.count(),
        "proofs": PreproductionOrder.objects.count(),
        "notes": StatusNote.objects.count(),
        **{f"next {v.name}": v.next_order_number for v in Vendor.objects.all()},
    }


def create(studio: SimpleNamespace, **options: Any) -> creation.OrdersCreated:
    options.setdefault("order_date", MONDAY)
    return creation.production_orders_create(invoice=studio.invoice, by=studio.person, **options)


# -- the vendor split ----------------------------------------------------------------------------


def test_one_order_per_vendor_with_the_lines_of_that_vendor(studio):
    made = create(studio)

    assert [o.vendor for o in made.orders] == [studio.lab, studio.maker]
    lab_order, album_order = made.orders
    assert lab_order.order_type == studio.prints and album_order.order_type == studio.albums
    lab_details = list(lab_order.details.all())
    assert [(d.item, d.quantity, d.vendor_product_code) for d in lab_details] == [
        (studio.items.prints, 3, "BAY-810")
    ]
    assert lab_details[0].render_profile == studio.profile
    assert lab_details[0].description == "8x10 print"  # the item's, the line had none
    assert lab_details[0].invoice_line == studio.lines[0]
    # The override sends the 5x7 line to the album maker, with that vendor's code for it.
    assert [
        (d.position, d.item, d.description, d.vendor_product_code)
        for d in album_order.details.all()
    ] == [
        (1, studio.items.album, "Wedding", ""),
        (2, studio.items.moved, studio.items.moved.description, "AC-57"),
    ]
    assert [(s.line, s.reason) for s in made.skipped_lines] == [
        (studio.lines[2], invoice_plans.NO_VENDOR)
    ]


def test_orders_copy_the_invoice_and_start_in_their_cycle(studio):
    made = create(studio)

    for order, steps in zip(made.orders, [studio.print_steps, studio.album_steps], strict=True):
        order.refresh_from_db()
        assert order.client == studio.client
        assert order.shipping_address == "1 Main St"
        assert order.promised_date == dt.date(2026, 3, 31)
        assert order.entered_by == studio.person
        assert order.order_date == MONDAY
        assert order.status == steps[0]
        assert order.status_entered_on == MONDAY
        assert order.status_due_date == WEEK.due(MONDAY, steps[0].default_duration)
        assert order.version == 2
        start = StatusNote.objects.get(object_id=order.pk, kind=NoteKind.START)
        assert start.to_status == steps[0] and start.updated_by == studio.person


def test_one_chosen_vendor_and_manual_details(studio):
    made = create(studio, vendor=studio.maker)
    assert [o.vendor for o in made.orders] == [studio.maker]
    assert made.orders[0].details.count() == 2
    # The line with no vendor is still named as left out, as when every vendor is ordered.
    assert [(s.line, s.reason) for s in made.skipped_lines] == [
        (studio.lines[2], invoice_plans.NO_VENDOR)
    ]

    framed = create(studio, vendor=studio.framer, details="manual", order_type=studio.prints)
    assert [(o.vendor, o.order_type) for o in framed.orders] == [(studio.framer, studio.prints)]
    assert framed.orders[0].details.count() == 0


def test_an_order_type_given_replaces_each_vendors_default(studio):
    made = create(studio, order_type=studio.albums)
    assert {o.order_type for o in made.orders} == {studio.albums}
    assert all(o.status == studio.album_steps[0] for o in made.orders)


# -- numbers -------------------------------------------------------------------------------------


def test_every_order_gets_the_studios_next_number_whatever_its_vendor(studio):
    first = create(studio).orders
    again = create(studio, vendor=studio.maker, confirm_duplicate=True).orders
    numbers = [int(o.number) for o in [*first, *again]]
    assert numbers == list(range(numbers[0], numbers[0] + 3))  # one count, in order
    assert str(first[0]) == f"Lab prints order #{first[0].number} (Bay Lab)"


def test_a_vendor_that_numbers_its_orders_gives_its_next_number(studio):
    first = create(studio).orders
    assert [o.vendor_number for o in first] == ["100", None]
    studio.lab.refresh_from_db()
    assert studio.lab.next_order_number == 101

    again = create(studio, vendor=studio.lab, confirm_duplicate=True).orders
    assert again[0].vendor_number == "101"


def test_a_number_typed_by_hand_is_skipped(studio):
    f.ProductionOrderFactory(vendor=studio.lab, vendor_number="100")
    assert create(studio).orders[0].vendor_number == "101"
    studio.lab.refresh_from_db()
    assert studio.lab.next_order_number == 102


def test_the_hash_action_gives_the_next_number_once(studio):
    album_order = create(studio).orders[1]
    studio.maker.next_order_number = 7
    studio.maker.save()

    number = album_order.number
    order_changes.order_number_assign(order=album_order)
    album_order.refresh_from_db()
    assert (album_order.vendor_number, album_order.version) == ("7", 3)
    assert album_order.number == number  # the studio's number never changes
    with pytest.raises(DarkroomError) as refused:
        order_changes.order_number_assign(order=album_order)
    assert refused.value.code == "has_number"
    studio.maker.refresh_from_db()
    assert studio.maker.next_order_number == 8


def test_numbers_are_unique_per_vendor(studio):
    lab_order, album_order = create(studio).orders
    with pytest.raises(ValidationError) as refused:
        order_changes.production_order_update(
            order=album_order, expected_version=2, vendor_number="X1"
        )
        other = creation.production_orders_create(
            invoice=studio.invoice, by=studio.person, vendor=studio.maker, confirm_duplicate=True
        ).orders[0]
        order_changes.production_order_update(order=other, expected_version=2, vendor_number=" X1 ")
    assert refused.value.message_dict == {
        "vendor_number": ["“Album Co” already has an order with its number X1."]
    }
    assert is_duplicate(refused.value)  # the API answers 409 duplicate, not 422
    # Another vendor may use the same number; the studio's numbers are not typed.
    order_changes.production_order_update(order=lab_order, expected_version=2, vendor_number="X1")
    assert ProductionOrder.objects.filter(vendor_number="X1").count() == 2
    with pytest.raises(ValidationError) as refused:
        order_changes.production_order_update(order=lab_order, expected_version=3, number="1")
    assert refused.value.message_dict == {"number": ["This can't be changed here."]}


# -- duplicates and bad input --------------------------------------------------------------------


def test_ordering_twice_at_a_vendor_needs_confirmation(studio):
    create(studio)
    before = counts()
    with pytest.raises(DarkroomError) as refused:
        create(studio, vendor=studio.maker)
    assert refused.value.code == "duplicate_order"
    assert refused.value.status == 409
    assert "Album Co" in refused.value.message
    assert counts() == before

    create(studio, vendor=studio.maker, confirm_duplicate=True)
    assert ProductionOrder.objects.filter(vendor=studio.maker).count() == 2


def _no_lines(s):
    s.invoice.lines.all().delete()


def _no_vendor_on_any_line(s):
    s.invoice.lines.exclude(item=s.items.digital).delete()


def _inactive_line_vendor(s):
    Vendor.objects.filter(pk=s.maker.pk).update(is_inactive=True)


def _inactive_order_type(s):
    s.prints.is_inactive = True
    s.prints.save()


def _no_default_type(s):
    s.invoice.lines.update(vendor_override=s.framer)


def _no_cycle_for_the_second_vendor(s):
    s.maker.default_order_type = f.OrderTypeFactory(name="Canvas")
    s.maker.save()


BAD_INPUT = [
    (_no_lines, {}, "invoice", "no lines"),
    (_no_vendor_on_any_line, {}, "vendor", "No line of this invoice has a vendor"),
    (None, {"vendor": "framer"}, "vendor", "No line of this invoice is for “Frame Shop”"),
    (_inactive_line_vendor, {}, "vendor", "“Album Co” (line 2, 4) is inactive"),
    (_inactive_order_type, {}, "order_type", "“Lab prints” is inactive"),
    (_no_default_type, {}, "order_type", "No order type for “Frame Shop”: choose"),
    (None, {"details": "some"}, "details", "automatic"),
    (None, {"order_date": dt.date(2999, 1, 1)}, "order_date", "can't be after today"),
]


@pytest.mark.parametrize(("arrange", "options", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_and_nothing_is_made(studio, arrange, options, field, message):
    if arrange is not None:
        arrange(studio)
    options = {k: getattr(studio, v) if k == "vendor" else v for k, v in options.items()}
    before = counts()
    with pytest.raises(ValidationError) as refused:
        create(studio, **options)
    assert message in " ".join(refused.value.message_dict[field])
    assert counts() == before


def test_an_inactive_chosen_vendor_is_refused(studio):
    Vendor.objects.filter(pk=studio.lab.pk).update(is_inactive=True)
    studio.lab.refresh_from_db()
    before = counts()
    with pytest.raises(ValidationError) as refused:
        create(studio, vendor=studio.lab)
    assert refused.value.message_dict == {
        "vendor": ["“Bay Lab” is inactive; choose an active vendor."]
    }
    assert counts() == before


def test_all_orders_or_none_when_one_type_has_no_cycle(studio):
    _no_cycle_for_the_second_vendor(studio)
    before = counts()
    with pytest.raises(DarkroomError) as refused:
        create(studio)
    assert refused.value.code == "no_cycle"
    assert refused.value.message == (
        "The order type “Canvas” has no status cycle yet: add its statuses first."
    )
    assert counts() == before  # not even the lab's order, nor its number


# -- changes, reorders, details ------------------------------------------------------------------


def test_update_checks_amount_version_and_fields(studio):
    order = create(studio).orders[0]
    before = counts()
    with pytest.raises(ValidationError) as negative:
        order_changes.production_order_update(
            order=order, expected_version=2, vendor_invoice_amount=Decimal("-1")
        )
    assert negative.value.message_dict == {
        "vendor_invoice_amount": ["The amount must not be negative."]
    }
    with pytest.raises(ValidationError) as elsewhere:
        order_changes.production_order_update(order=order, expected_version=2, status_user=None)
    assert "status_user" in elsewhere.value.message_dict
    with pytest.raises(Conflict):
        order_changes.production_order_update(order=order, expected_version=1, studio_notes="late")
    assert counts() == before

    rush = f.PriorityCodeFactory(code="RUSH")
    order_changes.production_order_update(
        order=order,
        expected_version=2,
        vendor_invoice_amount="12.50",
        priority_code=rush,
        studio_notes="Check skin tones",
        vendor_notes="Lustre paper",
    )
    order.refresh_from_db()
    assert (order.vendor_invoice_amount, order.priority_code, order.version) == (
        Decimal("12.50"),
        rush,
        3,
    )
    assert (order.studio_notes, order.vendor_notes) == ("Check skin tones", "Lustre paper")


def test_a_reorder_redoes_the_order_with_its_details(studio):
    original = create(studio).orders[1]
    reason = f.ReorderReasonFactory(description="Damaged in shipping", is_non_chargeable=True)

    again = reorders.production_order_reorder(
        order=original, reason=reason, by=studio.person, order_date=MONDAY
    )
    again.refresh_from_db()
    assert (again.reorder_of, again.reorder_reason) == (original, reason)
    assert (again.vendor, again.order_type, again.invoice) == (
        studio.maker,
        studio.albums,
        studio.invoice,
    )
    assert again.status == studio.album_steps[0]
    fields = ("position", "item_id", "description", "quantity", "vendor_product_code")
    assert list(again.details.values_list(*fields)) == list(original.details.values_list(*fields))
    assert list(original.reorders.all()) == [again]


def test_a_reorder_needs_an_active_reason(studio):
    original = create(studio).orders[0]
    gone = f.ReorderReasonFactory(is_inactive=True)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        reorders.production_order_reorder(order=original, reason=gone, by=studio.person)
    assert "reason" in refused.value.message_dict
    assert counts() == before
    numbered = reorders.production_order_reorder(
        order=original, reason=f.ReorderReasonFactory(), by=studio.person
    )
    assert numbered.vendor_number == "101"  # the lab numbers every order, reorders too
    assert int(numbered.number) > int(original.number)


# -- preproduction orders ------------------------------------------------------------------------


def test_preproduction_orders_start_in_their_cycle(studio):
    session = f.SessionFactory(client=studio.client)
    before = counts()
    with pytest.raises(DarkroomError) as refused:
        proof_orders.preproduction_order_create(
            session=session, vendor=studio.lab, by=studio.person
        )
    assert refused.value.code == "no_cycle"
    assert counts() == before

    cycle = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    sent = status_add(cycle=cycle, description="Sent", default_duration=4)
    status_add(cycle=cycle, description="Returned", is_final=True)
    proofs = proof_orders.preproduction_order_create(
        session=session, vendor=studio.lab, by=studio.person, order_date=MONDAY, notes=" rush "
    )
    proofs.refresh_from_db()
    assert (proofs.status, proofs.status_due_date) == (sent, WEEK.due(MONDAY, 4))
    assert (proofs.vendor_number, proofs.notes) == ("100", "rush")
    typed = proof_orders.preproduction_order_create(
        session=session, vendor=studio.maker, by=studio.person, vendor_number="P-9"
    )
    assert typed.vendor_number == "P-9" and int(typed.number) == int(proofs.number) + 1


# -- all necessary vendors, one of them without a default order type ------------------------------


def test_a_vendor_without_a_default_type_never_stops_the_others(studio):
    """The framer has no default order type: its line is skipped with that reason and the other
    vendors' orders are made; given a type for it, it gets its order too."""
    frame_line = f.InvoiceLineFactory(invoice=studio.invoice, position=4, item=studio.items.frame)
    made = create(studio)
    assert [o.vendor for o in made.orders] == [studio.lab, studio.maker]
    assert [(s.line, s.reason) for s in made.skipped_lines] == [
        (studio.lines[2], invoice_plans.NO_VENDOR),
        (frame_line, invoice_plans.no_order_type(studio.framer)),
    ]
    assert "“Frame Shop” has no default order type" in made.skipped_lines[1].reason
    said = creation.orders_created_message(made)
    assert said.startswith(f"Made 2 orders: #{made.orders[0].number} at Bay Lab; ")
    assert "2 lines got no order" in said
    assert invoice_plans.vendors_without_order_type(studio.invoice) == [studio.framer]

    framed = creation.production_orders_create(
        invoice=studio.invoice,
        by=studio.person,
        order_types={studio.framer.pk: studio.albums},
        confirm_duplicate=True,
    )
    assert [(o.vendor, o.order_type) for o in framed.orders] == [
        (studio.lab, studio.prints),
        (studio.maker, studio.albums),
        (studio.framer, studio.albums),
    ]
    assert [d.invoice_line for d in framed.orders[2].details.all()] == [frame_line]
    assert [s.line for s in framed.skipped_lines] == [studio.lines[2]]
    gone = f.OrderTypeFactory(name="Old", is_inactive=True)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        creation.production_orders_create(
            invoice=studio.invoice, by=studio.person, order_types={studio.framer.pk: gone}
        )
    assert "inactive" in str(refused.value)
    assert counts() == before
