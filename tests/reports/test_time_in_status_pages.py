"""The time-in-status report's page, exports and API: who may see them, what bad input gets, an
empty range saying why, and that the Excel file and the PDF say what the page says."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from openpyxl import load_workbook

from darkroom.production.models import ProductionOrder
from darkroom.tracking.models import CycleKind, NoteKind, StatusNote
from tests.factories import (
    OrderTypeFactory,
    ProductionOrderFactory,
    VendorFactory,
    cycle_with_statuses,
)

TODAY = dt.date(2026, 4, 20)
RANGE = {"start": "2026-02-10", "end": "2026-03-05"}  # read as February – March


def _left(order, status, day, taken, planned):
    StatusNote.objects.create(
        content_type=ContentType.objects.get_for_model(ProductionOrder),
        object_id=order.pk,
        kind=NoteKind.CHANGE,
        from_status=status,
        to_status=status,
        date_completed=day,
        changed_at=timezone.now(),
        business_days_taken=taken,
        planned_duration=planned,
    )


@pytest.fixture
def history(db, frozen_today):
    """The Prints cycle's steps left in February and March 2026: "Ordered" three times (0, 1, 2
    days; planned 1), "At the lab" four times (2, 3, 5, 7 days; planned 3), two of them at
    Miller's; "Retouch" never. One order is open at the lab, due last week; a step left in
    January and one in April lie outside the range."""
    frozen_today(TODAY)
    prints = cycle_with_statuses(
        order_type=OrderTypeFactory(name="Prints"),
        steps=(("Ordered", 1), ("At the lab", 3), ("Retouch", 2)),
    )
    ordered, lab, _retouch, _done = prints.statuses
    bay, miller = VendorFactory(name="Bay Photo"), VendorFactory(name="Miller's")
    at_bay = ProductionOrderFactory(order_type=prints.order_type, vendor=bay)
    at_miller = ProductionOrderFactory(order_type=prints.order_type, vendor=miller)
    for days in (0, 1, 2):
        _left(at_bay, ordered, dt.date(2026, 2, 1 + days), days, 1)
    for order, day, days in [
        (at_bay, dt.date(2026, 2, 1), 2),
        (at_bay, dt.date(2026, 3, 31), 3),
        (at_miller, dt.date(2026, 2, 28), 5),
        (at_miller, dt.date(2026, 3, 1), 7),
    ]:
        _left(order, lab, day, days, 3)
    _left(at_bay, lab, dt.date(2026, 1, 31), 30, 3)  # January: outside
    _left(at_bay, lab, dt.date(2026, 4, 1), 30, 3)  # April: outside
    ProductionOrder.objects.filter(pk=at_miller.pk).update(
        status=lab, status_due_date=TODAY - dt.timedelta(days=7)
    )
    sessions = cycle_with_statuses(kind=CycleKind.SESSION, steps=(("Booked", 2),))
    return {"prints": prints, "bay": bay, "miller": miller, "sessions": sessions}


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_report(web, role, history):
    assert b"/reports/time-in-status/" in web(role).get("/reports/").content
    assert web(role).get("/reports/time-in-status/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, api):
    answer = web(None).get("/reports/time-in-status/")
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert api(None).get("reports/time-in-status").status_code == 401


def test_the_page_shows_figures_per_status_and_a_chart(web, history):
    page = web("staff").get("/reports/time-in-status/", RANGE).content.decode()
    page = page.replace("&#x27;", "'")
    assert "7 steps left, 1 open over plan" in page
    assert "Prints cycle · steps left February 2026 – March 2026 (whole months)" in page
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert "<script" not in chart and "http" not in chart.replace("http://www.w3.org", "")
    assert "Ordered: median 1 day, 90th percentile 2 days, planned 1 day" in chart
    assert "At the lab: median 3 days, 90th percentile 7 days, planned 3 days" in chart
    assert "Retouch: median —, 90th percentile —, planned 2 days" in chart
    rows = page[page.index("report-statuses") :]
    assert '<th scope="row">At the lab</th><td class="num">3</td><td class="num">4</td>' in rows
    assert "50.0 %" in rows and "33.3 %" in rows and "None left" in rows
    assert f'value="{history["prints"].cycle.pk}" selected' in page


def test_the_default_is_the_production_cycle_over_twelve_months(web, history):
    page = web("staff").get("/reports/time-in-status/").content.decode()
    assert 'value="2025-05-01"' in page and 'value="2026-04-20"' in page
    assert "9 steps left" in page  # January's and April's too: May 2025 – April 2026


def test_an_order_type_alone_picks_its_cycle_and_a_vendor_narrows(web, api, history):
    prints = history["prints"]
    body = (
        api("staff")
        .get(
            "reports/time-in-status",
            order_type=prints.order_type.pk,
            vendor=history["miller"].pk,
            **RANGE,
        )
        .json()
    )
    assert body["cycle"] == {"id": prints.cycle.pk, "name": "Prints"}
    assert body["passed"] == 2 and body["open_over_plan"] == 1


def test_an_empty_range_says_why(web, api, history):
    params = {"start": "2025-06-01", "end": "2025-06-30"}
    page = web("staff").get("/reports/time-in-status/", params)
    assert page.status_code == 200
    text = page.content.decode()
    assert "No step of this cycle was left in this range" not in text  # one is open over plan
    empty = {**params, "vendor": history["bay"].pk}
    text = web("staff").get("/reports/time-in-status/", empty).content.decode()
    assert "No step of this cycle was left in this range, and none of its open records" in text
    body = api("staff").get("reports/time-in-status", **empty).json()
    assert body["passed"] == 0 and body["first_day"] == "2025-06-01"
    assert body["last_day"] == "2025-06-30"
    assert [s["median_days"] for s in body["statuses"]] == [None, None, None]


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "ends (2026-02-01) before it starts"),
        ({"start": "0202-01-01"}, "start", "more than 100 years from today"),
        ({"end": "20266-01-01"}, "end", "Write the date as YYYY-MM-DD."),
        ({"start": "1990-01-01", "end": "2026-01-01"}, "start", "more than 25 years"),
        ({"cycle": "987654"}, "cycle", "There is no cycle “987654”."),
        ({"cycle": "x1"}, "cycle", "There is no cycle “x1”."),
        ({"vendor": "987654"}, "vendor", "There is no vendor “987654”."),
        ({"order_type": "99999999999999999999"}, "order_type", "There is no order type"),
    ],
)
def test_bad_input_is_named_on_the_page_and_refused_by_the_api(
    web, api, history, params, field, message
):
    page = web("staff").get("/reports/time-in-status/", params)
    assert page.status_code == 400
    text = page.content.decode().replace("&#x27;", "'")
    assert message in text and "The report was not run" in text
    answer = api("staff").get("reports/time-in-status", **params)
    assert answer.status_code == 422 and field in answer.json()["fields"]
    assert web("staff").get("/reports/time-in-status/export.xlsx", params).status_code == 400
    assert web("staff").get("/reports/time-in-status/print.pdf", params).status_code == 400


def test_a_vendor_or_order_type_another_cycle_cannot_have_is_refused(web, api, history):
    sessions = history["sessions"].cycle.pk
    answer = api("staff").get("reports/time-in-status", cycle=sessions, vendor=history["bay"].pk)
    assert answer.status_code == 422
    assert "records have no vendor" in str(answer.json()["fields"]["vendor"])
    other = OrderTypeFactory(name="Albums")
    page = web("staff").get(
        "/reports/time-in-status/", {"cycle": history["prints"].cycle.pk, "order_type": other.pk}
    )
    assert page.status_code == 400
    assert "Albums orders don" in page.content.decode().replace("&#x27;", "'")
    lonely = api("staff").get("reports/time-in-status", order_type=other.pk)
    assert lonely.status_code == 422 and "have no cycle yet" in str(lonely.json())


def test_a_studio_without_cycles_is_told_so(web, api, db):
    answer = api("staff").get("reports/time-in-status")
    assert answer.status_code == 422 and "no status cycles yet" in str(answer.json())
    assert web("staff").get("/reports/time-in-status/").status_code == 400


def test_the_api_answers_the_report(api, history):
    body = api("readonly").get("reports/time-in-status", **RANGE).json()
    assert (body["passed"], body["open_over_plan"]) == (7, 1)
    assert (body["first_day"], body["last_day"]) == ("2026-02-01", "2026-03-31")
    assert [
        (
            s["status"]["name"],
            s["planned_days"],
            s["passed"],
            s["median_days"],
            s["p90_days"],
            s["over_plan"],
            s["share_over_plan"],
            s["open_over_plan"],
        )
        for s in body["statuses"]
    ] == [
        ("Ordered", 1, 3, 1, 2, 1, "33.3", 0),
        ("At the lab", 3, 4, 3, 7, 2, "50.0", 1),
        ("Retouch", 2, 0, None, None, 0, None, 0),
    ]


def test_the_api_is_documented(api):
    schema = api("staff").get("openapi.json").json()
    operation = schema["paths"]["/api/v1/reports/time-in-status"]["get"]
    assert operation["summary"] and "422" in operation["responses"]
    names = {p["name"]: p for p in operation["parameters"]}
    assert {"cycle", "order_type", "vendor", "start", "end"} <= set(names)
    assert all(p.get("description") for p in names.values())


def test_the_excel_file_holds_a_row_per_status(web, history):
    answer = web("readonly").get("/reports/time-in-status/export.xlsx", RANGE)
    assert answer.status_code == 200 and answer.streaming
    assert "time-in-status-2026-02-2026-03.xlsx" in answer["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows == [
        (
            "Status",
            "Planned days",
            "Steps left",
            "Median days",
            "90th percentile days",
            "Over plan",
            "% over plan",
            "Open over plan",
        ),
        ("Ordered", 1, 3, 1, 2, 1, 33.3, 0),
        ("At the lab", 3, 4, 3, 7, 2, 50, 1),
        ("Retouch", 2, 0, "None left", "None left", 0, "None left", 0),
    ]


def test_the_pdf_prints_the_figures(web, history):
    answer = web("staff").get(
        "/reports/time-in-status/print.pdf", {"vendor": history["miller"].pk, **RANGE}
    )
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Time in status" in text and "at Miller's" in text
    assert "February 2026 – March 2026" in text
    # The page's chart, drawn: its title, legend and each bar's figure.
    assert "median and 90th percentile against the plan" in text
    assert "90th percentile" in text and "Planned" in text and "7 days" in text
    # The table's row: the last line that starts with the status (the chart's label is above).
    lab = [line for line in text.splitlines() if line.strip().startswith("At the lab")][-1]
    assert lab.split() == ["At", "the", "lab", "3", "2", "5", "7", "2", "100.0", "%", "1"]
    empty = web("staff").get(
        "/reports/time-in-status/print.pdf",
        {"start": "2025-06-01", "end": "2025-06-30", "vendor": history["bay"].pk},
    )
    empty_text = subprocess.run(
        ["pdftotext", "-", "-"], input=empty.content, capture_output=True, check=True
    ).stdout.decode()
    assert "No step of this cycle was left in this range" in empty_text


def test_the_page_asks_as_many_queries_however_much_history(web, history):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = web("staff")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports/time-in-status/", RANGE).status_code == 200
        return len(captured)

    queries()
    before = queries()
    lab = history["prints"]["At the lab"]
    order = ProductionOrderFactory(order_type=history["prints"].order_type, vendor=history["bay"])
    for days in range(40):
        _left(order, lab, dt.date(2026, 2, 1) + dt.timedelta(days=days), days, 3)
    queries()
    assert queries() <= before
