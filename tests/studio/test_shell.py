"""The web shell: login page, home page, the role groups."""

import pytest
from django.contrib.auth.models import Group

from darkroom.studio.roles import GROUP_NAMES, Role, role_of

pytestmark = pytest.mark.django_db


def test_login_page_is_served(client):
    response = client.get("/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_home_greets_the_person(web):
    response = web("staff")
    page = response.get("/")
    assert page.status_code == 200
    assert b"Good to see you, Staff" in page.content


def test_role_groups_hold_the_rules(people):
    manager = Group.objects.get(name=GROUP_NAMES[Role.MANAGER])
    staff = people["staff"]
    readonly = people["readonly"]
    assert manager.permissions.filter(codename="delete_vendor").exists()
    assert staff.has_perm("clients.change_invoice")
    assert not staff.has_perm("catalog.change_vendor")
    assert staff.has_perm("catalog.view_vendor")
    assert readonly.has_perm("clients.view_invoice")
    assert not readonly.has_perm("clients.change_invoice")
    assert role_of(people["manager"]) == Role.MANAGER
    assert role_of(readonly) == Role.READONLY
