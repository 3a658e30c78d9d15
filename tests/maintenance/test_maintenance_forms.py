"""Every maintenance list's form: add, edit, delete (or retire when in use), move up and down."""

from __future__ import annotations

from decimal import Decimal

import pytest

from darkroom.catalog.models import PriceListItem, Vendor
from tests import factories as f
from tests.maintenance.conftest import (
    ENTRIES,
    IN_USE,
    ORDERED,
    SAMPLES,
    form_data,
    ids,
    list_url,
    row_ids,
    snapshot,
)

pytestmark = pytest.mark.django_db


def _matches(record, expected):
    for name, value in expected.items():
        actual = getattr(record, name)
        if isinstance(actual, Decimal):
            value = Decimal(value)
        assert actual == value, name


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_add_through_the_form(web, people, entry):
    sample = SAMPLES[entry.slug]
    client = web("manager")
    blank = client.get(f"{list_url(entry)}new/")
    assert blank.status_code == 200
    assert f"New {entry.singular}" in blank.content.decode()
    back = f"{list_url(entry)}?sort=-{entry.columns[0]}"
    response = client.post(f"{list_url(entry)}new/", {**sample.create(people), "next": back})
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == back
    record = entry.model._default_manager.get(**{k: v for k, v in sample.created.items()})
    _matches(record, sample.created)
    if entry.ordered:
        assert record.position == max(
            entry.model._default_manager.values_list("position", flat=True)
        )
    if entry.slug == "departments":
        assert set(record.members.all()) == {people["staff"], people["manager"]}
    listing = client.get(response["Location"])
    assert "Added “" in listing.content.decode()
    assert record.pk in row_ids(listing.content)


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_edit_through_the_form(web, entry):
    sample = SAMPLES[entry.slug]
    record = sample.make("Alpha")
    client = web("manager")
    url = f"{list_url(entry)}{record.pk}/"
    shown = client.get(url)
    assert shown.status_code == 200
    data = form_data(shown.context["form"])
    name, value = sample.change
    data[name] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert str(getattr(record, name)) == value
    assert "Saved “" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_readers_see_the_form_but_cannot_save(web, entry):
    record = SAMPLES[entry.slug].make("Alpha")
    page = web("readonly").get(f"{list_url(entry)}{record.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "can look at this" in html
    assert ">Save<" not in html and ">Delete<" not in html
    assert all(field.field.disabled for field in page.context["form"])


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_delete_an_unused_record(web, entry):
    record = SAMPLES[entry.slug].make("Alpha")
    keep = SAMPLES[entry.slug].make("Bravo")
    client = web("manager")
    edit = client.get(f"{list_url(entry)}{record.pk}/")
    assert b"data-confirm=" in edit.content and b">Delete<" in edit.content
    response = client.post(f"{list_url(entry)}{record.pk}/delete/")
    assert response.status_code == 302
    assert not entry.model._default_manager.filter(pk=record.pk).exists()
    assert entry.model._default_manager.filter(pk=keep.pk).exists()
    assert "Deleted “" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("entry", IN_USE, ids=ids)
def test_delete_of_a_record_in_use_is_refused_and_offers_make_inactive(web, entry):
    sample = SAMPLES[entry.slug]
    record = sample.make("Alpha")
    sample.use(record)
    before = snapshot(entry)
    client = web("manager")
    refused = client.post(f"{list_url(entry)}{record.pk}/delete/")
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "can&#x27;t be deleted: it is used by" in html or "can't be deleted" in html
    assert "Make inactive" in html
    assert snapshot(entry) == before
    made = client.post(f"{list_url(entry)}{record.pk}/inactive/")
    assert made.status_code == 302
    record.refresh_from_db()
    assert record.is_inactive
    assert "is now inactive" in client.get(made["Location"]).content.decode()


def test_vendor_used_by_a_price_list_item_is_kept(web):
    vendor = f.VendorFactory(name="Bay Photo Lab")
    item = f.PriceListItemFactory(preferred_vendor=vendor)
    client = web("manager")
    refused = client.post(f"/maintenance/vendors/{vendor.pk}/delete/")
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "“Bay Photo Lab” can&#x27;t be deleted: it is used by 1 price list item." in html
    assert f'action="/maintenance/vendors/{vendor.pk}/inactive/"' in html
    assert Vendor.objects.filter(pk=vendor.pk, is_inactive=False).exists()
    assert PriceListItem.objects.get(pk=item.pk).preferred_vendor_id == vendor.pk
    client.post(f"/maintenance/vendors/{vendor.pk}/inactive/")
    assert Vendor.objects.get(pk=vendor.pk).is_inactive
    assert vendor.pk not in row_ids(client.get("/maintenance/vendors/").content)
    # ... and it can come back.
    client.post(f"/maintenance/vendors/{vendor.pk}/inactive/", {"inactive": "0"})
    assert not Vendor.objects.get(pk=vendor.pk).is_inactive


def test_a_list_that_cannot_retire_has_no_make_inactive(web):
    product = f.VendorProductFactory()
    response = web("manager").post(f"/maintenance/vendor-products/{product.pk}/inactive/")
    assert response.status_code == 404


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_up_and_down(web, three, entry):
    bravo, alpha, charlie = three(entry)
    client = web("manager")
    url = list_url(entry)
    assert row_ids(client.get(url).content) == [bravo.pk, alpha.pk, charlie.pk]
    moved = client.post(f"{url}{charlie.pk}/move/", {"direction": "up", "next": url})
    assert moved.status_code == 302
    assert moved["Location"] == f"{url}#row-{charlie.pk}"
    assert row_ids(client.get(url).content) == [bravo.pk, charlie.pk, alpha.pk]
    client.post(f"{url}{bravo.pk}/move/", {"direction": "down"})
    assert row_ids(client.get(url).content) == [charlie.pk, bravo.pk, alpha.pk]
    # The top row can't go higher; nothing breaks if asked.
    client.post(f"{url}{charlie.pk}/move/", {"direction": "up"})
    assert row_ids(client.get(url).content) == [charlie.pk, bravo.pk, alpha.pk]
    assert client.post(f"{url}{charlie.pk}/move/", {"direction": "sideways"}).status_code == 400


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_skips_hidden_inactive_rows(web, entry):
    sample = SAMPLES[entry.slug]
    first = sample.make("First")
    sample.make("Hidden", is_inactive=True)
    last = sample.make("Last")
    client = web("manager")
    url = list_url(entry)
    client.post(f"{url}{last.pk}/move/", {"direction": "up"})
    assert row_ids(client.get(url).content) == [last.pk, first.pk]
    # With inactive rows shown, a move is one step.
    client.post(f"{url}{last.pk}/move/", {"direction": "down", "inactive": "show"})
    shown = row_ids(client.get(url, {"inactive": "show"}).content)
    assert shown.index(first.pk) == 0 and shown.index(last.pk) == 1


@pytest.mark.parametrize("entry", ORDERED, ids=ids)
def test_move_buttons_only_in_the_hand_made_order(web, three, entry):
    three(entry)
    client = web("manager")
    assert b"/move/" in client.get(list_url(entry)).content
    sorted_page = client.get(list_url(entry), {"sort": entry.columns[0]})
    assert b"/move/" not in sorted_page.content
    assert b"clear the sort, search and filters" in sorted_page.content


def test_lists_not_arranged_by_hand_refuse_moves(web):
    vendor = f.VendorFactory()
    response = web("manager").post(f"/maintenance/vendors/{vendor.pk}/move/", {"direction": "up"})
    assert response.status_code == 404


def test_foreign_key_choices_offer_active_records_and_the_current_one(web):
    active = f.VendorFactory(name="Active lab")
    retired = f.VendorFactory(name="Retired lab", is_inactive=True)
    item = f.PriceListItemFactory(preferred_vendor=active)
    client = web("manager")
    new = client.get("/maintenance/price-list-items/new/").context["form"]
    offered = set(new.fields["preferred_vendor"].queryset)
    assert active in offered and retired not in offered
    Vendor.objects.filter(pk=active.pk).update(is_inactive=True)
    edit = client.get(f"/maintenance/price-list-items/{item.pk}/")
    offered = set(edit.context["form"].fields["preferred_vendor"].queryset)
    assert active in offered and retired not in offered
    assert "Active lab (inactive)" in edit.content.decode()
    # A retired vendor typed in by hand is refused.
    data = form_data(edit.context["form"])
    data["preferred_vendor"] = str(retired.pk)
    refused = client.post(f"/maintenance/price-list-items/{item.pk}/", data)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    item.refresh_from_db()
    assert item.preferred_vendor_id == active.pk


def test_department_members_offer_active_people(web, people):
    gone = f.UserFactory(username="gone", is_active=False)
    form = web("manager").get("/maintenance/departments/new/").context["form"]
    offered = set(form.fields["members"].queryset)
    assert people["staff"] in offered and gone not in offered


def test_saving_returns_to_the_list_as_it_was(web):
    item = f.PriceListItemFactory(identifier="ALB1")
    client = web("manager")
    listing = client.get("/maintenance/price-list-items/", {"q": "alb", "sort": "-price"})
    assert b"?next=/maintenance/price-list-items/%3Fq%3Dalb%26sort%3D-price" in listing.content
    edit = client.get(
        f"/maintenance/price-list-items/{item.pk}/",
        {"next": "/maintenance/price-list-items/?q=alb&sort=-price"},
    )
    data = form_data(edit.context["form"])
    data["next"] = "/maintenance/price-list-items/?q=alb&sort=-price"
    saved = client.post(f"/maintenance/price-list-items/{item.pk}/", data)
    assert saved["Location"] == "/maintenance/price-list-items/?q=alb&sort=-price"
    data["next"] = "https://elsewhere.example/"
    saved = client.post(f"/maintenance/price-list-items/{item.pk}/", data)
    assert saved["Location"] == "/maintenance/price-list-items/"
