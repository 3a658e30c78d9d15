"""Every trigger the migrations install is still there after the last migration.

On SQLite a migration that rebuilds a table (adding a NOT NULL column with a default, changing a
field) drops the table's triggers without a word. Six figures depend on triggers: the hub's
running totals, the open orders' copy of their client's names (which the hub sorts and searches
by), the studio's lists stamp (what tells every process its kept choice lists are stale), the
workload report's status history per status and day, the time-in-status report's summary of
the steps left (``reports/steps_left.py``) and the vendors' steps per day (the vendor performance
report). A later migration that rebuilt one of their tables would leave them silently wrong; this
test names the trigger that went missing.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection

from darkroom.hub.running_totals import RunningTotalsTriggers
from darkroom.reports import vendor_steps

pytestmark = pytest.mark.django_db

CREATED = re.compile(r"CREATE TRIGGER (\w+)", re.IGNORECASE)


def _hub_triggers() -> set[str]:
    """What the running totals' migration operations install (``hub/running_totals.py``)."""
    found = set()
    for name in ("0001_running_totals", "0003_changes_stamped"):
        migration = importlib.import_module(f"darkroom.hub.migrations.{name}").Migration
        for op in migration.operations:
            if isinstance(op, RunningTotalsTriggers):
                found |= set(op.triggers(connection.vendor))
    return found


def _client_name_triggers() -> set[str]:
    names = importlib.import_module("darkroom.hub.migrations.0007_client_names")
    statements = names.POSTGRESQL if connection.vendor == "postgresql" else names.SQLITE
    return {name for sql in statements for name in CREATED.findall(sql)}


def _stamp_triggers() -> set[str]:
    stamp = importlib.import_module("darkroom.studio.migrations.0008_lists_stamp")
    return {stamp._name(table, event) for table in stamp.WATCHED for event in stamp.EVENTS}


def _installed() -> set[str]:
    query = (
        "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        if connection.vendor == "postgresql"
        else "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {name for (name,) in cursor.fetchall()}


def test_the_hub_running_totals_triggers_are_all_installed():
    expected = _hub_triggers()
    assert len(expected) >= 4
    assert expected - _installed() == set()


def test_the_triggers_that_keep_the_open_orders_client_names_are_all_installed():
    expected = _client_name_triggers()
    assert len(expected) == 6  # made, changed: each kind of order; a client, a session
    assert expected - _installed() == set()


def test_the_lists_stamp_triggers_are_all_installed():
    expected = _stamp_triggers()
    assert len(expected) == 42
    assert expected - _installed() == set()


def _workload_triggers() -> set[str]:
    """What keeps the workload report's status history per status and day
    (``reports/migrations/0001_workload.py``)."""
    flow = importlib.import_module("darkroom.reports.migrations.0001_workload")
    statements = flow.POSTGRESQL if connection.vendor == "postgresql" else flow.SQLITE
    return {name for sql in statements for name in CREATED.findall(sql)}


def test_the_workload_summary_triggers_are_all_installed():
    expected = _workload_triggers()
    # History rows written and deleted (one trigger on PostgreSQL, two on SQLite), and edited.
    assert len(expected) == (2 if connection.vendor == "postgresql" else 3)
    assert expected - _installed() == set()


def test_the_trigger_that_keeps_the_steps_left_summary_is_installed():
    from darkroom.reports.steps_left import TRIGGER

    assert {TRIGGER} - _installed() == set()


def test_the_vendor_performance_summary_triggers_are_all_installed():
    expected = vendor_steps.triggers(connection.vendor)
    assert len(expected) == 1  # a change note inserted
    assert expected - _installed() == set()
