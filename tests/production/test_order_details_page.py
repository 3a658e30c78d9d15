"""The Details section of an order's page: adding, editing, moving and deleting lines with htmx
(the section comes back with the history out of band), without JavaScript (back to the page),
plain-language refusals with the input kept, and read-only for read-only people and final
orders."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from darkroom.production.models import ProductionOrderDetail
from darkroom.production.services import details
from darkroom.tracking.services import status_change
from tests.production.test_order_details import make_shop, version

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def shop(db):
    return make_shop()


def add_url(order) -> str:
    return reverse("production:order-details", args=[order.pk])


def line_url(name: str, line) -> str:
    return reverse(f"production:order-detail-{name}", args=[line.order_id, line.pk])


def add_body(shop, order=None, **fields) -> dict:
    order = order or shop.print_order
    body = {
        "add-version": version(order),
        "add-item": shop.print_item.pk,
        "add-quantity": 1,
        "add-description": "",
        "add-notes": "",
    }
    body.update({f"add-{name}": value for name, value in fields.items()})
    return body


def rows() -> list[tuple]:
    return list(
        ProductionOrderDetail.objects.order_by("id").values_list(
            "position", "quantity", "description", "image_names", "notes"
        )
    )


def test_staff_add_a_line_pasting_image_names_and_see_it_with_its_history(web, shop):
    order = shop.print_order
    staff = web("staff")
    page = staff.get(order.get_absolute_url()).content.decode()
    assert 'id="order-details"' in page and "No detail lines yet." in page
    assert 'name="add-image_names"' in page and "Add line" in page
    response = staff.post(
        add_url(order),
        add_body(shop, quantity=2, image_names="IMG_1.jpg, IMG_2.jpg\nIMG_3.jpg"),
        headers=HTMX,
    )
    assert response.status_code == 200
    answer = response.content.decode()
    assert answer.count('id="order-details"') == 1 and answer.count('id="history"') == 1
    assert "3 images" in answer and "IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" in answer
    assert "Detail line 1 added: 8x10 print ×2, 3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" in answer
    assert "Detail lines changed" in answer
    assert "<html" not in answer  # the section alone, not the whole page
    item_select = re.search(r'<select name="add-item"[^>]*>', answer)
    assert item_select and "autofocus" in item_select.group(0)  # ready for the next line
    assert rows() == [(1, 2, "8x10 print", "IMG_1.jpg\nIMG_2.jpg\nIMG_3.jpg", "")]
    page = staff.get(order.get_absolute_url()).content.decode()
    assert "3 images" in page and "Detail line 1 added" in page


def test_without_javascript_adding_lands_back_on_the_order(web, shop):
    order = shop.print_order
    response = web("staff").post(add_url(order), add_body(shop, notes="Lustre"))
    assert response.status_code == 302
    assert response["Location"] == f"{order.get_absolute_url()}#details"
    assert rows() == [(1, 1, "8x10 print", "", "Lustre")]


def test_a_generic_order_has_no_image_names_field(web, shop):
    order = shop.album_order
    page = web("staff").get(order.get_absolute_url()).content.decode()
    assert 'name="add-notes"' in page and 'name="add-image_names"' not in page
    response = web("staff").post(
        add_url(order),
        add_body(shop, order, item=shop.album_item.pk, quantity=3, notes="Linen"),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert rows() == [(1, 3, "Wedding album", "", "Linen")]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"quantity": 0}, "The quantity is between 1 and 100,000."),
        ({"quantity": "two"}, "Enter a whole number."),
        ({"item": ""}, "This field is required."),
        ({"image_names": "IMG_1.jpg\x1b"}, "holds a control character"),
    ],
)
def test_bad_input_is_shown_beside_the_field_with_the_input_kept(web, shop, fields, message):
    order = shop.print_order
    response = web("staff").post(
        add_url(order), add_body(shop, description="Kept text", **fields), headers=HTMX
    )
    assert response.status_code == 422
    answer = response.content.decode()
    assert message in answer and 'class="field-error"' in answer
    assert 'value="Kept text"' in answer
    assert rows() == []


def test_a_stale_form_is_a_conflict_that_keeps_the_input(web, shop):
    order = shop.print_order
    staff = web("staff")
    body = add_body(shop, description="Mine")
    details.production_order_detail_add(
        order=order, expected_version=version(order), by=shop.person, item=shop.wallet
    )  # someone else's line, meanwhile
    response = staff.post(add_url(order), body, headers=HTMX)
    assert response.status_code == 409
    answer = response.content.decode()
    assert "changed by someone else since you opened it" in answer
    assert "Wallets" in answer  # their line is shown
    assert 'value="Mine"' in answer
    assert f'name="add-version" value="{version(order)}"' in answer
    assert [r[2] for r in rows()] == ["Wallets"]
    # Saving again (at the new version) adds it.
    again = staff.post(add_url(order), add_body(shop, description="Mine"), headers=HTMX)
    assert again.status_code == 200 and [r[2] for r in rows()] == ["Wallets", "Mine"]


def test_a_line_is_edited_in_its_row(web, shop):
    order = shop.print_order
    line = details.production_order_detail_add(
        order=order, expected_version=version(order), by=shop.person, item=shop.print_item
    )
    staff = web("staff")
    form = staff.get(line_url("edit", line), headers=HTMX)
    assert form.status_code == 200
    text = form.content.decode()
    assert 'class="detail-editing"' in text and f'name="line-{line.pk}-quantity"' in text
    assert "Save line" in text and "data-detail-cancel" in text
    response = staff.post(
        line_url("edit", line),
        {
            f"line-{line.pk}-version": version(order),
            f"line-{line.pk}-item": shop.print_item.pk,
            f"line-{line.pk}-quantity": 4,
            f"line-{line.pk}-description": "8x10 print",
            f"line-{line.pk}-image_names": "IMG_7.jpg",
            f"line-{line.pk}-notes": "",
            f"line-{line.pk}-vendor_product_code": "BAY-810",
            f"line-{line.pk}-render_profile": shop.profile.pk,
        },
        headers=HTMX,
    )
    assert response.status_code == 200, response.content.decode()[:500]
    answer = response.content.decode()
    assert "Detail line 1 changed: quantity 1 → 4; images 0 → 1, added IMG_7.jpg" in answer
    assert f'id="edit-{line.pk}"' in answer and "autofocus" in answer
    assert rows() == [(1, 4, "8x10 print", "IMG_7.jpg", "")]


def test_lines_move_and_are_deleted(web, shop):
    order = shop.print_order
    one, two = (
        details.production_order_detail_add(
            order=order,
            expected_version=version(order),
            by=shop.person,
            item=shop.print_item,
            description=name,
        )
        for name in ("One", "Two")
    )
    staff = web("staff")
    moved = staff.post(
        line_url("move", two), {"version": version(order), "direction": "up"}, headers=HTMX
    )
    assert moved.status_code == 200
    assert "Detail line 2 (Two) moved up to line 1" in moved.content.decode()
    assert [r[2] for r in rows()] == ["One", "Two"]
    assert list(order.details.order_by("position").values_list("description", flat=True)) == [
        "Two",
        "One",
    ]
    stale = staff.post(line_url("delete", one), {"version": 1}, headers=HTMX)
    assert stale.status_code == 409 and order.details.count() == 2
    deleted = staff.post(line_url("delete", one), {"version": version(order)}, headers=HTMX)
    assert deleted.status_code == 200
    assert "Detail line 2 deleted: One ×1" in deleted.content.decode()
    assert [r[2] for r in rows()] == ["Two"]


def test_read_only_people_see_the_lines_without_controls(web, shop):
    order = shop.print_order
    details.production_order_detail_add(
        order=order,
        expected_version=version(order),
        by=shop.person,
        item=shop.print_item,
        image_names="IMG_1.jpg",
    )
    page = web("readonly").get(order.get_absolute_url()).content.decode()
    section = page.split('id="order-details"')[1].split("</section>")[0]
    assert "1 image" in section and "IMG_1.jpg" in section
    assert "Add line" not in section and "Delete" not in section and "Edit" not in section
    line = order.details.get()
    assert web("readonly").post(add_url(order), add_body(shop)).status_code == 403
    assert web("readonly").post(line_url("delete", line), {"version": 9}).status_code == 403
    assert order.details.count() == 1


def test_a_final_order_shows_its_lines_read_only(web, shop):
    order = shop.print_order
    line = details.production_order_detail_add(
        order=order, expected_version=version(order), by=shop.person, item=shop.print_item
    )
    status_change(
        record=order,
        expected_version=version(order),
        updated_by=shop.person,
        to_status=shop.print_steps[-1],
    )
    staff = web("staff")
    page = staff.get(order.get_absolute_url()).content.decode()
    section = page.split('id="order-details"')[1].split("</section>")[0]
    assert "its final status: its lines can" in section
    assert "Add line" not in section and "Delete" not in section
    refused = staff.post(line_url("delete", line), {"version": version(order)}, headers=HTMX)
    assert refused.status_code == 422
    assert "its final status" in refused.content.decode()
    assert order.details.count() == 1


def test_the_detail_lines_page_without_javascript(web, shop):
    order = shop.print_order
    page = web("readonly").get(add_url(order))
    assert page.status_code == 200
    assert "Detail lines" in page.content.decode() and "<html" in page.content.decode()


def test_skipped_lines_are_named_by_their_number_on_the_invoice_page(web, shop):
    from darkroom.clients.invoice_lines import LineInput
    from darkroom.clients.services import invoice_create
    from tests import factories as f

    no_vendor = f.PriceListItemFactory(identifier="DIG", preferred_vendor=None)
    invoice = invoice_create(
        client=f.ClientFactory(),
        lines=[LineInput(item_id=no_vendor.pk), LineInput(item_id=shop.print_item.pk)],
    )
    staff = web("staff")
    response = staff.post(
        reverse("production:orders-create", args=[invoice.pk]),
        {"details": "manual", "order_date": "2026-03-02"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = staff.get(response["Location"]).content.decode()
    skipped = page.split('data-testid="skipped-lines"')[1].split("</ul>")[0]
    assert "Line 1 · " in skipped and "DIG" in skipped
