"""Two people making an invoice's link at the same moment (or a message sending while the front
desk makes one): both finish, one after the other on the invoice's lock, and one link works.

Each caller runs in its own thread and transaction (see tests/tracking/test_tracking_concurrency.py
for why SQLite's race runs on a file copy of the test database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from darkroom.clients.models import Invoice, StatusLink
from darkroom.clients.status_links import status_link_ensure, status_link_issue
from tests import factories as f
from tests.at_once import at_once
from tests.conftest import sqlite_in_a_file

ROUNDS = 4


@pytest.fixture
def database_in_a_file(transactional_db, tmp_path: Path) -> Iterator[None]:
    with sqlite_in_a_file(tmp_path / "race.sqlite3"):
        yield


@pytest.mark.django_db(transaction=True)
def test_two_links_made_at_once_leave_one_working(database_in_a_file):
    person = f.UserFactory()
    for _ in range(ROUNDS):
        invoice = f.InvoiceFactory()
        pk = invoice.pk
        outcomes = at_once(
            lambda pk=pk: status_link_issue(invoice=Invoice.objects.get(pk=pk), by=person),
            lambda pk=pk: status_link_ensure(invoice=Invoice.objects.get(pk=pk)),
        )
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        links = StatusLink.objects.filter(invoice=invoice)
        assert links.filter(revoked_at__isnull=True).count() == 1
        assert sorted(links.values_list("generation", flat=True)) in ([1], [1, 2])
