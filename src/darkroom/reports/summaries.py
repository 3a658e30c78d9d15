"""The reports' summaries of the status history, set aside together for a bulk load.

Three summaries follow every history row through triggers: the steps left (time in status,
``steps_left``), the vendors' steps per day (vendor performance, ``vendor_steps``) and the moves
per status and day (workload, ``status_flow``). The large-studio generator writes millions of
rows; for that load the triggers are set aside and each summary is counted once afterwards from
the whole history, with the very SQL their migrations first filled them with, so the counts are
what the triggers would have kept (``tests/reports`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.db import connection

from darkroom.reports import status_flow, steps_left, vendor_steps
from darkroom.triggers_set_aside import triggers_set_aside


@contextmanager
def counted_after_load(*, when: bool) -> Iterator[None]:
    """The three summaries' triggers set aside for the block and the summaries counted again
    after it (``when`` false: the triggers stay, as for a load that adds a little to a big
    history)."""
    with ExitStack() as stack:
        for table, names, recount in [
            (
                steps_left.NOTES,
                [steps_left.TRIGGER],
                [f"DELETE FROM {steps_left.SUMMARY}", steps_left.fill_sql(connection.vendor)],
            ),
            (vendor_steps.NOTES, [vendor_steps.TRIGGER], vendor_steps.count_again_sql()),
            (
                status_flow.NOTES,
                status_flow.TRIGGERS,
                [f"DELETE FROM {status_flow.FLOW}", status_flow.BUILD],
            ),
        ]:
            stack.enter_context(triggers_set_aside(table, names, recount=recount, when=when))
        yield
