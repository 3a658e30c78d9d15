"""Database triggers set aside for a bulk load of history, and put back as the database held them.

Why: a summary kept by a trigger (the reports' counts of the status history) costs an upsert per
row written. Writing a million orders' history in bulk (the large-studio generator) goes about
twice as fast with the triggers dropped and the summary counted once afterwards with a GROUP BY.
The triggers come back as the database holds them (``pg_get_triggerdef``, SQLite's
``sqlite_master``), not as any module spells them, so the newest migration's version is what
returns; they come back even when the load fails. The summary is counted again only after a load
that finished: a failed one leaves its rows counted by nothing (make the studio again).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection


def trigger_definition(cursor: Any, name: str) -> str | None:
    """The trigger ``name`` as the database holds it now, or None when it has none."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t"
            " WHERE t.tgname = %s AND NOT t.tgisinternal",
            [name],
        )
    else:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    found = cursor.fetchone()
    return None if found is None else str(found[0])


@contextmanager
def triggers_set_aside(
    table: str, names: Sequence[str], *, recount: Sequence[str], when: bool = True
) -> Iterator[None]:
    """The triggers ``names`` on ``table`` dropped for the block, then the statements
    ``recount`` run (after a block that finished) and the triggers put back. ``when`` false:
    nothing set aside (a load that adds a little to a big history keeps its triggers)."""
    if not when:
        yield
        return
    on = f" ON {table}" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        held = [d for name in names if (d := trigger_definition(cursor, name)) is not None]
        for name in names:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
    loaded = False
    try:
        yield
        loaded = True
    finally:
        with connection.cursor() as cursor:
            if loaded:
                for statement in recount:
                    cursor.execute(statement)
            for definition in held:
                cursor.execute(definition)
