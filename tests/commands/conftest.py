"""Running ``darkroom`` as a real process against a data directory of its own.

The subprocesses always use SQLite in a temporary ``DARKROOM_DATA_DIR`` (``DATABASE_URL`` is
removed from their environment), so they prove the commands on both test runs without touching
the test database or anyone else's.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.commands.darkroom_process import START_TIMEOUT, darkroom_argv, darkroom_environment
from tests.commands.workers import (
    DROP_SQL,
    TICK,
    WorkerDatabase,
    WorkerProcess,
    next_database_number,
    postgres_admin,
)


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory) -> Path:
    """A data directory whose SQLite database has every migration applied (shared, made once)."""
    data_dir = tmp_path_factory.mktemp("darkroom-data")
    subprocess.run(
        darkroom_argv("migrate", "--no-input", "-v", "0"),
        env=darkroom_environment(data_dir),
        check=True,
        timeout=START_TIMEOUT,
    )
    return data_dir


@pytest.fixture
def run_darkroom() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_darkroom(data_dir, "createuser", ...)``: run a command to its end, output captured."""

    def run(data_dir: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            darkroom_argv(*args),
            env=darkroom_environment(data_dir, **extra_env),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
        )

    return run


@pytest.fixture
def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def worker_template(tmp_path_factory, migrated_data_dir) -> Iterator[tuple[Path, str | None]]:
    """A migrated database to copy for each test: the SQLite data directory, or a PostgreSQL
    template database next to the test run's (when DATABASE_URL is set)."""
    run_url = os.environ.get("DATABASE_URL", "")
    if not run_url.startswith("postgres"):
        yield migrated_data_dir, None
        return
    from psycopg import sql

    name = f"{urlsplit(run_url).path.lstrip('/')}_wtpl_{os.getpid()}"
    url = urlunsplit(urlsplit(run_url)._replace(path=f"/{name}"))
    with postgres_admin(run_url) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    data_dir = tmp_path_factory.mktemp("worker-template")
    subprocess.run(
        darkroom_argv("migrate", "--no-input", "-v", "0"),
        env=darkroom_environment(data_dir, DATABASE_URL=url),
        check=True,
        timeout=START_TIMEOUT * 2,
    )
    yield data_dir, url
    with postgres_admin(run_url) as admin:
        admin.execute(sql.SQL(DROP_SQL).format(sql.Identifier(name)))


@pytest.fixture
def database(worker_template, tmp_path) -> Iterator[WorkerDatabase]:
    template_dir, template_url = worker_template
    data_dir = tmp_path / "data"
    shutil.copytree(template_dir, data_dir)
    if template_url is None:
        yield WorkerDatabase(data_dir=data_dir, url=None)
        return
    from psycopg import sql

    template = urlsplit(template_url).path.lstrip("/")
    name = f"{template}_{next_database_number()}"
    with postgres_admin(template_url) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    yield WorkerDatabase(
        data_dir=data_dir, url=urlunsplit(urlsplit(template_url)._replace(path=f"/{name}"))
    )
    with postgres_admin(template_url) as admin:
        admin.execute(sql.SQL(DROP_SQL).format(sql.Identifier(name)))


@pytest.fixture
def start_worker(database, tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """``start_worker(DARKROOM_EMAIL_URL=...)``: a ``darkroom worker`` ticking every TICK s."""
    started: list[WorkerProcess] = []

    def start(**extra_env: str) -> WorkerProcess:
        log = tmp_path / f"worker-{len(started)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                darkroom_argv("worker", "--tick-seconds", TICK, "--no-startup-delay"),
                env=database.env(**extra_env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = WorkerProcess(process=process, log=log)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
