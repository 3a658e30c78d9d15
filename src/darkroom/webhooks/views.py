"""The webhooks pages, for managers: the endpoints (/webhooks/), one endpoint with its secret
and its recent deliveries (each with its attempts, to replay), the form to make or change one,
and the recent events (/webhooks/events/), each with the JSON a receiver gets.

Writes go through ``webhooks.services``; a refusal comes back beside the form's fields, a change
someone else made first as a message to reload. Lists page newest first by keyset (the cursor
names the last row shown), never counting every row.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from darkroom.database_limits import LARGEST_ID
from darkroom.errors import DarkroomError
from darkroom.events.kinds import RECORD_KINDS, event_types
from darkroom.form_errors import add_service_errors
from darkroom.page_cursors import cursor_envelope, cursor_text
from darkroom.studio.access import requires
from darkroom.studio.selectors import studio_preferences
from darkroom.webhooks import selectors, services
from darkroom.webhooks.forms import (
    STATE_CHOICES,
    DisableForm,
    EndpointForm,
    ReplayFailedForm,
    RotateForm,
)
from darkroom.webhooks.models import Endpoint

MANAGE = selectors.MANAGE
PAGE = 25
NEWEST = "newest"
# The page of each kind of record an event is about.
RECORD_PAGES = {
    "session": "clients:session-detail",
    "invoice": "clients:invoice-detail",
    "preproduction_order": "production:proof-order-detail",
    "production_order": "production:order-detail",
    "task": "todos:task-detail",
}
KIND_WORDS = {kind.name: kind.words for kind in RECORD_KINDS.values()}


class BadCursor(Exception):
    pass


def newest_page(rows: QuerySet[Any], request: HttpRequest, kind: str) -> tuple[list[Any], str]:
    """A page of ``rows`` (newest first by id) after the cursor in ``?after=``, and the next
    page's cursor ("" when this is the last)."""
    envelope = cursor_envelope(request.GET.get("after"), NEWEST, BadCursor)
    if envelope is not None:
        last = envelope["id"]
        if envelope["k"] != kind or not isinstance(last, int) or not 0 < last <= LARGEST_ID:
            raise BadCursor("it is malformed")
        rows = rows.filter(pk__lt=last)
    page = list(rows[: PAGE + 1])
    more = len(page) > PAGE
    page = page[:PAGE]
    return page, cursor_text(NEWEST, [], page[-1].pk, kind) if more else ""


def _endpoint(pk: int) -> Endpoint:
    endpoint = selectors.endpoints().filter(pk=pk).first()
    if endpoint is None:
        raise Http404("No such webhook.")
    return endpoint


def _detail_url(endpoint: Endpoint) -> str:
    return reverse("webhooks:endpoint-detail", args=[endpoint.pk])


@requires(MANAGE)
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """Every endpoint: where it sends, whether it works, what waits and what failed."""
    return render(request, "webhooks/endpoint_list.html", {"rows": selectors.endpoint_rows()})


def _form_context(form: EndpointForm, endpoint: Endpoint | None) -> dict[str, Any]:
    chosen = set(form["event_types"].value() or [])
    return {
        "form": form,
        "endpoint": endpoint,
        "groups": selectors.event_type_groups(),
        "chosen": chosen,
    }


@requires(MANAGE)
def endpoint_create(request: HttpRequest) -> HttpResponse:
    """Make an endpoint; its page then shows the secret to give the other system."""
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["event_types"],
                by=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Webhook “{endpoint.name}” made. Give the other system its secret (below) "
                "to check that deliveries come from this studio.",
            )
            return redirect(_detail_url(endpoint))
    status = 422 if request.method == "POST" else 200
    return render(request, "webhooks/endpoint_form.html", _form_context(form, None), status=status)


@requires(MANAGE)
def endpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an endpoint's name, address or events (version-checked)."""
    endpoint = _endpoint(pk)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "all_events": not endpoint.event_types,
        "event_types": endpoint.event_types,
        "version": endpoint.version,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.endpoint_update(
                    endpoint=endpoint,
                    expected_version=form.cleaned_data["version"] or 0,
                    by=request.user,  # type: ignore[arg-type]
                    name=form.cleaned_data["name"],
                    url=form.cleaned_data["url"],
                    event_types=form.cleaned_data["event_types"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except DarkroomError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, f"Webhook “{endpoint.name}” saved.")
                return redirect(_detail_url(endpoint))
    return render(
        request, "webhooks/endpoint_form.html", _form_context(form, endpoint), status=status
    )


def _studio_day_start(day: dt.date) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(studio_preferences().time_zone)
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


@requires(MANAGE)
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An endpoint: its secret (shown on asking), its state and its recent deliveries with
    their attempts, filtered by state, to replay."""
    endpoint = _endpoint(pk)
    state = request.GET.get("state", "")
    if state not in dict(STATE_CHOICES):
        state = ""
    deliveries = selectors.with_attempts(
        selectors.endpoint_deliveries(endpoint=endpoint, state=state)
    )
    try:
        rows, next_cursor = newest_page(deliveries, request, "delivery")
    except BadCursor:
        messages.error(request, "That page of deliveries could not be found: here is the first.")
        rows, next_cursor = newest_page(deliveries, HttpRequest(), "delivery")
    today = studio_preferences().today()
    context = {
        "endpoint": endpoint,
        "deliveries": rows,
        "next_cursor": next_cursor,
        "state": state,
        "states": STATE_CHOICES,
        "type_words": event_types(),
        "replayable": services.REPLAYABLE,
        "any_replayable": any(d.state in services.REPLAYABLE for d in rows),
        "disable_form": DisableForm(),
        "rotate_form": RotateForm(),
        "replay_form": ReplayFailedForm(initial={"since": today - dt.timedelta(days=7)}),
        "now": dt.datetime.now(dt.UTC),
    }
    response = render(request, "webhooks/endpoint_detail.html", context)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


@require_POST
@requires(MANAGE)
def endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(pk)
    form = RotateForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The secret was not changed: {_first_error(form)}")
        return redirect(_detail_url(endpoint))
    hours = form.cleaned_data["overlap_hours"]
    services.endpoint_secret_rotate(endpoint=endpoint, overlap_hours=hours, by=request.user)  # type: ignore[arg-type]
    if hours:
        messages.success(
            request,
            f"New secret made. The old one keeps signing for {hours} hours beside it: give the "
            "other system the new one before then.",
        )
    else:
        messages.success(request, "New secret made; the old one no longer signs anything.")
    return redirect(_detail_url(endpoint))


def _first_error(form: Any) -> str:
    return next(iter(form.errors.values()))[0] if form.errors else "check the form."


@require_POST
@requires(MANAGE)
def endpoint_disable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(pk)
    form = DisableForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"The webhook was not disabled: {_first_error(form)}")
        return redirect(_detail_url(endpoint))
    services.endpoint_disable(
        endpoint=endpoint,
        reason=form.cleaned_data["reason"],
        by=request.user,  # type: ignore[arg-type]
    )
    messages.success(
        request,
        f"“{endpoint.name}” is disabled: nothing is sent to it until it is enabled again.",
    )
    return redirect(_detail_url(endpoint))


@require_POST
@requires(MANAGE)
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(pk)
    services.endpoint_enable(endpoint=endpoint, by=request.user)  # type: ignore[arg-type]
    messages.success(
        request, f"“{endpoint.name}” is enabled: the deliveries waiting for it go now."
    )
    return redirect(_detail_url(endpoint))


@require_POST
@requires(MANAGE)
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(pk)
    services.endpoint_delete(endpoint=endpoint, by=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Webhook “{endpoint.name}” deleted, with its deliveries.")
    return redirect(reverse("webhooks:endpoint-list"))


def _replayed_words(count: int, endpoint: Endpoint) -> str:
    if not count:
        return "Nothing to replay: the deliveries chosen are still waiting or sending."
    what = "1 delivery is" if count == 1 else f"{count} deliveries are"
    later = "" if endpoint.is_active else " (when the webhook is enabled again)"
    return f"{what} back in the queue, to be sent again at once{later}."


@require_POST
@requires(MANAGE)
def deliveries_replay(request: HttpRequest, pk: int) -> HttpResponse:
    """Replay one delivery (its row's button), the ticked ones, or every failed one since a
    day (``since``)."""
    endpoint = _endpoint(pk)
    back = _detail_url(endpoint)
    if "since" in request.POST:
        form = ReplayFailedForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Nothing was replayed: {_first_error(form)}")
            return redirect(back)
        try:
            count = services.deliveries_replay_failed(
                endpoint=endpoint,
                since=_studio_day_start(form.cleaned_data["since"]),
                by=request.user,  # type: ignore[arg-type]
            )
        except DarkroomError as exc:
            messages.error(request, f"Nothing was replayed: {exc.message}")
            return redirect(back)
        if not count:
            messages.info(request, "No delivery failed since that day: nothing to replay.")
        else:
            messages.success(request, _replayed_words(count, endpoint))
        return redirect(back)
    chosen = request.POST.getlist("one") or request.POST.getlist("delivery")
    ids = [int(i) for i in chosen if i.isdigit() and 0 < int(i) <= LARGEST_ID]
    if not ids:
        messages.error(request, "Nothing was replayed: tick the deliveries to replay first.")
        return redirect(back)
    mine = set(
        selectors.endpoint_deliveries(endpoint=endpoint)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    try:
        count = services.deliveries_replay(
            delivery_ids=[i for i in ids if i in mine],
            by=request.user,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, f"Nothing was replayed: {' '.join(exc.messages)}")
        return redirect(back)
    messages.success(request, _replayed_words(count, endpoint))
    return redirect(back)


def record_page(kind: str, record_id: int | None) -> str:
    """The page of the record an event is about ("" when it is about none)."""
    name = RECORD_PAGES.get(kind)
    if not name or record_id is None:
        return ""
    try:
        return reverse(name, args=[record_id])
    except NoReverseMatch:
        return ""


@requires(MANAGE)
def events_list(request: HttpRequest) -> HttpResponse:
    """The recent events, newest first, each with the JSON every endpoint that wants it gets."""
    known = event_types()
    type_ = request.GET.get("type", "")
    if type_ not in known:
        type_ = ""
    events = selectors.events_recent(type=type_)
    try:
        rows, next_cursor = newest_page(events, request, "event")
    except BadCursor:
        messages.error(request, "That page of events could not be found: here is the first.")
        rows, next_cursor = newest_page(events, HttpRequest(), "event")
    context = {
        "events": [
            {
                "event": event,
                "words": known.get(event.type, event.type),
                "record_page": record_page(event.record_kind, event.record_id),
                "record_words": f"{KIND_WORDS.get(event.record_kind, 'record').capitalize()} "
                f"{event.record_id}",
                "payload": json.dumps(event.payload(), indent=2),
            }
            for event in rows
        ],
        "next_cursor": next_cursor,
        "type": type_,
        "types": known,
    }
    return render(request, "webhooks/events.html", context)
