"""The vendor performance report's summary, filled from the history already written, and the
triggers that keep it (``reports/vendor_steps.py``).

The history written before ``business_days_late`` existed gets it here, as well as it can be
known now, for production orders (the only records the report reads): the due date a step had
when it was left is the due date on the last history row before the change (the row that
entered the step, or a later one that moved its due date: due, recompute, reassign and edit rows
all carry the step's due date then; detail rows carry none and are passed over), counted on the
order's vendor's calendar as it stands today (the work week and closures of the time are not
kept). Changes of sessions, invoices and proof orders are left empty. Then the summary is
counted from the whole history and the triggers keep it from there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import migrations, models

from darkroom.reports import vendor_steps
from darkroom.scheduling import BusinessCalendar, closure_range
from darkroom.tracking.standing import business_days_late

BATCH = 20_000  # orders read at a time


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _calendars(apps: Any) -> tuple[BusinessCalendar, dict[int, BusinessCalendar]]:
    Preferences = apps.get_model("studio", "StudioPreferences")
    Closure = apps.get_model("studio", "Closure")
    prefs = Preferences.objects.filter(pk=1).first() or Preferences()
    mask = prefs.work_days_mask
    own: dict[int | None, list[dt.date]] = {}
    for vendor, first, last in Closure.objects.values_list("vendor_id", "first_date", "last_date"):
        own.setdefault(vendor, []).extend(closure_range(first, last))
    studio = BusinessCalendar([d for d in range(7) if mask >> d & 1], own.pop(None, []))
    return studio, {vendor: studio.with_closures(days) for vendor, days in own.items()}


def fill_business_days_late(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    order_type = ContentType.objects.filter(app_label="production", model="productionorder").first()
    if order_type is None:
        return  # a new database: no history yet
    connection = schema_editor.connection
    studio, vendors = _calendars(apps)
    q = connection.ops.quote_name
    read = (
        "SELECT n.id, n.object_id, n.kind, n.date_completed, n.due_date, o.vendor_id"
        f" FROM {q('tracking_statusnote')} n"
        f" INNER JOIN {q('production_productionorder')} o ON o.id = n.object_id"
        " WHERE n.content_type_id = %s AND n.object_id >= %s AND n.object_id < %s"
        " AND n.kind <> 'details'"
        " ORDER BY n.object_id, n.changed_at, n.id"
    )
    write = f"UPDATE {q('tracking_statusnote')} SET business_days_late = %s WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {q('production_productionorder')}")
        first, last = cursor.fetchone()
        if first is None:
            return
        for start in range(first, last + 1, BATCH):
            cursor.execute(read, [order_type.pk, start, start + BATCH])
            updates = []
            record, due = None, None
            for pk, record_id, kind, left, due_date, vendor in cursor.fetchall():
                if record_id != record:
                    record, due = record_id, None
                if kind == "change":
                    late = business_days_late(
                        due=due, left=_day(left), calendar=vendors.get(vendor, studio)
                    )
                    if late is not None:
                        updates.append((late, pk))
                due = _day(due_date)
            if updates:
                cursor.executemany(write, updates)


def install(apps: Any, schema_editor: Any) -> None:
    vendor_steps.count_again(schema_editor.connection)
    vendor_steps.install(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    vendor_steps.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("tracking", "0008_business_days_late"),
        ("production", "0019_finished_index_vendor"),
        ("reports", "0002_time_in_status"),
        ("studio", "0009_profit_costs"),
    ]

    operations = [
        migrations.CreateModel(
            name="VendorStepDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(help_text="The day the steps were left.")),
                ("vendor_id", models.BigIntegerField()),
                ("steps", models.IntegerField(help_text="Steps left (change notes).")),
                (
                    "due_steps",
                    models.IntegerField(help_text="Of those, steps that had a due date."),
                ),
                ("on_time", models.IntegerField(help_text="Left on or before their due date.")),
                ("late", models.IntegerField(help_text="Left after their due date.")),
                (
                    "late_days",
                    models.BigIntegerField(
                        help_text="The late steps' business days late, added up."
                    ),
                ),
            ],
            options={
                "db_table": "reports_vendor_step_day",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "vendor_id"), name="reports_vendor_step_day_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_business_days_late, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
