"""Maintenance › Calendar: all roles look, a manager changes; refused writes change nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.calendar.writes import closure_add, work_week_update
from darkroom.studio.models import Closure
from darkroom.studio.selectors import studio_preferences
from tests.conftest import run_queued_jobs
from tests.studio.conftest import CHRISTMAS, MON, snapshot

pytestmark = pytest.mark.django_db

URL = "/maintenance/calendar/"
DECEMBER = "/maintenance/calendar/2026/12/"
ROLES = ["manager", "staff", "readonly"]


def cell(html: str, day: dt.date) -> str:
    """The text of one day of the month view."""
    found = re.search(rf'data-date="{day.isoformat()}">(.*?)</td>', html, re.S)
    assert found, day
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def shown(day: dt.date, words: str, today: dt.date) -> str:
    """What the month view says of ``day``: its number, "Today" on the studio's today, ``words``."""
    return f"{day.day} Today {words}" if day == today else f"{day.day} {words}"


def marked_today(html: str) -> list[str]:
    """The dates of the month view's cells that carry the "Today" badge."""
    days = re.findall(r'data-date="([\d-]+)"', html)
    return [day for day in days if " Today " in f" {cell(html, dt.date.fromisoformat(day))} "]


def week_form(days=(0, 1, 2, 3, 4), mode="forward", **extra):
    return {"work_days": [str(d) for d in days], "due_date_mode": mode, **extra}


def writes(vendor=None):
    """Every form the page posts, with valid values: (url, data)."""
    closure = closure_add(first_date=MON, label="Stocktake")
    return [
        (f"{URL}work-week/", week_form(days=(0, 1, 2, 3, 4, 5))),
        (f"{URL}closures/", {"first_date": "2026-12-24", "label": "Christmas Eve"}),
        (f"{URL}closures/{closure.pk}/remove/", {}),
        (
            f"{URL}holidays/",
            {"country": "US", "subdivision": "", "from_year": "2026", "to_year": "2026"},
        ),
    ]


# Looking ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_calendar(studio_today, web, role):
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    page = web(role).get(DECEMBER)
    assert page.status_code == 200
    html = page.content.decode()
    assert "December 2026" in html
    assert cell(html, CHRISTMAS) == shown(CHRISTMAS, "Closed: Christmas Day", studio_today)
    eve, boxing_day = dt.date(2026, 12, 24), dt.date(2026, 12, 26)
    assert cell(html, eve) == shown(eve, "Business day", studio_today)
    assert cell(html, boxing_day) == shown(boxing_day, "Not a work day", studio_today)
    # The studio's today carries the badge when the page shows it (January's first days close
    # December's last week); no other day does.
    on_the_page = f'data-date="{studio_today.isoformat()}"' in html
    assert marked_today(html) == ([studio_today.isoformat()] if on_the_page else [])
    manager = role == "manager"
    for control in ("Save work week", "Add closure", "Import holidays", ">Remove<"):
        assert (control in html) is manager, control
    if not manager:
        assert "Only a studio manager can change the calendar." in html
        assert "Monday, Tuesday, Wednesday, Thursday, Friday" in html


def test_anonymous_people_are_sent_to_log_in(web):
    for url in (URL, DECEMBER):
        response = web(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_the_work_week_is_a_labelled_checkbox_per_day(web):
    work_week_update(work_days={0, 1, 2, 3, 4, 5})
    html = web("manager").get(URL).content.decode()
    for number, name in enumerate(("Monday", "Tuesday", "Saturday", "Sunday")):
        day = (0, 1, 5, 6)[number]
        tag = re.search(rf'<label class="cal-choice"><input[^>]*value="{day}"[^>]*> {name}', html)
        assert tag, name
        assert ("checked" in tag.group(0)) is (day != 6)


def test_the_month_view_moves_between_months(web):
    html = web("staff").get(DECEMBER).content.decode()
    assert 'href="/maintenance/calendar/2026/11/#month"' in html
    assert 'href="/maintenance/calendar/2027/1/#month"' in html
    january = web("staff").get("/maintenance/calendar/2027/1/").content.decode()
    assert "January 2027" in january
    assert 'href="/maintenance/calendar/2026/12/#month"' in january


@pytest.mark.parametrize("url", ["/maintenance/calendar/2026/13/", "/maintenance/calendar/99/1/"])
def test_a_month_that_does_not_exist_is_404(web, url):
    assert web("manager").get(url).status_code == 404


def test_a_vendors_calendar_shows_its_closures_and_the_studios(studio_today, web, vendor):
    day = dt.date(2026, 12, 2)  # a Wednesday
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    closure_add(first_date=day, label="Lab stocktake", vendor=vendor)
    studio = web("staff").get(DECEMBER).content.decode()
    assert cell(studio, day) == shown(day, "Business day", studio_today)
    html = web("staff").get(f"{DECEMBER}?vendor={vendor.pk}&when=all").content.decode()
    assert cell(html, day) == shown(day, "Closed: Lab stocktake", studio_today)
    assert cell(html, CHRISTMAS) == shown(CHRISTMAS, "Closed: Christmas Day", studio_today)
    table = html.split('id="closures"', 1)[1]
    assert "Lab stocktake" in table and "Christmas Day" not in table


def test_closures_are_listed_by_year_and_sort_by_a_header_click(web):
    closure_add(first_date=dt.date(2026, 12, 24), label="Bravo")
    closure_add(first_date=dt.date(2026, 12, 31), label="Alpha")
    closure_add(first_date=dt.date(2027, 1, 4), label="Charlie")
    client = web("readonly")

    def labels(query):
        html = client.get(f"{DECEMBER}{query}").content.decode()
        rows = html.split('id="closures"', 1)[1]
        return re.findall(r'<tr id="closure-\d+">.*?<td>([^<]+)</td>', rows, re.S)

    assert labels("?when=2026") == ["Bravo", "Alpha"]
    assert labels("?when=all&sort=label") == ["Alpha", "Bravo", "Charlie"]
    assert labels("?when=all&sort=-dates") == ["Charlie", "Alpha", "Bravo"]
    assert labels("?when=all&sort=nonsense") == ["Bravo", "Alpha", "Charlie"]


# Changing (managers) ------------------------------------------------------------------------------


def test_a_manager_saves_the_work_week_and_due_date_mode(web):
    client = web("manager")
    response = client.post(f"{URL}work-week/", week_form(days=(0, 1, 2, 3, 4, 5), mode="backward"))
    assert response.status_code == 302
    prefs = studio_preferences()
    assert prefs.work_days == {0, 1, 2, 3, 4, 5} and prefs.due_date_mode == "backward"
    page = client.get(response["Location"]).content.decode()
    assert "Saved the work week and the due-date mode." in page


def test_an_empty_work_week_is_refused_beside_the_days(web):
    before = snapshot()
    response = web("manager").post(f"{URL}work-week/", week_form(days=()))
    assert response.status_code == 422
    assert "Tick at least one day" in response.content.decode()
    assert snapshot() == before


def test_a_manager_adds_a_closure_and_due_dates_follow(web, vendor):
    client = web("manager")
    data = {"first_date": "2026-12-21", "last_date": "2026-12-23", "label": "Winter break"}
    response = client.post(f"{URL}closures/", {**data, "next": f"{DECEMBER}?when=all"})
    assert response.status_code == 302 and response["Location"] == f"{DECEMBER}?when=all"
    closure = Closure.objects.get()
    assert (closure.first_date, closure.last_date, closure.vendor) == (
        MON,
        MON.replace(day=23),
        None,
    )
    assert studio_calendar().due(dt.date(2026, 12, 18), 1) == dt.date(2026, 12, 24)
    client.post(
        f"{URL}closures/", {"first_date": "2026-12-02", "label": "Lab", "vendor": vendor.pk}
    )
    assert Closure.objects.get(label="Lab").vendor == vendor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"first_date": "2026-12-24", "last_date": "2026-12-20", "label": "Backwards"},
            "The closure ends before it starts.",
        ),
        (
            {"first_date": "2026-01-01", "last_date": "2027-01-02", "label": "Too long"},
            "at most 366 days",
        ),
        ({"first_date": "24/12/2026", "label": "Odd date"}, "Enter a valid date."),
        ({"first_date": "2026-12-24", "label": ""}, "This field is required."),
        ({"first_date": "2026-12-24", "label": "X", "vendor": "999999"}, "Select a valid choice"),
    ],
    ids=["backwards", "too-long", "bad-date", "no-label", "no-such-vendor"],
)
def test_a_bad_closure_is_refused_with_a_message_and_nothing_saved(web, data, message):
    before = snapshot()
    page = f"{DECEMBER}?when=all&sort=label"
    response = web("manager").post(f"{URL}closures/", {**data, "next": page})
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert snapshot() == before
    # The page comes back as it was, and its links and forms lead from there, not from the POST.
    assert "December 2026" in html
    assert f'name="next" value="{page.replace("&", "&amp;")}"' in html
    assert 'href="/maintenance/calendar/2026/12/?when=all&amp;sort=-label#closures"' in html
    assert 'action="/maintenance/calendar/2026/12/#closures"' in html
    assert "/closures/?" not in html


def test_a_manager_imports_holidays_and_sees_them_in_december(studio_today, web):
    client = web("manager")
    data = {"country": "US", "subdivision": "", "from_year": "2026", "to_year": "2027"}
    response = client.post(f"{URL}holidays/", {**data, "next": DECEMBER})
    assert response.status_code == 302
    added = Closure.objects.count()
    assert added > 20
    page = client.get(DECEMBER).content.decode()
    assert f"Added {added} holidays of United States (US), 2026–2027." in page
    assert cell(page, CHRISTMAS) == shown(CHRISTMAS, "Closed: Christmas Day", studio_today)
    again = client.post(f"{URL}holidays/", data, follow=True).content.decode()
    assert "No new holidays" in again and Closure.objects.count() == added


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"country": "US", "subdivision": "ZZ"}, "“ZZ” is not a subdivision of United States"),
        ({"country": "XX"}, "Select a valid choice"),
        ({"country": ""}, "This field is required."),
        ({"country": "US", "from_year": "2027", "to_year": "2026"}, "before the first"),
        ({"country": "US", "from_year": "2020", "to_year": "2030"}, "at most 10 years"),
        ({"country": "US", "from_year": "1800"}, "greater than or equal to 1900"),
    ],
    ids=["subdivision", "country", "no-country", "backwards", "too-many", "too-early"],
)
def test_a_bad_import_is_refused_with_a_message_and_nothing_saved(web, data, message):
    before = snapshot()
    form = {"subdivision": "", "from_year": "2026", "to_year": "2026", **data}
    response = web("manager").post(f"{URL}holidays/", form)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert snapshot() == before


def test_a_manager_removes_a_closure(web):
    closure = closure_add(first_date=CHRISTMAS, label="Christmas Day")
    response = web("manager").post(f"{URL}closures/{closure.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == URL
    assert not Closure.objects.exists()
    assert web("manager").post(f"{URL}closures/{closure.pk}/remove/").status_code == 404


def test_next_never_leaves_the_site(web):
    response = web("manager").post(f"{URL}work-week/", week_form(next="https://elsewhere.example/"))
    assert response["Location"] == URL


# Refused ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_staff_and_read_only_cannot_change_anything(web, role):
    for url, data in writes():
        before = snapshot()
        response = web(role).post(url, data)
        assert response.status_code == 403, url
        assert snapshot() == before, url


def test_anonymous_posts_go_to_log_in_and_change_nothing(web):
    for url, data in writes():
        before = snapshot()
        response = web(None).post(url, data)
        assert response.status_code == 302 and "/login/" in response["Location"], url
        assert snapshot() == before, url


def test_the_forms_only_answer_posts(web):
    for url, _data in writes():
        assert web("manager").get(url).status_code == 405, url


def test_the_page_runs_as_many_queries_with_many_closures_as_with_one(web, vendor):
    client = web("manager")
    closure_add(first_date=CHRISTMAS, label="Christmas Day")

    def queries() -> int:
        client.get(f"{DECEMBER}?when=all")  # builds and caches the calendar
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{DECEMBER}?when=all").status_code == 200
        return len(captured)

    few = queries()
    for day in range(1, 24):
        closure_add(first_date=dt.date(2026, 12, day), label=f"Day {day}")
        closure_add(first_date=dt.date(2026, 12, day), label=f"Lab {day}", vendor=vendor)
    assert queries() == few


def test_the_page_says_while_due_dates_are_being_recomputed(web):
    page = web("manager")
    assert "being recomputed" not in page.get(URL).content.decode()
    closure_add(first_date=dt.date(2031, 1, 6), label="Stocktaking")
    assert "1 job waiting for the background worker" in page.get(URL).content.decode()
    run_queued_jobs()
    assert "being recomputed" not in page.get(URL).content.decode()
