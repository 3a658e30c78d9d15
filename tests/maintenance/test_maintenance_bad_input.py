"""Bad input on the maintenance forms: a clear message beside the field, nothing saved."""

from __future__ import annotations

import pytest

from darkroom.catalog.models import PriceListItem, RenderProfile, Vendor
from darkroom.maintenance.registry import maintenance_list
from tests import factories as f
from tests.maintenance.conftest import snapshot

pytestmark = pytest.mark.django_db

NEW_ITEM = "/maintenance/price-list-items/new/"


def _item(**changes):
    data = {
        "identifier": "PRINT8X10",
        "description": "8x10 print",
        "item_type": "print",
        "group": "",
        "price": "25.00",
        "cost": "8.00",
        "preferred_vendor": "",
        "render_profile": "",
    }
    return {**data, **changes}


def _refused(client, url, data, field, message):
    """Posts the form; asserts the page came back with ``message`` beside ``field``."""
    entry = maintenance_list("price-list-items")
    before = snapshot(entry)
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors.get(field, [])), form.errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert snapshot(entry) == before
    return response


@pytest.mark.parametrize("typed", ["print8x10", "PRINT8x10", "PRINT8X10"])
def test_duplicate_identifier_is_refused_whatever_the_capitals(web, typed):
    f.PriceListItemFactory(identifier="PRINT8X10")
    _refused(
        web("manager"),
        NEW_ITEM,
        _item(identifier=typed),
        "identifier",
        "Another price list item already has this identifier.",
    )


def test_renaming_onto_another_identifier_is_refused(web):
    f.PriceListItemFactory(identifier="ALB1")
    item = f.PriceListItemFactory(identifier="ALB2")
    _refused(
        web("manager"),
        f"/maintenance/price-list-items/{item.pk}/",
        _item(identifier="alb1"),
        "identifier",
        "already has this identifier",
    )
    assert PriceListItem.objects.get(pk=item.pk).identifier == "ALB2"


@pytest.mark.parametrize(
    ("identifier", "message"),
    [
        ("ABCDEFGHIJKLM", "at most 12 characters"),
        ("AB 12", "Use only letters and digits"),
        ("AB-12", "Use only letters and digits"),
        ("", "This field is required."),
    ],
)
def test_identifier_must_be_up_to_12_letters_or_digits(web, identifier, message):
    _refused(web("manager"), NEW_ITEM, _item(identifier=identifier), "identifier", message)


@pytest.mark.parametrize("field", ["price", "cost"])
def test_negative_money_is_refused(web, field):
    _refused(web("manager"), NEW_ITEM, _item(**{field: "-0.01"}), field, "Must not be negative.")


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "Enter a number."), ("1.234", "no more than 2 decimal places")],
)
def test_money_must_be_a_number_with_cents(web, value, message):
    _refused(web("manager"), NEW_ITEM, _item(price=value), "price", message)


def test_whole_numbers_are_checked(web):
    before = list(RenderProfile.objects.values())
    response = web("manager").post(
        "/maintenance/render-profiles/new/",
        {"name": "Metal", "dpi": "-300", "bleed_mm": "x", "size": "", "destination": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "greater than or equal to 0" in errors["dpi"][0]
    assert errors["bleed_mm"] == ["Enter a number."]
    assert list(RenderProfile.objects.values()) == before


def test_duplicate_vendor_name_is_refused(web):
    f.VendorFactory(name="Bay Photo Lab")
    response = web("manager").post(
        "/maintenance/vendors/new/", {"name": "Bay Photo Lab", "next_order_number": "1"}
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Vendor.objects.filter(name="Bay Photo Lab").count() == 1


def test_bad_email_on_a_vendor_is_refused(web):
    response = web("manager").post(
        "/maintenance/vendors/new/",
        {"name": "Frames & Co", "email": "not-an-email", "next_order_number": "1"},
    )
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert not Vendor.objects.filter(name="Frames & Co").exists()


def test_errors_show_beside_the_field_and_keep_what_was_typed(web):
    response = web("manager").post(NEW_ITEM, _item(price="-5", description="Kept text"))
    html = response.content.decode()
    assert 'class="field has-error"' in html
    assert 'value="Kept text"' in html
    assert html.index('id="id_price"') < html.index("Must not be negative.")
