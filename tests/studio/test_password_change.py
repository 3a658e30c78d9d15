"""Change your own password: every role may, with the current password and the studio's rules;
a refused change changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as Browser

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()
PAGE = "/account/password/"
NEW = "lantern-and-slate"


def change(browser: Browser, current: str, new: str, again: str | None = None):
    return browser.post(
        PAGE,
        {
            "current_password": current,
            "new_password": new,
            "new_password_confirm": new if again is None else again,
        },
    )


def password_hashes() -> list[tuple[str, str]]:
    return sorted(User.objects.values_list("username", "password"))


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_everyone_changes_their_own_password_and_stays_logged_in(people, web, role):
    browser = web(role)
    assert 'href="/account/password/">Change password</a>' in browser.get("/").text

    answer = change(browser, PASSWORD, NEW)

    assert answer.status_code == 302 and answer["Location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200
    assert "Your password is changed. Use the new one next time." in home.text
    person = User.objects.get(username=role)
    assert person.check_password(NEW) and not person.check_password(PASSWORD)


def test_other_browsers_are_logged_out(people, web):
    elsewhere = web("staff")
    change(web("staff"), PASSWORD, NEW)
    assert elsewhere.get("/").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "again", "field", "message"),
    [
        ("wrong-password", NEW, None, "current_password", "That is not your current password."),
        (PASSWORD, NEW, "lantern-and-slab", "new_password_confirm", "not the same"),
        (PASSWORD, PASSWORD, None, "new_password", "the same as the current one"),
        (PASSWORD, "short-pw1", None, "new_password", "It must contain at least 10 characters."),
        (PASSWORD, "password123", None, "new_password", "This password is too common."),
        (PASSWORD, "8305917264", None, "new_password", "This password is entirely numeric."),
        (PASSWORD, "readonly12", None, "new_password", "too similar to the username"),
        (PASSWORD, "", None, "new_password", "This field is required."),
    ],
)
def test_a_refused_change_says_why_beside_the_field(
    people, web, current, new, again, field, message
):
    before = password_hashes()
    answer = change(web("readonly"), current, new, again)
    assert answer.status_code == 200
    errors = " ".join(answer.context["form"].errors[field])
    assert message in errors
    assert f'<p class="field-error" id="id_{field}_error">' in answer.text
    assert password_hashes() == before


def test_anonymous_people_are_sent_to_log_in(people):
    before = password_hashes()
    answer = change(Browser(), PASSWORD, NEW)
    assert answer.status_code == 302 and answer["Location"] == f"/login/?next={PAGE}"
    assert password_hashes() == before
