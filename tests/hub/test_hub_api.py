"""GET /hub/orders, /hub/summary and /production-orders: the hub's filters and keyset pages over
HTTP, bad input answered 422 naming the parameter, and who may read."""

from __future__ import annotations

import pytest

from darkroom.hub.filters import HubFilter
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.tracking.models import StatusNote
from tests.hub.test_selectors import DAY, expected, make_world

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]


@pytest.fixture
def world(db):
    return make_world()


def state() -> tuple[int, ...]:
    return (
        ProductionOrder.objects.count(),
        PreproductionOrder.objects.count(),
        StatusNote.objects.count(),
        *ProductionOrder.objects.order_by("id").values_list("version", flat=True),
    )


def walk(caller, path: str, **params) -> list[tuple[str, int]]:
    shown, cursor = [], None
    for _ in range(50):
        answer = caller.get(path, **params, **({"cursor": cursor} if cursor else {}))
        assert answer.status_code == 200, answer.content
        body = answer.json()
        shown += [(row["kind"], row["id"]) for row in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return shown
    raise AssertionError("the pages never ended")


def test_hub_orders_pages_through_both_kinds(api, world):
    caller = api("readonly")
    assert walk(caller, "hub/orders", limit=3) == expected(HubFilter(), world.today)
    vendors = {"vendor": [world.bay.pk, world.frames.pk], "sort": "-client", "limit": 2}
    wanted = expected(
        HubFilter(vendors=(world.bay.pk, world.frames.pk), sort="-client"), world.today
    )
    assert walk(caller, "hub/orders", **vendors) == wanted
    proofs = walk(caller, "hub/orders", kind="preproduction", q="smi")
    assert proofs == expected(HubFilter(kind="preproduction", q="smi"), world.today)


def test_an_order_answers_what_the_hub_shows(api, world):
    rows = api("readonly").get("hub/orders", vendor=world.bay.pk, limit=100).json()["results"]
    first = next(r for r in rows if r["kind"] == "production" and r["id"] == world.orders[0].pk)
    invoice = world.invoices[0]
    assert first["client"] == {"id": world.clients[0].pk, "name": "Anna Smith"}
    assert first["invoice"] == {"id": invoice.pk, "name": f"{invoice.pk:05d}"}
    assert first["vendor"] == {"id": world.bay.pk, "name": "Bay Lab"}
    assert first["status"] == {"id": world.print_steps[1].pk, "name": "Prints step 2"}
    assert (first["order_type"], first["number"], first["priority"]) == ("Prints", "1001", "RUSH")
    assert (first["department"], first["user"]) == ("Retouching", "Ines Kahn")
    assert first["status_due_date"] == (world.today - 3 * DAY).isoformat()
    assert (first["overdue"], first["due_today"], first["at_risk"]) == (True, False, True)
    assert first["url"] == f"/production/orders/{world.orders[0].pk}/"
    proof = next(r for r in rows if r["kind"] == "preproduction")
    assert proof["invoice"] is None and proof["order_type"] is None


def test_production_orders_lists_open_production_orders_only(api, world):
    caller = api("readonly")
    shown = walk(caller, "production-orders", limit=4)
    assert shown == expected(HubFilter(kind="production"), world.today)
    assert {kind for kind, _ in shown} == {"production"}
    numbered = walk(caller, "production-orders", q="1001")
    assert numbered == [("production", world.orders[0].pk)]
    # "kind" is not this list's to choose: it stays production.
    assert walk(caller, "production-orders", kind="preproduction") == shown


def test_the_summary_counts_per_status_for_the_filter(api, world):
    caller = api("readonly")
    body = caller.get("hub/summary").json()
    assert body["open"] == len(expected(HubFilter(), world.today))
    assert body["overdue"] == len(expected(HubFilter(flag="overdue"), world.today))
    assert body["at_risk"] == len(expected(HubFilter(flag="at_risk"), world.today))
    assert sum(s["count"] for s in body["statuses"]) == body["open"]
    step2 = next(s for s in body["statuses"] if s["status"]["id"] == world.print_steps[1].pk)
    assert step2["cycle"] == "Prints"
    assert step2["invoice_value"].count(".") == 1 and step2["invoice_value"].endswith("00")
    at_bay = caller.get("hub/summary", vendor=world.bay.pk, kind="production").json()
    assert at_bay["open"] == len(
        expected(HubFilter(vendors=(world.bay.pk,), kind="production"), world.today)
    )


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("hub/orders", {"flag": "soon"}, "flag"),
        ("hub/orders", {"kind": "invoice"}, "kind"),
        ("hub/orders", {"sort": "size"}, "sort"),
        ("hub/orders", {"vendor": "abc"}, "vendor"),
        ("hub/orders", {"status": "999999"}, "status"),
        ("hub/orders", {"due_before": "2026-13-01"}, "due_before"),
        ("hub/orders", {"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
        ("hub/summary", {"department": "0"}, "department"),
        ("hub/summary", {"due_before": "31/12/2026"}, "due_before"),
        ("production-orders", {"user": "424242"}, "user"),
        ("production-orders", {"cursor": "%%%"}, "cursor"),
    ],
)
def test_bad_input_is_422_naming_the_parameter_and_changes_nothing(api, world, path, params, field):
    before = state()
    answer = api("staff").get(path, **params)
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == [field]
    assert field in body["detail"]
    assert state() == before


@pytest.mark.parametrize("limit", ["0", "501", "many"])
def test_a_bad_limit_is_422(api, world, limit):
    answer = api("readonly").get("hub/orders", limit=limit)
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid"
    assert answer.json()["errors"][0]["loc"][-1] == "limit"


def test_a_cursor_of_another_sort_is_refused(api, world):
    caller = api("readonly")
    cursor = caller.get("hub/orders", limit=2).json()["next_cursor"]
    answer = caller.get("hub/orders", cursor=cursor, sort="vendor")
    assert answer.status_code == 422
    assert "another sort" in answer.json()["fields"]["cursor"][0]


@pytest.mark.parametrize("path", ["hub/orders", "hub/summary", "production-orders"])
def test_callers_must_log_in_and_every_role_may_read(api, world, path):
    assert api(None).get(path).status_code == 401
    for role in ("readonly", "staff", "manager"):
        assert api(role).get(path).status_code == 200, role
