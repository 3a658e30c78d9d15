"""Real ``darkroom worker`` processes for tests: the database they share (SQLite in a data
directory of its own, or, when the tests run on PostgreSQL (``DATABASE_URL``), a PostgreSQL
database made for the test from a migrated template), starting and stopping them, and waiting on
conditions (the database polled with a deadline), never for a fixed time.
"""

from __future__ import annotations

import itertools
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.commands.darkroom_process import START_TIMEOUT, darkroom_environment

DEADLINE = 90  # seconds a condition may take, on a loaded machine, before the test fails
TICK = "0.2"  # seconds between the worker's ticks here
_numbers = itertools.count()


def next_database_number() -> int:
    """A number for the next test database copied from the template (unique in this run)."""
    return next(_numbers)


DROP_SQL = "DROP DATABASE IF EXISTS {} WITH (FORCE)"


@dataclass
class WorkerDatabase:
    """The database the worker processes of one test share."""

    data_dir: Path
    url: str | None  # PostgreSQL, else SQLite in data_dir

    def env(self, **extra: str) -> dict[str, str]:
        if self.url:
            extra = {"DATABASE_URL": self.url, **extra}
        return darkroom_environment(self.data_dir, **extra)

    def python(self, script: str) -> str:
        """Run a Django script in its own process against this database; its output."""
        program = "import django; django.setup()\n" + textwrap.dedent(script)
        done = subprocess.run(
            [sys.executable, "-c", program],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def rows(self, sql: str) -> list[tuple]:
        """A plain query, without Django (cheap enough to poll)."""
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                return connection.execute(sql).fetchall()
        connection = sqlite3.connect(self.data_dir / "darkroom.sqlite3", timeout=30)
        try:
            with connection:
                return connection.execute(sql).fetchall()
        finally:
            connection.close()

    def execute(self, sql: str) -> None:
        """A plain statement that returns no rows."""
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                connection.execute(sql)
            return
        connection = sqlite3.connect(self.data_dir / "darkroom.sqlite3", timeout=30)
        try:
            with connection:
                connection.execute(sql)
        finally:
            connection.close()

    def messages(self) -> dict[str, tuple[str, int, str]]:
        """Each message's recipient → (state, attempts, reason)."""
        rows = self.rows('SELECT "to", state, attempts, reason FROM messaging_message')
        return {to: (state, attempts, reason) for to, state, attempts, reason in rows}

    def queue(self, *addresses: str) -> None:
        self.python(
            f"""
            from django.utils import timezone
            from darkroom.messaging.models import Message
            from darkroom.messaging.outbox import message_key, messages_write
            now = timezone.now()
            messages_write(messages=[
                Message(key=message_key("worker-test", to), channel="email", to=to,
                        subject="Your album is ready", body="Hello, it is ready.",
                        next_attempt_at=now, created_at=now)
                for to in {list(addresses)!r}
            ])
            """
        )

    def keys(self) -> dict[str, str]:
        return dict(self.rows('SELECT "to", key FROM messaging_message'))


def postgres_admin(url: str):
    """A connection to the server's ``postgres`` database, to create and drop databases."""
    import psycopg

    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    return psycopg.connect(server, autocommit=True)


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=DEADLINE)


def wait_until(condition: Callable[[], bool], what: str, *workers: WorkerProcess) -> None:
    """Poll ``condition`` until it holds; fail with the workers' output after DEADLINE."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        for worker in workers:
            assert worker.process.poll() is None, f"the worker stopped:\n{worker.output()}"
        if time.monotonic() > deadline:
            logs = "\n".join(worker.output() for worker in workers)
            pytest.fail(f"{what} did not happen within {DEADLINE} s\n{logs}")
        time.sleep(0.1)  # a poll's pace, not a wait for something to be done
