"""Writes of a production order's detail lines: what the vendor makes, line by line.

Orders made with *manual* details start empty and are filled here; automatic ones may be
corrected here. A line is added, changed, moved or deleted while the order is open: once the
order is in its final status its lines are what was made, and are refused (``final``).

Every change is checked against the order's ``version`` (a line belongs to its order: two
people changing the same order's lines get a conflict, not a lost change), raises the version,
renumbers the lines 1, 2, 3… and writes one "details" row to the order's history saying what
happened in words ("Detail line 2 added: 8x10 print ×2, 2 images: IMG_0012, IMG_0013").

Image names, their one form and the check of a line's: ``image_names.py``.

One module on purpose (a little over 400 lines): the five services are short and share the steps
in the middle (the order as stored and its version, the history row, the renumbering, a line in
words); split, each would import those steps from another module to do the same thing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from darkroom.catalog.models import PriceListItem, RenderProfile, VendorProduct
from darkroom.errors import Conflict, DarkroomError
from darkroom.production.models import ProductionOrder, ProductionOrderDetail
from darkroom.production.services.image_names import (
    IMAGES_NAMED,
    _images,
    image_list,
    images_words,
)
from darkroom.studio.calendar.cache import calendar_now
from darkroom.tracking import events
from darkroom.tracking.models import StatusNote
from darkroom.tracking.status_rows import insert_note

MOST_QUANTITY = 100_000
NOTES_LENGTH = 2_000
WORDS_LENGTH = 60  # a description or note quoted in the history is cut here

CHANGEABLE = (
    "item",
    "description",
    "quantity",
    "vendor_product_code",
    "render_profile",
    "image_names",
    "notes",
)


# -- checks --------------------------------------------------------------------------------------


def _text(field: str, value: object, *, most: int | None = None, multiline: bool = False) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: "This is text."})
    text = value.strip()
    allowed = "\n\t" if multiline else ""
    if any(c not in allowed and unicodedata.category(c) in ("Cc", "Cs") for c in text):
        raise ValidationError({field: "This holds a control character: type it again."})
    if most is not None and len(text) > most:
        raise ValidationError({field: f"At most {most:,} characters, please."})
    return text


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"quantity": "The quantity is a whole number."})
    if not 1 <= value <= MOST_QUANTITY:
        raise ValidationError({"quantity": f"The quantity is between 1 and {MOST_QUANTITY:,}."})
    return value


def _item(value: object, current_id: int | None = None) -> PriceListItem:
    if not isinstance(value, PriceListItem):
        raise ValidationError({"item": "Choose an item of the price list."})
    if value.is_inactive and value.pk != current_id:
        raise ValidationError({"item": f"“{value}” is inactive; choose an active item."})
    return value


def _profile(value: object, current_id: int | None = None) -> RenderProfile | None:
    if value is None:
        return None
    if not isinstance(value, RenderProfile):
        raise ValidationError({"render_profile": "Choose a render profile."})
    if value.is_inactive and value.pk != current_id:
        raise ValidationError({"render_profile": f"“{value}” is inactive; choose another."})
    return value


def _check_lengths(detail: ProductionOrderDetail) -> None:
    """The model's own limits (description, vendor code), beside their fields."""
    try:
        detail.full_clean(
            exclude=["order", "item", "render_profile", "invoice_line", "quantity", "position"]
        )
    except ValidationError as exc:
        raise ValidationError({f: " ".join(m) for f, m in exc.message_dict.items()}) from exc


# -- the order's state, version and history ------------------------------------------------------


def _order_now(order: ProductionOrder, expected_version: object) -> ProductionOrder:
    """The order as it is now, if its lines may change: in its cycle and not final."""
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError({"version": "The version is a whole number."})
    fresh = ProductionOrder.objects.select_related("status", "order_type").get(pk=order.pk)
    if fresh.status is None:
        raise DarkroomError(
            "This order has not entered its status cycle yet: start it, then add its lines.",
            code="not_started",
        )
    if fresh.status.is_final:
        raise DarkroomError(
            f"This order is “{fresh.status}”, its final status: its detail lines are what was "
            "made and can't change any more.",
            code="final",
        )
    return fresh


def _stale() -> Conflict:
    return Conflict(
        "This production order was changed by someone else since you opened it. "
        "Reload it to see their change, then make yours again."
    )


def _bump(fresh: ProductionOrder, expected_version: int) -> None:
    """Raise the order's version if it is still the one the person saw (else a Conflict).

    Inside the caller's transaction: a second person changing the same order's lines waits
    on this row, then finds the version moved."""
    if not ProductionOrder.objects.filter(pk=fresh.pk, version=expected_version).update(
        version=F("version") + 1
    ):
        raise _stale()
    fresh.version = expected_version + 1


def _history(order: ProductionOrder, by: User, words: str) -> StatusNote:
    """One "details" row in the order's history; the status it stayed in is its from and to."""
    return insert_note(
        events.details_changed(
            record=order,
            status=order.status,
            by=by,
            words=words,
            on=calendar_now().today,
            now=timezone.now(),
        )
    )


def _lines(order: ProductionOrder) -> list[ProductionOrderDetail]:
    return list(
        ProductionOrderDetail.objects.filter(order_id=order.pk)
        .select_related("item")
        .order_by("position", "id")
    )


def _renumber(lines: Sequence[ProductionOrderDetail]) -> None:
    """Number the lines 1, 2, 3… in the order given (only the rows whose number moved)."""
    moved = []
    for number, line in enumerate(lines, start=1):
        if line.position != number:
            line.position = number
            moved.append(line)
    ProductionOrderDetail.objects.bulk_update(moved, ["position"])


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= WORDS_LENGTH else f"{text[: WORDS_LENGTH - 1]}…"


def line_words(detail: ProductionOrderDetail) -> str:
    """ "8x10 print ×2, 2 images: IMG_1.jpg, IMG_2.jpg, notes “matte”": a line in words."""
    words = f"{_short(detail.description or detail.item.description)} ×{detail.quantity}"
    names = image_list(detail)
    if names:
        words += f", {images_words(names)}"
    if detail.notes:
        words += f", notes “{_short(detail.notes)}”"
    return words


# -- the services --------------------------------------------------------------------------------


def production_order_detail_add(
    *,
    order: ProductionOrder,
    expected_version: int,
    by: User,
    item: PriceListItem,
    quantity: int = 1,
    description: str = "",
    vendor_product_code: str | None = None,
    render_profile: RenderProfile | None = None,
    image_names: str | Iterable[str] | None = "",
    notes: str = "",
) -> ProductionOrderDetail:
    """Add a line at the end of the order. The description defaults to the item's; the vendor's
    code and the render profile to the vendor's product code for the item and the item's
    profile. Image names only on print orders (see :func:`image_names_of`)."""
    item = _item(item)
    quantity = _quantity(quantity)
    profile = _profile(render_profile)
    text = _text("description", description)
    code = (
        None if vendor_product_code is None else _text("vendor_product_code", vendor_product_code)
    )
    said = _text("notes", notes, most=NOTES_LENGTH, multiline=True)
    with transaction.atomic():
        fresh = _order_now(order, expected_version)
        images = _images(fresh, image_names)
        if code is None:
            code = (
                VendorProduct.objects.filter(vendor_id=fresh.vendor_id, item_id=item.pk)
                .values_list("product_code", flat=True)
                .first()
                or ""
            )
        lines = _lines(fresh)
        detail = ProductionOrderDetail(
            order=fresh,
            position=len(lines) + 1,
            item=item,
            description=text or item.description,
            quantity=quantity,
            vendor_product_code=code,
            render_profile=profile if profile is not None else item.render_profile,
            image_names=images,
            notes=said,
        )
        _check_lengths(detail)
        _bump(fresh, expected_version)
        _renumber(lines)  # lines left with gaps by an older Darkroom
        detail.save(force_insert=True)
        _history(fresh, by, f"Detail line {detail.position} added: {line_words(detail)}")
    order.version = fresh.version
    return detail


def _changes(before: ProductionOrderDetail, after: ProductionOrderDetail) -> list[str]:
    """What changed on a line, in words."""
    said: list[str] = []
    if before.item_id != after.item_id:
        said.append(f"item {before.item.identifier} → {after.item.identifier}")
    if before.description != after.description:
        said.append(f"description “{_short(before.description)}” → “{_short(after.description)}”")
    if before.quantity != after.quantity:
        said.append(f"quantity {before.quantity} → {after.quantity}")
    if before.vendor_product_code != after.vendor_product_code:
        old, new = before.vendor_product_code or "none", after.vendor_product_code or "none"
        said.append(f"vendor code {old} → {new}")
    if before.render_profile_id != after.render_profile_id:
        old = before.render_profile.name if before.render_profile else "none"
        new = after.render_profile.name if after.render_profile else "none"
        said.append(f"render profile {old} → {new}")
    if before.image_names != after.image_names:
        old_names, new_names = image_list(before), image_list(after)
        added = [n for n in new_names if n not in set(old_names)]
        removed = [n for n in old_names if n not in set(new_names)]
        parts = [f"images {len(old_names):,} → {len(new_names):,}"]
        if added:
            parts.append(f"added {', '.join(added[:IMAGES_NAMED])}")
        if removed:
            parts.append(f"removed {', '.join(removed[:IMAGES_NAMED])}")
        if not added and not removed:
            parts.append("put in another order")
        said.append(", ".join(parts))
    if before.notes != after.notes:
        said.append(f"notes “{_short(after.notes)}”" if after.notes else "notes removed")
    return said


def _line_of(detail: ProductionOrderDetail | int) -> ProductionOrderDetail:
    pk = detail if isinstance(detail, int) else detail.pk
    line = (
        ProductionOrderDetail.objects.select_related("item", "render_profile", "order")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise ProductionOrderDetail.DoesNotExist("This detail line was deleted meanwhile.")
    return line


def production_order_detail_update(
    *,
    detail: ProductionOrderDetail,
    expected_version: int,
    by: User,
    **fields: Any,
) -> ProductionOrderDetail:
    """Change a line's item, description, quantity, vendor's code, render profile, image names
    or notes (the fields given; the others stay); the line as it is now. A change that changes
    nothing writes nothing. An empty description takes the item's again."""
    unknown = sorted(set(fields) - set(CHANGEABLE))
    if unknown:
        raise ValidationError({name: "This can't be changed here." for name in unknown})
    with transaction.atomic():
        before = _line_of(detail)
        fresh = _order_now(before.order, expected_version)
        after = _line_of(detail)
        if "item" in fields:
            after.item = _item(fields["item"], before.item_id)
        if "quantity" in fields:
            after.quantity = _quantity(fields["quantity"])
        if "render_profile" in fields:
            after.render_profile = _profile(fields["render_profile"], before.render_profile_id)
        if "description" in fields:
            text = _text("description", fields["description"])
            after.description = text or after.item.description
        if "vendor_product_code" in fields:
            after.vendor_product_code = _text("vendor_product_code", fields["vendor_product_code"])
        if "notes" in fields:
            after.notes = _text("notes", fields["notes"], most=NOTES_LENGTH, multiline=True)
        if "image_names" in fields:
            after.image_names = _images(fresh, fields["image_names"])
        _check_lengths(after)
        said = _changes(before, after)
        if not said:
            if fresh.version != expected_version:
                raise _stale()
            return after
        _bump(fresh, expected_version)
        after.save(update_fields=list(CHANGEABLE))
        _history(fresh, by, f"Detail line {after.position} changed: {'; '.join(said)}")
    after.order = fresh
    return after


def production_order_detail_move(
    *,
    detail: ProductionOrderDetail,
    expected_version: int,
    by: User,
    direction: Literal["up", "down"],
) -> list[ProductionOrderDetail]:
    """Move a line one place up or down; the order's lines in their new order. The first line
    can't move up, nor the last down."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Move a line “up” or “down”."})
    with transaction.atomic():
        line = _line_of(detail)
        fresh = _order_now(line.order, expected_version)
        lines = _lines(fresh)
        at = next(i for i, each in enumerate(lines) if each.pk == line.pk)
        to = at - 1 if direction == "up" else at + 1
        if not 0 <= to < len(lines):
            edge = "first" if direction == "up" else "last"
            raise DarkroomError(f"Line {at + 1} is already the {edge} line.", code="cannot_move")
        _bump(fresh, expected_version)
        lines[at], lines[to] = lines[to], lines[at]
        _renumber(lines)
        what = _short(line.description or line.item.description)
        _history(fresh, by, f"Detail line {at + 1} ({what}) moved {direction} to line {to + 1}")
    return lines


def production_order_details_reorder(
    *,
    order: ProductionOrder,
    expected_version: int,
    by: User,
    ids: Sequence[int],
) -> list[ProductionOrderDetail]:
    """Put the order's lines in the order of ``ids`` (every line of the order, once each); the
    lines in their new order. The order they are already in writes nothing."""
    given = list(ids)
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in given):
        raise ValidationError({"ids": "Give the lines' ids, as whole numbers."})
    with transaction.atomic():
        fresh = _order_now(order, expected_version)
        lines = _lines(fresh)
        by_id = {line.pk: line for line in lines}
        if len(set(given)) != len(given):
            raise ValidationError({"ids": "A line is named twice."})
        strangers = [str(pk) for pk in given if pk not in by_id]
        if strangers:
            raise ValidationError({"ids": f"Not lines of this order: {', '.join(strangers[:10])}."})
        if len(given) != len(lines):
            raise ValidationError(
                {"ids": f"Name every line of the order ({len(lines)}), once each."}
            )
        before = [line.pk for line in lines]
        if given == before:
            if fresh.version != expected_version:
                raise _stale()
            return lines
        _bump(fresh, expected_version)
        ordered = [by_id[pk] for pk in given]
        _renumber(ordered)
        old = {pk: number for number, pk in enumerate(before, start=1)}
        numbers = ", ".join(str(old[pk]) for pk in given)
        _history(fresh, by, f"Detail lines put in a new order: {numbers} (the old line numbers)")
    order.version = fresh.version
    return ordered


def production_order_detail_delete(
    *, detail: ProductionOrderDetail, expected_version: int, by: User
) -> None:
    """Delete a line entered by mistake; the lines after it move up."""
    with transaction.atomic():
        line = _line_of(detail)
        fresh = _order_now(line.order, expected_version)
        _bump(fresh, expected_version)
        words = f"Detail line {line.position} deleted: {line_words(line)}"
        line.delete()
        _renumber(_lines(fresh))
        _history(fresh, by, words)
