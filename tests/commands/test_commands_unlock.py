"""``darkroom unlock``: list the paused logins, unlock a username or an address; and the lock-out
settings read from the environment."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client as Browser

from darkroom.studio.logins import login_locks
from darkroom.studio.services import studio_preferences_update
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


def unlock(*args: str) -> str:
    out = io.StringIO()
    call_command("unlock", *args, stdout=out)
    return out.getvalue()


def fail(times: int, username: str, address: str = "127.0.0.1") -> None:
    browser = Browser()
    for _ in range(times):
        browser.post("/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def log_in(username: str, address: str = "127.0.0.1") -> int:
    answer = Browser().post(
        "/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    return answer.status_code


def test_unlock_a_username(people, clock):
    fail(settings.AXES_FAILURE_LIMIT, "staff")
    assert log_in("staff") == 429

    assert unlock("staff") == "Unlocked “staff”: logging in works again now.\n"
    assert log_in("staff") == 302


def test_unlock_an_address(people, clock):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(1, f"guess{n}", address="203.0.113.5")
    assert log_in("manager", address="203.0.113.5") == 429

    assert unlock("--address", "203.0.113.5") == (
        "Unlocked address 203.0.113.5: logging in works again now.\n"
    )
    assert log_in("manager", address="203.0.113.5") == 302


def test_unlock_lists_the_paused_logins_in_the_studios_time(people, clock):
    studio_preferences_update(time_zone="America/New_York")
    assert unlock() == "No logins are paused now.\n"
    fail(settings.AXES_FAILURE_LIMIT, "staff", address="198.51.100.4")

    assert unlock() == (  # 09:15 UTC
        "username  staff  5 wrong passwords, paused until 04:15\n"
        "address   198.51.100.4  5 wrong passwords, paused until 04:15\n"
    )


def test_unlocking_a_login_that_is_not_paused_clears_its_count(people, clock):
    fail(2, "staff")
    assert unlock("staff") == (
        "“staff” was not locked; its count of wrong passwords starts again from zero.\n"
    )
    assert not AccessAttempt.objects.exists()


def test_a_bad_address_is_refused_and_changes_nothing(people, clock):
    fail(settings.AXES_FAILURE_LIMIT, "staff")
    before = login_locks()

    with pytest.raises(CommandError, match=r"^“10\.0\.0” is not an IP address\. Nothing was"):
        unlock("--address", "10.0.0")
    with pytest.raises(CommandError, match=r"not both\. Nothing was unlocked\.$"):
        unlock("staff", "--address", "127.0.0.1")
    assert login_locks() == before


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DARKROOM_LOGIN_FAILURES_LIMIT", "0"),
        ("DARKROOM_LOGIN_FAILURES_LIMIT", "five"),
        ("DARKROOM_LOGIN_COOLOFF_MINUTES", "-3"),
        ("DARKROOM_TRUSTED_PROXIES", "1.5"),
    ],
)
def test_a_bad_lock_out_setting_stops_the_start(run_darkroom, tmp_path, name, value):
    answer = run_darkroom(tmp_path, "check", **{name: value})
    assert answer.returncode == 1
    least = 0 if name == "DARKROOM_TRUSTED_PROXIES" else 1
    assert f"{name} must be a whole number of at least {least}: '{value}'" in answer.stderr


def test_lock_out_settings_come_from_the_environment(run_darkroom, tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.DARKROOM_TRUSTED_PROXIES)"
    )
    answer = run_darkroom(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        DARKROOM_LOGIN_FAILURES_LIMIT="8",
        DARKROOM_LOGIN_COOLOFF_MINUTES="90",
        DARKROOM_TRUSTED_PROXIES="2",
    )
    assert answer.stdout == "8 1:30:00 2\n", answer.stderr
    defaults = run_darkroom(tmp_path, "shell", "--no-imports", "-c", code)
    assert defaults.stdout == "5 0:15:00 0\n", defaults.stderr
