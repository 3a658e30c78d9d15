"""What a process reads once and keeps while the studio's lists stay as they were.

Why: the choices of the hub's filter bar, the statuses' names, a person's role and permissions
and the studio's preferences were read again for every page, a dozen queries though they change
a few times a year. They are kept per process, with the lists stamp they were read at
(``studio.models.ListsStamp``, moved by the database on every change to those lists), and read
again when a page finds the stamp has moved: one small query instead, and every worker process
sees a change on its next page.

The stamp is read before what is kept, so what is kept is never older than its stamp. Before
the stamp's row exists (an empty database: nothing has changed yet, or the tables were just
emptied) nothing is kept.

A request reads the stamp once (``ListsStampMiddleware``): the preferences, the role, the hub's
choices and statuses each asked it again, four queries for one answer. What the request read is
forgotten as soon as it writes anything (the write may move the stamp, and the request must see
its own change) and is not kept from inside a transaction the request opened (one rolled back
would leave a stamp that never was); it ends with the request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import connection
from django.http import HttpRequest, HttpResponse

from darkroom.studio.models import ListsStamp

T = TypeVar("T")
KEPT = 1024  # entries per process: a few lists, and a role and permissions per person


_UNREAD: Any = object()
# [the stamp this request read (``_UNREAD`` until it does), how many transactions were open when
# the request began]; outside a request, no memo at all.
_REQUEST_STAMP: ContextVar[list[Any] | None] = ContextVar("darkroom_lists_stamp", default=None)


def lists_stamp() -> int | None:
    """The lists stamp now (None before the first change): one query, once per request."""
    memo = _REQUEST_STAMP.get()
    if memo is not None and memo[0] is not _UNREAD:
        return memo[0]  # type: ignore[no-any-return]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT stamp FROM {ListsStamp._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    stamp = None if row is None else int(row[0])
    if memo is not None and len(connection.atomic_blocks) == memo[1]:
        memo[0] = stamp
    return stamp


def _forget_on_write(memo: list[Any]) -> Callable[..., Any]:
    """An execute wrapper: any statement but a read forgets the request's stamp."""

    def wrapper(execute: Callable[..., Any], sql: str, *rest: Any) -> Any:
        if sql.lstrip()[:6].upper() != "SELECT":
            memo[0] = _UNREAD
        return execute(sql, *rest)

    return wrapper


class ListsStampMiddleware:
    """Read the lists stamp at most once per request (until the request writes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memo: list[Any] = [_UNREAD, len(connection.atomic_blocks)]
        token = _REQUEST_STAMP.set(memo)
        try:
            with connection.execute_wrapper(_forget_on_write(memo)):
                return self.get_response(request)
        finally:
            _REQUEST_STAMP.reset(token)


class _Kept:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[Any, ...], tuple[int, Any]] = OrderedDict()

    def get(self, key: tuple[Any, ...], stamp: int) -> tuple[bool, Any]:
        with self.lock:
            found = self.entries.get(key)
            if found is None or found[0] != stamp:
                return False, None
            self.entries.move_to_end(key)
            return True, found[1]

    def put(self, key: tuple[Any, ...], stamp: int, value: Any) -> None:
        with self.lock:
            self.entries[key] = (stamp, value)
            self.entries.move_to_end(key)
            while len(self.entries) > KEPT:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


KEPT_LISTS = _Kept()


def kept_while_lists_unchanged(key: Hashable, read: Callable[[], T]) -> T:
    """What ``read()`` gives, read now or kept from an earlier call at the same lists stamp.

    ``key`` names what is read (with its arguments); what ``read`` returns is shared by every
    thread of the process and must not be changed by its callers.
    """
    stamp = lists_stamp()
    if stamp is None:
        return read()
    where = (connection.vendor, str(connection.settings_dict["NAME"]), key)
    found, value = KEPT_LISTS.get(where, stamp)
    if not found:
        value = read()
        KEPT_LISTS.put(where, stamp, value)
    return value  # type: ignore[no-any-return]
