"""Messaging pages under ``/messages/``: the review queue (everyone sees it, staff and managers
decide), the outbox (staff and managers), failed messages with Resend and Abort (managers) and
the dry run ("what fires on a day, and to whom").

Decisions are the services' (``messaging.firings``); a decision someone else made first is not
an error page but a plain sentence at the top of the queue, which then shows what is left.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from darkroom.back_urls import back_url
from darkroom.errors import Conflict, DarkroomError
from darkroom.messaging import selectors
from darkroom.messaging.firings import firing_decide, firings_decide
from darkroom.messaging.models import Channel, Firing, Message, MessageState, Trigger
from darkroom.messaging.outbox import message_abort, message_resend
from darkroom.studio.access import may, requires
from darkroom.studio.selectors import studio_preferences

VIEW = "messaging.view_firing"
DECIDE = "messaging.change_firing"  # staff and managers
# The outbox shows clients' addresses and the words sent to them: for the people who work
# the queue (staff and managers), not read-only.
OUTBOX = ("messaging.view_message", DECIDE)
RESEND = "messaging.change_message"  # managers
PAGE = 50
MOST_OFFSET = 10**9
DECISIONS = {"process": "Processed", "skip": "Skipped", "delete": "Deleted"}


def _offset(request: HttpRequest) -> int:
    text = request.GET.get("offset", "")
    return min(int(text), MOST_OFFSET) if text.isdigit() else 0


@requires(VIEW)
def review_count(request: HttpRequest) -> HttpResponse:
    """The navigation's badge, loaded by htmx after the page, so no page pays for the count."""
    count = selectors.review_count()
    return render(request, "messaging/_review_count.html", {"count": count})


@requires(VIEW)
def review_queue(request: HttpRequest) -> HttpResponse:
    """What waits for a decision, grouped by trigger, with the words and recipient each item
    would have if processed now. Items never expire."""
    context = {
        "groups": selectors.review_queue(),
        "can_decide": may(request, DECIDE),
        "shown_at_most": selectors.REVIEW_PAGE,
    }
    return render(request, "messaging/review_queue.html", context)


@require_POST
@requires(VIEW, DECIDE)
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Process, skip or delete one item."""
    decision = request.POST.get("decision", "")
    firing = Firing.objects.filter(pk=pk).select_related("trigger").first()
    if firing is None:
        messages.warning(request, "That item is no longer in the queue.")
        return redirect("messages:review-queue")
    try:
        firing = firing_decide(
            firing=firing, decision=decision, by=request.user, note=request.POST.get("note", "")
        )
    except Conflict as exc:
        messages.warning(request, f"Someone decided first. {exc.message}")
    except DarkroomError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{firing.trigger}: {firing.reason}")
    return redirect("messages:review-queue")


@require_POST
@requires(VIEW, DECIDE)
def review_decide_group(request: HttpRequest, pk: int) -> HttpResponse:
    """Process, skip or delete every item of one trigger (the page asks to confirm first)."""
    decision = request.POST.get("decision", "")
    trigger = Trigger.objects.filter(pk=pk).first()
    if trigger is None:
        raise Http404("No such trigger.")
    if decision not in DECISIONS:
        messages.error(request, "Choose process, skip or delete.")
        return redirect("messages:review-queue")
    done = firings_decide(trigger=trigger, decision=decision, by=request.user)
    plural = "" if done == 1 else "s"
    messages.success(request, f"{trigger}: {DECISIONS[decision].lower()} {done} item{plural}.")
    return redirect("messages:review-queue")


def _outbox_context(request: HttpRequest) -> dict[str, Any]:
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    sort = request.GET.get("sort", "-created")
    state = state if state in MessageState.values else ""
    channel = channel if channel in Channel.values else ""
    sort = sort if sort in selectors.OUTBOX_SORTS else "-created"
    offset = _offset(request)
    rows = list(
        selectors.outbox_messages(state=state, channel=channel, sort=sort)[
            offset : offset + PAGE + 1
        ]
    )
    query = request.GET.copy()
    query.pop("offset", None)
    return {
        "rows": [(m, selectors.message_record_url(m)) for m in rows[:PAGE]],
        "state": state,
        "channel": channel,
        "sort": sort,
        "states": MessageState.choices,
        "channels": Channel.choices,
        "offset": offset,
        "next_offset": offset + PAGE if len(rows) > PAGE else None,
        "query": query.urlencode(),
        "can_resend": may(request, RESEND),
        "pending": (MessageState.QUEUED, MessageState.RETRY),
        "ended": (MessageState.SENT, MessageState.FAILED, MessageState.ABORTED),
    }


@requires(*OUTBOX)
def outbox(request: HttpRequest) -> HttpResponse:
    """Recent messages of every state, newest first, a page at a time (no count of all)."""
    return render(request, "messaging/outbox.html", _outbox_context(request))


@requires(*OUTBOX, RESEND)
def failed(request: HttpRequest) -> HttpResponse:
    """Failed messages with the reason, to be resent by hand."""
    offset = _offset(request)
    rows = list(selectors.failed_messages().select_related("client")[offset : offset + PAGE + 1])
    context = {
        "rows": [(m, selectors.message_record_url(m)) for m in rows[:PAGE]],
        "offset": offset,
        "next_offset": offset + PAGE if len(rows) > PAGE else None,
    }
    return render(request, "messaging/failed.html", context)


def _message(pk: int) -> Message:
    try:
        return selectors.message_detail(pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None


@require_POST
@requires(*OUTBOX, RESEND)
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """A new message with the same words to the same recipient, linked to the old one."""
    message = _message(pk)
    try:
        message_resend(message=message, by=request.user)
    except DarkroomError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Resent to {message.to}: queued as a new message.")
    return redirect(back_url(request, reverse("messages:outbox")))


@require_POST
@requires(*OUTBOX, RESEND)
def abort(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop a message that has not gone yet."""
    message = _message(pk)
    try:
        message_abort(message=message, by=request.user)
    except DarkroomError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"The message to {message.to} was aborted.")
    return redirect(back_url(request, reverse("messages:outbox")))


@requires(VIEW)
def dry_run(request: HttpRequest) -> HttpResponse:
    """What the worker will do by the end of a day (tomorrow unless chosen), grouped by
    trigger: the record, recipient and words, or why it would not act. Writes nothing."""
    tomorrow = studio_preferences().today() + dt.timedelta(days=1)
    text = request.GET.get("date", "").strip()
    error = ""
    day = tomorrow
    if text:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            error = f"“{text[:40]}” is not a date: use YYYY-MM-DD."
    groups: list[tuple[Trigger, list[selectors.PlannedItem]]] = []
    if not error:
        by_trigger: dict[int, tuple[Trigger, list[selectors.PlannedItem]]] = {}
        for item in selectors.dry_run(day=day):
            by_trigger.setdefault(item.trigger.pk, (item.trigger, []))[1].append(item)
        groups = list(by_trigger.values())
    context = {"day": day, "text": text or day.isoformat(), "error": error, "groups": groups}
    return render(request, "messaging/dry_run.html", context, status=422 if error else 200)
