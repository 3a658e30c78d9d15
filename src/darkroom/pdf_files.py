"""A printed document (a work or purchase order, a letter, a report) as the browser receives it:
a PDF shown inline under a file name worth keeping when it is saved. One place for the headers,
so every printed thing opens in the browser's viewer the same way (Excel files have theirs in
``spreadsheets.py``)."""

from __future__ import annotations

from django.http import HttpResponse


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """``pdf`` shown inline, saved as ``<filename>.pdf``."""
    answer = HttpResponse(pdf, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return answer
