"""Task panels: ``{% my_tasks_panel %}`` (the home page's "My tasks") and
``{% linked_tasks_panel record %}`` (the tasks about a client, session, invoice or order, on its
page, with "New task" already linked to it)."""

from __future__ import annotations

from typing import Any

from django import template

from darkroom.studio.access import may
from darkroom.todos.models import LINKS, Task
from darkroom.todos.selectors import tasks_for, tasks_linked_to
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


@register.inclusion_tag("todos/linked_panel.html", takes_context=True)
def linked_tasks_panel(context: template.Context, record: Any) -> dict[str, Any]:
    """The tasks about ``record`` this person may see, open first, at most ten."""
    request = context["request"]
    if not may(request, "todos.view_task"):
        return {"shown": False}
    link = next(n for n in LINKS if isinstance(record, Task._meta.get_field(n).related_model))
    rows = list(tasks_linked_to(record, user=request.user)[: SHOWN + 1])
    return {
        "shown": True,
        "tasks": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "today": studio_today(request),
        "can_add": may(request, "todos.add_task"),
        "link": link,
        "record": record,
    }
