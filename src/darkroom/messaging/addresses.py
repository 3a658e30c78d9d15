"""Where a message can go: email addresses checked, phone numbers in E.164.

One place decides whether a client's email address or mobile number can take a message, for
the planner's recipients, the dry run and the SMS gateway alike. Numbers are read with
``phonenumbers`` in the studio's country unless they carry their own code (+44…), and an SMS
goes only to a number that can be a mobile.
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def email_address(text: str) -> str | None:
    """The address if an email can be sent to it, else None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text


def phone_number(text: str, country: str) -> str | None:
    """The number in E.164 (+15551234567) if it is a valid phone number, else None."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, (country or "US").upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def mobile_number(text: str, country: str) -> str | None:
    """The number in E.164 if it is valid and can be a mobile (an SMS can reach it)."""
    e164 = phone_number(text, country)
    if e164 is None:
        return None
    if phonenumbers.number_type(phonenumbers.parse(e164)) not in _MOBILE_TYPES:
        return None
    return e164


def mobile_problem(text: str, country: str) -> str | None:
    """Why ``text`` can't take an SMS, in words; None when it can."""
    if not (text or "").strip():
        return "No mobile number."
    if phone_number(text, country) is None:
        return f"“{text}” is not a valid phone number (read as a {country.upper()} number)."
    if mobile_number(text, country) is None:
        return f"“{text}” is not a mobile number: an SMS can't reach it."
    return None
