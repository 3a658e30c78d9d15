"""The studio through the API: its preferences, its people, and "who am I"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from darkroom.studio.models import StudioPreferences
from darkroom.studio.roles import role_of
from darkroom.studio.selectors import studio_preferences
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()


def refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code and body["detail"]
    return body


def stored_preferences():
    return list(StudioPreferences.objects.values())


# ---------------------------------------------------------------- preferences


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_everyone_sees_the_preferences(api, role):
    response = api(role).get("studio-preferences")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["work_days"] == [0, 1, 2, 3, 4]
    assert answer["time_zone"] == "UTC"
    assert answer["due_date_mode"] == "forward"


def test_manager_replaces_the_preferences(api):
    body = {
        "name": "Lumen Studio",
        "address": "1 High Street",
        "phone": "+44 20 0000",
        "email": "hello@lumen.example",
        "time_zone": "Europe/London",
        "work_days": [5, 1, 2, 3, 4, 1],
        "due_date_mode": "backward",
    }
    response = api("manager").put("studio-preferences", body)
    assert response.status_code == 200, response.content
    assert response.json()["work_days"] == [1, 2, 3, 4, 5]
    prefs = studio_preferences()
    assert prefs.name == "Lumen Studio"
    assert prefs.work_days_mask == 0b0111110
    assert prefs.due_date_mode == "backward"
    assert prefs.time_zone == "Europe/London"


def test_manager_changes_some_preferences(api):
    caller = api("manager")
    caller.put("studio-preferences", {"name": "Lumen", "time_zone": "Europe/Paris"})
    response = caller.patch("studio-preferences", {"work_days": [0, 1, 2, 3, 4, 5, 6]})
    assert response.status_code == 200, response.content
    prefs = studio_preferences()
    assert prefs.work_days_mask == 0b1111111
    assert (prefs.name, prefs.time_zone) == ("Lumen", "Europe/Paris")
    answer = caller.patch("studio-preferences", {"statuses_by_session_type": True}).json()
    assert answer["statuses_by_session_type"] is True
    assert studio_preferences().statuses_by_session_type


@pytest.mark.parametrize(
    "body",
    [
        {"work_days": []},
        {"work_days": [7]},
        {"work_days": [-1]},
        {"work_days": "mon"},
        {"time_zone": "Mars/Olympus"},
        {"due_date_mode": "sideways"},
        {"email": "nobody"},
        {"name": None},
        {"statuses_by_session_type": None},
        {"statuses_by_session_type": "often"},
        {"opens_at": "18:00", "closes_at": "09:00"},
        {"closes_at": "00:00"},
        {"opens_at": "noon"},
        {"opens_at": "09:00:00Z"},
        {"opens_at": 32400},
        {"opens_at": None},
        {"country": "XX"},
        {"country": "USA"},
        {"country": "1"},
        {"locale": "de_DE"},
        {"locale": "tlh-QO"},
        {"locale": None},
        {"currency": "EURO"},
        {"currency": "XYZ"},
        {"currency": "DEM"},
        {"currency": None},
        {"name": "x" * 121},
        {"colour": "blue"},
    ],
    ids=str,
)
def test_bad_preferences_are_refused_and_nothing_changes(api, body):
    caller = api("manager")
    caller.put("studio-preferences", {"name": "Lumen"})
    before = stored_preferences()
    refused(caller.patch("studio-preferences", body), 422, "invalid")
    refused(caller.put("studio-preferences", {"name": "Other", **body}), 422, "invalid")
    assert stored_preferences() == before


def test_business_hours_and_country_through_the_api(api):
    caller = api("manager")
    answer = caller.get("studio-preferences").json()
    assert (answer["opens_at"], answer["closes_at"], answer["country"]) == (
        "09:00",
        "17:30",
        "US",
    )
    response = caller.patch(
        "studio-preferences", {"opens_at": "08:00", "closes_at": "16:00", "country": "de"}
    )
    assert response.status_code == 200, response.content
    prefs = studio_preferences()
    assert (prefs.opens_at, prefs.closes_at, prefs.country) == (
        dt.time(8, 0),
        dt.time(16, 0),
        "DE",
    )
    body = refused(caller.patch("studio-preferences", {"closes_at": "07:00"}), 422, "invalid")
    assert "close after it opens" in body["detail"]
    body = refused(caller.patch("studio-preferences", {"country": "QQ"}), 422, "invalid")
    assert "country" in body["detail"]


def test_a_work_week_without_days_is_explained(api):
    body = refused(api("manager").patch("studio-preferences", {"work_days": []}), 422, "invalid")
    assert "work_days" in body["detail"]


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_only_managers_change_preferences(api, role):
    before = stored_preferences()
    caller = api(role)
    refused(caller.put("studio-preferences", {"name": "Mine now"}), 403, "permission_denied")
    refused(caller.patch("studio-preferences", {"name": "Mine now"}), 403, "permission_denied")
    assert stored_preferences() == before


def test_preferences_need_authentication(api):
    refused(api(None).get("studio-preferences"), 401, "not_authenticated")
    refused(api(None).patch("studio-preferences", {"name": "X"}), 401, "not_authenticated")
    assert stored_preferences() == []


# ---------------------------------------------------------------- people


def people_snapshot():
    users = list(User.objects.order_by("pk").values())
    groups = list(User.groups.through.objects.order_by("pk").values("user_id", "group_id"))
    departments = list(
        User.departments.through.objects.order_by("pk").values("user_id", "department_id")
    )
    return users, groups, departments


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_everyone_with_a_role_lists_people(api, people, role):
    retouching = f.DepartmentFactory(name="Retouching")
    retouching.members.add(people["staff"])
    response = api(role).get("users")
    assert response.status_code == 200, response.content
    page = response.json()
    assert page["next_cursor"] is None
    by_name = {u["username"]: u for u in page["results"]}
    assert by_name["staff"]["role"] == "staff"
    assert by_name["staff"]["departments"] == [retouching.pk]
    assert by_name["readonly"]["role"] == "readonly"
    assert by_name["manager"]["role"] == "manager"
    assert "password" not in by_name["manager"]


def test_people_list_filters_and_pages(api, people):
    caller = api("manager")
    f.UserFactory(username="gone", is_active=False, last_name="Zed")
    darkroom = f.DepartmentFactory()
    darkroom.members.add(people["readonly"])

    def usernames(**params):
        response = caller.get("users", **params)
        assert response.status_code == 200, response.content
        return [u["username"] for u in response.json()["results"]]

    assert usernames(role="staff") == ["staff"]
    assert usernames(department=darkroom.pk) == ["readonly"]
    assert usernames(inactive="only") == ["gone"]
    assert "gone" not in usernames(inactive="hide")
    assert usernames(search="gone") == ["gone"]
    assert usernames(sort="username") == ["gone", "manager", "readonly", "staff"]
    assert usernames(sort="-username") == ["staff", "readonly", "manager", "gone"]
    page = caller.get("users", sort="username", limit=2).json()
    assert [u["username"] for u in page["results"]] == ["gone", "manager"]
    assert usernames(sort="username", cursor=page["next_cursor"]) == ["readonly", "staff"]
    assert caller.get("users", role="boss").status_code == 422


def test_manager_adds_a_person_with_role_and_departments(api):
    retouching = f.DepartmentFactory(name="Retouching")
    body = {
        "username": "ana",
        "password": "long-enough-pass",
        "role": "staff",
        "first_name": "Ana",
        "last_name": "Silva",
        "email": "ana@studio.example",
        "departments": [retouching.pk],
    }
    response = api("manager").post("users", body)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["role"] == "staff" and answer["departments"] == [retouching.pk]
    ana = User.objects.get(username="ana")
    assert role_of(ana) == "staff"
    assert ana.check_password("long-enough-pass")
    assert list(ana.departments.all()) == [retouching]


@pytest.mark.parametrize(
    "changes",
    [
        {"username": "STAFF"},  # taken, whatever the capitals
        {"password": "short"},
        {"role": "owner"},
        {"email": "nope"},
        {"departments": [987654]},
        {"username": "bad name!"},
        {"username": ""},
    ],
    ids=str,
)
def test_bad_new_people_are_refused(api, people, changes):
    body = {"username": "ana", "password": "long-enough-pass", "role": "staff", **changes}
    before = people_snapshot()
    refused(api("manager").post("users", body), 422, "invalid")
    assert people_snapshot() == before


def test_joining_an_inactive_department_is_refused(api, people):
    closed = f.DepartmentFactory(name="Closed", is_inactive=True)
    body = {
        "username": "ana",
        "password": "long-enough-pass",
        "role": "staff",
        "departments": [closed.pk],
    }
    before = people_snapshot()
    detail = refused(api("manager").post("users", body), 422, "invalid")["detail"]
    assert "inactive" in detail
    assert people_snapshot() == before


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_only_managers_add_and_change_people(api, people, role):
    before = people_snapshot()
    caller = api(role)
    body = {"username": "ana", "password": "long-enough-pass", "role": "manager"}
    refused(caller.post("users", body), 403, "permission_denied")
    refused(caller.patch(f"users/{people[role].pk}", {"role": "manager"}), 403, "permission_denied")
    assert people_snapshot() == before


def test_manager_changes_a_persons_role_departments_and_login(api, people):
    retouching = f.DepartmentFactory(name="Retouching")
    staff = people["staff"]
    response = api("manager").patch(
        f"users/{staff.pk}",
        {
            "role": "readonly",
            "departments": [retouching.pk],
            "is_active": False,
            "last_name": "Moved",
        },
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["role"] == "readonly" and answer["is_active"] is False
    staff.refresh_from_db()
    assert staff.last_name == "Moved" and staff.first_name == "Staff"
    assert list(staff.departments.all()) == [retouching]
    staff.is_active = True  # role_of answers None for inactive people
    assert role_of(staff) == "readonly"


def test_patch_keeps_what_it_does_not_mention(api, people):
    retouching = f.DepartmentFactory(name="Retouching")
    retouching.members.add(people["staff"])
    response = api("manager").patch(f"users/{people['staff'].pk}", {"email": "s@x.example"})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["departments"] == [retouching.pk]
    assert answer["role"] == "staff" and answer["is_active"] is True


def test_a_manager_cannot_lock_themselves_out(api, people):
    manager = people["manager"]
    before = people_snapshot()
    caller = api("manager")
    refused(caller.patch(f"users/{manager.pk}", {"is_active": False}), 422, "invalid")
    refused(caller.patch(f"users/{manager.pk}", {"role": "staff"}), 422, "invalid")
    assert people_snapshot() == before


def test_someone_already_in_an_inactive_department_may_stay(api, people):
    closed = f.DepartmentFactory(name="Closed")
    closed.members.add(people["staff"])
    closed.is_inactive = True
    closed.save()
    response = api("manager").patch(f"users/{people['staff'].pk}", {"first_name": "S."})
    assert response.status_code == 200, response.content
    assert response.json()["departments"] == [closed.pk]


def test_unknown_people_are_404(api):
    caller = api("manager")
    for pk in (987654, 0, 10**30):
        refused(caller.get(f"users/{pk}"), 404, "not_found")
        refused(caller.patch(f"users/{pk}", {"first_name": "X"}), 404, "not_found")


def test_bad_people_changes_are_422(api, people):
    caller = api("manager")
    before = people_snapshot()
    for body in (
        {"role": None},
        {"is_active": "sometimes"},
        {"departments": ["x"]},
        {"username": "renamed"},
        {"email": "nope"},
    ):
        refused(caller.patch(f"users/{people['staff'].pk}", body), 422, "invalid")
    assert people_snapshot() == before


def test_people_need_authentication(api, people):
    refused(api(None).get("users"), 401, "not_authenticated")
    refused(api(None).get(f"users/{people['staff'].pk}"), 401, "not_authenticated")


# ---------------------------------------------------------------- me


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_me_says_who_i_am_and_what_i_may_do(api, people, role):
    darkroom = f.DepartmentFactory(name="Darkroom")
    darkroom.members.add(people[role])
    response = api(role).get("me")
    assert response.status_code == 200, response.content
    me = response.json()
    assert me["username"] == role and me["role"] == role
    assert me["departments"] == [{"id": darkroom.pk, "name": "Darkroom"}]
    permissions = set(me["permissions"])
    assert "catalog.view_vendor" in permissions
    assert ("catalog.change_vendor" in permissions) == (role == "manager")
    assert ("clients.change_invoice" in permissions) == (role != "readonly")


def test_me_without_a_role_has_no_permissions(api):
    from darkroom.studio.services import api_token_create

    nobody = f.UserFactory(username="nobody")
    caller = api(None)
    caller.headers = {"Authorization": f"Bearer {api_token_create(user=nobody)}"}
    me = caller.get("me").json()
    assert me["role"] is None and me["permissions"] == []


def test_me_over_a_browser_session(web):
    response = web("staff").get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["role"] == "staff"


def test_me_needs_authentication(api):
    refused(api(None).get("me"), 401, "not_authenticated")


def test_no_bad_input_gets_a_500(api, people):
    caller = api("manager")
    weird_values = [None, "", "x" * 10_000, -1, 2**70, 1.5, [], {}, True, "\x00", [2**70], ["x"]]
    staff = f"users/{people['staff'].pk}"
    fields = {
        "studio-preferences": [
            "name",
            "address",
            "email",
            "time_zone",
            "work_days",
            "due_date_mode",
        ],
        staff: ["first_name", "last_name", "email", "role", "is_active", "departments"],
    }
    new_person = {"username": "ana", "password": "long-enough-pass", "role": "staff"}
    responses = [
        caller.post("users", raw="{"),
        caller.get("users", search="\x00"),
        caller.get("users", department=2**70),
        caller.get("users", cursor="x" * 1001),
        caller.get(f"users/{2**70}"),
    ]
    for path, names in fields.items():
        for name in names:
            for value in weird_values:
                responses.append(caller.patch(path, {name: value}))
    for name in [*new_person, "first_name", "email", "departments"]:
        for value in weird_values:
            responses.append(caller.post("users", {**new_person, name: value}))
    for response in responses:
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert set(response.json()) >= {"detail", "code"}


def test_locale_and_currency_through_the_api(api):
    caller = api("manager")
    answer = caller.get("studio-preferences").json()
    assert (answer["locale"], answer["currency"]) == ("en-US", "USD")
    response = caller.patch("studio-preferences", {"locale": "fr-FR", "currency": "eur"})
    assert response.status_code == 200, response.content
    assert (response.json()["locale"], response.json()["currency"]) == ("fr-FR", "EUR")
    prefs = studio_preferences()
    assert (prefs.locale, prefs.currency) == ("fr-FR", "EUR")
    body = refused(caller.patch("studio-preferences", {"currency": "ABC"}), 422, "invalid")
    assert "currency" in body["detail"]
    schema = caller.get("openapi.json").json()["components"]["schemas"]
    assert "en-GB" in schema["StudioPreferencesOut"]["properties"]["locale"]["enum"]
