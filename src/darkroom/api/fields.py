"""Field types the API's schemas share, so each rule about input lives in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from ninja import Field
from pydantic import AfterValidator

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
LARGEST_ID = 2**63 - 1  # a bigger number can't be an id, and SQLite can't even bind it


def _refuse_nul(value: str) -> str:
    # PostgreSQL can't store NUL in text; refusing it here keeps that a 422, not a 500.
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_refuse_nul)]
Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]  # an id in a body or a query
Weekday = Annotated[int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]


def choice_of(values: Iterable[str]) -> Any:
    """A parameter that takes one of these words: an enum in the OpenAPI schema, so callers
    (and generated clients) know the choices, and anything else is refused before it is used."""
    return Literal[tuple(values)]


def sort_choice(columns: Iterable[str]) -> Any:
    """``sort`` of a list: one of its columns, or the column with a leading '-' (descending)."""
    return choice_of(c for column in columns for c in (column, f"-{column}")) | None
