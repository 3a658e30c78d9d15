"""Reassigning many orders at once over the API (``…/bulk-reassign``): the hub's "Reassign only"
for integrators, on the bulk status change's terms — items with their versions, all or nothing,
every order's outcome when any is refused."""

from __future__ import annotations

import pytest

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.services.proof_orders import preproduction_order_create
from darkroom.tracking.models import CycleKind, NoteKind, StatusNote
from darkroom.tracking.services import cycle_create, status_add
from tests.factories import DepartmentFactory, SessionFactory, UserFactory, VendorFactory
from tests.production.test_scans import production_cycle, started_order

pytestmark = pytest.mark.django_db

URL = "production-orders/bulk-reassign"


@pytest.fixture
def album(db):
    return production_cycle("Album", "Ordered", "Retouch", "Ready")


@pytest.fixture
def orders(album, people):
    return [started_order(album, None, people["staff"]) for _ in range(3)]


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", first_name="Ana", last_name="Ruiz")


@pytest.fixture
def retouching(db):
    return DepartmentFactory(name="Retouching")


def _items(orders) -> list[dict[str, int]]:
    return [{"id": o.pk, "version": o.version} for o in orders]


def _state() -> list:
    """Everything a reassignment could write: the orders and their history."""
    return [
        list(ProductionOrder.objects.order_by("pk").values()),
        list(PreproductionOrder.objects.order_by("pk").values()),
        list(StatusNote.objects.order_by("pk").values()),
    ]


def test_many_orders_are_reassigned_with_one_history_row_each(
    api, orders, album, people, ana, retouching
):
    response = api("staff").post(
        URL,
        {"items": _items(orders), "department": retouching.pk, "user": ana.pk, "note": "Swamped"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["changed"] == 3
    assert [r["id"] for r in body["results"]] == [o.pk for o in orders]
    first = body["results"][0]
    assert first["ok"] and first["message"] == "Reassigned to Retouching / Ana Ruiz (was — / —)"
    assert (
        first["from_status"]
        == first["to_status"]
        == {
            "id": album.statuses[0].pk,
            "description": "Ordered",
        }
    )
    for order in orders:
        stored = ProductionOrder.objects.get(pk=order.pk)
        assert (stored.status_department, stored.status_user) == (retouching, ana)
        assert stored.status == order.status and stored.status_due_date == order.status_due_date
        assert stored.version == order.version + 1
        [row] = StatusNote.objects.filter(object_id=order.pk, kind=NoteKind.REASSIGN)
        assert (row.updated_by, row.note) == (people["staff"], "Swamped")
        assert (row.department, row.user) == (retouching, ana)


def test_a_field_left_out_keeps_each_orders_own(api, orders, ana, retouching):
    first = api("staff").post(URL, {"items": _items(orders[:1]), "department": retouching.pk})
    assert first.status_code == 200, first.content
    moved = ProductionOrder.objects.get(pk=orders[0].pk)
    response = api("staff").post(
        URL, {"items": [{"id": moved.pk, "version": moved.version}], "user": ana.pk}
    )
    assert response.status_code == 200, response.content
    stored = ProductionOrder.objects.get(pk=moved.pk)
    assert (stored.status_department, stored.status_user) == (retouching, ana)


def test_proof_orders_are_reassigned_on_their_own_path(api, people, ana):
    cycle = cycle_create(kind=CycleKind.PREPRODUCTION, name="Proofs")
    status_add(cycle=cycle, description="Sent", default_duration=2)
    status_add(cycle=cycle, description="Back", is_final=True)
    proofs = [
        preproduction_order_create(
            session=SessionFactory(), vendor=VendorFactory(), by=people["staff"]
        )
        for _ in range(2)
    ]
    response = api("staff").post(
        "preproduction-orders/bulk-reassign", {"items": _items(proofs), "user": ana.pk}
    )
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == 2
    assert set(PreproductionOrder.objects.values_list("status_user", flat=True)) == {ana.pk}


def test_a_stale_version_refuses_every_order_and_writes_nothing(api, orders, ana):
    items = _items(orders)
    items[1]["version"] += 1  # someone changed it since
    before = _state()
    response = api("staff").post(URL, {"items": items, "user": ana.pk})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "bulk_refused"
    assert body["detail"] == "1 of 3 records can't be changed; nothing was changed."
    refused = [r for r in body["results"] if not r["ok"]]
    assert [(r["id"], r["field"]) for r in refused] == [(orders[1].pk, "version")]
    assert "Someone else changed it" in refused[0]["message"]
    assert [r["ok"] for r in body["results"]] == [True, False, True]  # the others would change
    assert _state() == before


@pytest.mark.parametrize(
    ("field", "message"),
    [("department", "There is no department 987654."), ("user", "There is no person 987654.")],
)
def test_an_unknown_department_or_person_is_refused_by_name(api, orders, field, message):
    before = _state()
    response = api("staff").post(URL, {"items": _items(orders), field: 987654})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {field: [message]}
    assert _state() == before


def test_an_inactive_department_or_a_gone_person_refuses_the_orders(api, orders):
    closed = DepartmentFactory(name="Old lab", is_inactive=True)
    gone = UserFactory(first_name="Gus", last_name="Gone", is_active=False)
    before = _state()
    for body, field in (({"department": closed.pk}, "department"), ({"user": gone.pk}, "user")):
        response = api("staff").post(URL, {"items": _items(orders), **body})
        assert response.status_code == 422, response.content
        answer = response.json()
        assert answer["code"] == "bulk_refused"
        assert {(r["ok"], r["field"]) for r in answer["results"]} == {(False, field)}
    assert _state() == before


def test_nothing_to_hand_over_or_nobody_named_is_refused(api, orders, album, people, ana):
    ready = started_order(album, None, people["staff"])
    ProductionOrder.objects.filter(pk=ready.pk).update(status=album.statuses[-1])
    ready.refresh_from_db()
    before = _state()
    answer = api("staff").post(URL, {"items": _items([*orders, ready]), "user": ana.pk})
    assert answer.status_code == 422 and answer.json()["code"] == "bulk_refused"
    [refused] = [r for r in answer.json()["results"] if not r["ok"]]
    assert refused["id"] == ready.pk and "final status" in refused["message"]
    nobody = api("staff").post(URL, {"items": _items(orders)})
    assert nobody.status_code == 422, nobody.content
    assert "Choose a department or a person" in nobody.json()["detail"]
    assert _state() == before


def test_a_role_that_cant_change_statuses_is_refused(api, orders, ana):
    before = _state()
    for path in (URL, "preproduction-orders/bulk-reassign"):
        response = api("readonly").post(path, {"items": _items(orders), "user": ana.pk})
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
    assert api(None).post(URL, {"items": _items(orders), "user": ana.pk}).status_code == 401
    assert _state() == before


def test_who_did_it_is_the_caller_not_a_field(api, orders, ana):
    before = _state()
    response = api("staff").post(
        URL, {"items": _items(orders), "user": ana.pk, "updated_by": ana.pk}
    )
    assert response.status_code == 422, response.content
    assert "updated_by" in response.json()["fields"]
    assert _state() == before
