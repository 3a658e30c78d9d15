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

import throwaway

CLIENTS = 200
CALLS = 300  # a third of each kind
REPEATS = 5
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

    guarded = throwaway.time_runs(_calls(token, first), repeats=REPEATS)
    without = [m for m in settings.MIDDLEWARE if m not in GUARD_MIDDLEWARE]
    strict_reader, api.parser = api.parser, Parser()
    try:
        with override_settings(MIDDLEWARE=without):
            floor = throwaway.time_runs(_calls(token, first), repeats=REPEATS)
    finally:
        api.parser = strict_reader

    shape = f"{CALLS} API calls a run (list, create, change), median of {REPEATS}"
    print(f"{throwaway.engine()}: {shape}")
    for label, runs in (("with the guards", guarded), ("floor: the same calls without", floor)):
        rate = CALLS / runs.median
        print(f"  {label:<40} {rate:>8,.0f} calls/s  ({runs.median * 1000 / CALLS:.2f} ms a call)")
    extra = (guarded.median - floor.median) / floor.median
    print(f"  -> the guards cost {extra:+.1%} of a call ({guarded.median / floor.median:.2f}x)")


def main() -> None:
    throwaway.measure_everywhere(__file__, measure, timeout=300)


if __name__ == "__main__" and not throwaway.child(measure):
    main()
