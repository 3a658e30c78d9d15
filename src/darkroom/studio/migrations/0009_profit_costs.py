"""Where the profit analysis takes product costs from: a studio preference.

SQLite adds a NOT NULL column by building the table again, and a rebuilt table has lost its
triggers: the lists stamp's three on the preferences (``0008_lists_stamp``) are put back after
the column is added, and again after it is taken away when the migration is undone.
"""

import importlib

from django.db import migrations, models

TABLE = "studio_studiopreferences"


def lists_stamp_triggers_again(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL adds the column in place; its triggers stay.
    stamp = importlib.import_module("darkroom.studio.migrations.0008_lists_stamp")
    for event in stamp.EVENTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {stamp._name(TABLE, event)}", params=None)
        schema_editor.execute(stamp._sqlite(TABLE, event), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("studio", "0008_lists_stamp"),
    ]

    operations = [
        # Undone last: the triggers come back after the column is taken away.
        migrations.RunPython(migrations.RunPython.noop, lists_stamp_triggers_again),
        migrations.AddField(
            model_name="studiopreferences",
            name="profit_costs",
            field=models.CharField(
                choices=[
                    ("price_list", "The price list's item costs (invoice lines × item cost)"),
                    ("vendor_invoices", "The production orders' vendor invoice amounts"),
                ],
                default="price_list",
                help_text=(
                    "Where the profit analysis takes product costs from (preproduction costs "
                    "are always added)."
                ),
                max_length=20,
                verbose_name="profit analysis costs",
            ),
        ),
        migrations.RunPython(lists_stamp_triggers_again, migrations.RunPython.noop),
    ]
