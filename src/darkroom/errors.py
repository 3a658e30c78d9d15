"""Errors of the studio's rules, shared by services, pages and the API.

A service raises one of these (or Django's ValidationError for a field's value); pages show the
message beside the form, the API answers ``{"detail": message, "code": code}`` with ``status``.
"""

from __future__ import annotations


class DarkroomError(Exception):
    """A request the studio's rules refuse; nothing was written."""

    code = "refused"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class RecordInUse(DarkroomError):
    """Deleting a record other records refer to would lose history: make it inactive instead."""

    code = "in_use"
    status = 409


class Conflict(DarkroomError):
    """Someone else changed the record since it was read; reload and try again."""

    code = "conflict"
    status = 409
