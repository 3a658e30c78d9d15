"""The Reports section's pages, exports and API: who may see them, what bad input gets, and
that the Excel file and the PDF say what the page says."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from darkroom.catalog.models import Vendor
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    ProductionOrderFactory,
    VendorFactory,
    cycle_with_statuses,
)

TODAY = dt.date(2026, 12, 2)
REPORTS = ["order-status", "session-status", "invoice-status"]


@pytest.fixture
def shelf(db):
    """Three open orders of one invoice-less-than-obvious studio: two share an invoice."""
    prints = cycle_with_statuses(steps=(("Ordered", 1), ("At the lab", 2)), final="Picked up")
    bay = VendorFactory(name="Bay Photo")
    miller = VendorFactory(name="Miller's")
    wedding = InvoiceFactory(
        total=Decimal("2592.00"), client=ClientFactory(first_name="Ann", last_name="Adams")
    )
    family = InvoiceFactory(
        total=Decimal("410.00"), client=ClientFactory(first_name="Cy", last_name="Brown")
    )
    orders = [
        ProductionOrderFactory(
            order_type=prints.order_type,
            invoice=wedding,
            vendor=bay,
            status=prints["At the lab"],
            status_due_date=TODAY,
        ),
        ProductionOrderFactory(
            order_type=prints.order_type,
            invoice=wedding,
            vendor=miller,
            status=prints["At the lab"],
            status_due_date=TODAY + dt.timedelta(days=3),
        ),
        ProductionOrderFactory(
            order_type=prints.order_type,
            invoice=family,
            vendor=bay,
            status=prints["Ordered"],
            status_due_date=TODAY + dt.timedelta(days=1),
        ),
    ]
    return {"cycle": prints, "bay": bay, "miller": miller, "orders": orders}


# -- who may see them ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_reports(web, role, shelf):
    page = web(role).get("/reports/")
    assert page.status_code == 200
    assert b'href="/reports/"' in page.content  # the nav entry
    for slug in REPORTS:
        assert f"/reports/{slug}/".encode() in page.content
        assert web(role).get(f"/reports/{slug}/").status_code == 200


@pytest.mark.parametrize("path", ["/reports/", *[f"/reports/{s}/" for s in REPORTS]])
def test_anonymous_people_are_sent_to_log_in(web, path):
    answer = web(None).get(path)
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_an_unknown_report_is_not_found(web):
    assert web("staff").get("/reports/profit-and-loss/").status_code == 404


@pytest.mark.parametrize("role", [None, "readonly"])
def test_the_api_checks_credentials(api, role, shelf):
    answer = api(role).get("reports/order-status")
    assert answer.status_code == (401 if role is None else 200)


# -- the page ------------------------------------------------------------------------------------


def test_the_page_shows_totals_chart_and_rows(web, shelf):
    page = web("staff").get("/reports/order-status/", {"sort": "due"}).content.decode()
    # Each invoice once per status: the wedding's two orders at the lab count it once.
    assert "$3,002.00 of orders sitting on your shelf (3 open orders)" in page
    assert "<svg" in page and '<title id="chart-title">' in page and "<desc" in page
    assert ">At the lab</text>" in page and "$2,592.00" in page  # one cycle: not named
    rows = page[page.index('class="table report-rows"') :]
    assert rows.index("Bay Photo") < rows.index("Miller")  # by due date
    assert "/reports/order-status/export.xlsx?sort=due" in page
    assert "/reports/order-status/print.pdf?sort=due" in page


def test_a_filter_with_nothing_says_why(web, shelf):
    page = web("staff").get(
        "/reports/order-status/", {"vendor": shelf["miller"].pk, "due_by": "2026-12-02"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "No open records match this filter" in text
    assert "at Miller&#x27;s" in text and "due by" in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"due_by": "2026-13-45"}, "Write the date as YYYY-MM-DD."),
        ({"due_by": "02/12/2026"}, "Write the date as YYYY-MM-DD."),
        ({"due_by": "0001-01-01"}, "more than 100 years from today"),
        ({"due_by": "9999-12-31"}, "more than 100 years from today"),
        ({"vendor": "999999"}, "There is no vendor “999999”."),
        ({"vendor": "99999999999999999999999"}, "There is no vendor"),
        ({"user": "abc"}, "There is no person “abc”."),
        ({"order_type": "0"}, "There is no order type"),
        ({"sort": "price"}, "Select a valid choice"),
        ({"stage": "finished"}, "Select a valid choice"),
        ({"status": "x"}, "There is no status"),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(web, api, shelf, params, message):
    page = web("staff").get("/reports/order-status/", params)
    assert page.status_code == 400
    assert message in page.content.decode().replace("&#x27;", "'")
    assert "The report was not run" in page.content.decode()
    for path in ("reports/order-status", "reports/order-status/rows"):
        answer = api("staff").get(path, **params)
        assert answer.status_code == 422
        body = answer.json()
        assert body["code"] == "invalid"
        assert set(body["fields"]) == set(params)


def test_a_status_of_another_cycle_is_refused(web, api, shelf):
    invoices = cycle_with_statuses(kind="invoice", steps=(("Open", 3),))
    other_prints = cycle_with_statuses(steps=(("Queued", 1),))
    for params, words in [
        ({"status": invoices["Open"].pk}, "is a status of the Invoices cycle"),
        (
            {"stage": "preproduction", "status": shelf["cycle"]["Ordered"].pk},
            "not of preproduction",
        ),
        (
            {"order_type": shelf["cycle"].order_type.pk, "status": other_prints["Queued"].pk},
            "not to",
        ),
        ({"stage": "preproduction", "order_type": shelf["cycle"].order_type.pk}, "no order type"),
    ]:
        page = web("staff").get("/reports/order-status/", params)
        assert page.status_code == 400 and words in page.content.decode()
        answer = api("staff").get("reports/order-status", **params)
        assert answer.status_code == 422 and words in answer.json()["detail"]
    session_page = web("staff").get("/reports/session-status/", {"status": invoices["Open"].pk})
    assert session_page.status_code == 400


def test_a_cursor_typed_by_hand_is_refused(web, api, shelf):
    page = web("staff").get("/reports/order-status/", {"cursor": "not-a-cursor"})
    assert page.status_code == 400 and "start from the first page" in page.content.decode()
    answer = api("staff").get("reports/order-status/rows", cursor="bm90LWEtY3Vyc29y")
    assert answer.status_code == 422 and set(answer.json()["fields"]) == {"cursor"}


def test_pages_follow_one_another(api, shelf):
    rows = "reports/order-status/rows"
    first = api("staff").get(rows, limit=2, sort="client").json()
    assert len(first["results"]) == 2
    second = api("staff").get(rows, limit=2, sort="client", cursor=first["next_cursor"]).json()
    assert second["next_cursor"] is None
    names = [r["client"] for r in first["results"] + second["results"]]
    assert names == ["Ann Adams", "Ann Adams", "Cy Brown"]


# -- the API -------------------------------------------------------------------------------------


def test_the_api_answers_the_report(api, shelf):
    body = api("readonly").get("reports/order-status", vendor=shelf["bay"].pk).json()
    assert body["count"] == 2
    assert body["invoice_value"] == "3002.00"
    assert [(s["status"]["name"], s["count"], s["invoice_value"]) for s in body["statuses"]] == [
        ("Ordered", 1, "410.00"),
        ("At the lab", 1, "2592.00"),
    ]
    rows = api("readonly").get("reports/order-status/rows", sort="due", vendor=shelf["bay"].pk)
    results = rows.json()["results"]
    assert [r["due_date"] for r in results] == ["2026-12-02", "2026-12-03"]
    assert results[0]["vendor"] == "Bay Photo"
    assert results[0]["invoice_value"] == "2592.00"
    assert results[0]["url"] == f"/production/orders/{shelf['orders'][0].pk}/"
    assert rows.json()["next_cursor"] is None
    for slug in ("session-status", "invoice-status"):
        other = api("readonly").get(f"reports/{slug}")
        assert other.status_code == 200 and other.json()["count"] == 0
        assert api("readonly").get(f"reports/{slug}/rows").json()["results"] == []


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    for slug in REPORTS:
        for path in (f"/api/v1/reports/{slug}", f"/api/v1/reports/{slug}/rows"):
            operation = schema["paths"][path]["get"]
            assert operation["summary"] and "422" in operation["responses"]
    order = schema["paths"]["/api/v1/reports/order-status/rows"]["get"]
    names = {p["name"]: p for p in order["parameters"]}
    wanted = {"stage", "order_type", "status", "due_by", "user", "vendor", "sort", "cursor"}
    assert wanted <= set(names)
    assert all(p.get("description") for p in names.values())
    shape = schema["components"]["schemas"]["StatusTotalOut"]["properties"]
    assert "distinct invoices" in shape["invoice_value"]["description"]


# -- Excel and PDF -------------------------------------------------------------------------------


def test_the_excel_file_holds_the_same_rows(web, shelf):
    answer = web("readonly").get("/reports/order-status/export.xlsx", {"sort": "due"})
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Order no.", "Due date", "Status", "Vendor", "Client", "Invoice value")
    assert [(r[2], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("At the lab", "Bay Photo", "Ann Adams", 2592),
        ("Ordered", "Bay Photo", "Cy Brown", 410),
        ("At the lab", "Miller's", "Ann Adams", 2592),
    ]
    assert rows[1][1].date() == TODAY
    assert rows[1][0] == shelf["orders"][0].number


def test_the_pdf_prints_totals_and_rows(web, shelf):
    answer = web("staff").get("/reports/order-status/print.pdf", {"vendor": shelf["bay"].pk})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Order status report" in text
    assert "at Bay Photo" in text
    assert "$3,002.00" in text and "$2,592.00" in text and "$410.00" in text
    assert "Miller" not in text
    for order in shelf["orders"][::2]:
        assert order.number in text


def test_exports_refuse_bad_input_too(web, shelf):
    assert web("staff").get("/reports/order-status/export.xlsx", {"due_by": "x"}).status_code == 400
    assert web("staff").get("/reports/order-status/print.pdf", {"vendor": "0"}).status_code == 400
    assert Vendor.objects.count() == 2


def test_the_page_asks_as_many_queries_however_many_orders(web, shelf):
    """The page's queries depend on the filter, never on how many orders there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/order-status/", {"sort": "due"}).status_code == 200
        return len(captured)

    queries()  # what a process reads once (the studio's preferences) read
    before = queries()
    for order in shelf["orders"]:
        for _ in range(20):
            ProductionOrderFactory(
                order_type=order.order_type,
                invoice=order.invoice,
                vendor=order.vendor,
                status=order.status,
                status_due_date=order.status_due_date,
            )
    queries()  # kept lists read again once after a change (studio/kept.py)
    # Never more; one fewer here, as the first page no longer reaches the orders without a
    # due date (the page's second query asks for those only when its first ran out).
    assert queries() <= before
