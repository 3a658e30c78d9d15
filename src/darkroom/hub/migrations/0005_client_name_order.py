"""An index of the clients in the order the hub sorts them by name on PostgreSQL: byte by byte
(``COLLATE "C"``, ``hub/selectors/sorts.py``), last name then first name.

A page sorted by client reads the clients in that order and each one's open orders, stopping
when the page is full; the clients' own index of names follows the database's collation, which
PostgreSQL cannot read in byte order. SQLite compares bytes anyway: its index of names serves.
"""

from django.db import migrations

NAME = "hub_client_name_bytes_idx"


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX {NAME} ON clients_client ((last_name COLLATE "C"), '
            '(first_name COLLATE "C"))',
            params=None,
        )


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}", params=None)


class Migration(migrations.Migration):
    dependencies = [("hub", "0004_name_search")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
