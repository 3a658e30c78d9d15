"""A search or filter in a page's address with NUL or another control character shows the page
(the character read as a space), on SQLite and PostgreSQL — where a NUL used to fail the query."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.maintenance.samples import ENTRIES

pytestmark = pytest.mark.django_db

PAGES = [
    "/clients/",
    "/sessions/",
    "/invoices/",
    "/production/",
    "/production/rows/",
    "/production/summary/",
    "/production/board/",
    "/tasks/",
    "/maintenance/people/",
    "/maintenance/statuses/",
    "/maintenance/calendar/",
    *(f"/maintenance/{entry.slug}/" for entry in ENTRIES),
]
# The searches and filters the pages read (each page some of them).
NAMES = ["sort", "status", "vendor", "client", "date_from", "due_before", "flag", "cycle"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("text", ["a\x00b", "\x00", "a\x01b", "\x1b[0m", "x\x7f"])
def test_control_characters_in_an_address_show_the_page(web, page, text):
    browser = web("manager")
    assert browser.get(page, {"q": text}).status_code == 200
    for name in NAMES:
        # A page may refuse a value it can't use (a sort it doesn't offer: 400), never fail.
        response = browser.get(page, {name: text})
        assert response.status_code < 500, (name, response.content[:300])


@pytest.mark.parametrize("page", ["/clients/", "/production/"])
def test_a_search_with_nul_still_finds(web, page):
    client = f.ClientFactory(first_name="Ada", last_name="Lovelace")
    f.ProductionOrderFactory(client=client, invoice=f.InvoiceFactory(client=client))
    response = web("staff").get(page, {"q": "Lovelace\x00"})
    assert response.status_code == 200
    assert "Lovelace" in response.content.decode()
    assert 'value="Lovelace "' in response.content.decode()


def test_the_api_refuses_what_pages_clean(api):
    response = api("staff").get("clients", search="Lovelace\x00")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_scan_with_control_characters_is_unreadable_not_an_error(web):
    response = web("staff").post("/production/scan/", {"code": "10\x0042", "mode": "lookup"})
    assert response.status_code == 200
    assert "is not an order number" in response.content.decode()
