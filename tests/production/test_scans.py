"""The scan station's service and ``POST /api/v1/scans``: every scan ends in an outcome, and a
refused scan changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.scans import scan_advance, scan_look_up
from darkroom.production.services.creation import production_orders_create
from darkroom.tracking.models import CycleKind, Status, StatusNote
from tests.factories import (
    CycleWithStatuses,
    InvoiceLineFactory,
    OrderTypeFactory,
    ProductionOrderFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
    started_proof_order,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


def production_cycle(name: str, *steps: str) -> CycleWithStatuses:
    """An order type and its cycle, two days a step; the last step is final."""
    *open_steps, last = steps
    return cycle_with_statuses(
        name=f"{name} orders",
        order_type=OrderTypeFactory(name=name),
        steps=[*((step, 2) for step in open_steps), (last, 2, {"is_final": True})],
        final=None,
    )


@pytest.fixture
def album(db) -> CycleWithStatuses:
    return production_cycle("Album", "Ordered", "At the lab", "Retouch", "Ready for Pickup")


@pytest.fixture
def prints(db) -> CycleWithStatuses:
    return production_cycle("Prints", "Sent", "Printed", "Delivered")


def started_order(line: CycleWithStatuses, number: str | None, by, **fields) -> ProductionOrder:
    if number is not None:
        fields["number"] = number
    return started_production_order(order_type=line.order_type, started_on=MONDAY, by=by, **fields)


def order_state() -> list:
    return [
        list(ProductionOrder.objects.order_by("pk").values()),
        list(StatusNote.objects.order_by("pk").values()),
    ]


GARBAGE = [
    ("'; DROP TABLE production_productionorder;--", "is not an order number"),
    ("", "Nothing was scanned"),
    ("   \t\n", "Nothing was scanned"),
    ("7" * 500, "is too long for an order number (at most 20 characters)"),
    ("１００１", "is not an order number"),  # full-width digits
    ("Ørder-1", "is not an order number"),
    ("10 01", "is not an order number"),
    ("10\x0001", "is not an order number"),
    ("<script>alert(1)</script>", "is not an order number"),
]


# Looking up ------------------------------------------------------------------------------------


def test_a_scan_finds_its_order_whatever_whitespace_the_scanner_adds(album, people):
    order = started_order(album, "1001", people["staff"])
    before = order_state()
    outcome = scan_look_up(raw="  1001\r\n")
    assert outcome.ok and outcome.order == order and outcome.code == "1001"
    assert outcome.message == f"Order 1001: {order.client.name}, {order.vendor} — Ordered."
    assert order_state() == before


def test_an_unknown_number_is_said_plainly(album, people):
    started_order(album, "1001", people["staff"])
    outcome = scan_look_up(raw="9999")
    assert not outcome.ok and outcome.order is None
    assert outcome.message == "No order has number 9999."


def test_two_vendors_orders_never_share_a_number(album, people):
    """Each vendor once counted its own numbers from 1, so two vendors' orders were both "1"
    and the station could only say so; now every order has a number of its own."""
    invoice = InvoiceLineFactory().invoice
    first, second = (
        production_orders_create(
            invoice=invoice,
            by=people["staff"],
            vendor=VendorFactory(name=name, auto_assigns_numbers=True),
            details="manual",
            order_type=album.order_type,
        ).orders[0]
        for name in ("Bay Photo", "Miller's")
    )
    assert first.vendor_number == second.vendor_number == "1"  # each vendor's own count
    assert first.number != second.number
    for order in (first, second):
        outcome = scan_look_up(raw=order.number)
        assert outcome.ok and outcome.order == order
        assert outcome.message.startswith(f"Order {order.number}: ")


def test_a_proof_orders_barcode_finds_it_and_moves_it_on(album, people, api):
    sent, back = cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, name="Proofs", steps=[("Proofs sent", 2)], final="Proofs back"
    ).statuses
    order = started_order(album, None, people["staff"])
    proof = started_proof_order(vendor=order.vendor, by=people["staff"], order_date=MONDAY)
    assert proof.number != order.number  # one count for both kinds
    found = scan_look_up(raw=f"  #{proof.number}\r\n")
    assert found.ok and found.order == proof and found.from_status == sent
    assert found.message.startswith(f"Proof order {proof.number}: ")
    moved = scan_advance(raw=proof.number, by=people["staff"])
    assert moved.ok and (moved.from_status, moved.to_status) == (sent, back)
    assert PreproductionOrder.objects.get(pk=proof.pk).status == back
    body = api("staff").post("scans", {"code": order.number}).json()
    assert body["order"]["kind"] == "production" and body["order"]["id"] == order.pk
    body = api("staff").post("scans", {"code": proof.number}).json()
    assert body["ok"] and body["order"]["kind"] == "preproduction"
    assert body["order"]["order_type"] is None and body["order"]["id"] == proof.pk


@pytest.mark.parametrize(("raw", "says"), GARBAGE)
def test_garbage_is_refused_with_a_plain_message(raw, says, album, people):
    started_order(album, "1001", people["staff"])
    before = order_state()
    for outcome in (scan_look_up(raw=raw), scan_advance(raw=raw, by=people["staff"])):
        assert not outcome.ok and outcome.order is None
        assert says in outcome.message
        assert len(outcome.message) < 200
    assert order_state() == before


# Moving on -------------------------------------------------------------------------------------


def test_a_batch_scan_moves_the_order_to_its_next_status(album, people):
    order = started_order(album, "1001", people["staff"])
    ordered, at_lab = album.statuses[:2]
    outcome = scan_advance(raw="1001", by=people["staff"])
    assert outcome.ok
    assert (outcome.from_status, outcome.to_status) == (ordered, at_lab)
    assert outcome.message.startswith("Order 1001: Ordered → At the lab, due ")
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.status == at_lab and stored.status_due_date == outcome.due_date
    note = StatusNote.objects.filter(to_status=at_lab).get()
    assert note.from_status == ordered and note.updated_by == people["staff"]


def test_a_batch_scan_moves_the_order_to_the_status_chosen(album, people):
    order = started_order(album, "1001", people["manager"])
    ready = album.statuses[-1]
    outcome = scan_advance(raw="1001", by=people["staff"], to_status=ready)
    assert outcome.ok and outcome.to_status == ready and outcome.due_date is None
    assert outcome.message == "Order 1001: Ordered → Ready for Pickup (final)."
    stored = ProductionOrder.objects.get(pk=order.pk)
    assert stored.status == ready and stored.completed_by == people["staff"]


def test_a_final_order_stays_final(album, people):
    order = started_order(album, "1001", people["staff"])
    scan_advance(raw="1001", by=people["staff"], to_status=album.statuses[-1])
    before = order_state()
    for target in (None, album.statuses[1]):
        outcome = scan_advance(raw="1001", by=people["staff"], to_status=target)
        assert not outcome.ok and outcome.order == order
        assert outcome.message == "Order 1001 is already final (“Ready for Pickup”)."
    assert order_state() == before


def test_a_status_of_another_cycle_is_refused(album, prints, people):
    started_order(album, "1001", people["staff"])
    before = order_state()
    outcome = scan_advance(raw="1001", by=people["staff"], to_status=prints.statuses[1])
    assert not outcome.ok
    assert outcome.message == (
        "Order 1001 follows another cycle (Album): “Printed” is not one of its statuses."
    )
    assert order_state() == before


def test_the_status_it_already_has_is_refused_by_the_status_rules(album, people):
    started_order(album, "1001", people["staff"])
    before = order_state()
    outcome = scan_advance(raw="1001", by=people["staff"], to_status=album.statuses[0])
    assert not outcome.ok and outcome.message.startswith("Order 1001: ")
    assert "already “Ordered”" in outcome.message
    assert order_state() == before


def test_an_order_not_started_is_not_started_by_a_scan(album, people):
    ProductionOrderFactory(number="1001", order_type=album.order_type)
    before = order_state()
    outcome = scan_advance(raw="1001", by=people["staff"])
    assert not outcome.ok
    assert outcome.message == (
        "Order 1001 has not started its status cycle yet: open it to start it."
    )
    assert order_state() == before


def test_a_batch_goes_on_after_a_refusal(album, prints, people):
    """Orders of different cycles, an unknown number between them: each scan stands alone."""
    first = started_order(album, "1001", people["staff"])
    second = started_order(prints, "P-7", people["staff"])
    results = [scan_advance(raw=code, by=people["staff"]) for code in ("1001", "4242", "P-7")]
    assert [r.ok for r in results] == [True, False, True]
    assert ProductionOrder.objects.get(pk=first.pk).status == album.statuses[1]
    assert ProductionOrder.objects.get(pk=second.pk).status == prints.statuses[1]


# The API ---------------------------------------------------------------------------------------


def test_api_looks_an_order_up(album, people, api):
    order = started_order(album, "1001", people["staff"])
    response = api("readonly").post("scans", {"code": " 1001 ", "mode": "lookup"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["code"] == "1001"
    assert body["order"]["id"] == order.pk and body["order"]["url"] == order.get_absolute_url()
    assert body["order"]["status"]["description"] == "Ordered"
    assert body["order"]["client"]["name"] == order.client.name
    assert body["to_status"] is None


def test_api_advances_an_order(album, people, api):
    order = started_order(album, "1001", people["staff"])
    response = api("staff").post("scans", {"code": "1001", "mode": "advance"})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["from_status"]["description"] == "Ordered"
    assert body["to_status"]["description"] == "At the lab"
    assert body["order"]["status"]["description"] == "At the lab"
    assert ProductionOrder.objects.get(pk=order.pk).status == album.statuses[1]


def test_api_advances_to_a_chosen_status(album, people, api):
    started_order(album, "1001", people["staff"])
    ready = album.statuses[-1]
    body = api("staff").post("scans", {"code": "1001", "mode": "advance", "to_status": ready.pk})
    assert body.json()["to_status"] == {  # the whole status, as GET /cycles/{id}/statuses has it
        "id": ready.pk,
        "cycle": ready.cycle_id,
        "position": ready.position,
        "description": "Ready for Pickup",
        "default_duration": ready.default_duration,
        "default_department": None,
        "default_user": None,
        "is_initial": False,
        "is_final": True,
        "is_inactive": False,
        "client_visible": False,
        "client_name": "",
    }


def refused_scan(code: str, message: str) -> dict:
    """The outcome of a scan that found nothing to show or move: 200, ``ok`` false, why."""
    return {
        "ok": False,
        "message": message,
        "code": code,
        "order": None,
        "from_status": None,
        "to_status": None,
        "due_date": None,
    }


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999", "No order has number 9999."),
        (
            "'; DROP TABLE x",
            "“'; DROP TABLE x” is not an order number: order numbers have only letters, digits "
            "and - . / _",
        ),
        ("", "Nothing was scanned: scan or type an order number."),
    ],
)
def test_api_answers_a_refused_scan_with_its_outcome(code, message, album, people, api):
    started_order(album, "1001", people["staff"])
    before = order_state()
    response = api("staff").post("scans", {"code": code, "mode": "advance"})
    assert (response.status_code, response.json()) == (200, refused_scan(code, message))
    assert order_state() == before


def test_api_refuses_an_unknown_target_status_plainly(album, people, api):
    started_order(album, "1001", people["staff"])
    before = order_state()
    missing = Status.objects.order_by("-pk").first().pk + 100
    body = api("staff").post("scans", {"code": "1001", "mode": "advance", "to_status": missing})
    assert (body.status_code, body.json()) == (
        200,
        refused_scan("1001", f"There is no status {missing}: choose one from the list."),
    )
    assert order_state() == before


def test_api_readonly_may_look_up_but_not_advance(album, people, api):
    started_order(album, "1001", people["staff"])
    before = order_state()
    response = api("readonly").post("scans", {"code": "1001", "mode": "advance"})
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Your role does not allow this.", "code": "permission_denied"},
    )
    assert order_state() == before
    assert api(None).post("scans", {"code": "1001"}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({}, "code", "Field required"),
        ({"code": "1001", "mode": "jump"}, "mode", "Input should be 'lookup' or 'advance'"),
        (
            {"code": "1001", "mode": "advance", "to_status": "next"},
            "to_status",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        ({"code": 1001.5}, "code", "Input should be a valid string"),
        ({"code": "1001", "colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"code": "1" * 1001}, "code", "String should have at most 1000 characters"),
        ({"code": "10\u000001"}, "code", "Text must not contain NUL characters."),
    ],
)
def test_api_refuses_a_body_that_is_not_a_scan(body, field, problem, album, people, api):
    started_order(album, "1001", people["staff"])
    before = order_state()
    response = api("staff").post("scans", body)
    assert response.status_code == 422
    answer = response.json()
    assert (answer["detail"], answer["code"]) == (
        f"The request is not valid: {field}: {problem}",
        "invalid",
    )
    assert order_state() == before


def test_api_refuses_json_that_does_not_parse(api, people):
    before = order_state()
    response = api("staff").post("scans", raw="{code: 1001")
    assert (response.status_code, response.json()) == (
        400,
        {
            "detail": "The request body is not valid JSON: Expecting property name enclosed "
            "in double quotes: line 1 column 2 "
            "(char 1).",
            "code": "bad_request",
        },
    )
    assert order_state() == before
