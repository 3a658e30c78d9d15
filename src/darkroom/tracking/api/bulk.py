"""What the all-or-nothing bulk writes (status changes, reassigning) share: the items a body
names and the answer, done or refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ninja import Field, Schema, Status
from pydantic import ConfigDict

from darkroom.database_limits import LARGEST_ID, LARGEST_VERSION
from darkroom.tracking.api.common import StatusRef
from darkroom.tracking.models import Status as CycleStatus
from darkroom.tracking.services import BulkItem, BulkOutcome, BulkRefused


class BulkItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: int = Field(..., ge=1, le=LARGEST_ID)
    version: int | None = Field(
        None,
        ge=1,
        le=LARGEST_VERSION,
        description="The version you saw; a record changed since is refused",
    )


class BulkOutcomeOut(Schema):
    id: int
    ok: bool = Field(..., description="Changed (or, in a refusal, would have been)")
    message: str = Field(..., description="“Shot → Proofing, due 2026-11-25”, or the reason")
    field: str | None = Field(..., description="The input a refusal is about")
    from_status: StatusRef | None
    to_status: StatusRef | None
    due_date: dt.date | None


def bulk_items(items: list[BulkItemIn]) -> list[BulkItem]:
    return [BulkItem(item.id, item.version) for item in items]


def bulk_written(write: Callable[[], list[BulkOutcome]]) -> Any:
    """Run an all-or-nothing bulk write and answer with how many and each outcome; when one
    record refused it (nothing written), 422 with every outcome."""
    try:
        outcomes = write()
    except BulkRefused as refused:
        return Status(
            422,
            {
                "detail": refused.message,
                "code": refused.code,
                "results": [_outcome_answer(o) for o in refused.outcomes],
            },
        )
    return {"changed": len(outcomes), "results": [_outcome_answer(o) for o in outcomes]}


def _outcome_answer(outcome: BulkOutcome) -> dict[str, Any]:
    def ref(status: CycleStatus | None) -> dict[str, Any] | None:
        return {"id": status.pk, "description": status.description} if status else None

    return {
        "id": outcome.id,
        "ok": outcome.ok,
        "message": outcome.message,
        "field": outcome.field,
        "from_status": ref(outcome.from_status),
        "to_status": ref(outcome.to_status),
        "due_date": outcome.due_date,
    }
