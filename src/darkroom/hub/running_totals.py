"""The database triggers that keep the hub's running totals, as one migration operation.

Why triggers: the totals (``hub/models.py``) must be right after any write — a single or bulk
status change, an order made or deleted, an invoice whose lines change, SQL typed by hand — so
the database keeps them, not Python. Why one operation: the triggers are written once per
database (SQLite and PostgreSQL), each in its own language, for each tracked table; a migration
names the table and what to keep (``RunningTotalsTriggers(…)``), and this module holds the SQL.

What the triggers do, on both databases: when an order starts counting (it is open and in a
status), stops counting or moves to another status, a row of +1 or -1 is added to
``hub_status_tally``; with ``invoice``, the order is also counted in ``hub_invoice_in_status``
and its invoice's total added or taken away when it is the invoice's first order in that status
or its last, and a change of an invoice's total gives every status its open orders sit in the
difference. On PostgreSQL the invoice's row is locked (as editing the invoice does) before its
count is touched, so a change to the invoice's lines and an order moving at the same moment are
counted one after the other; SQLite has one writer at a time. Every 500th tally row folds the
rows so far into one per status. With ``stamps``, a change of one of those columns of an open
order adds a row of nothing (0 orders, 0 cents): the totals' newest row and row count then say
whether anything the hub shows has changed (``hub/tally.py``, ``changes_stamp``).

The pieces the tracked tables share (the fold; on PostgreSQL the functions the triggers call)
are installed with the first table that needs them and dropped with the last. Migrations
already applied never run again, so what this installs must stay as it is: a change to the
triggers is a new migration with a new parameter, never an edit of the SQL below.

One module past 400 lines on purpose: most of it is that SQL, each trigger once per database,
and the two dialects of one trigger are read (and compared) side by side.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.migrations.operations.base import Operation

INVOICES = "clients_invoice"  # the invoices whose totals the running totals add up

# -- SQLite --------------------------------------------------------------------------------------


def _cents(row: str) -> str:
    return (
        f"COALESCE((SELECT CAST(ROUND(i.total * 100) AS INTEGER) FROM {INVOICES} i "
        f"WHERE i.id = {row}.invoice_id), 0)"
    )


def _sqlite_enters(row: str, invoice: bool) -> str:
    if not invoice:
        return (
            "INSERT INTO hub_status_tally (status_id, orders, invoice_cents) "
            f"VALUES ({row}.status_id, 1, 0);"
        )
    here = f"invoice_id = {row}.invoice_id AND status_id = {row}.status_id"
    return f"""
    INSERT INTO hub_invoice_in_status (invoice_id, status_id, orders)
        VALUES ({row}.invoice_id, {row}.status_id, 1)
        ON CONFLICT (invoice_id, status_id) DO UPDATE SET orders = orders + 1;
    INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, 1,
        CASE WHEN (SELECT orders FROM hub_invoice_in_status WHERE {here}) = 1
             THEN {_cents(row)} ELSE 0 END);"""


def _sqlite_leaves(row: str, invoice: bool) -> str:
    if not invoice:
        return (
            "INSERT INTO hub_status_tally (status_id, orders, invoice_cents) "
            f"VALUES ({row}.status_id, -1, 0);"
        )
    here = f"invoice_id = {row}.invoice_id AND status_id = {row}.status_id"
    return f"""
    UPDATE hub_invoice_in_status SET orders = orders - 1 WHERE {here};
    INSERT INTO hub_status_tally (status_id, orders, invoice_cents) VALUES ({row}.status_id, -1,
        CASE WHEN (SELECT orders FROM hub_invoice_in_status WHERE {here}) = 0
             THEN -{_cents(row)} ELSE 0 END);
    DELETE FROM hub_invoice_in_status WHERE {here} AND orders <= 0;"""


def _counted(row: str) -> str:
    return f"{row}.completed_date IS NULL AND {row}.status_id IS NOT NULL"


def _same_place() -> str:
    return "OLD.status_id = NEW.status_id AND OLD.invoice_id IS NEW.invoice_id"


def _sqlite_counts(table: str, name: str, invoice: bool) -> list[str]:
    columns = "status_id, completed_date" + (", invoice_id" if invoice else "")
    same = _same_place() if invoice else "OLD.status_id = NEW.status_id"
    return [
        f"""CREATE TRIGGER hub_{name}_insert AFTER INSERT ON {table}
        WHEN {_counted("NEW")} BEGIN {_sqlite_enters("NEW", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_delete AFTER DELETE ON {table}
        WHEN {_counted("OLD")} BEGIN {_sqlite_leaves("OLD", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_leave AFTER UPDATE OF {columns} ON {table}
        WHEN {_counted("OLD")} AND NOT ({_counted("NEW")} AND {same})
        BEGIN {_sqlite_leaves("OLD", invoice)} END""",
        f"""CREATE TRIGGER hub_{name}_enter AFTER UPDATE OF {columns} ON {table}
        WHEN {_counted("NEW")} AND NOT ({_counted("OLD")} AND {same})
        BEGIN {_sqlite_enters("NEW", invoice)} END""",
    ]


SQLITE_INVOICE_TOTAL = f"""CREATE TRIGGER hub_invoice_total AFTER UPDATE OF total ON {INVOICES}
    WHEN OLD.total IS NOT NEW.total BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        SELECT h.status_id, 0,
               CAST(ROUND(NEW.total * 100) AS INTEGER) - CAST(ROUND(OLD.total * 100) AS INTEGER)
        FROM hub_invoice_in_status h WHERE h.invoice_id = NEW.id;
    END"""


# Shared by every tracked table (SQLite leaves "IF NOT EXISTS" out of the definition it keeps).
SQLITE_FOLD = (
    "CREATE TRIGGER IF NOT EXISTS "
    + """hub_status_tally_fold AFTER INSERT ON hub_status_tally
    WHEN NEW.id % 500 = 0 BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        SELECT status_id, SUM(orders), SUM(invoice_cents) FROM hub_status_tally
        WHERE id <= NEW.id GROUP BY status_id
        HAVING SUM(orders) <> 0 OR SUM(invoice_cents) <> 0;
        DELETE FROM hub_status_tally WHERE id <= NEW.id;
    END"""
)
OPEN = "NEW.completed_date IS NULL AND NEW.status_id IS NOT NULL"


def _sqlite_stamp(table: str, name: str, columns: Sequence[str]) -> str:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER hub_{name}_touch AFTER UPDATE OF {", ".join(columns)}
    ON {table} WHEN {OPEN} AND ({changed}) BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
        VALUES (NEW.status_id, 0, 0);
    END"""


# -- PostgreSQL ----------------------------------------------------------------------------------

# Functions every tracked table's triggers call ("OR REPLACE": the second table finds them).
TALLY_ADD = """CREATE OR REPLACE FUNCTION
hub_tally_add(p_status bigint, p_orders integer, p_cents bigint)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE added bigint;
    BEGIN
        INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
            VALUES (p_status, p_orders, p_cents) RETURNING id INTO added;
        IF added % 500 = 0 THEN
            -- One statement: the rows it folds are exactly the rows it deletes, and a row
            -- another transaction has not committed yet is neither.
            WITH folded AS (
                DELETE FROM hub_status_tally WHERE id <= added
                RETURNING status_id, orders, invoice_cents
            )
            INSERT INTO hub_status_tally (status_id, orders, invoice_cents)
            SELECT status_id, SUM(orders), SUM(invoice_cents) FROM folded GROUP BY status_id
            HAVING SUM(orders) <> 0 OR SUM(invoice_cents) <> 0;
        END IF;
    END $$"""


ORDER_MOVES = f"""CREATE OR REPLACE FUNCTION
hub_order_moves(p_status bigint, p_invoice bigint, p_step integer)
    RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        total numeric;
        here integer;
        cents bigint := 0;
    BEGIN
        IF p_invoice IS NOT NULL THEN
            SELECT i.total INTO total FROM {INVOICES} i WHERE i.id = p_invoice
                FOR NO KEY UPDATE;
            IF p_step > 0 THEN
                INSERT INTO hub_invoice_in_status AS h (invoice_id, status_id, orders)
                    VALUES (p_invoice, p_status, 1)
                    ON CONFLICT (invoice_id, status_id) DO UPDATE SET orders = h.orders + 1
                    RETURNING h.orders INTO here;
                IF here = 1 THEN cents := ROUND(COALESCE(total, 0) * 100); END IF;
            ELSE
                UPDATE hub_invoice_in_status SET orders = orders - 1
                    WHERE invoice_id = p_invoice AND status_id = p_status
                    RETURNING orders INTO here;
                IF here IS NOT NULL AND here <= 0 THEN
                    DELETE FROM hub_invoice_in_status
                        WHERE invoice_id = p_invoice AND status_id = p_status;
                    cents := -ROUND(COALESCE(total, 0) * 100);
                END IF;
            END IF;
        END IF;
        PERFORM hub_tally_add(p_status, p_step, cents);
    END $$"""


ORDER_COUNTS = """CREATE OR REPLACE FUNCTION
hub_order_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE invoice_column boolean := TG_ARGV[0] = 'invoice';
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE')
           AND OLD.completed_date IS NULL AND OLD.status_id IS NOT NULL THEN
            PERFORM hub_order_moves(OLD.status_id,
                CASE WHEN invoice_column THEN (to_jsonb(OLD) ->> 'invoice_id')::bigint END, -1);
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT')
           AND NEW.completed_date IS NULL AND NEW.status_id IS NOT NULL THEN
            PERFORM hub_order_moves(NEW.status_id,
                CASE WHEN invoice_column THEN (to_jsonb(NEW) ->> 'invoice_id')::bigint END, 1);
        END IF;
        RETURN NULL;
    END $$"""


def _postgresql_counts(table: str, name: str, invoice: bool) -> list[str]:
    argument = "'invoice'" if invoice else "'none'"
    if invoice:
        return [
            f"""CREATE TRIGGER hub_{name}_counts AFTER INSERT OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION hub_order_counts({argument})""",
            f"""CREATE TRIGGER hub_{name}_moves
    AFTER UPDATE OF status_id, completed_date, invoice_id ON {table} FOR EACH ROW
    WHEN (OLD.status_id IS DISTINCT FROM NEW.status_id
          OR (OLD.completed_date IS NULL) <> (NEW.completed_date IS NULL)
          OR OLD.invoice_id IS DISTINCT FROM NEW.invoice_id)
    EXECUTE FUNCTION hub_order_counts({argument})""",
        ]
    return [
        f"""CREATE TRIGGER hub_{name}_counts AFTER INSERT OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION hub_order_counts({argument})""",
        f"""CREATE TRIGGER hub_{name}_moves
    AFTER UPDATE OF status_id, completed_date ON {table} FOR EACH ROW
    WHEN (OLD.status_id IS DISTINCT FROM NEW.status_id
          OR (OLD.completed_date IS NULL) <> (NEW.completed_date IS NULL))
    EXECUTE FUNCTION hub_order_counts({argument})""",
    ]


INVOICE_TOTAL_CHANGES = """CREATE FUNCTION
hub_invoice_total_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE difference bigint := ROUND(NEW.total * 100) - ROUND(OLD.total * 100);
    BEGIN
        IF difference <> 0 THEN
            PERFORM hub_tally_add(h.status_id, 0, difference)
            FROM hub_invoice_in_status h WHERE h.invoice_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$"""


POSTGRESQL_INVOICE_TOTAL = f"""CREATE TRIGGER hub_invoice_total AFTER UPDATE OF total ON {INVOICES}
    FOR EACH ROW
    WHEN (OLD.total IS DISTINCT FROM NEW.total) EXECUTE FUNCTION hub_invoice_total_changes()"""


ORDER_TOUCHED = """CREATE OR REPLACE FUNCTION
hub_order_touched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM hub_tally_add(NEW.status_id, 0, 0);
    RETURN NULL;
END $$"""


def _postgresql_stamp(table: str, name: str, columns: Sequence[str]) -> str:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    return f"""CREATE TRIGGER hub_{name}_touch AFTER UPDATE OF {", ".join(columns)}
    ON {table} FOR EACH ROW WHEN ({OPEN} AND ({changed}))
    EXECUTE FUNCTION hub_order_touched()"""


# -- the operation -------------------------------------------------------------------------------


class RunningTotalsTriggers(Operation):
    """Install (forwards) or drop (backwards) the triggers that keep the hub's running totals
    for one tracked table of orders, on SQLite or PostgreSQL.

    ``table``: the orders' table; ``name``: the word in the triggers' names
    (``hub_<name>_insert``…). ``counts``: count its open orders per status. ``invoice``: its
    orders belong to an invoice (``clients_invoice``) whose total the totals add up; the
    trigger on the invoices' totals comes with it. ``stamps``: the columns whose change, on an
    open order, marks the totals changed. The running totals' own tables must exist; the
    totals are not counted again here (a migration that adds the first table does that).
    """

    reversible = True
    reduces_to_sql = False  # whether the shared pieces are dropped depends on what is there

    def __init__(
        self,
        table: str,
        name: str,
        *,
        counts: bool = True,
        invoice: bool = False,
        stamps: Sequence[str] = (),
    ) -> None:
        if invoice and not counts:
            raise ValueError("An invoice's total is counted with its orders: counts=True.")
        if not counts and not stamps:
            raise ValueError("Nothing to keep: counts, stamps or both.")
        self.table = table
        self.name = name
        self.counts = counts
        self.invoice = invoice
        self.stamps = tuple(stamps)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {"table": self.table, "name": self.name}
        if not self.counts:
            kwargs["counts"] = False
        if self.invoice:
            kwargs["invoice"] = True
        if self.stamps:
            kwargs["stamps"] = list(self.stamps)
        return self.__class__.__qualname__, [], kwargs

    def describe(self) -> str:
        kept = [
            *(["open orders per status"] if self.counts else []),
            *([f"invoice totals of {INVOICES}"] if self.invoice else []),
            *([f"changes of {', '.join(self.stamps)}"] if self.stamps else []),
        ]
        return f"Running totals' triggers on {self.table}: {'; '.join(kept)}"

    @property
    def migration_name_fragment(self) -> str:
        return f"running_totals_{self.name}"

    def state_forwards(self, app_label: str, state: Any) -> None:
        """Triggers are no part of Django's model state."""

    # -- what is installed ------------------------------------------------------------------

    def triggers(self, vendor: str) -> list[str]:
        """The names of the triggers this installs on ``vendor`` (the shared ones too)."""
        names = []
        if self.counts:
            events = (
                ("insert", "delete", "leave", "enter")
                if vendor == "sqlite"
                else ("counts", "moves")
            )
            names += [f"hub_{self.name}_{event}" for event in events]
            names += ["hub_invoice_total"] if self.invoice else []
            names += ["hub_status_tally_fold"] if vendor == "sqlite" else []
        if self.stamps:
            names.append(f"hub_{self.name}_touch")
        return names

    def _statements(self, vendor: str) -> list[str]:
        if vendor == "sqlite":
            statements = []
            if self.counts:
                statements += _sqlite_counts(self.table, self.name, self.invoice)
                if self.invoice:
                    statements.append(SQLITE_INVOICE_TOTAL)
                statements.append(SQLITE_FOLD)
            if self.stamps:
                statements.append(_sqlite_stamp(self.table, self.name, self.stamps))
            return statements
        if vendor == "postgresql":
            statements = []
            if self.counts:
                statements += [TALLY_ADD, ORDER_MOVES, ORDER_COUNTS]
                statements += _postgresql_counts(self.table, self.name, self.invoice)
                if self.invoice:
                    statements += [INVOICE_TOTAL_CHANGES, POSTGRESQL_INVOICE_TOTAL]
            if self.stamps:
                statements += [ORDER_TOUCHED, _postgresql_stamp(self.table, self.name, self.stamps)]
            return statements
        raise RuntimeError(f"The hub's running totals have no triggers for {vendor}.")

    # -- forwards and backwards -------------------------------------------------------------

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for sql in self._statements(schema_editor.connection.vendor):
            schema_editor.execute(sql, params=None)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            own = [t for t in self.triggers(vendor) if t != "hub_status_tally_fold"]
            for trigger in own:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger}", params=None)
            if self.counts and not _sqlite_tally_written(schema_editor):
                schema_editor.execute("DROP TRIGGER IF EXISTS hub_status_tally_fold", params=None)
            return
        if vendor != "postgresql":
            return
        on = {f"hub_{self.name}_{e}": self.table for e in ("counts", "moves", "touch")}
        on["hub_invoice_total"] = INVOICES
        for trigger in self.triggers(vendor):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {on[trigger]}", params=None)
        if self.invoice:
            schema_editor.execute(
                "DROP FUNCTION IF EXISTS hub_invoice_total_changes()", params=None
            )
        if self.stamps and not _postgresql_called("hub_order_touched()", schema_editor):
            schema_editor.execute("DROP FUNCTION IF EXISTS hub_order_touched()", params=None)
        if self.counts and not _postgresql_called("hub_order_counts()", schema_editor):
            for function in (
                "hub_order_counts()",
                "hub_order_moves(bigint, bigint, integer)",
                "hub_tally_add(bigint, integer, bigint)",
            ):
                schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}", params=None)


def _sqlite_tally_written(schema_editor: Any) -> bool:
    """Whether a trigger besides the fold still writes the tally (another tracked table's)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
            " AND name <> 'hub_status_tally_fold' AND sql LIKE '%INSERT INTO hub_status_tally%'"
        )
        (found,) = cursor.fetchone()
    return bool(found)


def _postgresql_called(function: str, schema_editor: Any) -> bool:
    """Whether a trigger still calls ``function`` (another tracked table's)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgfoid = to_regprocedure(%s)", [function]
        )
        (found,) = cursor.fetchone()
    return bool(found)
