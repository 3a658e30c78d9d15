"""Maintenance › Triggers: the list of every trigger (by cycle, active or not, sortable), the
form to add or change one, and the buttons that stop, restart or delete it.

Everyone with a role sees the list and each trigger; managers change them. Writes go through
``trigger_services``; a refusal comes back as the form with its messages beside the fields, a
change someone else made first as the form with "reload" (409), a trigger that fired and can't
be deleted as its page with "make it inactive" offered (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.back_urls import back_url
from darkroom.errors import Conflict, RecordInUse
from darkroom.form_errors import add_service_errors
from darkroom.maintenance.views.listing import records_shown
from darkroom.messaging.models import Trigger
from darkroom.messaging.trigger_forms import TriggerFilterForm, TriggerForm, cycle_label
from darkroom.messaging.trigger_selectors import SORTS, trigger_detail, trigger_list, when_words
from darkroom.messaging.trigger_services import (
    trigger_create,
    trigger_delete,
    trigger_set_active,
    trigger_update,
    trigger_warnings,
)
from darkroom.studio.access import check_permission, may, requires

VIEW = "messaging.view_trigger"
ADD = "messaging.add_trigger"
CHANGE = "messaging.change_trigger"
DELETE = "messaging.delete_trigger"

COLUMNS = [
    ("name", "Name"),
    ("cycle", "Cycle"),
    ("status", "Status"),
    ("when", "When"),
    ("action", "Action"),
    ("recipient", "To"),
    ("processing", "Processing"),
    ("active", "Active"),
    ("fired", "Fired"),
]


@dataclass
class Heading:
    key: str
    label: str
    next_sort: str
    aria_sort: str


def _headings(sort: str) -> list[Heading]:
    headings = []
    for key, label in COLUMNS:
        aria = {key: "ascending", f"-{key}": "descending"}.get(sort, "")
        headings.append(Heading(key, label, f"-{key}" if aria == "ascending" else key, aria))
    return headings


def _list_url() -> str:
    return reverse("triggers:list")


def fired_words(count: int) -> str:
    if not count:
        return "It has never fired."
    return "It has fired once." if count == 1 else f"It has fired {count} times."


@requires()
def trigger_list_view(request: HttpRequest) -> HttpResponse:
    check_permission(request, VIEW)
    filters = TriggerFilterForm(request.GET)
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") not in SORTS or sort.count("-") > 1:
        sort = ""
    shown = records_shown(request, trigger_list(sort=sort, **filters.criteria()))
    rows = [
        {
            "trigger": trigger,
            "cycle": cycle_label(trigger.cycle),
            "when": when_words(trigger),
            "url": reverse("triggers:edit", args=[trigger.pk]),
        }
        for trigger in shown.records
    ]
    context = {
        "filters": filters,
        "filtered": any(request.GET.get(name) for name in ("cycle", "state")),
        "sort": sort,
        "headings": _headings(sort),
        "rows": rows,
        "page": shown.page,
        "has_more": shown.has_more,
        "may_add": may(request, ADD),
        "may_change": may(request, CHANGE),
    }
    return render(request, "messaging/trigger_list.html", context)


def _form_page(
    request: HttpRequest,
    form: TriggerForm,
    trigger: Trigger | None,
    *,
    refused: str = "",
    status: int = 200,
) -> HttpResponse:
    form.show_cycle_statuses()
    may_change = may(request, CHANGE if trigger else ADD)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    context = {
        "form": form,
        "trigger": trigger,
        "back": back_url(request, _list_url()),
        "may_change": may_change,
        "may_delete": trigger is not None and may(request, DELETE),
        "fired": fired_words(getattr(trigger, "fired", 0)) if trigger else "",
        "refused": refused,
        "cycle_field": form["cycle"],
        "status_field": form["status"],
        "fields": {name: form[name] for name in form.fields},
    }
    return render(request, "messaging/trigger_form.html", context, status=status)


def _status_field(request: HttpRequest, form: TriggerForm) -> HttpResponse | None:
    """The status choices alone, when the cycle select asks for them (htmx)."""
    if request.headers.get("HX-Request") and request.GET.get("cycle") is not None:
        return render(request, "messaging/trigger_status_field.html", {"field": form["status"]})
    return None


def _saved(request: HttpRequest, trigger: Trigger, verb: str) -> HttpResponse:
    messages.success(request, f"{verb} “{trigger}”.")
    for warning in trigger_warnings(trigger):
        messages.warning(request, warning)
    return redirect(back_url(request, _list_url()))


@requires()
def trigger_create_view(request: HttpRequest) -> HttpResponse:
    check_permission(request, ADD)
    if request.method != "POST":
        form = TriggerForm(cycle_id=request.GET.get("cycle", ""))
        return _status_field(request, form) or _form_page(request, form, None)
    form = TriggerForm(request.POST)
    if form.is_valid():
        try:
            trigger = trigger_create(by=request.user, **form.changes())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _saved(request, trigger, "Added")
    return _form_page(request, form, None, status=422)


@requires()
def trigger_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The trigger's form; people who may only look see it with every field disabled."""
    check_permission(request, VIEW)
    trigger = get_object_or_404(trigger_list(), pk=pk)
    if request.method != "POST":
        form = TriggerForm(trigger=trigger, cycle_id=request.GET.get("cycle", ""))
        return _status_field(request, form) or _form_page(request, form, trigger)
    check_permission(request, CHANGE)
    form = TriggerForm(request.POST, trigger=trigger)
    if form.is_valid():
        seen = form.cleaned_data.get("version") or 0
        try:
            trigger_update(
                trigger=trigger, expected_version=seen, by=request.user, **form.changes()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            fresh = trigger_detail(pk=pk)
            return _form_page(request, form, fresh, refused=exc.message, status=409)
        else:
            return _saved(request, trigger, "Saved")
    return _form_page(request, form, trigger_detail(pk=pk), status=422)


@requires()
@require_POST
def trigger_active_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a trigger (``active=0``; its scheduled firings are cancelled) or restart it."""
    check_permission(request, CHANGE)
    trigger = get_object_or_404(Trigger, pk=pk)
    active = request.POST.get("active", "0") == "1"
    trigger_set_active(trigger=trigger, active=active, by=request.user)
    if active:
        messages.success(request, f"“{trigger}” is active again: it acts on events from now on.")
    else:
        messages.success(
            request,
            f"“{trigger}” is now inactive: its scheduled firings are cancelled; "
            "those waiting for review stay in the queue.",
        )
    return redirect(back_url(request, _list_url()))


@requires()
@require_POST
def trigger_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    check_permission(request, DELETE)
    trigger = get_object_or_404(trigger_list(), pk=pk)
    name = str(trigger)
    try:
        trigger_delete(trigger=trigger)
    except RecordInUse as exc:
        return _form_page(
            request, TriggerForm(trigger=trigger), trigger, refused=exc.message, status=409
        )
    messages.success(request, f"Deleted “{name}”.")
    return redirect(back_url(request, _list_url()))


def maintenance_card(request: HttpRequest) -> dict[str, Any] | None:
    """The Triggers card of the Maintenance index, for those who may see triggers."""
    if not may(request, VIEW):
        return None
    return {
        "title": "Triggers",
        "description": "What happens when a record enters a status: tasks, calls, letters, "
        "emails and SMS.",
        "url": _list_url(),
    }
