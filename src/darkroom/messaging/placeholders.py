"""The words a template may use, and the one renderer that fills them in.

Templates are written by managers and read by clients, so they are not a template language:
a placeholder is a name in braces, ``{client_first_name}``, from the fixed list
:data:`PLACEHOLDERS`, filled from a flat dictionary of text that :func:`values_for` builds.
There is no attribute access, no index, no format spec, no expression and no escape: any other
use of a brace is refused on save, by name, so nothing a manager types can reach an object or
run code (pretix's ``SafeFormatter`` is the model; a sandboxed Jinja was rejected, see
docs/messages.md).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from darkroom.clients.status_links import status_link_words
from darkroom.formats import StudioFormats, format_date, formats_of
from darkroom.messaging.records import record_parts
from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences

# name → what it says, shown beside the editor.
PLACEHOLDERS: dict[str, str] = {
    "client_first_name": "The client's first name",
    "client_last_name": "The client's last name",
    "client_name": "The client's full name",
    "studio_name": "The studio's name",
    "studio_phone": "The studio's phone number",
    "studio_email": "The studio's email address",
    "order_number": "The order's number",
    "vendor": "The order's vendor",
    "order_type": "The order's type (e.g. Album Order)",
    "invoice_number": "The invoice's number",
    "session_date": "The session's date",
    "session_type": "The session's type",
    "status": "The record's current status",
    "due_date": "The due date of the current status",
    "promised_date": "The date promised to the client",
    "projected_completion": "When the record should be finished",
    "status_page_link": "The private link to the client's status page of the invoice",
    "assigned_person": "The person the record is assigned to",
    "today": "Today's date",
}

STATUS_LINK = "{status_page_link}"

_BRACES = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z_]+")


def check_text(text: str) -> list[str]:
    """What is wrong with ``text`` as a template: unknown placeholders by name, attribute or
    index access, format specs, and braces that open no placeholder. Empty when it is fine."""
    problems: list[str] = []
    for match in _BRACES.finditer(text):
        inner = match.group(1)
        name = inner.strip()
        if name in PLACEHOLDERS and inner == name:
            continue
        if _NAME.fullmatch(name):
            problems.append(f"“{{{inner}}}” is not a placeholder.")
        elif any(mark in inner for mark in ".[]()_:!") and _NAME.match(name or "-"):
            problems.append(
                f"“{{{inner}}}”: a placeholder is a name only — no attributes, indexes, "
                "calls or formats."
            )
        else:
            problems.append(f"“{{{inner}}}” is not a placeholder.")
    stripped = _BRACES.sub("", text)
    if "{" in stripped or "}" in stripped:
        problems.append(
            "Braces are only for placeholders such as {client_first_name}; remove the "
            "other “{” and “}”."
        )
    return list(dict.fromkeys(problems))


def render(text: str, values: dict[str, str]) -> str:
    """``text`` with each placeholder replaced by its value (checked text only)."""
    return _BRACES.sub(lambda match: values.get(match.group(1), ""), text)


# -- SMS length ------------------------------------------------------------------------------

_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€")


@dataclass(frozen=True)
class SmsLength:
    """How an SMS text travels: its length in the encoding's units and how many parts."""

    length: int
    parts: int
    encoding: str  # "GSM-7" or "UCS-2"
    per_part: int


def sms_length(text: str) -> SmsLength:
    """GSM-7 texts take 160 characters in one part, 153 a part when split (the extended
    characters count twice); anything else goes as UCS-2: 70, then 67 a part."""
    if all(char in _GSM7 or char in _GSM7_EXTENDED for char in text):
        length = sum(2 if char in _GSM7_EXTENDED else 1 for char in text)
        single, split, encoding = 160, 153, "GSM-7"
    else:
        length = sum(2 if ord(char) > 0xFFFF else 1 for char in text)
        single, split, encoding = 70, 67, "UCS-2"
    if length <= single:
        return SmsLength(length, 1 if length else 0, encoding, single)
    return SmsLength(length, -(-length // split), encoding, split)


# -- the values --------------------------------------------------------------------------------


def day_words(day: dt.date | None, formats: StudioFormats | None = None) -> str:
    """ "Friday, December 11, 2026": how a date reads in a message, written out in the studio's
    locale ("vendredi 11 décembre 2026")."""
    return format_date(day, style="full", formats=formats)


def _person(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def values_for(
    record: Any,
    studio: StudioPreferences | None = None,
    *,
    today: dt.date | None = None,
    status_link: bool = True,
) -> dict[str, str]:
    """Every placeholder's text for ``record`` (a session, invoice, order or task); a value the
    record doesn't have is empty. Reads only what the list names. ``today`` is the studio's
    today, when the caller has it already. ``status_link=False`` leaves the status page's link
    empty, for words that don't use it (it costs a query or two per record).

    The link is read, never made: it is the invoice's working link, or the address the next
    link will have (links are derived, ``clients.models.StatusLink``); sending the words makes
    that link (``actions.carry_out``), so a preview shows exactly what will be sent."""
    parts = record_parts(record)
    studio = studio or studio_preferences()
    formats = formats_of(studio)
    client = parts.client
    values = dict.fromkeys(PLACEHOLDERS, "")
    values.update(
        studio_name=studio.name,
        studio_phone=studio.phone,
        studio_email=studio.email,
        today=day_words(today or studio.today(), formats),
        status=str(record.status) if getattr(record, "status_id", None) else "",
        due_date=day_words(getattr(record, "status_due_date", None), formats),
        projected_completion=day_words(getattr(record, "projected_completion", None), formats),
        assigned_person=_person(getattr(record, "status_user", None)),
    )
    if client is not None:
        values.update(
            client_first_name=client.first_name,
            client_last_name=client.last_name,
            client_name=client.name,
        )
    if parts.invoice is not None:
        values["invoice_number"] = parts.invoice.number
        if status_link:
            values["status_page_link"] = status_link_words(parts.invoice)
        values["promised_date"] = day_words(parts.invoice.approximate_delivery_date, formats)
    if parts.session is not None:
        values["session_date"] = day_words(parts.session.date, formats)
        values["session_type"] = str(parts.session.session_type)
    if parts.vendor is not None:
        values["vendor"] = parts.vendor.name
    if parts.order_number:
        values["order_number"] = parts.order_number
    if parts.order_type:
        values["order_type"] = parts.order_type
    promised = getattr(record, "promised_date", None)
    if promised is not None:
        values["promised_date"] = day_words(promised, formats)
    return values
