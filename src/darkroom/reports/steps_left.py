"""The database triggers that keep the steps-left summary (``models.StepsLeft``), and the SQL
that builds it from the history already written.

Why triggers: a status note is written by the status-change service, the bulk change, imports,
the scan station and the large-studio generator (which writes rows in bulk, without the ORM);
the database sees them all. Every "change" note that left a step (``from_status``) with its
business days adds 1 to its row of the summary — ``over_plan`` too when the days are more than
the duration planned then (a note without a planned duration is not over plan). The order type
and vendor are read from the production order (or the proof order's vendor) as it stands when
the note is written: the vendor that held the order when the step was left.

Notes are never edited nor deleted (``tracking.models.StatusNote``; a record's history outlives
nothing that could take it along), so an INSERT trigger is all the summary needs.

Migrations already applied never run again: a change to what the triggers count is a new
migration with new SQL, never an edit of the SQL below.
"""

from __future__ import annotations

from typing import Any

NOTES = "tracking_statusnote"
SUMMARY = "reports_steps_left"
TRIGGER = "reports_steps_left_note"  # the trigger's name, on both databases
FUNCTION = "reports_steps_left_note()"  # PostgreSQL: the function it calls
KEY = "status_id, month, order_type_id, vendor_id, days"
COUNTED = (
    "{row}.kind = 'change' AND {row}.from_status_id IS NOT NULL"
    " AND {row}.business_days_taken IS NOT NULL"
)


def _content_type(model: str) -> str:
    return (
        "(SELECT ct.id FROM django_content_type ct"
        f" WHERE ct.app_label = 'production' AND ct.model = '{model}')"
    )


def _records(row: str) -> str:
    """The order (or proof order) the note is of, joined when it is one."""
    return (
        f" LEFT JOIN production_productionorder o ON o.id = {row}.object_id"
        f" AND {row}.content_type_id = {_content_type('productionorder')}"
        f" LEFT JOIN production_preproductionorder p ON p.id = {row}.object_id"
        f" AND {row}.content_type_id = {_content_type('preproductionorder')}"
    )


def _over(row: str) -> str:
    return f"CASE WHEN {row}.business_days_taken > {row}.planned_duration THEN 1 ELSE 0 END"


SQLITE_MONTH = "date({row}.date_completed, 'start of month')"
POSTGRESQL_MONTH = "CAST(date_trunc('month', {row}.date_completed) AS date)"


def _values(row: str, month: str) -> str:
    return (
        f"{row}.from_status_id, {month.format(row=row)}, COALESCE(o.order_type_id, 0),"
        f" COALESCE(o.vendor_id, p.vendor_id, 0), {row}.business_days_taken"
    )


SQLITE = f"""CREATE TRIGGER {TRIGGER} AFTER INSERT ON {NOTES}
    WHEN {COUNTED.format(row="NEW")} BEGIN
        INSERT INTO {SUMMARY} ({KEY}, passed, over_plan)
        SELECT {_values("NEW", SQLITE_MONTH)}, 1, {_over("NEW")}
        FROM (SELECT 1) one {_records("NEW")}
        WHERE 1
        ON CONFLICT ({KEY}) DO UPDATE
        SET passed = passed + 1, over_plan = over_plan + excluded.over_plan;
    END"""

POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}
    RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {SUMMARY} AS s ({KEY}, passed, over_plan)
        SELECT {_values("NEW", POSTGRESQL_MONTH)}, 1, {_over("NEW")}
        FROM (SELECT 1) one {_records("NEW")}
        ON CONFLICT ({KEY}) DO UPDATE
        SET passed = s.passed + 1, over_plan = s.over_plan + EXCLUDED.over_plan;
        RETURN NULL;
    END $$"""

POSTGRESQL_TRIGGER = f"""CREATE TRIGGER {TRIGGER} AFTER INSERT ON {NOTES} FOR EACH ROW
    WHEN ({COUNTED.format(row="NEW")}) EXECUTE FUNCTION {FUNCTION}"""


def fill_sql(vendor: str) -> str:
    """One INSERT … SELECT … GROUP BY that counts the history already written (run once, when
    the summary is made; the triggers count every note after it)."""
    month = (SQLITE_MONTH if vendor == "sqlite" else POSTGRESQL_MONTH).format(row="n")
    return (
        f"INSERT INTO {SUMMARY} ({KEY}, passed, over_plan)"
        f" SELECT {_values('n', month)}, COUNT(*), SUM({_over('n')})"
        f" FROM {NOTES} n {_records('n')}"
        f" WHERE {COUNTED.format(row='n')}"
        f" GROUP BY n.from_status_id, {month}, COALESCE(o.order_type_id, 0),"
        " COALESCE(o.vendor_id, p.vendor_id, 0), n.business_days_taken"
    )


def install(apps: Any, schema_editor: Any) -> None:
    """Forwards: the history so far counted, then the trigger that counts each new note."""
    vendor = schema_editor.connection.vendor
    schema_editor.execute(fill_sql(vendor), params=None)
    if vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        schema_editor.execute(POSTGRESQL_TRIGGER, params=None)
    else:
        raise RuntimeError(f"The steps-left summary has no triggers for {vendor}.")


def uninstall(apps: Any, schema_editor: Any) -> None:
    """Backwards: the trigger (and its function) dropped; the table goes with the model."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {NOTES}", params=None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}", params=None)
    else:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}", params=None)
