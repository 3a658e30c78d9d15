"""What text Darkroom can take from people and programs, in one place.

Stored text must be Unicode without NUL: a lone surrogate (``"\\ud800"``, which JSON can escape)
is not a character and can't even be encoded, and PostgreSQL can't store NUL. A search or a
filter has no use for any control character either; on PostgreSQL a NUL in one used to fail the
query itself. The API refuses such text (``api/bodies.py``); pages clean their searches
(``studio/middleware.py``); forms refuse NUL beside the field (Django's own validator).
"""

from __future__ import annotations

import re

NOT_UNICODE = "Text must be valid Unicode: this holds a lone surrogate, which is not a character."
HAS_NUL = "Text must not contain NUL characters."
HAS_CONTROL = "A search or filter must not contain control characters."

_SURROGATE = re.compile("[\ud800-\udfff]")
# Every C0 control character and DEL: a search box gives none of them (tab and line breaks
# included), a barcode scanner's Enter or tab ends the scan.
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def text_problem(text: str, *, search: bool = False) -> str | None:
    """Why ``text`` can't be taken (None: it can); ``search``: as a search or filter."""
    if _SURROGATE.search(text):
        return NOT_UNICODE
    if "\x00" in text:
        return HAS_NUL
    if search and _CONTROL.search(text):
        return HAS_CONTROL
    return None


def search_text(text: str) -> str:
    """``text`` as a search can use it: each control character (or lone surrogate) a space."""
    return _CONTROL.sub(" ", _SURROGATE.sub(" ", text))
