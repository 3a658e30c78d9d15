"""A worker killed mid-delivery loses nothing: ``darkroom worker --batch`` runs as a real
process, is killed (SIGKILL) while the receiver holds its request, and a later run — once the
lease has run out — puts the delivery back and delivers it, with the same ``webhook-id``.

The worker processes work on the test's own database: on PostgreSQL they connect to it; on
SQLite (an in-memory database, one per process) it is copied to a file for them and copied
back afterwards, with SQLite's own backup.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from darkroom.webhooks.models import Delivery, DeliveryAttempt
from darkroom.webhooks.sending import PUT_BACK
from tests.webhooks.conftest import endpoint_for, happened
from tests.webhooks.receiver import WAIT, Answer

LEASE = 60  # seconds: the worker processes' lease
DARKROOM = Path(sys.executable).with_name("darkroom")

# ``darkroom worker --batch`` with the clock moved on by argv[1] seconds (and ticking).
LATER = """
import datetime as dt, sys, time_machine
time_machine.travel(
    dt.datetime.now(dt.UTC) + dt.timedelta(seconds=float(sys.argv[1])), tick=True
).start()
from darkroom.__main__ import main
sys.argv = ["darkroom", "worker", "--batch", "-v0"]
main()
"""


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for a process working on this test's database, for the block."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DARKROOM_")}
    environment.pop("DATABASE_URL", None)
    environment.update(
        DARKROOM_DATA_DIR=str(tmp_path),
        DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES="1",
        DARKROOM_WEBHOOK_LEASE_SECONDS=str(LEASE),
        DARKROOM_WEBHOOK_TIMEOUT_SECONDS="10",
    )
    if connection.vendor == "postgresql":
        server = connection.settings_dict
        user = quote(server.get("USER") or "postgres", safe="")
        password = f":{quote(server['PASSWORD'], safe='')}" if server.get("PASSWORD") else ""
        host, port = server.get("HOST") or "127.0.0.1", server.get("PORT") or 5432
        environment["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{server['NAME']}"
        yield environment
        return
    connection.ensure_connection()
    copy = tmp_path / "darkroom.sqlite3"  # where the processes look (DARKROOM_DATA_DIR)
    with sqlite3.connect(copy) as target:
        connection.connection.backup(target)
    yield environment
    source = sqlite3.connect(copy)
    source.backup(connection.connection)
    source.close()


def worker(environment: dict[str, str], *, later_by: float = 0) -> subprocess.Popen[bytes]:
    command = (
        [sys.executable, "-c", LATER, str(later_by)]
        if later_by
        else [str(DARKROOM), "worker", "--batch", "-v0"]
    )
    return subprocess.Popen(command, env=environment, stderr=subprocess.PIPE)


def finished(process: subprocess.Popen[bytes]) -> None:
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()[-3000:]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_loses_nothing(tmp_path, receiver):
    endpoint = endpoint_for(receiver)
    receiver.answer(Answer(200, hang=True), Answer(200, "thanks"))
    event = happened()

    with shared_database(tmp_path) as environment:
        first = worker(environment)
        assert receiver.hanging.wait(WAIT), "the worker's request never arrived"
        first.send_signal(signal.SIGKILL)  # mid-request: no outcome written
        first.wait(WAIT)
        assert first.returncode == -signal.SIGKILL
        receiver.release.set()

        finished(worker(environment))  # within the lease: it may still be going; left alone
        assert len(receiver.received) == 1

        finished(worker(environment, later_by=LEASE + 5))

    [delivery] = Delivery.objects.filter(event=event)
    assert delivery.endpoint_id == endpoint.pk
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    tries = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [t.outcome for t in tries] == ["retry", "delivered"]
    assert tries[0].excerpt.startswith(PUT_BACK)
    assert tries[1].excerpt == "thanks"
    got = receiver.wait_for(2)
    assert [r.headers["webhook-id"] for r in got] == [f"evt_{event.pk}"] * 2
    assert all(r.verified for r in got)
    assert got[0].body == got[1].body
