"""Benchmark webhooks: what they add to a status change, and deliveries per second.

Why: every status change records an event and, in its own transaction, a delivery for each
endpoint that wants it (``webhooks.fanout``): a studio with three endpoints must not find its
most frequent write noticeably slower (target: at most 15 % over the same change with no
endpoint). And the worker must keep up with a busy morning: a recompute or a bulk change can
record thousands of events at once (target: at least 100 deliveries a second to a receiver
that answers at once).

(a) Status changes through ``status_change``, RECORDS sessions a run, one change each, each its
own transaction: runs with the three endpoints switched off (no deliveries written; the
endpoints' SELECT is made either way) alternate with runs with them on, each kind first in
turn; medians of CHANGE_RUNS, wall clock and this process's CPU time (SQLite works in the
process: its CPU time is the cost itself, whatever else the machine is doing).

(b) DELIVERIES deliveries (EVENTS events, four endpoints on one receiver) sent by
``deliveries_send()`` called until it finds nothing due, as the worker's rounds do: claim,
sign, POST over loopback, write down. The receiver is Python's threading HTTP server in a
process of its own, as a real one would be. The floor: the same number of prepared, signed
bodies POSTed with httpx by as many threads, no database.

(c) A long backlog must not slow what is read all the time: the worker's "anything due?"
check (every couple of seconds), its claim's read of the batch due first, and the endpoints
list's waiting and failed counts, beside BACKLOG deliveries held for a disabled endpoint,
BACKLOG delivered to an enabled one and BACKLOG due at once to an endpoint back after a day
away; the floor is the same reads on an empty queue (target: at most TARGET_BACKLOG times the
floor).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import bench_status_change
import throwaway

TARGET_RATIO = 1.15
TARGET_PER_SECOND = 100
RECORDS = throwaway.size(300, smoke=4)
REPEATS = throwaway.size(3, smoke=1)
# Runs of each kind of status change, alternated: short runs, so more of them (the machine's
# other work comes and goes; the CPU time of this process is reported beside the wall clock).
CHANGE_RUNS = throwaway.size(7, smoke=1)
STEPS = 2 * CHANGE_RUNS + 2  # an initial status, a step per run (both kinds), a final one
ENDPOINTS = 4  # for (b); (a) has three
EVENTS = throwaway.size(500, smoke=5)
DELIVERIES = EVENTS * ENDPOINTS
# (c): a backlog's length must not show in what the worker reads every couple of seconds
BACKLOG = throwaway.size(100_000, smoke=50)
CHECKS = throwaway.size(50, smoke=3)
TARGET_BACKLOG = 3

RECEIVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = 0

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Handler.received += 1
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

ThreadingHTTPServer.request_queue_size = 128  # the sender's threads connect at once
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
import threading
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()  # until the benchmark closes it
print(Handler.received, flush=True)
"""


def _receiver() -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [sys.executable, "-c", RECEIVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    return server, int(server.stdout.readline())


def _received(server: subprocess.Popen[str]) -> int:
    output, _ = server.communicate(timeout=60)
    return int(output.split()[-1])


# -- (a) a status change with and without endpoints ----------------------------------------------


def _status_changes() -> tuple[float, float, float, float]:
    """Median seconds of a run without endpoints and of one with three subscribed: wall clock,
    then this process's CPU (SQLite works in it)."""
    from darkroom.clients.models import Session
    from darkroom.studio.services import user_create
    from darkroom.tracking.models import CycleKind
    from darkroom.tracking.services import cycle_create, status_add, status_change
    from darkroom.webhooks.models import Delivery, Endpoint
    from darkroom.webhooks.signing import webhook_secret_new

    person = user_create(username="bench", password="correct-horse-battery", role="staff")
    cycle = cycle_create(kind=CycleKind.SESSION, name="Sessions")
    for step in range(1, STEPS + 1):
        status_add(cycle=cycle, description=f"Step {step}", default_duration=1, is_final=False)
    records = bench_status_change.started_sessions(RECORDS, person)
    endpoints = [
        Endpoint.objects.create(
            name=f"Receiver {n}",
            url=f"https://hooks{n}.example.com/darkroom",
            secret=webhook_secret_new(),
            event_types=["session.status_changed"] if n else [],
        )
        for n in range(3)
    ]
    ids = [e.pk for e in endpoints]

    def run() -> None:
        for record in records:
            status_change(record=record, expected_version=record.version, updated_by=person)

    def switch(on: bool) -> None:
        Endpoint.objects.filter(pk__in=ids).update(is_active=on)

    bare: list[float] = []
    watched: list[float] = []
    bare_cpu: list[float] = []
    watched_cpu: list[float] = []
    kinds = [(False, bare, bare_cpu), (True, watched, watched_cpu)]
    for turn in range(CHANGE_RUNS):
        for on, into, cpu in kinds if turn % 2 == 0 else kinds[::-1]:  # each first in turn
            runs = throwaway.time_runs(run, repeats=1, prepare=lambda _, on=on: switch(on))
            into.extend(runs.seconds)
            cpu.extend(runs.cpu_seconds)
    # Each run did its changes; only the watched runs wrote deliveries, three per change.
    versions = set(
        Session.objects.filter(pk__in=[r.pk for r in records]).values_list("version", flat=True)
    )
    assert versions == {2 + 2 * CHANGE_RUNS}, versions
    assert Delivery.objects.count() == 3 * RECORDS * CHANGE_RUNS
    Endpoint.objects.filter(pk__in=ids).delete()
    return (
        statistics.median(bare),
        statistics.median(watched),
        statistics.median(bare_cpu),
        statistics.median(watched_cpu),
    )


# -- (b) deliveries per second -------------------------------------------------------------------


def _queue(port: int, run: int) -> list[int]:
    """EVENTS events for ENDPOINTS endpoints on the receiver: DELIVERIES deliveries, due now."""
    from django.utils import timezone

    from darkroom.events.models import Event
    from darkroom.events.recording import events_write
    from darkroom.webhooks.models import Endpoint
    from darkroom.webhooks.signing import webhook_secret_new

    Endpoint.objects.update(is_active=False)
    endpoints = [
        Endpoint.objects.create(
            name=f"Run {run} receiver {n}",
            url=f"http://127.0.0.1:{port}/hooks/{n}",
            secret=webhook_secret_new(),
        )
        for n in range(ENDPOINTS)
    ]
    now = timezone.now()
    events_write(
        events=[
            Event(
                type="production_order.status_changed",
                occurred_at=now,
                record_kind="production_order",
                record_id=n,
                data={"record": {"kind": "production_order", "id": n}, "status": {"id": 3}},
            )
            for n in range(EVENTS)
        ]
    )
    return [e.pk for e in endpoints]


def _send_all() -> int:
    from darkroom.webhooks.sending import deliveries_send

    tried = 0
    while sent := deliveries_send():
        tried += sent
    return tried


def _floor(port: int) -> None:
    """DELIVERIES prepared, signed bodies POSTed by THREADS threads over httpx, no database."""
    import datetime as dt
    import json
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from darkroom.webhooks.posting import THREADS, USER_AGENT
    from darkroom.webhooks.signing import signed_headers, webhook_secret_new

    secret = webhook_secret_new()
    now = dt.datetime.now(dt.UTC)
    bodies = [
        json.dumps({"id": f"evt_{n}", "type": "x", "data": {"n": n}}).encode()
        for n in range(DELIVERIES)
    ]
    url = f"http://127.0.0.1:{port}/floor"
    with httpx.Client(limits=httpx.Limits(max_connections=THREADS), trust_env=False) as client:

        def post(n: int) -> None:
            headers = signed_headers(
                secrets_=[secret], msg_id=f"evt_{n}", sent_at=now, body=bodies[n]
            )
            headers["user-agent"] = USER_AGENT
            assert client.post(url, content=bodies[n], headers=headers).status_code == 200

        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(post, range(DELIVERIES)))


def _throughput() -> tuple[list[float], list[float]]:
    from django.conf import settings

    from darkroom.webhooks.models import Delivery

    settings.DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on loopback
    server, port = _receiver()
    sent: list[float] = []
    floor: list[float] = []
    try:
        for run in range(REPEATS):
            prepare = lambda _, run=run: _queue(port, run)  # noqa: E731
            runs = throwaway.time_runs(_send_all, repeats=1, prepare=prepare)
            assert runs.results == [DELIVERIES], runs.results
            sent.extend(runs.seconds)
            start = time.perf_counter()
            _floor(port)
            floor.append(time.perf_counter() - start)
        left = list(Delivery.objects.exclude(state="delivered").values_list("state", "reason")[:5])
        assert not left, left
    finally:
        received = _received(server)
    assert received == 2 * REPEATS * DELIVERIES, received
    return sent, floor


# -- (c) a long backlog: held for a disabled endpoint, delivered for an enabled one ------------


def _backlog_endpoint(name: str, *, active: bool) -> int:
    from darkroom.webhooks.models import Endpoint
    from darkroom.webhooks.signing import webhook_secret_new

    url = "https://backlog.example.com/darkroom"
    endpoint = Endpoint.objects.create(
        name=name, url=url, secret=webhook_secret_new(), is_active=active
    )
    return endpoint.pk


def _backlog(endpoint_id: int, state: str) -> None:
    """BACKLOG events, each with a delivery in ``state`` for the endpoint."""
    from django.utils import timezone

    from darkroom.events.models import Event
    from darkroom.webhooks.models import Delivery

    now = timezone.now()
    for start in range(0, BACKLOG, 5_000):
        events = Event.objects.bulk_create(
            Event(
                type="session.status_changed",
                occurred_at=now,
                record_kind="session",
                record_id=n,
                data={},
            )
            for n in range(start, min(start + 5_000, BACKLOG))
        )
        Delivery.objects.bulk_create(
            Delivery(
                event=event,
                endpoint_id=endpoint_id,
                state=state,
                next_attempt_at=now,
                created_at=now,
            )
            for event in events
        )


def _claim_read() -> list[int]:
    """What a round's claim reads: the BATCH due first, locked (undone: nothing is claimed)."""
    from django.db import transaction
    from django.utils import timezone

    from darkroom.webhooks.sending import BATCH, _due_first

    with transaction.atomic():
        return _due_first(timezone.now(), limit=BATCH)


def _backlog_reads() -> list[tuple[str, float, float]]:
    """Median seconds of what the worker reads every round (its "anything due?" check and its
    claim's read) and of the endpoints list's counts: first with the queue empty (the floor),
    then with the same endpoints holding BACKLOG deliveries each: held for a disabled one,
    delivered to an enabled one (none failed), and due at once to one back after a day away."""
    from darkroom.webhooks.selectors import endpoint_rows
    from darkroom.webhooks.sending import BATCH, deliveries_waiting

    def median_of(read) -> float:
        times = []
        for _ in range(CHECKS):
            start = time.perf_counter()
            read()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    reads = {
        "deliveries_waiting (the worker's check)": deliveries_waiting,
        "the claim's read of the batch due first": _claim_read,
        "endpoint_rows (the list's counts)": endpoint_rows,
    }
    held = _backlog_endpoint("Held while disabled", active=False)
    busy = _backlog_endpoint("Busy and answering", active=True)
    back = _backlog_endpoint("Back after a day away", active=True)
    assert not deliveries_waiting()
    floors = {label: median_of(read) for label, read in reads.items()}
    _backlog(held, "pending")
    _backlog(busy, "delivered")
    _backlog(back, "retry")
    assert deliveries_waiting() and len(_claim_read()) == min(BATCH, BACKLOG)
    return [(label, floors[label], median_of(read)) for label, read in reads.items()]


def measure() -> None:
    from django.db import connection

    bare, watched, bare_cpu, watched_cpu = _status_changes()
    sent, floor = _throughput()
    backlog = _backlog_reads()

    print(f"{throwaway.engine()}: medians of {CHANGE_RUNS} runs of changes, {REPEATS} of sending")
    ratio = watched / bare
    rate = DELIVERIES / statistics.median(sent)
    floor_rate = DELIVERIES / statistics.median(floor)
    ratio_verdict = _verdict(ratio <= TARGET_RATIO, f"<= {TARGET_RATIO}", connection.vendor)
    rate_verdict = _verdict(
        rate >= TARGET_PER_SECOND, f">= {TARGET_PER_SECOND}/s", connection.vendor
    )
    print(f"  {RECORDS} status changes, one transaction each:")
    print(f"    {'no endpoint':<48} {RECORDS / bare:>7,.0f} changes/s  {bare:.3f} s")
    label = "three endpoints subscribed (3 deliveries each)"
    print(f"    {label:<48} {RECORDS / watched:>7,.0f} changes/s  {watched:.3f} s")
    print(f"    -> ratio {ratio:.3f} ({ratio_verdict})")
    cpu_ratio = watched_cpu / bare_cpu
    print(f"    (CPU of this process: {bare_cpu:.3f} / {watched_cpu:.3f} s, ratio {cpu_ratio:.3f})")
    print(f"  {DELIVERIES} deliveries ({EVENTS} events x {ENDPOINTS} endpoints), one receiver:")
    label = "deliveries_send (claim, sign, POST, record)"
    print(f"    {label:<48} {rate:>7,.0f} deliveries/s  ({rate_verdict})")
    label = "floor: signed POSTs by as many threads, no DB"
    print(f"    {label:<48} {floor_rate:>7,.0f} deliveries/s")
    runs = ", ".join(f"{s:.2f}" for s in sent)
    floors = ", ".join(f"{s:.2f}" for s in floor)
    print(f"    runs: {runs} s; floor: {floors} s")
    print(
        f"  {BACKLOG:,} deliveries held for a disabled endpoint, {BACKLOG:,} delivered to"
        f" another, {BACKLOG:,} due to a third:"
    )
    for label, empty, full in backlog:
        verdict = _verdict(
            full <= TARGET_BACKLOG * empty, f"<= {TARGET_BACKLOG}x empty", connection.vendor
        )
        print(
            f"    {label:<48} {full * 1000:>7.2f} ms"
            f"  (empty queue {empty * 1000:.2f} ms; {verdict})"
        )


def _verdict(within: bool, target: str, vendor: str) -> str:
    if throwaway.SMOKE:
        return "smoke run: too small to compare"
    if vendor == "sqlite":
        return f"target {target}: {'met' if within else 'MISSED'}"
    return f"SQLite's target {target}: {'within' if within else 'beyond'}"


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=900)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
