"""What clients see of a status: hidden unless the studio shows it, under the name it chooses;
set on the status's form and over the API like its other fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from darkroom.tracking.models import Status
from darkroom.tracking.services import status_add, status_update
from tests.tracking.test_status_pages import form_data

pytestmark = pytest.mark.django_db


def test_a_new_status_is_hidden_from_clients_and_named_by_its_description(session_cycle):
    status = status_add(cycle=session_cycle.cycle, description="Cull with Ana")
    assert (status.client_visible, status.client_name) == (False, "")
    assert status.client_label == "Cull with Ana"
    shown = status_update(status=status, client_visible=True, client_name="  Choosing photos ")
    assert (shown.client_visible, shown.client_name) == (True, "Choosing photos")
    assert shown.client_label == "Choosing photos"


def test_a_manager_shows_a_status_to_clients_on_its_form(web, session_cycle):
    manager = web("manager")
    url = reverse("tracking:status-edit", args=[session_cycle.shot.pk])
    form = manager.get(url).content.decode()
    assert "What clients see" in form and 'name="client_visible"' in form
    assert 'name="client_name"' in form
    response = manager.post(
        url, form_data(session_cycle.shot, client_visible="on", client_name="Photos taken")
    )
    assert response.status_code == 302
    shot = Status.objects.get(pk=session_cycle.shot.pk)
    assert (shot.client_visible, shot.client_name) == (True, "Photos taken")
    too_long = manager.post(url, form_data(shot, client_visible="on", client_name="x" * 81))
    assert too_long.status_code == 422
    assert "at most 80 characters" in too_long.content.decode()
    assert Status.objects.get(pk=shot.pk).client_name == "Photos taken"


def test_a_new_status_may_be_shown_from_the_start(web, session_cycle):
    url = reverse("tracking:status-create", args=[session_cycle.cycle.pk])
    data = form_data(None, description="Framing", client_visible="on", client_name="Framing")
    data["position"] = "2"
    assert web("manager").post(url, data).status_code == 302
    made = Status.objects.get(cycle=session_cycle.cycle, description="Framing")
    assert (made.client_visible, made.client_name) == (True, "Framing")


def test_the_api_reads_and_writes_what_clients_see(api, session_cycle):
    manager = api("manager")
    base = f"cycles/{session_cycle.cycle.pk}/statuses"
    listed = manager.get(base).json()["results"]
    assert {(s["client_visible"], s["client_name"]) for s in listed} == {(False, "")}
    changed = manager.patch(
        f"{base}/{session_cycle.shot.pk}", {"client_visible": True, "client_name": "Photographed"}
    )
    assert changed.status_code == 200
    assert (changed.json()["client_visible"], changed.json()["client_name"]) == (
        True,
        "Photographed",
    )
    made = manager.post(base, {"description": "Framing", "client_visible": True})
    assert made.status_code == 201 and made.json()["client_visible"] is True
    for bad in ({"client_name": "x" * 81}, {"client_visible": None}, {"client_visible": "yes!"}):
        refused = manager.patch(f"{base}/{session_cycle.shot.pk}", bad)
        assert refused.status_code == 422 and "code" in refused.json(), bad
    assert Status.objects.get(pk=session_cycle.shot.pk).client_name == "Photographed"
    assert (
        api("staff").patch(f"{base}/{session_cycle.shot.pk}", {"client_visible": False}).status_code
        == 403
    )


def test_the_list_says_which_steps_clients_see(web, session_cycle):
    status_update(status=session_cycle.shot, client_visible=True, client_name="Photos taken")
    page = web("readonly").get(f"/maintenance/statuses/?cycle={session_cycle.cycle.pk}")
    words = page.content.decode()
    assert words.count("Clients see") == 1 and "Clients see “Photos taken”" in words
