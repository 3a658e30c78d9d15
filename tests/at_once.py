"""Run calls at the same moment, each in its own thread and so its own database connection.

The concurrency tests use it to make two people (or a person and the worker) meet on the same
rows: the calls wait at a barrier, are released together, and each thread closes its connection
when done so the test database can be torn down.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` together; their outcomes come back in the order of ``calls``, each the
    call's result or the exception it raised (the test's assertions tell which it should be)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def caller(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            try:
                outcomes[index] = calls[index]()
            except Exception as exc:
                outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a call never came back"
    return outcomes
