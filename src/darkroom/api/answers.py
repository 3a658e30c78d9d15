"""How an answer names another record: ``{"id": 7, "name": "Bay Photo"}``, the same everywhere."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class NamedRef(Schema):
    """Another record, by id and by the name people know it by."""

    id: int
    name: str


def named_ref(record: Any, name: str | None = None) -> dict[str, Any] | None:
    """``record`` as a :class:`NamedRef`, named by its ``str()`` unless ``name`` is given."""
    if record is None:
        return None
    return {"id": record.pk, "name": name if name is not None else str(record)}


def person_ref(user: Any) -> dict[str, Any] | None:
    """A person as a :class:`NamedRef`: their full name, else their login."""
    if user is None:
        return None
    return named_ref(user, user.get_full_name() or user.get_username())
