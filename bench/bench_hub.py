"""Benchmark the production hub's reads on a studio with a million production orders.

Why: the hub is the page everyone keeps open; it must answer as fast with ten years of history
as on the first day. The product asks, on SQLite, with 1,000,000 production orders (about
50,000 open) and about 5,000,000 status notes: the summary strip for all open orders in at most
20 ms (median), the first page (50 rows) of any filter in at most 10 ms, the next page by
cursor in at most 10 ms. Beside each figure: the same SQL sent through the database driver
directly (no ORM, no Python rows), the floor the hub's own code can't go below.

Inputs: the studio ``darkroom.sample_data.scale.seed_scale(orders=N, seed=1)`` builds (ten
years of orders, 5 % open, about 5.6 status notes an order). Seeding a million orders takes minutes,
so the seeded database is kept between runs: SQLite in ``var/bench/hub-<N>-<hash>.sqlite3``
(``var/`` is not committed), PostgreSQL as the database ``darkroom_bench_hub_<N>_<hash>`` on
the server of ``DARKROOM_BENCH_POSTGRES`` (as the other benchmarks). The hash is of every file
of the seeding package, ``src/darkroom/sample_data/scale/``, sorted by path (each file's path
and content): change any of them and the next run seeds anew. Migrations added since a database was
seeded are applied to it before measuring, and its planner statistics gathered again.
``HUB_BENCH_ORDERS`` (default 1,000,000) and ``HUB_BENCH_PG_ORDERS`` (default the same) set N.
Each figure is the median of REPEATS runs after one untimed warm-up; the filters' values (a
vendor, a status, a person, a department, a client's name) are chosen from the open orders
themselves, the busiest of each. A smoke run (``throwaway.SMOKE``) seeds a small studio in
throwaway databases, kept nowhere.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import throwaway

ROOT = Path(__file__).resolve().parent.parent
SEEDING_CODE = ROOT / "src" / "darkroom" / "sample_data" / "scale"
CACHE = ROOT / "var" / "bench"
ORDERS = throwaway.size(int(os.environ.get("HUB_BENCH_ORDERS", "1000000")), smoke=2_000)
PG_ORDERS = throwaway.size(int(os.environ.get("HUB_BENCH_PG_ORDERS", str(ORDERS))), smoke=ORDERS)
REPEATS = throwaway.size(25, smoke=1)
SUMMARY_MS = 20.0
PAGE_MS = 10.0
CHILD = "--hub-measure"


# -- the seeded databases ------------------------------------------------------------------------


def fingerprint(orders: int) -> str:
    """What the seeded data depends on: the seeding code and N (later migrations are applied to
    the kept database, as a studio's own database gets them)."""
    digest = hashlib.sha256(str(orders).encode())
    for path in seeding_files():
        digest.update(path.relative_to(SEEDING_CODE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def seeding_files() -> list[Path]:
    """Every file of the seeding package, sorted by path (compiled caches aside)."""
    files = (p for p in SEEDING_CODE.rglob("*") if p.is_file())
    return sorted(p for p in files if "__pycache__" not in p.relative_to(SEEDING_CODE).parts)


def progress(done: int | str, total: int | None = None) -> None:
    shown = done if total is None else f"{done:,} of {total:,} orders"
    print(f"  seeding: {shown}", flush=True)


def seed(orders: int) -> None:
    """Fill the (migrated, empty) database with the studio of ``orders`` production orders."""
    from darkroom.sample_data.scale import seed_scale
    from darkroom.tracking.remaining import open_records_fill

    seed_scale(orders=orders, seed=1, progress=progress)
    open_records_fill()  # the remaining days the status engine stores beside a projection


def sqlite_file(orders: int) -> Path:
    """The SQLite file of the seeded studio: reused, or migrated and seeded now (in a smoke
    run: seeded in a temporary directory, once per process)."""
    cache = CACHE
    if throwaway.SMOKE:
        cache = Path(tempfile.mkdtemp(prefix="darkroom-bench-hub-"))
        atexit.register(shutil.rmtree, cache, ignore_errors=True)
    path = cache / f"hub-{orders}-{fingerprint(orders)}.sqlite3"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        point_sqlite_at(partial, migrate=True)
        started = time.perf_counter()
        seed(orders)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        close_connections()
        partial.rename(path)
        print(f"  seeded in {time.perf_counter() - started:.0f} s: {path}")
    point_sqlite_at(path, migrate=True)
    return path


def point_sqlite_at(path: Path, *, migrate: bool) -> None:
    """Point this process's default database at ``path`` (Django is set up once per process)."""
    from django.conf import settings

    if not settings.configured:
        os.environ.setdefault("DARKROOM_DATA_DIR", tempfile.mkdtemp(prefix="darkroom-bench-"))
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darkroom.settings")
        import django

        django.setup()
    from django.core.management import call_command

    if migrate and not path.exists():  # a new database: a copy of the migrated one
        throwaway.point_at_new_sqlite(path)
    else:
        throwaway.point_at(path)
    if migrate and migrations_to_apply():
        call_command("migrate", verbosity=0, interactive=False)
        from django.db import connection

        with connection.cursor() as cursor:  # new indexes: the planner needs their statistics
            cursor.execute("ANALYZE")


def migrations_to_apply() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def close_connections() -> None:
    from django.db import connections

    connections.close_all()


# -- measuring -----------------------------------------------------------------------------------


def median_ms(run: Callable[[], Any]) -> float:
    run()  # warm-up: caches, prepared statements
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds) * 1000


def raw_runner(statements: list[str]) -> Callable[[], Any]:
    """The SQL the hub sent (its parameters written in), sent through the driver directly."""
    from django.db import connection

    connection.ensure_connection()
    driver = connection.connection

    def run() -> None:
        cursor = driver.cursor()
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()
        cursor.close()

    return run


def captured(run: Callable[[], Any]) -> tuple[Any, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = run()
    return result, [q["sql"] for q in queries.captured_queries]


def busiest(column: str) -> Any:
    """The value of ``column`` most open production orders share (a realistic filter)."""
    from django.db.models import Count

    from darkroom.production.models import ProductionOrder

    found = (
        ProductionOrder.objects.filter(completed_date__isnull=True, **{f"{column}__isnull": False})
        .values(column)
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    return found[column] if found else None


def explain(statements: list[str]) -> list[str]:
    from django.db import connection

    plans = []
    with connection.cursor() as cursor:
        for sql in statements:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plans.append("; ".join(row[-1] for row in cursor.fetchall()))
            else:
                cursor.execute(f"EXPLAIN {sql}")
                plans.append(" | ".join(row[0].strip() for row in cursor.fetchall()[:6]))
    return plans


def measure(orders: int) -> None:
    """Measure on the database this process points at and print the table."""
    import datetime as dt

    from darkroom.hub.filters import HubFilter
    from darkroom.hub.selectors.pages import board_column, hub_page
    from darkroom.hub.summary import hub_summary, summary_counted
    from darkroom.production.models import PreproductionOrder, ProductionOrder
    from darkroom.studio.selectors import studio_preferences
    from darkroom.tracking.models import StatusNote

    today = studio_preferences().today()
    open_orders = ProductionOrder.objects.filter(completed_date__isnull=True).count()
    open_proofs = PreproductionOrder.objects.filter(completed_date__isnull=True).count()
    total = ProductionOrder.objects.order_by().count()
    notes = StatusNote.objects.order_by().count()
    print(
        f"{throwaway.engine()}: {total:,} production orders ({open_orders:,} open), "
        f"{open_proofs:,} open proof orders, {notes:,} status notes; today {today}"
    )
    status = busiest("status_id")
    first_name, some = (
        ProductionOrder.objects.filter(completed_date__isnull=True, status_id=status)
        .values_list("client__first_name", "client__last_name")
        .first()
    ) or ("Anna", "Smith")
    cases: list[tuple[str, HubFilter]] = [
        ("no filter", HubFilter()),
        ("overdue", HubFilter(flag="overdue")),
        ("due today", HubFilter(flag="due_today")),
        ("vendor", HubFilter(vendors=(busiest("vendor_id"),))),
        ("status", HubFilter(statuses=(status,))),
        ("user", HubFilter(users=(busiest("status_user_id"),))),
        ("department", HubFilter(departments=(busiest("status_department_id"),))),
        ("order type", HubFilter(order_types=(busiest("order_type_id"),))),
        ("priority", HubFilter(priorities=(busiest("priority_code_id"),))),
        ("at risk", HubFilter(flag="at_risk")),
        (f"q client name “{some[:5]}”", HubFilter(q=some[:5])),
        (f"q full name “{first_name[:5]} {some[:5]}”", HubFilter(q=f"{first_name[:5]} {some[:5]}")),
        ("due before today + 3", HubFilter(due_before=today + dt.timedelta(days=3))),
        ("no filter, sort client", HubFilter(sort="client")),
    ]
    figures: list[tuple[str, float, float, float | None, list[str]]] = []

    def add(label: str, run: Callable[[], Any], target: float | None) -> Any:
        result, statements = captured(run)
        figures.append(
            (label, median_ms(run), median_ms(raw_runner(statements)), target, statements)
        )
        return result

    add("hub_summary, all open orders", lambda: hub_summary(HubFilter(), today=today), SUMMARY_MS)
    add("hub_summary, vendor", lambda: hub_summary(cases[3][1], today=today), SUMMARY_MS)
    add("hub_summary, overdue", lambda: hub_summary(cases[1][1], today=today), SUMMARY_MS)
    add("hub_summary, at risk", lambda: hub_summary(cases[9][1], today=today), SUMMARY_MS)
    add(
        "summary counted from the orders (no running totals), all open",
        lambda: summary_counted(HubFilter(), today=today),
        None,
    )
    for label, f in cases:
        first = add(f"hub_page first 50: {label}", lambda f=f: hub_page(f, today=today), PAGE_MS)
        if first.next_cursor:
            cursor = first.next_cursor
            add(
                f"hub_page next 50: {label}",
                lambda f=f, cursor=cursor: hub_page(f, today=today, cursor=cursor),
                PAGE_MS,
            )
    add(
        "board_column first 20 (busiest status)",
        lambda: board_column(HubFilter(), status_id=status, today=today),
        PAGE_MS,
    )
    print(f"  medians of {REPEATS} runs; 'raw' = the same SQL through the driver directly")
    print(f"  {'':<46} {'hub ms':>8} {'raw ms':>8} {'target':>8}  result  queries")
    missed = []
    for label, ms, raw_ms, target, statements in figures:
        if target is None or throwaway.SMOKE:
            verdict, shown = "", ""
        else:
            verdict, shown = ("PASS" if ms <= target else "MISS"), f"<= {target:g}"
        print(f"  {label:<46} {ms:8.2f} {raw_ms:8.2f} {shown:>8}  {verdict:<6}  {len(statements)}")
        if verdict == "MISS":
            missed.append((label, statements))
    for label, statements in missed:
        print(f"  plan of {label}:")
        for plan in explain(statements):
            print(f"    {plan[:400]}")


# -- entry points --------------------------------------------------------------------------------


def postgres(orders: int) -> None:
    """Measure on PostgreSQL in a subprocess, on the seeded database kept on the server."""
    base = urlsplit(throwaway.postgres_url()).path.lstrip("/")
    if throwaway.SMOKE and throwaway.postgres_only():  # in this process, set up for PostgreSQL
        with throwaway.on_new_postgres(f"{base}_hub") as url:
            if url is not None:
                seed(orders)
                analyze()
                measure(orders)
        return
    if throwaway.SMOKE:  # a small studio, seeded and dropped
        with throwaway.postgres_database(f"{base}_hub") as url:
            if url is not None:
                run_child("seed", url, orders)
                run_child("measure", url, orders)
        return
    if not throwaway.wanted("postgresql"):
        return
    seeded = postgres_seeded(orders)
    if seeded is not None:
        run_child("measure", seeded, orders)


def postgres_seeded(orders: int) -> str | None:
    """The address of the PostgreSQL database of the studio of ``orders`` orders, seeded now if
    the server has none for this seeding code yet (``bench_reports`` reads the same one); None
    when the server can't be reached."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(throwaway.postgres_url())
    name = f"darkroom_bench_hub_{orders}_{fingerprint(orders)}"
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        admin = psycopg.connect(server, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        print("PostgreSQL: not reachable, skipped")
        return None
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            partial = f"{name}_partial"
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(partial))
            )
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(partial)))
            run_child("seed", urlunsplit(parts._replace(path=f"/{partial}")), orders)
            admin.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(partial), sql.Identifier(name)
                )
            )
    return urlunsplit(parts._replace(path=f"/{name}"))


def run_child(what: str, url: str, orders: int) -> None:
    with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
        subprocess.run(
            [sys.executable, __file__, CHILD, what, data_dir, url, str(orders)],
            check=True,
            timeout=4 * 3600,
        )


def child() -> bool:
    if len(sys.argv) < 6 or sys.argv[1] != CHILD:
        return False
    what, data_dir, url, orders = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    throwaway.setup_django(data_dir, url)  # applies migrations added since it was seeded
    if what == "seed":
        started = time.perf_counter()
        seed(orders)
        from django.db import connection

        with connection.cursor() as cursor:  # as autovacuum would, before anyone reads
            cursor.execute("VACUUM ANALYZE")
        print(f"  seeded in {time.perf_counter() - started:.0f} s")
    else:
        analyze()  # statistics of indexes migrations may have added
        measure(orders)
    return True


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    print(throwaway.machine())
    if throwaway.wanted("sqlite"):
        print(f"SQLite {throwaway.load()}")
        sqlite_file(ORDERS)
        measure(ORDERS)
        close_connections()
    if throwaway.wanted("postgresql"):
        print(f"then PostgreSQL {throwaway.load()}", flush=True)
        postgres(PG_ORDERS)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if not child():
        main()
