"""The calendar feeds' page under a person's account: the menu leads there; a person makes
their feed, sees its address once, makes a new one or revokes it; a manager makes and revokes
a department's and the studio's; staff can't."""

from __future__ import annotations

import re

import pytest

from darkroom.feeds.models import CalendarFeed
from tests.feeds.conftest import read_feed

pytestmark = pytest.mark.django_db

PAGE = "/account/calendar-feeds/"


def address_on(html: str) -> str:
    found = re.search(r'id="feed-address" type="text" value="([^"]+)"', html)
    assert found, "the page shows no address"
    return found.group(1)


def test_the_account_menu_leads_to_the_page(web):
    for role in ("readonly", "staff", "manager"):
        home = web(role).get("/").content.decode()
        assert f'<a href="{PAGE}"' in home and ">Calendar feeds</a>" in home


def test_a_person_makes_their_feed_sees_the_address_once_and_revokes_it(web, people):
    browser = web("readonly")
    page = browser.get(PAGE).content.decode()
    assert "Make my calendar feed" in page and "feed-address" not in page
    made = browser.post(PAGE, {"scope": "person"})
    assert made["Cache-Control"] == "no-store"
    url = address_on(made.content.decode())
    assert url.startswith("http://testserver/feeds/drcal_")
    assert 'href="webcal://testserver/feeds/' in made.content.decode()
    assert read_feed(url.removeprefix("http://testserver")).status == 200
    again = browser.get(PAGE).content.decode()
    assert "feed-address" not in again and url not in again
    assert CalendarFeed.objects.get().key_prefix in again
    feed = CalendarFeed.objects.get()
    revoked = browser.post(f"{PAGE}{feed.pk}/revoke/", follow=True)
    assert "Revoked your calendar feed" in revoked.content.decode()
    assert read_feed(url.removeprefix("http://testserver")).status == 404


def test_a_new_address_stops_the_old_one(web):
    browser = web("staff")
    first = address_on(browser.post(PAGE, {"scope": "person"}).content.decode())
    second = address_on(browser.post(PAGE, {"scope": "person"}).content.decode())
    assert first != second
    assert read_feed(first.removeprefix("http://testserver")).status == 404
    assert read_feed(second.removeprefix("http://testserver")).status == 200


def test_staff_see_no_department_feeds_and_cant_make_one(web, retouching):
    browser = web("staff")
    assert "Department and studio feeds" not in browser.get(PAGE).content.decode()
    refused = browser.post(PAGE, {"other-scope": "studio"})
    assert refused.status_code == 403
    assert not CalendarFeed.objects.exists()


def test_a_manager_makes_a_department_feed_and_revokes_it(web, retouching):
    browser = web("manager")
    page = browser.get(PAGE).content.decode()
    assert "Department and studio feeds" in page and "Retouching" in page
    missing = browser.post(PAGE, {"other-scope": "department"}).content.decode()
    assert "Choose the department whose work the feed shows." in missing
    assert not CalendarFeed.objects.exists()
    made = browser.post(PAGE, {"other-scope": "department", "other-department": retouching.pk})
    url = address_on(made.content.decode())
    assert "The address of Retouching’s feed" in made.content.decode()
    assert read_feed(url.removeprefix("http://testserver")).calendar["X-WR-CALNAME"] == (
        "My Studio: Retouching"
    )
    feed = CalendarFeed.objects.get()
    assert f'id="feed-{feed.pk}"' in browser.get(PAGE).content.decode()
    browser.post(f"{PAGE}{feed.pk}/revoke/")
    assert read_feed(url.removeprefix("http://testserver")).status == 404


def test_someone_elses_feed_cant_be_revoked_by_a_non_manager(web):
    web("manager").post(PAGE, {"scope": "person"})
    feed = CalendarFeed.objects.get()
    assert web("staff").post(f"{PAGE}{feed.pk}/revoke/").status_code == 404
    assert CalendarFeed.objects.get().revoked_at is None
