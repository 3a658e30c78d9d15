"""Public holidays imported as closures, from the ``holidays`` package: a country's (or a
region's) holidays for some years, the countries it knows and their names.

Apart because it speaks the package's language (its country codes, aliases, subdivisions and
holiday names in English) and refuses what it does not know with the codes to use instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from darkroom.catalog.models import Vendor
from darkroom.studio.calendar_version import calendar_changed
from darkroom.studio.models import Closure, ClosureSource

HOLIDAY_YEARS = (1900, 2100)


MAX_IMPORT_YEARS = 10


@transaction.atomic
def holidays_import(
    *,
    country: str,
    subdivision: str | None = None,
    years: Iterable[int],
    vendor: Vendor | None = None,
) -> int:
    """Add a country's (or a region's) public holidays for the given years as closures.

    Returns how many closures were added. Importing again adds nothing new: a holiday is skipped
    when the same owner (studio or vendor) already has a single-day closure on that date with the
    same name -- so importing "US" and then "US"/"CA" adds only California's own holidays.
    """
    code, region = _holiday_region(country, subdivision)
    wanted = _import_years(years)
    try:
        found = holidays.country_holidays(
            code, subdiv=region or None, years=wanted, language=_english(code)
        )
    except (NotImplementedError, KeyError, ValueError) as exc:  # refused by the package itself
        raise ValidationError(
            {"country": f"Holidays for {code} can't be imported: {exc}"}
        ) from None
    existing = {
        (first, label.casefold())
        for first, label in Closure.objects.filter(vendor=vendor, first_date__in=list(found.keys()))
        .filter(last_date=F("first_date"))
        .values_list("first_date", "label")
    }
    label_length = Closure._meta.get_field("label").max_length or 200
    new = []
    for day, name in sorted(found.items()):
        label = str(name)[:label_length]
        if (day, label.casefold()) in existing:
            continue
        existing.add((day, label.casefold()))
        new.append(
            Closure(
                first_date=day,
                last_date=day,
                label=label,
                source=ClosureSource.HOLIDAYS,
                country=code,
                subdivision=region,
                vendor=vendor,
            )
        )
    Closure.objects.bulk_create(new)
    if new:
        calendar_changed()
    return len(new)


def _holiday_region(country: str, subdivision: str | None) -> tuple[str, str]:
    """The country and subdivision codes as the holidays package spells them, or a clear refusal."""
    supported = holidays.list_supported_countries()
    code = (country or "").strip().upper()
    if code not in supported:
        raise ValidationError(
            {
                "country": f"“{country}” is not a country Darkroom knows holidays for. Use its "
                "two-letter ISO 3166 code, e.g. US, GB, DE, FR or AU: the Import holidays form "
                "lists every country with its code, and so does GET /api/v1/calendar/holiday-"
                "countries."
            }
        )
    code = _two_letter(code)
    region = (subdivision or "").strip()
    if not region:
        return code, ""
    codes = [str(c) for c in supported[code]]
    by_upper = {c.upper(): c for c in codes}
    if region.upper() in by_upper:
        return code, by_upper[region.upper()]
    aliases = getattr(holidays.country_holidays(code), "subdivisions_aliases", {}) or {}
    for alias, alias_code in aliases.items():
        if alias.casefold() == region.casefold():
            return code, str(alias_code)
    name = f"{country_name(code)} ({code})"
    if not codes:
        hint = f"{name} has no subdivisions in the holidays import: leave it empty."
    else:
        hint = f"Use one of: {', '.join(codes)}."
    raise ValidationError({"subdivision": f"“{region}” is not a subdivision of {name}. {hint}"})


def _two_letter(code: str) -> str:
    """The alpha-2 code for an alpha-3 one (USA -> US), so closures say where they came from the
    same way whichever was typed."""
    if len(code) == 2:
        return code
    from holidays.registry import COUNTRIES

    for _class_name, alpha2, *aliases in COUNTRIES.values():
        if code in aliases:
            return alpha2
    return code


def _import_years(years: Iterable[int]) -> list[int]:
    low, high = HOLIDAY_YEARS
    try:
        wanted = sorted({int(year) for year in years})
    except (TypeError, ValueError):
        raise ValidationError({"years": "Years are numbers, e.g. 2026."}) from None
    if not 1 <= len(wanted) <= MAX_IMPORT_YEARS:
        raise ValidationError(
            {"years": f"Import between 1 and {MAX_IMPORT_YEARS} years at a time."}
        )
    if wanted[0] < low or wanted[-1] > high:
        raise ValidationError({"years": f"Years must be between {low} and {high}."})
    return wanted


def _english(code: str) -> str | None:
    """English holiday names where the package has them (the pages are in English)."""
    entity = holidays.country_holidays(code)
    if (entity.default_language or "").startswith("en"):
        return None
    languages = getattr(entity, "supported_languages", ()) or ()
    for language in ("en_US", "en_GB"):
        if language in languages:
            return language
    return None


def country_name(code: str) -> str:
    """A country's English name ("United States" for "US"); the code when there is no name."""
    return _country_names().get(code.upper(), code.upper())


def holiday_countries() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every country the holidays import knows: (code, name, subdivision codes), by name."""
    supported = holidays.list_supported_countries()
    names = _country_names()
    rows = [(code, names[code], tuple(supported.get(code, ()))) for code in names]
    return sorted(rows, key=lambda row: row[1])


@cache
def _country_names() -> dict[str, str]:
    """Two-letter code -> English name, from the holidays package's registry of countries.

    The registry names each country by its class ("UnitedStates", "AntiguaAndBarbuda"); spacing
    those words is enough for a select list, and avoids importing 250 country modules.
    """
    from holidays.registry import COUNTRIES

    supported = holidays.list_supported_countries()
    names = {}
    for class_name, code, *_aliases in COUNTRIES.values():
        if code not in supported:
            continue
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", class_name)
        names[code] = re.sub(r"\b(And|Of|The|Da)\b", lambda m: m.group(0).lower(), spaced)
    return names
