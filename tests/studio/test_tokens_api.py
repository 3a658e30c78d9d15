"""API tokens through the API: each person lists, makes (logged in) and revokes their own;
managers list and revoke anyone's; an expired, revoked or unknown token gets the same 401."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.test import Client as WebClient

from darkroom.studio.models import ApiToken
from darkroom.studio.services import api_token_issue, studio_preferences_update
from tests import factories as f
from tests.conftest import ApiCaller

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
NOT_AUTHENTICATED = {
    "detail": "Authentication required: log in, or send 'Authorization: Bearer <token>'.",
    "code": "not_authenticated",
}
NOT_FOUND = {"detail": "Not found.", "code": "not_found"}


def bearer(secret: str) -> ApiCaller:
    return ApiCaller(secret)


def logged_in(person) -> WebClient:
    """A browser that logged in and holds its CSRF cookie, as a page would."""
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(person)
    assert browser.get("/account/tokens/").status_code == 200
    return browser


def make_over_session(browser: WebClient, body) -> object:
    return browser.post(
        "/api/v1/tokens",
        json.dumps(body),
        content_type="application/json",
        headers={"X-CSRFToken": browser.cookies["csrftoken"].value},
    )


def stored_tokens():
    return list(ApiToken.objects.order_by("pk").values())


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_everyone_lists_their_own_tokens_only(people, role):
    with time_machine.travel(NOON, tick=False):
        mine, secret = api_token_issue(user=people[role], name="Lab sync")
    for other in ("readonly", "staff", "manager"):
        if other != role:
            api_token_issue(user=people[other], name=f"{other}'s")
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        response = bearer(secret).get("tokens")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "results": [
            {
                "id": mine.pk,
                "name": "Lab sync",
                "key_prefix": secret[:12],
                "user": {"id": people[role].pk, "name": people[role].get_full_name() or role},
                "created_at": "2026-12-05T12:00:00Z",
                "last_used_at": "2026-12-05T12:05:00Z",
                "expires_at": None,
                "revoked_at": None,
                "revoked_by": None,
                "state": "active",
            }
        ],
        "next_cursor": None,
    }


def test_the_list_pages_and_filters_by_state(people):
    staff = people["staff"]
    with time_machine.travel(NOON, tick=False):
        old, _ = api_token_issue(user=staff, name="Old", expires_at=NOON + dt.timedelta(hours=1))
    with time_machine.travel(NOON + dt.timedelta(minutes=1), tick=False):
        live, secret = api_token_issue(user=staff, name="Live")
    caller = bearer(secret)
    with time_machine.travel(NOON + dt.timedelta(hours=2), tick=False):
        first = caller.get("tokens", limit=1).json()
        second = caller.get("tokens", limit=1, cursor=first["next_cursor"]).json()
        expired = caller.get("tokens", state="expired").json()
    assert ([t["id"] for t in first["results"]], bool(first["next_cursor"])) == ([live.pk], True)
    assert ([t["id"] for t in second["results"]], second["next_cursor"]) == ([old.pk], None)
    assert [(t["id"], t["state"]) for t in expired["results"]] == [(old.pk, "expired")]


def test_a_manager_lists_anyones_tokens(api, people):
    theirs, _ = api_token_issue(user=people["staff"], name="Lab sync")
    response = api("manager").get("tokens", user=people["staff"].pk)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["results"]] == [theirs.pk]


@pytest.mark.parametrize("role", ["readonly", "staff"])
def test_others_cannot_list_someone_elses_tokens(api, people, role):
    api_token_issue(user=people["manager"], name="Mine")
    response = api(role).get("tokens", user=people["manager"].pk)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Only a manager can see other people's tokens.",
        "code": "permission_denied",
    }


def test_listing_the_tokens_of_nobody_is_not_found(api):
    response = api("manager").get("tokens", user=987654)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
@time_machine.travel(NOON, tick=False)
def test_everyone_makes_their_own_token_logged_in_and_sees_the_secret_once(people, role):
    studio_preferences_update(time_zone="Europe/Paris")
    browser = logged_in(people[role])
    response = make_over_session(
        browser, {"name": "Lab sync", "expires_at": "2027-01-01T00:00:00+01:00"}
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    stored = ApiToken.objects.get()
    secret = answer.pop("token")
    assert answer == {
        "id": stored.pk,
        "name": "Lab sync",
        "key_prefix": secret[:12],
        "user": {"id": people[role].pk, "name": people[role].get_full_name()},
        "created_at": "2026-12-05T12:00:00Z",
        "last_used_at": None,
        "expires_at": "2026-12-31T23:00:00Z",
        "revoked_at": None,
        "revoked_by": None,
        "state": "active",
    }
    assert stored.user == people[role]
    assert stored.expires_at == dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC)
    # The secret works, and is never shown again.
    listed = bearer(secret).get("tokens").json()["results"]
    assert [t["id"] for t in listed] == [stored.pk]
    assert secret not in json.dumps(listed)
    assert "token" not in listed[0]


@time_machine.travel(NOON, tick=False)
def test_an_expiry_without_an_offset_or_a_date_alone_is_read_in_the_studios_time_zone(people):
    studio_preferences_update(time_zone="America/New_York")
    browser = logged_in(people["staff"])
    day = make_over_session(browser, {"name": "A", "expires_at": "2027-01-01"})
    moment = make_over_session(browser, {"name": "B", "expires_at": "2027-01-01T09:30:00"})
    assert (day.status_code, moment.status_code) == (201, 201)
    new_york = zoneinfo.ZoneInfo("America/New_York")
    assert ApiToken.objects.get(name="A").expires_at == dt.datetime(2027, 1, 1, tzinfo=new_york)
    assert ApiToken.objects.get(name="B").expires_at == dt.datetime(
        2027, 1, 1, 9, 30, tzinfo=new_york
    )


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        (
            {"name": "  "},
            422,
            {
                "detail": "name: Give the token a name that says what it is for.",
                "code": "invalid",
                "fields": {"name": ["Give the token a name that says what it is for."]},
            },
        ),
        (
            {"name": "Lab", "expires_at": "2026-12-05T11:59:59Z"},
            422,
            {
                "detail": "expires_at: The expiry must be in the future.",
                "code": "invalid",
                "fields": {"expires_at": ["The expiry must be in the future."]},
            },
        ),
    ],
)
@time_machine.travel(NOON, tick=False)
def test_a_bad_new_token_is_refused_and_nothing_is_made(people, body, status, answer):
    response = make_over_session(logged_in(people["staff"]), body)
    assert response.status_code == status
    assert response.json() == answer
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, ["body", "payload", "name"]),
        ({"name": "x" * 81}, ["body", "payload", "name"]),
        ({"name": "Lab", "expires_at": "soon"}, ["body", "payload", "expires_at"]),
        ({"name": "Lab", "user": 1}, ["body", "payload", "user"]),
    ],
)
def test_a_new_token_with_a_bad_body_is_refused_by_its_schema(people, body, field):
    response = make_over_session(logged_in(people["staff"]), body)
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "invalid"
    assert [e["loc"] for e in answer["errors"]] == [field]
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
@time_machine.travel(NOON, tick=False)
def test_a_token_cannot_make_tokens(api, people, role):
    caller = api(role)
    caller.get("me")  # the token's use is noted before: what follows must change nothing
    before = stored_tokens()
    response = caller.post("tokens", {"name": "Successor"})
    assert response.status_code == 403
    assert response.json() == {
        "detail": "A token can't make tokens: log in to Darkroom and make one on the API tokens "
        "page, or ask a manager to run `darkroom token`.",
        "code": "permission_denied",
    }
    assert stored_tokens() == before


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer drk_nobody-holds-this"}])
def test_making_a_token_without_logging_in_or_with_an_unknown_token_is_401(db, headers):
    response = WebClient(enforce_csrf_checks=True).post(
        "/api/v1/tokens", "{}", content_type="application/json", headers=headers
    )
    assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_everyone_revokes_their_own_token_and_it_stops_at_once(people, role):
    token, secret = api_token_issue(user=people[role], name="Lab sync")
    _, other = api_token_issue(user=people[role], name="Still mine")
    caller = bearer(secret)
    assert caller.get("tokens").status_code == 200
    with time_machine.travel(NOON, tick=False):
        response = bearer(other).delete(f"tokens/{token.pk}")
    assert (response.status_code, response.content) == (204, b"")
    assert caller.get("tokens").json() == NOT_AUTHENTICATED
    assert caller.get("tokens").status_code == 401
    token.refresh_from_db()
    assert (token.revoked_at, token.revoked_by) == (NOON, people[role])
    # Revoking it again changes nothing.
    assert bearer(other).delete(f"tokens/{token.pk}").status_code == 204
    token.refresh_from_db()
    assert token.revoked_at == NOON


def test_a_token_may_revoke_itself(people):
    token, secret = api_token_issue(user=people["readonly"], name="Rotating")
    assert bearer(secret).delete(f"tokens/{token.pk}").status_code == 204
    assert bearer(secret).get("me").status_code == 401


def test_a_manager_revokes_anyones_token(api, people):
    theirs, secret = api_token_issue(user=people["staff"], name="Lab sync")
    response = api("manager").delete(f"tokens/{theirs.pk}")
    assert response.status_code == 204
    assert bearer(secret).get("me").status_code == 401
    theirs.refresh_from_db()
    assert theirs.revoked_by == people["manager"]


@pytest.mark.parametrize(("role", "owner"), [("staff", "readonly"), ("readonly", "manager")])
def test_others_cannot_revoke_someone_elses_token_which_looks_missing(api, people, role, owner):
    theirs, secret = api_token_issue(user=people[owner], name="Theirs")
    before = stored_tokens()
    response = api(role).delete(f"tokens/{theirs.pk}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    after = [t for t in stored_tokens() if t["id"] != ApiToken.objects.order_by("pk").last().pk]
    assert after == before
    assert bearer(secret).get("me").status_code == 200


@pytest.mark.parametrize("token_id", [0, 987654, 2**63])
def test_revoking_a_token_that_does_not_exist_is_not_found(api, token_id):
    response = api("manager").delete(f"tokens/{token_id}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_expired_revoked_and_unknown_tokens_get_the_same_401(people):
    with time_machine.travel(NOON, tick=False):
        _, expired = api_token_issue(
            user=people["staff"], name="Short", expires_at=NOON + dt.timedelta(hours=1)
        )
    revoked_token, revoked = api_token_issue(user=people["staff"], name="Cut")
    bearer(revoked).delete(f"tokens/{revoked_token.pk}")
    with time_machine.travel(NOON + dt.timedelta(minutes=59), tick=False):
        assert bearer(expired).get("me").status_code == 200
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        for secret in (expired, revoked, "drk_" + "x" * 43):
            response = bearer(secret).get("me")
            assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)


def test_deactivated_then_reactivated_person_keeps_dead_tokens_over_the_api(api, people):
    _, secret = api_token_issue(user=people["staff"], name="Lab sync")
    manager = api("manager")
    assert manager.patch(f"users/{people['staff'].pk}", {"is_active": False}).status_code == 200
    assert bearer(secret).get("me").status_code == 401
    assert manager.patch(f"users/{people['staff'].pk}", {"is_active": True}).status_code == 200
    assert bearer(secret).get("me").status_code == 401
    listed = manager.get("tokens", user=people["staff"].pk).json()["results"]
    assert [(t["state"], t["revoked_by"]["id"]) for t in listed] == [
        ("revoked", people["manager"].pk)
    ]


def test_someone_without_a_role_cannot_manage_their_tokens(db):
    nobody = f.UserFactory(username="nobody")
    token, secret = api_token_issue(user=nobody, name="Lab")
    caller = bearer(secret)
    for response in (caller.get("tokens"), caller.delete(f"tokens/{token.pk}")):
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    token.refresh_from_db()
    assert token.revoked_at is None
