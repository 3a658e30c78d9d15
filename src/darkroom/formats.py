"""How the studio writes a date and a sum of money: one way, on every page, document, export
and message.

The studio chooses a locale (language and region, "en-US", "de-DE") and a currency (ISO 4217,
"USD", "EUR") in its preferences; Babel (the Unicode CLDR's data) knows how that locale writes
a date ("Dec 5, 2026", "05.12.2026") and an amount ("$1,234.50", "1.234,50 €"). Pages and
tables show the locale's medium date; messages and letters, which are prose, write it out
("Saturday, December 5, 2026").

The preferences are read once per request: the studio middleware activates them here for the
request's length. Outside a request (a command, the worker) they are read when asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from babel import Locale
from babel.core import UnknownLocaleError, get_global
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_currency_symbol,
)
from django.utils import timezone
from django.utils.module_loading import import_string

DEFAULT_LOCALE = "en-US"
DEFAULT_CURRENCY = "USD"

# The locales a studio chooses from: a list people can read, each one Babel knows fully.
LOCALES = (
    "en-US",
    "en-GB",
    "en-CA",
    "en-AU",
    "en-NZ",
    "en-IE",
    "en-ZA",
    "fr-FR",
    "fr-CA",
    "fr-BE",
    "fr-CH",
    "de-DE",
    "de-AT",
    "de-CH",
    "nl-NL",
    "nl-BE",
    "es-ES",
    "es-MX",
    "it-IT",
    "pt-PT",
    "pt-BR",
    "sv-SE",
    "da-DK",
    "nb-NO",
    "fi-FI",
    "pl-PL",
    "ja-JP",
)

DateStyle = Literal["medium", "long", "full"]


@dataclass(frozen=True)
class StudioFormats:
    """The studio's locale (BCP 47, "en-US") and currency (ISO 4217, "USD")."""

    locale: str = DEFAULT_LOCALE
    currency: str = DEFAULT_CURRENCY


_active: ContextVar[StudioFormats | None] = ContextVar("studio_formats", default=None)


def formats_of(prefs: Any) -> StudioFormats:
    """The formats of a preferences row (its ``locale`` and ``currency``)."""
    return StudioFormats(
        locale=getattr(prefs, "locale", "") or DEFAULT_LOCALE,
        currency=getattr(prefs, "currency", "") or DEFAULT_CURRENCY,
    )


@contextmanager
def studio_formats_active(prefs: Any) -> Iterator[StudioFormats]:
    """Within the block, every format without its own ``formats`` uses ``prefs``' ones."""
    formats = formats_of(prefs)
    token = _active.set(formats)
    try:
        yield formats
    finally:
        _active.reset(token)


# The studio's stored preferences, read when no request has set the formats (the worker, a
# command): the studio's records sit above this module (their model checks its choices), so
# they are named here by dotted path rather than imported.
STORED_PREFERENCES = "darkroom.studio.selectors.studio_preferences"


@functools.cache
def _stored_preferences() -> Callable[[], Any]:
    return import_string(STORED_PREFERENCES)


def current_formats() -> StudioFormats:
    """The formats active for this request, or else the stored preferences' (one query)."""
    formats = _active.get()
    if formats is not None:
        return formats
    return formats_of(_stored_preferences()())


# -- choices and checks --------------------------------------------------------------------------


def _babel_locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


def is_locale(code: str) -> bool:
    """Whether ``code`` is one of the locales a studio may choose."""
    return code in LOCALES


def is_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency code Babel knows (upper-case, three letters)."""
    return code in _currencies()


@functools.cache
def _currencies() -> frozenset[str]:
    """The currencies some country uses today (not the peseta or the franc)."""
    in_use = get_global("territory_currencies")
    return frozenset(
        code
        for spans in in_use.values()
        for code, _start, end, tender in spans
        if end is None and tender and re.fullmatch("[A-Z]{3}", code)
    )


@functools.cache
def locale_choices() -> list[tuple[str, str]]:
    """Each locale with its name in English and an example date: "English (United States) —
    Dec 5, 2026"."""
    example = dt.date(2026, 12, 5)
    choices = []
    for code in LOCALES:
        shown = format_date(example, formats=StudioFormats(code))
        choices.append((code, f"{_babel_locale(code).get_display_name('en')} — {shown}"))
    return choices


@functools.cache
def currency_choices() -> list[tuple[str, str]]:
    """Every current ISO 4217 currency: "EUR — Euro"."""
    return [
        (code, f"{code} — {get_currency_name(code, locale='en')}") for code in sorted(_currencies())
    ]


# -- dates ---------------------------------------------------------------------------------------


def format_date(
    value: dt.date | dt.datetime | None,
    *,
    style: DateStyle = "medium",
    formats: StudioFormats | None = None,
) -> str:
    """``value`` as the studio writes a date ("Dec 5, 2026"); "" for None. A date and time is
    taken in the studio's time zone first. ``style`` "full" is for prose (messages, letters)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return _date((formats or current_formats()).locale, value, style)


def format_datetime(value: dt.datetime | None, *, formats: StudioFormats | None = None) -> str:
    """A moment as the studio writes it: its date, then the time of day ("Dec 5, 2026, 2:30 PM");
    "" for None. Shown in the studio's time zone."""
    if value is None:
        return ""
    local = _local(value)
    locale = (formats or current_formats()).locale
    pattern = _babel_locale(locale).datetime_formats["medium"]
    time = babel_time(local.time(), format="short", locale=_babel_locale(locale))
    return str(pattern).replace("{1}", _date(locale, local.date(), "medium")).replace("{0}", time)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@functools.lru_cache(maxsize=4096)
def _date(locale: str, value: dt.date, style: DateStyle) -> str:
    # A page shows the same few days again and again; Babel takes tens of microseconds each.
    return babel_date(value, format=style, locale=_babel_locale(locale))


# -- money ---------------------------------------------------------------------------------------


def format_money(
    value: Decimal | int | float | None,
    *,
    currency: str | None = None,
    formats: StudioFormats | None = None,
) -> str:
    """``value`` in the studio's currency, written the studio's locale's way ("$1,234.50",
    "1.234,50 €", "-$12.00"); "" for None."""
    if value is None:
        return ""
    formats = formats or current_formats()
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return _money(formats.locale, currency or formats.currency, amount)


@functools.lru_cache(maxsize=4096)
def _money(locale: str, currency: str, amount: Decimal) -> str:
    if not amount.is_finite():
        return str(amount)
    if amount == 0:
        amount = abs(amount)  # never "-$0.00"
    try:
        return format_currency(amount, currency, locale=_babel_locale(locale))
    except InvalidOperation:  # more digits than rounding can hold: shown as typed
        return f"{amount} {currency}"


# -- spreadsheets --------------------------------------------------------------------------------

# CLDR date pattern letters and the Excel codes that say the same.
_EXCEL_DATE_CODES = {
    "y": "yyyy",
    "yy": "yy",
    "yyy": "yyyy",
    "yyyy": "yyyy",
    "M": "m",
    "MM": "mm",
    "MMM": "mmm",
    "MMMM": "mmmm",
    "L": "m",
    "LL": "mm",
    "LLL": "mmm",
    "LLLL": "mmmm",
    "d": "d",
    "dd": "dd",
    "E": "ddd",
    "EE": "ddd",
    "EEE": "ddd",
    "EEEE": "dddd",
}


def excel_date_format(formats: StudioFormats | None = None) -> str:
    """The Excel number format that shows a date cell as the studio's medium date (month names
    in the language of whoever opens the file)."""
    return _excel_date((formats or current_formats()).locale)


@functools.cache
def _excel_date(locale: str) -> str:
    pattern = _babel_locale(locale).date_formats["medium"].pattern
    out, literal = [], ""
    for match in re.finditer(r"'((?:[^']|'')*)'|([A-Za-z])\2*|([^A-Za-z']+)", pattern):
        quoted, other = match.group(1), match.group(3)
        if quoted is not None or other is not None:
            literal += quoted.replace("''", "'") if quoted is not None else other
            continue
        out.append(_excel_literal(literal) + _EXCEL_DATE_CODES.get(match.group(0), ""))
        literal = ""
    return "".join(out) + _excel_literal(literal) or "yyyy-mm-dd"


def _excel_literal(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


def excel_money_format(formats: StudioFormats | None = None) -> str:
    """The Excel number format that shows a number cell as an amount of the studio's currency:
    its symbol where the locale puts it, its number of decimals."""
    formats = formats or current_formats()
    return _excel_money(formats.locale, formats.currency)


@functools.cache
def _excel_money(locale: str, currency: str) -> str:
    where = _babel_locale(locale)
    digits = get_currency_precision(currency)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    # The locale's pattern ("¤#,##0.00", "#,##0.00\xa0¤"): the text before and after the number.
    pattern = where.currency_formats["standard"].pattern.split(";")[0]
    found = re.search(r"[#0,.]+", pattern)
    before, after = (pattern[: found.start()], pattern[found.end() :]) if found else ("¤", "")
    symbol = get_currency_symbol(currency, locale=where)
    return (
        _excel_literal(before.replace("¤", symbol))
        + number
        + _excel_literal(after.replace("¤", symbol))
    )


try:  # a mistyped locale in LOCALES would show on the first page; fail at import instead
    for _code in LOCALES:
        _babel_locale(_code)
except UnknownLocaleError as exc:  # pragma: no cover
    raise RuntimeError(f"A studio locale Babel does not know: {exc}") from exc
