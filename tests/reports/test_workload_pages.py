"""The workload report's page, exports and API: who may see them, what bad input gets, an empty
range saying why, and that the Excel file and the PDF say what the page says."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from openpyxl import load_workbook

from darkroom.tracking.services.change import status_change
from tests.factories import ProductionOrderFactory, cycle_with_statuses, started_production_order

TODAY = dt.date(2026, 12, 2)
RANGE = {"start": "2026-11-04", "end": "2026-11-19"}  # made whole weeks: Nov 2 – Nov 22


@pytest.fixture
def studio(frozen_today):
    """Three weeks of prints: A ordered Nov 2, retouched Nov 3, picked up Nov 10; B ordered Nov
    4, at the lab Nov 12 and there still; C, a reorder of A, ordered Nov 16 and just ordered."""
    frozen_today(TODAY)
    prints = cycle_with_statuses(
        steps=[("Ordered", 1), ("Retouch", 2), ("At the lab", 3)], final="Picked up"
    )
    kind = prints.order_type

    def order(placed, status, moved, **more):
        return started_production_order(
            order_type=kind,
            status=status,
            started_on=placed,
            moved_on=moved,
            order_date=placed,
            **more,
        )

    a = order(dt.date(2026, 11, 2), prints["Retouch"], dt.date(2026, 11, 3))
    status_change(
        record=a,
        expected_version=a.version,
        updated_by=a.entered_by,
        to_status=prints.final,
        date_completed=dt.date(2026, 11, 10),
    )
    b = order(dt.date(2026, 11, 4), prints["At the lab"], dt.date(2026, 11, 12))
    c = order(dt.date(2026, 11, 16), None, None, reorder_of=a)
    ProductionOrderFactory(order_date=dt.date(2026, 11, 5))  # never started: entered, not open
    return {"prints": prints, "a": a, "b": b, "c": c}


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_report(web, role, studio):
    assert b"/reports/workload/" in web(role).get("/reports/").content
    assert web(role).get("/reports/workload/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, api):
    answer = web(None).get("/reports/workload/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert api(None).get("reports/workload").status_code == 401


def test_the_page_shows_the_weeks_charts_and_figures(web, studio):
    page = web("staff").get("/reports/workload/", RANGE).content.decode().replace("&#x27;", "'")
    assert "4 entered, 1 finished; 2 open at the end" in page
    assert "Production orders · all order types · weeks from" in page
    assert "weeks start on Monday" in page
    assert 'value="2026-11-04"' in page and 'value="2026-11-19"' in page
    charts = page.split("<svg")[1:]
    assert len(charts) == 2
    for chart in charts:
        chart = chart[: chart.index("</svg>")]
        assert "<script" not in chart and "http" not in chart.replace("http://www.w3.org", "")
    assert "2 Nov: entered 3, finished 0" in page  # the lines' description
    assert "9 Nov: 1 (At the lab 1)" in page  # the backlog's stacked column
    assert "16 Nov: 2 (Ordered 1, At the lab 1)" in page


def test_the_default_range_is_the_last_fifty_two_weeks(web, studio):
    page = web("staff").get("/reports/workload/").content.decode()
    # Today is Wednesday Dec 2: this week is Nov 30 – Dec 6, and 51 weeks before it.
    assert 'value="2025-12-08"' in page and 'value="2026-12-06"' in page
    assert "4 entered, 1 finished; 2 open at the end" in page


def test_the_api_answers_the_pages_figures(api, studio):
    body = api("readonly").get("reports/workload", **RANGE).json()
    assert body["start"] == "2026-11-02" and body["end"] == "2026-11-22"
    assert body["week_starts_on"] == "Monday" and body["stage"] == "production"
    assert (body["entered"], body["finished"], body["opening"]) == (4, 1, 0)
    assert [s["name"] for s in body["statuses"]] == ["Ordered", "Retouch", "At the lab"]
    assert [(w["week"], w["entered"], w["finished"], w["backlog"]) for w in body["weeks"]] == [
        ("2026-11-02", 3, 0, {"ordered": 1, "retouch": 1, "at the lab": 0}),
        ("2026-11-09", 0, 1, {"ordered": 0, "retouch": 0, "at the lab": 1}),
        ("2026-11-16", 1, 0, {"ordered": 1, "retouch": 0, "at the lab": 1}),
    ]
    typed = api("readonly").get(
        "reports/workload", order_type=studio["prints"].order_type.pk, **RANGE
    )
    assert typed.json()["entered"] == 3  # the order never started is of another type


def test_an_empty_range_says_why(web, api, studio):
    params = {"start": "2025-06-02", "end": "2025-06-29"}
    page = web("staff").get("/reports/workload/", params)
    assert page.status_code == 200
    text = page.content.decode()
    assert "No orders were entered or finished in this range, and none were open." in text
    assert "<svg" not in text
    body = api("staff").get("reports/workload", **params).json()
    assert body["empty"] is True and len(body["weeks"]) == 4 and body["statuses"] == []
    pdf = web("staff").get("/reports/workload/print.pdf", params)
    assert "none were open" in _text(pdf.content)


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "ends (2026-02-01) before it starts"),
        ({"start": "0202-01-01"}, "start", "more than 100 years from today"),
        ({"end": "20266-01-01"}, "end", "Write the date as YYYY-MM-DD."),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start", "more than 25 years"),
        ({"start": "2016-01-01", "end": "2026-01-01"}, "start", "too many for one chart"),
        ({"order_type": "987654"}, "order_type", "There is no order type “987654”."),
        ({"order_type": "99999999999999999999"}, "order_type", "There is no order type"),
        ({"stage": "sessions"}, "stage", "Select a valid choice."),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(
    web, api, studio, params, field, message
):
    page = web("staff").get("/reports/workload/", params)
    assert page.status_code == 400
    text = page.content.decode().replace("&#x27;", "'")
    assert message in text and "The report was not run" in text
    answer = api("staff").get("reports/workload", **params)
    assert answer.status_code == 422 and field in answer.json()["fields"]
    assert web("staff").get("/reports/workload/export.xlsx", params).status_code == 400
    assert web("staff").get("/reports/workload/print.pdf", params).status_code == 400


def test_proof_orders_have_no_order_type(web, api, studio):
    params = {"stage": "preproduction", "order_type": studio["prints"].order_type.pk}
    page = web("staff").get("/reports/workload/", params)
    assert page.status_code == 400 and "Proof orders have no order type" in page.content.decode()
    answer = api("staff").get("reports/workload", **params)
    assert answer.status_code == 422 and set(answer.json()["fields"]) == {"order_type"}


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/workload"]["get"]
    assert operation["summary"] and "422" in operation["responses"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert {"stage", "order_type", "start", "end"} <= set(names)
    assert all(p.get("description") for p in names.values())


def test_the_excel_file_holds_both_tables(web, studio):
    answer = web("readonly").get("/reports/workload/export.xlsx", RANGE)
    assert answer.status_code == 200 and answer.streaming
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    assert book.sheetnames == ["Entered and finished", "Backlog by status"]
    weeks = list(book["Entered and finished"].iter_rows(values_only=True))
    assert weeks[0] == ("Week from", "Week to", "Entered", "Finished", "Open at the week's end")
    assert [(r[0].date(), r[1].date(), *r[2:]) for r in weeks[1:]] == [
        (dt.date(2026, 11, 2), dt.date(2026, 11, 8), 3, 0, 2),
        (dt.date(2026, 11, 9), dt.date(2026, 11, 15), 0, 1, 1),
        (dt.date(2026, 11, 16), dt.date(2026, 11, 22), 1, 0, 2),
    ]
    backlog = list(book["Backlog by status"].iter_rows(values_only=True))
    assert backlog[0] == ("Week from", "Week to", "Ordered", "Retouch", "At the lab", "All open")
    assert [r[2:] for r in backlog[1:]] == [(1, 1, 0, 2), (0, 0, 1, 1), (1, 0, 1, 2)]


def _text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_the_pdf_prints_the_same_figures(web, studio):
    answer = web("staff").get("/reports/workload/print.pdf", RANGE)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = _text(answer.content)
    assert "Workload report" in text and "weeks start on Monday" in text
    assert "4 entered, 1 finished; 0 open when the range began, 2 at its end." in text
    assert "Entered and finished per week" in text
    assert "Open orders per status at each week's end" in text
    for status in ("Ordered", "Retouch", "At the lab"):
        assert status in text
    assert "Picked up" not in text  # a final status is not backlog


def test_the_page_asks_as_many_queries_however_many_weeks(web, studio):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web("staff")
    client.get("/reports/workload/", RANGE)  # the person's and the studio's kept lists
    counts = []
    for params in (RANGE, {"start": "2024-01-01", "end": "2026-11-30"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reports/workload/", params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
