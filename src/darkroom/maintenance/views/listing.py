"""The list page every maintenance list and People share: search, filters, sort in the URL,
inactive rows hidden or shown, a page of rows, and the same rows as Excel or a sheet to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from darkroom.maintenance.forms import ListQueryForm
from darkroom.maintenance.selectors import Column, ListQuery, records_page
from darkroom.spreadsheets import xlsx_response

PAGE_SIZE = 100


@dataclass
class Heading:
    """A column heading: clicking it sorts by the column, or reverses a sort already on it."""

    column: Column
    next_sort: str
    aria_sort: str


@dataclass
class Row:
    pk: int
    label: str
    cells: list[tuple[Column, Any]]
    url: str
    inactive: bool = False


def list_query(request: HttpRequest, form: ListQueryForm, sortable: list[str]) -> ListQuery:
    """What the URL asks of the list; a sort on an unknown column falls back to the list's own."""
    sort = request.GET.get("sort", "")
    if sort.lstrip("-") not in sortable or sort.count("-") > 1:
        sort = ""
    return ListQuery(
        search=request.GET.get("q", "").strip(),
        filters=form.filters(),
        sort=sort,
        show_inactive=request.GET.get("inactive") == "show",
    )


@dataclass
class Shown:
    """The records on show: one page of the list, or all of them for Excel and print."""

    records: list[Any]
    page: int
    has_more: bool

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def records_shown(request: HttpRequest, queryset: QuerySet[Any]) -> Shown:
    if request.GET.get("format") == "xlsx" or request.GET.get("print"):
        return Shown(records=list(queryset), page=1, has_more=False)
    try:
        page = max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        page = 1
    records, has_more = records_page(queryset, page=page, size=PAGE_SIZE)
    return Shown(records=records, page=page, has_more=has_more)


def _headings(columns: list[Column], sort: str) -> list[Heading]:
    headings = []
    for column in columns:
        aria = ""
        if sort == column.name:
            aria = "ascending"
        elif sort == f"-{column.name}":
            aria = "descending"
        next_sort = f"-{column.name}" if aria == "ascending" else column.name
        headings.append(Heading(column=column, next_sort=next_sort, aria_sort=aria))
    return headings


def _summary(rows: list[Row], query: ListQuery, shown: Shown, retirable: bool) -> str:
    """ "12 rows", "Rows 101–200", "3 rows match · inactive hidden" (no COUNT query)."""
    if not rows:
        return ""
    if shown.page > 1 or shown.has_more:
        text = f"Rows {shown.first_number}–{shown.first_number + len(rows) - 1}"
    else:
        text = f"{len(rows)} row" + ("" if len(rows) == 1 else "s")
    if query.search or query.filters:
        text += " match" if len(rows) != 1 or shown.has_more else " matches"
    if retirable and not query.show_inactive:
        text += " · inactive hidden"
    return text


def render_list(
    request: HttpRequest,
    *,
    context: dict[str, Any],
    query: ListQuery,
    columns: list[Column],
    rows: list[Row],
    shown: Shown,
    filename: str,
) -> HttpResponse:
    """The rows as the page, an Excel file (``?format=xlsx``) or a sheet to print (``?print=1``).

    ``context`` carries the page's words and what the role may do: title, description, noun,
    filter_form, search_hint, retirable, may_change, add_url, add_label, can_move.
    """
    retirable = context["retirable"]
    if request.GET.get("format") == "xlsx":
        headers = [c.label for c in columns] + (["Inactive"] if retirable else [])
        table = [
            [value for _, value in row.cells] + ([row.inactive] if retirable else [])
            for row in rows
        ]
        return xlsx_response(filename, context["title"], headers, table)
    context.update(
        summary=_summary(rows, query, shown, retirable),
        query=query,
        columns=columns,
        headings=_headings(columns, query.sort),
        rows=rows,
        page=shown.page,
        has_more=shown.has_more,
        first_number=shown.first_number,
        filtered=bool(query.search or query.filters),
    )
    if request.GET.get("print"):
        return render(request, "maintenance/print.html", context)
    return render(request, "maintenance/list.html", context)
