"""Benchmark the outbox: emails delivered per second by one worker loop, against raw SMTP.

Why: a studio's morning can queue hundreds of reminders at once (every firing due at opening
time), and the worker delivers them in batches. Each message costs more than its SMTP
conversation: the claim (a short transaction marking a batch ``sending``), the rendering of the
email with its Message-ID, and the record of the outcome (a conditional UPDATE and an attempt
row, one transaction per message). The floor is the SMTP conversation alone: the same number
of prepared emails sent by ``smtplib`` over one connection. The outbox keeps one connection
open per batch too; opening one per email would cost more than the email.

Inputs: throwaway databases (SQLite, and PostgreSQL when reachable: see ``throwaway.py``), an
aiosmtpd server on loopback in a process of its own, MESSAGES emails queued before each run
(untimed). A run is ``outbox_deliver()`` called until it finds nothing due, as the worker's
tick does; figures are the median of REPEATS runs, alternated with the floor's.
"""

from __future__ import annotations

import smtplib
import socket
import statistics
import subprocess
import sys
import time

import throwaway

TARGET_PER_SECOND = 200  # emails per second on SQLite, one worker
MESSAGES = throwaway.size(400, smoke=10)  # two of the worker's batches of 200
REPEATS = throwaway.size(5, smoke=1)


# The mail server runs in a process of its own, as a real one would: in this process it would
# take turns with the sender for the interpreter's lock and slow both sides unevenly.
SERVER = """
import sys
from aiosmtpd.controller import Controller

class Counter:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Counter.received += 1
        return "250 OK"

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]), ready_timeout=30)
controller.start()
print("ready", flush=True)
sys.stdin.read()  # until the benchmark closes it
controller.stop()
print(Counter.received, flush=True)
"""


def _server() -> tuple[subprocess.Popen[str], int]:
    """The SMTP server on loopback (Controller(port=0) fails: a free port is picked first)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    return server, port


def _received(server: subprocess.Popen[str]) -> int:
    """Stop the server; how many emails it received."""
    output, _ = server.communicate(timeout=60)
    return int(output.split()[-1])


def _queue(run: int) -> None:
    """Untimed, before each run: MESSAGES emails due now, as a firing writes them."""
    from django.utils import timezone

    from darkroom.messaging.models import Message
    from darkroom.messaging.outbox import message_key, messages_write

    now = timezone.now()
    messages_write(
        messages=[
            Message(
                key=message_key("bench", run, n),
                channel="email",
                to=f"client{n}@example.com",
                to_name=f"Client {n}",
                subject="Your album is ready",
                body="Hello,\n\nYour album is ready for pickup at the studio.\n\nLumen Studio",
                next_attempt_at=now,
                created_at=now,
            )
            for n in range(MESSAGES)
        ]
    )


def _deliver_all() -> int:
    from darkroom.messaging.outbox import outbox_deliver

    delivered = 0
    while attempted := outbox_deliver():
        delivered += attempted
    return delivered


def _raw_smtp(port: int) -> None:
    """The floor: MESSAGES prepared emails over one smtplib connection."""
    from django.core.mail import EmailMessage

    emails = [
        EmailMessage(
            subject="Your album is ready",
            body="Hello,\n\nYour album is ready for pickup at the studio.\n\nLumen Studio",
            from_email="Lumen Studio <hello@lumen.example>",
            to=[f"Client {n} <client{n}@example.com>"],
            headers={"Message-ID": f"<raw-{n}@lumen.example>"},
        )
        .message()
        .as_bytes(linesep="\r\n")
        for n in range(MESSAGES)
    ]
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as connection:
        for n, data in enumerate(emails):
            connection.sendmail("hello@lumen.example", [f"client{n}@example.com"], data)


def measure() -> None:
    from django.conf import settings

    from darkroom.messaging.models import Message
    from darkroom.studio.models import StudioPreferences

    StudioPreferences.objects.update_or_create(
        pk=1, defaults={"name": "Lumen Studio", "email": "hello@lumen.example"}
    )
    server, port = _server()
    settings.DARKROOM_EMAIL_URL = f"smtp://127.0.0.1:{port}"
    try:
        outbox: list[float] = []
        floor: list[float] = []
        for run in range(REPEATS):
            prepare = lambda _, run=run: _queue(run)  # noqa: E731 (each run its own keys)
            outbox.extend(throwaway.time_runs(_deliver_all, repeats=1, prepare=prepare).seconds)
            assert Message.objects.exclude(state="sent").count() == 0
            start = time.perf_counter()
            _raw_smtp(port)
            floor.append(time.perf_counter() - start)
    finally:
        received = _received(server)
    assert received == 2 * REPEATS * MESSAGES, received

    print(f"{throwaway.engine()}: {MESSAGES} emails a run, median of {REPEATS}")
    rate = MESSAGES / statistics.median(outbox)
    floor_rate = MESSAGES / statistics.median(floor)
    within = rate >= TARGET_PER_SECOND
    from django.db import connection

    if throwaway.SMOKE:
        target = "smoke run: too small to compare"
    elif connection.vendor == "sqlite":
        target = f"target >= {TARGET_PER_SECOND}/s: {'met' if within else 'MISSED'}"
    else:
        target = f"SQLite's target >= {TARGET_PER_SECOND}/s: {'within' if within else 'beyond'}"
    print(f"  {'outbox_deliver (claim, SMTP, record)':<44} {rate:>7,.0f} emails/s  ({target})")
    print(f"  {'floor: raw smtplib, one connection':<44} {floor_rate:>7,.0f} emails/s")
    runs = ", ".join(f"{s:.2f}" for s in outbox)
    floors = ", ".join(f"{s:.2f}" for s in floor)
    print(f"  runs: {runs} s; floor: {floors} s")
    print(f"  -> the outbox costs {floor_rate / rate:.1f}x the SMTP conversation alone")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=600)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
