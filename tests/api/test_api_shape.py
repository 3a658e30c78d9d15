"""The OpenAPI document describes what the API answers: each schema name means one shape, every
list answers the same envelope, and a documented schema lists the fields that come back."""

from __future__ import annotations

from typing import Any

import pytest
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema

from darkroom.api.api import api as darkroom_api
from darkroom.api.lists import list_of

ENVELOPE = {"results", "next_cursor"}


def _document() -> dict[str, Any]:
    return darkroom_api.get_openapi_schema()


def _operations():
    for bound in darkroom_api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            for operation in path_view.operations:
                yield path, operation


def _generated_definitions() -> list[tuple[str, str, dict[str, Any]]]:
    """Every named schema each operation generates on its own, as ninja makes it before keeping
    one schema per name: (operation, name, schema)."""
    found = []
    for path, operation in _operations():
        where = f"{'/'.join(operation.methods)} {path}"
        # As ninja's OpenAPI writer asks for them: answers as written, bodies as read.
        models = [
            (m, "serialization", operation.by_alias)
            for m in operation.response_models.values()
            if m
        ]
        models += [(m, "validation", True) for m in operation.models]
        for model, mode, by_alias in models:
            if not hasattr(model, "model_json_schema"):
                continue
            schema = model.model_json_schema(
                ref_template=REF_TEMPLATE,
                by_alias=by_alias,
                schema_generator=NinjaGenerateJsonSchema,
                mode=mode,
            )
            for name, definition in schema.get("$defs", {}).items():
                found.append((where, name, definition))
    return found


def test_each_schema_name_in_the_document_means_one_shape():
    kept = _document()["components"]["schemas"]
    collisions = sorted(
        {
            (name, where)
            for where, name, definition in _generated_definitions()
            if kept.get(name) != definition
        }
    )
    assert collisions == []


def test_two_lists_of_different_items_cannot_share_a_name():
    from ninja import Schema

    class First(Schema):
        a: int

    class Second(Schema):
        b: int

    list_of(First, "ShapeTestList")
    assert list_of(First, "ShapeTestList") is list_of(First, "ShapeTestList")
    with pytest.raises(TypeError, match="ShapeTestList"):
        list_of(Second, "ShapeTestList")


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _json_answer(operation: dict[str, Any]) -> dict[str, Any] | None:
    answer = operation["responses"].get(200) or operation["responses"].get("200")
    content = (answer or {}).get("content", {})
    return content.get("application/json", {}).get("schema")


# A feed is polled for ever rather than read to its end: it starts ``after`` a place, and always
# answers where to poll from next (``next_cursor``, never null) and whether more is waiting now
# (``has_more``). The events feed is the one.
FEED_ENVELOPE = {"results", "next_cursor", "has_more"}
FEEDS = {"/api/v1/events"}


def test_every_list_answers_the_envelope():
    """No answer is a bare array; a list (an answer that is only a list, or one that takes paging
    parameters) is ``{"results", "next_cursor"}``, paged by cursor, never by offset. A feed is
    ``{"results", "next_cursor", "has_more"}``, read after a place."""
    document = _document()
    wrong = []
    for path, operations in document["paths"].items():
        if path in FEEDS:
            for method, operation in operations.items():
                properties = _resolved(document, _json_answer(operation)).get("properties", {})
                params = {p["name"] for p in operation.get("parameters", [])}
                if set(properties) != FEED_ENVELOPE or not {"after", "limit"} <= params:
                    wrong.append(f"{method} {path}: {sorted(properties)} by {sorted(params)}")
            continue
        for method, operation in operations.items():
            schema = _json_answer(operation)
            if schema is None:
                continue
            answer = _resolved(document, schema)
            properties = answer.get("properties", {})
            params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            only_a_list = len(properties) == 1 and all(
                _resolved(document, p).get("type") == "array" for p in properties.values()
            )
            is_list = answer.get("type") == "array" or only_a_list or params & {"limit", "offset"}
            if is_list and set(properties) != ENVELOPE:
                wrong.append(f"{method} {path}: {sorted(properties) or answer.get('type')}")
            elif set(properties) == ENVELOPE and method == "get" and "offset" in params:
                wrong.append(f"{method} {path}: pages by offset")
            elif set(properties) == ENVELOPE and "limit" in params and "cursor" not in params:
                wrong.append(f"{method} {path}: a limit without a cursor")
    assert wrong == []


@pytest.mark.django_db
def test_a_cycles_statuses_are_documented_as_answered(api, people):
    cycle = api("manager").post("cycles", {"kind": "session", "name": "Sessions"}).json()
    made = api("manager").post(f"cycles/{cycle['id']}/statuses", {"description": "Booked"})
    assert made.status_code == 201, made.content
    answer = api("readonly").get(f"cycles/{cycle['id']}/statuses")
    assert answer.status_code == 200, answer.content

    document = _document()
    operation = document["paths"]["/api/v1/cycles/{id}/statuses"]["get"]
    envelope = _resolved(document, _json_answer(operation))
    item = _resolved(document, envelope["properties"]["results"]["items"])
    (status,) = answer.json()["results"]
    assert set(status) == set(item["properties"])
    assert set(item["required"]) == set(item["properties"])
    assert answer.json()["next_cursor"] is None
