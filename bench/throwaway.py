"""What the database benchmarks share: throwaway databases to measure on, and medians of runs.

Why: a figure means something only against a known database, so every benchmark of the
status engine measures on databases it makes for itself and throws away. SQLite is measured in
the ``make bench`` process itself, on a new file in a temporary directory; PostgreSQL (when it
is reachable: ``DARKROOM_BENCH_POSTGRES``, default
postgres://postgres@127.0.0.1:5432/darkroom_bench) in a subprocess, since Django's settings are
fixed per process, on a database created before and dropped after, whatever happens.

A benchmark module defines ``measure()`` (build its records, time them, check the results,
print) and hands it to :func:`measure_everywhere` from its ``main()`` and to :func:`child`
when it is run as that subprocess.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/darkroom_bench"
CHILD_FLAG = "--measure"


# -- timing --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Runs:
    """Each run's wall-clock seconds, this process's CPU seconds, and what it returned.

    The CPU seconds say how much work the run was for Python (and for SQLite, which runs in the
    process) whatever else the machine was doing; the wall-clock seconds are what a person waits.
    """

    seconds: list[float]
    cpu_seconds: list[float]
    results: list[Any]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def time_runs(
    run: Callable[[], Any], *, repeats: int, prepare: Callable[[int], object] | None = None
) -> Runs:
    """Run ``run`` ``repeats`` times, timing each; ``prepare(i)`` runs before run i, untimed."""
    seconds, cpu_seconds, results = [], [], []
    for index in range(repeats):
        if prepare is not None:
            prepare(index)
        start, cpu_start = time.perf_counter(), time.process_time()
        results.append(run())
        seconds.append(time.perf_counter() - start)
        cpu_seconds.append(time.process_time() - cpu_start)
    return Runs(seconds=seconds, cpu_seconds=cpu_seconds, results=results)


def report(label: str, *, records: int, runs: Runs, target_seconds: float) -> None:
    """Print a figure: records/s and seconds (medians) beside the SQLite target, then each run."""
    from django.db import connection

    seconds = runs.median
    within = seconds <= target_seconds
    if connection.vendor == "sqlite":
        target = f"target <= {target_seconds:g} s: {'met' if within else 'MISSED'}"
    else:  # the target is SQLite's; PostgreSQL's figure is set beside it for comparison
        target = f"SQLite's target <= {target_seconds:g} s: {'within' if within else 'beyond'}"
    print(f"  {label:<62} {records / seconds:>7,.0f} records/s  {seconds:5.2f} s  ({target})")
    walls = ", ".join(f"{s:.2f}" for s in runs.seconds)
    cpus = ", ".join(f"{s:.2f}" for s in runs.cpu_seconds)
    print(f"  runs: {walls} s; CPU of this process: {cpus} s")


# -- the databases -------------------------------------------------------------------------------


def setup_django(data_dir: str, database_url: str | None) -> None:
    """Point Django at the throwaway database (before ``django.setup()``) and migrate it."""
    os.environ["DARKROOM_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def sqlite_database() -> Iterator[None]:
    """A new, migrated SQLite database in a temporary directory, for the length of the block.

    ``make bench`` runs several benchmarks in one process and Django is set up once per process,
    so from the second one on the default database is pointed at a new file, the way Django's
    test runner points it at its test database.
    """
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
        if not settings.configured:
            setup_django(data_dir, None)
        else:
            _point_at_new_sqlite(Path(data_dir) / "darkroom.sqlite3")
        from django.db import connections

        try:
            yield
        finally:
            connections.close_all()


def _point_at_new_sqlite(name: Path) -> None:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        raise RuntimeError("this process is set up for another database than SQLite")
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # its ids were the other database's
    call_command("migrate", verbosity=0, interactive=False)


def on_postgres(script: str, *, timeout: float) -> None:
    """Create the PostgreSQL database, run ``script``'s ``measure()`` on it in a subprocess,
    drop it."""
    url = os.environ.get("DARKROOM_BENCH_POSTGRES") or DEFAULT_POSTGRES
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print("PostgreSQL: not reachable, skipped")
        return
    with admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
                subprocess.run(
                    [sys.executable, script, CHILD_FLAG, data_dir, url],
                    check=True,
                    timeout=timeout,
                )
        finally:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def engine() -> str:
    """The database measured on, as the figures should say it."""
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        return f"PostgreSQL {version // 10000}.{version % 100}"
    return f"SQLite {connection.Database.sqlite_version} (WAL, file in a temporary directory)"


def machine() -> str:
    """The Python and the CPUs: the figures depend on both, and on how busy the CPUs are."""
    return f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"


def load() -> str:
    """How busy the machine is (other work shares it): its load averages."""
    averages = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"(load average {averages} over 1, 5, 15 min)"


# -- a benchmark's entry points ------------------------------------------------------------------


def measure_everywhere(script: str, measure: Callable[[], None], *, timeout: float) -> None:
    """``measure()`` on SQLite in this process, then on PostgreSQL in a subprocess of ``script``."""
    print(machine())
    print(f"SQLite first {load()}")
    with sqlite_database():
        measure()
    print(f"then PostgreSQL {load()}", flush=True)
    on_postgres(script, timeout=timeout)


def child(measure: Callable[[], None]) -> bool:
    """In the PostgreSQL subprocess (see :func:`on_postgres`): set up, measure, and say so."""
    if len(sys.argv) > 2 and sys.argv[1] == CHILD_FLAG:
        setup_django(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
        measure()
        return True
    return False
