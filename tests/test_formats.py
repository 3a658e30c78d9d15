"""The studio's one way of writing dates and money (``darkroom/formats.py``), against fixed
dates and amounts in several locales and currencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from darkroom.formats import (
    LOCALES,
    StudioFormats,
    currency_choices,
    excel_date_format,
    excel_money_format,
    format_date,
    format_datetime,
    format_money,
    is_currency,
    is_locale,
    locale_choices,
    studio_formats_active,
)
from darkroom.studio.models import StudioPreferences

DAY = dt.date(2026, 12, 5)
US = StudioFormats("en-US", "USD")
UK = StudioFormats("en-GB", "GBP")
DE = StudioFormats("de-DE", "EUR")
FR = StudioFormats("fr-FR", "EUR")
JP = StudioFormats("ja-JP", "JPY")
NBSP = "\xa0"
NNBSP = "\u202f"


@pytest.mark.parametrize(
    "formats,medium,full",
    [
        (US, "Dec 5, 2026", "Saturday, December 5, 2026"),
        (UK, "5 Dec 2026", "Saturday, 5 December 2026"),
        (DE, "05.12.2026", "Samstag, 5. Dezember 2026"),
        (FR, "5 déc. 2026", "samedi 5 décembre 2026"),
        (JP, "2026/12/05", "2026年12月5日土曜日"),
    ],
    ids=lambda v: v.locale if isinstance(v, StudioFormats) else None,
)
def test_a_date_in_each_locale(formats, medium, full):
    assert format_date(DAY, formats=formats) == medium
    assert format_date(DAY, style="full", formats=formats) == full


def test_no_date_is_empty_text():
    assert format_date(None, formats=US) == ""
    assert format_datetime(None, formats=US) == ""


def test_a_moment_is_written_in_the_studio_time_zone():
    moment = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    with timezone.override("Europe/Berlin"):  # already Sunday there
        assert format_datetime(moment, formats=UK) == "6 Dec 2026, 00:30"
        assert format_date(moment, formats=UK) == "6 Dec 2026"
    with timezone.override("America/New_York"):
        assert format_datetime(moment, formats=US) == "Dec 5, 2026, 6:30\u202fPM"


@pytest.mark.parametrize(
    "formats,amount,written",
    [
        (US, Decimal("1234.5"), "$1,234.50"),
        (US, Decimal("-1234.5"), "-$1,234.50"),
        (US, Decimal("0"), "$0.00"),
        (US, Decimal("-0.00"), "$0.00"),  # never "-$0.00"
        (US, 7, "$7.00"),
        (UK, Decimal("99.99"), "£99.99"),
        (DE, Decimal("1234.5"), f"1.234,50{NBSP}€"),
        (DE, Decimal("-1234.5"), f"-1.234,50{NBSP}€"),
        (FR, Decimal("1234.5"), f"1{NNBSP}234,50{NBSP}€"),
        (JP, Decimal("1234"), "￥1,234"),  # no decimals in yen
        (StudioFormats("en-US", "EUR"), Decimal("12.3"), "€12.30"),
    ],
    ids=str,
)
def test_money_in_each_locale_and_currency(formats, amount, written):
    assert format_money(amount, formats=formats) == written


def test_no_amount_is_empty_text_and_odd_amounts_do_not_fail():
    assert format_money(None, formats=US) == ""
    assert format_money(Decimal("1e40"), formats=US)  # too many digits to round: still text
    assert format_money(Decimal("NaN"), formats=US) == "NaN"


def test_the_active_preferences_are_used_without_asking_the_database():
    # No database in this test: a query would fail it.
    prefs = StudioPreferences(locale="de-DE", currency="EUR")
    with studio_formats_active(prefs):
        assert format_money(Decimal("5")) == f"5,00{NBSP}€"
        assert format_date(DAY) == "05.12.2026"


@pytest.mark.django_db
def test_without_a_request_the_stored_preferences_are_read():
    from darkroom.studio.services import studio_preferences_update

    studio_preferences_update(locale="en-GB", currency="gbp")
    assert format_money(Decimal("5")) == "£5.00"
    assert format_date(DAY) == "5 Dec 2026"


def test_the_template_filters():
    template = Template(
        "{{ day|studio_date }}|{{ none|studio_date|default:'—' }}|{{ total|money }}|"
        "{{ none|money|default:'—' }}|{{ moment|studio_datetime }}|{{ text|money }}"
    )
    moment = dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.UTC)
    values = {"day": DAY, "none": None, "total": Decimal("-3"), "moment": moment, "text": "x"}
    prefs = StudioPreferences(locale="en-GB", currency="EUR")
    with studio_formats_active(prefs), timezone.override("UTC"):
        shown = template.render(Context(values))
    assert shown == "5 Dec 2026|—|-€3.00|—|5 Dec 2026, 14:00|"


@pytest.mark.parametrize(
    "formats,date_format,money_format",
    [
        (US, 'mmm" "d", "yyyy', '"$"#,##0.00'),
        (DE, 'dd"."mm"."yyyy', '#,##0.00"\xa0€"'),
        (JP, 'yyyy"/"mm"/"dd', '"￥"#,##0'),
        (StudioFormats("pt-BR", "BRL"), 'd" de "mmm" de "yyyy', '"R$\xa0"#,##0.00'),
    ],
    ids=lambda v: v.locale if isinstance(v, StudioFormats) else None,
)
def test_excel_number_formats(formats, date_format, money_format):
    assert excel_date_format(formats) == date_format
    assert excel_money_format(formats) == money_format


def test_choices_and_checks():
    assert all(is_locale(code) for code, _ in locale_choices())
    assert len(locale_choices()) == len(LOCALES)
    assert ("en-GB", "English (United Kingdom) — 5 Dec 2026") in locale_choices()
    assert ("EUR", "EUR — Euro") in currency_choices()
    assert is_currency("JPY") and is_currency("CHF")
    assert not is_currency("eur") and not is_currency("XYZ") and not is_currency("DEM")
    assert not is_locale("en_US") and not is_locale("klingon")
