"""The pages that make and act on orders: "Create production orders" from an invoice (with the
duplicate confirmation), an order's number, reorder and edit actions, and a session's proof
orders. A refusal shows its message beside the field, keeps the input and changes nothing."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.services import creation, order_changes, reorders
from darkroom.studio.selectors import studio_preferences
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add
from tests import factories as f
from tests.production.test_production_orders import counts, make_studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(db):
    return make_studio()


def create_url(invoice) -> str:
    return reverse("production:orders-create", args=[invoice.pk])


def choices(**given) -> dict[str, str]:
    posted = {"vendor": "", "details": "automatic", "order_type": "", "order_date": ""}
    posted["order_date"] = f"{studio_preferences().today():%Y-%m-%d}"
    return {**posted, **given}


def field_errors(text: str) -> list[str]:
    """The messages shown beside fields, as a person reads them."""
    return [
        html.unescape(part.split("</p>")[0]) for part in text.split('<p class="field-error">')[1:]
    ]


# Creating production orders from an invoice -----------------------------------------------------


def test_the_invoice_page_offers_creation_to_staff_only(web, studio):
    invoice_url = studio.invoice.get_absolute_url()
    staff = web("staff").get(invoice_url).content.decode()
    assert "Production orders" in staff and "No production orders yet." in staff
    assert f'href="{create_url(studio.invoice)}"' in staff
    readonly = web("readonly").get(invoice_url).content.decode()
    assert "Production orders" in readonly
    assert create_url(studio.invoice) not in readonly
    assert web("readonly").get(create_url(studio.invoice)).status_code == 403


def test_the_form_defaults_to_all_vendors_and_today(studio_today, web, studio):
    page = web("staff").get(create_url(studio.invoice))
    assert page.status_code == 200
    text = page.content.decode()
    assert '<option value="" selected>All necessary vendors</option>' in text
    assert '<option value="" selected>Each vendor&#x27;s default</option>' in text
    assert f'name="order_date" value="{studio_today:%Y-%m-%d}"' in text
    assert re.search(r'value="automatic"[^>]* checked>', text)
    assert not re.search(r'value="manual"[^>]* checked>', text)
    # The lines and where each goes, a line without a vendor flagged.
    assert "Bay Lab" in text and "Album Co" in text and "no vendor" in text


def test_staff_create_orders_for_all_vendors_and_see_what_was_left_out(web, studio):
    staff = web("staff")
    response = staff.post(create_url(studio.invoice), choices())
    assert response.status_code == 302
    assert response["Location"] == f"{studio.invoice.get_absolute_url()}#production-orders"
    orders = list(ProductionOrder.objects.filter(invoice=studio.invoice).order_by("id"))
    assert [(o.vendor, o.order_type) for o in orders] == [
        (studio.lab, studio.prints),
        (studio.maker, studio.albums),
    ]
    assert [o.details.count() for o in orders] == [1, 2]
    assert all(o.status is not None for o in orders)

    page = staff.get(response["Location"]).content.decode()
    assert "Created 2 production orders:" in page
    assert 'data-testid="orders-created"' in page
    for order in orders:
        assert f'href="{order.get_absolute_url()}"' in page
    skipped = page.split('data-testid="skipped-lines"')[1].split("</ul>")[0]
    assert "Line 3" in skipped and "DIG" in skipped
    assert "no vendor" in skipped
    assert skipped.count("<li>") == 1
    # The summary is shown once; the orders stay listed.
    again = staff.get(studio.invoice.get_absolute_url()).content.decode()
    assert 'data-testid="orders-created"' not in again
    for order in orders:
        assert again.count(f'<span class="mono">#{order.number}</span>') == 1
    assert 'their no. <span class="mono">100</span>' in again  # the lab's own number


def test_one_vendor_manual_details_and_a_chosen_date(web, studio):
    day = dt.date(2026, 3, 4)
    response = web("staff").post(
        create_url(studio.invoice),
        choices(
            vendor=studio.framer.pk,
            details="manual",
            order_type=studio.albums.pk,
            order_date=f"{day:%Y-%m-%d}",
        ),
    )
    assert response.status_code == 302
    order = ProductionOrder.objects.get(invoice=studio.invoice)
    assert (order.vendor, order.order_type, order.order_date) == (studio.framer, studio.albums, day)
    assert order.details.count() == 0


def test_a_refusal_is_shown_beside_the_field_with_the_input_kept(web, studio):
    before = counts()
    # Automatic details at a vendor none of the lines names.
    response = web("staff").post(create_url(studio.invoice), choices(vendor=studio.framer.pk))
    assert response.status_code == 422
    text = response.content.decode()
    assert field_errors(text) == [
        "No line of this invoice is for “Frame Shop”: choose manual details to order from it "
        "anyway."
    ]
    assert f'<option value="{studio.framer.pk}" selected>Frame Shop</option>' in text
    assert counts() == before


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"order_date": "2999-01-01"}, "The order date can't be after today"),
        ({"order_date": "yesterday"}, "Enter a valid date."),
        ({"details": "sometimes"}, "Select a valid choice."),
        ({"vendor": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_input_creates_nothing(web, studio, posted, message):
    before = counts()
    response = web("staff").post(create_url(studio.invoice), choices(**posted))
    assert response.status_code == 422
    assert any(message in error for error in field_errors(response.content.decode()))
    assert counts() == before


def test_an_order_type_without_a_cycle_is_explained(web, studio):
    loose = f.OrderTypeFactory(name="Canvas")
    before = counts()
    response = web("staff").post(create_url(studio.invoice), choices(order_type=loose.pk))
    assert response.status_code == 422
    assert "The order type “Canvas” has no status cycle yet" in response.content.decode()
    assert counts() == before


def test_a_second_creation_asks_for_confirmation_first(web, studio):
    staff = web("staff")
    assert staff.post(create_url(studio.invoice), choices()).status_code == 302
    before = counts()
    warned = staff.post(create_url(studio.invoice), choices(vendor=studio.maker.pk))
    assert warned.status_code == 409
    text = warned.content.decode()
    assert 'data-testid="duplicate-warning"' in text
    assert "already has production orders at Album Co" in text
    assert '<button class="btn btn-primary" type="submit" name="confirm_duplicate"' in text
    assert f'<option value="{studio.maker.pk}" selected>Album Co</option>' in text
    assert counts() == before

    confirmed = staff.post(
        create_url(studio.invoice), choices(vendor=studio.maker.pk, confirm_duplicate="on")
    )
    assert confirmed.status_code == 302
    assert ProductionOrder.objects.filter(invoice=studio.invoice, vendor=studio.maker).count() == 2


# An order's actions ----------------------------------------------------------------------------


@pytest.fixture
def orders(studio):
    return creation.production_orders_create(invoice=studio.invoice, by=studio.person).orders


def test_readonly_see_the_documents_but_no_actions(web, orders):
    lab_order, album_order = orders
    text = web("readonly").get(album_order.get_absolute_url()).content.decode()
    assert f"/api/v1/production-orders/{album_order.pk}/work-order.pdf" in text
    assert f"/api/v1/production-orders/{album_order.pk}/purchase-order.pdf" in text
    assert "Assign number" not in text and "Edit order" not in text
    assert 'name="reason"' not in text
    staff = web("staff").get(album_order.get_absolute_url()).content.decode()
    assert "Assign vendor&#x27;s number (#)" in staff or "Assign vendor's number (#)" in staff
    assert "Edit order" in staff and 'name="reason"' in staff
    # An order that has the vendor's number has no "#" button.
    lab_page = web("staff").get(lab_order.get_absolute_url()).content.decode()
    assert "number (#)" not in lab_page


def test_the_work_order_link_answers_a_pdf_to_the_browser(web, orders):
    response = web("readonly").get(f"/api/v1/production-orders/{orders[0].pk}/work-order.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_assign_number_gives_the_vendors_next_number_once(web, studio, orders):
    album_order = orders[1]
    studio.maker.next_order_number = 7
    studio.maker.save()
    url = reverse("production:order-number", args=[album_order.pk])
    staff = web("staff")
    response = staff.post(url)
    assert response.status_code == 302 and response["Location"] == album_order.get_absolute_url()
    album_order.refresh_from_db()
    assert album_order.vendor_number == "7"
    page = html.unescape(staff.get(response["Location"]).content.decode())
    assert "The vendor's number of this order is now 7." in page
    # A second press (an old page) is refused with a message and changes nothing.
    before = counts()
    again = staff.post(url, follow=True)
    assert "This order already has the vendor's number 7." in html.unescape(again.content.decode())
    assert counts() == before
    assert web("readonly").post(url).status_code == 403


def test_reorder_makes_a_linked_order_and_opens_it(web, studio, orders):
    reason = f.ReorderReasonFactory(description="Lab damaged prints", is_non_chargeable=True)
    f.ReorderReasonFactory(description="Old reason", is_inactive=True)
    lab_order = orders[0]
    staff = web("staff")
    page = staff.get(lab_order.get_absolute_url()).content.decode()
    assert "Lab damaged prints" in page and "Old reason" not in page
    response = staff.post(
        reverse("production:order-reorder", args=[lab_order.pk]), {"reason": reason.pk}
    )
    again = ProductionOrder.objects.get(reorder_of=lab_order)
    assert response.status_code == 302 and response["Location"] == again.get_absolute_url()
    assert (again.vendor, again.reorder_reason, again.details.count()) == (studio.lab, reason, 1)
    text = staff.get(response["Location"]).content.decode()
    assert "Reordered (Lab damaged prints): this is the new order." in text
    assert f'href="{lab_order.get_absolute_url()}"' in text
    assert (
        f'href="{again.get_absolute_url()}"'
        in staff.get(lab_order.get_absolute_url()).content.decode()
    )


def test_reorder_without_a_reason_changes_nothing(web, orders):
    inactive = f.ReorderReasonFactory(description="Retired", is_inactive=True)
    before = counts()
    url = reverse("production:order-reorder", args=[orders[0].pk])
    for posted in ({}, {"reason": inactive.pk}, {"reason": "x"}):
        response = web("staff").post(url, posted)
        assert response.status_code == 422
        text = response.content.decode()
        assert field_errors(text)[0] in (
            "Choose why the order is redone.",
            "Select a valid choice. That choice is not one of the available choices.",
        )
    assert counts() == before
    assert web("readonly").post(url, {"reason": inactive.pk}).status_code == 403


def edit_url(order) -> str:
    return reverse("production:order-edit", args=[order.pk])


def edited(order, **given) -> dict[str, str]:
    posted = {
        "version": str(order.version),
        "vendor_number": order.vendor_number or "",
        "vendor_invoice_amount": "",
        "priority_code": "",
        "studio_notes": "",
        "vendor_notes": "",
    }
    return {**posted, **given}


def test_staff_edit_the_orders_amount_priority_notes_and_number(web, orders):
    rush = f.PriorityCodeFactory(code="RUSH")
    order = orders[1]
    order.refresh_from_db()
    staff = web("staff")
    form = staff.get(edit_url(order))
    assert form.status_code == 200 and f'name="version" value="{order.version}"' in (
        form.content.decode()
    )
    response = staff.post(
        edit_url(order),
        edited(
            order,
            vendor_number=" A-12 ",
            vendor_invoice_amount="42.50",
            priority_code=rush.pk,
            studio_notes="Check the cover",
            vendor_notes="Matte pages",
        ),
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.vendor_number, order.vendor_invoice_amount, order.priority_code) == (
        "A-12",
        Decimal("42.50"),
        rush,
    )
    assert (order.studio_notes, order.vendor_notes) == ("Check the cover", "Matte pages")
    page = staff.get(order.get_absolute_url()).content.decode()
    assert "Saved the order." in page and "42.50" in page and "Matte pages" in page


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"vendor_invoice_amount": "12.345"}, "vendor_invoice_amount", "two decimals at most"),
        ({"vendor_invoice_amount": "-1"}, "vendor_invoice_amount", "must not be negative"),
        ({"vendor_number": "100"}, "vendor_number", "already has an order with its number 100"),
        ({"vendor_number": "x" * 21}, "vendor_number", "at most 20 characters"),
    ],
)
def test_a_bad_edit_is_refused_beside_its_field(web, studio, orders, given, field, message):
    # Order 100 is the lab's; the album maker may use 100 too, so the clash is at the lab.
    order = orders[0]
    other = reorders.production_order_reorder(
        order=order, reason=f.ReorderReasonFactory(), by=studio.person
    )
    other.refresh_from_db()
    if given.get("vendor_number") == "100":
        target = other
    else:
        target = order
        target.refresh_from_db()
    before = list(ProductionOrder.objects.order_by("pk").values())
    response = web("staff").post(edit_url(target), edited(target, **given))
    assert response.status_code == 422
    text = response.content.decode()
    block = text.split(f'id="id_{field}"')[1].split("</div>")[0]
    assert message in html.unescape(block)
    assert f'value="{given[field]}"' in text  # the input is kept
    assert list(ProductionOrder.objects.order_by("pk").values()) == before


def test_an_edit_over_someone_elses_change_keeps_the_input(web, orders):
    order = orders[1]
    order.refresh_from_db()
    opened = order.version
    order_changes.production_order_update(
        order=order, expected_version=opened, studio_notes="Theirs"
    )
    response = web("staff").post(
        edit_url(order), edited(order, version=str(opened), studio_notes="Mine")
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "changed by someone else since you opened it" in text
    assert "\nMine</textarea>" in text
    assert f'name="version" value="{opened + 1}"' in text
    order.refresh_from_db()
    assert order.studio_notes == "Theirs"
    # Saving again replaces their change knowingly.
    again = web("staff").post(edit_url(order), edited(order, studio_notes="Mine"))
    assert again.status_code == 302
    order.refresh_from_db()
    assert order.studio_notes == "Mine"


def test_readonly_may_not_edit(web, orders):
    order = orders[1]
    order.refresh_from_db()
    before = list(ProductionOrder.objects.order_by("pk").values())
    assert web("readonly").get(edit_url(order)).status_code == 403
    assert web("readonly").post(edit_url(order), edited(order, number="X")).status_code == 403
    assert list(ProductionOrder.objects.order_by("pk").values()) == before


# A session's proof orders ----------------------------------------------------------------------


@pytest.fixture
def proofs_cycle(db):
    cycle = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    sent = status_add(cycle=cycle, description="Proofs sent", default_duration=4)
    status_add(cycle=cycle, description="Proofs back", is_final=True)
    return sent


def proof_url(session) -> str:
    return reverse("production:proof-order-create", args=[session.pk])


def test_staff_send_a_sessions_proofs_from_its_page(web, studio, proofs_cycle):
    session = f.SessionFactory(client=studio.client)
    staff = web("staff")
    page = staff.get(session.get_absolute_url()).content.decode()
    assert 'id="production-heading">Production<' in page
    assert "No production or proof orders yet." in page and "Send proofs" in page
    assert f'action="{proof_url(session)}"' in page
    response = staff.post(proof_url(session), {"vendor": studio.lab.pk, "notes": "Rush"})
    assert response.status_code == 302
    assert response["Location"] == f"{session.get_absolute_url()}#proof-orders"
    order = PreproductionOrder.objects.get(session=session)
    assert (order.vendor, order.vendor_number, order.notes, order.status) == (
        studio.lab,
        "100",
        "Rush",
        proofs_cycle,
    )
    staff.post(proof_url(session), {"vendor": studio.maker.pk, "vendor_number": "P-9"})
    typed = PreproductionOrder.objects.get(vendor=studio.maker)
    page = staff.get(session.get_absolute_url()).content.decode()
    assert f"#{order.number}" in page and f"#{typed.number}" in page and "Proofs sent" in page
    assert '<span class="mono">P-9</span>' in page and '<span class="mono">100</span>' in page
    readonly = web("readonly").get(session.get_absolute_url()).content.decode()
    assert f"#{order.number}" in readonly and proof_url(session) not in readonly


def test_a_refused_proof_order_keeps_the_input_and_creates_nothing(web, studio, proofs_cycle):
    session = f.SessionFactory(client=studio.client)
    retired = f.VendorFactory(name="Gone Lab", is_inactive=True)
    before = counts()
    staff = web("staff")
    missing = staff.post(proof_url(session), {"vendor": "", "notes": "Keep me"})
    assert missing.status_code == 422
    text = missing.content.decode()
    assert field_errors(text) == ["Choose the vendor the proofs go to."]
    assert "\nKeep me</textarea>" in text
    inactive = staff.post(proof_url(session), {"vendor": retired.pk})
    assert inactive.status_code == 422
    long_number = staff.post(
        proof_url(session), {"vendor": studio.lab.pk, "vendor_number": "9" * 21}
    )
    assert long_number.status_code == 422
    assert "at most 20 characters" in long_number.content.decode()
    assert counts() == before
    assert web("readonly").post(proof_url(session), {"vendor": studio.lab.pk}).status_code == 403
    assert counts() == before


def test_a_proof_order_without_a_cycle_is_explained(web, studio):
    session = f.SessionFactory(client=studio.client)
    before = counts()
    response = web("staff").post(proof_url(session), {"vendor": studio.lab.pk})
    assert response.status_code == 422
    text = response.content.decode()
    assert '<div class="form-errors" role="alert">' in text
    assert (
        "The studio has no status cycle for preproduction orders yet: add its statuses first."
        in text
    )
    assert counts() == before


def test_all_necessary_vendors_asks_the_type_of_a_vendor_without_one(web, studio):
    """The framer has no default order type: the form asks for one; left empty, the framer's
    line is skipped (and said so) and the other vendors' orders are made all the same."""
    frame_line = f.InvoiceLineFactory(invoice=studio.invoice, position=5, item=studio.items.frame)
    staff = web("staff")
    form = staff.get(create_url(studio.invoice)).content.decode()
    field = f"type_for_{studio.framer.pk}"
    assert 'data-testid="vendor-types"' in form and f'name="{field}"' in form
    assert "Order type at Frame Shop" in form and "None: skip its lines" in form

    response = staff.post(create_url(studio.invoice), choices())
    assert response.status_code == 302
    orders = list(ProductionOrder.objects.filter(invoice=studio.invoice).order_by("id"))
    assert [o.vendor for o in orders] == [studio.lab, studio.maker]
    page = html.unescape(staff.get(response["Location"]).content.decode())
    skipped = page.split('data-testid="skipped-lines"')[1].split("</ul>")[0]
    assert "Line 5" in skipped and "“Frame Shop” has no default order type" in skipped
    for order in orders:
        assert f"#{order.number} (" in page  # each order made, with its number

    typed = staff.post(
        create_url(studio.invoice),
        choices(**{field: str(studio.albums.pk), "vendor": "", "confirm_duplicate": "on"}),
    )
    assert typed.status_code == 302
    framed = ProductionOrder.objects.get(vendor=studio.framer)
    assert framed.order_type == studio.albums
    assert [d.invoice_line for d in framed.details.all()] == [frame_line]


def test_the_api_takes_an_order_type_per_vendor_and_says_what_it_did(api, studio):
    f.InvoiceLineFactory(invoice=studio.invoice, position=4, item=studio.items.frame)
    url = f"invoices/{studio.invoice.pk}/production-orders"
    first = api("staff").post(url, {})
    assert first.status_code == 201, first.content
    body = first.json()
    assert [o["vendor"]["name"] for o in body["orders"]] == ["Bay Lab", "Album Co"]
    assert [s["reason"] for s in body["skipped_lines"]][-1].startswith("no order type: ")
    assert (
        body["message"].startswith("Made 2 orders: #") and "2 lines got no order" in body["message"]
    )
    typed = api("staff").post(
        url,
        {
            "order_types": [{"vendor": studio.framer.pk, "order_type": studio.albums.pk}],
            "confirm_duplicate": True,
        },
    )
    assert typed.status_code == 201, typed.content
    made = typed.json()["orders"]
    assert [(o["vendor"]["name"], o["order_type"]["name"]) for o in made][-1] == (
        "Frame Shop",
        "Albums",
    )
    assert len({o["number"] for o in body["orders"] + made}) == 5
    before = counts()
    unknown = api("staff").post(
        url, {"order_types": [{"vendor": 987654, "order_type": studio.albums.pk}]}
    )
    assert unknown.status_code == 422 and "order_types" in unknown.json()["fields"]
    assert counts() == before
