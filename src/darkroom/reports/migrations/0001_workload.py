"""The status history summed per status and day (``reports_status_flow``), built once here from
the history already written, then kept by triggers on the history's table on every write: the
status-change service's, a bulk change's, an import's, the large studio's bulk writer's, SQL typed
by hand.

A history row (``tracking_statusnote``) that moves a record — its ``from_status`` is not its
``to_status``: "start" (no from), "change", an "edit" that moved the record to another cycle —
adds one to ``entering`` of its to-status and one to ``leaving`` of its from-status, on its
``date_completed``. Rows whose from and to are the same status (due dates, recomputes,
reassignments, edits, detail lines) move nothing. A history row deleted takes its counts back
out; one edited (history is never edited, but SQL can) is taken out as it was and added as it is.

Both databases upsert on the (status, day) key. On PostgreSQL the two rows a move touches are
written in one statement in status order, so two moves between the same two statuses on the same
day wait for one another rather than each holding the row the other needs.

Migrations already applied never run again: a change to the triggers is a new migration.
"""

import django.db.models.deletion
from django.db import migrations, models

from darkroom.reports.status_flow import BUILD, FLOW, NOTES


def _sqlite_moves(row: str, step: int) -> str:
    """Statements that add ``step`` (1 or -1) to the counts of the move of history row ``row``."""
    return f"""
        INSERT INTO {FLOW} (status_id, day, entering, leaving)
            SELECT {row}.to_status_id, {row}.date_completed, {step}, 0
            WHERE {row}.from_status_id IS NOT {row}.to_status_id
            ON CONFLICT (status_id, day) DO UPDATE SET entering = entering + {step};
        INSERT INTO {FLOW} (status_id, day, entering, leaving)
            SELECT {row}.from_status_id, {row}.date_completed, 0, {step}
            WHERE {row}.from_status_id IS NOT NULL
              AND {row}.from_status_id <> {row}.to_status_id
            ON CONFLICT (status_id, day) DO UPDATE SET leaving = leaving + {step};"""


SQLITE = [
    f"""CREATE TRIGGER reports_flow_note_insert AFTER INSERT ON {NOTES}
    WHEN NEW.from_status_id IS NOT NEW.to_status_id BEGIN {_sqlite_moves("NEW", 1)} END""",
    f"""CREATE TRIGGER reports_flow_note_delete AFTER DELETE ON {NOTES}
    WHEN OLD.from_status_id IS NOT OLD.to_status_id BEGIN {_sqlite_moves("OLD", -1)} END""",
    f"""CREATE TRIGGER reports_flow_note_update
    AFTER UPDATE OF from_status_id, to_status_id, date_completed ON {NOTES}
    WHEN OLD.from_status_id IS NOT NEW.from_status_id OR OLD.to_status_id <> NEW.to_status_id
      OR OLD.date_completed <> NEW.date_completed
    BEGIN {_sqlite_moves("OLD", -1)} {_sqlite_moves("NEW", 1)} END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_flow_note_insert",
    "DROP TRIGGER IF EXISTS reports_flow_note_delete",
    "DROP TRIGGER IF EXISTS reports_flow_note_update",
]


def _postgresql_moves(row: str, step: int) -> str:
    return f"""
        IF {row}.from_status_id IS DISTINCT FROM {row}.to_status_id THEN
            INSERT INTO {FLOW} AS f (status_id, day, entering, leaving)
            SELECT m.status_id, {row}.date_completed, m.entering, m.leaving
            FROM (VALUES ({row}.to_status_id, {step}, 0), ({row}.from_status_id, 0, {step}))
                AS m (status_id, entering, leaving)
            WHERE m.status_id IS NOT NULL ORDER BY m.status_id
            ON CONFLICT (status_id, day) DO UPDATE
                SET entering = f.entering + EXCLUDED.entering,
                    leaving = f.leaving + EXCLUDED.leaving;
        END IF;"""


POSTGRESQL = [
    f"""CREATE FUNCTION reports_flow_note_moves() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {_postgresql_moves("OLD", -1)} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {_postgresql_moves("NEW", 1)} END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER reports_flow_note_insert AFTER INSERT OR DELETE ON {NOTES}
    FOR EACH ROW EXECUTE FUNCTION reports_flow_note_moves()""",
    f"""CREATE TRIGGER reports_flow_note_update
    AFTER UPDATE OF from_status_id, to_status_id, date_completed ON {NOTES} FOR EACH ROW
    WHEN (OLD.from_status_id IS DISTINCT FROM NEW.from_status_id
          OR OLD.to_status_id <> NEW.to_status_id
          OR OLD.date_completed <> NEW.date_completed)
    EXECUTE FUNCTION reports_flow_note_moves()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS reports_flow_note_insert ON {NOTES}",
    f"DROP TRIGGER IF EXISTS reports_flow_note_update ON {NOTES}",
    "DROP FUNCTION IF EXISTS reports_flow_note_moves()",
]


def install(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(BUILD)
        for sql in POSTGRESQL if connection.vendor == "postgresql" else SQLITE:
            cursor.execute(sql)


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in POSTGRESQL_DROP if connection.vendor == "postgresql" else SQLITE_DROP:
            cursor.execute(sql)
        cursor.execute(f"DELETE FROM {FLOW}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [("tracking", "0007_detail_notes")]

    operations = [
        migrations.CreateModel(
            name="StatusFlow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("entering", models.IntegerField(default=0)),
                ("leaving", models.IntegerField(default=0)),
                (
                    "status",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracking.status",
                    ),
                ),
            ],
            options={
                "db_table": "reports_status_flow",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("status", "day"), name="reports_status_flow_key"
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
