"""``darkroom worker`` ticks and delivers the outbox: real worker processes against a real SMTP
server on loopback, with the faults a studio meets — the mail server down, a worker killed in
the middle of a send, refusals, two workers at once, a tick that fails.

The worker's database is SQLite in a data directory of its own, or, when the tests run on
PostgreSQL (``DATABASE_URL``), a PostgreSQL database made for the test from a migrated template.
The test waits on conditions (the mail server's events, or the database polled with a deadline),
never for a fixed time.
"""

from __future__ import annotations

import subprocess

from darkroom.messaging.outbox import BATCH
from tests.commands.darkroom_process import START_TIMEOUT, darkroom_argv
from tests.commands.workers import DEADLINE, WorkerDatabase, WorkerProcess, wait_until
from tests.messaging.loopback import MailServer, free_loopback_port


def states(database: WorkerDatabase) -> set[str]:
    return {state for state, _, _ in database.messages().values()}


def test_a_mail_server_down_then_up_gets_each_message_exactly_once(database, start_worker):
    addresses = [f"client{n}@example.com" for n in range(3)]
    database.queue(*addresses)
    port = free_loopback_port()
    worker = start_worker(DARKROOM_EMAIL_URL=f"smtp://127.0.0.1:{port}")

    wait_until(lambda: states(database) == {"retry"}, "every message waiting to retry", worker)
    for state, attempts, reason in database.messages().values():
        assert (state, attempts) == ("retry", 1)
        assert reason == f"127.0.0.1:{port} refused the connection (no mail server there?)"

    server = MailServer(port=port).start()
    try:
        # The back-off has run out (as if the clock had moved on 30 seconds).
        database.python(
            """
            from django.utils import timezone
            from darkroom.messaging.models import Message
            Message.objects.filter(state="retry").update(next_attempt_at=timezone.now())
            """
        )
        wait_until(lambda: states(database) == {"sent"}, "every message sent", worker)
        worker.stop()
    finally:
        server.stop()

    keys = database.keys()
    assert sorted(server.message_ids()) == sorted(f"<{keys[a]}@localhost>" for a in addresses)
    assert {attempts for _, attempts, _ in database.messages().values()} == {2}
    assert "Tick: 0 firings acted on, 3 messages attempted." in worker.output()


def test_a_worker_killed_mid_send_is_followed_by_one_that_sends_it_again(database, start_worker):
    database.queue("ann@example.com")
    server = MailServer(port=free_loopback_port(), hold=True).start()
    env = {"DARKROOM_EMAIL_URL": server.url, "DARKROOM_SENDING_LEASE_SECONDS": "1"}
    try:
        first = start_worker(**env)
        assert server.in_data.wait(DEADLINE), first.output()  # the mail is in DATA, held there
        first.kill()
        assert database.messages()["ann@example.com"][0] == "sending"

        server.hold = False
        server.release.set()  # the first conversation ends, with nobody left to hear it
        second = start_worker(**env)
        wait_until(
            lambda: states(database) == {"sent"}, "the message sent by the second worker", second
        )
        second.stop()
    finally:
        server.stop()

    key = database.keys()["ann@example.com"]
    # It went twice (the server had it when the first worker died), with one Message-ID.
    assert server.message_ids() == [f"<{key}@localhost>"] * 2
    assert database.messages()["ann@example.com"][:2] == ("sent", 2)
    tries = database.rows("SELECT outcome, detail FROM messaging_messageattempt ORDER BY id")
    assert [outcome for outcome, _ in tries] == ["retry", "sent"]
    assert tries[0][1].startswith("Put back after the worker stopped mid-send")


def test_refusals_are_retried_or_failed_with_the_servers_words(database, start_worker):
    database.queue("fine@example.com", "busy@example.com", "gone@example.com")
    server = MailServer(port=free_loopback_port()).start()
    server.answers = {
        "busy@example.com": "451 4.7.1 Greylisted, try again later",
        "gone@example.com": "550 5.1.1 No such mailbox here",
    }
    try:
        worker = start_worker(DARKROOM_EMAIL_URL=server.url)
        wait_until(
            lambda: states(database) == {"sent", "retry", "failed"}, "each message tried", worker
        )
        worker.stop()
        assert worker.process.returncode == 0, worker.output()  # SIGTERM: a clean stop
    finally:
        server.stop()

    messages = database.messages()
    assert messages["fine@example.com"][:2] == ("sent", 1)
    busy_state, _, busy_reason = messages["busy@example.com"]
    assert busy_state == "retry"
    assert "451 4.7.1 Greylisted, try again later" in busy_reason
    gone_state, _, gone_reason = messages["gone@example.com"]
    assert gone_state == "failed"
    assert "550 5.1.1 No such mailbox here" in gone_reason
    assert len(server.received) == 1


def test_two_workers_at_once_send_each_message_once(database, start_worker):
    addresses = [f"client{n}@example.com" for n in range(40)]
    database.queue(*addresses)
    server = MailServer(port=free_loopback_port()).start()
    try:
        workers = [start_worker(DARKROOM_EMAIL_URL=server.url) for _ in range(2)]
        wait_until(lambda: states(database) == {"sent"}, "every message sent", *workers)
        for worker in workers:
            worker.stop()
    finally:
        server.stop()

    keys = database.keys()
    assert sorted(server.message_ids()) == sorted(f"<{keys[a]}@localhost>" for a in addresses)
    assert {attempts for _, attempts, _ in database.messages().values()} == {1}


def test_a_full_batch_is_followed_by_the_next_at_once(database, tmp_path):
    """More messages than a tick's batch: the worker does not wait a tick for the rest."""
    addresses = [f"client{n}@example.com" for n in range(BATCH + 10)]
    database.queue(*addresses)
    log = tmp_path / "hourly.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            darkroom_argv("worker", "--tick-seconds", "3600", "--no-startup-delay"),
            env=database.env(DARKROOM_EMAIL_URL="keep:"),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    worker = WorkerProcess(process=process, log=log)
    try:
        wait_until(lambda: states(database) == {"sent"}, "every message kept", worker)
    finally:
        worker.stop()
    assert f"0 firings acted on, {BATCH} messages attempted." in worker.output()
    assert "0 firings acted on, 10 messages attempted." in worker.output()


def test_a_tick_that_fails_is_logged_and_the_worker_goes_on(database, start_worker):
    database.queue("ann@example.com")
    database.execute("ALTER TABLE messaging_message RENAME TO messaging_message_away")
    worker = start_worker(DARKROOM_EMAIL_URL="keep:")
    wait_until(lambda: "The tick failed" in worker.output(), "a failed tick logged", worker)

    database.execute("ALTER TABLE messaging_message_away RENAME TO messaging_message")
    wait_until(lambda: states(database) == {"sent"}, "the message kept after all", worker)

    assert worker.process.poll() is None
    assert "Traceback" in worker.output()


def test_a_batch_run_ticks_once_before_it_exits(database, run_darkroom):
    database.queue("ann@example.com")

    done = subprocess.run(
        darkroom_argv("worker", "--batch", "--no-startup-delay"),
        env=database.env(DARKROOM_EMAIL_URL="keep:"),
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )

    assert done.returncode == 0, done.stderr
    assert "Tick: 0 firings acted on, 1 messages attempted." in done.stdout
    assert database.messages()["ann@example.com"] == (
        "sent",
        1,
        "Kept in Darkroom: not delivered (DARKROOM_EMAIL_URL=keep:)",
    )


def test_the_tick_interval_is_checked(run_darkroom, migrated_data_dir):
    refused = run_darkroom(migrated_data_dir, "worker", "--batch", "--tick-seconds", "0")

    assert refused.returncode != 0
    assert "--tick-seconds" in refused.stderr
