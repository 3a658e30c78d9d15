"""The status-change service's reads and writes, as SQL prepared once per model.

Why this module exists: a status change is the studio's most frequent write, and the ORM spends
more time *building* each query than the database spends running it (a profile of the change
showed query building at about half its time). So the four statements of a change -- read the
record with its cycle's version, read the cycle's steps (cached), write the status columns if the
version is unchanged, insert the history row -- are built here once per model from the models'
own metadata and then only executed. Values are prepared by each field
(``get_db_prep_save``), exactly as the ORM would, so both databases get what they expect.

Nothing here decides anything: the rules live in ``tracking/services/``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.utils import timezone

from darkroom.database_limits import MOST_PARAMETERS
from darkroom.tracking.models import Cycle, Status, StatusNote, TrackedRecord

# -- the cycles' steps, cached per process under the cycle's version -----------------------------

_steps: dict[int, tuple[int, list[Status]]] = {}
_steps_lock = threading.Lock()


def steps_of(cycle_id: int, version: int) -> list[Status]:
    """The cycle's steps in order, as of ``version`` (read from the database on a new version).

    The lists are shared by every request of the process: treat them as read-only.
    """
    cached = _steps.get(cycle_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    steps = list(
        Status.objects.filter(cycle_id=cycle_id)
        .select_related("default_department", "default_user")
        .order_by("position", "id")
    )
    with _steps_lock:
        _steps[cycle_id] = (version, steps)
    return steps


def steps_version(cycle_id: int) -> int | None:
    """The version under which this process last read the cycle's steps (None: never read).

    Every status change reads its cycle's steps first, so right after a change this is the
    cycle's current version: followers that keep their own per-cycle caches (the trigger
    planner) key them by it without another query.
    """
    cached = _steps.get(cycle_id)
    return cached[0] if cached is not None else None


# -- reading records -----------------------------------------------------------------------------


@cache
def _read_sql(model: type[TrackedRecord], many: bool) -> str:
    q = connection.ops.quote_name
    columns = ", ".join(f"r.{q(f.column)}" for f in model._meta.concrete_fields)
    where = "r.id IN ({})" if many else "r.id = %s"
    return (
        f"SELECT {columns}, s.cycle_id AS cycle_of_status, c.version AS cycle_version "
        f"FROM {q(model._meta.db_table)} r "
        f"LEFT JOIN {q(Status._meta.db_table)} s ON s.id = r.status_id "
        f"LEFT JOIN {q(Cycle._meta.db_table)} c ON c.id = s.cycle_id "
        f"WHERE {where}"
    )


def read_record(model: type[TrackedRecord], pk: int) -> TrackedRecord | None:
    """The record as stored now, with ``cycle_of_status`` and ``cycle_version`` of its status."""
    rows = list(model.objects.raw(_read_sql(model, False), [pk]))
    return rows[0] if rows else None


def read_records(model: type[TrackedRecord], pks: Sequence[int]) -> dict[int, TrackedRecord]:
    """Many records at once (see :func:`read_record`), by id; missing ids are left out."""
    found: dict[int, TrackedRecord] = {}
    chunk = MOST_PARAMETERS
    for start in range(0, len(pks), chunk):
        part = list(pks[start : start + chunk])
        sql = _read_sql(model, True).format(", ".join(["%s"] * len(part)))
        found.update((row.pk, row) for row in model.objects.raw(sql, part))
    return found


# -- writing the status columns ------------------------------------------------------------------


def _prepared(field: Field, value: Any) -> Any:
    if isinstance(value, Model):
        value = value.pk
    return field.get_db_prep_save(value, connection)


@cache
def _update_sql(model: type[TrackedRecord], columns: tuple[str, ...]) -> str:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(model._meta.get_field(name).column)} = %s" for name in columns)
    return (
        f"UPDATE {q(model._meta.db_table)} SET {sets}, {q('version')} = {q('version')} + 1 "
        f"WHERE {q('id')} = %s AND {q('version')} = %s"
    )


def update_params(
    model: type[TrackedRecord], changes: dict[str, Any], pk: int, version: int
) -> list[Any]:
    meta = model._meta
    values = [_prepared(meta.get_field(name), value) for name, value in changes.items()]
    return [*values, pk, version]


def write_status(
    model: type[TrackedRecord], changes: dict[str, Any], pk: int, version: int
) -> bool:
    """Write the status columns if the record is still at ``version``; True when written."""
    with connection.cursor() as cursor:
        cursor.execute(
            _update_sql(model, tuple(changes)), update_params(model, changes, pk, version)
        )
        return cursor.rowcount == 1


CHUNK = 500  # rows per statement: well under SQLite's 32,766 parameters


@cache
def _update_many_sql(model: type[TrackedRecord], columns: tuple[str, ...], count: int) -> str:
    """One UPDATE … FROM (VALUES …) for ``count`` records, answering the ids it wrote.

    Each VALUES row is (new column values…, id, expected version). PostgreSQL is told each
    value's type; SQLite (3.33+) takes them as they come.
    """
    q = connection.ops.quote_name
    meta = model._meta
    table = q(meta.db_table)
    fields = [meta.get_field(name) for name in columns]
    if connection.vendor == "postgresql":
        types = [f.db_type(connection) for f in fields]
        types += [meta.pk.db_type(connection), meta.get_field("version").db_type(connection)]
        row = "(" + ", ".join(f"%s::{kind}" for kind in types) + ")"
    else:
        row = "(" + ", ".join(["%s"] * (len(fields) + 2)) + ")"
    sets = ", ".join(f"{q(f.column)} = v.column{n}" for n, f in enumerate(fields, start=1))
    pk, version = len(fields) + 1, len(fields) + 2
    return (
        f"UPDATE {table} SET {sets}, {q('version')} = {table}.{q('version')} + 1 "
        f"FROM (VALUES {', '.join([row] * count)}) AS v "
        f"WHERE {table}.{q('id')} = v.column{pk} AND {table}.{q('version')} = v.column{version} "
        f"RETURNING {table}.{q('id')}"
    )


def write_statuses(
    model: type[TrackedRecord], columns: tuple[str, ...], rows: list[list[Any]]
) -> set[int]:
    """Many version-checked writes of the same ``columns`` (rows from :func:`update_params`).

    A few statements for any number of records. Returns the ids written: a record missing from
    it had changed since it was read (its version moved).
    """
    written: set[int] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            cursor.execute(
                _update_many_sql(model, columns, len(chunk)),
                [value for row in chunk for value in row],
            )
            written.update(pk for (pk,) in cursor.fetchall())
    return written


# -- appending history ---------------------------------------------------------------------------


def _note_fields() -> list[Field]:
    return [f for f in StatusNote._meta.concrete_fields if not f.primary_key]


@cache
def _insert_many_sql(count: int) -> str:
    q = connection.ops.quote_name
    fields = _note_fields()
    columns = ", ".join(q(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    table = q(StatusNote._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * count)}"


@cache
def _insert_sql() -> str:
    q = connection.ops.quote_name
    fields = _note_fields()
    columns = ", ".join(q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    returning = " RETURNING id" if connection.features.can_return_columns_from_insert else ""
    return f"INSERT INTO {q(StatusNote._meta.db_table)} ({columns}) VALUES ({values}){returning}"


def insert_note(note: StatusNote) -> StatusNote:
    """Append one history row and give it its id."""
    params = [_prepared(f, getattr(note, f.attname)) for f in _note_fields()]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(), params)
        if connection.features.can_return_columns_from_insert:
            note.pk = cursor.fetchone()[0]
        else:
            note.pk = connection.ops.last_insert_id(cursor, StatusNote._meta.db_table, "id")
    note._state.adding = False
    note._state.db = connection.alias
    return note


class NoteRows:
    """History rows for many records, built as prepared values rather than model objects.

    Recomputing writes tens of thousands of notes; building a StatusNote object for each and
    compiling the insert cost more than the database's work. Values are prepared by each
    field once per distinct value (a batch has only a handful of dates).
    """

    def __init__(self) -> None:
        self.fields = _note_fields()
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.rows: list[list[Any]] = []
        self._prepared: dict[tuple[str, Any], Any] = {}

    def add(self, **values: Any) -> None:
        row = []
        for field in self.fields:
            value = values.get(field.attname, self.defaults[field.attname])
            key = (field.attname, value)
            if key not in self._prepared:
                self._prepared[key] = _prepared(field, value)
            row.append(self._prepared[key])
        self.rows.append(row)

    def add_note(self, note: StatusNote) -> None:
        self.add(**{field.attname: getattr(note, field.attname) for field in self.fields})

    def insert(self) -> None:
        """Write the rows, a few hundred per statement."""
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), CHUNK):
                chunk = self.rows[start : start + CHUNK]
                cursor.execute(
                    _insert_many_sql(len(chunk)), [value for row in chunk for value in row]
                )
        self.rows = []


# -- inserting new records -----------------------------------------------------------------------


def _insert_fields(model: type[Model]) -> list[Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@cache
def _insert_rows_sql(model: type[Model], count: int, returning: bool) -> str:
    q = connection.ops.quote_name
    fields = _insert_fields(model)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = q(model._meta.pk.column)
    return (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * count)}" + (f" RETURNING {pk}" if returning else "")
    )


def insert_rows(records: Sequence[Model], *, ids: bool = True) -> None:
    """Insert new records of one model, as many per statement as the parameters allow, and give
    each its id (``ids``: read back with RETURNING, in the order given) as ``bulk_create`` would.

    Why not ``bulk_create``: making an invoice batch's orders and their detail lines, it spent
    more time compiling its small batches (SQLite's 999 parameters) than the database spent
    writing. Here the SQL is built once per model and row count, and each value is prepared by
    its field (``get_db_prep_save``, as the ORM does) once per distinct value. ``auto_now`` and
    ``auto_now_add`` fields take one "now" for all the records (they are made together). A
    related record not saved yet is refused as ``bulk_create`` refuses it. No signals are sent
    (``bulk_create`` sends none either).
    """
    if not records:
        return
    model = type(records[0])
    if ids and not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(records)  # an SQLite older than 3.35
        return
    fields = _insert_fields(model)
    relations = [f for f in fields if f.is_relation]
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    prepared: dict[tuple[str, Any], Any] = {}
    rows: list[list[Any]] = []
    for record in records:
        for name in stamped:
            setattr(record, name, now)
        if any(getattr(record, f.attname) is None and f.is_cached(record) for f in relations):
            record._prepare_related_fields_for_save(operation_name="insert_rows")
        row = []
        for field in fields:
            value = getattr(record, field.attname)
            try:
                key = (field.attname, value)
                row.append(prepared[key])
            except KeyError:
                row.append(prepared.setdefault(key, field.get_db_prep_save(value, connection)))
            except TypeError:  # unhashable (a JSON value): prepared each time
                row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    per_statement = max(1, MOST_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                _insert_rows_sql(model, len(chunk), ids), [v for row in chunk for v in row]
            )
            if ids:
                for record, (pk,) in zip(
                    records[start : start + per_statement], cursor.fetchall(), strict=True
                ):
                    record.pk = pk
    for record in records:
        record._state.adding = False
        record._state.db = connection.alias
