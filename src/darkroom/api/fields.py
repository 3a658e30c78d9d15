"""Field types the API's schemas share, so each rule about input lives in one place."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError

from darkroom.database_limits import LARGEST_ID
from darkroom.plain_text import HAS_NUL

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def _refuse_nul(value: str) -> str:
    # PostgreSQL can't store NUL in text; refusing it here keeps that a 422, not a 500. (The
    # body reader, api/bodies.py, refuses it first; this keeps the rule for any other caller.)
    if "\x00" in value:
        raise ValueError(HAS_NUL)
    return value


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: Any) -> Any:
    # pydantic alone takes 0, 86400 or "0" as a count of seconds since 1970: a client sending
    # a number where a date belongs gets refused instead of a date nobody meant.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_text", "Send a date as text, like 2026-11-21.")


_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
CLOCK_SCHEMA = {
    "type": "string",
    "pattern": f"^{_CLOCK.pattern}$",
    "description": "A time of day on the studio's clock, 24-hour: 09:30",
    "examples": ["09:00"],
}


def _clock_time(value: Any) -> dt.time:
    # The studio's opening hours are local wall-clock times: no seconds, no time zone (an
    # OpenAPI "time" would demand an offset), and never a number of seconds.
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value.replace(second=0, microsecond=0)
    if isinstance(value, str) and _CLOCK.fullmatch(value):
        return dt.time(int(value[:2]), int(value[3:]))
    raise PydanticCustomError("clock_time", "Send a time of day as text, like 09:30.")


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def left_out(**constraints: Any) -> Any:
    """The default of a field a change (PATCH) may leave out: the record keeps its value.

    The field's type says what null means: ``Id | None`` takes null as "none"; a bare ``Text``,
    ``bool`` or ``Day`` refuses it beside the field (send "" to empty a text), where the record
    can't be without a value — the database would refuse it later, in its own words.
    OpenAPI shows no default, which would read as null."""
    return Field(None, json_schema_extra=_no_default, **constraints)


Text = Annotated[str, AfterValidator(_refuse_nul)]
Day = Annotated[dt.date, BeforeValidator(_iso_day)]  # a date in a body or a query: ISO text only
Id = Annotated[int, Field(ge=1, le=LARGEST_ID)]  # an id in a body or a query
# A time of day ("09:30") in a body and in an answer.
ClockTime = Annotated[
    dt.time,
    BeforeValidator(_clock_time),
    PlainSerializer(lambda value: f"{value:%H:%M}", return_type=str),
    WithJsonSchema(CLOCK_SCHEMA),
]
Weekday = Annotated[int, Field(ge=0, le=6, description="0 = Monday … 6 = Sunday")]


def choice_of(values: Iterable[str]) -> Any:
    """A parameter that takes one of these words: an enum in the OpenAPI schema, so callers
    (and generated clients) know the choices, and anything else is refused before it is used."""
    return Literal[tuple(values)]


def sort_choice(columns: Iterable[str]) -> Any:
    """``sort`` of a list: one of its columns, or the column with a leading '-' (descending)."""
    return choice_of(c for column in columns for c in (column, f"-{column}")) | None


class MoveIn(Schema):
    """Swap the record with its neighbour above (``up``) or below (``down``)."""

    model_config = ConfigDict(extra="forbid")

    direction: Literal["up", "down"]


# Money: written as a string with two decimals ("25.00"), read from a number or a string -------


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError("must be an amount like 12.50 (a number or a string)")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("must be an amount like 12.50") from None
    if not amount.is_finite():
        raise ValueError("must be an amount like 12.50")
    return amount


MoneyIn = Annotated[
    Decimal,
    BeforeValidator(_amount),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "number"}], "examples": ["25.00"]}),
]
MoneyOut = Annotated[
    Decimal,
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "examples": ["25.00"]}),
]
