"""The "API tokens" page of each person, and the tokens panel managers see on a person's page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client as WebClient

from darkroom.studio.models import ApiToken
from darkroom.studio.services import api_token_expiry, api_token_issue, api_token_user
from tests import factories as f

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
PAGE = "/account/tokens/"


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_every_role_sees_its_own_tokens_only(web, people, role):
    mine, secret = api_token_issue(user=people[role], name="Lab sync")
    for other in ("readonly", "staff", "manager"):
        if other != role:
            api_token_issue(user=people[other], name=f"Token of {other}")
    browser = web(role)
    response = browser.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/account/tokens/" aria-current="page">API tokens</a>' in html
    assert "Lab sync" in html and mine.key_prefix + "…" in html
    assert "Token of" not in html
    assert secret not in html
    assert f'action="/account/tokens/{mine.pk}/revoke/"' in html
    assert 'data-confirm="Revoke the token “Lab sync”?' in html
    # Every page links to it from the user menu.
    assert 'href="/account/tokens/"' in browser.get("/").content.decode()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(PAGE)
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/account/tokens/")


def test_someone_without_a_role_is_refused(db):
    browser = WebClient()
    browser.force_login(f.UserFactory(username="nobody"))
    assert browser.get(PAGE).status_code == 403
    assert browser.post(PAGE, {"name": "Lab"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert 'href="/account/tokens/"' not in browser.get("/").content.decode()


@time_machine.travel(NOON, tick=False)
def test_making_a_token_shows_its_secret_once(web, people):
    browser = web("readonly")
    response = browser.post(PAGE, {"name": "Read-only export", "expires_on": "2027-01-01"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    stored = ApiToken.objects.get()
    assert (stored.user, stored.name) == (people["readonly"], "Read-only export")
    assert stored.expires_at == api_token_expiry(dt.date(2027, 1, 1))
    html = response.content.decode()
    secret = html.split('id="new-token" type="text" value="')[1].split('"')[0]
    assert api_token_user(secret) == people["readonly"]
    assert "this is the only time it is shown" in html
    assert 'data-copy="#new-token"' in html
    # The form is empty again, and the next visit does not show the secret.
    assert 'value="Read-only export"' not in html
    again = browser.get(PAGE).content.decode()
    assert secret not in again and stored.key_prefix in again


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"name": ""}, "name", "Give the token a name that says what it is for."),
        ({"name": "x" * 81}, "name", "Ensure this value has at most 80 characters (it has 81)."),
        ({"name": "Lab", "expires_on": "2026-12-05"}, "expires_on", "Choose a day after today."),
        ({"name": "Lab", "expires_on": "soon"}, "expires_on", "Write the date as 2027-01-01."),
    ],
)
@time_machine.travel(NOON, tick=False)
def test_a_bad_form_says_why_beside_the_field_and_makes_nothing(web, form, field, message):
    response = web("staff").post(PAGE, form)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert f'<p class="field-error" id="id_{field}_error">{message}</p>' in (
        response.content.decode()
    )
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", ["readonly", "staff", "manager"])
def test_the_revoke_button_revokes_your_own_token_at_once(web, people, role):
    token, secret = api_token_issue(user=people[role], name="Lab sync")
    browser = web(role)
    response = browser.post(f"/account/tokens/{token.pk}/revoke/", {"next": PAGE}, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Revoked the token “Lab sync”." in response.content.decode()
    assert api_token_user(secret) is None
    token.refresh_from_db()
    assert token.revoked_by == people[role]
    assert list(response.context["active_tokens"]) == []
    assert list(response.context["past_tokens"]) == [token]


@pytest.mark.parametrize(("role", "owner"), [("staff", "readonly"), ("readonly", "manager")])
def test_nobody_but_a_manager_revokes_someone_elses_token(web, people, role, owner):
    token, secret = api_token_issue(user=people[owner], name="Theirs")
    response = web(role).post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert api_token_user(secret) == people[owner]


def test_revoke_needs_a_post(web, people):
    token, _ = api_token_issue(user=people["staff"], name="Lab")
    assert web("staff").get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_returns_only_to_one_of_our_pages(web, people):
    token, _ = api_token_issue(user=people["staff"], name="Lab")
    response = web("staff").post(
        f"/account/tokens/{token.pk}/revoke/", {"next": "https://elsewhere.example/"}
    )
    assert (response.status_code, response["Location"]) == (302, PAGE)


def test_a_manager_sees_and_revokes_a_persons_tokens_on_their_page(web, people):
    staff = people["staff"]
    token, secret = api_token_issue(user=staff, name="Lab sync")
    api_token_issue(user=people["readonly"], name="Someone else's")
    browser = web("manager")
    person_page = f"/maintenance/people/{staff.pk}/"
    html = browser.get(person_page).content.decode()
    assert '<h2 id="tokens-heading">API tokens</h2>' in html
    assert "Lab sync" in html and token.key_prefix in html
    assert "Someone else's" not in html

    response = browser.post(
        f"/account/tokens/{token.pk}/revoke/", {"next": person_page}, follow=True
    )
    assert response.redirect_chain == [(person_page, 302)]
    assert api_token_user(secret) is None
    token.refresh_from_db()
    assert token.revoked_by == people["manager"]
    assert "revoked</span>" in response.content.decode()


@pytest.mark.parametrize("role", ["readonly", "staff"])
def test_other_roles_do_not_see_a_persons_tokens(web, people, role):
    api_token_issue(user=people["manager"], name="Lab sync")
    response = web(role).get(f"/maintenance/people/{people['manager'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "tokens-heading" not in html and "Lab sync" not in html


def test_deactivating_on_the_person_page_revokes_their_tokens(web, people):
    staff = people["staff"]
    _, secret = api_token_issue(user=staff, name="Lab sync")
    form = {
        "first_name": staff.first_name,
        "last_name": "",
        "email": "",
        "role": "staff",
        "is_active": "",
        "password": "",
        "password_confirm": "",
    }
    response = web("manager").post(f"/maintenance/people/{staff.pk}/", form)
    assert response.status_code == 302
    assert not get_user_model().objects.get(pk=staff.pk).is_active
    assert api_token_user(secret) is None
    web("manager").post(f"/maintenance/people/{staff.pk}/", {**form, "is_active": "on"})
    assert get_user_model().objects.get(pk=staff.pk).is_active
    assert api_token_user(secret) is None
