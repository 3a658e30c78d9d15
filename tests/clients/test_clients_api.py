"""/api/v1/clients: list, search, create, change, delete — per role."""

from __future__ import annotations

import pytest

from darkroom.clients.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ROLES_THAT_WRITE = ["manager", "staff"]


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_reads_clients(api, client_record, role):
    caller = api(role)
    listed = caller.get("clients")
    assert listed.status_code == 200
    assert listed.json()["results"][0]["name"] == "Ana Garcia"
    one = caller.get(f"clients/{client_record.pk}").json()
    assert (one["email"], one["do_not_market"], one["address"]) == (
        "ana@example.com",
        False,
        "1 Main St",
    )


@pytest.mark.parametrize("role", ROLES_THAT_WRITE)
def test_staff_and_managers_create_and_change_clients(api, role):
    caller = api(role)
    response = caller.post(
        "clients", {"first_name": "Bo", "last_name": "Lind", "do_not_call": True}
    )
    assert response.status_code == 201, response.json()
    client_id = response.json()["id"]
    response = caller.patch(f"clients/{client_id}", {"email": "bo@example.com"})
    assert response.status_code == 200
    stored = Client.objects.get(pk=client_id)
    assert (stored.email, stored.do_not_call, stored.first_name) == ("bo@example.com", True, "Bo")
    response = caller.put(f"clients/{client_id}", {"last_name": "Lind"})
    assert response.status_code == 200
    stored.refresh_from_db()
    assert (stored.first_name, stored.email, stored.do_not_call) == ("", "", False)


def test_texts_allowed_is_set_and_read_through_the_api(api, db):
    caller = api("staff")
    response = caller.post("clients", {"last_name": "Lind", "mobile": "+1 847 555 0142"})
    assert response.status_code == 201 and response.json()["sms_consent"] is False
    client_id = response.json()["id"]
    response = caller.patch(f"clients/{client_id}", {"sms_consent": True})
    assert response.status_code == 200 and response.json()["sms_consent"] is True
    assert Client.objects.get(pk=client_id).sms_consent
    caller.put(f"clients/{client_id}", {"last_name": "Lind"})
    assert not Client.objects.get(pk=client_id).sms_consent  # PUT: what is left out is default


def test_clients_are_searched_sorted_and_paged(api, db):
    for i in range(5):
        ClientFactory(last_name=f"Moss{i}", first_name="Lee", phone=f"555-010{i}")
    ClientFactory(last_name="Abbott", first_name="Cy", email="cy@x.org")
    caller = api("readonly")
    assert [c["last_name"] for c in caller.get("clients", search="cy@x").json()["results"]] == [
        "Abbott"
    ]
    assert [c["last_name"] for c in caller.get("clients", search="555-0103").json()["results"]] == [
        "Moss3"
    ]
    page = caller.get("clients", sort="-name", limit=4).json()
    assert [c["last_name"] for c in page["results"]] == ["Moss4", "Moss3", "Moss2", "Moss1"]
    assert page["next_cursor"]
    rest = caller.get("clients", sort="-name", limit=4, cursor=page["next_cursor"]).json()
    assert [c["last_name"] for c in rest["results"]] == ["Moss0", "Abbott"]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"first_name": "No last name"}, "last_name"),
        ({"last_name": "Lind", "email": "not-an-email"}, "email: Enter a valid email address."),
        ({"last_name": "x" * 81}, "last_name: Ensure this value has at most 80 characters"),
        ({"last_name": "Lind", "age": 40}, "age"),
        ({"last_name": "Li\x00nd"}, "NUL"),
        ({"last_name": "Lind", "do_not_call": "perhaps"}, "do_not_call"),
        ({"last_name": "Lind", "sms_consent": "maybe"}, "sms_consent"),
    ],
)
def test_bad_clients_are_refused(api, db, unchanged, body, message):
    with unchanged():
        response = api("staff").post("clients", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert message in response.json()["detail"]


def test_client_writes_per_role(api, client_record, unchanged):
    with unchanged():
        assert api("readonly").post("clients", {"last_name": "X"}).status_code == 403
        assert (
            api("readonly").patch(f"clients/{client_record.pk}", {"notes": "x"}).status_code == 403
        )
        assert api("staff").delete(f"clients/{client_record.pk}").status_code == 403
        assert api(None).post("clients", {"last_name": "X"}).status_code == 401
        assert api("staff").patch("clients/999999", {"notes": "x"}).status_code == 404
    assert api("manager").delete(f"clients/{client_record.pk}").status_code == 204
    assert not Client.objects.exists()


def test_a_client_with_sessions_is_not_deleted(api, session_record, unchanged):
    with unchanged():
        response = api("manager").delete(f"clients/{session_record.client_id}")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "“Ana Garcia” can't be deleted: it is used by 1 session.",
        "code": "in_use",
    }


JUNK_BODIES = [
    {},
    [],
    "text",
    None,
    {"client": 2**70, "last_name": "x"},
    {"client": -1, "session_type": 0, "date": "2026-13-40"},
    {"lines": "many"},
    {"lines": [{"item": 2**62, "quantity": 2**62, "price": "1e400"}], "version": 1, "client": 1},
    {"lines": [{"item": 1, "price": "NaN"}], "version": 1},
    {"lines": [{"item": 1, "price": "Infinity", "vendor_override": 2**62}], "client": 1},
    {"version": -1, "notes": ["list"], "delivered_date": 5},
    {"amount": "1e20", "date": "yesterday", "method": "barter"},
    {"last_name": {"nested": True}, "do_not_market": "maybe"},
]
PATHS = [
    "clients",
    "clients/{client}",
    "sessions",
    "sessions/{session}",
    "invoices",
    "invoices/{invoice}",
    "invoices/{invoice}/payments",
    "clients/abc",
    "invoices/0",
    f"invoices/{2**70}",
    f"invoices/{2**70}/payments/{2**70}",
]


def test_no_bad_input_gets_a_500(api, invoice, unchanged):
    caller = api("manager")
    ids = {"client": invoice.client_id, "session": invoice.session_id, "invoice": invoice.pk}
    with unchanged():
        for path in PATHS:
            url = path.format(**ids)
            for params in ({"limit": "x"}, {"cursor": "x"}, {"sort": "\x00"}, {"search": "\x00"}):
                assert caller.get(url, **params).status_code < 500, (url, params)
            for junk in JUNK_BODIES:
                for send in (caller.post, caller.put, caller.patch):
                    response = send(url, junk)
                    assert response.status_code < 500, (send.__name__, url, junk)
                    if response.status_code >= 400:
                        assert {"detail", "code"} <= set(response.json()), (url, junk)
