"""The all-orders list sorted by each of its columns, both ways, page after page through cursors:
ties broken by id (then production before proof), empty values last either way, numbers as
numbers; the search by the start of a number; the sort on the page (its headings), in the API
(a bad sort or cursor refused, naming it) and in the export."""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.production.numbers import number_order_key
from darkroom.production.order_list.cursors import decode_cursor
from darkroom.production.order_list.filters import SORT_KEYS, SORTS, OrderListFilter
from darkroom.production.order_list.pages import order_list_page
from tests import factories as f
from tests.production.test_record_orders import (
    album_cycle,
    finish,
    production_order,
    proof_order,
    proofs_cycle,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)
DAY = dt.timedelta(days=1)
LIST = reverse("production:order-list")
RANK = {"production": 0, "preproduction": 1}


@pytest.fixture
def studio(frozen_today, people) -> SimpleNamespace:
    """Orders of both kinds that tie on every column: two clients of the same name, orders
    made and started the same day (the same due date), some finished (no due date), some never
    started (no status), numbers of different lengths (9, 10, 100, …)."""
    frozen_today(TODAY)
    staff = people["staff"]
    album, prints, proofs = album_cycle(), f.OrderTypeFactory(name="Prints"), proofs_cycle()
    labs = [
        f.VendorFactory(name="Bay Lab"),
        f.VendorFactory(name="Cole"),
        f.VendorFactory(name="Acme"),
    ]
    clients = [
        f.ClientFactory(first_name="Ann", last_name="Lee"),
        f.ClientFactory(first_name="Ann", last_name="Lee"),
        f.ClientFactory(first_name="Bo", last_name="Achter"),
    ]
    sessions = [f.SessionFactory(client=c) for c in clients]
    invoices = [
        f.InvoiceFactory(client=c, session=s) for c, s in zip(clients, sessions, strict=True)
    ]
    numbers = iter(["9", "10", "100", "48", "480", "4812", "2", "1000", "10", "99", "5", "47"])
    made: list[Any] = []
    for n in range(6):
        day = TODAY - (n % 3) * DAY
        made.append(
            production_order(album, invoices[n % 3], labs[n % 3], next(numbers), staff, on=day)
        )
    # Never started: no status, no due date.
    made.append(
        f.ProductionOrderFactory(
            invoice=invoices[0],
            vendor=labs[1],
            order_type=prints,
            number=next(numbers),
            order_date=TODAY,
        )
    )
    for n in range(4):
        made.append(
            proof_order(sessions[n % 3], labs[n % 2], next(numbers), staff, on=TODAY - n * DAY)
        )
    made.append(
        PreproductionOrder.objects.create(
            session=sessions[2],
            vendor=labs[2],
            number=next(numbers),
            order_date=TODAY,
            entered_by=staff,
        )
    )
    finish(made[0], album.steps, staff)
    finish(made[3], album.steps, staff)
    finish(made[7], proofs, staff)
    ProductionOrder.objects.filter(pk=made[4].pk).update(vendor_number="LAB-77")
    return SimpleNamespace(staff=staff, labs=labs, clients=clients, album=album, prints=prints)


def rows() -> list[dict[str, Any]]:
    """Every order with its value in each sort (None: empty), from the database."""
    found = []
    for kind, model in (("production", ProductionOrder), ("preproduction", PreproductionOrder)):
        related = ["vendor", "status", "client", "order_type"] if kind == "production" else []
        for o in model.objects.select_related(
            *related, "session__client" if not related else "vendor"
        ):
            client = o.client if kind == "production" else o.session.client
            found.append(
                {
                    "kind": kind,
                    "id": o.pk,
                    "number": number_order_key(o.number),
                    "client": (client.last_name, client.first_name, client.pk),
                    "type": (o.order_type.name, o.order_type_id)
                    if kind == "production"
                    else ("Proofs", 0),
                    "vendor": (o.vendor.name, o.vendor_id),
                    "order_date": o.order_date,
                    "status": (o.status.description, o.status_id) if o.status_id else None,
                    "due": o.status_due_date,
                    "completed": o.completed_date,
                }
            )
    return found


def expected(sort: str) -> list[tuple[str, int]]:
    """The list's order, written plainly: by the value (empty ones last both ways), then id,
    then production before proof; all of it reversed for "-"."""
    key, desc = sort.removeprefix("-"), sort.startswith("-")
    every = sorted(rows(), key=lambda o: (o["id"], RANK[o["kind"]]), reverse=desc)
    filled = sorted((o for o in every if o[key] is not None), key=lambda o: o[key], reverse=desc)
    empty = [o for o in every if o[key] is None]
    return [(o["kind"], o["id"]) for o in filled + empty]


def every_page(flt: OrderListFilter, limit: int) -> list[tuple[str, int]]:
    seen, cursor = [], None
    for _ in range(100):
        page = order_list_page(flt, cursor=cursor, limit=limit)
        assert len(page.rows) <= limit
        seen += [(r.kind, r.id) for r in page.rows]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_pages_in_its_order_with_ties_and_empty_values(studio, sort):
    want = expected(sort)
    assert len(want) == 12
    for limit in (1, 2, 5, 50):
        assert every_page(OrderListFilter(sort=sort), limit) == want, (sort, limit)


def test_the_studio_has_ties_and_empty_values_in_every_column(studio):
    """(So the test above pages across each.)"""
    found = rows()
    for key in SORT_KEYS:
        values = [o[key] for o in found]
        filled = [v for v in values if v is not None]
        assert len(set(filled)) < len(filled), key  # a tie
    for key in ("status", "due", "completed"):
        assert any(o[key] is None for o in found) and any(o[key] is not None for o in found)


def test_numbers_sort_as_numbers(studio):
    numbers = [r.order.number for r in order_list_page(OrderListFilter(sort="number")).rows]
    assert numbers[:5] == ["2", "5", "9", "10", "10"]
    assert numbers.index("99") < numbers.index("100") < numbers.index("480") < numbers.index("1000")
    latest = [r.order.number for r in order_list_page(OrderListFilter(sort="-number")).rows]
    assert latest[:3] == ["4812", "1000", "480"]


@pytest.mark.parametrize("sort", ["vendor", "-status", "client", "-due", "number"])
def test_a_sort_keeps_the_filter(studio, sort):
    flt = OrderListFilter(sort=sort, state="open", vendors=(studio.labs[0].pk, studio.labs[2].pk))
    kept = {
        (r.kind, r.id)
        for r in order_list_page(OrderListFilter(state="open", vendors=flt.vendors), limit=500).rows
    }
    assert every_page(flt, 2) == [row for row in expected(sort) if row in kept]
    named = OrderListFilter(sort=sort, q="achter")
    assert {
        r.order.session.client_id if r.kind == "preproduction" else r.order.client_id
        for r in order_list_page(named).rows
    } == {studio.clients[2].pk}


def test_a_number_is_found_by_its_start_and_a_vendors_number_whole(studio):
    def found(q: str) -> list[str]:
        return sorted(r.order.number for r in order_list_page(OrderListFilter(q=q)).rows)

    assert found("48") == ["48", "480", "4812"]
    assert found("#48") == ["48", "480", "4812"]
    assert found("# 481") == ["4812"]
    assert found("10") == ["10", "10", "100", "1000"]
    assert found("4813") == []
    assert found("LAB-77") == ["480"]  # the vendor's own number, whole
    assert found("LAB-7") == []


def test_a_bad_sort_or_a_cursor_of_another_sort_is_refused(studio):
    with pytest.raises(Exception) as refused:
        order_list_page(OrderListFilter(sort="size"))
    assert "Unknown sort “size”" in str(refused.value)
    cursor = order_list_page(OrderListFilter(sort="vendor"), limit=2).next_cursor
    assert decode_cursor(cursor, "vendor") is not None
    with pytest.raises(Exception) as other:
        order_list_page(OrderListFilter(sort="-vendor"), cursor=cursor)
    assert "another sort" in str(other.value)


# The page, the API, the export ------------------------------------------------------------------


def rows_of(page: str) -> list[str]:
    return re.findall(r'data-order="([a-z]+-\d+)"', page)


def test_the_headings_sort_the_page_and_say_how_it_is_sorted(web, studio):
    browser = web("readonly")
    page = browser.get(f"{LIST}?state=open").content.decode()
    assert 'aria-sort="descending"' in page  # newest first
    link = re.search(r'<a href="([^"]+)" title="Sort by client, first to last">Client</a>', page)
    assert link is not None
    url = link.group(1).replace("&amp;", "&")
    assert "state=open" in url and "sort=client" in url
    sorted_page = browser.get(f"{LIST}{url}").content.decode()
    want = [f"{k}-{i}" for k, i in expected("client")]
    shown = rows_of(sorted_page)
    assert shown == [row for row in want if row in shown]
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a href="[^"]*sort=-client', sorted_page
    )
    refused = browser.get(f"{LIST}?sort=size").content.decode()
    assert "Unknown sort “size”" in refused


def test_the_api_sorts_and_refuses_a_bad_sort_or_cursor(api, studio):
    caller = api("readonly")
    shown, cursor = [], None
    while True:
        answer = caller.get(
            "orders", sort="-number", limit=5, **({"cursor": cursor} if cursor else {})
        )
        assert answer.status_code == 200, answer.content
        body = answer.json()
        shown += [(r["kind"], r["id"]) for r in body["results"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert shown == expected("-number")
    bad = caller.get("orders", sort="size")
    assert bad.status_code == 422 and "sort" in bad.json()["fields"]
    cursor = caller.get("orders", sort="due", limit=2).json()["next_cursor"]
    other = caller.get("orders", sort="-due", cursor=cursor)
    assert other.status_code == 422
    assert "another sort" in other.json()["fields"]["cursor"][0]
    found = caller.get("orders", q="#48").json()["results"]
    assert sorted(r["number"] for r in found) == ["48", "480", "4812"]


def test_the_export_follows_the_sort_and_the_filter(web, studio):
    response = web("readonly").get(f"{LIST}?sort=-number&state=open&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
    open_orders = [o for o in rows() if o["completed"] is None]
    assert len(numbers) == len(open_orders)
    assert numbers == sorted(numbers, key=number_order_key, reverse=True)
