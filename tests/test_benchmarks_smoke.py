"""Every benchmark still runs: ``bench/run.py --smoke``, on the database the suite runs on.

Why: the benchmarks (``make bench``) are run by hand, now and then, and a change elsewhere can
break one without anyone noticing until the next person wants a figure. The smoke run makes
every benchmark at a tiny size and checks its results as the full run does, on SQLite or on
the suite's PostgreSQL server (a throwaway database beside the test database, dropped after),
so the suite fails the day a benchmark breaks. Its figures mean nothing and are not looked at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

RUN = Path(__file__).resolve().parent.parent / "bench" / "run.py"


def _bench_environment() -> dict[str, str]:
    """The smoke run's environment: the suite's database engine; on PostgreSQL its server,
    with a database name of this test run's own (parallel runs share the server)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DARKROOM_BENCH")}
    if connection.vendor != "postgresql":
        environment["DARKROOM_BENCH_ON"] = "sqlite"
        return environment
    server = connection.settings_dict
    user = quote(server.get("USER") or "postgres", safe="")
    password = f":{quote(server['PASSWORD'], safe='')}" if server.get("PASSWORD") else ""
    host = server.get("HOST") or "127.0.0.1"
    port = server.get("PORT") or 5432
    name = f"{server['NAME']}_bench_{os.getpid()}"[:60]  # the test database's (unique) name
    environment["DARKROOM_BENCH_ON"] = "postgresql"
    environment["DARKROOM_BENCH_POSTGRES"] = f"postgres://{user}{password}@{host}:{port}/{name}"
    return environment


def test_every_benchmark_runs_in_its_smoke_run(db) -> None:
    run = subprocess.run(
        [sys.executable, str(RUN), "--smoke"],
        env=_bench_environment(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    benchmarks = sorted(p.stem for p in RUN.parent.glob("bench_*.py"))
    for name in benchmarks:  # each one ran, to its end
        assert f"== {name}" in run.stdout and f"({name}: " in run.stdout, output[-3000:]
    assert "not reachable" not in run.stdout, output[-3000:]
