"""One kind of tracked record as the status pages see it: its model, URLs, words and who may
see which records.

The engine sits below the apps whose records it tracks (sessions and invoices, orders, tasks), so
a kind names its model by app label and its "who may see" rule by dotted path, read on first use,
as the followers are named (``tracking/followers.py``). The dialog, the history, bulk changes,
due-date moves and reassigning all take a kind; ``changes.py`` adds the views and lists the kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.module_loading import import_string

from darkroom.tracking.models import CycleKind, TrackedRecord


@dataclass(frozen=True)
class RecordKind:
    """The status pages of one kind of tracked record, as data: what they show and for whom."""

    label: str  # the model, by app label ("clients.Session")
    noun: str  # "session": in URL names ("session-status") and in what the pages say
    plural: str
    prefix: str  # "sessions": where its pages live
    kind: str  # the CycleKind of its cycles
    view_permission: str
    list_view: str
    related: tuple[str, ...] = ()  # what names a record ("Portrait — Ann Lee")
    # The records a person may see, when not all of them (another person's private task): the
    # dotted path of a function of the user.
    visible: str | None = None

    @property
    def model(self) -> type[TrackedRecord]:
        model: type[TrackedRecord] = apps.get_model(self.label)
        return model

    def records(self, request: HttpRequest) -> QuerySet[Any]:
        """The records of this kind the person may see (and so change)."""
        if self.visible is None:
            return self.model.objects.all()
        visible: Callable[[Any], QuerySet[Any]] = import_string(self.visible)
        return visible(request.user)

    def record(self, request: HttpRequest, pk: int) -> Any:
        records = self.records(request).select_related(
            "status", "status_department", "status_user", "completed_by", *self.related
        )
        return get_object_or_404(records, pk=pk)

    def record_urls(self, record: TrackedRecord) -> dict[str, str]:
        """The record's page and its status pages, by what they do ("status", "due", …)."""
        names = {
            "status": "status",
            "due": "status-due",
            "start": "status-start",
            "due_date": "status-due-date",
            "reassign": "reassign",
        }
        urls = {
            key: reverse(f"tracking:{self.noun}-{name}", args=[record.pk])
            for key, name in (*names.items(), ("history", "history"))
        }
        return urls | {"record": record.get_absolute_url()}  # type: ignore[attr-defined]

    def _name(self, record: TrackedRecord) -> str:
        return (
            f"{self.noun.capitalize()} {record}" if self.kind == CycleKind.SESSION else str(record)
        )
