"""The worker's reads of its queues (webhooks, firings, messages) go through indexes that hold
the queue alone, on both databases: never the history beside it (see
``darkroom/partial_indexes.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from darkroom.messaging.queues import firings_waiting, messages_due
from darkroom.partial_indexes import one_of
from darkroom.webhooks.models import Delivery, Endpoint
from darkroom.webhooks.sending import endpoint_due

pytestmark = pytest.mark.django_db


def plan_of(sql: str, params: tuple) -> str:
    """The database's plan for a statement, as text. PostgreSQL is told to avoid reading
    whole tables, which it would rightly prefer on a test's nearly empty ones."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_an_endpoints_due_deliveries_are_a_range_of_the_waiting_index_in_its_order():
    query = endpoint_due(1, timezone.now()).values_list("pk")[:200].query
    plan = plan_of(*query.sql_with_params())
    assert "delivery_waiting" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan  # in the index's order


def test_the_failed_deliveries_of_an_endpoint_are_read_from_their_own_index():
    query = Delivery.objects.filter(endpoint_id=1, state="failed").order_by("-id")[:50].query
    plan = plan_of(*query.sql_with_params())
    assert "delivery_failed" in plan, plan


@pytest.mark.parametrize("values", [[], ["pending'); DROP TABLE x; --"], ["Pending"]])
def test_one_of_writes_out_only_plain_state_names(values):
    with pytest.raises(ValueError, match="plain lowercase state names"):
        one_of(Delivery, "state", values)


def test_the_firings_whose_day_has_come_are_read_from_the_waiting_index():
    query = firings_waiting(dt.date(2026, 3, 2)).values_list("pk")[:1].query
    plan = plan_of(*query.sql_with_params())
    assert "firing_waiting_due" in plan, plan


def test_the_messages_whose_time_has_come_are_read_from_the_queue_alone():
    query = messages_due(timezone.now()).order_by("next_attempt_at").values_list("pk")[:200].query
    plan = plan_of(*query.sql_with_params())
    # The pending index, or SQLite's choice on a young database: the index by state, where
    # the queued and retrying rows are two short ranges.
    assert "message_pending" in plan or "message_state_created (state=?)" in plan, plan


def test_the_endpoint_lists_counts_read_only_waiting_sending_and_failed_deliveries():
    from darkroom.webhooks import selectors

    with CaptureQueriesContext(connection) as seen:
        Endpoint.objects.create(name="Tracker", url="https://t.example.com/", secret="whsec_x")
        selectors.endpoint_rows()
    reads = [q["sql"] for q in seen.captured_queries if "webhooks_delivery" in q["sql"]]
    assert len(reads) == 3, reads
    plans = [plan_of(sql, ()) for sql in reads]
    wanted = ["delivery_sending", "delivery_waiting", "delivery_failed"]
    for plan, index in zip(plans, wanted, strict=True):
        assert index in plan, (index, plan)
