"""``{% my_work_panel %}``: the home page's "My work", the open orders whose current status is
assigned to the person or to one of their departments, the overdue ones first."""

from __future__ import annotations

from typing import Any

from django import template

from darkroom.hub.filters import HubFilter
from darkroom.hub.selectors.pages import HubRow, hub_page
from darkroom.studio.access import may
from darkroom.tracking.forms import studio_today

register = template.Library()

SHOWN = 10
VIEW_ORDERS = "production.view_productionorder"


def _first_due(row: HubRow) -> tuple[Any, ...]:
    return (not row.overdue, row.status_due_date, row.kind, row.id)


@register.inclusion_tag("hub/my_work_panel.html", takes_context=True)
def my_work_panel(context: template.Context) -> dict[str, Any]:
    """At most ten orders (the hub's selector, asked twice: mine and my departments'), with
    links to the hub filtered to each."""
    request = context["request"]
    if not may(request, VIEW_ORDERS):
        return {"shown": False}
    today = studio_today(request)
    me = request.user.pk
    departments = tuple(request.user.departments.values_list("pk", flat=True))
    found = hub_page(HubFilter(users=(me,)), today=today, limit=SHOWN + 1).rows
    if departments:
        found += hub_page(HubFilter(departments=departments), today=today, limit=SHOWN + 1).rows
    rows = sorted({(r.kind, r.id): r for r in found}.values(), key=_first_due)
    department_query = "&".join(f"department={pk}" for pk in departments)
    return {
        "shown": True,
        "rows": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "mine_query": f"?user={me}",
        "departments_query": f"?{department_query}" if departments else "",
    }
