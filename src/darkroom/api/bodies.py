"""How the API reads what a caller sends: one check before any schema or service sees it.

Every JSON body and every query parameter passes through :class:`RequestReader` (the API's
django-ninja parser), after the caller's permission is checked. It refuses, with the API's error
format, what no field of any endpoint can hold, so no endpoint has to remember it:

- a body that is not UTF-8 or not JSON (JSON's own grammar: no ``NaN`` or ``Infinity``);
- text that is not Unicode: a lone surrogate such as ``"\\ud800"`` can be escaped in JSON but
  can't be stored, sent on or even encoded, and used to fail deep in the database;
- text with NUL, which PostgreSQL can't store, and in a query parameter (a search, a filter)
  any other control character, which no search or filter means (``darkroom/plain_text.py``).

A body bigger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused by Django when it is read; the
error handlers answer 413 (``too_large``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from darkroom.errors import DarkroomError
from darkroom.plain_text import text_problem


class BadBody(DarkroomError):
    """The body is not UTF-8 JSON: nothing in it was read."""

    code = "bad_request"
    status = 400


class UnwritableText(DarkroomError):
    """Some text in the request can't be stored; ``loc`` says where, as schema errors do."""

    code = "invalid"
    status = 422

    def __init__(self, loc: list[str | int], problem: str) -> None:
        where = ".".join(str(part) for part in loc[1:]) or loc[0]
        super().__init__(f"The request is not valid: {where}: {problem}")
        self.errors = [{"loc": loc, "msg": problem, "type": "text"}]
        self.fields = {str(where): [problem]}


def _refuse_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def check_body_text(data: Any) -> None:
    """Refuse the first unwritable key or text in a parsed body, naming where it is.

    Walks without recursion: a deeply nested body must not exhaust the stack."""
    pending: list[tuple[list[str | int], Any]] = [(["body"], data)]
    while pending:
        loc, value = pending.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise UnwritableText(loc, problem)
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                problem = text_problem(key)
                if problem:
                    raise UnwritableText([*loc, key.encode("utf-8", "replace").decode()], problem)
                pending.append(([*loc, key], item))
        elif isinstance(value, list):
            pending.extend(([*loc, i], item) for i, item in reversed(list(enumerate(value))))


class RequestReader(Parser):
    """The API's parser: strict UTF-8 JSON bodies and clean query parameters."""

    def parse_body(self, request: HttpRequest) -> Any:
        # django-ninja turns any failure here into a 400 "Cannot parse request body"; the error
        # handlers answer with the refusal raised here instead (it is that 400's cause).
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadBody("The request body is not valid UTF-8 text.") from None
        try:
            data = json.loads(text, parse_constant=_refuse_json_constant)
        except (ValueError, RecursionError) as exc:
            raise BadBody(f"The request body is not valid JSON: {exc}.") from None
        check_body_text(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        # The same reader takes form fields (request.POST), where a line break is ordinary text.
        query = data is request.GET
        for name, values in data.lists():
            for value in values:
                problem = isinstance(value, str) and text_problem(value, search=query)
                if problem:
                    raise UnwritableText(["query" if query else "form", name], problem)
        return super().parse_querydict(data, list_fields, request)
