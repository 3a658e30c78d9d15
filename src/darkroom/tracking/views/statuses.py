"""Maintenance › Statuses: one cycle's steps, edited through tracking/services/cycles.py.

The page shows the chosen cycle (``?cycle=<id>``, else the first) in its own order; the order is
the point of a cycle, so the table is not sortable. ``?inactive=hide`` leaves out retired steps
(as the API's ``inactive`` does: a cycle's positions only read right with every step shown, so
showing them is the default), ``?print=1`` gives a sheet to print and ``?format=xlsx`` the same
rows as Excel. Every write is a small POST form that works without JavaScript and returns to the
page as it was (``next``); a refused delete answers with the page and "Make inactive" offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from darkroom.back_urls import back_url
from darkroom.errors import RecordInUse
from darkroom.form_errors import add_service_errors
from darkroom.spreadsheets import sheet_title, xlsx_response
from darkroom.studio.access import check_permission, may, requires
from darkroom.tracking.forms import NewStatusForm, StatusForm, person_name
from darkroom.tracking.models import Cycle, CycleKind, Status
from darkroom.tracking.selectors import cycle_statuses, cycles_to_set_up
from darkroom.tracking.services import (
    cycle_set_up,
    status_add,
    status_delete,
    status_move,
    status_update,
)

VIEW = "tracking.view_status"
ADD = "tracking.add_status"
CHANGE = "tracking.change_status"
DELETE = "tracking.delete_status"

KIND_ORDER = {kind: index for index, kind in enumerate(CycleKind.values)}
XLSX_HEADERS = [
    "Position",
    "Description",
    "Default duration (business days)",
    "Default department",
    "Default user",
    "Initial",
    "Final",
    "Inactive",
]


# Reading the request ----------------------------------------------------------------------------


def kind_beside(cycle: Cycle) -> str:
    """The kind of records a cycle is for, said beside its name ("Weddings · Sessions"), or ""
    when the name says it already (a cycle named "Sessions" is not "Sessions · Sessions")."""
    kind = str(CycleKind(cycle.kind).label)
    return "" if kind.casefold() in cycle.name.casefold() else kind


def _cycles() -> list[Cycle]:
    """Every cycle, in the order the studio thinks of them: sessions first, tasks last."""
    cycles = Cycle.objects.select_related("order_type")
    return sorted(cycles, key=lambda c: (KIND_ORDER.get(c.kind, 99), c.name.lower(), c.pk))


def _chosen_cycle(request: HttpRequest, cycles: list[Cycle]) -> Cycle | None:
    value = request.GET.get("cycle", "")
    if not value:
        return cycles[0] if cycles else None
    chosen = next((c for c in cycles if str(c.pk) == value), None)
    if chosen is None:
        raise Http404("There is no such status cycle.")
    return chosen


def _hides_inactive(query: str) -> bool:
    return parse_qs(query).get("inactive", [""])[-1] == "hide"


def _list_url(cycle: Cycle, *, hide_inactive: bool = False) -> str:
    url = f"{reverse('tracking:statuses')}?cycle={cycle.pk}"
    return f"{url}&inactive=hide" if hide_inactive else url


def _back(request: HttpRequest, cycle: Cycle) -> str:
    """The page the person came from (``next``), without its anchor; else the cycle's page."""
    return back_url(request, _list_url(cycle)).split("#")[0]


# The list ---------------------------------------------------------------------------------------


@dataclass
class Step:
    """One row of the table: the status and its place among all the cycle's steps."""

    status: Status
    place: int
    first: bool
    last: bool
    # The triggers watching the status (shown to those who may see triggers).
    triggers: list[Any] = field(default_factory=list)

    @property
    def duration_words(self) -> str:
        """ "3 business days"; the final step has none to show: nothing is due after it."""
        days = self.status.default_duration
        if self.status.is_final:
            return "—"
        if days == 0:
            return "Same day"
        return f"{days} business day" + ("" if days == 1 else "s")


def _steps(cycle: Cycle, *, hide_inactive: bool) -> tuple[list[Step], int]:
    """The rows to show and how many inactive ones were left out.

    Places count every step, shown or not, so "insert before" and the numbers agree with the
    cycle as stored; first/last say whether a visible neighbour exists to move past.
    """
    everything = list(
        cycle_statuses(cycle=cycle).select_related("default_department", "default_user")
    )
    shown = [
        (place, s)
        for place, s in enumerate(everything, start=1)
        if not (hide_inactive and s.is_inactive)
    ]
    steps = [
        Step(status=s, place=place, first=i == 0, last=i == len(shown) - 1)
        for i, (place, s) in enumerate(shown)
    ]
    return steps, len(everything) - len(shown)


# The triggers watching each status of a cycle, shown beside its steps: named by dotted path,
# since the engine sits below the messaging app that follows it (``tracking/followers.py``).
TRIGGERS_BY_STATUS = "darkroom.messaging.trigger_selectors.triggers_by_status"


def _list_context(
    request: HttpRequest, cycles: list[Cycle], cycle: Cycle | None, *, hide_inactive: bool
) -> dict[str, Any]:
    steps, hidden = _steps(cycle, hide_inactive=hide_inactive) if cycle else ([], 0)
    if cycle is not None and may(request, "messaging.view_trigger"):
        watching = import_string(TRIGGERS_BY_STATUS)(cycle_id=cycle.pk)
        for step in steps:
            step.triggers = watching.get(step.status.pk, [])
    here = _list_url(cycle, hide_inactive=hide_inactive) if cycle else reverse("tracking:statuses")
    kinds: dict[str, list[Cycle]] = {}
    for c in cycles:
        kinds.setdefault(CycleKind(c.kind).label, []).append(c)
    return {
        "cycles_by_kind": list(kinds.items()),
        "cycle": cycle,
        "cycle_kind": kind_beside(cycle) if cycle else "",
        "steps": steps,
        "watched": any(step.triggers for step in steps),
        "hidden": hidden,
        "hide_inactive": hide_inactive,
        "here": here,
        "show_url": _list_url(cycle) if cycle else "",
        "hide_url": _list_url(cycle, hide_inactive=True) if cycle else "",
        "may_add": may(request, ADD),
        "may_change": may(request, CHANGE),
        "may_delete": may(request, DELETE),
        "to_set_up": cycles_to_set_up() if may(request, ADD) else [],
    }


def _xlsx(cycle: Cycle, steps: list[Step]) -> HttpResponse:
    rows = [
        [
            step.place,
            step.status.description,
            step.status.default_duration,
            str(step.status.default_department or ""),
            person_name(step.status.default_user),
            step.status.is_initial,
            step.status.is_final,
            step.status.is_inactive,
        ]
        for step in steps
    ]
    filename = f"statuses-{slugify(cycle.name) or cycle.pk}"
    return xlsx_response(
        filename, sheet_title(cycle.name, otherwise="Statuses"), XLSX_HEADERS, rows
    )


def _list_page(
    request: HttpRequest,
    *,
    cycle: Cycle | None = None,
    hide_inactive: bool | None = None,
    refused: Status | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    cycles = _cycles()
    if cycle is None:
        cycle = _chosen_cycle(request, cycles)
    if hide_inactive is None:
        hide_inactive = request.GET.get("inactive") == "hide"
    context = _list_context(request, cycles, cycle, hide_inactive=hide_inactive)
    if cycle is not None and request.GET.get("format") == "xlsx":
        return _xlsx(cycle, context["steps"])
    if cycle is not None and request.GET.get("print"):
        return render(request, "tracking/statuses_print.html", context)
    context.update(
        refused=refused,
        refusal=refusal,
        may_retire=(
            refused is not None
            and context["may_change"]
            and not (refused.is_inactive or refused.is_initial or refused.is_final)
        ),
    )
    return render(request, "tracking/statuses.html", context, status=status)


@requires(VIEW)
def statuses(request: HttpRequest) -> HttpResponse:
    """The chosen cycle's steps, as a page, a sheet to print (``?print=1``) or Excel."""
    return _list_page(request)


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
    return redirect(f"{_back(request, cycle)}#row-{status.pk}")


@requires(VIEW, ADD)
def status_create(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    """Add a step at the end, or at ``?position=n`` ("insert before" the n-th step)."""
    cycle = get_object_or_404(Cycle, pk=cycle_pk)
    back = _back(request, cycle)
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
    back = _back(request, cycle)
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
    back = _back(request, status.cycle)
    moves = _moves_past_hidden(status, direction) if _hides_inactive(urlsplit(back).query) else 1
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
    back = _back(request, cycle)
    name = str(status)
    try:
        status_delete(status=status)
    except RecordInUse as exc:
        return _list_page(
            request,
            cycle=cycle,
            hide_inactive=_hides_inactive(urlsplit(back).query),
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
    back = _back(request, status.cycle)
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
    return redirect(_list_url(cycle))


urlpatterns = [
    path("maintenance/statuses/", statuses, name="statuses"),
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
