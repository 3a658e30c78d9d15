"""What clients see of a status: whether it is shown on their status page, and under which name.

SQLite adds a NOT NULL column by building the table again, and a rebuilt table has lost its
triggers: the lists stamp's on the statuses (``studio/0008_lists_stamp``) are put back after the
columns are added, and again after they are taken away when the migration is undone.
"""

import importlib

from django.db import migrations, models

TABLE = "tracking_status"


def lists_stamp_triggers_again(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL adds the columns in place; its triggers stay.
    stamp = importlib.import_module("darkroom.studio.migrations.0008_lists_stamp")
    for event in stamp.EVENTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {stamp._name(TABLE, event)}", params=None)
        schema_editor.execute(stamp._sqlite(TABLE, event), params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0008_business_days_late'),
        ('studio', '0008_lists_stamp'),
    ]

    operations = [
        # Undone last: the triggers come back after the columns are taken away.
        migrations.RunPython(migrations.RunPython.noop, lists_stamp_triggers_again),
        migrations.AddField(
            model_name='status',
            name='client_name',
            field=models.CharField(blank=True, help_text='What the client reads, e.g. “Being retouched”; empty = the description.', max_length=80, verbose_name='name for clients'),
        ),
        migrations.AddField(
            model_name='status',
            name='client_visible',
            field=models.BooleanField(default=False, help_text="Show this step on the client's status page. A hidden step shows as the last shown step the order reached (or “In progress”).", verbose_name='shown to clients'),
        ),
        migrations.RunPython(lists_stamp_triggers_again, migrations.RunPython.noop),
    ]
