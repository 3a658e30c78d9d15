"""The status pages: the dialog on a session's or an invoice's page (its defaults, a change, an
override, a conflict, bad input), starting a record, the history section, and bulk changes from
the lists. Every refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.clients.models import Invoice, Session
from darkroom.formats import StudioFormats, format_datetime
from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.services import studio_preferences_update
from darkroom.tracking.models import StatusNote
from darkroom.tracking.selectors import status_history
from darkroom.tracking.services import record_start, status_change, status_update
from tests.factories import DepartmentFactory, UserFactory, started_session
from tests.tracking.conftest import MONDAY

pytestmark = pytest.mark.django_db

TUESDAY, WEDNESDAY, THURSDAY = (MONDAY + dt.timedelta(days=n) for n in range(1, 4))


class FormFields(HTMLParser):
    """The named fields of a page as a browser would submit them (selects: the chosen option)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.options: dict[str, list[tuple[str, str]]] = {}
        self.attrs: dict[str, dict[str, str | None]] = {}
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        name = found.get("name")
        if tag == "input" and name:
            self.attrs[name] = found
            if found.get("type") != "checkbox" or "checked" in found:
                self.values[name] = found.get("value") or ""
        elif tag == "select" and name:
            self.attrs[name] = found
            self._select = name
            self.options[name] = []
            self.values.setdefault(name, "")
        elif tag == "option" and self._select:
            self._option = found.get("value") or ""
            if "selected" in found:
                self.values[self._select] = self._option
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data: str) -> None:
        if self._option is not None and self._select:
            self.options[self._select].append((self._option, data.strip()))
            self._option = None
        elif self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # As browsers do, the newline right after <textarea> is not part of the value.
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None


def text(response) -> str:
    """The page's words, tags removed, spaces collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", unescape(without_tags)).strip()


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def shown(day: dt.date) -> str:
    """A date as the pages write it with the default preferences (en-US: "Mar 5, 2026")."""
    return f"{day:%b} {day.day}, {day.year}"


def dialog(browser, record_url: str) -> FormFields:
    response = browser.get(f"{record_url}status/")
    assert response.status_code == 200
    return FormFields(response.content.decode())


def post_dialog(browser, record_url: str, **changes: Any):
    """Submit the dialog as a person would: its proposed values, with ``changes`` typed in."""
    fields = dialog(browser, record_url)
    data = {**fields.values, **{k: "" if v is None else v for k, v in changes.items()}}
    return browser.post(f"{record_url}status/", data)


@pytest.fixture
def retouch(db):
    """A department and a person a status may propose."""
    return DepartmentFactory(name="Retouching"), UserFactory(
        username="rita", first_name="Rita", last_name="Moreno"
    )


@pytest.fixture
def booked(session_cycle, session, people, retouch) -> Session:
    """A session started on MONDAY (in Booked, due Tuesday); Shot proposes Retouching and Rita."""
    department, person = retouch
    status_update(status=session_cycle.shot, default_department=department, default_user=person)
    record_start(record=session, started_on=MONDAY, by=people["manager"])
    return Session.objects.get(pk=session.pk)


def url_of(record) -> str:
    return record.get_absolute_url()


# The dialog ------------------------------------------------------------------------------------


def test_the_dialog_proposes_the_domain_defaults(studio_today, web, booked, session_cycle, retouch):
    department, person = retouch
    today = studio_today
    fields = dialog(web("staff"), url_of(booked))
    assert fields.values["version"] == str(booked.version)
    assert fields.values["date_completed"] == iso(today)
    assert fields.values["to_status"] == str(session_cycle.shot.pk)
    # Active statuses of the cycle except the current one (On hold is inactive).
    assert [label for value, label in fields.options["to_status"] if value] == [
        "Shot",
        "Proofing",
        "Delivered",
    ]
    proposed = studio_calendar().due(today, session_cycle.shot.default_duration)
    assert fields.values["due_date"] == fields.values["computed_due"] == iso(proposed)
    assert fields.values["department"] == str(department.pk)
    assert fields.values["user"] == str(person.pk)
    assert fields.values["note"] == "" and "current_not_complete" not in fields.values
    staff = get_user_model().objects.get(username="staff")
    assert fields.values["updated_by"] == str(staff.pk)  # who did the step: me, unless chosen
    page = text(web("staff").get(f"{url_of(booked)}status/"))
    assert "Current status Booked" in page and "Status updated by" in page


def test_the_dialog_opens_in_place_with_htmx(web, booked):
    """The detail page's button fetches the dialog's content alone, keyboard focus included."""
    detail = web("staff").get(url_of(booked)).content.decode()
    assert f'hx-get="{url_of(booked)}status/"' in detail and 'id="status-dialog"' in detail
    fragment = web("staff").get(f"{url_of(booked)}status/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'id="status-dialog-title"' in html
    assert re.search(r'<select name="to_status"[^>]*autofocus', html)
    assert "data-enter-submits" in html


def test_a_new_target_reproposes_the_due_date_and_assignees(web, booked, session_cycle):
    proofing = session_cycle.proofing
    response = web("staff").get(
        f"{url_of(booked)}status/due/",
        {"to_status": proofing.pk, "date_completed": iso(TUESDAY), "department": "", "user": ""},
        headers={"HX-Request": "true", "HX-Trigger-Name": "to_status"},
    )
    fields = FormFields(response.content.decode())
    assert fields.values["due_date"] == iso(MONDAY + dt.timedelta(days=4))  # Tue + 3: Friday
    assert fields.values["proposed_for"] == str(proofing.pk)
    assert fields.values["department"] == "" and fields.values["user"] == ""  # Proofing's none
    assert "3 business days" in text(response)


def test_a_new_date_keeps_the_assignees_chosen(web, booked, session_cycle, retouch):
    department, _ = retouch
    response = web("staff").get(
        f"{url_of(booked)}status/due/",
        {
            "to_status": session_cycle.proofing.pk,
            "date_completed": iso(WEDNESDAY),
            "department": department.pk,
            "user": "",
        },
        headers={"HX-Request": "true", "HX-Trigger-Name": "date_completed"},
    )
    fields = FormFields(response.content.decode())
    assert fields.values["due_date"] == iso(WEDNESDAY + dt.timedelta(days=5))  # Wed + 3: Monday
    assert fields.values["department"] == str(department.pk)


def test_the_final_status_proposes_no_due_date(web, booked, session_cycle):
    response = web("staff").get(
        f"{url_of(booked)}status/due/",
        {"to_status": session_cycle.delivered.pk, "date_completed": iso(TUESDAY)},
    )
    assert "due_date" not in FormFields(response.content.decode()).values
    assert "“Delivered” is the final status" in text(response)


# Changing ---------------------------------------------------------------------------------------


def test_staff_change_the_status_with_the_proposed_values(web, booked, session_cycle, retouch):
    department, person = retouch
    browser = web("staff")
    response = post_dialog(browser, url_of(booked), date_completed=iso(TUESDAY), note="Shot ok")
    assert response.status_code == 302 and response["Location"] == f"{url_of(booked)}#status"
    stored = Session.objects.get(pk=booked.pk)
    assert stored.status == session_cycle.shot
    # Proposed for today; the date was changed without a new proposal: the service computes it.
    assert stored.status_due_date == THURSDAY and not stored.status_due_overridden
    assert (stored.status_department, stored.status_user) == (department, person)
    note = status_history(record=stored).last()
    assert (note.from_status, note.to_status, note.note) == (
        session_cycle.booked,
        session_cycle.shot,
        "Shot ok",
    )
    assert note.updated_by.username == "staff" and note.date_completed == TUESDAY
    assert "Booked → Shot, due Mar 5, 2026." in text(browser.get(url_of(booked)))


def test_an_htmx_change_leads_back_to_the_record(web, booked, session_cycle):
    browser = web("staff")
    fields = dialog(browser, url_of(booked))
    response = browser.post(
        f"{url_of(booked)}status/",
        {**fields.values, "date_completed": iso(TUESDAY)},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Redirect"] == url_of(booked)
    assert Session.objects.get(pk=booked.pk).status == session_cycle.shot


def test_a_due_date_typed_in_is_an_override(web, booked):
    response = post_dialog(
        web("staff"), url_of(booked), date_completed=iso(TUESDAY), due_date="2026-03-20"
    )
    assert response.status_code == 302
    stored = Session.objects.get(pk=booked.pk)
    assert stored.status_due_date == dt.date(2026, 3, 20) and stored.status_due_overridden
    assert status_history(record=stored).last().due_overridden


def test_values_proposed_for_another_target_are_not_taken_as_choices(
    web, booked, session_cycle, retouch
):
    """Without JavaScript nothing re-proposes: the due date and assignees left as they were
    proposed (for Shot) become Proofing's own, not an override."""
    response = post_dialog(
        web("staff"),
        url_of(booked),
        to_status=str(session_cycle.proofing.pk),
        date_completed=iso(MONDAY),
    )
    assert response.status_code == 302
    stored = Session.objects.get(pk=booked.pk)
    assert stored.status == session_cycle.proofing
    assert stored.status_due_date == THURSDAY and not stored.status_due_overridden  # Mon + 3
    assert stored.status_department is None and stored.status_user is None


def test_assignees_and_not_complete_are_recorded(web, booked, session_cycle, people):
    response = post_dialog(
        web("staff"),
        url_of(booked),
        date_completed=iso(MONDAY),
        department=None,
        user=str(people["staff"].pk),
        current_not_complete="on",
    )
    assert response.status_code == 302
    note = status_history(record=booked).last()
    assert note.not_complete and note.department is None and note.user == people["staff"]


def test_a_stale_version_is_a_conflict_that_writes_nothing(
    web, booked, session_cycle, people, unchanged
):
    browser = web("staff")
    fields = dialog(browser, url_of(booked))
    status_change(  # someone else, meanwhile
        record=booked, expected_version=booked.version, updated_by=people["manager"]
    )
    moved = Session.objects.get(pk=booked.pk)
    typed = {**fields.values, "to_status": str(session_cycle.delivered.pk), "note": "Kept text"}
    with unchanged():
        response = browser.post(f"{url_of(booked)}status/", typed)
    assert response.status_code == 409
    page = text(response)
    assert "Someone changed this session while you had it open." in page
    assert "It is now “Shot”" in page and "reload the page" in page
    kept = FormFields(response.content.decode())
    assert kept.values["note"] == "Kept text"
    assert kept.values["to_status"] == str(session_cycle.delivered.pk)
    assert kept.values["version"] == str(moved.version)  # a second submit applies it knowingly


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_completed": "2026-13-40"}, "date_completed", "Give a date (YYYY-MM-DD)."),
        ({"date_completed": ""}, "date_completed", "Give a date (YYYY-MM-DD)."),
        ({"date_completed": "9999-12-31"}, "date_completed", "can't be after today"),
        ({"date_completed": "2026-02-27"}, "date_completed", "can't be before the record entered"),
        ({"due_date": "2026-03-01"}, "due_date", "can't be before the date completed"),
        ({"due_date": "soon"}, "due_date", "Give a date (YYYY-MM-DD)."),
        ({"to_status": ""}, "to_status", "Choose the status to change to."),
        ({"to_status": "999999"}, "to_status", "Choose one of the active statuses"),
        ({"department": "999999"}, "department", "Choose one of the active departments."),
        ({"version": "x"}, None, "reload the page"),
    ],
)
def test_bad_input_is_refused_beside_its_field(
    web, booked, session_cycle, unchanged, changes, field, message
):
    browser = web("staff")
    base = {"date_completed": iso(TUESDAY)}
    with unchanged():
        response = post_dialog(browser, url_of(booked), **{**base, **changes})
    assert response.status_code == 422
    html = response.content.decode()
    if field is None:
        assert message in text(response)
    else:
        block = re.search(
            rf'<div class="field[^"]*has-error[^"]*">\s*<label for="id_{field}">.*?</div>',
            html,
            re.S,
        )
        assert block and message in unescape(block.group(0)), html
    assert Session.objects.get(pk=booked.pk).status == session_cycle.booked


def test_an_inactive_target_is_refused_even_if_posted(web, booked, session_cycle, unchanged):
    with unchanged():
        response = post_dialog(web("staff"), url_of(booked), to_status=str(session_cycle.hold.pk))
    assert response.status_code == 422
    assert "Choose one of the active statuses of this cycle." in text(response)


def test_readonly_people_see_the_status_but_cannot_change_it(web, booked, session_cycle, unchanged):
    browser = web("readonly")
    page = browser.get(url_of(booked))
    assert "Current status Booked" in text(page)
    html = page.content.decode()
    assert "Change status" not in html and "status-dialog" not in html
    fields = dialog(web("staff"), url_of(booked))
    with unchanged():
        assert browser.get(f"{url_of(booked)}status/").status_code == 403
        assert browser.post(f"{url_of(booked)}status/", fields.values).status_code == 403
    assert browser.get(f"{url_of(booked)}history/").status_code == 200


# The panel ---------------------------------------------------------------------------------------


def test_the_panel_says_overdue_in_words(studio_today, web, booked, session_cycle):
    today = studio_today
    late = (today - booked.status_due_date).days
    page = text(web("readonly").get(url_of(booked)))
    assert f"Due {shown(booked.status_due_date)} Overdue by {late} days" in page


def test_the_panel_says_due_today_and_overridden(studio_today, web, booked, people):
    today = studio_today
    status_change(
        record=booked,
        expected_version=booked.version,
        updated_by=people["staff"],
        date_completed=today,
        due_date=today,
    )
    page = text(web("readonly").get(url_of(booked)))
    assert f"Due {shown(today)} overridden Due today" in page
    assert "Assigned to Retouching · Rita Moreno" in page


def test_a_record_not_started_offers_start(studio_today, web, session_cycle, session, unchanged):
    page = web("staff").get(url_of(session))
    assert "Not started yet: starting puts it in “Booked”." in text(page)
    fields = FormFields(page.content.decode())
    assert fields.values["started_on"] == iso(studio_today)
    assert "Start" in page.content.decode()
    assert "Change status" not in page.content.decode()
    with unchanged():
        refused = web("staff").post(
            f"{url_of(session)}status/start/", {**fields.values, "started_on": "9999-01-01"}
        )
    assert refused.status_code == 422 and "can't be after today" in text(refused)
    response = web("staff").post(
        f"{url_of(session)}status/start/", {**fields.values, "started_on": iso(MONDAY)}
    )
    assert response.status_code == 302
    stored = Session.objects.get(pk=session.pk)
    assert stored.status == session_cycle.booked and stored.status_entered_on == MONDAY
    again = web("staff").post(
        f"{url_of(session)}status/start/", {**fields.values, "started_on": iso(MONDAY)}
    )
    assert again.status_code == 302
    assert StatusNote.objects.count() == 1  # the stale form starts nothing twice


def test_without_a_cycle_the_panel_says_so(web, invoice):
    page = text(web("staff").get(url_of(invoice)))
    assert "The studio has no status cycle for invoices yet" in page
    assert web("staff").get(f"{url_of(invoice)}status/").status_code == 200


# History -----------------------------------------------------------------------------------------


def test_history_shows_every_change_newest_first(web, booked, session_cycle, people):
    studio_preferences_update(time_zone="Pacific/Auckland")
    browser = web("staff")
    post_dialog(browser, url_of(booked), date_completed=iso(THURSDAY), note="Shot in the park")
    shot = Session.objects.get(pk=booked.pk)
    post_dialog(
        browser,
        url_of(booked),
        date_completed=iso(THURSDAY),
        due_date="2026-03-20",
        current_not_complete="on",
    )
    page = browser.get(url_of(booked))
    html = page.content.decode()
    rows = re.findall(r'<tr class="history-row[^"]*">(.*?)</tr>', html, re.S)
    words = [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", r))).strip() for r in rows]
    assert len(words) == 3
    assert "Shot → Proofing" in words[0] and "Booked → Shot" in words[1]
    assert "Started in Booked" in words[2]
    # Proofing: overridden due date; Shot was left not complete after 0 of 2 business days.
    assert "Mar 20, 2026 overridden" in words[0] and "not complete" in words[0]
    assert "0 of 2 business days" in words[0]
    # Shot: Booked took Mon → Thu, 3 business days against 1 planned; due Thu + 2 = Mon.
    assert "3 of 1 business day over" in words[1]
    assert "Mar 9, 2026" in words[1] and "Retouching · Rita Moreno" in words[1]
    assert "Shot in the park" in words[1] and "Staff" in words[1]
    assert shot.status_due_date == dt.date(2026, 3, 9)
    # When, in the studio's time zone.
    note = status_history(record=booked)[1]
    local = note.changed_at.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland"))
    written = format_datetime(local.replace(tzinfo=None), formats=StudioFormats())
    assert written.replace("\u202f", " ") in words[1]


def test_the_history_page_goes_back_further(web, booked, people):
    record = booked
    for _ in range(3):
        status_change(record=record, expected_version=record.version, updated_by=people["staff"])
        record = Session.objects.get(pk=booked.pk)
    page = web("readonly").get(f"{url_of(booked)}history/")
    assert page.status_code == 200
    assert text(page).count(" → ") == 3 and "Started in Booked" in text(page)
    older = web("readonly").get(f"{url_of(booked)}history/", {"offset": 3})
    assert "Started in Booked" in text(older) and " → " not in text(older)


def test_recomputed_due_dates_read_as_such(web, booked, people):
    note = StatusNote.objects.get()
    StatusNote.objects.create(
        content_type=note.content_type,
        object_id=note.object_id,
        kind="recompute",
        from_status=note.to_status,
        to_status=note.to_status,
        date_completed=MONDAY,
        due_date=dt.date(2026, 3, 13),
        previous_due_date=dt.date(2026, 3, 12),
        updated_by=None,  # the calendar moved it, not a person
        note="calendar changed",
        changed_at=note.changed_at + dt.timedelta(hours=1),
    )
    html = web("readonly").get(url_of(booked)).content.decode()
    row = re.search(r'<tr class="history-row history-recompute">(.*?)</tr>', html, re.S)
    words = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", row.group(1)))).strip()
    assert (
        "Due date recomputed: Mar 12, 2026 → Mar 13, 2026 (calendar changed) · in Booked" in words
    )
    assert "Mar 13, 2026" in words and words.endswith("nobody Darkroom")


# Invoices use the same pages ----------------------------------------------------------------------


def test_an_invoice_changes_status_through_its_page(web, invoice_cycle, invoice, people):
    record_start(record=invoice, started_on=MONDAY, by=people["staff"])
    invoice = Invoice.objects.get(pk=invoice.pk)
    browser = web("staff")
    fields = dialog(browser, url_of(invoice))
    assert fields.values["to_status"] == str(invoice_cycle.production.pk)
    response = post_dialog(browser, url_of(invoice), date_completed=iso(TUESDAY))
    assert response.status_code == 302
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.status == invoice_cycle.production
    assert stored.status_due_date == TUESDAY + dt.timedelta(days=7)  # Tue + 5 business days
    page = text(browser.get(url_of(invoice)))
    assert "Current status In production" in page and "Ordered → In production" in page


# Lists and bulk change ----------------------------------------------------------------------------


def test_lists_show_status_and_a_checkbox_with_the_version_for_staff(web, booked):
    staff = web("staff").get("/sessions/").content.decode()
    assert f'value="{booked.pk}:{booked.version}"' in staff
    assert "data-select-all" in staff and 'id="bulk-status-form"' in staff
    readonly = web("readonly").get("/sessions/")
    assert 'name="record"' not in readonly.content.decode()
    assert "Booked" in text(readonly) and "overdue" in text(readonly)


@pytest.fixture
def two_booked(booked, people):
    other = started_session(date=MONDAY, started_on=MONDAY, by=people["manager"])
    return [booked, other]


def ticked(records) -> list[str]:
    return [f"{r.pk}:{r.version}" for r in records]


def test_bulk_change_moves_every_ticked_session(web, two_booked, session_cycle):
    response = web("staff").post(
        "/sessions/bulk-status/",
        {
            "record": ticked(two_booked),
            "to_status": "",
            "date_completed": iso(TUESDAY),
            "note": "all shot",
            "next": "/sessions/?q=x",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "Changed the status of 2 sessions." in page
    assert 'href="/sessions/?q=x"' in response.content.decode()
    for record in two_booked:
        stored = Session.objects.get(pk=record.pk)
        assert stored.status == session_cycle.shot and stored.status_due_date == THURSDAY
        assert status_history(record=stored).last().note == "all shot"


def test_bulk_change_to_a_named_status(web, two_booked, session_cycle):
    response = web("staff").post(
        "/sessions/bulk-status/",
        {
            "record": ticked(two_booked),
            "to_status": str(session_cycle.proofing.pk),
            "date_completed": iso(TUESDAY),
        },
    )
    assert response.status_code == 200
    assert {Session.objects.get(pk=r.pk).status for r in two_booked} == {session_cycle.proofing}


def test_bulk_refusal_changes_nothing_and_says_why(
    web, two_booked, session_cycle, people, unchanged
):
    stale = ticked(two_booked)
    first = two_booked[0]
    status_change(record=first, expected_version=first.version, updated_by=people["manager"])
    with unchanged():
        response = web("staff").post(
            "/sessions/bulk-status/",
            {"record": stale, "to_status": "", "date_completed": iso(TUESDAY)},
        )
    assert response.status_code == 422
    page = text(response)
    assert "Nothing was changed. 1 of 2 sessions can't be changed" in page
    assert "Refused" in page and "Not changed" in page
    assert Session.objects.get(pk=two_booked[1].pk).status == session_cycle.booked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_completed": iso(TUESDAY)}, "Choose at least one session in the list."),
        ({"record": ["1:x"], "date_completed": iso(TUESDAY)}, "could not be read"),
        ({"record": "KEEP", "date_completed": "9999-01-01"}, "can't be after today"),
        ({"record": "KEEP", "date_completed": "nope"}, "Give a date (YYYY-MM-DD)."),
        ({"record": "KEEP", "to_status": "424242", "date_completed": iso(TUESDAY)}, "Choose"),
    ],
)
def test_bad_bulk_input_is_refused(web, two_booked, unchanged, data, message):
    if data.get("record") == "KEEP":
        data = {**data, "record": ticked(two_booked)}
    with unchanged():
        response = web("staff").post("/sessions/bulk-status/", data)
    assert response.status_code == 422
    assert message in text(response) and "Nothing was changed" in text(response)


def test_readonly_people_cannot_bulk_change(web, two_booked, unchanged):
    with unchanged():
        response = web("readonly").post(
            "/sessions/bulk-status/",
            {"record": ticked(two_booked), "date_completed": iso(TUESDAY)},
        )
    assert response.status_code == 403


def test_the_session_list_queries_do_not_grow_with_rows(web, booked, people):
    browser = web("staff")
    browser.get("/sessions/")
    with CaptureQueriesContext(connection) as few:
        browser.get("/sessions/")
    for _ in range(5):
        started_session(date=MONDAY, started_on=MONDAY, by=people["staff"])
    with CaptureQueriesContext(connection) as many:
        page = browser.get("/sessions/").content.decode()
    assert page.count('name="record"') == 6
    assert len(many) == len(few)


def test_invoices_change_in_bulk_from_their_list(web, invoice_cycle, invoice, people):
    record_start(record=invoice, started_on=MONDAY, by=people["staff"])
    invoice = Invoice.objects.get(pk=invoice.pk)
    listed = web("staff").get("/invoices/").content.decode()
    assert f'value="{invoice.pk}:{invoice.version}"' in listed
    response = web("staff").post(
        "/invoices/bulk-status/",
        {"record": ticked([invoice]), "to_status": "", "date_completed": iso(MONDAY)},
    )
    assert response.status_code == 200
    assert "Changed the status of 1 invoice." in text(response)
    assert Invoice.objects.get(pk=invoice.pk).status == invoice_cycle.production
