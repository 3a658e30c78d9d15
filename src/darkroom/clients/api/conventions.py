"""What every endpoint of clients, sessions and invoices shares: the router, the refusals it
documents, list parameters and pages, sorting, and turning ids in a body into records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from ninja import Field, Router, Schema

from darkroom.api.errors import error_responses
from darkroom.clients import selectors
from darkroom.clients.models import Client, Session, SessionType
from darkroom.maintenance.exports import XLSX

router = Router(tags=["clients"])

LIST_ERRORS = error_responses(401, 403, 422)
READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 422)
# Lists also answer ?format=xlsx with a spreadsheet.
EXCEL = {
    "responses": {200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}
}


class ListQuery(Schema):
    search: str = Field("", description="Words that must all match.")
    sort: str | None = Field(None, description="A column, with a leading '-' for descending.")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10**9)
    format: Literal["json", "xlsx"] = Field("json", description="xlsx: every row, as Excel.")


def checked_sort(sort: str | None, allowed: Mapping[str, tuple[str, ...]], default: str) -> str:
    """The sort asked for, or the list's default; an unknown column is refused (422)."""
    if sort is None or sort == "":
        return default
    if sort.removeprefix("-") not in allowed:
        choices = ", ".join(allowed)
        raise ValidationError({"sort": f"Sort by one of {choices} (a leading - reverses)."})
    return sort


def page_answer(queryset: QuerySet[Any], *, limit: int, offset: int) -> dict[str, Any]:
    """One page of a list, with ``has_more`` learned by fetching one row more (no count)."""
    page = selectors.page_of(queryset, offset=offset, limit=limit)
    return {
        "items": page.rows,
        "limit": page.limit,
        "offset": page.offset,
        "has_more": page.has_more,
        "next_offset": page.next_offset,
    }


REFERENCES: dict[str, type[Model]] = {
    "client": Client,
    "session": Session,
    "session_type": SessionType,
}
OPTIONAL_REFERENCES = {"session", "photographer"}


def resolved(data: dict[str, Any]) -> dict[str, Any]:
    """The body's ids as records; an id that names nothing is refused beside its field (422)."""
    fields = dict(data)
    for name, value in data.items():
        model = get_user_model() if name == "photographer" else REFERENCES.get(name)
        if model is None:
            continue
        if value is None:
            if name not in OPTIONAL_REFERENCES:
                raise ValidationError({name: f"A {name.replace('_', ' ')} is required."})
            continue
        found = model._default_manager.filter(pk=value).first()
        if found is None or (name == "photographer" and not found.is_active):
            label = "person" if name == "photographer" else model._meta.verbose_name
            raise ValidationError({name: f"There is no {label} {value}."})
        fields[name] = found
    return fields
