"""Reads behind the maintenance pages: which records a list shows, in what order, and what each
cell says. The list page, its Excel export and its printout all read through here, so the three
never disagree about what "the vendors, searched for 'lab', sorted by name" means."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.text import capfirst

from darkroom.maintenance.registry import MaintenanceList
from darkroom.record_shapes import OrderedRecord
from darkroom.spreadsheets import Money
from darkroom.studio.models import Department
from darkroom.studio.roles import GROUP_NAMES, Role

ColumnKind = Literal["text", "num", "money", "bool"]
# The catalog's amounts of money (written in the studio's currency); other decimals are plain.
MONEY_FIELDS = frozenset({"price", "cost"})


@dataclass(frozen=True)
class Column:
    """One column of a list: the field it shows, its heading, and how its cells read."""

    name: str
    label: str
    kind: ColumnKind = "text"
    sortable: bool = True


@dataclass(frozen=True)
class ListQuery:
    """What the person asked the list for: search words, filters, sort, inactive rows or not."""

    search: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    sort: str = ""  # a column name, "-name" for descending; "" = the list's own order
    show_inactive: bool = False

    @property
    def in_hand_order(self) -> bool:
        """True when the rows appear in the order the studio arranged (so moving makes sense)."""
        return not (self.sort or self.search.strip() or self.filters)


def list_columns(entry: MaintenanceList) -> list[Column]:
    columns = []
    for name in entry.columns:
        model_field = entry.model._meta.get_field(name)
        kind: ColumnKind = "text"
        if isinstance(model_field, models.BooleanField):
            kind = "bool"
        elif isinstance(model_field, models.DecimalField) and name in MONEY_FIELDS:
            kind = "money"
        elif (
            isinstance(model_field, (models.DecimalField, models.IntegerField))
            and not model_field.choices
            and not model_field.is_relation
        ):
            kind = "num"
        label = capfirst(str(getattr(model_field, "verbose_name", name)))
        columns.append(Column(name=name, label=label, kind=kind))
    return columns


def cell_value(record: models.Model, name: str) -> Any:
    """The value a cell shows: a choice's label, a related record's name, numbers as numbers."""
    model_field = record._meta.get_field(name)
    if getattr(model_field, "choices", None) and not model_field.is_relation:
        return getattr(record, f"get_{name}_display")()
    value = getattr(record, name)
    if model_field.is_relation:
        return None if value is None else str(value)
    if name in MONEY_FIELDS and isinstance(value, Decimal):
        return Money(value)  # a number in Excel, shown in the studio's currency
    return value


def _searched(queryset: QuerySet[Any], fields: Sequence[str], text: str) -> QuerySet[Any]:
    """Every word must appear in at least one of the fields (case-insensitive)."""
    for word in text.split():
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


def _sort_key(sort: str, allowed: Iterable[str]) -> str:
    """The sort asked for if it names a known column, else "" (the list's own order)."""
    return sort if sort.lstrip("-") in set(allowed) and sort.count("-") <= 1 else ""


def maintenance_records(*, entry: MaintenanceList, query: ListQuery) -> QuerySet[Any]:
    """The records of one maintenance list as the person asked for them."""
    meta = entry.model._meta
    related = [n for n in entry.columns if meta.get_field(n).many_to_one]
    queryset = entry.model._default_manager.select_related(*related)
    if entry.retirable and not query.show_inactive:
        queryset = queryset.filter(is_inactive=False)
    queryset = _searched(queryset, entry.search, query.search)
    for name, value in query.filters.items():
        if name in entry.filters:
            queryset = queryset.filter(**{name: value})
    sort = _sort_key(query.sort, entry.columns)
    order = [sort] if sort else []
    order += [o for o in entry.sort() if o.lstrip("-") != sort.lstrip("-")]
    if "id" not in order and "-id" not in order:
        order.append("id")  # a stable order for rows that tie
    return queryset.order_by(*order)


def records_page(queryset: QuerySet[Any], *, page: int, size: int) -> tuple[list[Any], bool]:
    """One page of rows and whether another follows (no COUNT over the table)."""
    start = (max(page, 1) - 1) * size
    rows = list(queryset[start : start + size + 1])
    return rows[:size], len(rows) > size


def move_steps(
    *, record: OrderedRecord, direction: Literal["up", "down"], include_inactive: bool
) -> int:
    """How many single moves take the record past its next *visible* neighbour.

    With inactive rows hidden, swapping with an invisible neighbour would look like nothing
    happened; the record has to pass the hidden rows as well.
    """
    if include_inactive:
        return 1
    rows = list(
        type(record)._default_manager.order_by("position", "id").values_list("pk", "is_inactive")
    )
    index = next((i for i, (pk, _) in enumerate(rows) if pk == record.pk), None)
    if index is None:
        return 1
    step = -1 if direction == "up" else 1
    steps, i = 0, index + step
    while 0 <= i < len(rows):
        steps += 1
        if not rows[i][1]:
            return steps
        i += step
    return max(steps, 1)


# The studio's people -----------------------------------------------------------------------

PEOPLE_COLUMNS = [
    Column("name", "Name"),
    Column("username", "Username"),
    Column("email", "Email"),
    Column("role", "Role", sortable=False),
    Column("departments", "Departments", sortable=False),
    Column("is_active", "Active", kind="bool"),
]
_PEOPLE_SORTS = {
    "name": ("last_name", "first_name", "username"),
    "username": ("username",),
    "email": ("email", "username"),
    "is_active": ("is_active", "username"),
}
_ROLE_OF_GROUP = {name: role for role, name in GROUP_NAMES.items()}


def person_role(user: User) -> Role | None:
    """The person's role, read from groups already fetched (no query per row)."""
    if user.is_superuser:
        return Role.MANAGER
    found = {_ROLE_OF_GROUP.get(g.name) for g in user.groups.all()}
    return next((r for r in (Role.MANAGER, Role.STAFF, Role.READONLY) if r in found), None)


def people_records(*, query: ListQuery) -> QuerySet[Any]:
    """The studio's people as the person asked for them; each with groups and departments."""
    queryset = get_user_model()._default_manager.prefetch_related(
        "groups", models.Prefetch("departments", queryset=Department.objects.order_by("name"))
    )
    if not query.show_inactive:
        queryset = queryset.filter(is_active=True)
    queryset = _searched(queryset, ("username", "first_name", "last_name", "email"), query.search)
    role = query.filters.get("role")
    if role:
        in_group = Q(groups__name=GROUP_NAMES[Role(role)])
        queryset = queryset.filter(
            in_group | Q(is_superuser=True) if role == Role.MANAGER else in_group
        )
    department = query.filters.get("department")
    if department is not None:
        queryset = queryset.filter(departments=department)
    sort = _sort_key(query.sort, _PEOPLE_SORTS)
    fields = _PEOPLE_SORTS.get(sort.lstrip("-"), _PEOPLE_SORTS["name"])
    descending = sort.startswith("-")
    return queryset.distinct().order_by(*(f"-{f}" if descending else f for f in fields), "id")


def person_cells(user: User) -> list[Any]:
    """A person's row, in the order of PEOPLE_COLUMNS."""
    role = person_role(user)
    return [
        user.get_full_name() or user.username,
        user.username,
        user.email,
        role.label if role else "No role",
        ", ".join(d.name for d in user.departments.all()),
        user.is_active,
    ]
