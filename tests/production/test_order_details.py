"""An order's detail lines: added, changed, moved, put in order and deleted through the services,
each change version-checked against the order and written to its history in words; image names
in one form; nothing changes once the order is final. And the lines an invoice's orders skip
are named by their own numbers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from darkroom.catalog.models import OrderKind
from darkroom.clients.invoice_lines import LineInput
from darkroom.clients.services import invoice_create
from darkroom.errors import Conflict, DarkroomError
from darkroom.production.automation import AutomationOutcome
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.services import creation, details, image_names, reorders
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import status_change
from tests import factories as f
from tests.production.test_production_orders import production_cycle

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def make_shop() -> SimpleNamespace:
    """A lab taking print orders (image names) and an album maker taking generic ones, each
    with an order made with manual details (no lines yet)."""
    prints = f.OrderTypeFactory(name="Lab prints", kind=OrderKind.PRINT)
    albums = f.OrderTypeFactory(name="Albums", kind=OrderKind.GENERIC)
    print_steps = production_cycle(prints, [2, 1, 0])
    production_cycle(albums, [3, 0])
    lab = f.VendorFactory(name="Bay Lab", default_order_type=prints)
    maker = f.VendorFactory(name="Album Co", default_order_type=albums)
    profile = f.RenderProfileFactory(name="8x10 lustre")
    print_item = f.PriceListItemFactory(
        identifier="P810", description="8x10 print", preferred_vendor=lab, render_profile=profile
    )
    wallet = f.PriceListItemFactory(identifier="W4", description="Wallets", preferred_vendor=lab)
    album_item = f.PriceListItemFactory(
        identifier="ALB10", description="Wedding album", preferred_vendor=maker
    )
    f.VendorProductFactory(vendor=lab, item=print_item, product_code="BAY-810")
    client = f.ClientFactory()
    invoice = invoice_create(
        client=client,
        lines=[LineInput(item_id=print_item.pk), LineInput(item_id=album_item.pk)],
    )
    person = f.UserFactory(username="frontdesk", first_name="Fran")
    made = creation.production_orders_create(
        invoice=invoice, by=person, details="manual", order_date=MONDAY
    )
    by_vendor = {order.vendor_id: order for order in made.orders}
    return SimpleNamespace(
        prints=prints,
        albums=albums,
        print_steps=print_steps,
        lab=lab,
        maker=maker,
        profile=profile,
        print_item=print_item,
        wallet=wallet,
        album_item=album_item,
        invoice=invoice,
        person=person,
        print_order=by_vendor[lab.pk],
        album_order=by_vendor[maker.pk],
    )


@pytest.fixture
def shop(db) -> SimpleNamespace:
    return make_shop()


def version(order: ProductionOrder) -> int:
    return ProductionOrder.objects.values_list("version", flat=True).get(pk=order.pk)


def detail_notes(order: ProductionOrder) -> list[str]:
    return list(
        StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.DETAILS)
        .order_by("id")
        .values_list("note", flat=True)
    )


def lines(order: ProductionOrder) -> list[tuple[int, str, int]]:
    return list(
        order.details.order_by("position").values_list("position", "description", "quantity")
    )


def add(
    shop: SimpleNamespace, order: ProductionOrder | None = None, **fields
) -> ProductionOrderDetail:
    order = order or shop.print_order
    fields.setdefault("item", shop.print_item)
    return details.production_order_detail_add(
        order=order, expected_version=version(order), by=shop.person, **fields
    )


# -- image names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given",
    [
        "IMG_1.jpg, IMG_2.jpg\nIMG_3.jpg",
        "  IMG_1.jpg ,,IMG_2.jpg\r\n\r\nIMG_3.jpg\n",
        "IMG_1.jpg;IMG_2.jpg\tIMG_3.jpg",
        "IMG_1.jpg\nIMG_2.jpg\nIMG_1.jpg\nIMG_3.jpg",  # a repeat is kept once
        ["IMG_1.jpg", " IMG_2.jpg", "", "IMG_3.jpg"],
    ],
)
def test_image_names_are_kept_in_one_form(given):
    assert image_names.image_names_of(given) == ["IMG_1.jpg", "IMG_2.jpg", "IMG_3.jpg"]


@pytest.mark.parametrize("given", ["IMG_1.jpg\x00", "IMG\x1b[0m.jpg", "IMG_\x7f1.jpg", "A\x08B"])
def test_image_names_with_control_characters_are_refused(given):
    with pytest.raises(ValidationError) as refused:
        image_names.image_names_of(given)
    assert "control character" in refused.value.message_dict["image_names"][0]


def test_too_many_or_too_long_image_names_are_refused():
    with pytest.raises(ValidationError) as many:
        image_names.image_names_of([f"IMG_{n}.jpg" for n in range(image_names.MOST_IMAGES + 1)])
    assert "split them over several lines" in many.value.message_dict["image_names"][0]
    with pytest.raises(ValidationError):
        image_names.image_names_of("x" * 256)
    assert image_names.image_names_of("x" * 255) == ["x" * 255]


# -- adding, changing, moving, deleting ----------------------------------------------------------


def test_a_print_order_takes_lines_with_image_names_and_says_so_in_its_history(shop):
    order = shop.print_order
    start = version(order)
    first = add(shop, quantity=2, image_names="IMG_0012, IMG_0013")
    assert (first.position, first.vendor_product_code, first.render_profile) == (
        1,
        "BAY-810",
        shop.profile,
    )
    assert first.description == "8x10 print" and first.image_names == "IMG_0012\nIMG_0013"
    assert version(order) == start + 1
    second = add(shop, item=shop.wallet, description="Wallets, matte", notes="Trim 2 mm")
    assert second.position == 2
    assert detail_notes(order) == [
        "Detail line 1 added: 8x10 print ×2, 2 images: IMG_0012, IMG_0013",
        "Detail line 2 added: Wallets, matte ×1, notes “Trim 2 mm”",
    ]
    note = StatusNote.objects.filter(kind=NoteKind.DETAILS).last()
    assert note.updated_by == shop.person
    assert note.from_status == note.to_status == shop.print_steps[0]


def test_a_generic_order_takes_a_description_quantity_and_notes_but_no_images(shop):
    order = shop.album_order
    line = add(shop, order, item=shop.album_item, quantity=3, notes="Cover: linen\nGilt edges")
    assert (line.description, line.quantity, line.notes) == (
        "Wedding album",
        3,
        "Cover: linen\nGilt edges",
    )
    before = version(order)
    with pytest.raises(ValidationError) as refused:
        add(shop, order, item=shop.album_item, image_names="IMG_1.jpg")
    assert "generic order type" in refused.value.message_dict["image_names"][0]
    assert version(order) == before and order.details.count() == 1


def test_changes_are_written_in_words_and_an_unchanged_line_writes_nothing(shop):
    order = shop.print_order
    line = add(shop, quantity=2, image_names="IMG_1.jpg\nIMG_2.jpg")
    details.production_order_detail_update(
        detail=line,
        expected_version=version(order),
        by=shop.person,
        quantity=5,
        image_names="IMG_2.jpg, IMG_3.jpg",
        notes="Glossy",
    )
    line.refresh_from_db()
    assert (line.quantity, line.image_names, line.notes) == (5, "IMG_2.jpg\nIMG_3.jpg", "Glossy")
    assert detail_notes(order)[-1] == (
        "Detail line 1 changed: quantity 2 → 5; images 2 → 2, added IMG_3.jpg, "
        "removed IMG_1.jpg; notes “Glossy”"
    )
    at, notes = version(order), len(detail_notes(order))
    details.production_order_detail_update(
        detail=line, expected_version=at, by=shop.person, quantity=5, notes=" Glossy "
    )
    assert version(order) == at and len(detail_notes(order)) == notes
    details.production_order_detail_update(
        detail=line, expected_version=at, by=shop.person, description=""
    )
    line.refresh_from_db()
    assert line.description == "8x10 print"  # empty: the item's description again


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 100_001}, "quantity"),
        ({"quantity": "2"}, "quantity"),
        ({"quantity": True}, "quantity"),
        ({"description": "x" * 201}, "description"),
        ({"notes": "x" * 2001}, "notes"),
        ({"notes": "bell\x07"}, "notes"),
        ({"vendor_product_code": "x" * 41}, "vendor_product_code"),
        ({"image_names": "IMG\x00"}, "image_names"),
        ({"item": None}, "item"),
        ({"position": 4}, "position"),
    ],
)
def test_bad_changes_are_refused_beside_their_field_and_nothing_changes(shop, fields, field):
    order = shop.print_order
    line = add(shop, quantity=2)
    before, notes = version(order), detail_notes(order)
    with pytest.raises(ValidationError) as refused:
        details.production_order_detail_update(
            detail=line, expected_version=before, by=shop.person, **fields
        )
    assert field in refused.value.message_dict
    assert version(order) == before and detail_notes(order) == notes
    assert lines(order) == [(1, "8x10 print", 2)]


def test_an_inactive_item_is_refused_for_a_new_line(shop):
    shop.wallet.is_inactive = True
    shop.wallet.save()
    with pytest.raises(ValidationError) as refused:
        add(shop, item=shop.wallet)
    assert "inactive" in refused.value.message_dict["item"][0]
    assert shop.print_order.details.count() == 0


def test_lines_move_up_and_down_and_are_put_in_order(shop):
    order = shop.print_order
    one, two, three = (add(shop, description=name) for name in ("One", "Two", "Three"))
    details.production_order_detail_move(
        detail=three, expected_version=version(order), by=shop.person, direction="up"
    )
    assert [d for _, d, _ in lines(order)] == ["One", "Three", "Two"]
    assert detail_notes(order)[-1] == "Detail line 3 (Three) moved up to line 2"
    with pytest.raises(DarkroomError) as edge:
        details.production_order_detail_move(
            detail=one, expected_version=version(order), by=shop.person, direction="up"
        )
    assert edge.value.code == "cannot_move" and "already the first line" in edge.value.message
    details.production_order_details_reorder(
        order=order, expected_version=version(order), by=shop.person, ids=[two.pk, one.pk, three.pk]
    )
    assert [d for _, d, _ in lines(order)] == ["Two", "One", "Three"]
    assert (
        detail_notes(order)[-1] == "Detail lines put in a new order: 3, 1, 2 (the old line numbers)"
    )
    at = version(order)
    for wrong in ([two.pk, one.pk], [two.pk, one.pk, three.pk, three.pk], [two.pk, one.pk, 10**9]):
        with pytest.raises(ValidationError) as refused:
            details.production_order_details_reorder(
                order=order, expected_version=at, by=shop.person, ids=wrong
            )
        assert "ids" in refused.value.message_dict
    assert version(order) == at


def test_deleting_a_line_renumbers_the_rest_and_keeps_what_it_was(shop):
    order = shop.print_order
    first = add(shop, description="One")
    add(shop, description="Two", image_names="IMG_9.jpg")
    details.production_order_detail_delete(
        detail=first, expected_version=version(order), by=shop.person
    )
    assert lines(order) == [(1, "Two", 1)]
    assert detail_notes(order)[-1] == "Detail line 1 deleted: One ×1"
    assert not ProductionOrderDetail.objects.filter(pk=first.pk).exists()


def test_a_stale_version_is_a_conflict_and_nothing_is_written(shop):
    order = shop.print_order
    line = add(shop, quantity=2)
    seen = version(order)
    add(shop, description="Someone else's line")  # the order moved on meanwhile
    notes = detail_notes(order)
    attempts = [
        lambda: details.production_order_detail_add(
            order=order, expected_version=seen, by=shop.person, item=shop.print_item
        ),
        lambda: details.production_order_detail_update(
            detail=line, expected_version=seen, by=shop.person, quantity=9
        ),
        lambda: details.production_order_detail_move(
            detail=line, expected_version=seen, by=shop.person, direction="down"
        ),
        lambda: details.production_order_detail_delete(
            detail=line, expected_version=seen, by=shop.person
        ),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as stale:
            attempt()
        assert "changed by someone else" in stale.value.message
    assert lines(order) == [(1, "8x10 print", 2), (2, "Someone else's line", 1)]
    assert detail_notes(order) == notes


def test_a_status_change_makes_an_open_form_stale(shop):
    order = shop.print_order
    line = add(shop)
    seen = version(order)
    status_change(record=order, expected_version=seen, updated_by=shop.person)
    with pytest.raises(Conflict):
        details.production_order_detail_update(
            detail=line, expected_version=seen, by=shop.person, quantity=4
        )


def test_an_order_in_its_final_status_refuses_every_change(shop):
    order = shop.print_order
    line = add(shop, quantity=2)
    final = shop.print_steps[-1]
    status_change(
        record=order, expected_version=version(order), updated_by=shop.person, to_status=final
    )
    at, notes = version(order), detail_notes(order)
    attempts = [
        lambda: add(shop),
        lambda: details.production_order_detail_update(
            detail=line, expected_version=at, by=shop.person, quantity=3
        ),
        lambda: details.production_order_detail_delete(
            detail=line, expected_version=at, by=shop.person
        ),
        lambda: details.production_order_details_reorder(
            order=order, expected_version=at, by=shop.person, ids=[line.pk]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(DarkroomError) as refused:
            attempt()
        assert refused.value.code == "final"
        assert "final status" in refused.value.message
    assert version(order) == at and detail_notes(order) == notes
    assert lines(order) == [(1, "8x10 print", 2)]


def test_a_reorder_copies_the_lines_notes_and_images(shop):
    add(shop, image_names="IMG_1.jpg", notes="Matte")
    again = reorders.production_order_reorder(
        order=shop.print_order, reason=f.ReorderReasonFactory(), by=shop.person
    )
    assert list(again.details.values_list("image_names", "notes")) == [("IMG_1.jpg", "Matte")]


# -- the lines an invoice's orders left out ------------------------------------------------------


def test_skipped_lines_are_named_by_their_own_numbers(shop):
    """Invoice lines are numbered from 1: the first line is "line 1", not "line 2"."""
    no_vendor = f.PriceListItemFactory(identifier="DIG", preferred_vendor=None)
    invoice = invoice_create(
        client=f.ClientFactory(),
        lines=[LineInput(item_id=no_vendor.pk), LineInput(item_id=shop.print_item.pk)],
    )
    assert [line.position for line in invoice.lines.all()] == [1, 2]
    created = creation.production_orders_create(invoice=invoice, by=shop.person)
    assert [s.line.position for s in created.skipped_lines] == [1]
    outcome = AutomationOutcome(moment="invoice_saved", created=created, orders=created.orders)
    assert "Line 1 got no order" in outcome.message

    shop.maker.is_inactive = True
    shop.maker.save()
    second = invoice_create(
        client=f.ClientFactory(),
        lines=[LineInput(item_id=shop.print_item.pk), LineInput(item_id=shop.album_item.pk)],
    )
    with pytest.raises(ValidationError) as inactive:
        creation.production_orders_create(invoice=second, by=shop.person)
    assert "“Album Co” (line 2) is inactive" in inactive.value.message_dict["vendor"][0]
