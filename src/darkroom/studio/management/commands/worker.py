"""``darkroom worker``: the background worker, django-tasks-db's ``db_worker`` with our checks
and the tick.

It takes the jobs Darkroom queues in its database and runs them until stopped (Ctrl-C or
SIGTERM finish the job in hand first). Run one or more next to ``darkroom serve``; on PostgreSQL
several workers share the queue safely (SKIP LOCKED). Every ``db_worker`` option is accepted.

Beside the jobs, the worker *ticks*: once when it starts and then every ``--tick-seconds``
(``DARKROOM_TICK_SECONDS``, a minute by default) it does what time has made due — the
firings due today, the messages whose time has come (``messaging.ticks``). Between ticks it
looks every couple of seconds whether anything is due *now* (an automatic firing just planned,
a message just resent: two reads over small partial indexes) and ticks at once if so, so a
status change pays nothing to wake it; after a full batch of messages the next tick comes at
once. The tick is what guarantees nothing waits forever. It runs in a thread of its own beside
the job loop, so a long job never delays a message; a tick that fails is logged and the next
one comes as usual. Several workers may tick at once: what they act on is claimed row by row.

Webhooks go the same way in a thread of their own (``webhooks.sending``): a round sends the
deliveries whose time has come, at once when one is waiting, so a slow mail server never
delays a webhook and a slow receiver never delays an email. A third thread gathers the
planner's statistics of an SQLite database when the worker starts and then once a day
(``database_statistics``).
With ``--batch`` the worker runs the queued jobs, ticks once, sends the webhooks due and exits.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from darkroom.database_statistics import GATHER_EVERY, statistics_gather
from darkroom.messaging.outbox import BATCH
from darkroom.messaging.ticks import tick, work_waiting
from darkroom.studio.management.commands._preflight import (
    database_description,
    require_migrated_database,
)
from darkroom.webhooks.sending import BATCH as DELIVERY_BATCH
from darkroom.webhooks.sending import deliveries_send, deliveries_waiting

logger = logging.getLogger("darkroom.worker")


def tick_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if not 0 < seconds < 86400:
        raise ArgumentTypeError(f"a number of seconds above 0 (and below a day), not {text!r}")
    return seconds


# Seconds between looks for work due now, between two ticks.
LOOK_SECONDS = 2.0


def work_waiting_now() -> bool:
    """Whether something is due now; a failed look counts as nothing (the tick will come)."""
    close_old_connections()
    try:
        return work_waiting()
    except Exception:
        logger.exception("Looking for work due failed.")
        connections.close_all()
        return False


def tick_once() -> bool:
    """One tick, logged; a tick that fails is logged with its traceback and goes no further.
    True when it delivered a full batch of messages (more may be waiting: tick again now)."""
    close_old_connections()
    try:
        done = tick()
    except Exception:
        logger.exception("The tick failed; the next one will try again.")
        connections.close_all()  # whatever the failure left half-done in a connection goes
        return False
    level = logging.INFO if (done.firings or done.messages) else logging.DEBUG
    logger.log(
        level, "Tick: %d firings acted on, %d messages attempted.", done.firings, done.messages
    )
    return done.messages >= BATCH


def deliveries_waiting_now() -> bool:
    """Whether a webhook delivery is due now; a failed look counts as nothing."""
    close_old_connections()
    try:
        return deliveries_waiting()
    except Exception:
        logger.exception("Looking for webhooks due failed.")
        connections.close_all()
        return False


def send_once() -> bool:
    """One round of webhooks, logged like a tick. True when it tried a full batch."""
    close_old_connections()
    try:
        tried = deliveries_send()
    except Exception:
        logger.exception("Sending webhooks failed; the next round will try again.")
        connections.close_all()
        return False
    logger.log(logging.INFO if tried else logging.DEBUG, "Webhooks: %d deliveries tried.", tried)
    return tried >= DELIVERY_BATCH


# When this worker last gathered the planner's statistics (empty: not yet).
_statistics_gathered_at: list[dt.datetime] = []


def statistics_once() -> bool:
    """The planner's statistics (``database_statistics``), when the worker starts and then once
    a day; a failure is logged and tried again at the next day. Never a full batch."""
    now = timezone.now()
    if _statistics_gathered_at and now - _statistics_gathered_at[-1] < GATHER_EVERY:
        return False
    _statistics_gathered_at[:] = [now]
    close_old_connections()
    try:
        if statistics_gather():
            logger.info("Gathered the database's statistics for its query planner.")
    except Exception:
        logger.exception("Gathering the database's statistics failed; tomorrow will try again.")
        connections.close_all()
    return False


def nothing_due() -> bool:
    return False


# What the worker does beside its jobs, each in a thread of its own: the tick (firings,
# messages), the webhooks' rounds and the planner's statistics; each with its look for work
# due now.
ROUNDS: tuple[tuple[str, Callable[[], bool], Callable[[], bool]], ...] = (
    ("darkroom-tick", tick_once, work_waiting_now),
    ("darkroom-webhooks", send_once, deliveries_waiting_now),
    ("darkroom-statistics", statistics_once, nothing_due),
)


class TickingWorker(Worker):
    """db_worker's job loop, with the tick in a thread beside it."""

    def __init__(self, *, tick_seconds: float, **options: Any) -> None:
        super().__init__(**options)
        self.tick_seconds = tick_seconds
        self.ticking_stops = threading.Event()

    def run(self) -> None:
        if self.batch:
            super().run()
            for _, once, _ in ROUNDS:
                while once():
                    pass
            return
        tickers = [
            threading.Thread(target=self._keep_ticking, args=(once, due), name=name, daemon=True)
            for name, once, due in ROUNDS
        ]
        for ticker in tickers:
            ticker.start()
        try:
            super().run()
        finally:
            # Stopping (Ctrl-C, SIGTERM): the round in hand finishes first (a batch ends within
            # its lease). A second Ctrl-C ends the wait (the threads are daemons); a message or
            # webhook cut short mid-send goes back in the queue when its lease runs out.
            self.ticking_stops.set()
            for ticker in tickers:
                ticker.join()

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        self.ticking_stops.set()
        super().shutdown(signum, frame)

    def _keep_ticking(self, once: Callable[[], bool], due: Callable[[], bool]) -> None:
        look = min(LOOK_SECONDS, self.tick_seconds)
        try:
            while not self.ticking_stops.is_set():
                if once():  # a full batch: the next one at once, not in a minute
                    continue
                next_tick = time.monotonic() + self.tick_seconds
                while not self.ticking_stops.wait(look):
                    if time.monotonic() >= next_tick or due():
                        break
        finally:
            connections.close_all()


class Command(DatabaseWorkerCommand):
    help = (
        "Run Darkroom's background worker: it runs the jobs queued in the database and, every "
        "--tick-seconds, sends the messages and acts on the firings whose time has come, until "
        "stopped with Ctrl-C or SIGTERM, which let the work in hand finish. --batch runs what is "
        "queued, ticks once, then exits."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--tick-seconds",
            type=tick_seconds,
            default=float(settings.DARKROOM_TICK_SECONDS),
            help="Seconds between ticks, which send the messages and act on the firings whose "
            "time has come (default: DARKROOM_TICK_SECONDS, else 60).",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        levels = {0: logging.CRITICAL, 1: logging.INFO}
        logger.setLevel(levels.get(verbosity, logging.DEBUG))
        if not logger.handlers:
            handler = logging.StreamHandler(self.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger.addHandler(handler)
        logger.propagate = False

    def handle(self, *args: Any, **options: Any) -> None:
        require_migrated_database()
        if options["verbosity"] >= 1 and not options["batch"]:
            self.stdout.write(
                f"Darkroom's worker is taking jobs from queue “{options['queue_name']}” "
                f"({database_description()}) and ticking every {options['tick_seconds']:g} "
                "seconds. Stop it with Ctrl-C."
            )
        self.run_worker(**options)

    def run_worker(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        tick_seconds: float,
        **options: Any,
    ) -> None:
        """db_worker's own start (its ``handle``), with our worker in place of its Worker."""
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = TickingWorker(
            tick_seconds=tick_seconds,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloader's child takes the signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
