"""``darkroom createuser``: each role, the password prompt, and refusals that create nobody."""

from __future__ import annotations

import io
import os
import select
import sqlite3
import subprocess
import time

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command

from darkroom.studio.roles import Role, role_of
from tests.commands.darkroom_process import START_TIMEOUT, darkroom_argv, darkroom_environment

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "silver-gelatin-42"


def create(*args: str, **options) -> str:
    out = io.StringIO()
    call_command("createuser", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.mark.parametrize("role", list(Role))
def test_createuser_gives_each_role(role):
    output = create(
        "alice",
        "--role",
        role.value,
        "--password",
        GOOD_PASSWORD,
        "--first-name",
        "Alice",
        "--last-name",
        "Moreno",
        "--email",
        "alice@example.com",
    )

    alice = User.objects.get(username="alice")
    assert role_of(alice) == role
    assert alice.check_password(GOOD_PASSWORD)
    assert (alice.first_name, alice.last_name, alice.email) == (
        "Alice",
        "Moreno",
        "alice@example.com",
    )
    assert f"Created alice ({role.label})" in output


def test_createuser_without_password_or_terminal_creates_nobody():
    with pytest.raises(CommandError, match="pass --password"):
        create("alice", "--role", "staff", stdin=io.StringIO())
    assert not User.objects.exists()


def test_createuser_refuses_a_taken_username(people):
    before = list(User.objects.values_list("username", "password").order_by("username"))

    with pytest.raises(CommandError, match="already exists"):
        create("staff", "--role", "manager", "--password", GOOD_PASSWORD)

    after = list(User.objects.values_list("username", "password").order_by("username"))
    assert after == before
    assert role_of(people["staff"]) == Role.STAFF


def test_createuser_refuses_a_weak_password():
    with pytest.raises(CommandError, match=r"too short.*Nobody was created"):
        create("alice", "--role", "staff", "--password", "short")
    assert not User.objects.exists()


def test_createuser_refuses_an_unknown_role():
    with pytest.raises(CommandError, match="invalid choice: 'boss'"):
        create("alice", "--role", "boss", "--password", GOOD_PASSWORD)
    assert not User.objects.exists()


def test_createuser_exit_statuses_on_the_command_line(run_darkroom, migrated_data_dir):
    weak = run_darkroom(migrated_data_dir, "createuser", "bo", "--role", "staff", "--password", "x")
    assert weak.returncode == 1
    assert "too short" in weak.stderr
    assert weak.stdout == ""

    unknown_role = run_darkroom(migrated_data_dir, "createuser", "bo", "--role", "boss")
    assert unknown_role.returncode == 2
    assert "invalid choice: 'boss'" in unknown_role.stderr
    assert _password_hash(migrated_data_dir, "bo") is None


def _password_hash(data_dir, username: str) -> str | None:
    with sqlite3.connect(data_dir / "darkroom.sqlite3") as db:
        row = db.execute("SELECT password FROM auth_user WHERE username = ?", [username]).fetchone()
    return row[0] if row else None


class Terminal:
    """The far side of a pseudo-terminal: what a person at the keyboard sees and types."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.screen = ""

    def expect(self, text: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.screen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {text!r}; the screen shows {self.screen!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the process closed the terminal
                    chunk = b""
                assert chunk, f"the terminal closed before {text!r}; it shows {self.screen!r}"
                self.screen += chunk.decode(errors="replace")

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\n")


def test_createuser_asks_twice_at_a_terminal_without_echo(migrated_data_dir, settings):
    keyboard, terminal = os.openpty()
    process = subprocess.Popen(
        darkroom_argv("createuser", "pat", "--role", "readonly"),
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=darkroom_environment(migrated_data_dir),
        start_new_session=True,  # no controlling terminal: getpass uses the one on stdin
    )
    os.close(terminal)
    screen = Terminal(keyboard)
    try:
        screen.expect("Password for pat: ")
        screen.type(GOOD_PASSWORD)
        screen.expect("The same password again: ")
        screen.type(GOOD_PASSWORD)
        screen.expect("Created pat (Read-only)")
        assert process.wait(timeout=START_TIMEOUT) == 0
    finally:
        process.kill()
        process.wait()
        os.close(keyboard)

    assert GOOD_PASSWORD not in screen.screen
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # what the process used
    stored = _password_hash(migrated_data_dir, "pat")
    assert stored is not None and check_password(GOOD_PASSWORD, stored)
