"""The hub's search by client name, both ways it is answered: from the few clients a name finds
(their ids, then their open orders by client) and, when a name finds too many clients to list,
by testing each order's client while a page walks its index. Names with the characters a
pattern treats specially, accents, case, and the last letters of the alphabet, against the
oracle of ``test_selectors``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection

from darkroom.clients import name_search
from darkroom.clients.name_search import clients_named, just_after
from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import hub_page
from darkroom.hub.summary import hub_summary
from darkroom.production.models import PreproductionOrder, ProductionOrder
from tests import factories as f
from tests.hub.test_selectors import DAY, every_page, expected, make_world, started

# The hub sorts and flags orders around today: today is pinned.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

ODD_NAMES = [
    ("Pia", "100% Cotton"),  # a per cent sign, and digits in a name
    ("Ugo", "Under_score"),
    ("Bo", "Back\\slash"),
    ("Zed", "Zz"),
    ("zelda", "z{brace"),  # "{" comes after "z", "[" after "Z": the ends of a range
    ("Yves", "[bracket"),
    ("Ünal", "Ünver"),
    ("Ada", "Adams"),  # both names start alike
]


@pytest.fixture
def world(db) -> SimpleNamespace:
    """The hub's test studio, and clients with odd names, each with an open order and a
    proof order."""
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


@pytest.fixture(params=["from the clients", "testing each name"])
def way(request, monkeypatch) -> str:
    """Each search answered both ways: from the orders of the clients found; walking the
    orders, testing each one's client by name (no client is then few enough to list)."""
    if request.param == "testing each name":
        monkeypatch.setattr(name_search, "FEW_CLIENTS", 0)
    return request.param


SEARCHES = [
    "smi", "SMITH", "Smithers", "dora DE", "de vries", "Émile", "Ünv", "z", "Z", "zz", "z{",
    "[", "%", "_", "\\", "100%", "Under_", "Under%", "Back\\", "Ba", "anna smi", "Nobody", "é",
    "ada", "Ada adams",
]  # fmt: skip


@pytest.mark.parametrize("q", SEARCHES)
def test_a_name_search_finds_what_the_oracle_does_on_every_page(world, way, q):
    flt = HubFilter(q=q)
    wanted = expected(flt, world.today)
    assert every_page(flt, world.today, limit=2) == wanted
    assert every_page(HubFilter(q=q, sort="client"), world.today, limit=3) == expected(
        HubFilter(q=q, sort="client"), world.today
    )
    summary = hub_summary(flt, today=world.today)
    assert summary.open == len(wanted)
    assert sum(s.count for s in summary.statuses) == len(wanted)


def test_the_oracle_is_not_trivial(world):
    """The searches above find orders of both kinds, and letters that pattern-match anything
    find only the names that hold them."""
    found = {q: expected(HubFilter(q=q), world.today) for q in SEARCHES}
    assert {kind for q in ("smi", "z") for kind, _ in found[q]} == {"production", "preproduction"}
    assert len(found["%"]) == len(found["_"]) == len(found["\\"]) == 0  # no name starts so
    assert len(found["100%"]) == 0  # has a digit: an order number, which none is
    assert len(found["Under_"]) == 2 and len(found["Under%"]) == 0
    assert len(found["z"]) == 6  # Zola (3 orders), Zz, z{brace… and not "[bracket"
    assert len(found["Nobody"]) == 0


def test_a_name_is_matched_in_any_case_of_its_ascii_letters(world, way):
    lower = every_page(HubFilter(q="smithers"), world.today, limit=50)
    assert lower == every_page(HubFilter(q="SMITHERS"), world.today, limit=50) != []


def test_accented_letters_match_in_any_case_on_postgresql_only(world, way):
    """SQLite's ``UPPER`` leaves letters beyond ASCII as they are: there they match in the
    case typed (“Émile”, “Ünv”), as the docs say."""
    exact = every_page(HubFilter(q="Émile"), world.today, limit=50)
    lower = every_page(HubFilter(q="émile"), world.today, limit=50)
    assert exact != []
    assert lower == (exact if connection.vendor == "postgresql" else [])


def test_a_name_search_reads_the_clients_once_and_answers_from_their_ids(world):
    named = clients_named("smi")
    smiths = {c.pk for c in world.clients if c.last_name.startswith("Smith")}
    assert named is not None and set(named) == smiths
    assert clients_named("Nobody") == ()
    assert clients_named("1001") is None  # an order number


def test_a_name_too_many_clients_share_is_not_listed(world, monkeypatch):
    monkeypatch.setattr(name_search, "FEW_CLIENTS", 1)
    assert clients_named("smi") is None  # Smith and Smithers: more than one
    assert clients_named("Jones") is not None
    for flt in (HubFilter(q="smi"), HubFilter(q="smi", sort="client")):
        rows = hub_page(flt, today=world.today, limit=50).rows
        assert {r.client_name for r in rows} == {"Anna Smith", "Ben Smithers"}
        assert [(r.kind, r.id) for r in rows] == expected(flt, world.today)


def test_the_range_after_a_prefix_ends_where_its_texts_do():
    assert just_after("ABC") == "ABD"
    assert just_after("Z") == "["
    assert just_after("A\U0010ffff") == "B"
    assert just_after("\U0010ffff\U0010ffff") is None
    assert just_after("A\ud7ff") == "A\ue000"  # past the surrogates, which text never holds
