"""Maintenance › Message templates: the list, the editor (with the placeholders beside it, the
SMS's length and parts as it is typed, and a preview filled in from a real record), delete and
make inactive.

Everyone with a role may look at the templates and preview them; managers change them. The
length and the preview are answered by the server (htmx), so the page counts an SMS with the
same rule the outbox does.
"""

from __future__ import annotations

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
from darkroom.maintenance.forms import disable_all
from darkroom.maintenance.selectors import Column
from darkroom.maintenance.views.listing import Row, list_query, records_shown, render_list
from darkroom.messaging.forms import MessageTemplateForm, MessageTemplateQueryForm
from darkroom.messaging.models import Channel, MessageTemplate
from darkroom.messaging.placeholders import PLACEHOLDERS
from darkroom.messaging.template_selectors import (
    RECORD_KINDS,
    SORTS,
    message_templates,
    preview_record_by_number,
    recent_records,
    sms_estimate,
    template_preview,
    triggers_sending,
)
from darkroom.messaging.template_services import (
    message_template_create,
    message_template_delete,
    message_template_set_inactive,
    message_template_update,
)
from darkroom.studio.access import check_permission, may, requires

VIEW = "messaging.view_messagetemplate"
ADD = "messaging.add_messagetemplate"
CHANGE = "messaging.change_messagetemplate"
DELETE = "messaging.delete_messagetemplate"

COLUMNS = [
    Column("name", "Name"),
    Column("channel", "Channel"),
    Column("subject", "Subject"),
    Column("updated_at", "Last changed"),
]


def _list_url() -> str:
    return reverse("messaging:template-list")


@requires(VIEW)
def template_list(request: HttpRequest) -> HttpResponse:
    form = MessageTemplateQueryForm(request.GET)
    query = list_query(request, form, list(SORTS))
    shown = records_shown(request, message_templates(query=query))
    rows = [
        Row(
            pk=template.pk,
            label=template.name,
            cells=list(
                zip(
                    COLUMNS,
                    [
                        template.name,
                        template.get_channel_display(),
                        template.subject,
                        template.updated_at,
                    ],
                    strict=True,
                )
            ),
            url=reverse("messaging:template-edit", args=[template.pk]),
            inactive=template.is_inactive,
        )
        for template in shown.records
    ]
    context = {
        "title": "Message templates",
        "description": "The words of the emails, SMS and letters triggers send, with "
        "placeholders such as {client_first_name}.",
        "noun": "message templates",
        "filter_form": form,
        "search_hint": "Search name, subject, text",
        "retirable": True,
        "may_change": may(request, CHANGE),
        "add_url": reverse("messaging:template-create") if may(request, ADD) else "",
        "add_label": "Add message template",
        "can_move": False,
        "show_move_hint": False,
    }
    return render_list(
        request,
        context=context,
        query=query,
        columns=COLUMNS,
        rows=rows,
        shown=shown,
        filename="message-templates",
    )


def _editor(
    request: HttpRequest,
    form: MessageTemplateForm,
    template: MessageTemplate | None,
    *,
    in_use: str = "",
    status: int = 200,
) -> HttpResponse:
    may_change = may(request, CHANGE if template else ADD)
    if not may_change:
        disable_all(form)
    channel = form["channel"].value() or Channel.EMAIL
    body = form["body"].value() or ""
    context = {
        "form": form,
        "template": template,
        "back": back_url(request, _list_url()),
        "may_change": may_change,
        "may_delete": template is not None and may(request, DELETE),
        "may_retire": template is not None and may(request, CHANGE),
        "used_by": triggers_sending(template) if template else 0,
        "in_use": in_use,
        "placeholders": PLACEHOLDERS.items(),
        "sms": sms_estimate(body) if channel == Channel.SMS else None,
        "record_kinds": list(RECORD_KINDS.values()),
        "recent": recent_records(user=request.user),
    }
    return render(request, "messaging/template_form.html", context, status=status)


def _save(
    request: HttpRequest, form: MessageTemplateForm, template: MessageTemplate | None
) -> tuple[MessageTemplate | None, int]:
    """The template saved through the services, or None with the refusal on the form (and the
    status the page answers with)."""
    if not form.is_valid():
        return None, 422
    try:
        if template is None:
            return message_template_create(**form.changes(), by=request.user), 200  # type: ignore[arg-type]
        version = form.cleaned_data["version"] or 0
        return message_template_update(
            template=template, expected_version=version, **form.changes()
        ), 200
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, 422
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, 409


@requires(ADD)
def template_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        channel = request.GET.get("channel", "")
        initial = {"channel": channel if channel in Channel.values else Channel.EMAIL}
        return _editor(request, MessageTemplateForm(initial=initial), None)
    form = MessageTemplateForm(request.POST)
    saved, status = _save(request, form, None)
    if saved is None:
        return _editor(request, form, None, status=status)
    messages.success(request, f"Added “{saved}”.")
    return redirect(back_url(request, _list_url()))


def _initial(template: MessageTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "channel": template.channel,
        "subject": template.subject,
        "body": template.body,
        "version": template.version,
    }


@requires(VIEW)
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor; people who may only look see it with every field disabled."""
    template = get_object_or_404(MessageTemplate, pk=pk)
    if request.method != "POST":
        return _editor(request, MessageTemplateForm(initial=_initial(template)), template)
    check_permission(request, CHANGE)
    form = MessageTemplateForm(request.POST)
    saved, status = _save(request, form, template)
    if saved is None:
        template.refresh_from_db()  # the heading names the template as stored
        return _editor(request, form, template, status=status)
    messages.success(request, f"Saved “{saved}”.")
    return redirect(back_url(request, _list_url()))


@requires(DELETE)
@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(MessageTemplate, pk=pk)
    name = template.name
    try:
        message_template_delete(template=template)
    except RecordInUse as exc:
        form = MessageTemplateForm(initial=_initial(template))
        return _editor(request, form, template, in_use=exc.message, status=409)
    messages.success(request, f"Deleted “{name}”.")
    return redirect(back_url(request, _list_url()))


@requires(CHANGE)
@require_POST
def template_inactive(request: HttpRequest, pk: int) -> HttpResponse:
    """Make a template inactive (``inactive=0`` brings it back)."""
    template = get_object_or_404(MessageTemplate, pk=pk)
    inactive = request.POST.get("inactive", "1") != "0"
    message_template_set_inactive(template=template, inactive=inactive)
    if inactive:
        messages.success(
            request, f"“{template}” is now inactive: triggers can no longer be set to send it."
        )
    else:
        messages.success(request, f"“{template}” is active again.")
    return redirect(back_url(request, _list_url()))


# The editor's live parts (htmx) ----------------------------------------------------------------


@requires(VIEW)
@require_POST
def template_sms_length(request: HttpRequest) -> HttpResponse:
    """The SMS's length and parts under the text, as the person types (empty for email and
    letters)."""
    channel = request.POST.get("channel", "")
    body = request.POST.get("body", "")
    sms = sms_estimate(body) if channel == Channel.SMS else None
    return render(request, "messaging/template_sms_length.html", {"sms": sms})


def _stored_words(request: HttpRequest) -> dict[str, str]:
    """The words to preview: as typed, or (for a person who may only look, whose fields are
    disabled and so not sent) as stored."""
    words = {name: request.POST.get(name) for name in ("channel", "subject", "body")}
    if words["body"] is None:
        stored = MessageTemplate.objects.filter(pk=request.POST.get("template") or 0).first()
        if stored is not None:
            return {"channel": stored.channel, "subject": stored.subject, "body": stored.body}
    return {name: value or "" for name, value in words.items()}


@requires(VIEW)
@require_POST
def template_preview_view(request: HttpRequest) -> HttpResponse:
    """The template filled in from a record the person names (the latest of its kind when no
    number is given), or what stops it."""
    kind = request.POST.get("record_kind", "")
    number = request.POST.get("record_number", "")
    context: dict[str, Any] = {}
    if kind not in RECORD_KINDS:
        context["problems"] = ["Choose the kind of record to preview with."]
        return render(request, "messaging/template_preview.html", context, status=422)
    record = preview_record_by_number(kind=kind, number=number, user=request.user)
    if record is None:
        label = RECORD_KINDS[kind].label.lower()
        context["problems"] = [
            f"There is no {label} {number.strip()}."
            if number.strip()
            else f"There is no {label} yet to preview with."
        ]
        return render(request, "messaging/template_preview.html", context, status=422)
    words = _stored_words(request)
    try:
        context["preview"] = template_preview(**words, record=record)
    except ValidationError as exc:
        context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
        return render(request, "messaging/template_preview.html", context, status=422)
    return render(request, "messaging/template_preview.html", context)
