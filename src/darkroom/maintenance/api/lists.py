"""The maintenance lists as JSON: ``/api/v1/<slug>`` for every entry of the registry.

Nothing here is written per list: each ``MaintenanceList`` gets a list (with search, filters,
``inactive``, ``sort``, ``cursor``/``limit`` and ``?format=xlsx``), get, create, replace (PUT),
update (PATCH), delete and — for hand-ordered lists — move, with pydantic schemas generated from the
model's fields so OpenAPI shows one typed ``<Model>Out`` / ``<Model>In`` / ``<Model>Patch`` each.

Conventions an integrator relies on:
- references (``preferred_vendor``) are ids; many-to-many fields (``members``) are lists of ids;
- decimals (prices, costs) are strings in answers (``"25.00"``); a request may send a string or a
  number;
- ``inactive=show`` (every record) is the default of the API; ``hide`` and ``only`` narrow it;
- PUT replaces the whole record (fields left out take their default, as on create); PATCH changes
  only the fields sent; unknown fields are refused (422).

The schemas, made from each list's model fields, are ``schemas.py``.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import capfirst
from ninja import Query, Router, Status
from ninja.errors import HttpError

from darkroom.api.auth import permitted
from darkroom.api.errors import error_responses
from darkroom.api.fields import MoveIn
from darkroom.api.lists import keyset_page, list_of
from darkroom.database_limits import LARGEST_ID
from darkroom.maintenance.api.schemas import _fields, _list_params, _schemas, _sortable
from darkroom.maintenance.registry import MaintenanceList, maintenance_lists
from darkroom.maintenance.selectors import (
    ListQuery,
    cell_value,
    list_columns,
    maintenance_records,
)
from darkroom.record_shapes import OrderedRecord, RetirableRecord
from darkroom.record_writes import record_delete, record_move, record_save
from darkroom.spreadsheets import XLSX, xlsx_response

router = Router()


# ---------------------------------------------------------------- reading


def _records(entry: MaintenanceList, params: Any) -> QuerySet[Any]:
    """The same rows the list page shows for the same question (one selector for both)."""
    if params.sort and params.sort.removeprefix("-") not in _sortable(entry):
        raise ValidationError({"sort": f"Sort by one of: {', '.join(_sortable(entry))}."})
    filters = {name: getattr(params, name) for name in entry.filters}
    filters = {name: value for name, value in filters.items() if value is not None}
    for name, value in filters.items():
        if entry.model._meta.get_field(name).is_relation and not 0 < value <= LARGEST_ID:
            return entry.model._default_manager.none()
    inactive = params.inactive if entry.retirable else "show"
    query = ListQuery(
        search=params.search or "",
        filters=filters,
        sort=params.sort or "",
        show_inactive=inactive != "hide",
    )
    records = maintenance_records(entry=entry, query=query)
    return records.filter(is_inactive=True) if inactive == "only" else records


def _with_references(entry: MaintenanceList, records: QuerySet[Any]) -> QuerySet[Any]:
    fields = _fields(entry)
    single = [f.name for f in fields if f.is_relation and not f.many_to_many]
    many = [
        Prefetch(f.name, queryset=f.related_model._default_manager.only("pk"))
        for f in fields
        if f.many_to_many
    ]
    return records.select_related(*single).prefetch_related(*many)


def _answer(entry: MaintenanceList, record: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"id": record.pk}
    if entry.ordered:
        answer["position"] = record.position
    for field in _fields(entry):
        if field.many_to_many:
            answer[field.name] = sorted(r.pk for r in getattr(record, field.name).all())
        else:
            answer[field.name] = getattr(record, field.attname)
    return answer


def _export(entry: MaintenanceList, records: Iterable[Any]) -> HttpResponse:
    columns = list_columns(entry)
    return xlsx_response(
        entry.slug,
        entry.title,
        [c.label for c in columns],
        ([cell_value(r, c.name) for c in columns] for r in records),
    )


def _record(entry: MaintenanceList, record_id: int) -> Any:
    if not 0 < record_id <= LARGEST_ID:
        raise Http404
    return _with_references(entry, entry.model._default_manager.all()).get(pk=record_id)


# ---------------------------------------------------------------- writing


def _reference(field: Any, value: int | None, current: int | None) -> Any:
    """The record an id in a body points at; a new reference must be to an active record."""
    if value is None:
        return None
    related = field.related_model
    target = related._default_manager.filter(pk=value).first() if 0 < value <= LARGEST_ID else None
    noun = related._meta.verbose_name
    if target is None:
        raise ValidationError(f"There is no {noun} with id {value}.")
    if value != current and _retired(target):
        raise ValidationError(f"{capfirst(noun)} “{target}” is inactive; choose an active {noun}.")
    return target


def _retired(record: Any) -> bool:
    if isinstance(record, RetirableRecord):
        return record.is_inactive
    if isinstance(record, get_user_model()):
        return not record.is_active
    return False


def _apply(record: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the body's values on the record; returns many-to-many values to set after saving.

    Every problem with references is collected so the caller hears about all of them at once.
    """
    problems: dict[str, list[str]] = {}
    many: dict[str, list[Any]] = {}
    for name, value in values.items():
        field = record._meta.get_field(name)
        try:
            if field.many_to_many:
                current = (
                    set(getattr(record, name).values_list("pk", flat=True)) if record.pk else set()
                )
                many[name] = [
                    _reference(field, pk, pk if pk in current else None)
                    for pk in dict.fromkeys(value)
                ]
            elif field.is_relation:
                setattr(record, name, _reference(field, value, getattr(record, field.attname)))
            else:
                setattr(record, name, value)
        except ValidationError as exc:
            problems[name] = exc.messages
    if problems:
        raise ValidationError(problems)
    return many


def _save(record: Any, values: dict[str, Any]) -> Any:
    return record_save(record=record, many=_apply(record, values))


# ---------------------------------------------------------------- endpoints


# The permission each generated operation needs, by its name.
ACTIONS = {
    "list": "view",
    "get": "view",
    "create": "add",
    "replace": "change",
    "update": "change",
    "move": "change",
    "delete": "delete",
}


def _register(entry: MaintenanceList) -> None:
    record_out, record_in, record_patch = _schemas(entry)
    params_schema = _list_params(entry)
    page = list_of(record_out)
    prefix = entry.slug.replace("-", "_")
    path = f"/{entry.slug}"
    item_path = f"{path}/{{id}}"
    plural = entry.model._meta.verbose_name_plural
    tags = [entry.title]

    def operation(method: Callable[..., Any], route: str, name: str, **options: Any) -> Any:
        permission = entry.permission(ACTIONS[name])
        return method(
            route, operation_id=f"{prefix}_{name}", tags=tags, auth=permitted(permission), **options
        )

    @operation(
        router.get,
        path,
        "list",
        summary=f"List {plural}",
        response={200: page, **error_responses(401, 403, 422)},
        openapi_extra={
            "responses": {
                200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}
            }
        },
    )
    def list_records(request: HttpRequest, params: Query[params_schema]) -> Any:  # type: ignore[valid-type]
        records = _with_references(entry, _records(entry, params))
        if params.format == "xlsx":
            if "limit" in request.GET or "cursor" in request.GET:  # the page asked for
                page = keyset_page(records, cursor=params.cursor, limit=params.limit)
                return _export(entry, page["results"])
            return _export(entry, records.iterator(chunk_size=500))
        return keyset_page(
            records, cursor=params.cursor, limit=params.limit, answer=partial(_answer, entry)
        )

    @operation(
        router.get,
        item_path,
        "get",
        summary=f"One {entry.singular}",
        response={200: record_out, **error_responses(401, 403, 404, 422)},
    )
    def get_record(request: HttpRequest, id: int) -> Any:
        return _answer(entry, _record(entry, id))

    @operation(
        router.post,
        path,
        "create",
        summary=f"Add a {entry.singular}",
        response={201: record_out, **error_responses(400, 401, 403, 422)},
    )
    def create_record(request: HttpRequest, payload: record_in) -> Any:  # type: ignore[valid-type]
        record = _save(entry.model(), payload.model_dump())
        return Status(201, _answer(entry, _record(entry, record.pk)))

    @operation(
        router.put,
        item_path,
        "replace",
        summary=f"Replace a {entry.singular}",
        description="Fields left out take their default, as on create.",
        response={200: record_out, **error_responses(400, 401, 403, 404, 422)},
    )
    def replace_record(request: HttpRequest, id: int, payload: record_in) -> Any:  # type: ignore[valid-type]
        record = _save(_record(entry, id), payload.model_dump())
        return _answer(entry, _record(entry, record.pk))

    @operation(
        router.patch,
        item_path,
        "update",
        summary=f"Change some fields of a {entry.singular}",
        response={200: record_out, **error_responses(400, 401, 403, 404, 422)},
    )
    def update_record(request: HttpRequest, id: int, payload: record_patch) -> Any:  # type: ignore[valid-type]
        record = _save(_record(entry, id), payload.model_dump(exclude_unset=True))
        return _answer(entry, _record(entry, record.pk))

    retire = " Make it inactive instead (PATCH `is_inactive`)." if entry.retirable else ""

    @operation(
        router.delete,
        item_path,
        "delete",
        summary=f"Delete a {entry.singular}",
        description=f"Refused with 409 `in_use` while other records use it.{retire}",
        response={204: None, **error_responses(401, 403, 404, 409, 422)},
    )
    def delete_record(request: HttpRequest, id: int) -> Any:
        record_delete(record=_record(entry, id))
        return Status(204, None)

    if not entry.ordered:

        @router.post(f"{item_path}/move", include_in_schema=False)
        def no_move(request: HttpRequest, id: int) -> Any:
            # A JSON answer rather than the site's 404 page, for an integrator who tries.
            raise HttpError(404, f"The {plural} keep their own order; they can't be moved.")

        return

    @operation(
        router.post,
        f"{item_path}/move",
        "move",
        summary=f"Move a {entry.singular} up or down the list",
        response={200: record_out, **error_responses(400, 401, 403, 404, 422)},
    )
    def move_record(request: HttpRequest, id: int, payload: MoveIn) -> Any:
        record: OrderedRecord = _record(entry, id)
        record_move(record=record, direction=payload.direction)
        return _answer(entry, _record(entry, id))


for _entry in maintenance_lists():
    _register(_entry)
