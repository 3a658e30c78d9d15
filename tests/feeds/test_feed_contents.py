"""What a calendar feed shows, read as a calendar app reads it and parsed with ``icalendar``:
one all-day event per open record's current due date and per promised date, for the records
assigned to the feed's person or department (every open one for the studio's), with UIDs that
stay the same as the record moves on, gone when the record is finished."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext

from darkroom.feeds.models import CalendarFeed, FeedScope
from darkroom.feeds.services import calendar_feed_revoke
from darkroom.studio.people import person_update
from darkroom.tracking.models import CycleKind
from darkroom.tracking.services import status_change
from tests import factories as f
from tests.feeds.conftest import day, read_feed

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ordinary_day")]

TODAY = dt.date(2026, 12, 2)  # the ordinary Wednesday of tests/conftest.py


def album(albums, people, **fields):
    """An album order of Ada Lovelace's, for the client's promised date ``promised``."""
    client = fields.pop("client", None) or f.ClientFactory(first_name="Ada", last_name="Lovelace")
    invoice = f.InvoiceFactory(
        client=client, approximate_delivery_date=fields.pop("promised", day("2026-12-21"))
    )
    return f.started_production_order(
        order_type=albums.order_type, invoice=invoice, by=people["manager"], **fields
    )


def test_a_persons_feed_shows_due_and_promised_dates_of_their_open_orders(
    people, albums, make_feed
):
    order = album(albums, people, number="4812")
    feed = read_feed(make_feed(user=people["staff"]))
    assert feed.status == 200
    assert feed.headers["Content-Type"] == "text/calendar; charset=utf-8"
    events = feed.events()
    due = events[f"production-order-{order.pk}-due@testserver"]
    assert str(due["SUMMARY"]) == "Due: Album Order #4812 — Design (Ada Lovelace)"
    assert due.decoded("DTSTART") == day("2026-12-07")  # Wednesday + 3 business days
    assert due.decoded("DTEND") == day("2026-12-08")  # all day: DTEND is the day after
    assert str(due["URL"]) == f"http://testserver/production/orders/{order.pk}/"
    assert f"http://testserver/production/orders/{order.pk}/" in str(due["DESCRIPTION"])
    assert "Promised to the client: 2026-12-21" in str(due["DESCRIPTION"])
    assert due.decoded("DTSTAMP") == order.status_changed_at
    promised = events[f"production-order-{order.pk}-promised@testserver"]
    assert str(promised["SUMMARY"]) == "Promised: Album Order #4812 (Ada Lovelace)"
    assert promised.decoded("DTSTART") == day("2026-12-21")
    assert len(events) == 2
    assert feed.calendar["X-WR-CALNAME"] == "My Studio: Staff"


def test_a_moved_due_date_moves_the_same_event_and_a_finished_order_leaves(
    people, albums, make_feed
):
    order = album(albums, people, number="4812")
    url = make_feed(user=people["staff"])
    uid = f"production-order-{order.pk}-due@testserver"
    before = read_feed(url).events()[uid]
    status_change(
        record=order, expected_version=order.version, updated_by=people["staff"],
        to_status=albums["Print"],
    )  # fmt: skip
    after = read_feed(url).events()
    assert set(after) == {uid, f"production-order-{order.pk}-promised@testserver"}
    assert str(after[uid]["SUMMARY"]) == "Due: Album Order #4812 — Print (Ada Lovelace)"
    assert after[uid].decoded("DTSTART") == day("2026-12-04")  # Wednesday + 2 business days
    assert int(after[uid]["SEQUENCE"]) > int(before["SEQUENCE"])
    order.refresh_from_db()
    status_change(
        record=order, expected_version=order.version, updated_by=people["staff"],
        to_status=albums["Delivered"],
    )  # fmt: skip
    finished = read_feed(url)
    assert finished.status == 200
    assert finished.events() == {}


def test_another_persons_records_are_not_in_my_feed(people, albums, make_feed):
    mine = album(albums, people, number="1001")
    theirs = album(albums, people, number="1002")
    status_change(
        record=theirs, expected_version=theirs.version, updated_by=people["manager"],
        to_status=albums["Print"], user=people["manager"],
    )  # fmt: skip
    summaries = read_feed(make_feed(user=people["staff"])).summaries()
    assert summaries == [
        "Due: Album Order #1001 — Design (Ada Lovelace)",
        "Promised: Album Order #1001 (Ada Lovelace)",
    ]
    managers = read_feed(make_feed(user=people["manager"])).events()
    assert {uid.split("@")[0] for uid in managers} == {
        f"production-order-{theirs.pk}-due",
        f"production-order-{theirs.pk}-promised",
    }
    assert mine.pk != theirs.pk


def test_a_department_feed_shows_its_departments_work_and_the_studio_feed_everything(
    people, albums, retouching, make_feed
):
    ours = album(albums, people, number="2001")
    front_desk = f.DepartmentFactory(name="Front desk")
    elsewhere = album(albums, people, number="2002")
    status_change(
        record=elsewhere, expected_version=elsewhere.version, updated_by=people["manager"],
        to_status=albums["Print"], department=front_desk,
    )  # fmt: skip
    department = read_feed(make_feed(FeedScope.DEPARTMENT, department=retouching))
    assert department.summaries() == [
        "Due: Album Order #2001 — Design (Ada Lovelace)",
        "Promised: Album Order #2001 (Ada Lovelace)",
    ]
    assert department.calendar["X-WR-CALNAME"] == "My Studio: Retouching"
    studio = read_feed(make_feed(FeedScope.STUDIO))
    assert {uid.split("@")[0] for uid in studio.events()} == {
        f"production-order-{ours.pk}-due",
        f"production-order-{ours.pk}-promised",
        f"production-order-{elsewhere.pk}-due",
        f"production-order-{elsewhere.pk}-promised",
        # The invoices (not in a cycle here) are open, and promised to their clients.
        f"invoice-{ours.invoice_id}-promised",
        f"invoice-{elsewhere.invoice_id}-promised",
    }


def test_every_kind_of_open_record_is_in_the_feed(people, retouching, make_feed):
    """Proof orders, sessions, invoices (with their promised date) and tasks, each linked to
    its page; a private task stays out of the department's and the studio's feeds."""
    staff = people["staff"]
    for kind in (CycleKind.PREPRODUCTION, CycleKind.SESSION, CycleKind.INVOICE):
        f.cycle_with_statuses(
            kind=kind, steps=[("Working", 2, {"default_user": staff})], department=retouching
        )
    f.cycle_with_statuses(kind=CycleKind.TASK, steps=[("Open", 0)])
    client = f.ClientFactory(first_name="Grace", last_name="Hopper")
    session = f.started_session(client=client, session_type=f.SessionTypeFactory(name="Wedding"))
    proof = f.started_proof_order(session=session)
    invoice = f.started_invoice(client=client, approximate_delivery_date=day("2026-12-30"))
    task = f.new_task(
        subject="Call Grace about the proofs", kind="call", assigned_user=staff,
        assigned_department=retouching, due_on=day("2026-12-03"), links={"client": client},
    )  # fmt: skip
    secret = f.new_task(
        subject="Surprise album", assigned_user=staff, assigned_department=retouching,
        due_on=day("2026-12-10"), private=True,
    )  # fmt: skip
    mine = read_feed(make_feed(user=staff)).events()
    expected = {
        f"proof-order-{proof.pk}-due": (
            f"Due: Proof order #{proof.number} — Working (Grace Hopper)",
            f"/production/proof-orders/{proof.pk}/",
        ),
        f"session-{session.pk}-due": (
            "Due: Wedding session — Working (Grace Hopper)",
            f"/sessions/{session.pk}/",
        ),
        f"invoice-{invoice.pk}-due": (
            f"Due: Invoice {invoice.pk:05d} — Working (Grace Hopper)",
            f"/invoices/{invoice.pk}/",
        ),
        f"invoice-{invoice.pk}-promised": (
            f"Promised: Invoice {invoice.pk:05d} (Grace Hopper)",
            f"/invoices/{invoice.pk}/",
        ),
        f"task-{task.pk}-due": (
            "Due: Phone call — Call Grace about the proofs (Grace Hopper)",
            f"/tasks/{task.pk}/",
        ),
        f"task-{secret.pk}-due": ("Due: To-do — Surprise album", f"/tasks/{secret.pk}/"),
    }
    found = {
        uid.split("@")[0]: (str(e["SUMMARY"]), str(e["URL"]).removeprefix("http://testserver"))
        for uid, e in mine.items()
    }
    assert found == expected
    assert mine[f"invoice-{invoice.pk}-promised@testserver"].decoded("DTSTART") == day("2026-12-30")
    assert mine[f"task-{task.pk}-due@testserver"].decoded("DTSTART") == day("2026-12-03")
    others = [
        read_feed(make_feed(FeedScope.DEPARTMENT, department=retouching)).events(),
        read_feed(make_feed(FeedScope.STUDIO)).events(),
    ]
    for events in others:
        assert f"task-{task.pk}-due@testserver" in events
        assert f"task-{secret.pk}-due@testserver" not in events


def test_a_revoked_or_unknown_address_answers_404_and_nothing_else(people, albums, make_feed):
    album(albums, people)
    url = make_feed(user=people["staff"])
    assert read_feed(url).status == 200
    calendar_feed_revoke(feed=CalendarFeed.objects.get(), by=people["staff"])
    for address in (url, url.replace("drcal_", "drcal_x"), "/feeds/anything.ics"):
        gone = read_feed(address)
        assert (gone.status, gone.body) == (404, b"")


def test_a_new_address_replaces_the_old_one(people, make_feed):
    first = make_feed(user=people["staff"])
    second = make_feed(user=people["staff"])
    assert read_feed(first).status == 404
    assert read_feed(second).status == 200
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_the_feed_of_a_person_who_can_no_longer_log_in_answers_404(people, make_feed):
    url = make_feed(user=people["staff"])
    person_update(
        user=people["staff"], changed_by=people["manager"], first_name="Staff", last_name="",
        email="", role="staff", departments=[], is_active=False,
    )  # fmt: skip
    assert read_feed(url).status == 404


def test_an_unchanged_feed_answers_304_to_its_etag(people, albums, make_feed):
    order = album(albums, people)
    url = make_feed(user=people["staff"])
    first = read_feed(url)
    etag = first.headers["ETag"]
    again = read_feed(url, if_none_match=etag)
    assert (again.status, again.body) == (304, b"")
    status_change(
        record=order, expected_version=order.version, updated_by=people["staff"],
        to_status=albums["Print"],
    )  # fmt: skip
    changed = read_feed(url, if_none_match=etag)
    assert changed.status == 200 and changed.headers["ETag"] != etag


def test_text_is_escaped_folded_and_ends_lines_with_crlf(people, albums, make_feed):
    client = f.ClientFactory(first_name="Zoë; \\ Ångström,", last_name="de la Cruz-Øvergård " * 3)
    album(albums, people, client=client, number="77")
    feed = read_feed(make_feed(user=people["staff"]))
    lines = feed.body.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long ones were folded
    assert b"Zo\xc3\xab\\; \\\\ \xc3\x85ngstr\xc3\xb6m\\," in feed.body.replace(b"\r\n ", b"")
    name = f"{client.first_name} {client.last_name}".strip()
    summaries = feed.summaries()
    assert summaries[0] == f"Due: Album Order #77 — Design ({name})"
    for line in lines:  # no line was cut inside a character
        line.decode()


def test_a_feed_with_nothing_due_is_still_a_valid_calendar(people, make_feed):
    feed = read_feed(make_feed(user=people["readonly"]))
    assert feed.status == 200
    assert feed.events() == {}
    assert [c.name for c in feed.calendar.subcomponents] == ["VTIMEZONE"]
    assert feed.calendar["VERSION"] == "2.0" and "PRODID" in feed.calendar


def _feed_queries(captured) -> list[str]:
    """The queries of a feed's read but the studio's kept preferences (read again whenever
    the studio's lists changed, as making records here does)."""
    kept = ("studio_lists_stamp", "studio_studiopreferences")
    return [q["sql"] for q in captured if not any(name in q["sql"] for name in kept)]


def test_the_feed_reads_as_many_queries_for_many_records_as_for_one(people, albums, make_feed):
    url = make_feed(user=people["staff"])
    album(albums, people)
    read_feed(url)  # the first read notes it was read
    with CaptureQueriesContext(connection) as one:
        read_feed(url)
    for _ in range(5):
        album(albums, people)
    with CaptureQueriesContext(connection) as six:
        assert len(read_feed(url).events()) == 12
    # The feed, its person's role, then one query per kind of record (five kinds).
    assert len(_feed_queries(six)) == len(_feed_queries(one)) == 7, _feed_queries(six)


def test_a_calendar_app_that_accepts_gzip_gets_it_and_its_etag_still_answers_304(
    people, albums, make_feed
):
    album(albums, people, number="4812")
    url = make_feed(user=people["staff"])
    packed = read_feed(url, accept_encoding="gzip")
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.events()) == 2
    again = read_feed(url, accept_encoding="gzip", if_none_match=packed.headers["ETag"])
    assert (again.status, again.body) == (304, b"")


def test_a_head_request_is_answered_like_a_get(people, make_feed):
    url = make_feed(user=people["staff"])
    answer = WebClient().head(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
