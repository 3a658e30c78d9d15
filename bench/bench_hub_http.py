"""Benchmark the production hub over HTTP: ten people at once on a studio with a million orders.

Why: the hub's queries are fast on their own (``bench_hub``); what a person feels is the whole
request, template and session included, while colleagues use the hub at the same moment. The
product asks for a 95th percentile of at most 150 ms and no errors, with 10 concurrent users
mixing the list, the summary and the board, on the server as ``make run`` starts it.

How: the seeded studio of ``bench_hub`` (reused from its cache) is served by ``darkroom serve``
with its default workers and threads, exactly as ``make run`` does, on SQLite and on
PostgreSQL. The load is wrk (``make bench`` installs it) with ten connections, each sending its
next request as soon as the last is answered, for ``HUB_HTTP_SECONDS`` (default 20) after a
short warm-up, logged in as a manager; each request is picked in turn from a mix: the hub list
unfiltered, filtered to overdue, to one vendor, sorted by promised date, the next page by
cursor, the summary (API, all open orders and at risk), and the board of the busiest cycle. An
answer other than 200 is an error. Without wrk, ten Python threads do the same (slower: they
take more of the two cores from the server). The load runs on the same two cores as the server,
so the figures include its own cost: they are a ceiling, not a floor.

A smoke run (``throwaway.SMOKE``) serves a small studio seeded for it, for a second or two,
and fails on any answer other than 200.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import bench_hub
import throwaway

USERS = 10
SECONDS = throwaway.size(int(os.environ.get("HUB_HTTP_SECONDS", "20")), smoke=1)
REQUESTS_PER_USER = throwaway.size(int(os.environ.get("HUB_HTTP_REQUESTS", "120")), smoke=2)
WARMUP_PER_USER = throwaway.size(5, smoke=1)
P95_MS = 150.0
STARTING_SECONDS = 300
USERNAME = "hub-bench"
PASSWORD = "hub-bench-password"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_person() -> None:
    """A manager to log in as (added once to the seeded studio; the password is the bench's)."""
    from django.contrib.auth import get_user_model

    from darkroom.studio.roles import Role
    from darkroom.studio.services import user_create

    users = get_user_model().objects
    if not users.filter(username=USERNAME).exists():
        user_create(username=USERNAME, password=PASSWORD, role=Role.MANAGER)


def request_mix() -> list[str]:
    """The paths the users send, in turn: list, filters, summary and board."""
    from django.db.models import Count

    from darkroom.hub.filters import HubFilter, hub_filter_params
    from darkroom.hub.selectors.pages import hub_page
    from darkroom.production.models import ProductionOrder
    from darkroom.studio.selectors import studio_preferences

    today = studio_preferences().today()
    open_orders = ProductionOrder.objects.filter(completed_date__isnull=True).order_by()
    vendor = open_orders.values("vendor_id").annotate(n=Count("id")).order_by("-n")[0]["vendor_id"]
    cycle = (
        open_orders.values("status__cycle_id")
        .annotate(n=Count("id"))
        .order_by("-n")[0]["status__cycle_id"]
    )
    cursor = hub_page(HubFilter(), today=today).next_cursor
    assert cursor, "the seeded studio has more than one page of open orders"
    return [
        "/production/",
        "/api/v1/hub/summary",
        "/production/?" + urlencode(hub_filter_params(HubFilter(flag="overdue"))),
        f"/production/board/?cycle={cycle}",
        "/production/?" + urlencode(hub_filter_params(HubFilter(vendors=(vendor,)))),
        "/api/v1/hub/summary?flag=at_risk",
        "/production/?" + urlencode(hub_filter_params(HubFilter(sort="promised"))),
        "/production/?" + urlencode({"cursor": cursor}),
    ]


class Browser:
    """One person's keep-alive connection with their session cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.connection.port}/login/"
        self.connection.request(method, path, body=body, headers=headers)
        answer = self.connection.getresponse()
        content = answer.read()
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return answer.status, content

    def log_in(self) -> None:
        status, page = self.send("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert status == 200 and token, "the login page has its form"
        form = urlencode(
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        )
        status, _ = self.send("POST", "/login/", form)
        assert status == 302 and "sessionid" in self.cookies, f"logged in (answer {status})"


def load(port: int, paths: list[str]) -> tuple[list[float], list[str], float]:
    """Every user's requests at once; (milliseconds of each, errors, seconds in all)."""
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(USERS + 1)

    def person(index: int) -> None:
        browser = Browser(port)
        browser.log_in()
        for turn in range(WARMUP_PER_USER):
            browser.send("GET", paths[(index + turn) % len(paths)])
        ready.wait()
        mine: list[float] = []
        for turn in range(REQUESTS_PER_USER):
            path = paths[(index + turn) % len(paths)]
            started = time.perf_counter()
            try:
                status, _ = browser.send("GET", path)
            except (OSError, http.client.HTTPException) as exc:
                status, problem = 0, f"{path}: {exc}"
            else:
                problem = f"{path}: answered {status}"
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                with lock:
                    errors.append(problem)
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=person, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


# wrk's script: the mix in turn (each connection from its own place in it), every answer other
# than 200 counted, and the figures printed on one line at the end.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local turn, wrong = 0, 0
function setup(thread)
  thread:set("turn", #threads * 3)
  table.insert(threads, thread)
end
function init(args) turn = tonumber(wrk.thread:get("turn")) or 0 end
function request()
  turn = turn + 1
  return wrk.format("GET", paths[(turn %% #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 then wrong = wrong + 1; wrk.thread:set("wrong", wrong) end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (tonumber(thread:get("wrong")) or 0) end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%.3f %%.3f\\n", summary.requests,
    bad + e.connect + e.read + e.write + e.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def load_with_wrk(port: int, paths: list[str]) -> tuple[int, float, float, int, float]:
    """wrk's ten connections for SECONDS: (requests, median ms, p95 ms, errors, seconds)."""
    browser = Browser(port)
    browser.log_in()
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    try:
        figures = None
        for seconds in (min(3, SECONDS), SECONDS):  # a warm-up, then the measured run
            run = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{USERS}",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    "-H",
                    f"Cookie: {cookie}",
                    "-s",
                    script.name,
                    f"http://127.0.0.1:{port}/",
                ],
                capture_output=True,
                text=True,
                check=True,
                timeout=seconds + 60,
            )
            line = next(x for x in run.stdout.splitlines() if x.startswith("RESULT "))
            figures = line.split()[1:]
    finally:
        os.unlink(script.name)
    assert figures is not None
    requests, errors, micros = int(figures[0]), int(figures[1]), int(figures[2])
    return requests, float(figures[3]), float(figures[4]), errors, micros / 1e6


def wait_until_listening(port: int, server: subprocess.Popen[bytes]) -> None:
    """Poll the port until gunicorn accepts (or the server dies, or STARTING_SECONDS pass: a
    shared machine can be slow to start two workers)."""
    deadline = time.monotonic() + STARTING_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped while starting: {server.stderr.read()!r}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=0.2)  # a pause that ends early if the server exits
    raise RuntimeError(f"the server did not start listening within {STARTING_SECONDS} s")


def serve_and_load(environment: dict[str, str], label: str) -> None:
    """Start ``darkroom serve`` on the database ``environment`` names, run the load, report."""
    paths = request_mix()
    bench_hub.close_connections()
    port = free_port()
    darkroom = Path(sys.executable).with_name("darkroom")
    server = subprocess.Popen(
        [str(darkroom), "serve", "--port", str(port)],
        env={**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    problems: list[str] = []
    try:
        wait_until_listening(port, server)
        if shutil.which("wrk"):
            tool = "wrk"
            requests, median, p95, errors, seconds = load_with_wrk(port, paths)
        else:
            tool = "Python threads (no wrk)"
            timings, problems, seconds = load(port, paths)
            timings.sort()
            requests, errors = len(timings), len(problems)
            median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    finally:
        server.terminate()
        server.wait(timeout=60)
    verdict = "PASS" if p95 <= P95_MS and not errors else "MISS"
    if throwaway.SMOKE:
        verdict = "(smoke run: too short to compare)"
    print(
        f"  {label}, {tool}: {requests:,} requests by {USERS} users in {seconds:.1f} s = "
        f"{requests / seconds:.0f} requests/s; median {median:.0f} ms, "
        f"p95 {p95:.0f} ms (target ≤ {P95_MS:.0f} ms), errors {errors}  {verdict}"
    )
    for problem in sorted(set(problems))[:5]:
        print(f"    error: {problem}")
    if throwaway.SMOKE and errors:
        raise AssertionError(f"{errors} requests answered other than 200")


def sqlite() -> None:
    path = bench_hub.sqlite_file(bench_hub.ORDERS)
    bench_person()
    bench_hub.close_connections()
    # The server reads DARKROOM_DATA_DIR/darkroom.sqlite3: a hard link to the seeded file (no copy
    # of gigabytes), in a directory of its own beside it so its WAL files are the server's alone.
    with tempfile.TemporaryDirectory(dir=path.parent, prefix="http-") as data_dir:
        os.link(path, Path(data_dir) / "darkroom.sqlite3")
        serve_and_load({"DARKROOM_DATA_DIR": data_dir}, f"SQLite, {bench_hub.ORDERS:,} orders")
    bench_hub.point_sqlite_at(path, migrate=False)


PG_CHILD = "--hub-http-postgres"


def postgres() -> None:
    """The same load on PostgreSQL, on the database ``bench_hub`` seeded (in a process of its
    own: this one's Django is set up for SQLite)."""
    import psycopg

    orders = bench_hub.PG_ORDERS
    base = urlsplit(throwaway.postgres_url()).path.lstrip("/")
    if throwaway.SMOKE and throwaway.postgres_only():  # in this process, set up for PostgreSQL
        with throwaway.on_new_postgres(f"{base}_hub_http") as url:
            if url is not None:
                bench_hub.seed(orders)
                bench_hub.analyze()
                bench_person()
                serve_and_load({"DATABASE_URL": url}, f"PostgreSQL, {orders:,} orders")
        return
    if throwaway.SMOKE:  # a small studio of its own, seeded, served and dropped
        with throwaway.postgres_database(f"{base}_hub_http") as url:
            if url is not None:
                bench_hub.run_child("seed", url, orders)
                subprocess.run(
                    [sys.executable, __file__, PG_CHILD, url, str(orders)], check=True, timeout=600
                )
        return
    url = throwaway.postgres_url()
    name = f"darkroom_bench_hub_{orders}_{bench_hub.fingerprint(orders)}"
    parts = urlsplit(url)
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3
        ) as admin:
            seeded = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if seeded.fetchone() is None:
                print(f"PostgreSQL: {name} is not seeded yet (bench_hub seeds it), skipped")
                return
    except psycopg.OperationalError:
        print("PostgreSQL: not reachable, skipped")
        return
    subprocess.run(
        [
            sys.executable,
            __file__,
            PG_CHILD,
            urlunsplit(parts._replace(path=f"/{name}")),
            str(orders),
        ],
        check=True,
        timeout=3600,
    )


def postgres_child() -> bool:
    if len(sys.argv) < 4 or sys.argv[1] != PG_CHILD:
        return False
    url, orders = sys.argv[2], int(sys.argv[3])
    with tempfile.TemporaryDirectory(prefix="darkroom-bench-") as data_dir:
        throwaway.setup_django(data_dir, url)
        bench_person()
        serve_and_load({"DATABASE_URL": url}, f"PostgreSQL, {orders:,} orders")
    return True


def main() -> None:
    print(throwaway.machine())
    if throwaway.wanted("sqlite"):
        print(f"SQLite {throwaway.load()}")
        sqlite()
    if throwaway.wanted("postgresql"):
        print(f"PostgreSQL {throwaway.load()}")
        postgres()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if not postgres_child():
        main()
