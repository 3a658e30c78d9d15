"""The triggers that keep ``reports_vendor_step_day`` (``reports/models.py``), and how it is
built from the history already written.

Why triggers: a step of a production order is left by a single change, a bulk change, the scan
station, an import or the large studio's seeder; every one of them inserts a "change" row in
the status history (``tracking_statusnote``), and only the database sees them all. So an insert
of such a row adds the step to its vendor's day (the day it was left): one more step, one more
with a due date when it had one, on time or late by ``business_days_late`` (computed by the
status service with the vendor's calendar, ``tracking.standing.business_days_late``). History
is never edited nor deleted, so inserts are all there is to follow.

On both databases the row is added with an upsert on (day, vendor). On PostgreSQL that row
stays locked until the change commits, so two changes of the same vendor's orders left on the
same day commit one after the other (a status change is a short transaction; a bulk change holds
it for its length).

The SQL is written once per database here; a migration installs it. Migrations already applied
never run again: a change to the triggers is a new migration, never an edit of the SQL below.
"""

from __future__ import annotations

from typing import Any

SUMMARY = "reports_vendor_step_day"
NOTES = "tracking_statusnote"
ORDERS = "production_productionorder"
TRIGGER = "reports_vendor_step_insert"
FUNCTION = "reports_vendor_step_counts()"
ORDER_TYPE = (
    "(SELECT ct.id FROM django_content_type ct"
    " WHERE ct.app_label = 'production' AND ct.model = 'productionorder')"
)
COLUMNS = "day, vendor_id, steps, due_steps, on_time, late, late_days"
ADDED = (
    "steps = {s}steps + excluded.steps, due_steps = {s}due_steps + excluded.due_steps,"
    " on_time = {s}on_time + excluded.on_time, late = {s}late + excluded.late,"
    " late_days = {s}late_days + excluded.late_days"
)

SQLITE = [
    f"""CREATE TRIGGER {TRIGGER} AFTER INSERT ON {NOTES}
    WHEN NEW.kind = 'change' AND NEW.content_type_id = {ORDER_TYPE} BEGIN
        INSERT INTO {SUMMARY} ({COLUMNS})
        SELECT NEW.date_completed, o.vendor_id, 1,
               NEW.business_days_late IS NOT NULL,
               COALESCE(NEW.business_days_late <= 0, 0),
               COALESCE(NEW.business_days_late > 0, 0),
               MAX(COALESCE(NEW.business_days_late, 0), 0)
        FROM {ORDERS} o WHERE o.id = NEW.object_id
        ON CONFLICT (day, vendor_id) DO UPDATE SET {ADDED.format(s="")};
    END"""
]

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION {FUNCTION} RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        vendor bigint;
        days integer := NEW.business_days_late;
    BEGIN
        IF NEW.content_type_id IS DISTINCT FROM {ORDER_TYPE} THEN RETURN NULL; END IF;
        SELECT o.vendor_id INTO vendor FROM {ORDERS} o WHERE o.id = NEW.object_id;
        IF vendor IS NULL THEN RETURN NULL; END IF;
        INSERT INTO {SUMMARY} AS s ({COLUMNS})
        VALUES (NEW.date_completed, vendor, 1,
                CASE WHEN days IS NULL THEN 0 ELSE 1 END,
                CASE WHEN days <= 0 THEN 1 ELSE 0 END,
                CASE WHEN days > 0 THEN 1 ELSE 0 END,
                GREATEST(COALESCE(days, 0), 0))
        ON CONFLICT (day, vendor_id) DO UPDATE SET {ADDED.format(s="s.")};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER {TRIGGER} AFTER INSERT ON {NOTES} FOR EACH ROW
    WHEN (NEW.kind = 'change') EXECUTE FUNCTION {FUNCTION}""",
]


def count_again_sql() -> list[str]:
    """The summary counted anew from the whole history (the triggers' figures, in one pass)."""
    return [
        f"DELETE FROM {SUMMARY}",
        f"""INSERT INTO {SUMMARY} ({COLUMNS})
        SELECT n.date_completed, o.vendor_id, COUNT(*), COUNT(n.business_days_late),
               SUM(CASE WHEN n.business_days_late <= 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.business_days_late > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN n.business_days_late > 0 THEN n.business_days_late ELSE 0 END)
        FROM {NOTES} n INNER JOIN {ORDERS} o ON o.id = n.object_id
        WHERE n.kind = 'change' AND n.content_type_id = {ORDER_TYPE}
        GROUP BY n.date_completed, o.vendor_id""",
    ]


def install(connection: Any) -> None:
    """Install the triggers on ``connection``'s database."""
    statements = POSTGRESQL if connection.vendor == "postgresql" else SQLITE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop(connection: Any) -> None:
    """Drop the triggers (and on PostgreSQL their function)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {NOTES}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def count_again(connection: Any) -> None:
    """Count the summary anew from the whole history."""
    with connection.cursor() as cursor:
        for sql in count_again_sql():
            cursor.execute(sql)


def triggers(vendor: str) -> set[str]:
    """The names of the triggers installed (``tests/test_database_triggers.py`` lists them)."""
    return {TRIGGER}
