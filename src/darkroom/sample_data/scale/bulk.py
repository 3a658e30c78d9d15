"""Writing rows in bulk: one prepared INSERT per table and batch (``COPY`` on PostgreSQL), the
secondary indexes set aside during the load and built once after it, SQLite's settings for a
load, and the sequences and planner statistics put right afterwards.

Nothing here knows what a studio is: it writes tuples into a model's table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from darkroom.database_statistics import statistics_gather


class Table:
    """One table written in bulk: the columns a row gives (id first), the others' defaults.

    Rows are tuples in ``columns`` order; the columns a row doesn't give get the model's
    default, prepared once as the ORM would. A NOT NULL column without a default that the rows
    don't give is a mistake here, found before anything is written.
    """

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise RuntimeError(f"{model.__name__} has no column {sorted(unknown)}")
        blank, now = model(), timezone.now()
        rest = [f for name, f in fields.items() if name not in columns]
        tail = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = getattr(blank, field.attname)
            if value is None and not field.null:
                raise RuntimeError(f"{model.__name__}.{field.attname} needs a value")
            tail.append(field.get_db_prep_save(value, connection))
        self.tail = tuple(tail)
        self.columns = [fields[name].column for name in columns] + [f.column for f in rest]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0
        self.next_id = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row + self.tail)

    def flush(self, cursor: Any) -> None:
        if not self.rows:
            return
        q = connection.ops.quote_name
        table, names = q(self.model._meta.db_table), ", ".join(q(c) for c in self.columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(self.columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.rows)
        self.written += len(self.rows)
        self.rows = []


@contextmanager
def bulk_load() -> Iterator[None]:
    """SQLite, for the load only: no fsync, a large page cache, foreign keys checked by the
    tests of this generator rather than on every row; the previous settings come back after.

    Inside a transaction (a test's) SQLite keeps all but the cache as it is.
    """
    if connection.vendor != "sqlite":
        yield
        return
    names = ["cache_size"]
    if not connection.in_atomic_block:
        names += ["synchronous", "temp_store", "foreign_keys"]
    with connection.cursor() as cursor:
        saved = {}
        for name in names:
            cursor.execute(f"PRAGMA {name}")
            saved[name] = int(cursor.fetchone()[0])
        load = {"cache_size": -262_144, "temp_store": 2, "synchronous": 0, "foreign_keys": 0}
        for name in names:  # 256 MiB of cache, temporary b-trees in memory
            cursor.execute(f"PRAGMA {name}={load[name]}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in saved.items():
                cursor.execute(f"PRAGMA {name}={value}")


def secondary_indexes(table: str) -> list[tuple[str, str]]:
    """A table's indexes that enforce nothing (not unique, not the key): name and definition."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
                [table],
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = %s AND indexdef NOT LIKE 'CREATE UNIQUE%%' ORDER BY indexname",
                [table],
            )
        return list(cursor.fetchall())


@contextmanager
def indexes_set_aside(tables: Sequence[Table], *, when: bool) -> Iterator[None]:
    """Drop the tables' secondary indexes for the load and build them again after it.

    Building an index once over every row is several times faster than keeping it up to date
    row by row; the unique indexes stay, so the rules they enforce hold throughout. The
    indexes come back even when the load fails (a process killed outright can't: run
    ``darkroom migrate`` on a copy to compare, or make the studio again).
    """
    if not when:
        yield
        return
    q = connection.ops.quote_name
    aside = [index for t in tables for index in secondary_indexes(t.model._meta.db_table)]
    with checks_done(), connection.cursor() as cursor:
        for name, _definition in aside:
            cursor.execute(f"DROP INDEX {q(name)}")
    try:
        yield
    finally:
        with checks_done(), connection.cursor() as cursor:
            for _name, definition in aside:
                cursor.execute(definition)


@contextmanager
def checks_done() -> Iterator[None]:
    """PostgreSQL inside a transaction (a test's): the foreign keys' deferred checks run now,
    since a table with checks pending can't have its indexes changed; deferred again after."""
    pending = connection.vendor == "postgresql" and connection.in_atomic_block
    if pending:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield
    finally:
        if pending:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(tables: Sequence[Table]) -> None:
    """Statistics for the planner over what was written: on SQLite sampled, as the worker
    gathers them in a studio (a full ANALYZE of millions of rows would take as long as writing
    them); on PostgreSQL now, rather than when autovacuum comes to it."""
    if statistics_gather():
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.model._meta.db_table)}")


def reset_sequences(tables: Sequence[Table]) -> None:
    """PostgreSQL: the ids were given here, so each table's sequence moves past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
            cursor.execute(sql)
