"""A write that meets another writer's lock answers 409 "try again", on a page and on the API,
with nothing saved: not a 500. The lock is real: another connection holds it while this one
waits a short while for it (PostgreSQL's lock_timeout, SQLite's busy timeout), as two people
changing the same orders at once can make either database give up on one of them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from darkroom.clients.models import Client
from darkroom.errors import BUSY_MESSAGE
from tests.conftest import sqlite_in_a_file
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def bo(people, tmp_path: Path) -> Iterator[Client]:
    record = ClientFactory(first_name="Bo", last_name="Lind", email="")
    with sqlite_in_a_file(tmp_path / "busy.sqlite3"):
        yield record


@contextmanager
def held_by_another(record: Client) -> Iterator[None]:
    """Another connection holds a write lock on ``record`` (its row on PostgreSQL, the whole
    database on SQLite) until the block ends; this connection waits 200 ms for a lock."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        other = psycopg.connect(**connection.get_connection_params())
        other.execute("SELECT 1 FROM clients_client WHERE id = %s FOR UPDATE", [record.pk])
        wait, waited = "SET lock_timeout = '200ms'", "RESET lock_timeout"
    else:
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        wait, waited = "PRAGMA busy_timeout = 200", "PRAGMA busy_timeout = 5000"
    with connection.cursor() as cursor:
        cursor.execute(wait)
    try:
        yield
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute(waited)


def test_an_api_write_that_meets_a_lock_is_409_and_can_be_sent_again(api, bo):
    caller = api("manager")
    with held_by_another(bo):
        response = caller.patch(f"clients/{bo.pk}", {"email": "bo@example.com"})
    assert response.status_code == 409
    assert response.json() == {"detail": BUSY_MESSAGE, "code": "busy"}
    bo.refresh_from_db()
    assert bo.email == ""  # nothing was saved
    again = caller.patch(f"clients/{bo.pk}", {"email": "bo@example.com"})
    assert again.status_code == 200
    bo.refresh_from_db()
    assert bo.email == "bo@example.com"


def test_a_page_write_that_meets_a_lock_says_try_again(web, bo):
    browser = web("staff")
    form = {"first_name": "Bo", "last_name": "Lindqvist"}
    with held_by_another(bo):
        response = browser.post(f"/clients/{bo.pk}/edit/", form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Try again" in page and "nothing was saved" in page
    bo.refresh_from_db()
    assert bo.last_name == "Lind"
    assert browser.post(f"/clients/{bo.pk}/edit/", form).status_code == 302
    bo.refresh_from_db()
    assert bo.last_name == "Lindqvist"
