"""The People pages: who can log in, with which role and departments; managers change them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from darkroom.maintenance.selectors import PEOPLE_COLUMNS
from darkroom.studio.roles import Role, role_of
from tests import factories as f
from tests.maintenance.conftest import row_ids, xlsx_rows

pytestmark = pytest.mark.django_db

User = get_user_model()
LIST = "/maintenance/people/"
NEW = "/maintenance/people/new/"
PASSWORD = "a-long-enough-secret"


def _new_person(**changes):
    data = {
        "username": "ines",
        "first_name": "Inès",
        "last_name": "Moreau",
        "email": "ines@lumen.example",
        "role": "staff",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    return {**data, **changes}


def _edit(person, **changes):
    data = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": role_of(person).value if role_of(person) else "",
        "is_active": "on" if person.is_active else "",
        "departments": [str(d.pk) for d in person.departments.all()],
        "password": "",
        "password_confirm": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def _people_table():
    return sorted(
        User.objects.values_list(
            "username", "first_name", "last_name", "email", "is_active", "password"
        )
    )


def _links():
    return sorted(
        (u, g) for u, g in User.objects.values_list("username", "groups__name") if g
    ), sorted((u, d) for u, d in User.objects.values_list("username", "departments__name") if d)


@pytest.mark.parametrize("role", ["manager", "staff", "readonly"])
def test_every_role_sees_the_people(web, people, role):
    retouch = f.DepartmentFactory(name="Retouching")
    retouch.members.add(people["staff"])
    page = web(role).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    for column in PEOPLE_COLUMNS:
        assert column.label in html
    assert sorted(row_ids(page.content)) == sorted(p.pk for p in people.values())
    row = html[html.index(f'<tr id="row-{people["staff"].pk}"') :].split("</tr>")[0]
    assert "Staff" in row and "Retouching" in row and "staff" in row
    assert (f'href="{NEW}' in html) is (role == "manager")


def test_people_list_sorts_searches_filters_and_hides_the_inactive(web, people):
    gone = f.UserFactory(username="zed", first_name="Zoe", last_name="Adams", is_active=False)
    client = web("manager")
    assert gone.pk not in row_ids(client.get(LIST).content)
    assert gone.pk in row_ids(client.get(LIST, {"inactive": "show"}).content)
    by_username = row_ids(client.get(LIST, {"sort": "-username"}).content)
    assert by_username == [people[r].pk for r in ("staff", "readonly", "manager")]
    assert row_ids(client.get(LIST, {"q": "read"}).content) == [people["readonly"].pk]
    assert row_ids(client.get(LIST, {"role": "manager"}).content) == [people["manager"].pk]
    team = f.DepartmentFactory(name="Front desk")
    team.members.add(people["readonly"])
    assert row_ids(client.get(LIST, {"department": team.pk}).content) == [people["readonly"].pk]
    rows = xlsx_rows(client.get(LIST, {"format": "xlsx", "sort": "username"}).content)
    assert rows[0] == [c.label for c in PEOPLE_COLUMNS] + ["Inactive"]
    assert [r[1] for r in rows[1:]] == ["manager", "readonly", "staff"]
    assert rows[1][3] == "Manager"
    printed = client.get(LIST, {"print": "1"})
    assert b'class="topbar"' not in printed.content and b"readonly" in printed.content


@pytest.mark.parametrize("role", list(Role))
def test_a_manager_adds_a_person_with_each_role(web, people, role):
    lab = f.DepartmentFactory(name="Lab")
    response = web("manager").post(NEW, _new_person(role=role.value, departments=[str(lab.pk)]))
    assert response.status_code == 302, response.context["form"].errors
    person = User.objects.get(username="ines")
    assert role_of(person) == role
    assert person.check_password(PASSWORD)
    assert person.get_full_name() == "Inès Moreau"
    assert list(person.departments.all()) == [lab]
    assert person.is_active


def test_someone_without_a_role_is_not_offered_manager_by_default(web, people):
    nobody = f.UserFactory(username="nobody")
    page = web("manager").get(f"{LIST}{nobody.pk}/")
    assert '<option value="" selected>Choose a role…</option>' in page.content.decode()
    response = web("manager").post(f"{LIST}{nobody.pk}/", _edit(nobody))
    assert response.context["form"].errors["role"] == ["This field is required."]
    assert role_of(User.objects.get(pk=nobody.pk)) is None


@pytest.mark.parametrize("username", ["staff", "STAFF", "Staff"])
def test_a_taken_username_is_refused(web, people, username):
    before = _people_table()
    response = web("manager").post(NEW, _new_person(username=username))
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["Someone already has this username."]
    assert _people_table() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "short", "password_confirm": "short"}, "password", "too short"),
        ({"password_confirm": "something-else-entirely"}, "password_confirm", "not the same"),
        ({"password": "", "password_confirm": ""}, "password", "required"),
        ({"username": "with space"}, "username", "valid username"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"role": "owner"}, "role", "valid choice"),
    ],
)
def test_bad_new_person_is_refused(web, people, changes, field, message):
    before = _people_table(), _links()
    response = web("manager").post(NEW, _new_person(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert (_people_table(), _links()) == before


def test_a_manager_changes_a_person(web, people):
    staff = people["staff"]
    lab = f.DepartmentFactory(name="Lab")
    response = web("manager").post(
        f"{LIST}{staff.pk}/",
        _edit(staff, role="readonly", email="s@lumen.example", departments=[str(lab.pk)]),
    )
    assert response.status_code == 302, response.context["form"].errors
    staff.refresh_from_db()
    assert role_of(staff) == Role.READONLY
    assert staff.email == "s@lumen.example"
    assert list(staff.departments.all()) == [lab]


def test_a_manager_deactivates_someone_else_and_sets_a_new_password(web, people):
    staff = people["staff"]
    client = web("manager")
    client.post(
        f"{LIST}{staff.pk}/",
        _edit(
            staff, is_active="", password="brand-new-secret", password_confirm="brand-new-secret"
        ),
    )
    staff.refresh_from_db()
    assert not staff.is_active
    assert staff.check_password("brand-new-secret")
    assert role_of(staff) is None  # inactive people hold no role until they come back


def test_leaving_the_password_empty_keeps_it(web, people):
    staff = people["staff"]
    before = staff.password
    web("manager").post(f"{LIST}{staff.pk}/", _edit(staff, first_name="Sam"))
    staff.refresh_from_db()
    assert staff.first_name == "Sam" and staff.password == before


def test_a_weak_new_password_is_refused(web, people):
    staff = people["staff"]
    before = _people_table()
    response = web("manager").post(
        f"{LIST}{staff.pk}/", _edit(staff, password="short", password_confirm="short")
    )
    assert "too short" in response.context["form"].errors["password"][0]
    assert _people_table() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"role": "staff"}, "role", "You can't remove your own manager role"),
        ({"role": "readonly"}, "role", "You can't remove your own manager role"),
        ({"is_active": ""}, "is_active", "You can't deactivate yourself"),
    ],
)
def test_a_manager_cannot_demote_or_lock_out_themselves(web, people, changes, field, message):
    manager = people["manager"]
    before = _people_table(), _links()
    response = web("manager").post(f"{LIST}{manager.pk}/", _edit(manager, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert (_people_table(), _links()) == before
    assert role_of(User.objects.get(pk=manager.pk)) == Role.MANAGER


def test_a_manager_changing_their_own_password_stays_logged_in(web, people):
    manager = people["manager"]
    client = web("manager")
    client.post(
        f"{LIST}{manager.pk}/",
        _edit(manager, password="another-long-secret", password_confirm="another-long-secret"),
    )
    assert User.objects.get(pk=manager.pk).check_password("another-long-secret")
    assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("role", ["staff", "readonly"])
def test_other_roles_cannot_change_people(web, people, role):
    target = people["readonly" if role == "staff" else "staff"]
    before = _people_table(), _links()
    client = web(role)
    assert client.post(NEW, _new_person()).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(f"{LIST}{target.pk}/", _edit(target, role="manager")).status_code == 403
    own = people[role]
    assert client.post(f"{LIST}{own.pk}/", _edit(own, role="manager")).status_code == 403
    assert (_people_table(), _links()) == before
    page = client.get(f"{LIST}{target.pk}/")
    assert page.status_code == 200
    assert f"<small>{Role(role).label}</small>" in page.content.decode()  # the top bar: you
    assert "Only a studio manager can change people." in page.content.decode()
    assert b'name="password"' not in page.content


def test_anonymous_is_sent_to_log_in(client, people):
    before = _people_table()
    for url in (LIST, NEW, f"{LIST}{people['staff'].pk}/"):
        assert client.get(url)["Location"].startswith("/login/")
    assert client.post(NEW, _new_person())["Location"].startswith("/login/")
    assert _people_table() == before
