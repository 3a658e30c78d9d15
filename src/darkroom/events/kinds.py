"""The kinds of record an event is about, and the kinds of event.

An event names its record by a kind ("production_order") and an id, and links to the record in
the API, so a receiver needs nothing of Darkroom's internals (content types, model names) to
follow it. The kinds of event are ``<record kind>.<what happened>`` plus a few about the studio's
own machinery (``message.failed``): a webhook endpoint subscribes to them by these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db.models import Model


@dataclass(frozen=True)
class RecordKind:
    """A kind of tracked record as the outside world sees it."""

    name: str  # "production_order": the event types' prefix and the payload's "kind"
    words: str  # "production order", for people
    api_prefix: str  # "/production-orders": where the API serves one by id

    def url(self, record_id: int) -> str:
        return f"/api/v1{self.api_prefix}/{record_id}"


# Keyed by the model's ``_meta.model_name``: the tracked records, in the order people list them.
RECORD_KINDS: Final = {
    "session": RecordKind("session", "session", "/sessions"),
    "invoice": RecordKind("invoice", "invoice", "/invoices"),
    "preproductionorder": RecordKind(
        "preproduction_order", "preproduction order", "/preproduction-orders"
    ),
    "productionorder": RecordKind("production_order", "production order", "/production-orders"),
    "task": RecordKind("task", "task", "/tasks"),
}


def kind_of(model: type[Model]) -> RecordKind:
    """The record kind of a tracked model."""
    return RECORD_KINDS[model._meta.model_name or ""]


# What can happen to a tracked record: a new one, a status change, its due date moved.
# The words say it of a kind of record: "{a} {kind}" is "An invoice", "{kind}" is "invoice".
RECORD_HAPPENINGS: Final = {
    "created": "{a} {kind} was made",
    "status_changed": "{a} {kind} changed status",
    "due_date_moved": "{a} {kind}'s due date moved",
}

MESSAGE_FAILED: Final = "message.failed"


def _article(words: str) -> str:
    return "An" if words[:1] in ("a", "e", "i", "o", "u") else "A"


def event_types() -> dict[str, str]:
    """Every event type an endpoint may subscribe to, with what it means in words."""
    types = {
        f"{kind.name}.{happening}": words.format(a=_article(kind.words), kind=kind.words)
        for kind in RECORD_KINDS.values()
        for happening, words in RECORD_HAPPENINGS.items()
    }
    types[MESSAGE_FAILED] = "An email or SMS could not be delivered"
    return types
