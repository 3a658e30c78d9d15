"""An invoice's lines as people and integrators give them (:class:`LineInput`), checked all at
once and saved with the invoice: each line's item, vendor, quantity and price, every problem named
by its line number so a page shows it beside that line.

A line that keeps its ``id`` keeps its row, so the production order details made from it still
point at it. Apart from the invoice services (``services.py``), which save header and lines in
one transaction, because the rules of a line are most of an invoice's rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from darkroom.catalog.models import PriceListItem, Vendor
from darkroom.clients.models import Invoice, InvoiceLine
from darkroom.database_limits import LARGEST_ID


@dataclass(frozen=True)
class LineInput:
    """One invoice line as a person or integrator gives it; ``id`` keeps an existing line."""

    item_id: int
    quantity: int = 1
    price: Decimal | None = None  # None: the item's current price
    description: str = ""
    vendor_override_id: int | None = None
    id: int | None = None


# Money columns hold 12 digits with 2 decimals; beyond that the database would refuse the row.
MONEY_LIMIT = Decimal("10000000000")
MOST_PER_LINE = 100_000
CENT = Decimal("0.01")


def _storable_id(value: object) -> bool:
    """An id the database could hold (a lookup of a larger one fails rather than finding none)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= LARGEST_ID


def _line_error(number: int, text: str) -> ValidationError:
    """A message about one line; ``params["line"]`` lets a page show it beside that line."""
    message = f"Line {number}: {text}"
    return ValidationError(message.replace("%", "%%"), code="line", params={"line": number})


def _line_price(given: LineInput, item: PriceListItem) -> Decimal | str:
    """The line's price as a Decimal with two places, or the reason it can't be one."""
    if given.price is None:
        return item.price
    try:
        price = given.price if isinstance(given.price, Decimal) else Decimal(str(given.price))
    except (InvalidOperation, ValueError, TypeError):
        return "the price must be an amount like 12.50."
    if not price.is_finite():
        return "the price must be an amount like 12.50."
    if price < 0:
        return "the price must not be negative."
    if price >= MONEY_LIMIT:
        return "the price is too large."
    if price != price.quantize(CENT, rounding="ROUND_DOWN"):
        return "the price has more than two decimals."
    return price.quantize(CENT)


def _build_lines(invoice: Invoice, lines: Sequence[LineInput]) -> list[InvoiceLine]:
    """Validate every line and return unsaved InvoiceLine objects; all errors are reported.

    A line that keeps its ``id`` keeps its row, so anything that refers to the line (production
    order details) still does. An item or vendor that was retired may stay on a line that already
    had it, but can't be chosen anew.
    """
    existing = {line.pk: line for line in invoice.lines.all()} if invoice.pk else {}
    item_ids = {line.item_id for line in lines if _storable_id(line.item_id)}
    items = PriceListItem.objects.select_related("preferred_vendor").in_bulk(item_ids)
    vendors = Vendor.objects.in_bulk(
        {line.vendor_override_id for line in lines if _storable_id(line.vendor_override_id)}
    )
    errors: list[ValidationError] = []
    built: list[InvoiceLine] = []
    seen_ids: set[int] = set()
    for number, given in enumerate(lines, start=1):
        before = existing.get(given.id) if given.id is not None else None
        if given.id is not None and before is None:
            errors.append(_line_error(number, "it is not a line of this invoice."))
            continue
        if given.id is not None:
            if given.id in seen_ids:
                errors.append(_line_error(number, "the same line is given twice."))
                continue
            seen_ids.add(given.id)
        item = items.get(given.item_id)
        if item is None:
            errors.append(_line_error(number, f"there is no price list item {given.item_id}."))
            continue
        if item.is_inactive and (before is None or before.item_id != item.pk):
            errors.append(
                _line_error(number, f"“{item.identifier}” is inactive; choose an active item.")
            )
        vendor = None
        if given.vendor_override_id:
            vendor = vendors.get(given.vendor_override_id)
            if vendor is None:
                missing = f"there is no vendor {given.vendor_override_id}."
                errors.append(_line_error(number, missing))
                continue
            unchanged = before is not None and before.vendor_override_id == vendor.pk
            if vendor.is_inactive and not unchanged:
                errors.append(
                    _line_error(number, f"vendor “{vendor}” is inactive; choose another.")
                )
        if isinstance(given.quantity, bool) or not isinstance(given.quantity, int):
            errors.append(_line_error(number, "the quantity must be a whole number."))
            continue
        if given.quantity < 1:
            errors.append(_line_error(number, "the quantity must be at least 1."))
        elif given.quantity > MOST_PER_LINE:
            errors.append(_line_error(number, f"the quantity must be at most {MOST_PER_LINE:,}."))
        price = _line_price(given, item)
        if isinstance(price, str):
            errors.append(_line_error(number, price))
            continue
        description = given.description or item.description
        if "\x00" in description:
            errors.append(_line_error(number, "the description has a character it can't keep."))
        elif len(description) > InvoiceLine._meta.get_field("description").max_length:  # type: ignore[operator]
            errors.append(_line_error(number, "the description is longer than 200 characters."))
        line = before or InvoiceLine(invoice=invoice)
        line.item = item
        line.position = number
        line.quantity = given.quantity
        line.price = price
        line.description = description
        line.vendor_override = vendor
        built.append(line)
    if not errors and sum((line.amount for line in built), Decimal("0")) >= MONEY_LIMIT:
        errors.append(ValidationError("The invoice total is too large."))
    if errors:
        raise ValidationError({"lines": errors})
    return built


def _save_lines(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    keep = {line.pk for line in lines if line.pk}
    invoice.lines.exclude(pk__in=keep).delete()
    for number, line in enumerate(lines, start=1):
        line.invoice = invoice
        try:
            line.full_clean(exclude=["invoice"])
        except ValidationError as exc:
            messages = " ".join(exc.messages)
            raise ValidationError({"lines": [_line_error(number, messages)]}) from exc
        line.save()
    invoice.total = sum((line.amount for line in lines), Decimal("0"))
