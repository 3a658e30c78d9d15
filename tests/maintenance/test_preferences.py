"""The studio preferences page: everyone may look, only a manager may change."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.studio.models import StudioPreferences
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update

pytestmark = pytest.mark.django_db

URL = "/maintenance/studio/"


def _form(**changes):
    data = {
        "name": "Lumen Portraits",
        "address": "12 Harbour Street\nBristol",
        "phone": "+44 117 000 0000",
        "email": "hello@lumen.example",
        "time_zone": "Europe/London",
        "work_days": ["0", "1", "2", "3", "4", "5"],
        "due_date_mode": "backward",
        "opens_at": "09:30",
        "closes_at": "18:00",
        "country": "gb",
        "locale": "en-GB",
        "currency": "GBP",
    }
    return {**data, **changes}


def _stored():
    return list(StudioPreferences.objects.values())


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_preferences(web, role):
    studio_preferences_update(name="Lumen Portraits", time_zone="America/Chicago")
    page = web(role).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="Lumen Portraits"' in html
    assert 'value="America/Chicago"' in html
    assert '<option value="Europe/London">' in html  # the time-zone suggestions
    assert (">Save preferences<" in html) is (role == "manager")
    if role != "manager":
        assert "Only a studio manager can change these." in html
        assert all(field.field.disabled for field in page.context["form"])


def test_a_manager_saves_the_preferences(web):
    client = web("manager")
    response = client.post(URL, _form())
    assert response.status_code == 302
    prefs = studio_preferences()
    assert prefs.name == "Lumen Portraits"
    assert prefs.address == "12 Harbour Street\nBristol"
    assert prefs.time_zone == "Europe/London"
    assert prefs.work_days_mask == 0b0111111  # Monday to Saturday
    assert prefs.work_day_names[-1] == "Saturday"
    assert prefs.due_date_mode == "backward"
    page = client.get(response["Location"])
    assert "Saved the studio&#x27;s preferences." in page.content.decode()
    checked = [c for c in page.context["form"]["work_days"] if c.data["selected"]]
    assert [c.choice_label for c in checked][-1] == "Saturday"


def test_weekend_only_studio_is_allowed(web):
    web("manager").post(URL, _form(work_days=["5", "6"]))
    assert studio_preferences().work_days == frozenset({5, 6})


def test_an_empty_work_week_is_refused(web):
    studio_preferences_update(name="Lumen Portraits")
    before = _stored()
    data = _form()
    del data["work_days"]
    response = web("manager").post(URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["work_days"] == [
        "Tick at least one day of the work week."
    ]
    assert "Tick at least one day of the work week." in response.content.decode()
    assert _stored() == before


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/london", "", "GMT+25"])
def test_a_bad_time_zone_is_refused(web, zone):
    studio_preferences_update(name="Lumen Portraits")
    before = _stored()
    response = web("manager").post(URL, _form(time_zone=zone))
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    assert 'id="id_time_zone_error"' in response.content.decode()
    assert _stored() == before


def test_unknown_mode_and_bad_email_are_refused(web):
    before = _stored()
    response = web("manager").post(URL, _form(due_date_mode="sideways", email="nope"))
    errors = response.context["form"].errors
    assert "due_date_mode" in errors and "email" in errors
    assert _stored() == before


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_other_roles_cannot_change_the_preferences(web, role):
    studio_preferences_update(name="Lumen Portraits")
    before = _stored()
    response = web(role).post(URL, _form(name="Taken over"))
    assert response.status_code == 403
    assert _stored() == before


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL)["Location"].startswith("/login/")
    response = client.post(URL, _form())
    assert response.status_code == 302
    assert not StudioPreferences.objects.exists()


def test_business_hours_and_country_are_saved_with_the_rest(web):
    response = web("manager").post(URL, _form())
    assert response.status_code == 302
    prefs = studio_preferences()
    assert (prefs.opens_at, prefs.closes_at, prefs.country) == (
        dt.time(9, 30),
        dt.time(18, 0),
        "GB",
    )
    html = web("manager").get(URL).content.decode()
    assert 'name="opens_at" value="09:30"' in html and 'value="GB"' in html


@pytest.mark.parametrize(
    "changes,field,words",
    [
        ({"opens_at": "18:00", "closes_at": "09:00"}, "closes_at", "close after it opens"),
        ({"opens_at": "09:00", "closes_at": "09:00"}, "closes_at", "close after it opens"),
        ({"country": "XX"}, "country", "not a country code"),
        ({"country": "USA"}, "country", "at most 2 characters"),
        ({"opens_at": "late"}, "opens_at", "Enter a valid time"),
    ],
    ids=str,
)
def test_bad_hours_or_country_are_refused_and_nothing_changes(web, changes, field, words):
    before = _stored()
    response = web("manager").post(URL, _form(**changes))
    assert response.status_code == 200
    assert words in " ".join(response.context["form"].errors[field])
    assert _stored() == before


def test_locale_and_currency_are_saved_and_shown(web):
    response = web("manager").post(URL, _form(locale="de-DE", currency="EUR"))
    assert response.status_code == 302
    prefs = studio_preferences()
    assert (prefs.locale, prefs.currency) == ("de-DE", "EUR")
    html = web("manager").get(URL).content.decode()
    assert '<option value="de-DE" selected>German (Germany) — 05.12.2026</option>' in html
    assert '<option value="EUR" selected>EUR — Euro</option>' in html


@pytest.mark.parametrize(
    "changes,field",
    [({"locale": "xx-YY"}, "locale"), ({"currency": "EURO"}, "currency")],
    ids=str,
)
def test_unknown_locale_or_currency_is_refused(web, changes, field):
    before = _stored()
    response = web("manager").post(URL, _form(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert _stored() == before


@pytest.mark.parametrize(
    "changes,field",
    [({"locale": "de_DE"}, "locale"), ({"currency": "XYZ"}, "currency")],
    ids=str,
)
def test_the_service_refuses_what_it_cannot_write(db, changes, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        studio_preferences_update(**changes)
    assert field in refused.value.message_dict
    assert not StudioPreferences.objects.filter(currency="XYZ").exists()
