"""On PostgreSQL the studio's order numbers come from a sequence, no longer from the count's row.

Taking numbers by updating the one row held that row until the creating transaction ended, so
two people making orders at once waited on each other (``production/numbers.py`` says why a
sequence does not). The sequence starts where the count had got to, or after the highest number
any order has if that is further (a bulk loader's, or one typed in before the studio-wide
count): no number already given, or printed on a label, is given again. The row stays; SQLite
goes on taking numbers from it. Going back writes the sequence's next number into the row, so
the row goes on from there.
"""

from django.db import migrations

SEQUENCE = "production_order_number_seq"  # production/numbers.py takes from it by this name
LONGEST = 18  # digits of a number read as a number (production/numbers.py)


def _start(apps, cursor) -> int:
    """The first number the sequence gives: past the count and past every order's number."""
    counter = apps.get_model("production", "OrderNumbers")
    starts = [row[0] for row in counter.objects.filter(pk=1).values_list("next_number")]
    for name in ("ProductionOrder", "PreproductionOrder"):
        table = apps.get_model("production", name)._meta.db_table
        cursor.execute(
            f'SELECT MAX(number::bigint) FROM "{table}" WHERE number ~ %s',
            [f"^[0-9]{{1,{LONGEST}}}$"],
        )
        highest = cursor.fetchone()[0]
        starts.append((highest or 0) + 1)
    return max([1, *starts])


def create_sequence(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint MINVALUE 1 NO CYCLE")
        cursor.execute(f"SELECT setval('{SEQUENCE}', %s, false)", [_start(apps, cursor)])


def drop_sequence(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    counter = apps.get_model("production", "OrderNumbers")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{SEQUENCE}')")
        following = max(cursor.fetchone()[0], _start(apps, cursor))
        counter.objects.update_or_create(pk=1, defaults={"next_number": following})
        cursor.execute(f"DROP SEQUENCE {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("production", "0013_remaining_days_filled")]

    operations = [migrations.RunPython(create_sequence, drop_sequence, elidable=False)]
