"""Lists through the API: search, filters, inactive, sort, cursor pages and Excel export."""

from __future__ import annotations

import base64
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from darkroom.maintenance.selectors import list_columns
from darkroom.spreadsheets import XLSX
from tests import factories as f
from tests.maintenance.samples import ENTRIES, SAMPLES, ids

pytestmark = pytest.mark.django_db


def listed(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def workbook_rows(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def price_list():
    lab = f.VendorFactory(name="Lab")
    framer = f.VendorFactory(name="Framer")
    return {
        "print": f.PriceListItemFactory(
            identifier="P810",
            description="8x10 lustre print",
            item_type="print",
            price=Decimal("25.00"),
            preferred_vendor=lab,
        ),
        "canvas": f.PriceListItemFactory(
            identifier="CANVAS20",
            description="Canvas wrap 20in",
            item_type="print",
            price=Decimal("180.00"),
            preferred_vendor=framer,
            group="Wall art",
        ),
        "frame": f.PriceListItemFactory(
            identifier="FR11",
            description="Black frame 11x14",
            item_type="frame",
            price=Decimal("60.00"),
            preferred_vendor=framer,
        ),
        "album": f.PriceListItemFactory(
            identifier="ALB10",
            description="Album 10x10",
            item_type="album",
            price=Decimal("400.00"),
            preferred_vendor=None,
            is_inactive=True,
        ),
        "lab": lab,
        "framer": framer,
    }


def test_search_looks_in_the_lists_search_fields(api, price_list):
    caller = api("staff")
    assert listed(caller.get("price-list-items", search="canvas")) == [price_list["canvas"].pk]
    assert listed(caller.get("price-list-items", search="wall art")) == [price_list["canvas"].pk]
    assert listed(caller.get("price-list-items", search="fr11")) == [price_list["frame"].pk]
    assert listed(caller.get("price-list-items", search="nothing like it")) == []


def test_filters_by_reference_and_by_choice(api, price_list):
    caller = api("readonly")
    by_framer = listed(caller.get("price-list-items", preferred_vendor=price_list["framer"].pk))
    assert by_framer == [price_list["canvas"].pk, price_list["frame"].pk]
    prints = listed(caller.get("price-list-items", item_type="print"))
    assert prints == [price_list["canvas"].pk, price_list["print"].pk]
    both = caller.get(
        "price-list-items", item_type="print", preferred_vendor=price_list["framer"].pk
    )
    assert listed(both) == [price_list["canvas"].pk]
    assert listed(caller.get("price-list-items", preferred_vendor=999999)) == []


def test_filter_by_a_flag(api):
    in_house = f.VendorFactory(name="Our print room", is_in_house=True)
    outside = f.VendorFactory(name="Outside lab")
    caller = api("manager")
    assert listed(caller.get("vendors", is_in_house="true")) == [in_house.pk]
    assert listed(caller.get("vendors", is_in_house="false")) == [outside.pk]


def test_filters_of_the_other_lists(api):
    caller = api("manager")
    mine = f.VendorProductFactory()
    f.VendorProductFactory()
    assert listed(caller.get("vendor-products", vendor=mine.vendor_id)) == [mine.pk]
    album = f.OrderTypeFactory(kind="generic")
    prints = f.OrderTypeFactory(kind="print")
    assert listed(caller.get("production-order-types", kind="print")) == [prints.pk]
    assert listed(caller.get("production-order-types", kind="generic")) == [album.pk]


def test_every_registry_filter_is_tested_here():
    tested = {
        ("price-list-items", "item_type"),
        ("price-list-items", "preferred_vendor"),
        ("vendors", "is_in_house"),
        ("vendor-products", "vendor"),
        ("production-order-types", "kind"),
    }
    assert {(e.slug, name) for e in ENTRIES for name in e.filters} == tested


def test_a_filter_value_of_the_wrong_type_is_422(api, price_list):
    caller = api("manager")
    for params in ({"preferred_vendor": "lab"}, {"item_type": "poster"}, {"limit": "many"}):
        response = caller.get("price-list-items", **params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"


def test_inactive_records_show_by_default_and_can_be_hidden_or_alone(api, price_list):
    caller = api("manager")
    everything = listed(caller.get("price-list-items"))
    assert price_list["album"].pk in everything and len(everything) == 4
    assert price_list["album"].pk not in listed(caller.get("price-list-items", inactive="hide"))
    assert listed(caller.get("price-list-items", inactive="only")) == [price_list["album"].pk]
    assert caller.get("price-list-items", inactive="maybe").status_code == 422


def test_sort_by_a_column_either_way(api, price_list):
    caller = api("manager")
    cheapest_first = listed(caller.get("price-list-items", sort="price"))
    order = ["print", "frame", "canvas", "album"]
    assert cheapest_first == [price_list[k].pk for k in order]
    assert listed(caller.get("price-list-items", sort="-price")) == cheapest_first[::-1]
    by_description = listed(caller.get("price-list-items", sort="description"))
    assert by_description == [price_list[k].pk for k in ("print", "album", "frame", "canvas")]


def test_sort_by_a_reference_follows_the_referenced_name(api, price_list):
    caller = api("manager")
    by_vendor = listed(caller.get("price-list-items", sort="preferred_vendor", inactive="hide"))
    framer_items = {price_list["canvas"].pk, price_list["frame"].pk}
    assert set(by_vendor[:2]) == framer_items
    assert by_vendor[2] == price_list["print"].pk


def test_default_order_is_the_lists_own(api, price_list):
    listed = api("manager").get("price-list-items").json()["results"]
    identifiers = [i["identifier"] for i in listed]
    assert identifiers == ["ALB10", "CANVAS20", "FR11", "P810"]


def test_sort_by_an_unknown_column_is_422(api, price_list):
    response = api("manager").get("price-list-items", sort="cost_of_living")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert "identifier" in body["detail"]


def test_pages_follow_the_cursor_to_the_end(api):
    reasons = [f.ReorderReasonFactory(description=f"Reason {n:02d}") for n in range(7)]
    caller = api("manager")
    first = caller.get("reorder-reasons", limit=3).json()
    assert [i["id"] for i in first["results"]] == [r.pk for r in reasons[:3]]
    assert first["next_cursor"]
    second = caller.get("reorder-reasons", limit=3, cursor=first["next_cursor"]).json()
    assert [i["id"] for i in second["results"]] == [r.pk for r in reasons[3:6]]
    last = caller.get("reorder-reasons", limit=3, cursor=second["next_cursor"]).json()
    assert [i["id"] for i in last["results"]] == [reasons[6].pk]
    assert last["next_cursor"] is None
    exact = caller.get("reorder-reasons", limit=7).json()
    assert len(exact["results"]) == 7 and exact["next_cursor"] is None


def test_a_row_added_while_paging_does_not_repeat_the_others(api):
    reasons = [f.ReorderReasonFactory(description=f"Reason {n:02d}") for n in (1, 3, 5, 7)]
    caller = api("manager")
    first = caller.get("reorder-reasons", sort="description", limit=2).json()
    f.ReorderReasonFactory(description="Reason 00")  # sorts before the page already read
    rest = caller.get("reorder-reasons", sort="description", cursor=first["next_cursor"]).json()
    seen = [i["id"] for i in first["results"] + rest["results"]]
    assert seen == [r.pk for r in reasons]


def test_a_cursor_the_list_did_not_give_is_refused_beside_it(api):
    for n in range(3):
        f.ReorderReasonFactory(description=f"Reason {n}")
    caller = api("manager")
    cursor = caller.get("reorder-reasons", limit=1).json()["next_cursor"]
    for params in (
        {"cursor": "not-a-cursor"},
        {"cursor": cursor[:-3]},
        {"cursor": cursor, "sort": "-description"},  # another order's cursor
    ):
        response = caller.get("reorder-reasons", **params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"
        assert "cursor" in response.json()["fields"]


def _forged(cursor: str, values: list) -> str:
    data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return base64.urlsafe_b64encode(json.dumps({**data, "k": values}).encode()).decode()


def test_a_cursor_made_by_hand_is_refused_not_sent_to_the_database(api):
    for n in range(3):
        f.ReorderReasonFactory(description=f"Reason {n}")
    caller = api("manager")
    cursor = caller.get("reorder-reasons", limit=1).json()["next_cursor"]
    assert caller.get("reorder-reasons", cursor=_forged(cursor, ["Reason 0", 0])).status_code == 200
    for values in (
        ["Reason 0", "seven"],
        ["Reason 0", 2**70],
        ["Reason\u0000", 1],
        ["Reason 0", ["d", "not a day"]],
        ["Reason 0", ["n", "NaN"]],
        [{"a": 1}, 1],
    ):
        response = caller.get("reorder-reasons", cursor=_forged(cursor, values))
        assert response.status_code == 422, values
        assert list(response.json()["fields"]) == ["cursor"]


def test_limit_defaults_to_50_and_stops_at_500(api):
    for n in range(51):
        f.ReorderReasonFactory(description=f"Reason {n:03d}")
    caller = api("manager")
    page = caller.get("reorder-reasons").json()
    assert len(page["results"]) == 50 and page["next_cursor"]
    assert len(caller.get("reorder-reasons", limit=500).json()["results"]) == 51
    for limit in (0, 501, -1):
        response = caller.get("reorder-reasons", limit=limit)
        assert response.status_code == 422, limit
        assert response.json()["code"] == "invalid"


def test_list_queries_do_not_grow_with_the_rows(api, people):
    caller = api("manager")
    caller.get("departments")  # the token's first use is noted once

    def queries(n):
        for _ in range(n):
            department = f.DepartmentFactory()
            department.members.set([people["staff"], people["readonly"]])
            f.PriceListItemFactory()
        counts = []
        for slug in ("departments", "price-list-items"):
            with CaptureQueriesContext(connection) as context:
                assert caller.get(slug).status_code == 200
            counts.append(len(context.captured_queries))
        return counts

    assert queries(2) == queries(20)


def test_xlsx_export_has_the_list_columns_and_rows(api, price_list):
    response = api("readonly").get("price-list-items", format="xlsx", inactive="hide")
    assert response["Content-Disposition"] == 'attachment; filename="price-list-items.xlsx"'
    rows = workbook_rows(response)
    assert rows[0] == [
        "Identifier",
        "Description",
        "Type",
        "Group",
        "Price",
        "Cost",
        "Preferred vendor",
    ]
    assert rows[1:] == [
        ["CANVAS20", "Canvas wrap 20in", "Print", "Wall art", 180, 8, "Framer"],
        ["FR11", "Black frame 11x14", "Frame", None, 60, 8, "Framer"],
        ["P810", "8x10 lustre print", "Print", None, 25, 8, "Lab"],
    ]


def test_xlsx_export_follows_search_filters_and_sort(api, price_list):
    caller = api("manager")
    rows = workbook_rows(
        caller.get("price-list-items", format="xlsx", item_type="print", sort="-price")
    )
    assert [r[0] for r in rows[1:]] == ["CANVAS20", "P810"]
    rows = workbook_rows(caller.get("price-list-items", format="xlsx", search="frame"))
    assert [r[0] for r in rows[1:]] == ["FR11"]


def test_xlsx_export_has_every_row_unless_a_page_is_asked_for(api):
    for n in range(120):
        f.ReorderReasonFactory(description=f"Reason {n:03d}")
    caller = api("manager")
    assert len(workbook_rows(caller.get("reorder-reasons", format="xlsx"))) == 121
    cursor = caller.get("reorder-reasons", limit=5).json()["next_cursor"]
    rows = workbook_rows(caller.get("reorder-reasons", format="xlsx", limit=10, cursor=cursor))
    assert [r[0] for r in rows[1:]] == [f"Reason {n:03d}" for n in range(5, 15)]


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_every_list_exports_to_xlsx(api, entry):
    records = [SAMPLES[entry.slug].make() for _ in range(2)]
    rows = workbook_rows(api("manager").get(entry.slug, format="xlsx"))
    assert rows[0] == [c.label for c in list_columns(entry)]
    assert len(rows) == 1 + len(records)
    assert all(
        len(row) <= len(entry.columns) for row in rows
    )  # empty cells at the end are left out


@pytest.mark.parametrize("entry", ENTRIES, ids=ids)
def test_every_list_sorts_by_each_of_its_columns(api, entry):
    for _ in range(3):
        SAMPLES[entry.slug].make()
    caller = api("manager")
    for column in entry.columns:
        up = listed(caller.get(entry.slug, sort=column))
        down = listed(caller.get(entry.slug, sort=f"-{column}"))
        assert sorted(up) == sorted(down) and len(up) == 3, column
