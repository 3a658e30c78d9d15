"""The status history summed per status and day (``reports_status_flow``, ``models.StatusFlow``):
how it is counted from the history in one pass, and the names of the triggers that keep it
(installed by ``reports/migrations/0001_workload.py``, whose docstring says what they count).

The count in one pass is the migration's first fill and the large-studio generator's count after
its bulk load (``reports.summaries``), so both give what the triggers would have.
"""

NOTES = "tracking_statusnote"
FLOW = "reports_status_flow"
MOVES = "from_status_id IS NULL OR from_status_id <> to_status_id"

BUILD = f"""INSERT INTO {FLOW} (status_id, day, entering, leaving)
SELECT status_id, day, SUM(entering), SUM(leaving) FROM (
    SELECT to_status_id AS status_id, date_completed AS day, 1 AS entering, 0 AS leaving
    FROM {NOTES} WHERE {MOVES}
    UNION ALL
    SELECT from_status_id, date_completed, 0, 1
    FROM {NOTES} WHERE from_status_id IS NOT NULL AND from_status_id <> to_status_id
) moves GROUP BY status_id, day"""

TRIGGERS = ["reports_flow_note_insert", "reports_flow_note_delete", "reports_flow_note_update"]
"""Every trigger that keeps it (on PostgreSQL the insert trigger follows deletes too, and there
is no delete trigger)."""
