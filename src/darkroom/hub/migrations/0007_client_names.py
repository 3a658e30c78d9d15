"""The client's names on each open order, kept by the database, and the indexes that sort and
search the open orders by them.

Why: the hub sorts open orders by client and searches them by the client's name. Read through
the clients, a page sorted by client walked the clients in name order and probed each one for
open orders, and a name many clients share made a page test the client of each order it walked:
a client row read per order, 12 to 19 ms at a million orders. With the names on the order rows
(``production/models.py``) both are ranges of indexes that hold open orders only: the sort by
client reads 51 entries of (last name, first name, id), and a search reads the open orders whose
upper-cased first or last name starts with the word (``hub/search.py``).

Who keeps the copy: triggers, written once per database as the running totals' are
(``0001_running_totals.py``), so every write keeps it, the ORM's or SQL's, one order or a
million (the bulk writer of ``sample_data/scale`` too). An open order takes its client's names when
it is made, opened again, or given another client (a proof order: another session, or its
session another client), and whenever a write leaves them different from the client's (a save
of a stale copy of the order); renaming a client renames their open orders. A finished order's
copy is not kept: nothing reads it.

On PostgreSQL the order's trigger reads its client (and session) ``FOR SHARE``, which waits for
a rename or a move of the session being written at the same moment, and makes them wait for it:
one then sees the other's result. SQLite has one writer at a time.

The copy is filled once here for the open orders already there (a few percent of the orders),
before the triggers and indexes exist.
"""

from django.db import migrations

ORDERS = "production_productionorder"
PROOFS = "production_preproductionorder"
CLIENTS = "clients_client"
SESSIONS = "clients_session"
OPEN = "completed_date IS NULL"

# The client of a row (``NEW`` in a trigger, or the table itself) of each table.
CLIENT_OF = {
    ORDERS: lambda row: f"FROM {CLIENTS} c WHERE c.id = {row}.client_id",
    PROOFS: lambda row: (
        f"FROM {SESSIONS} s INNER JOIN {CLIENTS} c ON c.id = s.client_id "
        f"WHERE s.id = {row}.session_id"
    ),
}
NAMES = {ORDERS: "production_order", PROOFS: "proof_order"}
WATCHED = {ORDERS: "client_id", PROOFS: "session_id"}

INDEXES = [
    # (name, columns on SQLite, columns on PostgreSQL): each table gets the three, open orders only
    (
        "sort",
        "client_last_name, client_first_name, id",
        '(client_last_name COLLATE "C"), (client_first_name COLLATE "C"), id',
    ),
    (
        "last",
        "UPPER(client_last_name), UPPER(client_first_name)",
        "UPPER(client_last_name) text_pattern_ops, UPPER(client_first_name) text_pattern_ops",
    ),
    (
        "first",
        "UPPER(client_first_name), UPPER(client_last_name)",
        "UPPER(client_first_name) text_pattern_ops, UPPER(client_last_name) text_pattern_ops",
    ),
]
SHORT = {ORDERS: "po", PROOFS: "pre"}
# SQLite only: open orders by id, with what a page sorted by due date reads of them. A page of
# the orders a search finds reads them by id through it (``hub/selectors/page_query.py``) without reading
# their rows: thousands of rows spread over a table of a million outgrow SQLite's page cache
# (2 MB) and are read again each time (2,600 orders: 10 ms measured, 1.5 ms from this index).
# PostgreSQL reads them by their key.
BY_ID = ("ids", "id, status_due_date, status_id", None)


def _index_name(table: str, what: str) -> str:
    return f"hub_{SHORT[table]}_client_{what}_idx"


def _name(column: str, table: str, row: str) -> str:
    return f"(SELECT c.{column} {CLIENT_OF[table](row)})"


def _fill(table: str) -> str:
    """Copy the client's names onto the table's open orders (portable SQL)."""
    return (
        f"UPDATE {table} SET client_first_name = {_name('first_name', table, table)}, "
        f"client_last_name = {_name('last_name', table, table)} WHERE {OPEN}"
    )


# -- SQLite --------------------------------------------------------------------------------------


def _sqlite_order(table: str) -> list[str]:
    """The open order's names are its client's after any write that could change them: one
    trigger for a new order, one for a change of the columns they depend on."""
    differs = (
        f"(NEW.client_first_name IS NOT {_name('first_name', table, 'NEW')} "
        f"OR NEW.client_last_name IS NOT {_name('last_name', table, 'NEW')})"
    )
    copy = (
        f"UPDATE {table} SET client_first_name = {_name('first_name', table, 'NEW')}, "
        f"client_last_name = {_name('last_name', table, 'NEW')} WHERE id = NEW.id;"
    )
    name = NAMES[table]
    columns = f"{WATCHED[table]}, completed_date, client_first_name, client_last_name"
    return [
        f"""CREATE TRIGGER hub_{name}_named AFTER INSERT ON {table}
        WHEN NEW.{OPEN} AND {differs} BEGIN {copy} END""",
        f"""CREATE TRIGGER hub_{name}_renamed AFTER UPDATE OF {columns} ON {table}
        WHEN NEW.{OPEN} AND {differs} BEGIN {copy} END""",
    ]


SQLITE = [
    *_sqlite_order(ORDERS),
    *_sqlite_order(PROOFS),
    f"""CREATE TRIGGER hub_client_renamed AFTER UPDATE OF first_name, last_name ON {CLIENTS}
    WHEN OLD.first_name IS NOT NEW.first_name OR OLD.last_name IS NOT NEW.last_name BEGIN
        UPDATE {ORDERS} SET client_first_name = NEW.first_name, client_last_name = NEW.last_name
        WHERE client_id = NEW.id AND {OPEN};
        UPDATE {PROOFS} SET client_first_name = NEW.first_name, client_last_name = NEW.last_name
        WHERE session_id IN (SELECT s.id FROM {SESSIONS} s WHERE s.client_id = NEW.id)
            AND {OPEN};
    END""",
    f"""CREATE TRIGGER hub_session_moved AFTER UPDATE OF client_id ON {SESSIONS}
    WHEN OLD.client_id IS NOT NEW.client_id BEGIN
        UPDATE {PROOFS} SET
            client_first_name = (SELECT c.first_name FROM {CLIENTS} c WHERE c.id = NEW.client_id),
            client_last_name = (SELECT c.last_name FROM {CLIENTS} c WHERE c.id = NEW.client_id)
        WHERE session_id = NEW.id AND {OPEN};
    END""",
]
SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS hub_{name}_{event}"
        for name in NAMES.values()
        for event in ("named", "renamed")
    ),
    "DROP TRIGGER IF EXISTS hub_client_renamed",
    "DROP TRIGGER IF EXISTS hub_session_moved",
]


# -- PostgreSQL ----------------------------------------------------------------------------------


def _postgresql_order(table: str) -> list[str]:
    """Before the row is written: its names are read from its client (locked ``FOR SHARE``)."""
    name = NAMES[table]
    watched = WATCHED[table]
    return [
        f"""CREATE FUNCTION hub_{name}_names() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            SELECT c.first_name, c.last_name INTO NEW.client_first_name, NEW.client_last_name
            {CLIENT_OF[table]("NEW")} FOR SHARE;
            RETURN NEW;
        END $$""",
        f"""CREATE TRIGGER hub_{name}_named BEFORE INSERT ON {table} FOR EACH ROW
        WHEN (NEW.{OPEN}) EXECUTE FUNCTION hub_{name}_names()""",
        f"""CREATE TRIGGER hub_{name}_renamed
        BEFORE UPDATE OF {watched}, completed_date, client_first_name, client_last_name
        ON {table} FOR EACH ROW
        WHEN (NEW.{OPEN} AND (OLD.completed_date IS NOT NULL
              OR OLD.{watched} IS DISTINCT FROM NEW.{watched}
              OR OLD.client_first_name IS DISTINCT FROM NEW.client_first_name
              OR OLD.client_last_name IS DISTINCT FROM NEW.client_last_name))
        EXECUTE FUNCTION hub_{name}_names()""",
    ]


POSTGRESQL = [
    *_postgresql_order(ORDERS),
    *_postgresql_order(PROOFS),
    f"""CREATE FUNCTION hub_client_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {ORDERS} SET client_first_name = NEW.first_name, client_last_name = NEW.last_name
        WHERE client_id = NEW.id AND {OPEN};
        UPDATE {PROOFS} SET client_first_name = NEW.first_name, client_last_name = NEW.last_name
        WHERE session_id IN (SELECT s.id FROM {SESSIONS} s WHERE s.client_id = NEW.id)
            AND {OPEN};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hub_client_renamed AFTER UPDATE OF first_name, last_name ON {CLIENTS}
    FOR EACH ROW WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name
                       OR OLD.last_name IS DISTINCT FROM NEW.last_name)
    EXECUTE FUNCTION hub_client_renamed()""",
    f"""CREATE FUNCTION hub_session_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {PROOFS} o SET client_first_name = c.first_name, client_last_name = c.last_name
        FROM {CLIENTS} c WHERE c.id = NEW.client_id AND o.session_id = NEW.id AND o.{OPEN};
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER hub_session_moved AFTER UPDATE OF client_id ON {SESSIONS}
    FOR EACH ROW WHEN (OLD.client_id IS DISTINCT FROM NEW.client_id)
    EXECUTE FUNCTION hub_session_moved()""",
]
POSTGRESQL_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS hub_{name}_{event} ON {table}"
        for table, name in NAMES.items()
        for event in ("named", "renamed")
    ),
    f"DROP TRIGGER IF EXISTS hub_client_renamed ON {CLIENTS}",
    f"DROP TRIGGER IF EXISTS hub_session_moved ON {SESSIONS}",
    "DROP FUNCTION IF EXISTS hub_client_renamed()",
    "DROP FUNCTION IF EXISTS hub_session_moved()",
    *(f"DROP FUNCTION IF EXISTS hub_{name}_names()" for name in NAMES.values()),
]


def install(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"The hub's copy of the client's names has no triggers for {vendor}.")
    postgresql = vendor == "postgresql"
    for table in NAMES:
        schema_editor.execute(_fill(table), params=None)
        for what, columns, pg_columns in [*INDEXES, *([] if postgresql else [BY_ID])]:
            shown = pg_columns if postgresql else columns
            schema_editor.execute(
                f"CREATE INDEX {_index_name(table, what)} ON {table} ({shown}) WHERE {OPEN}",
                params=None,
            )
    for sql in statements:
        schema_editor.execute(sql, params=None)
    if postgresql:  # how the upper-cased names spread, which its planner weighs a prefix by
        for table in NAMES:
            schema_editor.execute(f"ANALYZE {table}", params=None)


def uninstall(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql, params=None)
    for table in NAMES:
        for what, *_ in [*INDEXES, BY_ID]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {_index_name(table, what)}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0006_number_order"),
        ("production", "0015_client_names"),
        ("clients", "0005_invoice_production_orders_prompt"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
