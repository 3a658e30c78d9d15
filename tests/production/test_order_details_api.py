"""An order's detail lines over the API: the list's shape, adding with pasted image names,
changing, putting in order, deleting; a stale version is 409, bad input 4xx naming the field,
a final order 400 ``final`` — and nothing is written when refused."""

from __future__ import annotations

import pytest

from darkroom.production.models import ProductionOrderDetail
from darkroom.tracking.models import NoteKind, StatusNote
from darkroom.tracking.services import status_change
from tests.production.test_order_details import make_shop, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    return make_shop()


def url(order, *rest) -> str:
    return "/".join([f"production-orders/{order.pk}/details", *map(str, rest)])


def rows() -> list[tuple]:
    return list(
        ProductionOrderDetail.objects.order_by("id").values_list(
            "id", "order_id", "position", "quantity", "description", "image_names", "notes"
        )
    )


def history() -> int:
    return StatusNote.objects.filter(kind=NoteKind.DETAILS).count()


def test_staff_add_a_line_with_pasted_image_names_and_read_the_list(api, shop):
    order = shop.print_order
    caller = api("staff")
    assert caller.get(url(order)).json() == {"results": [], "next_cursor": None}
    response = caller.post(
        url(order),
        {
            "version": version(order),
            "item": shop.print_item.pk,
            "quantity": 2,
            "image_names": "IMG_1.jpg, IMG_2.jpg\nIMG_3.jpg",
            "notes": "Lustre",
        },
    )
    assert response.status_code == 201, response.content
    line = response.json()
    assert line == {
        "id": line["id"],
        "position": 1,
        "invoice_line": None,
        "item": shop.print_item.pk,
        "item_identifier": "P810",
        "description": "8x10 print",
        "quantity": 2,
        "vendor_product_code": "BAY-810",
        "render_profile": {"id": shop.profile.pk, "name": "8x10 lustre"},
        "image_names": "IMG_1.jpg\nIMG_2.jpg\nIMG_3.jpg",
        "image_count": 3,
        "notes": "Lustre",
        "order_version": version(order),
    }
    listed = api("readonly").get(url(order)).json()
    assert listed == {"results": [line], "next_cursor": None}
    # The order's own answer carries the line too, notes included.
    whole = caller.get(f"production-orders/{order.pk}").json()
    assert whole["version"] == line["order_version"]
    assert whole["details"][0]["notes"] == "Lustre"
    # And its history says so.
    changes = caller.get(f"production-orders/{order.pk}/status-changes").json()["results"]
    assert changes[-1]["kind"] == "details"
    assert changes[-1]["note"] == (
        "Detail line 1 added: 8x10 print ×2, 3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg, "
        "notes “Lustre”"
    )


def test_image_names_may_come_as_a_list(api, shop):
    order = shop.print_order
    body = {"version": version(order), "item": shop.print_item.pk, "image_names": ["A.jpg", "B"]}
    response = api("staff").post(url(order), body)
    assert response.status_code == 201
    assert response.json()["image_names"] == "A.jpg\nB"


def test_a_line_is_changed_put_in_order_and_deleted(api, shop):
    order = shop.print_order
    caller = api("staff")
    ids = []
    for name in ("One", "Two", "Three"):
        body = {"version": version(order), "item": shop.print_item.pk, "description": name}
        ids.append(caller.post(url(order), body).json()["id"])
    changed = caller.patch(url(order, ids[0]), {"version": version(order), "quantity": 4})
    assert changed.status_code == 200, changed.content
    assert changed.json()["quantity"] == 4 and changed.json()["description"] == "One"

    ordered = caller.put(
        url(order, "order"), {"version": version(order), "ids": [ids[2], ids[0], ids[1]]}
    )
    assert ordered.status_code == 200, ordered.content
    assert [(r["id"], r["position"]) for r in ordered.json()["results"]] == [
        (ids[2], 1),
        (ids[0], 2),
        (ids[1], 3),
    ]
    assert ordered.json()["next_cursor"] is None

    deleted = caller.delete(f"{url(order, ids[0])}?version={version(order)}")
    assert deleted.status_code == 204
    assert [
        (r["description"], r["position"]) for r in caller.get(url(order)).json()["results"]
    ] == [
        ("Three", 1),
        ("Two", 2),
    ]


def test_a_stale_version_is_409_and_nothing_is_written(api, shop):
    order = shop.print_order
    caller = api("staff")
    first = caller.post(url(order), {"version": version(order), "item": shop.print_item.pk})
    seen = first.json()["order_version"]
    caller.post(url(order), {"version": seen, "item": shop.wallet.pk})  # someone else's line
    before, notes = rows(), history()
    line = first.json()["id"]
    for response in (
        caller.post(url(order), {"version": seen, "item": shop.print_item.pk}),
        caller.patch(url(order, line), {"version": seen, "quantity": 7}),
        caller.put(url(order, "order"), {"version": seen, "ids": [line, line + 1]}),
        caller.delete(f"{url(order, line)}?version={seen}"),
    ):
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "conflict" and "changed by someone else" in body["detail"]
    assert rows() == before and history() == notes


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"quantity": 0}, 422, "quantity"),
        ({"quantity": "many"}, 422, "quantity"),
        ({"quantity": 10**30}, 422, "quantity"),
        ({"item": 10**9}, 422, "item"),
        ({"item": None}, 422, "item"),
        ({"render_profile": 10**9}, 422, "render_profile"),
        ({"image_names": "IMG\x1b.jpg"}, 422, "image_names"),
        ({"image_names": [1, 2]}, 422, "image_names"),
        ({"description": "x" * 201}, 422, "description"),
        ({"notes": "x" * 2001}, 422, "notes"),
        ({"vendor_product_code": "AB\x07"}, 422, "vendor_product_code"),
        ({"position": 3}, 422, "position"),
        ({"version": "one"}, 422, "version"),
        ({"version": None}, 422, "version"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, shop, body, status, field):
    order = shop.print_order
    caller = api("staff")
    line = caller.post(url(order), {"version": version(order), "item": shop.print_item.pk}).json()
    before, notes = rows(), history()
    for method, address, payload in (
        ("post", url(order), {"version": version(order), "item": shop.print_item.pk, **body}),
        ("patch", url(order, line["id"]), {"version": version(order), **body}),
    ):
        if method == "patch" and field == "item" and body["item"] is None:
            payload = {"version": version(order), "item": None}
        response = getattr(caller, method)(address, payload)
        assert response.status_code == status, (method, response.content)
        answer = response.json()
        assert set(answer) >= {"detail", "code"}
        assert field in (answer.get("fields") or {}), (method, answer)
    assert rows() == before and history() == notes


def test_image_names_on_a_generic_order_are_refused(api, shop):
    order = shop.album_order
    body = {"version": version(order), "item": shop.album_item.pk, "image_names": "IMG_1.jpg"}
    response = api("staff").post(url(order), body)
    assert response.status_code == 422
    assert "generic order type" in response.json()["fields"]["image_names"][0]
    assert rows() == []


def test_reordering_names_every_line_once(api, shop):
    order = shop.print_order
    caller = api("staff")
    ids = [
        caller.post(url(order), {"version": version(order), "item": shop.print_item.pk}).json()[
            "id"
        ]
        for _ in range(2)
    ]
    before = rows()
    for wrong in ([ids[0]], [ids[0], ids[0]], [ids[0], ids[1], 10**9], [0, 1]):
        response = caller.put(url(order, "order"), {"version": version(order), "ids": wrong})
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "invalid"
    assert rows() == before


def test_a_line_of_another_order_is_not_found(api, shop):
    caller = api("staff")
    other = caller.post(
        url(shop.album_order),
        {"version": version(shop.album_order), "item": shop.album_item.pk},
    ).json()["id"]
    order = shop.print_order
    response = caller.patch(url(order, other), {"version": version(order), "quantity": 2})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert caller.delete(f"{url(order, other)}?version={version(order)}").status_code == 404
    assert caller.get("production-orders/999999999/details").status_code == 404


def test_a_final_order_refuses_changes(api, shop):
    order = shop.print_order
    caller = api("staff")
    line = caller.post(url(order), {"version": version(order), "item": shop.print_item.pk}).json()
    status_change(
        record=order,
        expected_version=version(order),
        updated_by=shop.person,
        to_status=shop.print_steps[-1],
    )
    before = rows()
    for response in (
        caller.post(url(order), {"version": version(order), "item": shop.print_item.pk}),
        caller.patch(url(order, line["id"]), {"version": version(order), "quantity": 2}),
        caller.delete(f"{url(order, line['id'])}?version={version(order)}"),
    ):
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "final"
        assert "final status" in response.json()["detail"]
    assert rows() == before


def test_read_only_people_read_but_do_not_write(api, shop):
    order = shop.print_order
    reader = api("readonly")
    assert reader.get(url(order)).status_code == 200
    response = reader.post(url(order), {"version": version(order), "item": shop.print_item.pk})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert rows() == []
