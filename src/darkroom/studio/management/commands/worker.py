"""``darkroom worker``: the background worker, django-tasks-db's ``db_worker`` with our checks.

It takes the jobs Darkroom queues in its database and runs them until stopped (Ctrl-C or
SIGTERM finish the job in hand first). Run one or more next to ``darkroom serve``; on PostgreSQL
several workers share the queue safely (SKIP LOCKED). Every ``db_worker`` option is accepted.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from darkroom.studio.management.commands._preflight import (
    database_description,
    require_migrated_database,
)


class Command(DatabaseWorkerCommand):
    help = (
        "Run Darkroom's background worker: it runs the jobs queued in the database (sending "
        "messages, timed checks) until stopped with Ctrl-C or SIGTERM, which let the job in hand "
        "finish. --batch runs what is queued, then exits."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        require_migrated_database()
        if options["verbosity"] >= 1 and not options["batch"]:
            self.stdout.write(
                f"Darkroom's worker is taking jobs from queue “{options['queue_name']}” "
                f"({database_description()}). Stop it with Ctrl-C."
            )
        super().handle(*args, **options)
