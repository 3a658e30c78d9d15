"""Turning the ids of a request into records, the same way on every endpoint."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404

from darkroom.database_limits import LARGEST_ID


def path_id(value: int) -> int:
    """An id from the address: one no record can have is a 404, never a database error."""
    if not 0 < value <= LARGEST_ID:
        raise Http404
    return value


def named_record(model: type[Model], field: str, pk: int | None) -> Any:
    """The record an id in the body names (None for none); an unknown id is refused beside its
    field (422)."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk).first() if 0 < pk <= LARGEST_ID else None
    if found is None:
        raise ValidationError({field: f"There is no {model._meta.verbose_name} {pk}."})
    return found
