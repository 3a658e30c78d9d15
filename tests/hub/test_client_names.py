"""The open orders' copy of their client's names, which the database keeps
(``hub/migrations/0007_client_names.py``) and the hub sorts and searches by: every write that
could change it — a client renamed, an order given another client or session, a session moved,
an order opened again, a stale copy of an order saved, the bulk writer — leaves each open order
with its client's names, and the hub's sort by client and search follow, both ways a search is
answered, against the oracle of ``test_selectors``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.clients.models import Client
from darkroom.clients.services import client_save, session_save
from darkroom.hub import search
from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import hub_page
from darkroom.hub.summary import hub_summary
from darkroom.production.models import PreproductionOrder, ProductionOrder
from darkroom.sample_data.scale import seed_scale
from tests import factories as f
from tests.hub.test_search import ODD_NAMES, SEARCHES
from tests.hub.test_selectors import DAY, every_page, expected, make_world, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]


@pytest.fixture
def world(db) -> SimpleNamespace:
    """The hub's test studio, and the clients with odd names of ``test_search``, each with an
    open order and a proof order."""
    w = make_world()
    for first, last in ODD_NAMES:
        client = f.ClientFactory(first_name=first, last_name=last)
        invoice = f.InvoiceFactory(client=client)
        started(
            ProductionOrder,
            [{"invoice": invoice, "client": client, "vendor": w.bay, "order_type": w.prints}],
            on=w.today - 3 * DAY,
            by=w.person,
        )
        started(
            PreproductionOrder,
            [{"session": f.SessionFactory(client=client), "vendor": w.frames}],
            on=w.today - 3 * DAY,
            by=w.person,
        )
    return w


@pytest.fixture(params=["by id", "walking"])
def way(request, monkeypatch) -> str:
    """Each search answered both ways: the orders the name finds read by id; a page walking its
    own index, testing the names on each order (no name is then few enough to list)."""
    if request.param == "walking":
        monkeypatch.setattr(search, "FEW_ORDERS", 0)
    return request.param


def clients_of_open_orders() -> dict[tuple[str, int], tuple[Any, Any]]:
    """Each open order's copy of the names, beside its client's names."""
    found = {}
    for o in ProductionOrder.objects.filter(completed_date__isnull=True).select_related("client"):
        found[("production", o.pk)] = (
            (o.client_first_name, o.client_last_name),
            (o.client.first_name, o.client.last_name),
        )
    proofs = PreproductionOrder.objects.filter(completed_date__isnull=True)
    for o in proofs.select_related("session__client"):
        client = o.session.client
        found[("preproduction", o.pk)] = (
            (o.client_first_name, o.client_last_name),
            (client.first_name, client.last_name),
        )
    return found


def assert_every_open_order_named_after_its_client() -> None:
    found = clients_of_open_orders()
    assert found  # not vacuous
    wrong = {key: pair for key, pair in found.items() if pair[0] != pair[1]}
    assert wrong == {}


def assert_the_hub_agrees_with_the_oracle(w: SimpleNamespace, *searches: str) -> None:
    for flt in (
        HubFilter(sort="client"),
        HubFilter(sort="-client"),
        *(HubFilter(q=q) for q in searches),
        *(HubFilter(q=q, sort="client") for q in searches),
    ):
        assert every_page(flt, w.today, limit=2) == expected(flt, w.today), flt
        if flt.q:
            assert hub_summary(flt, today=w.today).open == len(expected(flt, w.today))


def test_every_open_order_carries_its_clients_names(world):
    assert_every_open_order_named_after_its_client()
    finished = ProductionOrder.objects.filter(completed_date__isnull=False)
    assert finished.exists()  # (their copy is not kept: nothing reads it)


@pytest.mark.parametrize("q", SEARCHES)
def test_a_search_finds_what_the_oracle_does_both_ways(world, way, q):
    flt = HubFilter(q=q)
    assert every_page(flt, world.today, limit=2) == expected(flt, world.today)
    by_client = HubFilter(q=q, sort="-client")
    assert every_page(by_client, world.today, limit=3) == expected(by_client, world.today)
    assert hub_summary(flt, today=world.today).open == len(expected(flt, world.today))


def test_renaming_a_client_renames_their_open_orders_and_the_hub_follows(world, way):
    anna = world.clients[0]  # Anna Smith, with open orders of both kinds
    before = expected(HubFilter(q="Smith"), world.today)
    sorted_before = every_page(HubFilter(sort="client"), world.today, limit=50)
    anna.first_name, anna.last_name = "Zoe", "Aaronson"
    client_save(client=anna)

    assert_every_open_order_named_after_its_client()
    mine = expected(HubFilter(q="aaronson"), world.today)
    assert {kind for kind, _ in mine} == {"production", "preproduction"}
    assert [(r.kind, r.id) for r in hub_page(HubFilter(q="aaronson"), today=world.today).rows] == (
        mine
    )
    assert {r.client_name for r in hub_page(HubFilter(q="zoe"), today=world.today).rows} == {
        "Zoe Aaronson"
    }
    smiths = hub_page(HubFilter(q="Smith"), today=world.today).rows
    assert {r.client_name for r in smiths} == {"Ben Smithers"}
    assert len(smiths) == len(before) - len(mine)
    sorted_now = every_page(HubFilter(sort="client"), world.today, limit=50)
    assert sorted_now != sorted_before  # "Aaronson" sorts near the start now, "Smith" did not
    assert sorted_now.index(mine[0]) < sorted_before.index(mine[0])
    assert_the_hub_agrees_with_the_oracle(world, "aar", "zoe aa", "smi", "anna")


def test_an_order_given_another_client_or_session_takes_their_names(world):
    carla = world.clients[2]  # Carla Jones
    order = ProductionOrder.objects.filter(
        completed_date__isnull=True, client=world.clients[0]
    ).first()
    ProductionOrder.objects.filter(pk=order.pk).update(client=carla)
    proof = PreproductionOrder.objects.filter(completed_date__isnull=True).first()
    other = f.SessionFactory(client=world.clients[1])
    PreproductionOrder.objects.filter(pk=proof.pk).update(session=other)
    moved = f.SessionFactory(client=world.clients[3])
    (moving,) = started(
        PreproductionOrder,
        [{"session": moved, "vendor": world.bay}],
        on=world.today,
        by=world.person,
    )
    moved.client = carla  # a session without invoices may change its client
    session_save(session=moved, by=world.person)

    order.refresh_from_db()
    proof.refresh_from_db()
    moving.refresh_from_db()
    assert (order.client_first_name, order.client_last_name) == ("Carla", "Jones")
    assert (proof.client_first_name, proof.client_last_name) == ("Ben", "Smithers")
    assert (moving.client_first_name, moving.client_last_name) == ("Carla", "Jones")
    assert_every_open_order_named_after_its_client()
    assert_the_hub_agrees_with_the_oracle(world, "jones", "carla", "smithers", "smi")


def test_a_stale_copy_of_an_order_or_a_wrong_name_written_is_put_right(world):
    order = ProductionOrder.objects.filter(completed_date__isnull=True).first()
    stale = ProductionOrder.objects.get(pk=order.pk)
    client = Client.objects.get(pk=order.client_id)
    client.last_name = "Renamed"
    client_save(client=client)
    stale.studio_notes = "Saved whole, with the names read before the client was renamed."
    stale.save()  # writes every column, the old names too
    order.refresh_from_db()
    assert order.client_last_name == "Renamed"
    ProductionOrder.objects.filter(pk=order.pk).update(client_last_name="Wrong")
    PreproductionOrder.objects.filter(completed_date__isnull=True).update(client_first_name="")
    assert_every_open_order_named_after_its_client()


def test_an_order_opened_again_takes_its_clients_present_names(world):
    order = ProductionOrder.objects.filter(completed_date__isnull=True).first()
    ProductionOrder.objects.filter(pk=order.pk).update(completed_date=world.today)
    client = Client.objects.get(pk=order.client_id)
    client.first_name = "Renata"
    client_save(client=client)
    order.refresh_from_db()
    assert order.client_first_name != "Renata"  # finished: its copy is not kept
    ProductionOrder.objects.filter(pk=order.pk).update(completed_date=None)
    order.refresh_from_db()
    assert order.client_first_name == "Renata"
    assert_every_open_order_named_after_its_client()


def test_the_bulk_writer_names_the_open_orders_it_makes(db):
    seed_scale(orders=60, seed=5)
    assert_every_open_order_named_after_its_client()
    with connection.cursor() as cursor:  # and not the finished ones: nothing reads them
        cursor.execute(
            "SELECT COUNT(*) FROM production_productionorder "
            "WHERE completed_date IS NOT NULL AND client_last_name IS NOT NULL"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    "flt",
    [
        HubFilter(sort="client"),
        HubFilter(sort="-client", kind="preproduction"),
        HubFilter(q="smi"),
        HubFilter(q="anna smi", sort="client"),
    ],
    ids=["sort", "proofs sorted", "search", "search sorted"],
)
def test_a_page_sorted_or_searched_by_client_reads_no_client(world, way, flt):
    """The names are the orders' own: the clients' table is not read (its rows, a million of
    them at a large studio, are what made these pages slow)."""
    with CaptureQueriesContext(connection) as captured:
        rows = hub_page(flt, today=world.today, limit=50).rows
    assert rows
    assert [(r.kind, r.id) for r in rows] == expected(flt, world.today)
    assert not [q["sql"] for q in captured.captured_queries if "clients_client" in q["sql"]]
