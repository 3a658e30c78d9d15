"""What every endpoint of clients, sessions and invoices shares: the router, the refusals each
kind of endpoint documents, list parameters and pages, sorting, and turning ids in a body into
records."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from ninja import Field, Router, Schema

from darkroom.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from darkroom.api.lists import PageQuery, keyset_page
from darkroom.clients.exports import list_export
from darkroom.clients.models import Client, Session, SessionType
from darkroom.clients.selectors import Sorting
from darkroom.spreadsheets import XLSX

router = Router(tags=["clients"])

M = TypeVar("M", bound=Model)
Endpoint = Callable[[Callable[..., Any]], Callable[..., Any]]

# Lists also answer ?format=xlsx with a spreadsheet.
EXCEL = {
    "responses": {200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}}
}


# Each kind of endpoint with the answer and refusals OpenAPI documents for it; ``doc`` carries
# the operation's summary, description and operation_id.


def list_endpoint(path: str, page: type[Schema], **doc: Any) -> Endpoint:
    """GET a list: one page as ``page``, or every row as Excel (``?format=xlsx``)."""
    return router.get(path, response={200: page, **LIST_ERRORS}, openapi_extra=EXCEL, **doc)


def get_endpoint(path: str, answer: type[Schema], **doc: Any) -> Endpoint:
    return router.get(path, response={200: answer, **READ_ERRORS}, **doc)


def create_endpoint(path: str, answer: type[Schema], **doc: Any) -> Endpoint:
    return router.post(path, response={201: answer, **WRITE_ERRORS}, **doc)


def replace_endpoint(path: str, answer: type[Schema], **doc: Any) -> Endpoint:
    return router.put(path, response={200: answer, **WRITE_ERRORS}, **doc)


def update_endpoint(path: str, answer: type[Schema], **doc: Any) -> Endpoint:
    return router.patch(path, response={200: answer, **WRITE_ERRORS}, **doc)


def delete_endpoint(path: str, **doc: Any) -> Endpoint:
    return router.delete(path, response={204: None, **WRITE_ERRORS}, **doc)


# Lists -----------------------------------------------------------------------------------------

# A list's query string; a list with filters adds them, named as its selector names them.
# (No docstring: OpenAPI would publish it as the schema's description.)
SORT_HELP = "A column, with a leading '-' for descending."


class ListQuery(PageQuery):
    search: str = Field("", description="Words that must all match.")
    sort: str | None = Field(None, description=SORT_HELP)
    format: Literal["json", "xlsx"] = Field("json", description="xlsx: every row, as Excel.")

    def criteria(self) -> dict[str, Any]:
        """The search and filters, as keyword arguments of the list's selector."""
        return self.dict(exclude={"sort", "cursor", "limit", "format"})


def checked_sort(sort: str | None, sorting: Sorting) -> str:
    """The sort asked for, or the list's default; an unknown column is refused (422)."""
    if sort is None or sort == "":
        return sorting.default
    if not sorting.offers(sort):
        choices = ", ".join(sorting.columns)
        raise ValidationError({"sort": f"Sort by one of {choices} (a leading - reverses)."})
    return sort


def list_answer(
    query: ListQuery, select: Callable[..., QuerySet[Any]], sorting: Sorting, *, title: str
) -> Any:
    """The rows the query asks the selector for: one page, or (``?format=xlsx``) every row as an
    Excel file named after the list (``Sessions`` → ``sessions.xlsx``)."""
    records = select(**query.criteria(), sort=checked_sort(query.sort, sorting))
    if query.format == "xlsx":
        return list_export(records, filename=title.lower(), title=title)
    return keyset_page(records, cursor=query.cursor, limit=query.limit)


# Bodies ----------------------------------------------------------------------------------------

REFERENCES: dict[str, type[Model]] = {
    "client": Client,
    "session": Session,
    "session_type": SessionType,
}
OPTIONAL_REFERENCES = {"session", "photographer"}


def resolved(data: Mapping[str, Any]) -> dict[str, Any]:
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


def changed(record: M, changes: Mapping[str, Any]) -> M:
    """The record with the body's fields set on it (ids turned into records); not yet saved."""
    for name, value in resolved(changes).items():
        setattr(record, name, value)
    return record
