"""A proof order's own page, its edit form and ``PATCH /preproduction-orders/{id}``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from darkroom.errors import Conflict
from darkroom.production.models import PreproductionOrder
from darkroom.production.services.proof_orders import (
    preproduction_order_create,
    preproduction_order_update,
)
from darkroom.tracking.models import CycleKind
from tests.factories import (
    ClientFactory,
    ProductionOrderFactory,
    SessionFactory,
    VendorFactory,
    cycle_with_statuses,
    started_proof_order,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def steps(db):
    return cycle_with_statuses(
        kind=CycleKind.PREPRODUCTION, name="Proofs", steps=[("Proofs sent", 3)], final="Proofs back"
    ).statuses


@pytest.fixture
def proof(steps, people) -> PreproductionOrder:
    return started_proof_order(
        session=SessionFactory(client=ClientFactory(first_name="Grace", last_name="Hopper")),
        vendor=VendorFactory(name="Bay Lab"),
        by=people["staff"],
        vendor_number="70",
        order_date=MONDAY,
        notes="Matte proofs, 5x7",
    )


def state() -> list:
    return list(PreproductionOrder.objects.order_by("pk").values())


def test_the_proof_order_page_shows_what_was_sent_and_its_status(web, proof):
    page = web("readonly").get(proof.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert f'Proof order <span class="mono">#{proof.number}</span>' in text and "Bay Lab" in text
    assert '<dd data-testid="vendor-number"><span class="mono">70</span></dd>' in text
    assert reverse("api:proof_work_order", kwargs={"id": proof.pk}) in text
    assert "Grace Hopper" in text and proof.session.get_absolute_url() in text
    assert "Matte proofs, 5x7" in text and "Mar 2, 2026" in text
    assert '<dd data-testid="proof-status">Proofs sent</dd>' in text
    assert '<dd data-testid="proof-cost"><span class="muted">not yet known</span>' in text
    assert "Status history" in text and "Started in <strong>Proofs sent</strong>" in text
    assert "Edit proof order" not in text and "Change status" not in text
    staff = web("staff").get(proof.get_absolute_url()).content.decode()
    assert "Edit proof order" in staff and "Change status" in staff
    assert "?preproduction_order=" in staff  # the Tasks panel offers a task about it
    missing = reverse("production:proof-order-detail", args=[987654])
    assert web("staff").get(missing).status_code == 404


def test_the_sessions_proof_orders_link_to_their_pages(web, proof):
    text = web("staff").get(proof.session.get_absolute_url()).content.decode()
    link = f'<a href="{proof.get_absolute_url()}"><span class="mono">#{proof.number}</span></a>'
    assert link in text and 'their no. <span class="mono">70</span>' in text


def test_staff_change_a_proof_orders_status_and_come_back_to_it(web, proof, steps):
    url = reverse("tracking:proof-order-status", args=[proof.pk])
    done = web("staff").post(url, {"version": proof.version, "to_status": steps[1].pk,
                                   "date_completed": MONDAY.isoformat()})  # fmt: skip
    assert done.status_code == 302
    assert done["Location"] == f"{proof.get_absolute_url()}#status"
    proof.refresh_from_db()
    assert proof.status == steps[1] and proof.completed_date == MONDAY


def test_staff_edit_number_cost_and_notes(web, proof):
    url = reverse("production:proof-order-edit", args=[proof.pk])
    browser = web("staff")
    form = browser.get(url).content.decode()
    assert "Preproduction cost" in form and 'value="70"' in form
    edit = {"version": proof.version, "vendor_number": " 71 ", "vendor_invoice_amount": "18.50"}
    done = browser.post(url, {**edit, "notes": "Glossy after all"})
    assert done.status_code == 302 and done["Location"] == proof.get_absolute_url()
    stored = PreproductionOrder.objects.get(pk=proof.pk)
    assert (stored.vendor_number, stored.vendor_invoice_amount, stored.notes) == (
        "71",
        Decimal("18.50"),
        "Glossy after all",
    )
    assert stored.version == proof.version + 1
    page = browser.get(done["Location"]).content.decode()
    assert "Saved the proof order." in page and "18.50" in page


def test_bad_edits_are_refused_beside_their_fields(web, proof, people):
    ProductionOrderFactory(vendor=proof.vendor, vendor_number="500")
    other = preproduction_order_create(
        session=proof.session, vendor=proof.vendor, by=people["staff"], vendor_number="80"
    )
    url = reverse("production:proof-order-edit", args=[proof.pk])
    browser = web("staff")
    before = state()
    for body, status, words in (
        ({"vendor_invoice_amount": "-1"}, 422, "must not be negative"),
        ({"vendor_invoice_amount": "12.345"}, 422, "two decimals at most"),
        ({"vendor_invoice_amount": "lots"}, 422, "Give an amount like 12.50"),
        ({"vendor_number": "80"}, 422, "“Bay Lab” already has an order with its number 80."),
        ({"vendor_number": "500"}, 422, "already has an order with its number 500."),
        ({"vendor_number": "x" * 21}, 422, "at most 20 characters"),
        ({"version": proof.version + 4}, 409, "changed by someone else"),
    ):
        data = {"version": proof.version, "vendor_number": "70", "vendor_invoice_amount": "",
                "notes": "Kept input"} | body  # fmt: skip
        answer = browser.post(url, data)
        assert answer.status_code == status, body
        text = answer.content.decode()
        assert words in text, body
        assert "Kept input" in text
        assert state() == before
    assert other.vendor_number == "80" and int(other.number) == int(proof.number) + 2
    assert web("readonly").post(url, {"version": proof.version}).status_code == 403


def test_the_service_refuses_what_it_cannot_change(proof):
    with pytest.raises(ValidationError) as caught:
        preproduction_order_update(order=proof, expected_version=proof.version, status=1)
    assert "status" in caught.value.message_dict
    with pytest.raises(Conflict):
        preproduction_order_update(order=proof, expected_version=proof.version - 1, notes="x")
    assert state()[0]["notes"] == "Matte proofs, 5x7"


# The API ---------------------------------------------------------------------------------------


def test_patch_a_proof_order(api, proof):
    url = f"preproduction-orders/{proof.pk}"
    answer = api("staff").patch(url, {"version": proof.version, "vendor_invoice_amount": "22.00",
                                      "vendor_number": None})  # fmt: skip
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["vendor_invoice_amount"] == "22.00" and body["vendor_number"] is None
    assert body["number"] == proof.number
    assert body["notes"] == "Matte proofs, 5x7" and body["version"] == proof.version + 1
    assert api("readonly").get(url).json()["vendor_invoice_amount"] == "22.00"


def test_patch_refusals_are_4xx_and_change_nothing(api, proof):
    url = f"preproduction-orders/{proof.pk}"
    before = state()
    for role, path, body, status in (
        ("staff", url, {"version": proof.version + 1, "notes": "x"}, 409),
        ("staff", url, {"version": proof.version, "vendor_invoice_amount": "-3"}, 422),
        ("staff", url, {"version": proof.version, "vendor_invoice_amount": "abc"}, 422),
        ("staff", url, {"version": proof.version, "vendor_number": "1" * 21}, 422),
        ("staff", url, {"version": proof.version, "number": "1"}, 422),  # the studio's: fixed
        ("staff", url, {"version": proof.version, "notes": "a\x00b"}, 422),
        ("staff", url, {"version": proof.version, "status": 1}, 422),
        ("staff", url, {"notes": "no version"}, 422),
        ("staff", "preproduction-orders/987654", {"version": 1}, 404),
        ("staff", f"preproduction-orders/{2**40}", {"version": 1}, 404),
        ("readonly", url, {"version": proof.version, "notes": "x"}, 403),
        (None, url, {"version": proof.version, "notes": "x"}, 401),
    ):
        answer = api(role).patch(path, body)
        assert answer.status_code == status, (body, answer.content)
        assert state() == before
