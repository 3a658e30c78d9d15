"""Bad input to invoices, by the API and by the editor page: each gets a clear message and the
database stays exactly as it was."""

from __future__ import annotations

import pytest

from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db

# Each case: what the line says (API body), and the message the person or program reads.
BAD_LINES = {
    "negative price": ({"price": "-1.00"}, "Line 1: the price must not be negative."),
    "quantity 0": ({"quantity": 0}, "Line 1: the quantity must be at least 1."),
    "negative quantity": ({"quantity": -3}, "Line 1: the quantity must be at least 1."),
    "inactive item": ({"item": "canvas"}, "Line 1: “CANVAS” is inactive; choose an active item."),
    "inactive vendor": (
        {"vendor_override": "closed_lab"},
        "Line 1: vendor “Old Lab” is inactive; choose another.",
    ),
    "unknown item": ({"item": 987654}, "Line 1: there is no price list item 987654."),
    "three decimals": ({"price": "1.005"}, "Line 1: the price has more than two decimals."),
}


def bad_line(catalog, change: dict) -> dict:
    """A valid line (one frame) with ``change``; "canvas", "closed_lab" name catalog records."""
    line = {"item": catalog.frame.pk, "quantity": 1}
    for key, value in change.items():
        named = key in ("item", "vendor_override") and isinstance(value, str) and value
        line[key] = getattr(catalog, value).pk if named else value
    return line


# API ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BAD_LINES)
def test_api_create_refuses_a_bad_line(api, catalog, client_record, unchanged, case):
    change, message = BAD_LINES[case]
    with unchanged():
        response = api("staff").post(
            "invoices", {"client": client_record.pk, "lines": [bad_line(catalog, change)]}
        )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert message in response.json()["detail"]
    assert response.json()["fields"]["lines"] == [message]


@pytest.mark.parametrize("case", BAD_LINES)
def test_api_update_refuses_a_bad_line(api, invoice, catalog, unchanged, case):
    change, message = BAD_LINES[case]
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}",
            {"version": invoice.version, "lines": [bad_line(catalog, change)]},
        )
    assert response.status_code == 422
    assert message in response.json()["detail"]


@pytest.mark.parametrize("quantity", [1.5, "two", None])
def test_api_refuses_a_quantity_that_is_not_a_whole_number(
    api, invoice, catalog, unchanged, quantity
):
    line = {"item": catalog.frame.pk, "quantity": quantity}
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}", {"version": invoice.version, "lines": [line]}
        )
    assert response.status_code == 422
    assert "lines.0.quantity" in response.json()["detail"]
    assert "integer" in response.json()["detail"]


def test_api_refuses_a_session_of_another_client(api, invoice, unchanged):
    someone_elses = SessionFactory(client=ClientFactory())
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}", {"version": invoice.version, "session": someone_elses.pk}
        )
    assert response.status_code == 422
    assert response.json()["detail"] == "session: That session belongs to another client."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"client": 424242}, "client: There is no client 424242."),
        ({"client": None}, "client: A client is required."),
        ({"session": 424242}, "session: There is no session 424242."),
        ({"invoice_date": "2026-02-30"}, "invoice_date"),
        ({"notes": "nul\x00byte"}, "Text must not contain NUL characters."),
    ],
)
def test_api_refuses_bad_header_fields(api, invoice, unchanged, body, message):
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}", {"version": invoice.version, **body}
        )
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_api_refuses_a_stale_version(api, invoice, unchanged):
    with unchanged():
        response = api("staff").patch(
            f"invoices/{invoice.pk}", {"version": invoice.version + 5, "notes": "x"}
        )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


NOT_JSON = "The request body is not valid JSON: "
NOT_AN_OBJECT = "Input should be a valid dictionary or object to extract fields from"


@pytest.mark.parametrize(
    ("raw", "status", "body"),
    [
        (
            '{"client": 1, "lines": [',
            400,
            {
                "detail": f"{NOT_JSON}Expecting value: line 1 column 25 (char 24).",
                "code": "bad_request",
            },
        ),
        (
            "not json",
            400,
            {
                "detail": f"{NOT_JSON}Expecting value: line 1 column 1 (char 0).",
                "code": "bad_request",
            },
        ),
        (
            "[]",
            422,
            {"detail": f"The request is not valid: body: {NOT_AN_OBJECT}", "code": "invalid"},
        ),
        (
            '"text"',
            422,
            {"detail": f"The request is not valid: body: {NOT_AN_OBJECT}", "code": "invalid"},
        ),
    ],
    ids=["cut-short", "not-json", "a-list", "a-string"],
)
def test_api_refuses_malformed_json(api, client_record, unchanged, raw, status, body):
    """JSON that does not parse is a 400; JSON of the wrong shape a 422 naming the problem."""
    with unchanged():
        response = api("staff").post("invoices", raw=raw)
    assert response.status_code == status
    answer = response.json()
    assert {"detail": answer["detail"], "code": answer["code"]} == body


def test_api_answers_404_for_an_unknown_invoice(api, unchanged):
    with unchanged():
        for response in (
            api("staff").get("invoices/999999"),
            api("staff").patch("invoices/999999", {"version": 1, "notes": "x"}),
            api("manager").delete("invoices/999999"),
            api("staff").get("invoices/999999/payments"),
            api("staff").post("invoices/999999/payments", {"amount": "5"}),
            api("staff").get(f"invoices/{2**70}"),
        ):
            assert response.status_code == 404
            assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_api_refuses_readonly_writes(api, invoice, catalog, client_record, unchanged):
    caller = api("readonly")
    with unchanged():
        for response in (
            caller.post("invoices", {"client": client_record.pk}),
            caller.patch(f"invoices/{invoice.pk}", {"version": invoice.version, "notes": "x"}),
            caller.put(f"invoices/{invoice.pk}", {"version": invoice.version, "client": 1}),
            caller.delete(f"invoices/{invoice.pk}"),
        ):
            assert response.status_code == 403
            assert response.json() == {
                "detail": "Your role does not allow this.",
                "code": "permission_denied",
            }
    response = caller.patch(f"invoices/{invoice.pk}", {"version": invoice.version, "notes": "x"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow this."


def test_api_refuses_anonymous_callers(api, invoice, client_record, unchanged):
    caller = api(None)
    with unchanged():
        for response in (
            caller.get("invoices"),
            caller.get(f"invoices/{invoice.pk}"),
            caller.post("invoices", {"client": client_record.pk}),
            caller.patch(f"invoices/{invoice.pk}", {"version": invoice.version}),
            caller.delete(f"invoices/{invoice.pk}"),
        ):
            assert response.status_code == 401
            assert response.json()["code"] == "not_authenticated"


def test_api_refuses_deleting_a_client_with_invoices(api, invoice, unchanged):
    with unchanged():
        response = api("manager").delete(f"clients/{invoice.client_id}")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert response.json()["detail"].startswith("“Ana Garcia” can't be deleted: it is used by")


# The editor page ---------------------------------------------------------------------------------


def editor_post(invoice, line: dict, **header) -> dict:
    data = {
        "version": invoice.version,
        "invoice_date": "2026-09-10",
        "session": invoice.session_id or "",
        "line_id": "",
        "line_item": line.get("item", ""),
        "line_quantity": line.get("quantity", "1"),
        "line_price": line.get("price", ""),
        "line_description": "",
        "line_vendor": line.get("vendor_override", ""),
    }
    data.update(header)
    return data


PAGE_BAD_LINES = {
    **BAD_LINES,
    "fractional quantity": ({"quantity": "1.5"}, "Line 1: the quantity must be a whole number."),
    "words for a price": ({"price": "lots"}, "Line 1: the price must be an amount like 12.50."),
    "no item": ({"item": ""}, "Line 1: choose an item."),
}


@pytest.mark.parametrize("case", PAGE_BAD_LINES)
def test_editor_shows_a_bad_line_beside_it_and_saves_nothing(
    web, invoice, catalog, unchanged, case
):
    change, message = PAGE_BAD_LINES[case]
    line = bad_line(catalog, change)
    if case == "no item":
        line["price"] = "10"  # something typed, so the line is not simply blank
    with unchanged():
        response = web("staff").post(
            f"/invoices/{invoice.pk}/edit/",
            editor_post(invoice, {k: str(v) for k, v in line.items()}),
        )
    assert response.status_code == 422
    page = response.content.decode()
    assert message.replace("“", "&ldquo;") in page or message in page
    assert 'id="line-1-errors"' in page
    assert "needs your attention" in page


def test_editor_refuses_a_session_of_another_client(web, invoice, catalog, unchanged):
    someone_elses = SessionFactory(client=ClientFactory())
    data = editor_post(invoice, {"item": catalog.frame.pk}, session=someone_elses.pk)
    with unchanged():
        response = web("staff").post(f"/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_editor_refuses_a_delivered_date_before_the_invoice(web, invoice, catalog, unchanged):
    data = editor_post(invoice, {"item": catalog.frame.pk}, delivered_date="2026-09-01")
    with unchanged():
        response = web("staff").post(f"/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 422
    assert "The delivered date is before the invoice date." in response.content.decode()


def test_editor_refuses_readonly_and_sends_anonymous_to_log_in(web, invoice, catalog, unchanged):
    data = editor_post(invoice, {"item": catalog.frame.pk})
    with unchanged():
        assert web("readonly").post(f"/invoices/{invoice.pk}/edit/", data).status_code == 403
        assert web("readonly").post("/invoices/new/?client=1", data).status_code == 403
        anonymous = web(None).post(f"/invoices/{invoice.pk}/edit/", data)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/?next=")


def test_editor_answers_404_for_an_unknown_invoice(web, unchanged):
    with unchanged():
        assert web("staff").get("/invoices/999999/edit/").status_code == 404
        assert web("staff").post("/invoices/999999/edit/", {}).status_code == 404
        assert web("staff").get("/invoices/999999/").status_code == 404


@pytest.mark.parametrize(
    "line",
    [
        {"item": str(2**70)},
        {"item": "FR1620"},
        {"vendor_override": str(2**70)},
        {"description": "nul\x00byte"},
        {"price": "1e400"},
        {"price": "NaN"},
        {"quantity": str(2**70)},
    ],
)
def test_editor_never_fails_on_odd_input(web, invoice, catalog, unchanged, line):
    row = {"item": str(catalog.frame.pk), "quantity": "1", "price": "", **line}
    data = editor_post(invoice, row)
    data["line_description"] = line.get("description", "")
    data["line_id"] = str(2**70) if "item" in line else ""
    with unchanged():
        response = web("staff").post(f"/invoices/{invoice.pk}/edit/", data)
    assert response.status_code == 422
    assert "needs your attention" in response.content.decode()


def test_pages_with_odd_ids_and_filters_do_not_fail(web, invoice):
    browser = web("readonly")
    for url, params, status in [
        (f"/invoices/{2**70}/", {}, 404),
        ("/invoices/", {"client": str(2**70), "session": "x", "promised_within": "9" * 30}, 200),
        ("/invoices/", {"q": "nul\x00", "offset": "9" * 30, "sort": "\x00"}, 200),
        ("/sessions/", {"photographer": str(2**70), "date_from": "2026-02-30"}, 200),
        ("/clients/", {"q": "\x00" * 3, "rows": "1"}, 200),
        ("/invoices/new/", {"client": str(2**70)}, 403),  # a read-only person makes no invoice
    ]:
        assert browser.get(url, params).status_code == status, (url, params)
