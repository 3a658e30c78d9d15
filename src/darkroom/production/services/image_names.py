"""Image names of a print order's detail lines: what the lab prints, one file a name.

Print orders take image names, typed or pasted: one per line or separated by commas,
semicolons or tabs (a spreadsheet's column or row). They are kept in one form — one name a
line, trimmed, blanks and repeats dropped — so the page, the API and the PDFs count and show
the same names. Generic orders take no image names.

Apart from the detail line services (``details.py``) because the pages and the API read names
in this form too, and the rules of a name are a topic of their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError

from darkroom.catalog.models import OrderKind
from darkroom.production.models import ProductionOrder, ProductionOrderDetail

MOST_IMAGES = 5_000  # one line's images; a bigger job is several lines
IMAGE_NAME_LENGTH = 255  # what file systems allow a file name
IMAGES_NAMED = 5  # the history names this many of a line's images, then counts the rest

# What separates image names as people paste them: line breaks (every kind str.splitlines
# knows), commas, semicolons and tabs. Anything else that is a control character is refused.
_SEPARATORS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029,;\t]")


def image_names_of(value: str | Iterable[str] | None) -> list[str]:
    """The image names in ``value`` (pasted text, or a list of names) in their one form: in the
    order given, trimmed, without blanks or repeats. A ValidationError on ``image_names`` says
    which name can't be taken (a control character, too long) or that there are too many."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value
    else:
        given = list(value)
        if not all(isinstance(name, str) for name in given):
            raise ValidationError({"image_names": "Image names are text."})
        text = "\n".join(given)
    names: list[str] = []
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text):
        name = raw.strip()
        if not name or name in seen:
            continue
        if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
            shown = "".join(c if unicodedata.category(c) not in ("Cc", "Cs") else "?" for c in name)
            raise ValidationError(
                {
                    "image_names": f"The image name “{shown[:60]}” holds a control character "
                    "(an invisible one pasted along): type it again."
                }
            )
        if len(name) > IMAGE_NAME_LENGTH:
            raise ValidationError(
                {
                    "image_names": f"The image name “{name[:40]}…” is longer than "
                    f"{IMAGE_NAME_LENGTH} characters."
                }
            )
        seen.add(name)
        names.append(name)
    if len(names) > MOST_IMAGES:
        raise ValidationError(
            {
                "image_names": f"{len(names):,} image names are more than one line takes "
                f"({MOST_IMAGES:,}): split them over several lines."
            }
        )
    return names


def image_list(detail: ProductionOrderDetail) -> list[str]:
    """A line's image names as stored (one a line)."""
    return [name for name in detail.image_names.split("\n") if name]


def images_words(names: Sequence[str]) -> str:
    """ "3 images: IMG_1.jpg, IMG_2.jpg, IMG_3.jpg" (the first few, then how many more)."""
    count = len(names)
    if not count:
        return "no images"
    shown = ", ".join(names[:IMAGES_NAMED])
    more = f" and {count - IMAGES_NAMED:,} more" if count > IMAGES_NAMED else ""
    return f"{count:,} image{'s' if count != 1 else ''}: {shown}{more}"


def _images(order: ProductionOrder, value: object) -> str:
    names = image_names_of(value)  # type: ignore[arg-type]
    if names and order.order_type.kind != OrderKind.PRINT:
        raise ValidationError(
            {
                "image_names": f"“{order.order_type}” is a generic order type: its lines take "
                "a description and notes, not image names."
            }
        )
    return "\n".join(names)
