"""The lists stamp read once per request: the same answer without asking again, and a change the
request makes itself seen at once (``studio/kept.py``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test.utils import CaptureQueriesContext

from darkroom.studio.kept import ListsStampMiddleware, lists_stamp
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import cycle_create

pytestmark = pytest.mark.django_db


def _stamp_reads(context: CaptureQueriesContext) -> int:
    return sum("studio_lists_stamp" in q["sql"] for q in context.captured_queries)


def _through_middleware(page: Any) -> None:
    ListsStampMiddleware(lambda request: page() or HttpResponse())(HttpRequest())


def test_a_request_asks_the_stamp_once():
    cycle_create(kind=CycleKind.SESSION, name="Portraits")  # the stamp's row exists
    seen = []

    def page() -> None:
        seen.extend([lists_stamp(), lists_stamp(), lists_stamp()])

    with CaptureQueriesContext(connection) as context:
        _through_middleware(page)
    assert _stamp_reads(context) == 1
    assert seen[0] is not None and seen == [seen[0]] * 3


def test_a_change_the_request_makes_moves_the_stamp_it_reads():
    cycle_create(kind=CycleKind.SESSION, name="Portraits")
    seen = []

    def page() -> None:
        seen.append(lists_stamp())
        cycle_create(kind=CycleKind.INVOICE, name="Albums")
        seen.append(lists_stamp())

    _through_middleware(page)
    assert seen[0] != seen[1]
    assert seen[1] == lists_stamp()


def test_a_change_rolled_back_leaves_the_stamp_as_it_was():
    cycle_create(kind=CycleKind.SESSION, name="Portraits")
    seen = []

    def page() -> None:
        seen.append(lists_stamp())
        try:
            with transaction.atomic():
                cycle_create(kind=CycleKind.INVOICE, name="Albums")
                seen.append(lists_stamp())
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        seen.append(lists_stamp())

    _through_middleware(page)
    assert seen[0] != seen[1]
    assert seen[2] == seen[0]


def test_outside_a_request_every_read_asks():
    cycle_create(kind=CycleKind.SESSION, name="Portraits")
    with CaptureQueriesContext(connection) as context:
        lists_stamp()
        lists_stamp()
    assert _stamp_reads(context) == 2
