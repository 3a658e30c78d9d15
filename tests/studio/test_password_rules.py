"""The studio's password rules on every way of setting a password: the People pages, the API and
``darkroom createuser``. Each rule refuses with its own message beside the field, and a refused
password changes nothing."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from darkroom.studio.services import PASSWORD_RULES

pytestmark = pytest.mark.django_db
User = get_user_model()

# Each password breaks exactly one rule for a person called "bartholomew".
WEAK = [
    ("short-pw1", "This password is too short. It must contain at least 10 characters."),
    ("password123", "This password is too common."),
    ("8305917264", "This password is entirely numeric."),
    ("bartholomew1", "The password is too similar to the username."),
]
GOOD = "lantern-and-slate"


def people_table():
    return sorted(User.objects.values_list("username", "password", "is_active"))


def test_the_rules_shown_are_the_rules_checked():
    (length,) = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert PASSWORD_RULES.startswith(f"At least {length} characters;")
    assert [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]


@pytest.mark.parametrize(("password", "message"), WEAK, ids=[m for _, m in WEAK])
def test_the_new_person_page_refuses_a_weak_password(web, people, password, message):
    before = people_table()
    answer = web("manager").post(
        "/maintenance/people/new/",
        {
            "username": "bartholomew",
            "role": "staff",
            "password": password,
            "password_confirm": password,
        },
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["password"] == [message]
    assert f'<p class="field-error" id="id_password_error">{message}</p>' in answer.text.replace(
        "&#x27;", "'"
    )
    assert people_table() == before


@pytest.mark.parametrize(("password", "message"), WEAK, ids=[m for _, m in WEAK])
def test_the_person_page_refuses_a_weak_new_password(web, people, password, message):
    person = User.objects.create_user(username="bartholomew", password=GOOD)
    before = people_table()
    answer = web("manager").post(
        f"/maintenance/people/{person.pk}/",
        {"role": "staff", "is_active": "on", "password": password, "password_confirm": password},
    )
    assert answer.status_code == 200
    assert answer.context["form"].errors["password"] == [message]
    assert people_table() == before


def test_the_person_pages_say_the_rules_beside_the_field(web, people):
    page = web("manager").get("/maintenance/people/new/")
    assert f'<small class="help">{PASSWORD_RULES}</small>' in page.text.replace("&#x27;", "'")


@pytest.mark.parametrize(("password", "message"), WEAK, ids=[m for _, m in WEAK])
def test_the_api_refuses_a_weak_password(api, people, password, message):
    before = people_table()
    answer = api("manager").post(
        "users", {"username": "bartholomew", "password": password, "role": "staff"}
    )
    assert answer.status_code == 422
    assert answer.json() == {
        "detail": f"password: {message}",
        "code": "invalid",
        "fields": {"password": [message]},
    }
    assert people_table() == before


@pytest.mark.parametrize(("password", "message"), WEAK, ids=[m for _, m in WEAK])
def test_createuser_refuses_a_weak_password(people, password, message):
    before = people_table()
    with pytest.raises(CommandError) as refused:
        call_command(
            "createuser",
            "bartholomew",
            "--role",
            "staff",
            "--password",
            password,
            stdout=io.StringIO(),
        )
    assert str(refused.value) == f"Password: {message} Nobody was created."
    assert people_table() == before


def test_a_good_password_passes_everywhere(web, api, people):
    assert (
        web("manager")
        .post(
            "/maintenance/people/new/",
            {
                "username": "bartholomew",
                "role": "staff",
                "password": GOOD,
                "password_confirm": GOOD,
            },
        )
        .status_code
        == 302
    )
    assert (
        api("manager")
        .post("users", {"username": "cordelia", "password": GOOD, "role": "staff"})
        .status_code
        == 201
    )
    call_command(
        "createuser", "dorothea", "--role", "staff", "--password", GOOD, stdout=io.StringIO()
    )
    for username in ("bartholomew", "cordelia", "dorothea"):
        assert User.objects.get(username=username).check_password(GOOD)
