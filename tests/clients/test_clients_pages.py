"""The client pages: list (search, sort, more, export, print), the client, the form — per role."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from darkroom.clients.models import Client
from tests.factories import ClientFactory, SessionFactory

pytestmark = pytest.mark.django_db

PAGES = ["/clients/", "/clients/{pk}/"]


def names(response) -> list[str]:
    return re.findall(r'<a href="/clients/\d+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
@pytest.mark.parametrize("url", PAGES)
def test_every_role_sees_the_client_pages(web, client_record, role, url):
    assert web(role).get(url.format(pk=client_record.pk)).status_code == 200


@pytest.mark.parametrize("url", [*PAGES, "/clients/new/", "/clients/{pk}/edit/"])
def test_anonymous_people_are_sent_to_log_in(web, client_record, url):
    response = web(None).get(url.format(pk=client_record.pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_readonly_sees_no_buttons_and_may_not_write(web, client_record, unchanged):
    browser = web("readonly")
    assert "New client" not in browser.get("/clients/").content.decode()
    page = browser.get(f"/clients/{client_record.pk}/").content.decode()
    for control in ("Edit client", "New session", "New invoice", "Delete client"):
        assert control not in page
    with unchanged():
        assert browser.get("/clients/new/").status_code == 403
        assert browser.post("/clients/new/", {"last_name": "X"}).status_code == 403
        edit = browser.post(f"/clients/{client_record.pk}/edit/", {"last_name": "X"})
        assert edit.status_code == 403
        assert browser.post(f"/clients/{client_record.pk}/delete/").status_code == 403


def test_staff_add_a_client_from_the_list(web):
    browser = web("staff")
    assert 'href="/clients/new/"' in browser.get("/clients/").content.decode()
    response = browser.post(
        "/clients/new/",
        {"first_name": "Bo", "last_name": "Lind", "email": "bo@example.com", "do_not_call": "on"},
    )
    client = Client.objects.get()
    assert response["Location"] == f"/clients/{client.pk}/"
    assert (client.name, client.do_not_call, client.do_not_market) == ("Bo Lind", True, False)
    page = browser.get(response["Location"]).content.decode()
    assert "Added Bo Lind." in page and "Do not call" in page


def test_texts_allowed_is_edited_on_the_client_form(web, client_record):
    page = web("staff").get(f"/clients/{client_record.pk}/edit/").content.decode()
    assert 'name="sms_consent"' in page and "Texts allowed" in page
    response = web("staff").post(
        f"/clients/{client_record.pk}/edit/",
        {"first_name": "Ana", "last_name": "Garcia", "sms_consent": "on"},
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.sms_consent


def test_staff_edit_a_client(web, client_record):
    response = web("staff").post(
        f"/clients/{client_record.pk}/edit/",
        {"first_name": "Ana", "last_name": "Garcia-Ruiz", "do_not_market": "on"},
    )
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert (client_record.last_name, client_record.do_not_market) == ("Garcia-Ruiz", True)
    assert client_record.email == ""  # the form sent no email: it was cleared


def test_a_bad_client_form_shows_messages_and_saves_nothing(web, client_record, unchanged):
    with unchanged():
        response = web("staff").post(
            f"/clients/{client_record.pk}/edit/", {"last_name": "", "email": "nope"}
        )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required." in page and "Enter a valid email address." in page


def test_client_page_shows_flags_sessions_and_invoices(web, invoice):
    invoice.client.do_not_market = True
    invoice.client.save()
    page = re.sub(r"\s+", " ", web("staff").get(f"/clients/{invoice.client_id}/").content.decode())
    assert "Do not market" in page
    assert "Wedding" in page and invoice.number in page and "239.00" in page
    assert f'href="/sessions/new/?client={invoice.client_id}"' in page
    assert f'href="/invoices/new/?client={invoice.client_id}"' in page


def test_managers_delete_an_unused_client_but_not_one_with_invoices(web, invoice, unchanged):
    with unchanged():
        response = web("manager").post(f"/clients/{invoice.client_id}/delete/", follow=True)
    assert "can&#x27;t be deleted" in response.content.decode()
    spare = ClientFactory()
    assert web("manager").post(f"/clients/{spare.pk}/delete/").status_code == 302
    assert not Client.objects.filter(pk=spare.pk).exists()


@pytest.fixture
def many_clients(db):
    return [
        ClientFactory(last_name=f"Zed{i:03d}", first_name="Al", email=f"al{i}@zed.example")
        for i in range(60)
    ] + [ClientFactory(last_name="Abbott", first_name="Cy", phone="555-0199", email="cy@x.org")]


def test_client_list_searches_name_email_and_phone(web, many_clients):
    browser = web("readonly")
    assert names(browser.get("/clients/", {"q": "abbott"})) == ["Abbott, Cy"]
    assert names(browser.get("/clients/", {"q": "cy@x"})) == ["Abbott, Cy"]
    assert names(browser.get("/clients/", {"q": "0199"})) == ["Abbott, Cy"]
    assert names(browser.get("/clients/", {"q": "al zed005"})) == ["Zed005, Al"]
    assert "data-search" in browser.get("/clients/").content.decode()


def test_client_list_sorts_and_loads_more(web, many_clients):
    browser = web("readonly")
    first = names(browser.get("/clients/"))
    assert len(first) == 50 and first[0] == "Abbott, Cy"
    page = browser.get("/clients/").content.decode()
    assert 'href="?offset=50"' in page and "Load more" in page
    rest = names(browser.get("/clients/", {"offset": 50, "rows": 1}))
    assert rest[-1] == "Zed059, Al" and len(rest) == 11
    assert names(browser.get("/clients/", {"sort": "-name"}))[0] == "Zed059, Al"


def test_client_list_runs_the_same_queries_for_more_clients(web, many_clients):
    browser = web("readonly")
    browser.get("/clients/")
    with CaptureQueriesContext(connection) as many:
        browser.get("/clients/")
    Client.objects.filter(last_name__startswith="Zed0").delete()
    with CaptureQueriesContext(connection) as few:
        browser.get("/clients/")
    assert len(few) == len(many)
    assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)


def test_client_list_exports_and_prints(web, many_clients):
    browser = web("readonly")
    response = browser.get("/clients/", {"format": "xlsx", "q": "zed"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Last name", "First name", "Email") and len(rows) == 61
    printed = browser.get("/clients/", {"print": 1, "q": "abbott"}).content.decode()
    assert "Abbott" in printed and "Zed001" not in printed and "data-print" in printed


def test_sessions_from_the_client_page_start_with_the_client(web, client_record):
    page = web("staff").get("/sessions/new/", {"client": client_record.pk}).content.decode()
    assert "New session" in page and "for Ana Garcia" in page
    SessionFactory(client=client_record)
    page = web("staff").get(f"/clients/{client_record.pk}/").content.decode()
    assert "No sessions yet." not in page
