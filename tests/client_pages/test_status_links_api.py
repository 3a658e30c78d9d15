"""/api/v1/invoices/{id}/status-links: whoever sees the invoice lists its links; whoever may
change it makes and revokes them; bad input is a 4xx with {"detail", "code"} that changes
nothing."""

from __future__ import annotations

import pytest
from django.test import Client as WebClient

from darkroom.clients.models import StatusLink
from tests import factories as f

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return list(StatusLink.objects.order_by("pk").values())


@pytest.fixture
def invoice(ordinary_day):
    return f.InvoiceFactory(client=f.ClientFactory(first_name="Maya"))


def test_staff_make_a_link_that_opens_the_page_and_list_it(api, invoice, people):
    answer = api("staff").post(f"invoices/{invoice.pk}/status-links", {})
    assert answer.status_code == 201, answer.json()
    made = answer.json()
    assert made["works"] is True and made["expires_at"] is None
    assert made["url"].startswith("http://testserver/status/drst_")
    assert made["key_prefix"] == made["url"].split("/status/")[1][:12]
    assert made["created_by"] == {"id": people["staff"].pk, "name": people["staff"].first_name}
    page = WebClient().get(made["url"].removeprefix("http://testserver"))
    assert page.status_code == 200 and "Hello Maya," in page.content.decode()
    listed = api("readonly").get(f"invoices/{invoice.pk}/status-links")
    assert listed.status_code == 200
    assert [link["url"] for link in listed.json()["results"]] == [made["url"]]


def test_a_new_link_replaces_the_old_and_the_list_says_which_works(api, invoice):
    staff = api("staff")
    first = staff.post(f"invoices/{invoice.pk}/status-links", {}).json()
    second = staff.post(f"invoices/{invoice.pk}/status-links", {"expires_on": "2027-01-31"}).json()
    assert second["expires_at"].startswith("2027-01-31")
    listed = staff.get(f"invoices/{invoice.pk}/status-links").json()["results"]
    assert [(link["id"], link["works"]) for link in listed] == [
        (second["id"], True),
        (first["id"], False),
    ]
    assert listed[1]["url"] is None and listed[1]["revoked_at"] is not None
    assert WebClient().get(first["url"].removeprefix("http://testserver")).status_code == 404


def test_revoking_ends_the_page_at_once(api, invoice, people):
    staff = api("staff")
    made = staff.post(f"invoices/{invoice.pk}/status-links", {}).json()
    answer = staff.delete(f"invoices/{invoice.pk}/status-links/{made['id']}")
    assert answer.status_code == 204
    assert WebClient().get(made["url"].removeprefix("http://testserver")).status_code == 404
    assert StatusLink.objects.get().revoked_by == people["staff"]
    assert staff.delete(f"invoices/{invoice.pk}/status-links/{made['id']}").status_code == 204


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expires_on": "2026-12-02"}, "after today"),  # today is Wednesday Dec 2
        ({"expires_on": "2026-11-01"}, "after today"),
        ({"expires_on": "soon"}, "expires_on"),
        ({"expires_on": None, "secret": "mine"}, "secret"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(api, invoice, body, field):
    answer = api("staff").post(f"invoices/{invoice.pk}/status-links", body)
    assert answer.status_code == 422
    problem = answer.json()
    assert set(problem) >= {"detail", "code"} and field in str(problem)
    assert rows() == []


def test_who_may_do_what(api, invoice):
    made = api("staff").post(f"invoices/{invoice.pk}/status-links", {}).json()
    before = rows()
    for role, status in ((None, 401), ("readonly", 403)):
        caller = api(role)
        answer = caller.post(f"invoices/{invoice.pk}/status-links", {})
        assert answer.status_code == status and "code" in answer.json()
        answer = caller.delete(f"invoices/{invoice.pk}/status-links/{made['id']}")
        assert answer.status_code == status
    assert api(None).get(f"invoices/{invoice.pk}/status-links").status_code == 401
    assert rows() == before


def test_unknown_invoices_and_links_are_404(api, invoice):
    staff = api("staff")
    made = staff.post(f"invoices/{invoice.pk}/status-links", {}).json()
    other = f.InvoiceFactory()
    for path in (
        "invoices/999999/status-links",
        f"invoices/{other.pk}/status-links/{made['id']}",
        f"invoices/{invoice.pk}/status-links/0",
        f"invoices/{invoice.pk}/status-links/99999999999999999999",
    ):
        answer = staff.delete(path) if "links/" in path else staff.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["code"] == "not_found"
    assert StatusLink.objects.get().revoked_at is None


def test_the_endpoints_are_documented(api):
    schema = api("readonly").get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths["/api/v1/invoices/{invoice_id}/status-links"]) == {"get", "post"}
    assert "delete" in paths["/api/v1/invoices/{invoice_id}/status-links/{link_id}"]
