"""/invoices/{id}/production-orders, /production-orders… and /preproduction-orders… over HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add
from tests import factories as f
from tests.production.test_production_orders import MONDAY, counts, make_studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(db):
    return make_studio()


def made(api, studio, body=None):
    return api("staff").post(f"invoices/{studio.invoice.pk}/production-orders", body or {})


def test_creating_answers_the_orders_and_the_skipped_lines(api, studio):
    response = made(api, studio, {"order_date": MONDAY.isoformat()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(o["vendor"]["name"], o["vendor_number"]) for o in body["orders"]] == [
        ("Bay Lab", "100"),
        ("Album Co", None),
    ]
    numbers = [int(o["number"]) for o in body["orders"]]
    assert numbers[1] == numbers[0] + 1
    assert body["message"] == (
        f"Made 2 orders: #{numbers[0]} at Bay Lab; #{numbers[1]} at Album Co. "
        "1 line got no order (see skipped_lines)."
    )
    lab = body["orders"][0]
    assert lab["status"]["id"] == studio.print_steps[0].pk
    assert lab["promised_date"] == "2026-03-31"
    assert lab["version"] == 2
    assert [
        (d["item_identifier"], d["quantity"], d["vendor_product_code"]) for d in lab["details"]
    ] == [("P810", 3, "BAY-810")]
    assert body["skipped_lines"] == [
        {
            "line": studio.lines[2].pk,
            "position": 3,
            "item_identifier": "DIG",
            "reason": "no vendor: neither the line nor its price list item names one",
        }
    ]


def test_one_chosen_vendor_still_answers_the_skipped_lines(api, studio):
    response = made(api, studio, {"vendor": studio.maker.pk, "order_date": MONDAY.isoformat()})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [o["vendor"]["name"] for o in body["orders"]] == ["Album Co"]
    assert body["skipped_lines"] == [
        {
            "line": studio.lines[2].pk,
            "position": 3,
            "item_identifier": "DIG",
            "reason": "no vendor: neither the line nor its price list item names one",
        }
    ]


def test_a_second_time_is_409_unless_confirmed(api, studio):
    assert made(api, studio).status_code == 201
    before = counts()
    again = made(api, studio, {"vendor": studio.lab.pk})
    assert again.status_code == 409
    assert again.json()["code"] == "duplicate_order"
    assert counts() == before
    confirmed = made(api, studio, {"vendor": studio.lab.pk, "confirm_duplicate": True})
    assert confirmed.status_code == 201
    assert confirmed.json()["orders"][0]["vendor_number"] == "101"


def test_bad_input_is_422_beside_its_field(api, studio):
    before = counts()
    chosen = made(api, studio, {"vendor": studio.framer.pk})
    assert chosen.status_code == 422
    assert "Frame Shop" in chosen.json()["fields"]["vendor"][0]
    unknown = made(api, studio, {"order_type": 99999})
    assert unknown.status_code == 422
    assert unknown.json()["fields"] == {"order_type": ["There is no production order type 99999."]}
    assert made(api, studio, {"details": "half"}).status_code == 422
    assert api("staff").post("invoices/999999/production-orders", {}).status_code == 404
    assert counts() == before


def test_readonly_may_look_but_not_create(api, studio):
    assert made(api, studio).status_code == 201
    refused = api("readonly").post(f"invoices/{studio.invoice.pk}/production-orders", {})
    assert refused.status_code == 403
    assert api("readonly").get("production-orders").status_code == 200


def test_the_list_is_the_hubs_open_orders_by_keyset(api, studio):
    """GET /production-orders lists open production orders through the hub's filters and
    keyset pages (tests/hub/test_hub_api.py tries every filter)."""
    orders = made(api, studio).json()["orders"]
    caller = api("readonly")
    first = caller.get("production-orders", limit=1).json()
    assert len(first["results"]) == 1 and first["next_cursor"]
    rest = caller.get("production-orders", limit=1, cursor=first["next_cursor"]).json()
    assert rest["next_cursor"] is None
    shown = {r["id"] for r in first["results"] + rest["results"]}
    assert shown == {o["id"] for o in orders}
    at_lab = caller.get("production-orders", vendor=studio.lab.pk).json()["results"]
    assert [(o["vendor"]["name"], o["number"]) for o in at_lab] == [
        ("Bay Lab", orders[0]["number"])
    ]
    for q in (orders[0]["number"], "100"):  # the studio's number, or the lab's own
        assert [o["id"] for o in caller.get("production-orders", q=q).json()["results"]] == [
            at_lab[0]["id"]
        ]


def test_get_patch_number_and_reorder(api, studio):
    orders = made(api, studio).json()["orders"]
    album = orders[1]
    caller = api("staff")
    assert caller.get(f"production-orders/{album['id']}").json()["details"] == album["details"]

    changed = caller.patch(
        f"production-orders/{album['id']}",
        {"version": 2, "vendor_invoice_amount": "40.00", "vendor_notes": "Linen cover"},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["vendor_invoice_amount"], changed.json()["version"]) == ("40.00", 3)
    stale = caller.patch(f"production-orders/{album['id']}", {"version": 2, "studio_notes": "x"})
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    negative = caller.patch(
        f"production-orders/{album['id']}", {"version": 3, "vendor_invoice_amount": "-1"}
    )
    assert negative.status_code == 422
    assert "vendor_invoice_amount" in negative.json()["fields"]

    numbered = caller.post(f"production-orders/{album['id']}/number")
    assert (numbered.status_code, numbered.json()["vendor_number"]) == (200, "1")
    assert numbered.json()["number"] == album["number"]
    twice = caller.post(f"production-orders/{album['id']}/number")
    assert (twice.status_code, twice.json()["code"]) == (400, "has_number")
    fixed = caller.patch(f"production-orders/{orders[0]['id']}", {"version": 2, "number": "7"})
    assert fixed.status_code == 422  # the studio's number is never typed
    taken = caller.patch(
        f"production-orders/{orders[0]['id']}", {"version": 2, "vendor_number": "100"}
    )
    assert taken.status_code == 200
    clash = caller.post(f"production-orders/{album['id']}/number")
    assert clash.status_code == 400

    reason = f.ReorderReasonFactory(description="Torn cover")
    redo = caller.post(f"production-orders/{album['id']}/reorders", {"reason": reason.pk})
    assert redo.status_code == 201, redo.content
    assert (redo.json()["reorder_of"], redo.json()["reorder_reason"]["name"]) == (
        album["id"],
        "Torn cover",
    )
    assert len(redo.json()["details"]) == 2
    assert caller.post(f"production-orders/{album['id']}/reorders", {}).status_code == 422


def test_status_changes_single_and_bulk(api, studio):
    orders = made(api, studio, {"order_date": MONDAY.isoformat()}).json()["orders"]
    caller = api("staff")
    lab = orders[0]
    moved = caller.post(
        f"production-orders/{lab['id']}/status-changes",
        {"version": 2, "date_completed": "2026-03-03"},
    )
    assert moved.status_code == 201, moved.content
    assert moved.json()["status"]["id"] == studio.print_steps[1].pk
    history = api("readonly").get(f"production-orders/{lab['id']}/status-changes").json()
    assert [n["kind"] for n in history["results"]] == ["start", "change"]

    bulk = caller.post(
        "production-orders/bulk-status-changes",
        {"items": [{"id": o["id"]} for o in orders], "date_completed": "2026-03-04"},
    )
    assert bulk.status_code == 200, bulk.content
    assert bulk.json()["changed"] == 2
    statuses = dict(ProductionOrder.objects.values_list("id", "status_id"))
    assert statuses == {
        lab["id"]: studio.print_steps[2].pk,
        orders[1]["id"]: studio.album_steps[1].pk,
    }
    assert (
        api("readonly")
        .post(f"production-orders/{lab['id']}/status-changes", {"version": 4})
        .status_code
        == 403
    )


def test_preproduction_orders_from_a_session(api, studio):
    session = f.SessionFactory(client=studio.client)
    caller = api("staff")
    missing = caller.post(f"sessions/{session.pk}/preproduction-orders", {"vendor": studio.lab.pk})
    assert (missing.status_code, missing.json()["code"]) == (400, "no_cycle")
    assert PreproductionOrder.objects.count() == 0

    cycle = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    sent = status_add(cycle=cycle, description="Sent", default_duration=4)
    back = status_add(cycle=cycle, description="Returned", is_final=True)
    created = caller.post(
        f"sessions/{session.pk}/preproduction-orders",
        {"vendor": studio.maker.pk, "vendor_number": "PR-1", "order_date": MONDAY.isoformat()},
    )
    assert created.status_code == 201, created.content
    proofs = created.json()
    assert proofs["number"].isdigit()
    assert (proofs["vendor_number"], proofs["status"]["id"], proofs["session"]) == (
        "PR-1",
        sent.pk,
        session.pk,
    )
    assert api("readonly").get(f"preproduction-orders/{proofs['id']}").json() == proofs

    done = caller.post(
        f"preproduction-orders/{proofs['id']}/status-changes",
        {"version": 2, "date_completed": dt.date(2026, 3, 6).isoformat()},
    )
    assert done.status_code == 201, done.content
    assert done.json()["status"]["id"] == back.pk
    history = caller.get(f"preproduction-orders/{proofs['id']}/status-changes").json()
    assert len(history["results"]) == 2
