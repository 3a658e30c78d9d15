"""The studio's lists stamp (``studio.models.ListsStamp``) and the triggers that move it.

Every insert and delete of a watched table moves it, and every update that changes a watched
column: only the columns the kept lists show, so a vendor's next order number (written with each
order) or a person's last login moves nothing. Written once per database, in each one's own
language.
"""

import secrets

from django.db import migrations, models

# table -> the columns whose change moves the stamp (None: any change)
WATCHED: dict[str, list[str] | None] = {
    "catalog_vendor": ["name", "is_inactive"],
    "catalog_productionordertype": ["name", "is_inactive", "position"],
    "catalog_prioritycode": ["code", "is_inactive", "position"],
    "studio_department": ["name", "is_inactive"],
    "tracking_cycle": ["name", "kind"],
    "tracking_status": ["description", "is_inactive", "position", "cycle_id"],
    "auth_user": ["username", "first_name", "last_name", "is_active", "is_superuser"],
    "auth_group": ["name"],
    "auth_user_groups": None,
    "auth_group_permissions": None,
    "auth_user_user_permissions": None,
    "auth_permission": ["codename", "content_type_id"],
    "django_content_type": ["app_label", "model"],
    "studio_studiopreferences": None,
}
EVENTS = ("insert", "update", "delete")


def _name(table: str, event: str) -> str:
    return f"lists_stamp_{table}_{event}"


def _sqlite(table: str, event: str) -> str:
    columns = WATCHED[table]
    on = f"AFTER {event.upper()} ON {table}"
    when = ""
    if event == "update" and columns:
        on = f"AFTER UPDATE OF {', '.join(columns)} ON {table}"
        when = "WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER {_name(table, event)} {on} {when} BEGIN
        INSERT INTO studio_lists_stamp (id, stamp) VALUES (1, random())
            ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
    END"""


MOVED = """CREATE FUNCTION studio_lists_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO studio_lists_stamp (id, stamp)
        VALUES (1, floor((random() - 0.5) * 9.2e18)::bigint)
        ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp;
    RETURN NULL;
END $$"""


def _postgresql(table: str, event: str) -> str:
    columns = WATCHED[table]
    if event == "update" and columns:
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        return f"""CREATE TRIGGER {_name(table, event)} AFTER UPDATE OF {", ".join(columns)}
        ON {table} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION studio_lists_moved()"""
    # One move per statement is enough: nothing is read from the rows.
    return f"""CREATE TRIGGER {_name(table, event)} AFTER {event.upper()} ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION studio_lists_moved()"""


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = [_sqlite(t, e) for t in WATCHED for e in EVENTS]
    elif vendor == "postgresql":
        statements = [MOVED, *(_postgresql(t, e) for t in WATCHED for e in EVENTS)]
    else:
        raise RuntimeError(f"The lists stamp has no triggers for {vendor}.")
    for sql in statements:
        schema_editor.execute(sql, params=None)
    # A stamp from the start: until its row exists nothing is kept (see studio/kept.py).
    schema_editor.execute(
        "INSERT INTO studio_lists_stamp (id, stamp) VALUES (1, %s)", params=[secrets.randbits(62)]
    )


def uninstall(apps, schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table in WATCHED:
        for event in EVENTS:
            on = f" ON {table}" if postgresql else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)}{on}", params=None)
    if postgresql:
        schema_editor.execute("DROP FUNCTION IF EXISTS studio_lists_moved()", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0007_currency_and_locale"),
        ("catalog", "0002_identifier_error_code"),
        ("tracking", "0005_due_notes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListsStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stamp", models.BigIntegerField()),
            ],
            options={"db_table": "studio_lists_stamp"},
        ),
        migrations.RunPython(install, uninstall),
    ]
