"""What the long-running commands check before they start: a reachable, migrated database.

A server or worker started on an unmigrated database would answer every request with an error;
refusing at once, with the command that fixes it, is kinder. (Underscored so Django doesn't list
this module as a command.)
"""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

NOT_READY = 2  # exit status: the command can't start in this environment


def database_description() -> str:
    """Where the studio's data lives, in words (shown when a server starts)."""
    settings = connections[DEFAULT_DB_ALIAS].settings_dict
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return f"SQLite file {settings['NAME']}"
    host = settings.get("HOST") or "localhost"
    return f"{connections[DEFAULT_DB_ALIAS].display_name} database {settings['NAME']} on {host}"


def require_migrated_database() -> None:
    """Refuse (exit status 2) unless the database answers and every migration is applied."""
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise CommandError(
            f"Can't open the database ({database_description()}): {exc}".strip(),
            returncode=NOT_READY,
        ) from exc
    finally:
        connections.close_all()
    if plan:
        raise CommandError(
            f"The database ({database_description()}) is not ready: {len(plan)} migrations "
            "have not been applied. Run `darkroom migrate` first.",
            returncode=NOT_READY,
        )
