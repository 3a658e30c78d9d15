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


# The codes of a ValidationError that says "another record already has this value": Django's own
# for unique fields and constraints, and ours for numbers and names checked by hand.
DUPLICATE_CODES = frozenset({"unique", "unique_together", "duplicate", "duplicate_identifier"})


def duplicate_value(message: str) -> Exception:
    """The error a service raises for a value another record already holds (a field's message)."""
    from django.core.exceptions import ValidationError

    return ValidationError(message, code="duplicate")


def is_duplicate(exc: Exception) -> bool:
    """Whether every message of a ValidationError is about a value already taken: the request
    was well formed but conflicts with the studio's records (the API answers 409, not 422)."""
    errors = getattr(exc, "error_list", None)
    if hasattr(exc, "error_dict"):
        errors = [e for field_errors in exc.error_dict.values() for e in field_errors]
    return bool(errors) and all(getattr(e, "code", None) in DUPLICATE_CODES for e in errors)


BUSY_MESSAGE = (
    "Someone else was changing the same records at that moment, so nothing was saved. Try again."
)
# PostgreSQL's codes for a lock it could not take: deadlock detected, a serialization failure,
# a lock not available within lock_timeout.
BUSY_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def database_busy(exc: BaseException) -> bool:
    """Whether a database error is two writers meeting (a deadlock, a lock not free in time)
    rather than a fault: the transaction was rolled back, and the same request can simply be
    made again. Other database errors are faults, and stay 500s."""
    from django.db import OperationalError

    if not isinstance(exc, OperationalError):
        return False
    state = getattr(exc.__cause__, "sqlstate", None)
    return state in BUSY_SQLSTATES or "database is locked" in str(exc)
