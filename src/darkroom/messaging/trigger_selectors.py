"""Reading triggers: the list (filtered by cycle and state, sorted, with how often each fired),
one trigger, the cycles a trigger can belong to, and a trigger's timing in words."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from darkroom.messaging.models import Firing, Trigger, TriggerWhen
from darkroom.tracking.models import Cycle, CycleKind, Status

KIND_ORDER = {kind: index for index, kind in enumerate(CycleKind.values)}

# Sort keys of the list → the columns they order by (a leading "-" reverses).
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "cycle": ("cycle__kind", "cycle__name"),
    "status": ("cycle__kind", "cycle__name", "status__position"),
    "when": ("when", "days"),
    "action": ("action",),
    "recipient": ("recipient",),
    "processing": ("processing",),
    "active": ("is_active",),
    "fired": ("fired",),
}


def trigger_cycles() -> list[Cycle]:
    """Every cycle, in the order the studio thinks of them: sessions first, tasks last."""
    cycles = Cycle.objects.select_related("order_type", "session_type")
    return sorted(cycles, key=lambda c: (KIND_ORDER.get(c.kind, 99), c.name.lower(), c.pk))


def with_fired(triggers: QuerySet[Trigger]) -> QuerySet[Trigger]:
    """Each trigger with ``fired``: how many firings it has planned, in any state."""
    count = (
        Firing.objects.filter(trigger_id=OuterRef("pk"))
        .order_by()
        .values("trigger_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return triggers.annotate(fired=Coalesce(Subquery(count), Value(0)))


def trigger_list(
    *, cycle_id: int | None = None, active: bool | None = None, sort: str = ""
) -> QuerySet[Trigger]:
    """The triggers, by cycle then status unless ``sort`` names a column of :data:`SORTS`."""
    triggers = Trigger.objects.select_related(
        "cycle", "status", "template", "fallback_template", "task_department", "task_user"
    )
    if cycle_id is not None:
        triggers = triggers.filter(cycle_id=cycle_id)
    if active is not None:
        triggers = triggers.filter(is_active=active)
    triggers = with_fired(triggers)
    key = sort.removeprefix("-")
    if key in SORTS:
        columns = [F(c).desc() if sort.startswith("-") else F(c).asc() for c in SORTS[key]]
        return triggers.order_by(*columns, "cycle__kind", "cycle__name", "status__position", "pk")
    return triggers.order_by("cycle__kind", "cycle__name", "status__position", "name", "pk")


def trigger_detail(*, pk: int) -> Trigger:
    return with_fired(trigger_list()).get(pk=pk)


def cycle_status_choices(cycle_id: int | None) -> QuerySet[Status]:
    """The statuses a trigger of this cycle can watch: its active ones, in order."""
    if cycle_id is None:
        return Status.objects.none()
    return Status.objects.filter(cycle_id=cycle_id, is_inactive=False).order_by("position", "pk")


def when_words(trigger: Trigger) -> str:
    """ "On entering", "On the due date", "3 business days after the due date"."""
    if trigger.when == TriggerWhen.ENTERED:
        return "On entering"
    if not trigger.days:
        return "On the due date"
    unit = "business day" if trigger.days == 1 else "business days"
    side = "before" if trigger.when == TriggerWhen.BEFORE_DUE else "after"
    return f"{trigger.days} {unit} {side} the due date"


def triggers_by_status(*, cycle_id: int) -> dict[int, list[Trigger]]:
    """The cycle's triggers, per status they watch (for the statuses page)."""
    found: dict[int, list[Trigger]] = {}
    for trigger in Trigger.objects.filter(cycle_id=cycle_id).order_by("name", "pk"):
        found.setdefault(trigger.status_id, []).append(trigger)
    return found
