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

Smoke runs (``bench/run.py --smoke``, ``DARKROOM_BENCH_SMOKE=1``): every benchmark at a tiny
size (:func:`size`), its results still checked, so a benchmark that no longer runs is found by
the test suite (``tests/test_benchmarks_smoke.py``) rather than by the next person measuring.
Their figures mean nothing and no verdict is printed. ``DARKROOM_BENCH_ON`` (``sqlite`` or
``postgresql``; both when unset) keeps a run to one database. The database every benchmark
starts from is migrated once per run and copied (a file on SQLite, ``CREATE DATABASE …
TEMPLATE`` on PostgreSQL): migrating takes longer than a smoke run's measurements.
"""

from __future__ import annotations

import atexit
import os
import shutil
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
SMOKE = os.environ.get("DARKROOM_BENCH_SMOKE") == "1"
DATABASES = ("sqlite", "postgresql")


def size(full: int, *, smoke: int) -> int:
    """How many of something a run makes: ``full`` when measuring, ``smoke`` in a smoke run."""
    return smoke if SMOKE else full


def wanted(database: str) -> bool:
    """Whether this run measures on ``database`` ("sqlite" or "postgresql")."""
    chosen = os.environ.get("DARKROOM_BENCH_ON", "").strip().lower()
    if chosen and chosen not in DATABASES:
        raise SystemExit(f"DARKROOM_BENCH_ON={chosen!r}: choose sqlite or postgresql")
    return not chosen or chosen == database


def postgres_url() -> str:
    """The PostgreSQL database the benchmarks make and drop (its server is theirs to use)."""
    return os.environ.get("DARKROOM_BENCH_POSTGRES") or DEFAULT_POSTGRES


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
    if SMOKE:
        target = "smoke run: too small to compare"
    elif connection.vendor == "sqlite":
        target = f"target <= {target_seconds:g} s: {'met' if within else 'MISSED'}"
    else:  # the target is SQLite's; PostgreSQL's figure is set beside it for comparison
        target = f"SQLite's target <= {target_seconds:g} s: {'within' if within else 'beyond'}"
    print(f"  {label:<62} {records / seconds:>7,.0f} records/s  {seconds:5.2f} s  ({target})")
    walls = ", ".join(f"{s:.2f}" for s in runs.seconds)
    cpus = ", ".join(f"{s:.2f}" for s in runs.cpu_seconds)
    print(f"  runs: {walls} s; CPU of this process: {cpus} s")


# -- the databases -------------------------------------------------------------------------------


def setup_django(data_dir: str, database_url: str | None, *, migrate: bool = True) -> None:
    """Point Django at the throwaway database (before ``django.setup()``) and migrate it."""
    os.environ["DARKROOM_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
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
            setup_django(data_dir, None, migrate=False)
        point_at_new_sqlite(Path(data_dir) / "darkroom.sqlite3")
        from django.db import connections

        try:
            yield
        finally:
            connections.close_all()


_migrated: list[Path] = []  # this process's migrated SQLite database, copied for each benchmark


def migrated_sqlite() -> Path:
    """A migrated, empty SQLite database file, made once per process (in Django's settings)."""
    from django.core.management import call_command
    from django.db import connections

    if not _migrated:
        keep = Path(tempfile.mkdtemp(prefix="darkroom-bench-migrated-"))
        atexit.register(shutil.rmtree, keep, ignore_errors=True)
        name = keep / "darkroom.sqlite3"
        point_at(name)
        call_command("migrate", verbosity=0, interactive=False)
        connections.close_all()  # the last connection closed folds the WAL into the file
        _migrated.append(name)
    return _migrated[0]


def point_at_new_sqlite(name: Path) -> None:
    """Point this process's default database at a new file ``name``, a copy of the migrated
    one (Django is set up once per process)."""
    shutil.copyfile(migrated_sqlite(), name)
    point_at(name)


def point_at(name: Path) -> None:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        raise RuntimeError("this process is set up for another database than SQLite")
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # its ids were the other database's


def on_postgres(script: str, *, timeout: float) -> None:
    """Create the PostgreSQL database, run ``script``'s ``measure()`` on it in a subprocess,
    drop it."""
    with postgres_database() as url:
        if url is None:
            return
        with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
            subprocess.run(
                [sys.executable, script, CHILD_FLAG, data_dir, url], check=True, timeout=timeout
            )


def postgres_admin() -> Any:
    """A connection to the benchmarks' PostgreSQL server (autocommit), or None if unreachable."""
    import psycopg

    server = urlunsplit(urlsplit(postgres_url())._replace(path="/postgres"))
    try:
        return psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


def _drop(admin: Any, name: str) -> None:
    from psycopg import sql

    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


_migrated_postgres: list[str] = []  # this run's migrated PostgreSQL database, a template


def _migrated_template(admin: Any) -> str:
    """The name of a migrated, empty PostgreSQL database made once per run, dropped at exit."""
    from psycopg import sql

    if not _migrated_postgres:
        parts = urlsplit(postgres_url())
        name = f"{parts.path.lstrip('/')}_migrated"
        _drop(admin, name)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        _migrated_postgres.append(name)

        def drop_template() -> None:
            later = postgres_admin()
            if later is not None:
                with later:
                    _drop(later, name)

        atexit.register(drop_template)
        url = urlunsplit(parts._replace(path=f"/{name}"))
        with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
            environment = {
                **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
                "DATABASE_URL": url,
                "DARKROOM_DATA_DIR": data_dir,
            }
            darkroom = Path(sys.executable).with_name("darkroom")
            subprocess.run(
                [str(darkroom), "migrate", "--no-input", "-v0"],
                env=environment,
                check=True,
                timeout=900,
            )
    return _migrated_postgres[0]


@contextmanager
def postgres_database(name: str | None = None) -> Iterator[str | None]:
    """A new, migrated PostgreSQL database (``name``, else the one ``DARKROOM_BENCH_POSTGRES``
    names) for the length of the block, dropped after whatever happens; its URL, or None when
    the server can't be reached (said) or this run is for SQLite only."""
    from psycopg import sql

    if not wanted("postgresql"):
        yield None
        return
    admin = postgres_admin()
    if admin is None:
        print("PostgreSQL: not reachable, skipped")
        yield None
        return
    parts = urlsplit(postgres_url())
    name = name or parts.path.lstrip("/")
    with admin:
        template = _migrated_template(admin)
        _drop(admin, name)
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
        try:
            yield urlunsplit(parts._replace(path=f"/{name}"))
        finally:
            _drop(admin, name)


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


def postgres_only() -> bool:
    """Whether this run measures on PostgreSQL alone: this process is then set up for it and
    measures in itself (no subprocess per benchmark to start), each benchmark on a database of
    its own (:func:`on_new_postgres`)."""
    return wanted("postgresql") and not wanted("sqlite")


@contextmanager
def on_new_postgres(name: str | None = None) -> Iterator[str | None]:
    """This process pointed at a new, migrated PostgreSQL database for the length of the block
    (see :func:`postgres_database`); its URL, or None when the server can't be reached."""
    from django.conf import settings

    with postgres_database(name) as url:
        if url is None:
            yield None
            return
        if not settings.configured:
            data_dir = tempfile.mkdtemp(prefix="darkroom-bench-")
            atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
            setup_django(data_dir, url, migrate=False)
        from django.contrib.contenttypes.models import ContentType
        from django.db import connections

        if connections["default"].vendor != "postgresql":
            raise RuntimeError("this process is set up for another database than PostgreSQL")
        database = urlsplit(url).path.lstrip("/")
        connections.close_all()
        settings.DATABASES["default"]["NAME"] = database
        connections["default"].settings_dict["NAME"] = database
        ContentType.objects.clear_cache()
        try:
            yield url
        finally:
            connections.close_all()  # before the database is dropped


def measure_everywhere(script: str, measure: Callable[[], None], *, timeout: float) -> None:
    """``measure()`` on SQLite in this process, then on PostgreSQL in a subprocess of ``script``
    (in this process when it measures on PostgreSQL alone)."""
    print(machine())
    if wanted("sqlite"):
        print(f"SQLite first {load()}")
        with sqlite_database():
            measure()
    if postgres_only():
        print(f"PostgreSQL {load()}", flush=True)
        with on_new_postgres() as url:
            if url is not None:
                measure()
    elif wanted("postgresql"):
        print(f"then PostgreSQL {load()}", flush=True)
        on_postgres(script, timeout=timeout)


def child(measure: Callable[[], None]) -> bool:
    """In the PostgreSQL subprocess (see :func:`on_postgres`): set up, measure, and say so."""
    if len(sys.argv) > 2 and sys.argv[1] == CHILD_FLAG:
        # The database is a copy of a migrated one (``postgres_database``): nothing to migrate.
        setup_django(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None, migrate=False)
        measure()
        return True
    return False
