"""What the lists of orders offer to choose from: order types, the statuses of the production and
proof-order cycles, vendors, departments, people and priority codes, read once per process and
kept while the studio's lists stay as they are (``studio/kept.py``).

The hub's filter bar and bulk change (``hub/forms.py``) and the all-orders list's filter
(``production/views/order_list.py``) offer the same lists, so they share one reading of them,
kept here below both: production does not import the hub.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.choices import BaseChoiceIterator

from darkroom.catalog.models import PriorityCode, ProductionOrderType, Vendor
from darkroom.studio.kept import kept_while_lists_unchanged
from darkroom.studio.models import Department
from darkroom.tracking.models import CycleKind, Status

ORDER_CYCLE_KINDS = (CycleKind.PRODUCTION, CycleKind.PREPRODUCTION)
DEFAULT_HOLDER = ""  # department/person: each new status's default, or (reassigning) as it is
NOBODY = "none"


def _named(name: str, inactive: bool) -> str:
    return f"{name} (inactive)" if inactive else name


class Prepared(BaseChoiceIterator):
    """Choices already in the shape Django's fields want (``normalize_choices`` passes these
    through as they are): the lists are kept per process, so they are shaped once, not
    option by option on every page."""

    def __init__(self, choices: list[Any]) -> None:
        self.choices = choices

    def __iter__(self) -> Any:
        return iter(self.choices)

    def __len__(self) -> int:
        return len(self.choices)


@dataclass(frozen=True)
class StatusChoice:
    pk: int
    description: str
    is_inactive: bool
    cycle: str  # its cycle's name


@dataclass(frozen=True)
class OrderChoices:
    """What the hub's filter bar and bulk change and the all-orders list offer (six queries, kept
    per process)."""

    order_types: list[tuple[int, str]]
    statuses: list[StatusChoice]  # of production and proof-order cycles, by cycle then position
    vendors: list[tuple[int, str]]
    departments: list[tuple[int, str]]
    users: list[tuple[int, str]]
    priorities: list[tuple[int, str]]
    # Who may be given work or named as having done it (the bulk change): current ones only.
    active_departments: list[tuple[int, str]] = field(default_factory=list)
    active_users: list[tuple[int, str]] = field(default_factory=list)

    @functools.cached_property
    def bar(self) -> dict[str, tuple[Prepared, Prepared]]:
        """Each list of the filter bar, with "Any" first and without (a repeated parameter
        makes a multiple choice), prepared once per process."""
        lists: dict[str, Any] = {
            "status": self.status_groups(),
            "vendor": self.vendors,
            "order_type": self.order_types,
            "department": self.departments,
            "user": self.users,
            "priority": self.priorities,
        }
        return {
            name: (Prepared([("", "Any"), *options]), Prepared(options))
            for name, options in lists.items()
        }

    @functools.cached_property
    def bulk_targets(self) -> Prepared:
        """The bulk change's choices: the next status, or an active status of a cycle."""
        return Prepared([("", "Next status of each order"), *self.status_groups(active_only=True)])

    @functools.cached_property
    def bulk_holders(self) -> dict[str, Prepared]:
        """The bulk change's department, person and "status updated by" choices: current ones
        only, prepared once per process."""
        holders = {
            "department": (self.active_departments, "No department"),
            "user": (self.active_users, "Nobody"),
        }
        prepared = {
            name: Prepared(
                [(DEFAULT_HOLDER, "Default (status's / as it is)"), (NOBODY, none), *options]
            )
            for name, (options, none) in holders.items()
        }
        prepared["updated_by"] = Prepared([("", "Me"), *self.active_users])
        return prepared

    def status_groups(
        self, *, active_only: bool = False
    ) -> list[tuple[str, list[tuple[int, str]]]]:
        groups: dict[str, list[tuple[int, str]]] = {}
        for status in self.statuses:
            if active_only and status.is_inactive:
                continue
            label = _named(status.description, status.is_inactive)
            groups.setdefault(status.cycle, []).append((status.pk, label))
        return list(groups.items())


def _pairs(objects: Any, name: str = "name") -> list[tuple[int, str]]:
    """``(id, name)`` of each row, "(inactive)" said: plain values, no model per row (the
    studio has hundreds of vendors, and the bar is read on every page)."""
    return [
        (pk, _named(label, inactive))
        for pk, label, inactive in objects.values_list("pk", name, "is_inactive")
    ]


def _people() -> list[tuple[int, str, bool]]:
    """Everyone, by name (``person_name``'s words: full name, else username), and whether
    they can sign in."""
    people = get_user_model().objects.order_by("first_name", "last_name", "username")
    return [
        (pk, f"{first} {last}".strip() or username, active)
        for pk, first, last, username, active in people.values_list(
            "pk", "first_name", "last_name", "username", "is_active"
        )
    ]


def order_choices() -> OrderChoices:
    """The hub's and the all-orders list's choices: read once per process and kept until
    the studio's lists change (``studio/kept.py``), one small query a page instead of six."""
    return kept_while_lists_unchanged("order choices", _read_choices)


def _read_choices() -> OrderChoices:
    statuses = (
        Status.objects.filter(cycle__kind__in=ORDER_CYCLE_KINDS)
        .order_by("cycle__kind", "cycle__name", "cycle_id", "position", "id")
        .values_list("pk", "description", "is_inactive", "cycle__name")
    )
    departments = list(Department.objects.order_by("name").values_list("pk", "name", "is_inactive"))
    people = _people()
    return OrderChoices(
        order_types=_pairs(ProductionOrderType.objects.all()),
        statuses=[StatusChoice(*values) for values in statuses],
        vendors=_pairs(Vendor.objects.order_by("name")),
        departments=[(pk, _named(name, inactive)) for pk, name, inactive in departments],
        users=[(pk, _named(name, not active)) for pk, name, active in people],
        priorities=_pairs(PriorityCode.objects.all(), "code"),
        active_departments=[(pk, name) for pk, name, inactive in departments if not inactive],
        active_users=[(pk, name) for pk, name, active in people if active],
    )
