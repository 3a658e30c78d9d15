"""Benchmark what the request guards cost an API call: the same calls with and without them.

Why: every request now passes the Content-Security-Policy header, the login lock-out's
middleware, the search-text cleaning of query strings, and the API's strict body reader (UTF-8
JSON, no lone surrogate or NUL anywhere in a body). They sit on every call of every integrator,
so their price is measured against the floor of the same calls with those four taken out (the
stock django-ninja parser, the middleware list without them), in the same run.

Inputs: throwaway databases (SQLite, and PostgreSQL when reachable: see ``throwaway.py``), a
manager's token and CLIENTS clients. A run sends CALLS calls in process through Django's
handler (no sockets: the network is not what is measured): a search of the client list, a new
client with a body, a change of one; figures are the median of REPEATS runs.
"""

from __future__ import annotations

import json
import statistics

import throwaway

CLIENTS = throwaway.size(200, smoke=20)
CALLS = throwaway.size(300, smoke=6)  # a third of each kind
# Alternated with the floor: the machine's noise is larger than what is measured.
REPEATS = throwaway.size(9, smoke=1)
GUARD_MIDDLEWARE = (
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "darkroom.studio.middleware.SearchTextMiddleware",
)


def _calls(token: str, first_client: int):
    """A run: CALLS API calls with a Bearer token through a fresh test client."""
    from django.test import Client

    headers = {"Authorization": f"Bearer {token}"}
    body = json.dumps(
        {"first_name": "Ada", "last_name": "Bench", "email": "ada@example.com", "notes": "Gloss"}
    )
    change = json.dumps({"notes": "Matte, please"})

    def run() -> None:
        # Built here: its handler loads the middleware in force. A host the studio allows.
        caller = Client(HTTP_HOST="127.0.0.1")
        for n in range(CALLS // 3):
            listed = caller.get("/api/v1/clients", {"search": "bench"}, headers=headers)
            made = caller.post(
                "/api/v1/clients", body, content_type="application/json", headers=headers
            )
            changed = caller.patch(
                f"/api/v1/clients/{first_client + n}",
                change,
                content_type="application/json",
                headers=headers,
            )
            statuses = (listed.status_code, made.status_code, changed.status_code)
            assert statuses == (200, 201, 200), statuses

    return run


def measure() -> None:
    from django.conf import settings
    from django.test.utils import override_settings
    from ninja.parser import Parser

    from darkroom.api.api import api
    from darkroom.clients.models import Client
    from darkroom.studio.roles import Role
    from darkroom.studio.services import api_token_create, user_create

    manager = user_create(username="bench", password="a-long-bench-pass", role=Role.MANAGER)
    token = api_token_create(user=manager)
    clients = Client.objects.bulk_create(
        Client(first_name=f"Client {n}", last_name="Bench") for n in range(CLIENTS)
    )
    first = min(c.pk for c in clients)

    def forget_new_clients(_: int) -> None:
        """Untimed, before each run: the list searched is the same size for every run."""
        Client.objects.filter(pk__gt=max(c.pk for c in clients)).delete()

    def without_guards() -> None:
        strict_reader, api.parser = api.parser, Parser()
        try:
            with override_settings(MIDDLEWARE=without):
                calls()
        finally:
            api.parser = strict_reader

    calls = _calls(token, first)
    without = [m for m in settings.MIDDLEWARE if m not in GUARD_MIDDLEWARE]
    # Alternated run by run, so neither side has the machine's quieter moments to itself.
    guarded: list[float] = []
    floor: list[float] = []
    for _ in range(REPEATS):
        guarded.extend(throwaway.time_runs(calls, repeats=1, prepare=forget_new_clients).seconds)
        floor.extend(
            throwaway.time_runs(without_guards, repeats=1, prepare=forget_new_clients).seconds
        )

    shape = f"{CALLS} API calls a run (list, create, change), median of {REPEATS}"
    print(f"{throwaway.engine()}: {shape}")
    medians = {
        label: statistics.median(runs) for label, runs in (("guarded", guarded), ("floor", floor))
    }
    for label, text in (("guarded", "with the guards"), ("floor", "floor: the same calls without")):
        median = medians[label]
        print(
            f"  {text:<40} {CALLS / median:>8,.0f} calls/s  ({median * 1000 / CALLS:.2f} ms a call)"
        )
    ratio = medians["guarded"] / medians["floor"]
    print(f"  -> the guards cost {ratio - 1:+.1%} of a call ({ratio:.2f}x)")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=300)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
