"""Maintenance › Statuses: adding, editing, moving, retiring and deleting a cycle's steps.

Each is a small POST form that works without JavaScript and returns to the list as the person
left it (``next``, see ``statuses.back_to_list``); the rules are the services' (a refused
delete answers with the list and "Make inactive" offered), so a form only reads and reports.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from darkroom.errors import RecordInUse
from darkroom.form_errors import add_service_errors
from darkroom.studio.access import check_permission, may, requires
from darkroom.tracking.forms import NewStatusForm, StatusForm
from darkroom.tracking.models import Cycle, Status
from darkroom.tracking.selectors import cycle_statuses
from darkroom.tracking.services import (
    cycle_set_up,
    status_add,
    status_delete,
    status_move,
    status_update,
)
from darkroom.tracking.views.statuses import (
    ADD,
    CHANGE,
    DELETE,
    VIEW,
    back_to_list,
    hides_inactive,
    kind_beside,
    list_page,
    list_url,
)

# The form ---------------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    *,
    form: StatusForm,
    cycle: Cycle,
    status: Status | None,
    back: str,
    http_status: int = 200,
) -> HttpResponse:
    may_change = may(request, CHANGE if status else ADD)
    context = {
        "form": form,
        "cycle": cycle,
        "cycle_kind": kind_beside(cycle),
        "record": status,
        "place": (
            list(cycle_statuses(cycle=cycle).values_list("pk", flat=True)).index(status.pk) + 1
            if status
            else None
        ),
        "back": back,
        "may_change": may_change,
        "may_delete": status is not None and may(request, DELETE),
    }
    return render(request, "tracking/statuses_form.html", context, status=http_status)


def _saved_redirect(request: HttpRequest, cycle: Cycle, status: Status) -> HttpResponse:
    return redirect(f"{back_to_list(request, cycle)}#row-{status.pk}")


@requires(VIEW, ADD)
def status_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """Add a step at the end, or at ``?position=n`` ("insert before" the n-th step)."""
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    back = back_to_list(request, cycle)
    if request.method != "POST":
        end = Status.objects.filter(cycle=cycle).count() + 1
        asked = request.GET.get("position", "")
        position = int(asked) if asked.isdigit() and 1 <= int(asked) <= end else end
        initial = {"position": position}
        form = NewStatusForm(initial=initial, cycle=cycle)
        return _form_page(request, form=form, cycle=cycle, status=None, back=back)
    form = NewStatusForm(request.POST, cycle=cycle)
    if form.is_valid():
        data = form.cleaned_data
        try:
            status = status_add(
                cycle=cycle,
                description=data["description"],
                default_duration=data["default_duration"],
                default_department=data["default_department"],
                default_user=data["default_user"],
                is_initial=data["is_initial"],
                is_final=data["is_final"],
                is_inactive=data["is_inactive"],
                position=data["position"],
                client_visible=data["client_visible"],
                client_name=data["client_name"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Added “{status}” at position {status.position} of {cycle}.")
            return _saved_redirect(request, cycle, status)
    return _form_page(request, form=form, cycle=cycle, status=None, back=back, http_status=422)


@requires(VIEW)
def status_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A status's form; people who may only look see it with every field disabled."""
    status = get_object_or_404(Status.objects.select_related("cycle"), pk=pk)
    cycle = status.cycle
    back = back_to_list(request, cycle)
    if request.method != "POST":
        form = StatusForm.for_status(status)
        if not may(request, CHANGE):
            for field in form.fields.values():
                field.disabled = True
        return _form_page(request, form=form, cycle=cycle, status=status, back=back)
    check_permission(request, CHANGE)
    form = StatusForm.for_status(status, request.POST)
    if form.is_valid():
        # Only what the person changed: a flag another status took meanwhile stays taken.
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                status = status_update(status=status, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Saved “{status}”." if changes else "Nothing to save.")
            return _saved_redirect(request, cycle, status)
    status.refresh_from_db()  # the heading names the status as stored, not as mistyped
    return _form_page(request, form=form, cycle=cycle, status=status, back=back, http_status=422)


# Row actions ------------------------------------------------------------------------------------


def _moves_past_hidden(status: Status, direction: str) -> int:
    """Single moves that take the status past its next *active* neighbour.

    With inactive steps hidden, swapping with an invisible one would look like nothing happened.
    """
    rows = list(cycle_statuses(cycle=status.cycle).values_list("pk", "is_inactive"))
    index = next(i for i, (pk, _) in enumerate(rows) if pk == status.pk)
    step = -1 if direction == "up" else 1
    moves, i = 0, index + step
    while 0 <= i < len(rows):
        moves += 1
        if not rows[i][1]:
            return moves
        i += step
    return max(moves, 1)


@require_POST
@requires(VIEW, CHANGE)
def status_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a step one (visible) place up or down; back to the page, at the row."""
    status = get_object_or_404(Status.objects.select_related("cycle"), pk=pk)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return HttpResponse("Say which way to move: up or down.", status=400)
    back = back_to_list(request, status.cycle)
    moves = _moves_past_hidden(status, direction) if hides_inactive(urlsplit(back).query) else 1
    with transaction.atomic():
        for _ in range(moves):
            status_move(status=status, direction=direction)  # type: ignore[arg-type]
    messages.success(request, f"Moved “{status}” {direction} to position {status.position}.")
    return redirect(f"{back}#row-{status.pk}")


@require_POST
@requires(VIEW, DELETE)
def status_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an unused step; a used one is refused with "Make inactive" offered instead."""
    status = get_object_or_404(Status.objects.select_related("cycle"), pk=pk)
    cycle = status.cycle
    back = back_to_list(request, cycle)
    name = str(status)
    try:
        status_delete(status=status)
    except RecordInUse as exc:
        return list_page(
            request,
            cycle=cycle,
            hide_inactive=hides_inactive(urlsplit(back).query),
            refused=status,
            refusal=exc.message,
            status=409,
        )
    messages.success(request, f"Deleted “{name}” from {cycle}.")
    return redirect(back)


@require_POST
@requires(VIEW, CHANGE)
def status_inactive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a step inactive (``inactive=0`` brings it back); the rules stay the service's."""
    status = get_object_or_404(Status.objects.select_related("cycle"), pk=pk)
    back = back_to_list(request, status.cycle)
    inactive = request.POST.get("inactive", "1") != "0"
    try:
        status_update(status=status, is_inactive=inactive)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if inactive:
            messages.success(
                request,
                f"“{status}” is now inactive: it keeps its history but can't be chosen "
                "for new changes.",
            )
        else:
            messages.success(request, f"“{status}” is active again.")
    return redirect(f"{back}#row-{status.pk}")


@require_POST
@requires(ADD)
def cycle_set_up_view(request: HttpRequest) -> HttpResponse:
    """Set up a cycle the studio's records need (an order type's, a session type's, …)."""
    try:
        cycle = cycle_set_up(scope=request.POST.get("scope", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tracking:statuses")
    messages.success(request, f"Set up the cycle “{cycle}”: add its statuses.")
    return redirect(list_url(cycle))


urlpatterns = [
    path("maintenance/statuses/cycles/new/", cycle_set_up_view, name="cycle-create"),
    path("maintenance/statuses/<int:cycle_pk>/new/", status_create, name="status-create"),
    path("maintenance/statuses/status/<int:pk>/", status_edit, name="status-edit"),
    path("maintenance/statuses/status/<int:pk>/move/", status_move_view, name="status-move"),
    path("maintenance/statuses/status/<int:pk>/delete/", status_delete_view, name="status-delete"),
    path(
        "maintenance/statuses/status/<int:pk>/inactive/",
        status_inactive_view,
        name="status-inactive",
    ),
]
