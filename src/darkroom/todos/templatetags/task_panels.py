"""``{% my_tasks_panel %}``: the "My tasks" panel of the home page (any page may show it)."""

from __future__ import annotations

from typing import Any

from django import template

from darkroom.studio.access import may
from darkroom.todos.selectors import tasks_for
from darkroom.tracking.forms import studio_today

register = template.Library()

SHOWN = 10


@register.inclusion_tag("todos/home_panel.html", takes_context=True)
def my_tasks_panel(context: template.Context) -> dict[str, Any]:
    """The person's open tasks and their departments', the longest overdue first; at most
    ten, with a link to all of them."""
    request = context["request"]
    if not may(request, "todos.view_task"):
        return {"shown": False}
    rows = list(tasks_for(request.user)[: SHOWN + 1])
    return {
        "shown": True,
        "tasks": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "today": studio_today(request),
        "can_add": may(request, "todos.add_task"),
    }
