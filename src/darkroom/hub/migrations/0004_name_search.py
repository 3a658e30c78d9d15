"""Indexes for the hub's search by client name: from the name to the client, and from the
client to their open orders.

Each index of names holds both names, upper-cased: one is looked up by a word of the search
as a last name, the other as a first name, and the other words are tested on the same
entries without reading the clients' rows.

The hub looks a name up case-blind, as ``UPPER(name) LIKE UPPER('word%')`` on PostgreSQL,
whose planner turns that prefix into a range of an index of ``UPPER(name)`` with
``text_pattern_ops``, whatever the database's collation; SQLite is given the range of
``UPPER(name)`` itself (``hub/search.py``).
The orders' indexes hold open orders only, by client (production) or session (proofs): a
client with no open order costs one probe that finds nothing. Written as SQL because the
operator class is PostgreSQL's alone.
"""

from django.db import migrations

INDEXES = [
    # (name, table, columns on SQLite, columns on PostgreSQL, open orders only)
    (
        "hub_client_last_idx",
        "clients_client",
        "UPPER(last_name), UPPER(first_name)",
        "UPPER(last_name) text_pattern_ops, UPPER(first_name) text_pattern_ops",
        False,
    ),
    (
        "hub_client_first_idx",
        "clients_client",
        "UPPER(first_name), UPPER(last_name)",
        "UPPER(first_name) text_pattern_ops, UPPER(last_name) text_pattern_ops",
        False,
    ),
    ("hub_po_client_idx", "production_productionorder", "client_id", "client_id", True),
    ("hub_pre_session_idx", "production_preproductionorder", "session_id", "session_id", True),
]


def create(apps, schema_editor) -> None:
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, table, columns, pg_columns, open_only in INDEXES:
        shown = pg_columns if postgresql else columns
        where = " WHERE completed_date IS NULL" if open_only else ""
        schema_editor.execute(f"CREATE INDEX {name} ON {table} ({shown}){where}", params=None)
    if postgresql:  # how the upper-cased names spread, which its planner weighs a prefix by
        schema_editor.execute("ANALYZE clients_client", params=None)


def drop(apps, schema_editor) -> None:
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_changes_stamped"),
        ("clients", "0005_invoice_production_orders_prompt"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
