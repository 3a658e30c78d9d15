"""Logins paused after too many wrong passwords: real POSTs to the login page, the clock moved
with time-machine, unlocking by a manager's page, and the API's tokens left alone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.test import Client as Browser
from django.test import RequestFactory

from darkroom.studio.logins import client_address, login_locks, login_unlock
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update
from tests.conftest import PASSWORD, ApiCaller

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
LOCKED_OUT = "/maintenance/people/locked-out/"
UNLOCK = "/maintenance/people/locked-out/unlock/"
NO_MATCH = "That username and password don't match."
PAUSED = "Logging in is paused."


@pytest.fixture
def clock(time_machine):
    """The clock stands still at START until a test moves it."""
    time_machine.move_to(START, tick=False)
    return time_machine


def log_in(browser: Browser, username: str, password: str, address: str = "127.0.0.1"):
    return browser.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def logged_in_as(browser: Browser) -> str | None:
    answer = browser.get("/api/v1/me")
    return answer.json()["username"] if answer.status_code == 200 else None


def fail(times: int, username: str = "staff", address: str = "127.0.0.1") -> None:
    browser = Browser()
    for _ in range(times):
        log_in(browser, username, "not-the-password", address)


def studio_time(moment: dt.datetime) -> str:
    return moment.astimezone(zoneinfo.ZoneInfo(studio_preferences().time_zone)).strftime("%H:%M")


def test_the_limit_pauses_the_login_and_the_page_says_until_when(people, clock):
    studio_preferences_update(time_zone="Europe/Lisbon")
    limit = settings.AXES_FAILURE_LIMIT
    browser = Browser()
    for _ in range(limit - 1):
        answer = log_in(browser, "staff", "not-the-password")
        assert answer.status_code == 200
        assert NO_MATCH in answer.text and PAUSED not in answer.text

    answer = log_in(browser, "staff", "not-the-password")

    assert answer.status_code == 429
    text = answer.text
    assert PAUSED in text and NO_MATCH not in text
    assert "Too many wrong passwords were tried for “staff”" in text
    ends = START + settings.AXES_COOLOFF_TIME
    assert f"until {studio_time(ends)} (about 15\xa0minutes from now)" in text
    assert "A studio manager can unlock it sooner under Maintenance › Locked-out logins" in text
    assert 'value="staff"' in text and "not-the-password" not in text  # username kept, password not

    right = log_in(browser, "staff", PASSWORD)
    assert right.status_code == 429 and PAUSED in right.text
    assert logged_in_as(browser) is None


def test_the_pause_ends_after_the_cool_off_and_retrying_does_not_extend_it(people, clock):
    limit, cool_off = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    fail(limit)
    browser = Browser()

    clock.move_to(START + cool_off - dt.timedelta(minutes=1), tick=False)
    assert log_in(browser, "staff", "still-wrong").status_code == 429
    assert log_in(browser, "staff", PASSWORD).status_code == 429

    clock.move_to(START + cool_off + dt.timedelta(seconds=1), tick=False)
    answer = log_in(browser, "staff", PASSWORD)
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert logged_in_as(browser) == "staff"


def test_other_people_still_log_in_while_one_login_is_paused(people, clock):
    fail(settings.AXES_FAILURE_LIMIT, username="staff", address="10.0.0.7")
    browser = Browser()
    assert log_in(browser, "manager", PASSWORD, address="10.0.0.8").status_code == 302
    assert logged_in_as(browser) == "manager"
    # The username is paused from every address, not only the one that failed.
    assert log_in(Browser(), "staff", PASSWORD, address="10.0.0.9").status_code == 429


def test_an_address_is_paused_across_usernames(people, clock):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(1, username=f"guess{n}", address="203.0.113.5")

    answer = log_in(Browser(), "manager", PASSWORD, address="203.0.113.5")
    assert answer.status_code == 429
    assert "tried from this computer's network address" in answer.text

    elsewhere = Browser()
    assert log_in(elsewhere, "manager", PASSWORD, address="203.0.113.6").status_code == 302
    assert logged_in_as(elsewhere) == "manager"


def test_a_manager_sees_the_paused_logins_and_unlocks_one(people, web, clock):
    fail(settings.AXES_FAILURE_LIMIT, username="staff")
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(1, username=f"guess{n}", address="198.51.100.4")
    manager = web("manager")

    page = manager.get(LOCKED_OUT)
    assert page.status_code == 200
    assert [(lock.kind, lock.value) for lock in page.context["locks"]] == [
        ("username", "staff"),
        ("address", "127.0.0.1"),  # staff's own failures came from here
        ("address", "198.51.100.4"),
    ]
    assert 'aria-label="Unlock username staff"' in page.text
    assert 'aria-label="Unlock address 198.51.100.4"' in page.text
    person = manager.get(f"/maintenance/people/{people['staff'].pk}/")
    assert "This login is paused after 5 wrong passwords" in person.text

    answer = manager.post(UNLOCK, {"username": "staff"})
    assert answer.status_code == 302 and answer["Location"] == LOCKED_OUT
    after = manager.get(LOCKED_OUT)
    assert "Unlocked “staff”: logging in works again now." in after.text
    assert [(lock.kind, lock.value) for lock in after.context["locks"]] == [
        ("address", "198.51.100.4")
    ]
    browser = Browser()
    assert log_in(browser, "staff", PASSWORD).status_code == 302
    assert logged_in_as(browser) == "staff"

    manager.post(UNLOCK, {"address": "198.51.100.4"})
    assert login_locks() == []
    assert log_in(Browser(), "manager", PASSWORD, address="198.51.100.4").status_code == 302


def test_unlocking_from_the_persons_page_returns_there(people, web, clock):
    fail(settings.AXES_FAILURE_LIMIT, username="staff")
    page = f"/maintenance/people/{people['staff'].pk}/"

    answer = web("manager").post(UNLOCK, {"username": "staff", "next": page})

    assert answer.status_code == 302 and answer["Location"] == page
    assert login_locks() == []


def test_a_bad_unlock_is_refused_and_changes_nothing(people, web, clock):
    fail(settings.AXES_FAILURE_LIMIT, username="staff")
    manager = web("manager")
    before = list(AccessAttempt.objects.values_list("username", "failures_since_start"))

    for body, message in [
        ({"address": "not-an-address"}, "“not-an-address” is not an IP address."),
        ({}, "Name either a username or an address to unlock, not both."),
        ({"username": "staff", "address": "127.0.0.1"}, "not both"),
    ]:
        answer = manager.post(UNLOCK, body, follow=True)
        assert answer.status_code == 200
        assert message in answer.text
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == before


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_only_managers_see_and_unlock_paused_logins(people, web, clock, role):
    fail(settings.AXES_FAILURE_LIMIT, username="manager")
    before = AccessAttempt.objects.count()
    caller = web(role)

    assert caller.get(LOCKED_OUT).status_code == 403
    assert caller.post(UNLOCK, {"username": "manager"}).status_code == 403
    assert "Locked-out logins" not in caller.get("/maintenance/").text
    assert AccessAttempt.objects.count() == before
    assert "Locked-out logins" in web("manager").get("/maintenance/").text


def test_anonymous_people_are_sent_to_log_in(people, clock):
    fail(settings.AXES_FAILURE_LIMIT, username="staff")
    answer = Browser().post(UNLOCK, {"username": "staff"})
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")
    assert len(login_locks()) == 2


def test_unlock_needs_a_post(people, web):
    assert web("manager").get(UNLOCK).status_code == 405


def test_a_paused_login_keeps_its_api_token(people, api, clock):
    """The pause is about guessing passwords; a token is not a password and is not paused."""
    fail(settings.AXES_FAILURE_LIMIT, username="staff")
    answer = api("staff").get("me")
    assert answer.status_code == 200 and answer.json()["username"] == "staff"


def test_bad_tokens_answer_401_and_are_not_counted_as_failed_logins(people, api, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        answer = ApiCaller("drk_not-a-token").get("me")
        assert answer.status_code == 401
        assert answer.json() == {
            "detail": "Authentication required: log in, or send 'Authorization: Bearer <token>'.",
            "code": "not_authenticated",
        }
    assert AccessAttempt.objects.count() == 0
    assert log_in(Browser(), "manager", PASSWORD).status_code == 302


def test_behind_trusted_proxies_the_forwarded_client_is_counted(people, settings, clock):
    settings.DARKROOM_TRUSTED_PROXIES = 1
    browser = Browser()
    for n in range(settings.AXES_FAILURE_LIMIT):
        browser.post(
            "/login/",
            {"username": f"guess{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",  # forged left part changes
        )
    assert [(lock.kind, lock.value) for lock in login_locks()] == [("address", "203.0.113.9")]
    # Another client behind the same proxy is not paused.
    answer = browser.post(
        "/login/",
        {"username": "manager", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert answer.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy trusted: the header is the client's to forge
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "192.0.2.1, 203.0.113.9", "203.0.113.9"),
        (2, "192.0.2.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: not through them
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.DARKROOM_TRUSTED_PROXIES = proxies
    request = RequestFactory().post(
        "/login/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_login_unlock_service_counts_what_it_forgot(people, clock):
    fail(2, username="staff", address="10.0.0.1")
    fail(2, username="staff", address="10.0.0.2")
    fail(1, username="manager", address="10.0.0.1")

    assert login_unlock(unlocked_by=people["manager"], username="staff") == 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["manager"]
    assert login_unlock(unlocked_by=None, address="10.0.0.1") == 1
    assert not AccessAttempt.objects.exists()


def test_the_test_clients_ways_of_logging_in_still_work(people):
    """force_login never asks the backends; client.login must hand axes a request."""
    browser = Browser()
    browser.force_login(people["staff"])
    assert logged_in_as(browser) == "staff"

    browser = Browser()
    assert browser.login(request=HttpRequest(), username="manager", password=PASSWORD)
    assert logged_in_as(browser) == "manager"
    with pytest.raises(AxesBackendRequestParameterRequired):
        Browser().login(username="manager", password=PASSWORD)
