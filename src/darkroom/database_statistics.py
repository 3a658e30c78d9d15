"""The planner's statistics of the studio's database, gathered by the worker once a day.

A database plans each query by what it knows of the tables: how many rows, how many share a
value of an index. Without that knowledge SQLite guesses, and on a studio's database of years
a guess can walk an order's whole history where an index holds the few rows wanted. PostgreSQL
gathers its statistics by itself (autovacuum); SQLite never does, so the worker runs a sampled
``ANALYZE`` (a couple of thousand rows per index: a second or two on a large studio) when it
starts and then once a day. The benchmarks' large studios are analysed the same way
(``sample_data/scale/bulk.py``), so their figures are what a studio's database does.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

# How often the worker gathers them again, and how many rows SQLite samples per index.
GATHER_EVERY = dt.timedelta(days=1)
SAMPLED_ROWS = 2000


def statistics_gather() -> bool:
    """Gather the planner's statistics where the database does not do it itself (SQLite);
    whether anything was done."""
    if connection.vendor != "sqlite":
        return False  # PostgreSQL's autovacuum analyses the tables as they change
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SAMPLED_ROWS}")
        cursor.execute("ANALYZE")
    return True
