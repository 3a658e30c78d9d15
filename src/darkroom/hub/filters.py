"""What the production hub is asked to show: one filter, read from a page's or the API's query.

The hub page, the board and ``GET /api/v1/hub/…`` read the same URL parameters into the same
:class:`HubFilter`, so a bookmarked page and an integrator's request mean the same orders. Bad
values are refused with a message beside the parameter (a Django ``ValidationError`` by
parameter name), never silently dropped: a filter that named nothing would show every order.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError

KINDS = ("all", "production", "preproduction")
FLAGS = {
    "overdue": "Overdue",
    "due_today": "Due today",
    "due_this_week": "Due this week",
    "at_risk": "At risk",
}
# key -> label; "-key" sorts the other way. Every sort ends on the order's id, so pages never
# repeat or skip an order whose sort value ties with another's.
SORTS: dict[str, str] = {
    "due": "Due date",
    "-due": "Due date, latest first",
    "client": "Client",
    "-client": "Client, Z to A",
    "number": "Order number",
    "-number": "Order number, highest first",
    "vendor": "Vendor",
    "-vendor": "Vendor, Z to A",
    "promised": "Promised date",
    "-promised": "Promised date, latest first",
    "projected": "Projected completion",
    "-projected": "Projected completion, latest first",
    "order_date": "Order date",
    "-order_date": "Order date, newest first",
    "priority": "Priority",
    "-priority": "Priority, reversed",
}
# URL parameter -> (HubFilter field, the records it names, the words a message uses).
ID_PARAMETERS = {
    "order_type": ("order_types", "catalog.ProductionOrderType", "production order type"),
    "status": ("statuses", "tracking.Status", "status"),
    "vendor": ("vendors", "catalog.Vendor", "vendor"),
    "department": ("departments", "studio.Department", "department"),
    "user": ("users", "auth.User", "user"),
    "priority": ("priorities", "catalog.PriorityCode", "priority code"),
}
MAX_IDS = 50
MAX_QUERY = 100
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class HubFilter:
    """Which open orders to show and in which order (the defaults: every open order, by due
    date)."""

    kind: str = "all"  # "all" | "production" | "preproduction"
    order_types: tuple[int, ...] = ()
    statuses: tuple[int, ...] = ()
    vendors: tuple[int, ...] = ()
    departments: tuple[int, ...] = ()
    users: tuple[int, ...] = ()
    priorities: tuple[int, ...] = ()
    flag: str = ""  # "" | "overdue" | "due_today" | "due_this_week" | "at_risk"
    due_before: dt.date | None = None
    q: str = ""  # client name (first/last) or order number
    sort: str = "due"  # see SORTS; "-x" descending

    def narrows_within_statuses(self) -> bool:
        """Whether the filter asks for more than a kind of order and some statuses: the
        hub's running totals know nothing finer (``hub/summary.py``), and a page sorted by
        client walks the clients only without it (``hub/selectors/page_query.py``)."""
        return bool(
            self.order_types
            or self.priorities
            or self.vendors
            or self.departments
            or self.users
            or self.flag
            or self.due_before
            or self.q
        )


def _values(params: Any, name: str) -> list[str]:
    """Every non-empty value of a parameter ("vendor=" from an "any vendor" choice is none)."""
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        value = params.get(name)
        raw = [] if value is None else value if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in raw if v is not None and str(v).strip()]


def _one(params: Any, name: str, errors: dict[str, str]) -> str:
    values = _values(params, name)
    if len(values) > 1:
        errors[name] = f"Give one {name}, not {len(values)}."
        return ""
    return values[0] if values else ""


def _ids(params: Any, name: str, errors: dict[str, str]) -> tuple[int, ...]:
    values = _values(params, name)
    wanted: list[int] = []
    for value in values:
        if not value.isascii() or not value.isdigit() or len(value) > 18 or int(value) == 0:
            errors[name] = f"“{value[:40]}” is not a {ID_PARAMETERS[name][2]} id (a number)."
            return ()
        if int(value) not in wanted:
            wanted.append(int(value))
    if len(wanted) > MAX_IDS:
        errors[name] = f"Choose at most {MAX_IDS} of them."
        return ()
    return tuple(wanted)


def _check_named(name: str, ids: tuple[int, ...], errors: dict[str, str]) -> None:
    """One query per kind of id given: an id that names nothing is refused, not ignored."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    _, label, words = ID_PARAMETERS[name]
    model = get_user_model() if label == "auth.User" else apps.get_model(label)
    found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        listed = ", ".join(str(i) for i in missing)
        errors[name] = f"There is no {words} {listed}."


def parse_hub_filter(params: Mapping[str, Any]) -> HubFilter:
    """The filter a query string asks for (a ``QueryDict`` or a mapping of str or list of str).

    Raises ``ValidationError({parameter: message})`` for an unknown kind, flag or sort, an id
    that is not a number or names no record, a date not written YYYY-MM-DD, or a search longer
    than 100 characters. Parameters the hub doesn't know (``cursor``, ``limit``, ``page``) are
    left to their readers.
    """
    errors: dict[str, str] = {}
    kind = _one(params, "kind", errors) or "all"
    if kind not in KINDS:
        errors["kind"] = f"Unknown kind “{kind[:40]}”: choose {', '.join(KINDS)}."
    flag = _one(params, "flag", errors)
    if flag and flag not in FLAGS:
        errors["flag"] = f"Unknown flag “{flag[:40]}”: choose {', '.join(FLAGS)}."
    sort = _one(params, "sort", errors) or "due"
    if sort not in SORTS:
        errors["sort"] = f"Unknown sort “{sort[:40]}”: choose {', '.join(SORTS)}."
    due_before = None
    text = _one(params, "due_before", errors)
    if text:
        try:
            if not ISO_DATE.fullmatch(text):
                raise ValueError(text)
            due_before = dt.date.fromisoformat(text)
        except ValueError:
            errors["due_before"] = f"“{text[:40]}” is not a date: write it YYYY-MM-DD."
    q = " ".join(_one(params, "q", errors).split())
    if len(q) > MAX_QUERY:
        errors["q"] = f"Search for at most {MAX_QUERY} characters."
    ids = {name: _ids(params, name, errors) for name in ID_PARAMETERS}
    for name, given in ids.items():
        if given and name not in errors:
            _check_named(name, given, errors)
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    return HubFilter(
        kind=kind,
        flag=flag,
        sort=sort,
        due_before=due_before,
        q=q,
        **{ID_PARAMETERS[name][0]: given for name, given in ids.items()},
    )


def hub_filter_params(f: HubFilter) -> list[tuple[str, str]]:
    """The query string that asks for ``f`` (defaults left out): links, bookmarks, next pages."""
    default = HubFilter()
    params: list[tuple[str, str]] = []
    if f.kind != default.kind:
        params.append(("kind", f.kind))
    for name, (field, _, _) in ID_PARAMETERS.items():
        params += [(name, str(i)) for i in getattr(f, field)]
    if f.flag:
        params.append(("flag", f.flag))
    if f.due_before is not None:
        params.append(("due_before", f.due_before.isoformat()))
    if f.q:
        params.append(("q", f.q))
    if f.sort != default.sort:
        params.append(("sort", f.sort))
    return params


def is_default(f: HubFilter) -> bool:
    """No filter chosen (the sort aside): every open order."""
    return all(
        getattr(f, field.name) == field.default
        for field in fields(HubFilter)
        if field.name != "sort"
    )
