"""How the client, session and invoice lists behave: the sort and filters live in the URL, a
header click sorts, "Load more" fetches the next rows without counting them all, and the same
list comes as an Excel file (``?format=xlsx``) or a page to print (``?print=1``).

Each list is one ``ListPage``: its filters form, selector, sorting, columns and templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from darkroom.clients.exports import COLUMNS, list_export, table_rows
from darkroom.clients.forms import ListFilters, describe
from darkroom.clients.selectors import Sorting, page_of
from darkroom.formats import format_date, format_money
from darkroom.studio.access import may

PAGE_SIZE = 50
PRINT_LIMIT = 2000
# Parameters that belong to one response, never carried into the links it shows.
TRANSIENT = ("offset", "rows", "format", "print")


@dataclass(frozen=True)
class Col:
    """A column of a list page: ``key`` names its sort (None: not sortable)."""

    key: str | None
    label: str
    numeric: bool = False
    narrow: bool = True  # shown on narrow screens too


@dataclass(frozen=True)
class Header:
    label: str
    url: str | None
    sorted: str | None  # "ascending" / "descending" when the list is sorted by this column
    numeric: bool
    narrow: bool


def query(request: HttpRequest, **changes: Any) -> str:
    """This page's query string with ``changes`` (None removes a parameter)."""
    params = request.GET.copy()
    for name in TRANSIENT:
        params.pop(name, None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None and value != "":
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def headers(request: HttpRequest, columns: Sequence[Col], current: str) -> list[Header]:
    """Column headers whose links sort by that column (a second click reverses it)."""
    result = []
    for col in columns:
        if col.key is None:
            result.append(Header(col.label, None, None, col.numeric, col.narrow))
            continue
        state = None
        target = col.key
        if current == col.key:
            state, target = "ascending", f"-{col.key}"
        elif current == f"-{col.key}":
            state = "descending"
        result.append(
            Header(col.label, query(request, sort=target), state, col.numeric, col.narrow)
        )
    return result


def _printed(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _offset(request: HttpRequest) -> int:
    text = request.GET.get("offset", "")
    return min(int(text), 10**9) if text.isdigit() else 0


def list_response(
    request: HttpRequest,
    *,
    queryset: QuerySet[Any],
    template: str,
    rows_template: str,
    context: dict[str, Any],
    title: str,
    filename: str,
    described: Sequence[str] = (),
) -> HttpResponse:
    """The list page, its next rows (``?rows=1``, for "Load more"), its Excel file or its print
    view, all from the same filtered, sorted queryset."""
    if request.GET.get("format") == "xlsx":
        return list_export(queryset, filename=filename, title=title)
    if request.GET.get("print"):
        page = page_of(queryset, offset=0, limit=PRINT_LIMIT)
        columns = COLUMNS[queryset.model]
        return render(
            request,
            "clients/list_print.html",
            {
                "title": title,
                "columns": columns,
                "rows": [
                    [(_printed(v), c.numeric) for c, v in zip(columns, row, strict=True)]
                    for row in table_rows(columns, page.rows)
                ],
                "truncated": page.has_more,
                "limit": PRINT_LIMIT,
                "described": described,
                "back": query(request),
                "export_query": query(request, format="xlsx"),
            },
        )
    page = page_of(queryset, offset=_offset(request), limit=PAGE_SIZE)
    context = {
        **context,
        "title": title,
        "page": page,
        "more_query": query(request, offset=page.next_offset) if page.has_more else None,
        "export_query": query(request, format="xlsx"),
        "print_query": query(request, print=1),
        "described": described,
    }
    if request.GET.get("rows"):
        return render(request, rows_template, context)
    return render(request, template, context)


@dataclass(frozen=True)
class ListPage:
    """One of the list pages: the filters it reads from the URL, the selector that answers them,
    how it sorts, its columns and templates, and who may add to it."""

    title: str  # the heading; in lower case, the Excel file's name
    noun: str  # one row of it, in words: "New client", "No client matches …"
    filters: type[ListFilters]
    select: Callable[..., QuerySet[Any]]  # takes ``search``, ``sort`` and the filters' values
    sorting: Sorting
    columns: tuple[Col, ...]
    template: str
    rows_template: str
    add_permission: str
    add_view: str  # the page's "New" button
    # Filters the page also names in its heading and "New" link ("Sessions of Ann Lee").
    scope: tuple[str, ...] = ()
    # More context for the page and its rows (the status columns' today, a bulk action); its
    # "headers_before" come before the columns' headers (a "select all" checkbox).
    more_context: Callable[[HttpRequest], dict[str, Any]] | None = None

    def response(self, request: HttpRequest) -> HttpResponse:
        filters = self.filters(request.GET)
        values = filters.values()
        sort = self.sorting.key(values.pop("sort", None))
        records = self.select(search=values.pop("q", ""), sort=sort, **values)
        more = self.more_context(request) if self.more_context else {}
        leading = more.pop("headers_before", [])
        return list_response(
            request,
            queryset=records,
            template=self.template,
            rows_template=self.rows_template,
            context={
                "filters": filters,
                "noun": self.noun,
                "add_view": self.add_view,
                "rows_template": self.rows_template,
                **{name: values.get(name) for name in self.scope},
                "headers": [*leading, *headers(request, self.columns, sort)],
                "can_add": may(request, self.add_permission),
                **more,
            },
            title=self.title,
            filename=self.title.lower(),
            described=describe(filters),
        )
