"""``{% communication_log record %}``: what triggers sent or did about a client, session,
invoice or order, on its page (``messaging/_communication_log.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from darkroom.messaging.selectors import communication_log as log_of
from darkroom.studio.access import may

register = template.Library()

SHOWN = 50


@register.inclusion_tag("messaging/_communication_log.html", takes_context=True)
def communication_log(context: template.Context, record: Any) -> dict[str, Any]:
    """The record's log, newest first, at most fifty entries; Resend for managers."""
    request = context["request"]
    if not may(request, "messaging.view_message"):
        return {"shown": False}
    entries = log_of(record, limit=SHOWN + 1)
    return {
        "shown": True,
        "entries": entries[:SHOWN],
        "more": len(entries) > SHOWN,
        "can_resend": may(request, "messaging.change_message"),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
