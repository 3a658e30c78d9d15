"""/api/v1/calendar…: per role, and bad input answered 4xx with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from darkroom.studio.calendar.cache import studio_calendar
from darkroom.studio.calendar.writes import closure_add, work_week_update
from darkroom.studio.models import Closure
from darkroom.studio.selectors import studio_preferences
from darkroom.studio.services import studio_preferences_update
from tests.studio.conftest import CHRISTMAS, MON, snapshot

pytestmark = pytest.mark.django_db

ROLES = ["manager", "staff", "readonly"]


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"], body
    return body


def writes(vendor_id: int | None = None):
    """Every write of the API with a valid body: (method, path, body)."""
    closure = closure_add(first_date=MON, label="Stocktake")
    return [
        ("put", "calendar/work-week", {"work_days": [0, 1, 2, 3, 4, 5]}),
        ("post", "calendar/closures", {"first_date": "2026-12-24", "label": "Christmas Eve"}),
        ("delete", f"calendar/closures/{closure.pk}", None),
        ("post", "calendar/holiday-imports", {"country": "US", "years": [2026]}),
    ]


def call(caller, method: str, path: str, body):
    if method == "delete":
        return caller.delete(path)
    return getattr(caller, method)(path, body)


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_calendar(studio_today, api, role):
    work_week_update(work_days={0, 1, 2, 3, 4, 5}, due_date_mode="backward")
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    answer = api(role).get("calendar")
    assert answer.status_code == 200
    body = answer.json()
    assert body["work_days"] == [0, 1, 2, 3, 4, 5]
    assert body["work_day_names"][-1] == "Saturday"
    assert body["due_date_mode"] == "backward"
    assert body["closures"] == 1
    assert body["today"] == studio_today.isoformat()


def test_today_is_the_studios_date_in_its_time_zone(frozen_today, api):
    """8 pm in Pago Pago (UTC-11) is already tomorrow in UTC: the studio's date is answered."""
    studio_preferences_update(time_zone="Pacific/Pago_Pago")
    day = frozen_today(dt.date(2026, 12, 24), at=dt.time(20))
    assert dt.datetime.now(dt.UTC).date() == dt.date(2026, 12, 25)
    assert api("readonly").get("calendar").json()["today"] == day.isoformat()


def test_without_credentials_the_api_answers_401(api):
    for path in ("calendar", "calendar/closures", "calendar/due?from=2026-12-18&days=1"):
        refused(api(None).get(path), 401, "not_authenticated")


def test_closures_are_listed_between_dates_and_by_vendor(api, vendor):
    closure_add(first_date=MON, last_date=MON.replace(day=23), label="Winter break")
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    closure_add(first_date=dt.date(2027, 1, 1), label="New Year's Day")
    closure_add(first_date=CHRISTMAS, label="Lab holiday", vendor=vendor)
    caller = api("readonly")

    def labels(**params):
        answer = caller.get("calendar/closures", **params)
        assert answer.status_code == 200, answer.content
        return [item["label"] for item in answer.json()["results"]]

    assert labels() == ["Winter break", "Christmas Day", "New Year's Day"]
    assert labels(**{"from": "2026-12-23", "to": "2026-12-31"}) == ["Winter break", "Christmas Day"]
    assert labels(vendor=vendor.pk) == ["Lab holiday"]
    first = caller.get("calendar/closures", limit=2).json()
    assert first["next_cursor"]
    rest = caller.get("calendar/closures", limit=2, cursor=first["next_cursor"]).json()
    assert [i["label"] for i in rest["results"]] == ["New Year's Day"]
    assert rest["next_cursor"] is None
    item = first["results"][0]
    assert item == {
        "id": item["id"],
        "first_date": "2026-12-21",
        "last_date": "2026-12-23",
        "days": 3,
        "label": "Winter break",
        "source": "manual",
        "country": "",
        "subdivision": "",
        "vendor": None,
        "created_at": item["created_at"],
    }


def test_business_days_say_what_each_date_is(api, vendor):
    closure_add(first_date=CHRISTMAS, label="Christmas Day")
    closure_add(first_date=dt.date(2026, 12, 24), label="Lab stocktake", vendor=vendor)
    answer = api("staff").get(
        "calendar/business-days", **{"from": "2026-12-24", "to": "2026-12-26"}
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "vendor": None,
        "days": [
            {
                "date": "2026-12-24",
                "weekday": 3,
                "kind": "business",
                "label": "",
                "description": "Business day",
            },
            {
                "date": "2026-12-25",
                "weekday": 4,
                "kind": "closed",
                "label": "Christmas Day",
                "description": "Closed: Christmas Day",
            },
            {
                "date": "2026-12-26",
                "weekday": 5,
                "kind": "non_work",
                "label": "",
                "description": "Not a work day",
            },
        ],
    }
    lab = api("staff").get(
        "calendar/business-days", **{"from": "2026-12-24", "to": "2026-12-24", "vendor": vendor.pk}
    )
    assert lab.json()["days"][0]["kind"] == "closed" and lab.json()["vendor"] == vendor.pk


def test_due_dates_for_integrators(api, vendor):
    closure_add(first_date=MON, label="Stocktake", vendor=vendor)
    caller = api("readonly")
    answer = caller.get("calendar/due", **{"from": "2026-12-18", "days": 1})
    assert answer.status_code == 200
    assert answer.json() == {"from": "2026-12-18", "days": 1, "vendor": None, "due": "2026-12-21"}
    saturday = caller.get("calendar/due", **{"from": "2026-12-19", "days": 0}).json()
    assert saturday["due"] == "2026-12-21"
    lab = caller.get("calendar/due", **{"from": "2026-12-18", "days": 1, "vendor": vendor.pk})
    assert lab.json()["due"] == "2026-12-22"


def test_the_holiday_countries_list_their_codes(api):
    answer = api("readonly").get("calendar/holiday-countries")
    assert answer.status_code == 200
    assert answer.json()["next_cursor"] is None
    countries = {c["code"]: c for c in answer.json()["results"]}
    assert countries["GB"] == {
        "code": "GB",
        "name": "United Kingdom",
        "subdivisions": ["ENG", "NIR", "SCT", "WLS"],
    }


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("calendar/due", {"from": "2026-02-30", "days": 1}),
        ("calendar/due", {"from": "yesterday", "days": 1}),
        ("calendar/due", {"from": "2026-12-18", "days": -1}),
        ("calendar/due", {"from": "2026-12-18"}),
        ("calendar/due", {"from": "9999-12-30", "days": 10}),
        ("calendar/due", {"from": "2026-12-18", "days": 1, "vendor": 999999}),
        ("calendar/business-days", {"from": "2026-12-24", "to": "2026-12-01"}),
        ("calendar/business-days", {"from": "2026-01-01", "to": "2027-12-31"}),
        ("calendar/business-days", {"from": "2026-12-24", "to": "soon"}),
        ("calendar/closures", {"from": "2026-12-24", "to": "2026-12-01"}),
        ("calendar/closures", {"from": "24.12.2026"}),
        ("calendar/closures", {"vendor": 2**70}),
        ("calendar/closures", {"limit": 0}),
    ],
    ids=str,
)
def test_bad_questions_are_422(api, path, params):
    refused(api("readonly").get(path, **params), 422, "invalid")


# Writing ----------------------------------------------------------------------------------------


def test_a_manager_sets_the_work_week(api):
    answer = api("manager").put("calendar/work-week", {"work_days": [5, 0, 1, 2, 3, 4]})
    assert answer.status_code == 200
    assert answer.json()["work_days"] == [0, 1, 2, 3, 4, 5]
    assert studio_preferences().work_days == {0, 1, 2, 3, 4, 5}
    assert studio_calendar().due(dt.date(2026, 12, 18), 1) == dt.date(2026, 12, 19)


@pytest.mark.parametrize(
    "body",
    [
        {"work_days": []},
        {"work_days": [7]},
        {"work_days": "weekdays"},
        {},
        {"work_days": [1], "x": 1},
    ],
    ids=str,
)
def test_a_bad_work_week_is_422_and_changes_nothing(api, body):
    work_week_update(work_days={0, 1, 2, 3, 4})
    before = snapshot()
    refused(api("manager").put("calendar/work-week", body), 422, "invalid")
    assert snapshot() == before


def test_a_manager_adds_and_removes_closures(api, vendor):
    caller = api("manager")
    answer = caller.post(
        "calendar/closures",
        {"first_date": "2026-12-21", "last_date": "2026-12-23", "label": "Winter break"},
    )
    assert answer.status_code == 201
    body = answer.json()
    assert (body["days"], body["vendor"], body["source"]) == (3, None, "manual")
    assert studio_calendar().due(dt.date(2026, 12, 18), 1) == dt.date(2026, 12, 24)
    lab = caller.post(
        "calendar/closures", {"first_date": "2026-12-24", "label": "Lab", "vendor": vendor.pk}
    )
    assert lab.status_code == 201 and lab.json()["last_date"] == "2026-12-24"
    assert Closure.objects.get(label="Lab").vendor == vendor

    assert caller.delete(f"calendar/closures/{body['id']}").status_code == 204
    assert list(Closure.objects.values_list("label", flat=True)) == ["Lab"]
    assert studio_calendar().due(dt.date(2026, 12, 18), 1) == MON


@pytest.mark.parametrize(
    "body",
    [
        {"first_date": "2026-12-24", "last_date": "2026-12-20", "label": "Backwards"},
        {"first_date": "2026-01-01", "last_date": "2027-01-02", "label": "Too long"},
        {"first_date": "2026-12-32", "label": "No such day"},
        {"first_date": "24/12/2026", "label": "Odd date"},
        {"first_date": "2026-12-24", "label": ""},
        {"first_date": "2026-12-24", "label": "Nul \x00"},
        {"first_date": "2026-12-24", "label": "x" * 201},
        {"first_date": "2026-12-24"},
        {"first_date": "2026-12-24", "label": "Lab", "vendor": 987654},
        {"first_date": "2026-12-24", "label": "Lab", "vendor": 2**70},
        {"first_date": "2026-12-24", "label": "Lab", "colour": "red"},
    ],
    ids=str,
)
def test_a_bad_closure_is_422_and_changes_nothing(api, body):
    before = snapshot()
    refused(api("manager").post("calendar/closures", body), 422, "invalid")
    assert snapshot() == before


def test_the_end_before_the_start_is_explained(api):
    body = {"first_date": "2026-12-24", "last_date": "2026-12-20", "label": "Backwards"}
    answer = refused(api("manager").post("calendar/closures", body), 422, "invalid")
    assert answer["fields"] == {"last_date": ["The closure ends before it starts."]}


@pytest.mark.parametrize("closure_id", [987654, 2**70, 0])
def test_removing_an_unknown_closure_is_404(api, closure_id):
    closure_add(first_date=MON, label="Stocktake")
    before = snapshot()
    refused(api("manager").delete(f"calendar/closures/{closure_id}"), 404, "not_found")
    assert snapshot() == before


def test_a_manager_imports_holidays_once(api):
    caller = api("manager")
    body = {"country": "US", "subdivision": "CA", "years": [2026, 2027]}
    answer = caller.post("calendar/holiday-imports", body)
    assert answer.status_code == 200
    added = answer.json()["added"]
    assert added == Closure.objects.filter(country="US", subdivision="CA").count() > 20
    assert Closure.objects.filter(first_date=dt.date(2026, 7, 3)).exists()
    assert caller.post("calendar/holiday-imports", body).json() == {"added": 0}
    assert Closure.objects.count() == added


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "XX", "years": [2026]}, "country"),
        ({"country": "US", "subdivision": "ZZ", "years": [2026]}, "subdivision"),
        ({"country": "US", "years": []}, "years"),
        ({"country": "US", "years": list(range(2020, 2031))}, "years"),
        ({"country": "US", "years": [1800]}, "years"),
        ({"country": "US", "years": [2026], "vendor": 987654}, "vendor"),
        ({"country": "US", "years": "2026"}, None),
        ({"country": "US"}, None),
        ({"country": "UNITED", "years": [2026]}, None),
    ],
    ids=str,
)
def test_a_bad_import_is_422_and_changes_nothing(api, body, field):
    before = snapshot()
    answer = refused(api("manager").post("calendar/holiday-imports", body), 422, "invalid")
    if field is not None:
        assert field in answer["fields"], answer
    assert snapshot() == before


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_staff_and_read_only_cannot_write(api, role):
    for method, path, body in writes():
        before = snapshot()
        refused(call(api(role), method, path, body), 403, "permission_denied")
        assert snapshot() == before, path


def test_without_credentials_writes_are_401_and_change_nothing(api):
    for method, path, body in writes():
        before = snapshot()
        refused(call(api(None), method, path, body), 401, "not_authenticated")
        assert snapshot() == before, path
