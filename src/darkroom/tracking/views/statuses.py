"""Maintenance › Statuses: the list of one cycle's steps (its forms and row actions, which
write through tracking/services/cycles.py, are status_edits.py).

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
from urllib.parse import parse_qs

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.text import slugify

from darkroom.back_urls import back_url
from darkroom.spreadsheets import sheet_title, xlsx_response
from darkroom.studio.access import may, requires
from darkroom.tracking.forms import person_name
from darkroom.tracking.models import Cycle, CycleKind, Status
from darkroom.tracking.selectors import cycle_statuses, cycles_to_set_up

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


def hides_inactive(query: str) -> bool:
    """Whether the list the person came from hides retired steps (a write keeps it so)."""
    return parse_qs(query).get("inactive", [""])[-1] == "hide"


def list_url(cycle: Cycle, *, hide_inactive: bool = False) -> str:
    """The list of ``cycle``'s steps (retired ones hidden or not)."""
    url = f"{reverse('tracking:statuses')}?cycle={cycle.pk}"
    return f"{url}&inactive=hide" if hide_inactive else url


def back_to_list(request: HttpRequest, cycle: Cycle) -> str:
    """The page the person came from (``next``), without its anchor; else the cycle's page."""
    return back_url(request, list_url(cycle)).split("#")[0]


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
    here = list_url(cycle, hide_inactive=hide_inactive) if cycle else reverse("tracking:statuses")
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
        "show_url": list_url(cycle) if cycle else "",
        "hide_url": list_url(cycle, hide_inactive=True) if cycle else "",
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


def list_page(
    request: HttpRequest,
    *,
    cycle: Cycle | None = None,
    hide_inactive: bool | None = None,
    refused: Status | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    """The list as a page, a sheet or Excel; ``refused``: a step whose delete was refused, shown
    with why and "Make inactive" offered (a refused delete answers with this page)."""
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
    return list_page(request)


urlpatterns = [
    path("maintenance/statuses/", statuses, name="statuses"),
]
