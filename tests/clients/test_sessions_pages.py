"""The session pages: list (filters, sort, export), the session, its form — per role."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from darkroom.clients.models import Session
from tests.factories import ClientFactory, SessionFactory, SessionTypeFactory

pytestmark = pytest.mark.django_db


def dates(response) -> list[str]:
    return re.findall(r'<a href="/sessions/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def shoots(people):
    wedding = SessionTypeFactory(name="Wedding")
    newborn = SessionTypeFactory(name="Newborn")
    ana = ClientFactory(first_name="Ana", last_name="Garcia")
    bo = ClientFactory(first_name="Bo", last_name="Lind")
    return {
        "ana_wedding": SessionFactory(
            client=ana, session_type=wedding, date=dt.date(2026, 5, 2), photographer=people["staff"]
        ),
        "ana_newborn": SessionFactory(client=ana, session_type=newborn, date=dt.date(2026, 8, 9)),
        "bo_wedding": SessionFactory(
            client=bo,
            session_type=wedding,
            date=dt.date(2026, 6, 20),
            photographer=people["manager"],
        ),
    }


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_session_pages(web, shoots, role):
    assert web(role).get("/sessions/").status_code == 200
    assert web(role).get(f"/sessions/{shoots['ana_wedding'].pk}/").status_code == 200


def test_anonymous_people_are_sent_to_log_in(web, shoots):
    for url in ("/sessions/", f"/sessions/{shoots['ana_wedding'].pk}/", "/sessions/new/"):
        assert web(None).get(url)["Location"].startswith("/login/")


def test_session_list_newest_first_and_filtered(web, shoots, people):
    browser = web("readonly")
    assert dates(browser.get("/sessions/")) == ["Aug 9, 2026", "Jun 20, 2026", "May 2, 2026"]
    assert dates(browser.get("/sessions/", {"sort": "date"}))[0] == "May 2, 2026"
    assert dates(browser.get("/sessions/", {"q": "garcia"})) == ["Aug 9, 2026", "May 2, 2026"]
    wedding = shoots["ana_wedding"].session_type_id
    assert dates(browser.get("/sessions/", {"session_type": wedding})) == [
        "Jun 20, 2026",
        "May 2, 2026",
    ]
    assert dates(browser.get("/sessions/", {"photographer": people["staff"].pk})) == ["May 2, 2026"]
    assert dates(
        browser.get("/sessions/", {"date_from": "2026-06-01", "date_to": "2026-07-01"})
    ) == ["Jun 20, 2026"]
    client = shoots["bo_wedding"].client_id
    page = browser.get("/sessions/", {"client": client})
    assert dates(page) == ["Jun 20, 2026"] and "of Bo Lind" in page.content.decode()


def test_session_list_exports(web, shoots):
    response = web("readonly").get("/sessions/", {"format": "xlsx", "q": "lind"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Date",
        "Client",
        "Session type",
        "Photographer",
        "Status",
        "Status due",
        "Notes",
    )
    assert rows[1][1:4] == ("Bo Lind", "Wedding", "Manager")


def test_staff_add_a_session_from_the_client_page(web, shoots, people):
    ana = shoots["ana_wedding"].client
    newborn = shoots["ana_newborn"].session_type
    response = web("staff").post(
        f"/sessions/new/?client={ana.pk}",
        {"session_type": newborn.pk, "date": "2026-09-30", "photographer": people["staff"].pk},
    )
    session = Session.objects.latest("pk")
    assert response["Location"] == f"/sessions/{session.pk}/"
    assert (session.client, session.session_type, session.date) == (
        ana,
        newborn,
        dt.date(2026, 9, 30),
    )


def test_a_new_session_without_a_client_asks_for_one(web, shoots):
    page = web("staff").get("/sessions/new/", {"q": "lind"}).content.decode()
    assert "Whose is a new session?" in page
    assert f"/sessions/new/?client={shoots['bo_wedding'].client_id}" in page


def test_retired_types_are_not_offered_but_an_existing_one_is_kept(web, shoots, unchanged):
    session = shoots["ana_newborn"]
    session.session_type.is_inactive = True
    session.session_type.save()
    page = web("staff").get(f"/sessions/{session.pk}/edit/").content.decode()
    assert "Newborn" in page
    page = web("staff").get("/sessions/new/", {"client": session.client_id}).content.decode()
    assert "Newborn" not in page
    with unchanged():
        response = web("staff").post(
            f"/sessions/new/?client={session.client_id}",
            {"session_type": session.session_type_id, "date": "2026-09-30"},
        )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_staff_edit_a_session(web, shoots):
    session = shoots["ana_wedding"]
    response = web("staff").post(
        f"/sessions/{session.pk}/edit/",
        {"session_type": session.session_type_id, "date": "2026-05-03", "notes": "Rain plan"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.notes, session.photographer) == (
        dt.date(2026, 5, 3),
        "Rain plan",
        None,
    )


def test_readonly_may_not_add_or_edit_sessions(web, shoots, unchanged):
    session = shoots["ana_wedding"]
    page = web("readonly").get(f"/sessions/{session.pk}/").content.decode()
    assert "Edit session" not in page and "New invoice" not in page
    with unchanged():
        data = {"session_type": session.session_type_id, "date": "2026-05-03"}
        assert web("readonly").post(f"/sessions/{session.pk}/edit/", data).status_code == 403
        url = f"/sessions/new/?client={session.client_id}"
        assert web("readonly").post(url, data).status_code == 403
        assert web("staff").post(f"/sessions/{session.pk}/delete/").status_code == 403


def test_session_page_lists_its_invoices_and_offers_a_new_one(web, invoice):
    page = web("staff").get(f"/sessions/{invoice.session_id}/").content.decode()
    assert invoice.number in page
    assert f'href="/invoices/new/?session={invoice.session_id}"' in page
