"""Writes every maintenance list shares: validate-and-save, delete (refused when in use), move.

The rule "a record in use is never deleted" is enforced by the database: every reference to a
maintenance record is ``on_delete=PROTECT``, and ``record_delete`` turns the refusal into a message
that names what uses the record and offers "make inactive".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max, ProtectedError, QuerySet, RestrictedError

from darkroom.errors import RecordInUse
from darkroom.record_shapes import OrderedRecord

R = TypeVar("R", bound=models.Model)


def record_save(
    *,
    record: R,
    many: Mapping[str, Iterable[models.Model]] | None = None,
    leave: Iterable[str] = (),
) -> R:
    """Validate the record (fields, uniqueness, constraints) and save it in one transaction,
    with its many-to-many choices (``many={"members": [...]}``) when given. Columns named in
    ``leave`` are not written when an existing record is saved: their own service owns them
    (a tracked record's status, for one), so a stale copy in memory can't overwrite them.

    A new record of a hand-ordered list goes to the end of its list.
    """
    with transaction.atomic():
        if isinstance(record, OrderedRecord) and record._state.adding and not record.position:
            top = type(record)._default_manager.aggregate(top=Max("position"))["top"] or 0
            record.position = top + 1
        record.full_clean()
        try:
            with transaction.atomic():
                if leave and not record._state.adding:
                    left = set(leave)
                    record.save(
                        update_fields=[
                            f.name
                            for f in record._meta.concrete_fields
                            if not f.primary_key and f.name not in left
                        ]
                    )
                else:
                    record.save()
        except IntegrityError as exc:
            # Two people saving the same unique value at once: the loser gets the same message
            # full_clean would have given it a moment later.
            raise ValidationError(
                f"This {record._meta.verbose_name} clashes with one saved a moment ago: {exc}"
            ) from exc
        for name, targets in (many or {}).items():
            getattr(record, name).set(targets)
    return record


def _describe_users(objects: set[models.Model]) -> str:
    counts = Counter((o._meta.verbose_name, o._meta.verbose_name_plural) for o in objects)
    parts = [f"{n} {plural if n > 1 else single}" for (single, plural), n in counts.most_common()]
    return ", ".join(parts)


def record_delete(*, record: models.Model) -> None:
    """Delete a record nothing uses; one in use is refused with "make it inactive" offered."""
    try:
        with transaction.atomic():
            record.delete()
    except (ProtectedError, RestrictedError) as exc:
        users = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        retire = " Make it inactive instead." if hasattr(record, "is_inactive") else ""
        raise RecordInUse(
            f"“{record}” can't be deleted: it is used by {_describe_users(set(users))}.{retire}"
        ) from exc


def record_set_inactive(*, record: models.Model, inactive: bool = True) -> None:
    """Retire (or bring back) a record: it stays in history but can't be chosen for new work."""
    with transaction.atomic():
        type(record)._default_manager.filter(pk=record.pk).update(is_inactive=inactive)
        record.is_inactive = inactive  # type: ignore[attr-defined]


def record_move(
    *,
    record: OrderedRecord,
    direction: Literal["up", "down"],
    siblings: QuerySet[OrderedRecord] | None = None,
) -> None:
    """Swap the record with its neighbour in the list (positions are renumbered 1..n)."""
    if direction not in ("up", "down"):
        raise ValidationError("Direction must be up or down.")
    with transaction.atomic():
        scope = siblings if siblings is not None else type(record)._default_manager.all()
        rows = list(scope.select_for_update().order_by("position", "id"))
        index = next((i for i, r in enumerate(rows) if r.pk == record.pk), None)
        if index is None:
            raise ValidationError("This record is not in the list.")
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(rows):
            rows[index], rows[other] = rows[other], rows[index]
        changed = []
        for position, row in enumerate(rows, start=1):
            if row.position != position:
                row.position = position
                changed.append(row)
        type(record)._default_manager.bulk_update(changed, ["position"])
        record.position = next(r.position for r in rows if r.pk == record.pk)
