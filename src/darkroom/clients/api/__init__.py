"""API endpoints of clients, sessions, invoices (with their lines) and payments.

They parse, check the caller's permission and call the same selectors and services as the pages.
Lists answer ``{"results", "next_cursor"}`` a page at a time (api/lists.py); ``?format=xlsx``
returns every matching row as an Excel file instead.
"""

from darkroom.clients.api import clients, invoices, sessions  # noqa: F401  (their endpoints)
from darkroom.clients.api.conventions import router

__all__ = ["router"]
