"""The hub list at /production/: every open production and proof order, its summary strip, and
a bulk status change for the orders ticked.

The filter lives in the URL (the API's parameter names), so a view can be bookmarked and
shared. Rows come a page at a time by cursor ("Load more"); nothing counts the history: the
strip's counts are over open orders only. A filter, date or cursor that can't be read is said
in words, never guessed at: above an empty list on the page (400), in the fragment's place in
the pieces htmx fetches (200, so htmx shows it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe

from darkroom.database_limits import LARGEST_PAGE_NUMBER
from darkroom.errors import DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.hub.filters import HubFilter, hub_filter_params, parse_hub_filter
from darkroom.hub.forms import HubBulkForm, HubFilterForm
from darkroom.hub.selectors.pages import hub_page
from darkroom.hub.services import (
    ORDER_MODELS,
    HubBulkRefused,
    HubItem,
    HubOutcome,
    orders_reassign,
    orders_status_change_bulk,
)
from darkroom.hub.summary import hub_summary
from darkroom.order_choices import OrderChoices, order_choices
from darkroom.studio.access import may, requires
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.tracking.forms import studio_today
from darkroom.tracking.services import BulkItem

VIEW_ORDERS = "production.view_productionorder"
CHANGE_STATUS = "tracking.add_statusnote"
PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    label: str
    sort: str | None = None  # the SORTS key a click on the heading asks for
    narrow: bool = True  # shown on a tablet too
    css: str = ""  # the class its cells share (hub.css drops some columns on narrower screens)


COLUMNS = (
    Column("Order", "number"),
    Column("Client", "client"),
    Column("Vendor", "vendor"),
    Column("Status"),
    Column("Due", "due"),
    Column("Projected", "projected", narrow=False),
    Column("Promised", "promised", narrow=False),
    Column("Assigned to", narrow=False, css="col-assigned"),
    Column("Priority", "priority", narrow=False, css="col-priority"),
)


@dataclass(frozen=True)
class Heading:
    label: str
    url: str | None
    sorted: str | None  # "ascending" / "descending"
    narrow: bool
    css: str = ""


def query(f: HubFilter, **extra: str) -> str:
    """The URL query for ``f`` (and ``extra`` parameters, e.g. a cursor)."""
    params = QueryDict(mutable=True)
    for name, value in hub_filter_params(f):
        params.appendlist(name, value)
    for name, value in extra.items():
        params[name] = value
    return f"?{params.urlencode()}" if params else "?"


def headings(f: HubFilter) -> list[Heading]:
    """Column headings whose links sort by that column; a second click reverses it."""
    result = []
    for col in COLUMNS:
        if col.sort is None:
            result.append(Heading(col.label, None, None, col.narrow, col.css))
            continue
        state, target = None, col.sort
        if f.sort == col.sort:
            state, target = "ascending", f"-{col.sort}"
        elif f.sort == f"-{col.sort}":
            state = "descending"
        heading = Heading(col.label, query(replace(f, sort=target)), state, col.narrow, col.css)
        result.append(heading)
    return result


def active_filters(f: HubFilter | None, among: frozenset[str] | None = None) -> int:
    """How many of the folded filter's choices are set ("Filters (3 active)"): the search box,
    always in sight, and the sort are not among them; ``among``: only these parameters."""
    if f is None:
        return 0
    chosen = {name for name, _ in hub_filter_params(f)} - {"q", "sort"}
    return len(chosen & among if among is not None else chosen)


def without_empty(request: HttpRequest) -> str | None:
    """The address without the filter bar's unset choices ("vendor=&user="), when it has
    some: the address a person bookmarks or shares stays short and says only what is chosen."""
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    if all(value for _, value in pairs):
        return None
    params = QueryDict(mutable=True)
    for name, value in pairs:
        if value:
            params.appendlist(name, value)
    return f"{request.path}?{params.urlencode()}" if params else request.path


def read_filter(request: HttpRequest) -> tuple[HubFilter | None, list[str]]:
    """The URL's filter, or what is wrong with it in words."""
    try:
        return parse_hub_filter(request.GET), []
    except ValidationError as exc:
        return None, problems_of(exc)


def problems_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def print_url() -> str | None:
    """The batch print of work orders, when this Darkroom has it."""
    try:
        return reverse("production:print")
    except NoReverseMatch:
        return None


def _list_context(
    request: HttpRequest, choices: OrderChoices, f: HubFilter | None, problems: list[str]
) -> dict[str, Any]:
    today = studio_today(request)
    context: dict[str, Any] = {
        "filters": HubFilterForm(request.GET, choices),
        "problems": problems,
        "today": today,
        "rows": [],
        "headings": headings(f or HubFilter()),
        "active_filters": active_filters(f),
        "can_change": may(request, CHANGE_STATUS),
        "print_url": print_url(),
    }
    if f is None:
        return context
    try:
        page = hub_page(f, today=today, cursor=request.GET.get("cursor") or None, limit=PAGE_SIZE)
    except ValidationError as exc:  # a cursor that can't be read
        problems += problems_of(exc)
        return context
    context.update(
        rows=page.rows,
        more_url=_more_url(f, page.next_cursor),
        summary=hub_summary(f, today=today),
        summary_links=summary_links(f),
        filtered=bool(hub_filter_params(replace(f, sort="due"))),
        after_cursor=bool(request.GET.get("cursor")),
        first_page=query(f),
    )
    if context["can_change"]:
        context["bulk_fields"] = bulk_fields_markup(choices, today, context["print_url"])
    return context


def bulk_fields_markup(choices: OrderChoices, today: date, print_url: str | None) -> SafeString:
    """The bulk bar's fields as every person sees them before ticking anything: the same for a
    day while the studio's lists stay as they are, so kept per process (``studio/kept.py``)
    instead of a form built and drawn widget by widget on every page."""

    def draw() -> SafeString:
        form = HubBulkForm(initial={"date_completed": today}, choices=choices)
        context = {"form": form, "print_url": print_url}
        return mark_safe(render_to_string("hub/_bulk_fields.html", context))  # escaped there

    return kept_while_lists_unchanged(("hub bulk fields", today, print_url), draw)


def _more_url(f: HubFilter, cursor: str | None) -> str | None:
    return query(f, cursor=cursor) if cursor else None


@dataclass(frozen=True)
class SummaryLinks:
    """Where each figure of the strip leads: the same filter narrowed to it."""

    overdue: str
    due_today: str
    at_risk: str
    open: str
    status: str  # the filter without a status, "status=" is appended per status


def summary_links(f: HubFilter, *, base: str = "") -> SummaryLinks:
    """Links of the strip: ``base`` is the page they open (the list, from the board)."""
    without = replace(f, statuses=())
    return SummaryLinks(
        overdue=base + query(replace(f, flag="overdue")),
        due_today=base + query(replace(f, flag="due_today")),
        at_risk=base + query(replace(f, flag="at_risk")),
        open=base + query(replace(f, flag="")),
        status=base + query(without) + ("&" if hub_filter_params(without) else ""),
    )


@requires(VIEW_ORDERS)
def hub_list(request: HttpRequest) -> HttpResponse:
    """The hub: the filter bar, the summary strip, the first page of orders."""
    tidy = without_empty(request)
    if tidy is not None:
        return redirect(tidy)
    f, problems = read_filter(request)
    context = _list_context(request, order_choices(), f, problems)
    return render(request, "hub/hub_list.html", context, status=400 if problems else 200)


@requires(VIEW_ORDERS)
def hub_rows(request: HttpRequest) -> HttpResponse:
    """The next rows of the list ("Load more"), replacing the "Load more" row."""
    f, problems = read_filter(request)
    context: dict[str, Any] = {
        "today": studio_today(request),
        "can_change": may(request, CHANGE_STATUS),
        "problems": problems,
        "rows": [],
        "headings": COLUMNS,
    }
    if f is not None:
        try:
            page = hub_page(
                f,
                today=context["today"],
                cursor=request.GET.get("cursor") or None,
                limit=PAGE_SIZE,
            )
        except ValidationError as exc:
            problems += problems_of(exc)
        else:
            context.update(rows=page.rows, more_url=_more_url(f, page.next_cursor))
    return render(request, "hub/hub_rows.html", context)


@requires(VIEW_ORDERS)
def hub_summary_strip(request: HttpRequest) -> HttpResponse:
    """The summary strip alone (the board and the list refresh it after a change)."""
    f, problems = read_filter(request)
    context: dict[str, Any] = {"problems": problems}
    if f is not None:
        context.update(
            summary=hub_summary(f, today=studio_today(request)), summary_links=summary_links(f)
        )
    return render(request, "hub/summary.html", context)


# Bulk change ------------------------------------------------------------------------------------


def chosen_orders(values: list[str]) -> tuple[list[HubItem], str | None]:
    """The orders ticked: ``kind:id:version`` each, as the row showed them."""
    unreadable = "The orders chosen could not be read: reload the hub and choose again."
    items: dict[tuple[str, int], HubItem] = {}
    for value in values:
        kind, _, rest = value.partition(":")
        pk, _, version = rest.partition(":")
        if kind not in ORDER_MODELS or not (pk.isdigit() and version.isdigit()):
            return [], unreadable
        if not (0 < int(pk) <= LARGEST_PAGE_NUMBER and 0 < int(version) <= LARGEST_PAGE_NUMBER):
            return [], unreadable
        items[kind, int(pk)] = HubItem(kind, BulkItem(id=int(pk), expected_version=int(version)))
    return list(items.values()), None


def _back(form: HubBulkForm) -> str:
    """The hub as the person left it (its filters), never another site's address."""
    wanted = form.data.get("next", "")
    list_url = reverse("hub:list")
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts=None)
    return wanted if safe and wanted.startswith(list_url) else list_url


@requires(VIEW_ORDERS, CHANGE_STATUS)
def hub_bulk(request: HttpRequest) -> HttpResponse:
    """Change every order ticked in the hub, all or nothing, and report on each."""
    if request.method != "POST":
        return redirect("hub:list")
    form = HubBulkForm(request.POST, choices=order_choices())
    items, unreadable = chosen_orders(request.POST.getlist("record"))
    context: dict[str, Any] = {"form": form, "items": items}
    valid = form.is_valid()
    if unreadable or not items:
        form.add_error(None, unreadable or "Tick at least one order in the list.")
    elif valid:
        return _bulk_change(request, form, items, context)
    return _report(request, form, context, status=422)


def _bulk_change(
    request: HttpRequest, form: HubBulkForm, items: list[HubItem], context: dict[str, Any]
) -> HttpResponse:
    data = form.cleaned_data
    try:
        if data.get("action") == "reassign":
            outcomes = orders_reassign(
                items=items, updated_by=request.user, note=data["note"], **form.holders()
            )
        else:
            outcomes = orders_status_change_bulk(
                items=items,
                updated_by=form.doer() or request.user,
                entered_by=request.user,
                to_status=form.target(),
                date_completed=data["date_completed"],
                due_date=data["due_date"],
                note=data["note"],
                current_not_complete=data["current_not_complete"],
                **form.holders(),
            )
    except HubBulkRefused as exc:
        context.update(refused=True, outcomes=_with_orders(exc.outcomes))
        return _report(request, form, context, status=422)
    except ValidationError as exc:  # input every order shares (the date, the target)
        add_service_errors(form, exc)
        return _report(request, form, context, status=422)
    except DarkroomError as exc:
        form.add_error(None, exc.message)
        return _report(request, form, context, status=409)
    context.update(refused=False, outcomes=_with_orders(outcomes))
    return _report(request, form, context)


def _with_orders(outcomes: list[HubOutcome]) -> list[tuple[Any, HubOutcome]]:
    """Each outcome with its order (None if it is gone), refused ones first; two queries."""
    related = {"production": ("client", "vendor"), "preproduction": ("session__client", "vendor")}
    orders: dict[tuple[str, int], Any] = {}
    for kind, model in ORDER_MODELS.items():
        ids = [o.outcome.id for o in outcomes if o.kind == kind]
        if ids:
            found = model.objects.select_related(*related[kind]).in_bulk(ids)
            orders.update({(kind, pk): order for pk, order in found.items()})
    ordered = sorted(outcomes, key=lambda o: o.outcome.ok)
    return [(orders.get((o.kind, o.outcome.id)), o) for o in ordered]


def _report(
    request: HttpRequest, form: HubBulkForm, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    outcomes = context.get("outcomes", [])
    context.update(
        back=_back(form),
        changed=sum(1 for _, o in outcomes if o.outcome.ok),
        refused_count=sum(1 for _, o in outcomes if not o.outcome.ok),
    )
    context["reassigning"] = form.data.get("action") == "reassign"
    return render(request, "hub/bulk_report.html", context, status=status)
