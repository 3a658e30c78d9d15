"""Every list the API answers has one shape: ``{"results": [...], "next_cursor": "…" | null}``.

A list that can grow without end comes a page at a time by keyset: the cursor names the last row
sent (its sort values and id), so a row added or changed while someone pages never makes the
others repeat or go missing, and nothing counts every row. A short list that can't grow much (a
cycle's statuses) answers the same envelope with ``next_cursor`` null.

- :func:`list_of` makes the envelope schema of an item schema, one per item, each name once.
- :class:`PageQuery` is the ``cursor`` and ``limit`` a paged list takes (mix it into its query).
- :func:`keyset_page` answers one page of an ordered queryset; :func:`whole_list` a short list.
- :func:`cursor_after` / :func:`cursor_values` make and read a cursor, for a list read some other
  way (the communication log merges two tables).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Expression, F, Model, OrderBy, Q, QuerySet
from ninja import Field, Schema
from pydantic import create_model

from darkroom.api.fields import MAX_PAGE_SIZE
from darkroom.database_limits import LARGEST_ID

PAGE_SIZE = 50
CURSOR_HELP = "The next_cursor of the page before; leave out for the first page"
LIMIT_HELP = f"Rows per page, 1–{MAX_PAGE_SIZE}"
NEXT_CURSOR_HELP = (
    "Send as cursor (with the same filters and sort) for the next page; null: no more"
)
BAD_CURSOR = "This cursor was not given by this list with this sort: start again without it."

_ENVELOPES: dict[str, type[Schema]] = {}


def list_of(item: type[Any], name: str | None = None) -> type[Schema]:
    """The envelope schema of a list of ``item``: ``results`` and ``next_cursor``.

    Named after the item (``ClientOut`` → ``ClientList``) unless ``name`` is given; the same item
    always gets the same schema, and two items asking for one name is an error at import, so the
    OpenAPI document never silently keeps one of two schemas of the same name."""
    name = name or f"{item.__name__.removesuffix('Out')}List"
    known = _ENVELOPES.get(name)
    if known is not None:
        if known.model_fields["results"].annotation != list[item]:
            raise TypeError(f"Two lists are both named {name}: give one another name.")
        return known
    envelope: type[Schema] = create_model(
        name,
        __base__=Schema,
        __doc__=f"A list of {item.__name__}, a page at a time.",
        results=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, Field(..., description=NEXT_CURSOR_HELP)),
    )
    _ENVELOPES[name] = envelope
    return envelope


class PageQuery(Schema):
    """Where a page starts and how long it is."""

    cursor: str | None = Field(None, max_length=1000, description=CURSOR_HELP)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=LIMIT_HELP)


def whole_list(rows: Iterable[Any], answer: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """A short list in one answer: every row, ``next_cursor`` null."""
    return {"results": [answer(r) for r in rows] if answer else list(rows), "next_cursor": None}


# ---------------------------------------------------------------- keyset pages


def _columns(model: type[Model], name: str, descending: bool) -> list[tuple[Any, bool]]:
    """A field name of an ordering as the columns the database sorts by: a reference (``vendor``)
    sorts by its model's own order (``vendor__name``), as Django's ``order_by`` does."""
    if name in ("id", "pk"):
        return [(F("pk"), descending)]
    target: Any = model
    field: Any = None
    for part in name.split("__"):
        try:
            field = target._meta.get_field(part)
        except (FieldDoesNotExist, AttributeError):
            return [(F(name), descending)]  # an annotation, or a lookup Django resolves itself
        target = field.related_model
    if field is None or not field.is_relation or not target or not target._meta.ordering:
        return [(F(name), descending)]
    columns = []
    for term in target._meta.ordering:
        if not isinstance(term, str):
            return [(F(name), descending)]
        flipped = term.startswith("-")
        columns += _columns(model, f"{name}__{term.removeprefix('-')}", descending != flipped)
    return columns


def _terms(queryset: QuerySet[Any]) -> list[tuple[Any, bool]]:
    """The queryset's order as (expression, descending), ending with the id so it is total."""
    query = queryset.query
    ordering = list(query.order_by) or (
        list(query.get_meta().ordering) if query.default_ordering else []
    )
    terms: list[tuple[Any, bool]] = []
    for term in ordering:
        if isinstance(term, str):
            terms += _columns(queryset.model, term.removeprefix("-"), term.startswith("-"))
        elif isinstance(term, OrderBy):
            terms.append((term.expression, term.descending))
        elif isinstance(term, Expression):
            terms.append((term, False))
        else:  # pragma: no cover - an ordering Django itself would refuse
            raise TypeError(f"Can't page by {term!r}")
    if not any(isinstance(e, F) and e.name == "pk" for e, _ in terms):
        terms.append((F("pk"), False))
    return terms


def _fingerprint(terms: list[tuple[Any, bool]]) -> str:
    # A cursor carries which order it was made for, so one from another sort is refused.
    text = ";".join(f"{expression}{'-' if d else '+'}" for expression, d in terms)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _encoded(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return ["f", repr(value)]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, dt.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    if isinstance(value, dt.time):
        return ["c", value.isoformat()]
    raise TypeError(f"Can't keep {type(value).__name__} in a cursor")


_DECODERS: dict[str, Callable[[str], Any]] = {
    "f": float,
    "n": Decimal,
    "t": dt.datetime.fromisoformat,
    "d": dt.date.fromisoformat,
    "c": dt.time.fromisoformat,
}


def _decoded(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, list) and len(value) == 2 and value[0] in _DECODERS:
        return _DECODERS[value[0]](str(value[1]))
    raise ValueError("not a sort value")


def cursor_after(values: list[Any], fingerprint: str) -> str:
    """An opaque cursor naming the last row sent: its sort values and which order it is of."""
    text = json.dumps({"o": fingerprint, "k": [_encoded(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_values(cursor: str, fingerprint: str, size: int) -> list[Any]:
    """The sort values a cursor of this order carries; any other text is refused (422)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict) or data.get("o") != fingerprint:
            raise ValueError("another order")
        values = data.get("k")
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("not this order's values")
        return [_decoded(v) for v in values]
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError) as error:
        raise ValidationError({"cursor": BAD_CURSOR}) from error


def _checked(values: list[Any], fields: list[Any]) -> list[Any]:
    """Each value of a cursor as its column takes it: a cursor made by hand with a word where a
    date belongs is refused (422), never sent to the database to fail there."""
    checked = []
    for value, field in zip(values, fields, strict=True):
        if value is None:
            checked.append(None)
            continue
        try:
            value = field.to_python(value)
        except (ValidationError, TypeError, ValueError) as error:
            raise ValidationError({"cursor": BAD_CURSOR}) from error
        if (
            (isinstance(value, dt.datetime) and value.tzinfo is None)
            or (isinstance(value, int) and not -LARGEST_ID <= value <= LARGEST_ID)
            or (isinstance(value, str) and "\x00" in value)
            or (isinstance(value, Decimal) and not value.is_finite())
            or (isinstance(value, float) and not math.isfinite(value))
        ):  # no column holds these; SQLite or PostgreSQL would refuse them with an error
            raise ValidationError({"cursor": BAD_CURSOR})
        checked.append(value)
    return checked


def _after(keys: list[str], descending: list[bool], values: list[Any]) -> Q:
    """The rows after the one with ``values``, empty values last both ways."""
    after = Q(pk__in=[])
    same = Q()
    for key, desc, value in zip(keys, descending, values, strict=True):
        if value is not None:
            beyond = Q(**{f"{key}__lt" if desc else f"{key}__gt": value})
            after |= same & (beyond | Q(**{f"{key}__isnull": True}))
            same &= Q(**{key: value})
        else:
            same &= Q(**{f"{key}__isnull": True})
    return after


def keyset_page(
    queryset: QuerySet[Any],
    *,
    cursor: str | None,
    limit: int,
    answer: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """One page of ``queryset`` in its own order (the id breaks ties), after ``cursor``.

    Rows with no value in a sort column come last, ascending or descending. A cursor this order
    did not give is refused beside ``cursor`` (422). One row more than asked is read to learn
    whether another page follows: nothing counts every row."""
    terms = _terms(queryset)
    keys = [f"_page_key_{i}" for i in range(len(terms))]
    descending = [d for _, d in terms]
    fingerprint = _fingerprint(terms)
    rows = queryset.annotate(**{k: e for k, (e, _) in zip(keys, terms, strict=True)}).order_by(
        *(
            F(k).desc(nulls_last=True) if d else F(k).asc(nulls_last=True)
            for k, d in zip(keys, descending, strict=True)
        )
    )
    if cursor:
        values = cursor_values(cursor, fingerprint, len(keys))
        fields = [rows.query.annotations[k].output_field for k in keys]
        rows = rows.filter(_after(keys, descending, _checked(values, fields)))
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    next_cursor = (
        cursor_after([getattr(page[-1], k) for k in keys], fingerprint) if more and page else None
    )
    return {"results": [answer(r) for r in page] if answer else page, "next_cursor": next_cursor}
