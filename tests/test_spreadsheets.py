"""Every Excel export stores people's text as text: a name typed as a formula never runs in the
spreadsheet of whoever opens the file, and a character Excel can't hold never breaks an export.
Files are written by the real pages and API endpoints and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import darkroom
from darkroom.spreadsheets import XLSX, Money, xlsx_bytes
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create, status_add
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Open")'
COMMAND = "+cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)*cmd|' /C calc'!A0"
MINUS = "-2+3"
TABBED = "\t=1+1"


def sheet_of(response):
    """The first sheet of the .xlsx an answer carries, loaded with cell types and styles."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).worksheets[0]


def cells_by_header(sheet) -> list[dict]:
    """Each row after the header as {header: cell}."""
    rows = list(sheet.iter_rows())
    headers = [cell.value for cell in rows[0]]
    return [dict(zip(headers, row, strict=True)) for row in rows[1:]]


def assert_text(cell, text: str) -> None:
    """Stored as text (never a formula), reading exactly ``text``; text that starts like a
    formula also carries Excel's quote prefix, so editing the cell keeps it text."""
    assert (cell.data_type, cell.value) == ("s", text)
    assert cell.quotePrefix == text.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.fixture
def planted(db):
    """A client, their session and invoice whose text was typed to run in a spreadsheet, or
    holds characters Excel refuses."""
    client = f.ClientFactory(
        last_name=FORMULA, first_name="Ann\x01e", mobile=COMMAND, address="Line\x0bTwo"
    )
    session = f.SessionFactory(client=client, notes=AT_SUM, date=dt.date(2026, 10, 1))
    invoice = f.InvoiceFactory(client=client, invoice_date=dt.date(2026, 10, 5))
    return client, session, invoice


# ---------------------------------------------------------------- clients, sessions, invoices


@pytest.mark.parametrize("where", ["page", "api"])
def test_client_list_exports_formulas_as_text(web, api, planted, where):
    response = (
        web("staff").get("/clients/", {"format": "xlsx"})
        if where == "page"
        else api("staff").get("clients", format="xlsx")
    )
    (row,) = cells_by_header(sheet_of(response))
    assert_text(row["Last name"], FORMULA)
    assert_text(row["First name"], "Anne")
    assert_text(row["Mobile phone"], COMMAND)
    assert_text(row["Address"], "LineTwo")


@pytest.mark.parametrize("where", ["page", "api"])
def test_session_list_exports_formulas_as_text_and_dates_as_dates(web, api, planted, where):
    response = (
        web("staff").get("/sessions/", {"format": "xlsx"})
        if where == "page"
        else api("staff").get("sessions", format="xlsx")
    )
    (row,) = cells_by_header(sheet_of(response))
    assert_text(row["Notes"], AT_SUM)
    assert_text(row["Client"], f"Anne {FORMULA}")
    assert row["Date"].data_type == "d"
    assert row["Date"].value == dt.datetime(2026, 10, 1)


@pytest.mark.parametrize("where", ["page", "api"])
def test_invoice_list_exports_formulas_as_text_and_money_as_numbers(web, api, planted, where):
    _, _, invoice = planted
    response = (
        web("staff").get("/invoices/", {"format": "xlsx"})
        if where == "page"
        else api("staff").get("invoices", format="xlsx")
    )
    (row,) = cells_by_header(sheet_of(response))
    assert_text(row["Client"], f"Anne {FORMULA}")
    assert (row["Total"].data_type, row["Total"].value) == ("n", 0)
    assert_text(row["Invoice"], invoice.number)  # "00001": a number kept as typed
    assert row["Date"].value == dt.datetime(2026, 10, 5)


# ---------------------------------------------------------------- maintenance lists, statuses


@pytest.mark.parametrize("where", ["page", "api"])
def test_maintenance_list_exports_formulas_as_text(web, api, where):
    for name in (FORMULA, MINUS, TABBED, "Bay\x01\x1fPhoto\x7f"):
        f.VendorFactory(name=name, phone="+1 555 0100", is_in_house=True)
    response = (
        web("manager").get("/maintenance/vendors/", {"format": "xlsx", "sort": "name"})
        if where == "page"
        else api("manager").get("vendors", format="xlsx", sort="name")
    )
    rows = cells_by_header(sheet_of(response))
    names = sorted((row["Name"] for row in rows), key=lambda cell: cell.value)
    assert [cell.value for cell in names] == sorted(
        ["\t=1+1", "-2+3", '=HYPERLINK("http://evil.example","Open")', "BayPhoto\x7f"]
    )
    for cell in names:
        assert_text(cell, cell.value)
    for row in rows:
        assert_text(row["Phone"], "+1 555 0100")
        assert (row["In-house"].data_type, row["In-house"].value) == ("b", True)


def test_statuses_export_writes_a_status_typed_as_a_formula_as_text(web):
    cycle = cycle_create(kind=CycleKind.SESSION, name="=Sessions")
    status_add(cycle=cycle, description="=1+1", default_duration=2)
    response = web("manager").get("/maintenance/statuses/", {"cycle": cycle.pk, "format": "xlsx"})
    sheet = sheet_of(response)
    assert sheet.title == "=Sessions"
    (row,) = cells_by_header(sheet)
    assert_text(row["Description"], "=1+1")
    assert (row["Position"].data_type, row["Position"].value) == ("n", 1)


# ---------------------------------------------------------------- the writer itself


def test_the_writer_keeps_each_kind_of_value():
    when = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    content = xlsx_bytes(
        "A/B: [list]?",
        ["=Header"],
        [
            [
                "plain",
                "#N/A",
                "\ud800lone",
                "x" * 40_000,
                12,
                Decimal("19.50"),
                1.25,
                float("nan"),
                Decimal("Infinity"),
                True,
                None,
                dt.date(2026, 3, 2),
                when,
                Path("a"),
            ]
        ],
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "A B   list"
    header, row = list(sheet.iter_rows())
    assert_text(header[0], "=Header")
    assert header[0].font.bold
    assert [(cell.data_type, cell.value) for cell in row] == [
        ("s", "plain"),
        ("s", "#N/A"),
        ("s", "\N{REPLACEMENT CHARACTER}lone"),
        ("s", "x" * 32_767),
        ("n", 12),
        ("n", 19.5),
        ("n", 1.25),
        ("s", "nan"),
        ("s", "Infinity"),
        ("b", True),
        ("n", None),
        ("d", dt.datetime(2026, 3, 2)),
        ("d", dt.datetime(2026, 3, 2, 9, 30)),
        ("s", "a"),
    ]


@pytest.mark.django_db
def test_a_file_reads_the_studios_formats_once_however_many_dates_and_amounts(
    django_assert_num_queries,
):
    """Outside a request (a command, an export written by the worker) the studio's formats are
    a query: read once for the file, not once per date or amount cell."""
    rows = [[dt.date(2026, 3, 1 + n % 28), Money(Decimal(n))] for n in range(200)]
    with django_assert_num_queries(1):
        content = xlsx_bytes("Dates and amounts", ["Day", "Amount"], rows)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.max_row == 201 and sheet["A2"].is_date and sheet["B2"].number_format != "General"


def test_every_excel_file_is_written_by_the_one_writer():
    """A new export must use darkroom.spreadsheets, or it would write formulas again."""
    source = Path(darkroom.__file__).parent
    users = {
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "openpyxl" in path.read_text(encoding="utf-8")
    }
    assert users == {"spreadsheets.py"}
