"""The scan station (Production › Scan), built for a USB barcode scanner, which types the number
and Enter: each scan is one POST answered with one result row (htmx) or the whole page (without
JavaScript), and no result, good or bad, stops the next scan. The running list lives in the
person's login session, so it survives a reload and a page without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from darkroom.formats import format_date
from darkroom.production.scans import ScanOutcome, client_of, scan_advance, scan_look_up
from darkroom.studio.access import may, requires
from darkroom.tracking.models import CycleKind, Status

VIEW_ORDERS = "production.view_productionorder"
CHANGE_STATUS = "tracking.add_statusnote"
MODES = {"lookup": "Look up", "advance": "Batch advance"}
RESULTS_KEPT = 50  # the running list of one person's scans
RESULTS_KEY = "production-scan-results"


def _targets() -> list[tuple[str, list[Status]]]:
    """The statuses a batch may move orders to, by cycle (one per order type, and the proof
    orders' cycle)."""
    kinds = [CycleKind.PRODUCTION, CycleKind.PREPRODUCTION]
    statuses = (
        Status.objects.filter(cycle__kind__in=kinds, is_inactive=False)
        .select_related("cycle")
        .order_by("cycle__name", "cycle_id", "position", "id")
    )
    groups: dict[int, tuple[str, list[Status]]] = {}
    for status in statuses:
        groups.setdefault(status.cycle_id, (status.cycle.name, []))[1].append(status)
    return list(groups.values())


def _row(outcome: ScanOutcome, mode: str) -> dict[str, Any]:
    """A result line as the session keeps it (plain values only)."""
    order = outcome.order
    return {
        "ok": outcome.ok,
        "mode": mode,
        "message": outcome.message,
        "code": outcome.code,
        "number": order.number if order else "",
        "client": client_of(order).name if order else "",
        "url": order.get_absolute_url() if order else "",
        "from_status": str(outcome.from_status) if outcome.from_status else "",
        "to_status": str(outcome.to_status) if outcome.to_status else "",
        "due": format_date(outcome.due_date),
        "at": timezone.localtime().strftime("%H:%M:%S"),
    }


def _scan(request: HttpRequest, mode: str, can_advance: bool) -> ScanOutcome:
    raw = request.POST.get("code", "")
    if mode == "lookup":
        return scan_look_up(raw=raw)
    if not can_advance:
        raise PermissionDenied("Your role does not allow changing statuses.")
    wanted = request.POST.get("to_status", "")
    target = None
    if wanted:
        choices = {str(s.pk): s for _, statuses in _targets() for s in statuses}
        target = choices.get(wanted)
        if target is None:
            return ScanOutcome(
                code=raw.strip()[:24],
                ok=False,
                message="That “advance to” status no longer exists: choose another.",
            )
    return scan_advance(raw=raw, by=request.user, to_status=target)


@requires(VIEW_ORDERS)
def scan_station(request: HttpRequest) -> HttpResponse:
    """GET: the station. POST: one scan; Look up opens the order, Batch advance moves it on."""
    can_advance = may(request, CHANGE_STATUS)
    results: list[dict[str, Any]] = request.session.get(RESULTS_KEY, [])
    mode = request.POST.get("mode", "lookup") if request.method == "POST" else "lookup"
    mode = mode if mode in MODES else "lookup"
    if request.method == "POST":
        if request.POST.get("clear"):
            request.session[RESULTS_KEY] = []
            return redirect("production:scan")
        outcome = _scan(request, mode, can_advance)
        if mode == "lookup" and outcome.ok and outcome.order is not None:
            url = outcome.order.get_absolute_url()
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        row = _row(outcome, mode)
        results = [row, *results][:RESULTS_KEPT]
        request.session[RESULTS_KEY] = results
        if request.htmx:
            return render(request, "production/scan_result.html", {"result": row})
    context = {
        "modes": MODES,
        "mode": mode,
        "can_advance": can_advance,
        "targets": _targets() if can_advance else [],
        "to_status": request.POST.get("to_status", ""),
        "results": results,
    }
    return render(request, "production/scan_station.html", context)
