"""Page cursors: where a keyset page ends, as short opaque text for an address or an answer.

The hub and the all-orders list page by keyset: the next page starts after the last row of this
one. Both write that row as one envelope, ``{"s": sort, "v": values, "id": id, "k": kind}`` in
JSON, base64url without padding, and read it back strictly here: a cursor typed by hand, cut
short, or given by another sort is refused with why, never half-read. What the values mean is
each reader's own (their types differ by sort); this module knows only the envelope.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

MOST_CHARACTERS = 1000


def cursor_text(sort: str, values: Sequence[Any], pk: int, kind: str) -> str:
    """The cursor of a row: its sort, its sort values (dates as ISO text), id and kind."""
    shown = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    text = json.dumps({"s": sort, "v": shown, "id": pk, "k": kind})
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def cursor_envelope(
    cursor: Any, sort: str, refuse: Callable[[str], Exception]
) -> dict[str, Any] | None:
    """The envelope a cursor holds (None for no cursor), checked: text of at most
    ``MOST_CHARACTERS`` ASCII characters, decoding to the four keys, of ``sort``. A cursor that
    is not raises ``refuse(why)``."""
    if cursor is None or cursor == "":
        return None
    if not isinstance(cursor, str) or len(cursor) > MOST_CHARACTERS or not cursor.isascii():
        raise refuse("it is malformed")
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise refuse("it is malformed") from None
    if not isinstance(data, dict) or set(data) != {"s", "v", "id", "k"}:
        raise refuse("it is malformed")
    if data["s"] != sort:
        raise refuse("it belongs to another sort")
    return data
