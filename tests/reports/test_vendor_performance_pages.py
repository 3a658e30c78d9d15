"""The vendor performance report's page, exports and API on a worked example: who may see them,
what bad input gets, an empty range saying why, and that the Excel file and the PDF say what
the page says.

The example, made through the status-change service (Mon–Fri; Miller's closed Tue 2026-03-10):

* Bay Photo's order, placed Mon 03-02, promised Fri 03-06: "Ordered" due Tue 03-03, left Wed
  03-04 (1 business day late); "Printing" due Fri 03-06, left that day (on time, finished on
  the promise, 4 days after the order).
* Miller's order, placed Mon 03-09, promised Tue 03-10: "Ordered" due Wed 03-11 (the closure),
  left Thu 03-12 (1 late); "Printing" due Mon 03-16, sent back to "Ordered" that day (on time);
  "Ordered" again due Tue 03-17, left Fri 03-20 (3 late); "Printing" due Tue 03-24, left Wed
  03-25 (1 late): finished 15 days after the promise, 16 after the order.
* A reorder of it at Miller's, the lab's fault, placed 03-26, not billed yet, still open.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from openpyxl import load_workbook

from darkroom.studio.calendar.writes import closure_add
from darkroom.tracking.services import status_change
from tests.factories import (
    InvoiceFactory,
    ReorderReasonFactory,
    UserFactory,
    VendorFactory,
    cycle_with_statuses,
    started_production_order,
)

RANGE = {"start": "2026-03-01", "end": "2026-04-30"}
TODAY = dt.date(2026, 6, 30)
URL, API = "/reports/vendor-performance/", "reports/vendor-performance"


@pytest.fixture
def example(db, frozen_today):
    frozen_today(TODAY)
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")
    closure_add(first_date=dt.date(2026, 3, 10), label="Lab stocktake", vendor=miller)
    prints = cycle_with_statuses(steps=[("Ordered", 1), ("Printing", 2)], final="Shipped")
    ordered, printing, shipped = prints.statuses
    by = UserFactory()

    def order(vendor, placed, promised, moves, **fields):
        made = started_production_order(
            order_type=prints.order_type,
            vendor=vendor,
            invoice=InvoiceFactory(approximate_delivery_date=promised),
            order_date=placed,
            started_on=placed,
            by=by,
            **fields,
        )
        for to, day in moves:
            made.refresh_from_db()
            status_change(
                record=made,
                expected_version=made.version,
                updated_by=by,
                to_status=to,
                date_completed=day,
            )
        return made

    d = dt.date
    order(bay, d(2026, 3, 2), d(2026, 3, 6), [(printing, d(2026, 3, 4)), (shipped, d(2026, 3, 6))])
    redone = order(
        miller,
        d(2026, 3, 9),
        d(2026, 3, 10),
        [
            (printing, d(2026, 3, 12)),
            (ordered, d(2026, 3, 16)),
            (printing, d(2026, 3, 20)),
            (shipped, d(2026, 3, 25)),
        ],
    )
    colour = ReorderReasonFactory(description="Lab colour shift", is_non_chargeable=True)
    order(miller, d(2026, 3, 26), None, [], reorder_of=redone, reorder_reason=colour)
    return {"bay": bay, "miller": miller}


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_report(web, role, example):
    assert URL.encode() in web(role).get("/reports/").content
    assert web(role).get(URL).status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, api):
    answer = web(None).get(URL)
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert api(None).get(API).status_code == 401


def _rows(page: str, caption: str) -> list[list[str]]:
    """The cells of the table with ``caption``, row by row, as text."""
    import re

    table = page[page.index(f"<caption>{caption}</caption>") :]
    table = table[: table.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([re.sub(r"\s+", " ", c).strip() for c in cells])
    return rows


def test_the_page_shows_each_vendor_the_trend_and_a_chart(web, example):
    page = web("staff").get(URL, RANGE).content.decode().replace("&#x27;", "'")
    assert "Steps on time: 33.3 % · orders on time to the promise: 50.0 %" in page
    assert "Mar 1, 2026 – Apr 30, 2026 · all vendors" in page
    vendors = _rows(page, "Per vendor")
    assert vendors[1:] == [
        ["Bay Photo", "2", "50.0 %", "1.0", "1", "100.0 %", "4.0", "0", "0"],
        ["Miller's", "4", "25.0 %", "1.7", "1", "0.0 %", "16.0", "1", "1"],
        ["All vendors", "6", "33.3 %", "1.5", "2", "50.0 %", "10.0", "1", "1"],
    ]
    months = _rows(page, "Trend by month")
    assert months[1:] == [
        ["March 2026", "6", "33.3 %", "1.5", "2", "50.0 %", "10.0", "1", "1"],
        ["April 2026", "0", "—", "—", "0", "—", "—", "0", "0"],
    ]
    assert _rows(page, "Reorders by reason")[1:] == [["Lab colour shift", "Yes", "1"]]
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in chart and "http" not in chart.replace("http://www.w3.org", "")
    assert "Mar steps on time to their due date 33.3 %" in chart
    assert "Apr" in chart and "Apr steps" not in chart  # a gap, not a fall to zero
    assert 'value="2026-03-01"' in page  # the range it reports on, in its fields


def test_one_vendor(web, api, example):
    page = web("staff").get(URL, {"vendor": example["bay"].pk, **RANGE}).content.decode()
    assert "at Bay Photo" in page and "Miller" not in page.split("<caption>Per vendor")[1]
    body = api("staff").get(API, vendor=example["miller"].pk, **RANGE).json()
    assert [v["vendor"]["name"] for v in body["vendors"]] == ["Miller's"]
    assert body["steps"]["late_business_days"] == 5 and body["reorders"]["placed"] == 1


def test_the_default_range_is_the_last_twelve_months(web, example):
    page = web("staff").get(URL).content.decode()
    assert 'value="2025-07-01"' in page and 'value="2026-06-30"' in page
    assert "33.3 %" in page


@pytest.mark.parametrize(
    "params, words",
    [
        ({"start": "2025-06-01", "end": "2025-06-30"}, "No step of a production order was left"),
        ({"start": "2026-07-01", "end": "2026-07-31"}, "The range starts after today"),
    ],
)
def test_an_empty_range_says_why(web, api, example, params, words):
    page = web("staff").get(URL, params)
    assert page.status_code == 200 and words in page.content.decode()
    body = api("staff").get(API, **params).json()
    assert words in body["empty_reason"] and body["vendors"] == []
    assert body["steps"]["on_time_percent"] is None and len(body["months"]) == 1
    pdf = web("staff").get(f"{URL}print.pdf", params)
    assert words in _pdf_text(pdf.content)


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "ends (2026-02-01) before it starts"),
        ({"start": "0202-01-01"}, "start", "more than 100 years from today"),
        ({"end": "20266-01-01"}, "end", "Write the date as YYYY-MM-DD."),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start", "more than 25 years"),
        ({"vendor": "987654"}, "vendor", "There is no vendor “987654”."),
        ({"vendor": "99999999999999999999"}, "vendor", "There is no vendor"),
        ({"vendor": "x1"}, "vendor", "There is no vendor “x1”."),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(
    web, api, example, params, field, message
):
    page = web("staff").get(URL, params)
    assert page.status_code == 400
    text = page.content.decode().replace("&#x27;", "'")
    assert message in text and "The report was not run" in text
    answer = api("staff").get(API, **params)
    assert answer.status_code == 422 and field in answer.json()["fields"]
    assert web("staff").get(f"{URL}export.xlsx", params).status_code == 400
    assert web("staff").get(f"{URL}print.pdf", params).status_code == 400


def test_the_api_answers_the_report(api, example):
    body = api("readonly").get(API, **RANGE).json()
    assert body["steps"] == {
        "left": 6,
        "with_due_date": 6,
        "on_time": 2,
        "late": 4,
        "on_time_percent": 33.3,
        "late_business_days": 6,
        "average_lateness": 1.5,
    }
    assert body["orders"] == {
        "finished": 2,
        "with_promised_date": 2,
        "on_time": 1,
        "on_time_percent": 50.0,
        "turnaround_days": 20,
        "average_turnaround": 10.0,
    }
    bay, miller = body["vendors"]
    assert bay["vendor"] == {"id": example["bay"].pk, "name": "Bay Photo"}
    assert miller["reorders"] == {"placed": 1, "vendors_fault": 1}
    assert [m["month"] for m in miller["months"]] == ["2026-03", "2026-04"]
    assert miller["months"][0]["steps"]["late"] == 3
    assert miller["months"][1]["steps"]["on_time_percent"] is None
    assert body["months"][0]["reorders"] == {"placed": 1, "vendors_fault": 1}
    assert body["reasons"][0]["reason"]["name"] == "Lab colour shift"
    assert body["reasons"][0]["vendors_fault"] is True


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/vendor-performance"]["get"]
    assert operation["summary"] and "422" in operation["responses"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert {"start", "end", "vendor"} <= set(names)
    assert all(p.get("description") for p in names.values())


def test_the_excel_file_holds_the_same_figures(web, example):
    answer = web("readonly").get(f"{URL}export.xlsx", RANGE)
    assert answer.status_code == 200 and answer.streaming
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:8] == (
        "Vendor",
        "Month",
        "Steps left",
        "Steps with a due date",
        "Steps on time",
        "Steps late",
        "Steps on time (%)",
        "Average lateness (business days, late steps)",
    )
    by = {(r[0], r[1]): r[2:] for r in rows[1:]}
    assert by[("Miller's", "Whole range")] == (4, 4, 1, 3, 25.0, 1.7, 1, 1, 0, 0.0, 16.0, 1, 1)
    assert by[("Miller's", "2026-04")] == (0, 0, 0, 0, None, None, 0, 0, 0, None, None, None, None)
    assert by[("All vendors", "Whole range")] == (6, 6, 2, 4, 33.3, 1.5, 2, 2, 1, 50.0, 10.0, 1, 1)
    assert by[("All vendors", "2026-03")][-2:] == (1, 1)
    assert [r[0] for r in rows[1:]].count("Bay Photo") == 3  # the range and its two months


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_prints_the_figures(web, example):
    answer = web("staff").get(f"{URL}print.pdf", RANGE)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = _pdf_text(answer.content)
    assert "Vendor performance" in text and "all vendors" in text
    assert "Miller's" in text and "25 %" in text and "1.7" in text and "16" in text
    assert "March 2026" in text and "April 2026" in text
    assert "Lab colour shift" in text
    one = _pdf_text(
        web("staff").get(f"{URL}print.pdf", {"vendor": example["bay"].pk, **RANGE}).content
    )
    assert "at Bay Photo" in one and "Miller" not in one


def test_the_page_asks_as_many_queries_however_many_orders(web, example):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProductionOrderFactory

    client = web("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, RANGE).status_code == 200
        return len(captured)

    queries()
    before = queries()
    for _ in range(5):
        ProductionOrderFactory(
            vendor=VendorFactory(),
            order_date=dt.date(2026, 3, 3),
            completed_date=dt.date(2026, 3, 9),
        )
    queries()
    assert queries() <= before
