"""The pydantic schemas of the maintenance lists' API, made from each registry entry's model
fields: one ``<Model>Out`` / ``<Model>In`` / ``<Model>Patch`` each and the query string of its
list, so OpenAPI shows every list typed without a schema written by hand.

Apart from the endpoints (``api.py``) because turning a model field into a typed, described API
field (references as ids, decimals as strings, the database's integer ranges) is a topic of its
own, read when a field type is added.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.text import capfirst
from ninja import Field, Schema
from pydantic import ConfigDict, PlainSerializer, create_model

from darkroom.api.fields import Text, left_out, sort_choice
from darkroom.api.lists import PageQuery
from darkroom.maintenance.registry import MaintenanceList

# Decimals answer as strings ("25.00"): exact, where a JSON number may not be.
DecimalText = Annotated[Decimal, PlainSerializer(str, return_type=str, when_used="always")]


def _fields(entry: MaintenanceList) -> list[Any]:
    return [entry.model._meta.get_field(name) for name in entry.fields]


def _value_type(field: Any, *, answer: bool) -> tuple[Any, dict[str, Any]]:
    """The pydantic type of one model field and its constraints (answers carry none)."""
    constraints: dict[str, Any] = {}
    if field.many_to_many:
        return list[int], constraints
    if field.is_relation:
        return int, constraints
    if field.choices:
        return Literal[tuple(value for value, _ in field.choices)], constraints
    if isinstance(field, models.BooleanField):
        return bool, constraints
    if isinstance(field, models.DecimalField):
        if answer:
            return DecimalText, constraints
        constraints.update(max_digits=field.max_digits, decimal_places=field.decimal_places)
        return Decimal, constraints
    if isinstance(field, models.IntegerField):
        low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
        if not answer:
            constraints.update(ge=low, le=high)
        return int, constraints
    if isinstance(field, models.DateTimeField):
        return dt.datetime, constraints
    if isinstance(field, models.DateField):
        return dt.date, constraints
    if field.max_length and not answer:
        constraints["max_length"] = field.max_length
    return (str if answer else Text), constraints


def _schema_field(field: Any, *, kind: Literal["out", "in", "patch"]) -> tuple[Any, Any]:
    annotation, constraints = _value_type(field, answer=kind == "out")
    if field.null:
        annotation = annotation | None
    described = {"description": capfirst(str(field.verbose_name))}
    if field.help_text:
        described["description"] += f" — {field.help_text}"
    if field.is_relation and not field.many_to_many:
        described["description"] += f" (id of a {field.related_model._meta.verbose_name})"
    if field.many_to_many:
        described["description"] += f" (ids of {field.related_model._meta.verbose_name_plural})"
    if isinstance(field, models.DecimalField):
        described["description"] += ' (answered as a string, e.g. "25.00"; send a string or number)'
    if kind == "out":
        return annotation, Field(..., **described)
    if kind == "patch":
        # Left out means "unchanged"; null is only accepted where the field itself allows it.
        return annotation, left_out(**constraints, **described)
    if field.many_to_many:
        return annotation, Field(default_factory=list, **constraints, **described)
    if not field.blank and not field.has_default():
        return annotation, Field(..., **constraints, **described)
    return annotation, Field(field.get_default(), **constraints, **described)


def _schemas(entry: MaintenanceList) -> tuple[type[Schema], type[Schema], type[Schema]]:
    name = entry.model.__name__
    out: dict[str, Any] = {"id": (int, ...)}
    if entry.ordered:
        out["position"] = (int, Field(..., description="Place in the hand-ordered list (1 = top)"))
    fields = _fields(entry)
    out.update({f.name: _schema_field(f, kind="out") for f in fields})
    forbid = ConfigDict(extra="forbid")
    record_out = create_model(f"{name}Out", __base__=Schema, **out)
    record_in = create_model(
        f"{name}In",
        __config__=forbid,
        **{f.name: _schema_field(f, kind="in") for f in fields},
    )
    record_patch = create_model(
        f"{name}Patch",
        __config__=forbid,
        **{f.name: _schema_field(f, kind="patch") for f in fields},
    )
    for schema, doc in (
        (record_out, f"A {entry.singular} as the API answers it."),
        (record_in, f"A whole {entry.singular} (create, or replace with PUT)."),
        (record_patch, f"The fields of a {entry.singular} to change; others stay as they are."),
    ):
        schema.__doc__ = doc
    return record_out, record_in, record_patch


def _sortable(entry: MaintenanceList) -> tuple[str, ...]:
    return entry.columns


def _list_params(entry: MaintenanceList) -> type[Schema]:
    """The query string of a list: search, one parameter per filter, inactive, sort, paging."""
    sortable = ", ".join(_sortable(entry))
    params: dict[str, Any] = {
        "search": (
            Text | None,
            Field(None, description=f"Words, each found in one of: {', '.join(entry.search)}"),
        ),
    }
    for name in entry.filters:
        field = entry.model._meta.get_field(name)
        annotation, _ = _value_type(field, answer=True)
        noun = f"{field.verbose_name} (id)" if field.is_relation else field.verbose_name
        params[name] = (annotation | None, Field(None, description=f"Only records of this {noun}"))
    if entry.retirable:
        params["inactive"] = (
            Literal["show", "hide", "only"],
            Field("show", description="show: every record; hide: active only; only: inactive"),
        )
    params.update(
        sort=(
            sort_choice(_sortable(entry)),
            Field(None, description=f"One of {sortable}; a leading '-' sorts descending"),
        ),
        format=(
            Literal["json", "xlsx"],
            Field("json", description="xlsx: every matching row as an Excel file"),
        ),
    )
    return create_model(f"{entry.model.__name__}ListParams", __base__=PageQuery, **params)
