"""Reassigning, editing an order's type, date and people, and naming who did a step: from the
order's pages, the hub's bulk form and the API."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import NoteKind, StatusNote
from tests.factories import ClientFactory, DepartmentFactory, UserFactory, VendorFactory
from tests.production.test_scans import order_state, production_cycle, started_order
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return production_cycle("Album", "Ordered", "Retouch", "Ready")


@pytest.fixture
def prints(db):
    return production_cycle("Prints", "Sent", "Retouch", "Delivered")


@pytest.fixture
def order(album, people):
    client = ClientFactory(first_name="Ada", last_name="Lovelace", address="1 Analytical Row")
    vendor = VendorFactory(name="Bay Lab", address="920 Disc Drive\nScotts Valley")
    return started_order(
        album,
        "E1",
        people["staff"],
        vendor=vendor,
        client=client,
        invoice__client=client,
        shipping_address="Studio back door\n12 Harbour Lane",
    )


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", first_name="Ana", last_name="Ruiz")


@pytest.fixture
def retouching(db):
    return DepartmentFactory(name="Retouching")


def _page(web, order) -> str:
    response = web("staff").get(order.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# The order page ---------------------------------------------------------------------------------


def test_the_order_page_shows_both_addresses_and_a_reassign_action(web, order):
    page = _page(web, order)
    assert "Studio back door" in page and "Ada Lovelace" in page
    assert "920 Disc Drive" in page
    assert f'href="/production/orders/{order.pk}/reassign/"' in page


def test_reassigning_from_the_page_keeps_the_status_and_shows_in_history(
    web, order, ana, retouching
):
    url = f"/production/orders/{order.pk}/reassign/"
    assert web("staff").get(url).status_code == 200
    response = web("staff").post(
        url, {"version": order.version, "department": retouching.pk, "user": ana.pk, "note": "Busy"}
    )
    assert response.status_code == 302
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert (stored.status_department, stored.status_user, stored.status_id) == (
        retouching,
        ana,
        order.status_id,
    )
    page = web("staff").get(response["Location"].split("#")[0]).content.decode()
    assert "Reassigned to <strong>Retouching / Ana Ruiz</strong> (was — / —)" in page


def test_a_stale_reassignment_is_a_conflict_and_an_inactive_department_is_refused(web, order, ana):
    url = f"/production/orders/{order.pk}/reassign/"
    before = order_state()
    stale = web("staff").post(url, {"version": order.version - 1, "user": ana.pk})
    assert stale.status_code == 409 and "Someone changed this" in stale.content.decode()
    closed = DepartmentFactory(name="Closed darkroom", is_inactive=True)
    refused = web("staff").post(url, {"version": order.version, "department": closed.pk})
    assert refused.status_code == 422
    assert "Choose one of the active departments." in refused.content.decode()
    assert order_state() == before


def test_the_status_dialog_records_who_did_the_step(web, order, people, ana):
    url = f"/production/orders/{order.pk}/status/"
    dialog = web("staff").get(url).content.decode()
    assert 'name="updated_by"' in dialog and "Status updated by" in dialog
    response = web("staff").post(
        url,
        {
            "version": order.version,
            "to_status": order.status_id + 1,
            "date_completed": MONDAY.isoformat(),
            "updated_by": ana.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    note = StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.CHANGE).get()
    assert (note.updated_by, note.entered_by) == (ana, people["staff"])
    history = web("staff").get(f"/production/orders/{order.pk}/history/").content.decode()
    assert 'Ana Ruiz<span class="muted">, entered by Staff' in history


def test_the_edit_page_changes_type_date_and_entered_by(web, order, prints, ana):
    url = f"/production/orders/{order.pk}/edit/"
    form = web("staff").get(url).content.decode()
    assert 'name="order_type"' in form and 'name="entered_by"' in form
    assert 'name="completed_by"' not in form  # not finished: nobody completed it
    response = web("staff").post(
        url,
        {
            "version": order.version,
            "order_type": prints.order_type.pk,
            "order_date": (MONDAY - dt.timedelta(days=1)).isoformat(),
            "entered_by": ana.pk,
            "number": "E1",
            "vendor_invoice_amount": "",
            "priority_code": "",
            "studio_notes": "",
            "vendor_notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.order_type == prints.order_type and stored.status == prints.statuses[0]
    assert stored.order_date == dt.date(2026, 3, 1) and stored.entered_by == ana
    page = _page(web, order)
    assert "Ordered → <strong>Sent</strong>" in page
    assert "order type Album → Prints" in page


# The hub's bulk form -------------------------------------------------------------------------


def test_the_hub_bulk_form_reassigns_only(web, order, album, people, ana, retouching):
    other = started_order(album, "E2", people["staff"])
    form = web("staff").get("/production/").content.decode()
    assert "Reassign only" in form and 'name="updated_by"' in form and 'name="due_date"' in form
    response = web("staff").post(
        "/production/bulk-status/",
        {
            "record": [f"production:{o.pk}:{o.version}" for o in (order, other)],
            "action": "reassign",
            "date_completed": MONDAY.isoformat(),
            "department": retouching.pk,
            "user": ana.pk,
        },
    )
    assert response.status_code == 200
    assert "Reassigned 2 orders" in response.content.decode()
    for stored in ProductionOrder.objects.all():
        assert (stored.status_department, stored.status_user) == (retouching, ana)
        assert stored.status == album.statuses[0]  # the status stayed


def test_the_hub_bulk_form_offers_the_bulk_apis_options(web, order, album, people, ana):
    due = MONDAY + dt.timedelta(days=9)
    response = web("staff").post(
        "/production/bulk-status/",
        {
            "record": [f"production:{order.pk}:{order.version}"],
            "action": "status",
            "date_completed": MONDAY.isoformat(),
            "due_date": due.isoformat(),
            "department": "none",
            "user": ana.pk,
            "updated_by": ana.pk,
            "current_not_complete": "on",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.status == album.statuses[1]
    assert (stored.status_due_date, stored.status_due_overridden) == (due, True)
    assert (stored.status_department, stored.status_user) == (None, ana)
    note = StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.CHANGE).get()
    assert note.not_complete and (note.updated_by, note.entered_by) == (ana, people["staff"])


# The API --------------------------------------------------------------------------------------


def test_the_api_reassigns_an_order(api, order, ana, retouching):
    response = api("staff").post(
        f"production-orders/{order.pk}/reassign",
        {"version": order.version, "department": retouching.pk, "user": ana.pk},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["change"]["kind"] == "reassign"
    assert body["change"]["previous_department"] is None
    assert body["department"] == {"id": retouching.pk, "name": "Retouching"}
    assert body["user"]["name"] == "Ana Ruiz" and body["version"] == order.version + 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"department": "inactive"}, 422, "department"),
        ({"user": 987654}, 422, "user"),
        ({"department": 987654}, 422, "department"),
        ({"user": "gone"}, 422, "user"),
        ({"user": "ana", "version": 1}, 409, None),
    ],
)
def test_the_api_refuses_a_bad_reassignment(api, order, ana, body, status, field):
    named = {
        "inactive": DepartmentFactory(is_inactive=True).pk,
        "gone": UserFactory(is_active=False).pk,
        "ana": ana.pk,
    }
    sent = {"version": order.version, **{k: named.get(v, v) for k, v in body.items()}}
    before = order_state()
    response = api("staff").post(f"production-orders/{order.pk}/reassign", sent)
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["code"] and answer["detail"]
    if field:
        assert field in answer["detail"] or field in str(answer.get("errors", ""))
    assert order_state() == before


def test_the_api_names_who_did_a_step(api, order, people, ana):
    response = api("staff").post(
        f"production-orders/{order.pk}/status-changes",
        {"version": order.version, "updated_by": ana.pk, "date_completed": MONDAY.isoformat()},
    )
    assert response.status_code == 201, response.content
    change = response.json()["change"]
    assert change["updated_by"]["id"] == ana.pk
    assert change["entered_by"]["id"] == people["staff"].pk
    gone = UserFactory(is_active=False)
    refused = api("staff").post(
        "production-orders/bulk-status-changes",
        {"items": [{"id": order.pk}], "updated_by": gone.pk},
    )
    assert refused.status_code == 422 and "updated_by" in refused.content.decode()


def test_the_api_patches_type_date_and_people(api, order, prints, ana):
    response = api("staff").patch(
        f"production-orders/{order.pk}",
        {
            "version": order.version,
            "order_type": prints.order_type.pk,
            "order_date": "2026-03-01",
            "entered_by": ana.pk,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["order_type"]["id"] == prints.order_type.pk
    assert body["status"]["id"] == prints.statuses[0].pk
    assert (body["order_date"], body["entered_by"]["id"]) == ("2026-03-01", ana.pk)
    refused = api("staff").patch(
        f"production-orders/{order.pk}", {"version": body["version"], "completed_by": ana.pk}
    )
    assert refused.status_code == 422 and "completed_by" in refused.content.decode()
    unknown = api("staff").patch(
        f"production-orders/{order.pk}", {"version": body["version"], "entered_by": 987654}
    )
    assert unknown.status_code == 422 and "There is no person 987654" in unknown.content.decode()


def test_an_emptied_order_date_is_refused_beside_its_field(web, order):
    before = order_state()
    response = web("staff").post(
        f"/production/orders/{order.pk}/edit/",
        {"version": order.version, "number": "E1", "order_date": "", "vendor_invoice_amount": ""},
    )
    assert response.status_code == 422
    assert "Give the order date (YYYY-MM-DD)." in response.content.decode()
    assert order_state() == before
