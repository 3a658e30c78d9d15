"""The profit analysis's page, exports and API: who may see them, what bad input gets, an empty
range saying why, both cost sources, and that the Excel file and the PDF say what the page says."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from darkroom.production.models import PreproductionOrder
from darkroom.studio.models import ProfitCosts
from darkroom.studio.services import studio_preferences_update
from tests.factories import (
    ClientFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PriceListItemFactory,
    ProductionOrderFactory,
    SessionFactory,
    SessionTypeFactory,
    UserFactory,
    VendorFactory,
)

START, END = "2026-01-01", "2026-03-31"
RANGE = {"start": START, "end": END}


def _invoice(client, session, day, lines):
    invoice = InvoiceFactory(client=client, session=session, invoice_date=day)
    total = Decimal("0.00")
    for item, quantity in lines:
        InvoiceLineFactory(invoice=invoice, item=item, quantity=quantity, price=item.price)
        total += item.price * quantity
    invoice.total = total
    invoice.save(update_fields=["total"])
    return invoice


@pytest.fixture
def sold(db):
    """A first quarter: a wedding by Ann (two invoices, one on each edge of the range; a line
    whose item has no cost; an order without a vendor amount; a proof order of $15), a newborn
    session by Bob (a proof order without a cost), an invoice without a session, and an invoice
    after the range."""
    ann = UserFactory(first_name="Ann", last_name="Lee")
    bob = UserFactory(first_name="Bob", last_name="Ray")
    wedding = SessionTypeFactory(name="Wedding")
    newborn = SessionTypeFactory(name="Newborn")
    referral = ClientFactory(first_name="Cora", last_name="Hale", lead_source="Referral")
    walk_in = ClientFactory(first_name="Dan", last_name="Moss", lead_source="")
    prints = PriceListItemFactory(price=Decimal("25.00"), cost=Decimal("4.00"))
    album = PriceListItemFactory(price=Decimal("100.00"), cost=Decimal("0.00"))
    lab = VendorFactory(name="Bay Photo")
    first = SessionFactory(client=referral, session_type=wedding, photographer=ann)
    second = SessionFactory(client=walk_in, session_type=newborn, photographer=bob)
    one = _invoice(referral, first, dt.date(2026, 1, 1), [(prints, 2)])
    two = _invoice(referral, first, dt.date(2026, 3, 31), [(album, 1)])
    _invoice(walk_in, second, dt.date(2026, 2, 10), [(prints, 1)])
    _invoice(walk_in, None, dt.date(2026, 2, 20), [(prints, 1)])
    _invoice(walk_in, second, dt.date(2026, 4, 1), [(prints, 3)])
    ProductionOrderFactory(invoice=one, vendor=lab, vendor_invoice_amount=Decimal("30.00"))
    ProductionOrderFactory(invoice=two, vendor=lab, vendor_invoice_amount=None)
    for session, amount in [(first, Decimal("15.00")), (second, None)]:
        PreproductionOrder.objects.create(
            session=session,
            vendor=lab,
            order_date=dt.date(2026, 1, 2),
            entered_by=ann,
            vendor_invoice_amount=amount,
        )
    return {"ann": ann, "bob": bob, "wedding": wedding, "sessions": [first, second]}


def _text(answer) -> str:
    return answer.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_report(web, role, sold):
    assert b"/reports/profit/" in web(role).get("/reports/").content
    assert web(role).get("/reports/profit/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, api):
    answer = web(None).get("/reports/profit/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert api(None).get("reports/profit").status_code == 401


def test_the_page_shows_groups_totals_chart_and_sessions(web, sold):
    page = _text(web("staff").get("/reports/profit/", RANGE))
    assert "$169.00 profit on $200.00 of revenue (84.5% margin)" in page
    assert "<svg" in page and "Wedding · Profit: $127.00" in page
    assert "1 line whose item has no cost" in page
    assert "1 proof order without a cost" in page
    assert "No session" in page and "Newborn" in page
    assert f"/sessions/{sold['sessions'][0].pk}/" in page
    assert "?start=2026-01-01&amp;end=2026-03-31&amp;group=" in page


def test_a_group_drills_to_its_sessions(web, sold):
    wedding = sold["wedding"].pk
    page = _text(web("staff").get("/reports/profit/", {**RANGE, "group": str(wedding)}))
    assert "Sessions: Wedding" in page
    assert f"/sessions/{sold['sessions'][0].pk}/" in page
    assert f"/sessions/{sold['sessions'][1].pk}/" not in page


def test_grouped_by_photographer_and_by_lead_source(api, sold):
    body = api("staff").get("reports/profit", group_by="photographer", **RANGE).json()
    assert [(g["label"], g["sessions"], g["revenue"]) for g in body["groups"]] == [
        ("Ann Lee", 1, "150.00"),
        ("Bob Ray", 1, "25.00"),
        ("No photographer", 0, "25.00"),
    ]
    body = api("staff").get("reports/profit", group_by="lead_source", **RANGE).json()
    assert [(g["label"], g["sessions"], g["revenue"]) for g in body["groups"]] == [
        ("Referral", 1, "150.00"),
        ("No lead source", 1, "50.00"),
    ]


def test_the_default_range_is_the_last_twelve_months(web, sold, frozen_today):
    frozen_today(dt.date(2026, 12, 5))
    page = _text(web("staff").get("/reports/profit/"))
    assert 'value="2026-01-01"' in page and 'value="2026-12-05"' in page
    assert "of $275.00 of revenue" not in page and "on $275.00 of revenue" in page


def test_an_empty_range_says_why(web, api, sold):
    page = web("staff").get("/reports/profit/", {"start": "2025-06-01", "end": "2025-06-30"})
    assert page.status_code == 200
    assert "No invoices were dated in this range: Invoiced Jun 1, 2025 – Jun 30, 2025" in _text(
        page
    )
    body = api("staff").get("reports/profit", start="2025-06-01", end="2025-06-30").json()
    assert body["groups"] == [] and body["total"]["revenue"] == "0.00"
    assert body["total"]["margin"] is None and body["total"]["average_profit"] is None


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "ends (2026-02-01) before it starts"),
        ({"start": "0202-01-01"}, "start", "more than 100 years from today"),
        ({"end": "20266-01-01"}, "end", "Write the date as YYYY-MM-DD."),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start", "more than 25 years"),
        ({"session_type": "987654"}, "session_type", "There is no session type “987654”."),
        ({"client": "x1"}, "client", "There is no client “x1”."),
        ({"group_by": "vendor"}, "group_by", "Select a valid choice."),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(
    web, api, sold, params, field, message
):
    page = web("staff").get("/reports/profit/", params)
    assert page.status_code == 400
    text = _text(page)
    assert message in text and "The report was not run" in text
    answer = api("staff").get("reports/profit", **params)
    assert answer.status_code == 422 and field in answer.json()["fields"]
    assert api("staff").get("reports/profit/rows", **params).status_code == 422
    assert web("staff").get("/reports/profit/export.xlsx", params).status_code == 400
    assert web("staff").get("/reports/profit/print.pdf", params).status_code == 400


def test_a_cursor_typed_by_hand_is_refused(web, api, sold):
    page = web("staff").get("/reports/profit/", {"cursor": "not-a-cursor"})
    assert page.status_code == 400 and "start from the first page" in page.content.decode()
    answer = api("staff").get("reports/profit/rows", cursor="bm90LWEtY3Vyc29y")
    assert answer.status_code == 422 and set(answer.json()["fields"]) == {"cursor"}


def test_the_api_answers_with_price_list_costs(api, sold):
    body = api("readonly").get("reports/profit", **RANGE).json()
    assert body["costs"] == "price_list" and body["group_by"] == "session_type"
    total = body["total"]
    assert (total["sessions"], total["invoices"], total["revenue"]) == (2, 4, "200.00")
    assert (total["product_cost"], total["preproduction_cost"], total["profit"]) == (
        "16.00",
        "15.00",
        "169.00",
    )
    assert (total["average_revenue"], total["average_profit"], total["margin"]) == (
        "100.00",
        "84.50",
        "84.5",
    )
    assert [g["label"] for g in body["groups"]] == ["Newborn", "Wedding", "No session"]
    newborn, wedding, none = body["groups"]
    assert (wedding["costs"], wedding["lines_without_cost"]) == ("23.00", 1)
    assert (newborn["costs"], newborn["lines_without_cost"]) == ("4.00", 0)
    by_label = {g["label"]: g for g in body["groups"]}
    assert (
        by_label["Wedding"]["margin"] == "84.7" and by_label["Newborn"]["proofs_without_cost"] == 1
    )
    assert (
        none["label"] == "No session" and none["sessions"] == 0 and none["average_profit"] is None
    )

    rows = "reports/profit/rows"
    first = api("readonly").get(rows, limit=1, **RANGE).json()
    second = api("readonly").get(rows, limit=1, cursor=first["next_cursor"], **RANGE).json()
    assert second["next_cursor"] is None
    results = first["results"] + second["results"]
    assert [r["id"] for r in results] == [s.pk for s in sold["sessions"]]
    assert [(r["revenue"], r["costs"], r["invoices"]) for r in results] == [
        ("150.00", "23.00", 2),
        ("25.00", "4.00", 1),
    ]
    only = api("readonly").get(rows, group=str(sold["wedding"].pk), **RANGE).json()
    assert [r["id"] for r in only["results"]] == [sold["sessions"][0].pk]


def test_the_api_answers_with_vendor_invoice_costs(api, sold):
    studio_preferences_update(profit_costs=ProfitCosts.VENDOR_INVOICES)
    body = api("readonly").get("reports/profit", **RANGE).json()
    assert body["costs"] == "vendor_invoices"
    by_label = {g["label"]: g for g in body["groups"]}
    wedding = by_label["Wedding"]
    assert (wedding["product_cost"], wedding["orders_without_amount"]) == ("30.00", 1)
    assert (wedding["costs"], wedding["profit"], wedding["lines_without_cost"]) == (
        "45.00",
        "105.00",
        0,
    )
    assert body["total"]["profit"] == "155.00"


def test_the_preference_is_edited_with_the_others(web, api):
    page = _text(web("manager").get("/maintenance/studio/"))
    assert "Product costs in the profit analysis" in page
    answer = api("manager").patch("studio-preferences", {"profit_costs": "vendor_invoices"})
    assert answer.status_code == 200 and answer.json()["profit_costs"] == "vendor_invoices"
    assert api("manager").patch("studio-preferences", {"profit_costs": "x"}).status_code == 422


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    for path in ("/api/v1/reports/profit", "/api/v1/reports/profit/rows"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and "422" in operation["responses"]
        names = {p["name"]: p for p in operation["parameters"]}
        assert {"start", "end", "group_by", "session_type", "client"} <= set(names)
        assert all(p.get("description") for p in names.values())


def test_the_excel_file_holds_the_sessions(web, sold):
    answer = web("readonly").get("/reports/profit/export.xlsx", RANGE)
    assert answer.status_code == 200 and answer.streaming
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Session", "Date", "Client") and rows[0][-1] == "Costs left out"
    assert [r[2:] for r in rows[1:]] == [
        (
            "Cora Hale",
            "Wedding",
            "Ann Lee",
            "Referral",
            2,
            150,
            8,
            15,
            127,
            84.7,
            "1 line whose item has no cost",
        ),
        (
            "Dan Moss",
            "Newborn",
            "Bob Ray",
            "No lead source",
            1,
            25,
            4,
            0,
            21,
            84,
            "1 proof order without a cost",
        ),
    ]


def test_the_pdf_prints_groups_and_sessions(web, sold):
    params = {"group_by": "photographer", **RANGE}
    answer = web("staff").get("/reports/profit/print.pdf", params)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Profit analysis" in text and "by photographer" in text
    assert "Ann Lee" in text and "No photographer" in text and "84.5%" in text
    assert "1 line whose item has no cost" in text and "$169.00" in text
    assert "Cora Hale" in text and "Dan Moss" in text
    empty = web("staff").get(
        "/reports/profit/print.pdf", {"start": "2025-06-01", "end": "2025-06-30"}
    )
    empty_text = subprocess.run(
        ["pdftotext", "-", "-"], input=empty.content, capture_output=True, check=True
    ).stdout.decode()
    assert "No invoices were dated in this range." in empty_text
