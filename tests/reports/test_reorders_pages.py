"""The reorders report's page, exports and API: who may see them, what bad input gets, an
empty range saying why, and that the Excel file and the PDF say what the page says."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import ProductionOrderFactory, ReorderReasonFactory, VendorFactory

START, END = "2026-01-01", "2026-03-31"
RANGE = {"start": START, "end": END}


@pytest.fixture
def redone(db):
    """Three reorders of one studio's first quarter: two the lab's fault (one not billed yet),
    one the client's; an ordinary order and a reorder outside the range beside them."""
    bay = VendorFactory(name="Bay Photo")
    miller = VendorFactory(name="Miller's")
    colour = ReorderReasonFactory(description="Lab colour shift", is_non_chargeable=True)
    crop = ReorderReasonFactory(description="Client changed crop")
    first = ProductionOrderFactory(vendor=bay, order_date=dt.date(2025, 12, 20))
    orders = [
        ProductionOrderFactory(
            vendor=bay,
            order_date=dt.date(2026, 1, 1),
            reorder_of=first,
            reorder_reason=colour,
            vendor_invoice_amount=Decimal("40.00"),
        ),
        ProductionOrderFactory(
            vendor=bay,
            order_date=dt.date(2026, 3, 31),
            reorder_of=first,
            reorder_reason=colour,
            vendor_invoice_amount=None,
        ),
        ProductionOrderFactory(
            vendor=miller,
            order_date=dt.date(2026, 2, 14),
            reorder_of=first,
            reorder_reason=crop,
            vendor_invoice_amount=Decimal("112.50"),
        ),
    ]
    ProductionOrderFactory(vendor=bay, order_date=dt.date(2026, 2, 1))  # not a reorder
    ProductionOrderFactory(
        vendor=bay, order_date=dt.date(2026, 4, 1), reorder_of=first, reorder_reason=crop
    )
    return {
        "bay": bay,
        "miller": miller,
        "colour": colour,
        "crop": crop,
        "first": first,
        "orders": orders,
    }


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_report(web, role, redone):
    assert b"/reports/reorders/" in web(role).get("/reports/").content
    assert web(role).get("/reports/reorders/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, api):
    answer = web(None).get("/reports/reorders/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert api(None).get("reports/reorders").status_code == 401


def test_the_page_shows_figures_chart_and_rows(web, redone):
    page = web("staff").get("/reports/reorders/", RANGE).content.decode().replace("&#x27;", "'")
    assert "3 reorders: 2 the vendor's fault, 1 chargeable" in page
    assert "Ordered Jan 1, 2026 – Mar 31, 2026 · all vendors · all reasons" in page
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in chart and "http" not in chart.replace("http://www.w3.org", "")
    assert "Jan: 1 (chargeable 0, vendor's fault 1)" in page
    assert "Mar: 1 (chargeable 0, vendor's fault 1)" in page
    assert "$40.00" in page and "1 without a cost" in page and "No cost recorded" in page
    assert "$112.50" in page and "$152.50" in page
    for order in redone["orders"]:
        assert f'href="/production/orders/{order.pk}/"' in page
    assert page.count(f'href="/production/orders/{redone["first"].pk}/"') == 3
    assert 'value="2026-01-01"' in page  # the range it reports on, in its fields


def test_the_default_range_is_the_last_twelve_months(web, redone, frozen_today):
    frozen_today(dt.date(2026, 12, 5))
    page = web("staff").get("/reports/reorders/").content.decode()
    assert 'value="2026-01-01"' in page and 'value="2026-12-05"' in page
    assert "4 reorders" in page  # April's one too, not the ordinary order


def test_an_empty_range_says_why(web, api, redone):
    page = web("staff").get("/reports/reorders/", {"start": "2025-06-01", "end": "2025-06-30"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "No reorders were placed in this range: Ordered Jun 1, 2025 – Jun 30, 2025" in text
    body = api("staff").get("reports/reorders", start="2025-06-01", end="2025-06-30").json()
    assert body["count"] == 0 and body["cost"] == "0.00" and len(body["months"]) == 1


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "ends (2026-02-01) before it starts"),
        ({"start": "0202-01-01"}, "start", "more than 100 years from today"),
        ({"end": "20266-01-01"}, "end", "Write the date as YYYY-MM-DD."),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start", "more than 25 years"),
        ({"vendor": "987654"}, "vendor", "There is no vendor “987654”."),
        ({"reason": "x1"}, "reason", "There is no reorder reason “x1”."),
        ({"reason": "99999999999999999999"}, "reason", "There is no reorder reason"),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(
    web, api, redone, params, field, message
):
    page = web("staff").get("/reports/reorders/", params)
    assert page.status_code == 400
    text = page.content.decode().replace("&#x27;", "'")
    assert message in text and "The report was not run" in text
    answer = api("staff").get("reports/reorders", **params)
    assert answer.status_code == 422 and field in answer.json()["fields"]
    assert api("staff").get("reports/reorders/rows", **params).status_code == 422
    assert web("staff").get("/reports/reorders/export.xlsx", params).status_code == 400
    assert web("staff").get("/reports/reorders/print.pdf", params).status_code == 400


def test_a_cursor_typed_by_hand_is_refused(web, api, redone):
    page = web("staff").get("/reports/reorders/", {"cursor": "not-a-cursor"})
    assert page.status_code == 400 and "start from the first page" in page.content.decode()
    answer = api("staff").get("reports/reorders/rows", cursor="bm90LWEtY3Vyc29y")
    assert answer.status_code == 422 and set(answer.json()["fields"]) == {"cursor"}


def test_the_api_answers_the_report(api, redone):
    body = api("readonly").get("reports/reorders", **RANGE).json()
    assert (body["count"], body["cost"], body["without_cost"]) == (3, "152.50", 1)
    assert body["non_chargeable"] == {"count": 2, "cost": "40.00", "without_cost": 1}
    assert body["chargeable"] == {"count": 1, "cost": "112.50", "without_cost": 0}
    assert [(r["reason"]["name"], r["chargeable"], r["count"]) for r in body["reasons"]] == [
        ("Client changed crop", True, 1),
        ("Lab colour shift", False, 2),
    ]
    assert [(v["vendor"]["name"], v["count"], v["cost"]) for v in body["vendors"]] == [
        ("Bay Photo", 2, "40.00"),
        ("Miller's", 1, "112.50"),
    ]
    assert [m["month"] for m in body["months"]] == ["2026-01", "2026-02", "2026-03"]
    at_bay = api("readonly").get("reports/reorders", vendor=redone["bay"].pk, **RANGE).json()
    assert at_bay["count"] == 2
    crop = api("readonly").get("reports/reorders", reason=redone["crop"].pk, **RANGE).json()
    assert crop["count"] == 1 and crop["vendors"][0]["vendor"]["name"] == "Miller's"

    rows = "reports/reorders/rows"
    first = api("readonly").get(rows, limit=2, **RANGE).json()
    second = api("readonly").get(rows, limit=2, cursor=first["next_cursor"], **RANGE).json()
    assert second["next_cursor"] is None
    results = first["results"] + second["results"]
    assert [r["order_date"] for r in results] == ["2026-01-01", "2026-02-14", "2026-03-31"]
    assert [r["cost"] for r in results] == ["40.00", "112.50", None]
    assert results[0]["reorder_of"] == {"id": redone["first"].pk, "name": redone["first"].number}
    assert results[0]["url"] == f"/production/orders/{redone['orders'][0].pk}/"


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    for path in ("/api/v1/reports/reorders", "/api/v1/reports/reorders/rows"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and "422" in operation["responses"]
        names = {p["name"]: p for p in operation["parameters"]}
        assert {"start", "end", "vendor", "reason"} <= set(names)
        assert all(p.get("description") for p in names.values())


def test_the_excel_file_holds_the_same_rows(web, redone):
    answer = web("readonly").get("/reports/reorders/export.xlsx", RANGE)
    assert answer.status_code == 200 and answer.streaming
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == (
        "Order no.",
        "Order date",
        "Vendor",
        "Reason",
        "Chargeable",
        "Cost",
        "Reorder of",
    )
    first = redone["first"].number
    assert [r[2:] for r in rows[1:]] == [
        ("Bay Photo", "Lab colour shift", "No (vendor's fault)", 40, first),
        ("Miller's", "Client changed crop", "Yes", 112.5, first),
        ("Bay Photo", "Lab colour shift", "No (vendor's fault)", "No cost recorded", first),
    ]
    assert rows[1][1].date() == dt.date(2026, 1, 1)
    assert [r[0] for r in rows[1:]] == [redone["orders"][i].number for i in (0, 2, 1)]


def test_the_pdf_prints_figures_and_rows(web, redone):
    answer = web("staff").get("/reports/reorders/print.pdf", {"vendor": redone["bay"].pk, **RANGE})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Reorders report" in text and "at Bay Photo" in text
    assert "Lab colour shift" in text and "$40.00 · 1 without a cost" in text
    assert "No cost recorded" in text
    assert "January 2026" in text and "March 2026" in text
    assert "Miller" not in text and "Client changed crop" not in text
    for order in redone["orders"][:2]:
        assert order.number in text
    empty = web("staff").get("/reports/reorders/print.pdf", {"start": "2025-06-01", "end": END})
    empty_text = subprocess.run(
        ["pdftotext", "-", "-"], input=empty.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Reorders report" in empty_text


def test_the_page_asks_as_many_queries_however_many_reorders(web, redone):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/reorders/", RANGE).status_code == 200
        return len(captured)

    queries()
    before = queries()
    for order in redone["orders"]:
        for _ in range(10):
            ProductionOrderFactory(
                vendor=order.vendor,
                order_date=order.order_date,
                reorder_of=redone["first"],
                reorder_reason=order.reorder_reason,
            )
    queries()
    assert queries() <= before
