"""Bulk status change from a list: a checkbox per row (carrying the row's version), one form,
and a report on every record.

``status_change_bulk`` is all or nothing: when it refuses any record, nothing was written and
the report lists every refused record with its reason. The list offers "Next status" (each
record by its own cycle) or a named active status of the kind's cycles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from darkroom.errors import DarkroomError
from darkroom.form_errors import add_service_errors
from darkroom.studio.access import may
from darkroom.tracking.forms import (
    CHANGE_STATUS,
    BulkChangeForm,
    chosen_records,
    studio_today,
)
from darkroom.tracking.services import BulkItem, BulkOutcome, BulkRefused, status_change_bulk
from darkroom.tracking.views.record_kinds import RecordKind


@dataclass(frozen=True)
class ListHeader:
    """A header cell a list puts before its own (the "select all" checkbox)."""

    label: str
    url: None = None
    sorted: None = None
    numeric: bool = False
    narrow: bool = True


def bulk_list_context(pages: RecordKind, request: HttpRequest) -> dict[str, Any]:
    """What a list adds for status: today (for "overdue") and, for people who may change
    statuses, a "select all" header, a checkbox per row and the bulk change form."""
    today = studio_today(request)
    context: dict[str, Any] = {"today": today}
    if not may(request, CHANGE_STATUS):
        return context
    form = BulkChangeForm(initial={"date_completed": today}, kind=pages.kind, noun=pages.noun)
    if not form.has_cycle:
        return context
    select_all = render_to_string("tracking/bulk_select_all.html", {"pages": pages})
    context["headers_before"] = [ListHeader(select_all)]
    context["bulk"] = {"form": form, "pages": pages, "url": _bulk_url(pages)}
    return context


def _bulk_url(pages: RecordKind) -> str:
    return reverse(f"tracking:{pages.noun}-bulk-status")


def _back(pages: RecordKind, form: BulkChangeForm) -> str:
    """The list as the person left it (its filters), never another site's address."""
    wanted = form.data.get("next", "") if form.is_bound else ""
    list_url = reverse(pages.list_view)
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts=None)
    return wanted if safe and wanted.startswith(list_url) else list_url


def bulk_change(pages: RecordKind, request: HttpRequest) -> HttpResponse:
    """Change every record ticked in the list, all or nothing, and report on each."""
    if request.method != "POST":
        return redirect(pages.list_view)
    form = BulkChangeForm(request.POST, kind=pages.kind, noun=pages.noun)
    items, unreadable = chosen_records(request.POST.getlist("record"))
    context: dict[str, Any] = {"pages": pages, "form": form, "items": items}
    valid = form.is_valid()
    if unreadable or not items:
        form.add_error(None, unreadable or f"Choose at least one {pages.noun} in the list.")
    elif valid:
        return _change(pages, request, form, items, context)
    return _report(pages, request, context, status=422)


def _change(
    pages: RecordKind,
    request: HttpRequest,
    form: BulkChangeForm,
    items: list[BulkItem],
    context: dict[str, Any],
) -> HttpResponse:
    data = form.cleaned_data
    if pages.visible is not None:
        visible = pages.records(request).values("pk")
        chosen = pages.model.objects.filter(pk__in=[item.id for item in items])
        if chosen.exclude(pk__in=visible).exists():
            raise Http404("No such record.")  # another person's private one: as if not there
    try:
        outcomes = status_change_bulk(
            model=pages.model,
            items=items,
            updated_by=request.user,
            to_status=form.target(),
            date_completed=data["date_completed"],
            note=data["note"],
            current_not_complete=data["current_not_complete"],
        )
    except BulkRefused as exc:
        context.update(refused=True, outcomes=_with_records(pages, exc.outcomes))
        return _report(pages, request, context, status=422)
    except ValidationError as exc:  # input every record shares (the date, the target)
        add_service_errors(form, exc)
        return _report(pages, request, context, status=422)
    except DarkroomError as exc:
        form.add_error(None, exc.message)
        return _report(pages, request, context, status=409)
    context.update(refused=False, outcomes=_with_records(pages, outcomes))
    return _report(pages, request, context)


def _with_records(pages: RecordKind, outcomes: list[BulkOutcome]) -> list[tuple[Any, BulkOutcome]]:
    """Each outcome with its record (None if it is gone), refused ones first."""
    records = pages.model.objects.select_related(*pages.related).in_bulk([o.id for o in outcomes])
    ordered = sorted(outcomes, key=lambda o: o.ok)
    return [(records.get(o.id), o) for o in ordered]


def _report(
    pages: RecordKind, request: HttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    outcomes = context.get("outcomes", [])
    context.update(
        back=_back(pages, context["form"]),
        changed=sum(1 for _, o in outcomes if o.ok),
        refused_count=sum(1 for _, o in outcomes if not o.ok),
    )
    return render(request, "tracking/bulk_report.html", context, status=status)
