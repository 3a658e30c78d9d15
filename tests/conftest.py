"""Fixtures every test shares: people in each role, logged-in web clients and API callers."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client as WebClient
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from darkroom.production.numbers import order_numbers_move_past
from darkroom.studio.roles import Role
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import api_token_create, user_create

PASSWORD = "correct-horse-battery"
ROLES = [Role.MANAGER, Role.STAFF, Role.READONLY]


# Tests give orders numbers by hand ("1001", "88123") beside the ones the studio's count gives,
# and search for them by prefix ("100" finds "1001"): the count's numbers start with "8000".
COUNT_STARTS_AFTER = 8_000_000


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL the studio's count of order numbers is a sequence, which no test's rollback
    takes back: over a run it would climb into the numbers tests give by hand and search for, so
    it starts past them. (SQLite's count is a row, rolled back with each test.)"""
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            order_numbers_move_past(COUNT_STARTS_AFTER)


@pytest.fixture(autouse=True)
def forget_kept_figures():
    """The hub keeps summary figures per process, by the running totals' stamp; a new test's
    database can repeat an earlier test's stamp with other orders (as a restored backup can:
    docs/deploy.md)."""
    from darkroom.hub.summary import KEPT_FIGURES

    KEPT_FIGURES.figures.clear()


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """People are made in most tests; a fast hasher keeps the suite quick (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def webhooks_to_loopback(settings):
    """Webhook receivers in tests are real HTTP servers on loopback, which a studio's webhooks
    may not reach unless it allows private addresses: tests allow them (the address rules'
    own tests set it back)."""
    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


# The days a date-sensitive test runs on: an ordinary weekday, a Friday (the next business day
# is Monday), Christmas Eve, Day and Boxing Day (the December calendar marks "Today"; Boxing Day
# is a Saturday), New Year's Day, and a Sunday in another month.
STUDIO_DAYS = {
    "wednesday": dt.date(2026, 12, 2),
    "friday": dt.date(2026, 12, 18),
    "christmas-eve": dt.date(2026, 12, 24),
    "christmas": dt.date(2026, 12, 25),
    "boxing-day": dt.date(2026, 12, 26),
    "new-year": dt.date(2027, 1, 1),
    "sunday": dt.date(2027, 1, 3),
}
NOON = dt.time(12)


@pytest.fixture
def frozen_today(db) -> Iterator[Callable[..., dt.date]]:
    """``frozen_today(day)``: stop the clock at noon of ``day`` in the studio's time zone (or at
    ``at=`` o'clock), so the studio's today is ``day`` for the rest of the test; returns ``day``.

    Everything in the test's process follows the clock (``timezone.now()``, ``date.today()``,
    the live server's thread); the database's own ``now()`` does not, and Darkroom never asks
    it for the time. Call it before making records whose dates follow today.
    """
    travels: list[time_machine.travel] = []

    def freeze(day: dt.date, *, at: dt.time = NOON) -> dt.date:
        zone = zoneinfo.ZoneInfo(studio_preferences().time_zone)
        # Given in UTC: a destination in a named zone would move the process's own time zone
        # there too (time-machine sets TZ), hiding code that uses the machine's date.
        moment = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
        travel = time_machine.travel(moment, tick=False)
        travel.start()
        travels.append(travel)
        assert studio_preferences().today() == day
        return day

    yield freeze
    for travel in reversed(travels):
        travel.stop()


@pytest.fixture(params=list(STUDIO_DAYS.values()), ids=list(STUDIO_DAYS))
def studio_today(request, frozen_today) -> dt.date:
    """The studio's today, frozen: the test runs once on each of :data:`STUDIO_DAYS`."""
    return frozen_today(request.param)


@pytest.fixture
def ordinary_day(frozen_today) -> dt.date:
    """The studio's today pinned to an ordinary Wednesday: for tests whose worlds are too big
    to build once per day of :data:`STUDIO_DAYS` (``usefixtures("ordinary_day")``)."""
    return frozen_today(STUDIO_DAYS["wednesday"])


@pytest.fixture
def people(db):
    """One person per role: ``people["manager"]``, ``people["staff"]``, ``people["readonly"]``."""
    return {
        role.value: user_create(
            username=role.value, password=PASSWORD, role=role, first_name=role.label
        )
        for role in ROLES
    }


@pytest.fixture
def web(people) -> Callable[[str | None], WebClient]:
    """``web("staff")``: a browser-like client logged in with that role (None: anonymous)."""

    def make(role: str | None) -> WebClient:
        client = WebClient()
        if role is not None:
            client.force_login(people[role])
        return client

    return make


class ApiCaller:
    """Calls /api/v1/ with a Bearer token, JSON in and out.

    CSRF is checked as for any caller outside a browser (Django's test client skips it unless
    told): an anonymous write must be refused for having no credentials, not pass for want of
    a check."""

    def __init__(self, token: str | None) -> None:
        self.client = WebClient(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _url(self, path: str) -> str:
        return path if path.startswith("/") else f"/api/v1/{path}"

    def get(self, path: str, **params):
        return self.client.get(self._url(path), params, headers=self.headers)

    def post(self, path: str, body=None, *, raw: str | None = None):
        import json

        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.client.post(
            self._url(path), data, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body):
        import json

        return self.client.put(
            self._url(path), json.dumps(body), content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body):
        import json

        return self.client.patch(
            self._url(path), json.dumps(body), content_type="application/json", headers=self.headers
        )

    def delete(self, path: str):
        return self.client.delete(self._url(path), headers=self.headers)


@pytest.fixture
def api(people) -> Callable[[str | None], ApiCaller]:
    """``api("manager")``: an API caller with that role's token (None: no credentials)."""

    def make(role: str | None) -> ApiCaller:
        return ApiCaller(api_token_create(user=people[role]) if role else None)

    return make


def run_queued_jobs() -> int:
    """Run every queued background job here and now, as ``darkroom worker`` runs each one.

    It claims the jobs and runs them with the worker's own ``Worker.run_task``; only the
    worker's polling loop is left out, because it recycles database connections between jobs,
    which would end the test's transaction. A job that fails fails the test with its traceback.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (job := DBTaskResult.objects.ready().get_locked()) is not None:
        job.claim(worker.worker_id)
        worker.run_task(job)
        job.refresh_from_db()
        assert job.status == TaskResultStatus.SUCCESSFUL, job.traceback
        ran += 1
    return ran


@contextmanager
def sqlite_in_a_file(path: Path) -> Iterator[None]:
    """On an in-memory SQLite test database, run the block on a file copy of it.

    Connections to an in-memory database share one cache, where a second writer fails at once
    ("table is locked") instead of waiting its turn as on the studio's database file: tests of
    writers meeting run on a file. (Nothing to do on PostgreSQL.)"""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    in_memory, settings = connections["default"], connections.settings["default"]
    connections.settings["default"] = {**settings, "NAME": str(path)}
    connections["default"] = connections.create_connection("default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = settings
        connections["default"] = in_memory
